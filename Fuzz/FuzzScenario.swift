// libFuzzer entry point for the scenario parser and the golden-transcript reader.
// Built by Fuzz/build.sh (swiftc -sanitize=fuzzer,address); run by Fuzz/run.sh.
// Besides crashes, it checks the parser's promises and stops (a crash to libFuzzer) when one breaks:
// every diagnostic is located at line >= 1 and column >= 1 and has a code, the diagnostics are sorted,
// and a scenario comes back exactly when there is no error.
import SupportSimCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let (source, result) = ScenarioParser.parse(bytes: bytes)
    let lines = SourceLines(source.text)
    var previous: SourceLocation?
    for d in result.diagnostics {
        precondition(d.location.line >= 1 && d.location.column >= 1, "unlocated diagnostic \(d)")
        precondition(!d.code.isEmpty, "diagnostic without a code \(d)")
        if let previous { precondition(previous <= d.location, "diagnostics out of order") }
        previous = d.location
        _ = d.rendered(file: "fuzz.yaml", lines: lines)
    }
    precondition((result.scenario == nil) == result.hasErrors, "a scenario despite errors, or none without an error")
    if source.isValid {
        let transcript = GoldenTranscript.parse(source.text)
        for d in transcript.diagnostics {
            precondition(d.location.line >= 0 && d.location.column >= 0, "unlocated transcript diagnostic \(d)")
            _ = d.rendered(file: "fuzz.transcript.yaml", lines: lines)
        }
    }
    return 0
}
