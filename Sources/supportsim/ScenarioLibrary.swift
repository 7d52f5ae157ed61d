import ArgumentParser
import Foundation
import SupportSimCore

/// Finds and loads scenario files from disk for the commands.
struct ScenarioLibrary {
    let directory: URL

    /// `--scenarios`, else `$SUPPORTSIM_SCENARIOS`, else `./Scenarios`.
    static func resolve(_ option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> ScenarioLibrary {
        let path = option ?? environment["SUPPORTSIM_SCENARIOS"] ?? "Scenarios"
        return ScenarioLibrary(directory: URL(fileURLWithPath: path))
    }

    /// Scenario files in the folder (`*.yaml`/`*.yml`, transcripts excluded), sorted by name.
    func files() throws -> [URL] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        return names.filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.contains(".transcript.") }
            .sorted().map { directory.appendingPathComponent($0) }
    }

    struct Loaded {
        let url: URL
        let source: String
        let result: ParseResult
    }

    static func load(_ url: URL) throws -> Loaded {
        let data = try Data(contentsOf: url)
        guard let text = String(data: data, encoding: .utf8) else {
            throw UserError("\(url.path): the file is not valid UTF-8 text; save it as UTF-8.")
        }
        return Loaded(url: url, source: text, result: ScenarioParser.parse(text))
    }

    /// Looks a scenario up by id, or opens the path given.
    func find(_ idOrPath: String) throws -> Loaded {
        let fm = FileManager.default
        if idOrPath.contains("/") || idOrPath.hasSuffix(".yaml") || idOrPath.hasSuffix(".yml") {
            guard fm.fileExists(atPath: idOrPath) else {
                throw UserError("No scenario file at \(idOrPath).")
            }
            return try Self.load(URL(fileURLWithPath: idOrPath))
        }
        guard fm.fileExists(atPath: directory.path) else {
            throw UserError("""
                The scenario folder \(directory.path) does not exist. Run from the project folder, \
                or pass --scenarios DIR (or set SUPPORTSIM_SCENARIOS).
                """)
        }
        let direct = directory.appendingPathComponent("\(idOrPath).yaml")
        if fm.fileExists(atPath: direct.path) { return try Self.load(direct) }
        let all = try files().map(Self.load)
        if let hit = all.first(where: { $0.result.scenario?.id == idOrPath }) { return hit }
        let ids = all.compactMap { $0.result.scenario?.id }
        throw UserError("""
            Unknown scenario '\(TerminalText.sanitize(idOrPath))' in \(directory.path).
            Available scenarios:
            \(ids.map { "  \($0)" }.joined(separator: "\n"))
            Run `supportsim list` for details.
            """)
    }
}

/// Prints diagnostics as `file:line:col: severity: message [code]` with the source line and a caret.
func printDiagnostics(_ diagnostics: [Diagnostic], file: String, source: String) {
    for d in diagnostics {
        FileHandle.standardError.write(Data((d.rendered(file: file, source: source) + "\n").utf8))
    }
}
