import ArgumentParser
import Foundation
import SupportSimCore

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check scenario and transcript files and report every problem as file:line:col."
    )

    @Argument(help: "Scenario files, transcript files (*.transcript.yaml) or folders to check (default: the Scenarios folder).")
    var paths: [String] = []

    @Option(name: .long, help: "Output format: text or json.")
    var format: LintFormat = .text

    @Flag(name: .long, help: "Treat warnings as errors.")
    var strict = false

    enum LintFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func run() throws {
        let targets = paths.isEmpty ? ["Scenarios"] : paths
        // Files are read and reported one at a time: one that cannot be read or parsed never stops the others.
        var checked: [() -> ScenarioLibrary.Loaded] = []
        for path in targets {
            var isDir: ObjCBool = false
            let url = URL(fileURLWithPath: path)
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                checked.append { Self.problem(url, "no such file or folder", hint: "check the path") }
                continue
            }
            guard isDir.boolValue else {
                checked.append { TranscriptFiles.lintOrLoad(url) }
                continue
            }
            do {
                for file in try ScenarioLibrary(directory: url).files() {
                    checked.append { ScenarioLibrary.loadReportingErrors(file) }
                }
                for file in TranscriptFiles.collect([path]).files { checked.append { TranscriptFiles.lintOrLoad(file) } }
            } catch {
                checked.append { Self.problem(url, "the folder cannot be listed", hint: "check that you may read it") }
            }
        }
        var errors = 0, warnings = 0
        var json: [[String: Any]] = []
        let cwd = FileManager.default.currentDirectoryPath + "/"
        for load in checked {
            let loaded = load()
            let path = loaded.url.path
            let shown = path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
            for d in loaded.result.diagnostics {
                if d.severity == .error { errors += 1 } else if d.severity == .warning { warnings += 1 }
                guard format == .json else { continue }
                var entry: [String: Any] = [
                    "file": shown, "line": d.location.line, "column": d.location.column,
                    "severity": d.severity.rawValue, "code": d.code, "message": d.message, "hint": d.hint ?? NSNull(),
                ]
                if d.code == ScenarioDiagnosticCode.invalidEncoding, let offset = loaded.invalidByteOffset {
                    entry["byte_offset"] = offset
                }
                json.append(entry)
            }
            if format == .text { printDiagnostics(loaded.result.diagnostics, file: shown, source: loaded.source) }
        }
        if format == .json {
            let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
            print(TerminalText.jsonEscapingControls(String(decoding: data, as: UTF8.self)))
        } else {
            let summary = "\(checked.count) file(s) checked: \(errors) error(s), \(warnings) warning(s)."
            FileHandle.standardError.write(Data((summary + "\n").utf8))
        }
        if errors > 0 || (strict && warnings > 0) { throw ExitCode(1) }
    }

    /// A path that could not be checked at all, as an SS020 error of its own.
    private static func problem(_ url: URL, _ what: String, hint: String) -> ScenarioLibrary.Loaded {
        let d = Diagnostic(.error, code: ScenarioDiagnosticCode.unreadable, what, at: SourceLocation(line: 1, column: 1), hint: hint)
        return ScenarioLibrary.Loaded(url: url, source: "", result: ParseResult(scenario: nil, diagnostics: [d]))
    }
}
