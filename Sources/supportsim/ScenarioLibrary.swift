import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimLexicons

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
        /// The file's text (for a file that is not UTF-8: decoded with U+FFFD for the bad bytes).
        let source: String
        let result: ParseResult
        /// For a file that is not UTF-8: the offset of its first bad byte.
        var invalidByteOffset: Int? = nil
    }

    /// Reads and parses one file. A file that is not valid UTF-8 is a diagnostic (SS018), not an
    /// error; only a file that cannot be read at all throws.
    static func load(_ url: URL) throws -> Loaded {
        switch read(url) {
        case .success(let data): return parsed(url, data)
        case .failure(let failure):
            throw UserError("\(TerminalText.sanitize(url.path)): the file cannot be read (\(failure.reason)).")
        }
    }

    /// Like `load`, but a file that cannot be read becomes an SS020 diagnostic, so that one bad
    /// file never stops a command that goes through a whole folder.
    static func loadReportingErrors(_ url: URL) -> Loaded {
        switch read(url) {
        case .success(let data): return parsed(url, data)
        case .failure(let failure):
            let diagnostic = Diagnostic(
                .error, code: ScenarioDiagnosticCode.unreadable,
                "the file cannot be read (\(failure.reason))", at: SourceLocation(line: 1, column: 1),
                hint: "check that it exists, is a regular file and that you may read it")
            return Loaded(url: url, source: "", result: ParseResult(scenario: nil, diagnostics: [diagnostic]))
        }
    }

    private struct ReadFailure: Error { let reason: String }

    private static func parsed(_ url: URL, _ data: Data) -> Loaded {
        // The one place scenario files are parsed: `include:` is read from the file's own folder.
        let (source, result) = ScenarioParser.parse(bytes: data, includes: FileIncludeResolver(scenario: url))
        return Loaded(url: url, source: source.text, result: result, invalidByteOffset: source.invalidByteOffset)
    }

    private static func read(_ url: URL) -> Result<Data, ReadFailure> {
        do { return .success(try Data(contentsOf: url)) } catch { return .failure(ReadFailure(reason: FileIncludeResolver.readFailure(error))) }
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
        // Answered from the header index: no file is parsed whole but the one asked for.
        let entries = try ScenarioHeaderIndex(library: self).entries()
        if let hit = entries.first(where: { $0.header?.id == idOrPath }) {
            return try Self.load(directory.appendingPathComponent(hit.name))
        }
        // At most five ids: the close ones, or (when none is close) all of a folder of five or fewer.
        let ids = entries.compactMap { $0.header?.id }
        let suggestions = IDSuggestions.closest(to: idOrPath, among: ids, limit: 5)
        let shown = TerminalText.sanitize(idOrPath, keepNewlines: false)
        let folder = TerminalText.sanitize(directory.path, keepNewlines: false)
        if !suggestions.isEmpty {
            throw UserError("unknown scenario '\(shown)'; did you mean: \(suggestions.joined(separator: ", "))? (`supportsim list \(folder)` shows them all)")
        }
        if !ids.isEmpty, ids.count <= 5 {
            throw UserError("unknown scenario '\(shown)' in \(folder); the scenarios there: \(ids.joined(separator: ", ")).")
        }
        throw UserError("unknown scenario '\(shown)' in \(folder); run `supportsim list \(folder)` to see the scenarios.")
    }
}

/// Prints diagnostics as `file:line:col: severity: message [code]` with the source line and a
/// caret. Messages and hints quote the user's text, so they go through `TerminalText.sanitize`;
/// the file's lines are indexed once, however many diagnostics it has.
func printDiagnostics(_ diagnostics: [Diagnostic], file: String, source: String) {
    guard !diagnostics.isEmpty else { return }
    let lines = SourceLines(source)
    let name = TerminalText.sanitize(file, keepNewlines: false)
    var out = ""
    for d in diagnostics {
        var shown = d
        shown.message = TerminalText.sanitize(d.message, keepNewlines: false)
        shown.hint = d.hint.map { TerminalText.sanitize($0, keepNewlines: false) }
        out += shown.rendered(file: name, lines: lines) + "\n"
        if out.utf8.count > 1 << 16 { FileHandle.standardError.write(Data(out.utf8)); out = "" }
    }
    FileHandle.standardError.write(Data(out.utf8))
}
