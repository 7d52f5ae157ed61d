import Foundation
import SupportSimCore

/// Finds golden transcripts on disk and pairs each with its scenario, for `test` and `lint`.
///
/// The convention (as `swift test` has always used it): `Scenarios/<id>.yaml` has its transcript
/// beside it as `Scenarios/<id>.transcript.yaml`, whose `scenario:` is `<id>`. A transcript finds
/// its scenario as `<scenario id>.yaml` in its own folder, else as `<file name>.yaml`, else as
/// the scenario file of that folder whose `id` is the one named.
enum TranscriptFiles {
    /// A transcript read from disk (not played yet).
    struct Loaded {
        let url: URL
        let source: String
        let result: GoldenTranscript.ParseResult
    }

    /// The transcripts to run for the paths given: a folder gives its `*.transcript.yaml` files,
    /// a transcript file itself, a scenario file the transcript beside it. Paths that give no
    /// transcript are returned as problems (one line each).
    static func collect(_ paths: [String]) -> (files: [URL], problems: [String]) {
        var files: [URL] = [], problems: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            let url = URL(fileURLWithPath: path)
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                problems.append("\(path): no such file or folder")
                continue
            }
            if isDir.boolValue {
                guard let names = try? fm.contentsOfDirectory(atPath: path) else {
                    problems.append("\(path): the folder cannot be listed; check that you may read it")
                    continue
                }
                let found = names.filter(GoldenTranscript.isTranscriptFile).sorted()
                if found.isEmpty { problems.append("\(path): no *.transcript.yaml files in this folder") }
                files += found.map { url.appendingPathComponent($0) }
            } else if GoldenTranscript.isTranscriptFile(url.lastPathComponent) {
                files.append(url)
            } else if let transcript = transcriptBeside(scenario: url) {
                files.append(transcript)
            } else {
                let stem = url.deletingPathExtension().lastPathComponent
                problems.append("\(path): no transcript beside this scenario; "
                    + "write \(url.deletingLastPathComponent().appendingPathComponent(GoldenTranscript.fileName(forScenario: stem)).path)")
            }
        }
        var seen: Set<String> = []
        return (files.filter { seen.insert($0.standardizedFileURL.path).inserted }, problems)
    }

    /// The transcript of a scenario file: `<name>.transcript.yaml` beside it, else `<id>.transcript.yaml`.
    static func transcriptBeside(scenario url: URL) -> URL? {
        let dir = url.deletingLastPathComponent()
        let byName = dir.appendingPathComponent(GoldenTranscript.fileName(forScenario: url.deletingPathExtension().lastPathComponent))
        if FileManager.default.fileExists(atPath: byName.path) { return byName }
        if let id = (try? ScenarioLibrary.load(url))?.result.scenario?.id {
            let byID = dir.appendingPathComponent(GoldenTranscript.fileName(forScenario: id))
            if FileManager.default.fileExists(atPath: byID.path) { return byID }
        }
        return nil
    }

    /// Reads and parses a transcript; a file that cannot be read or is not UTF-8 is a GT015 diagnostic.
    static func load(_ url: URL) -> Loaded {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            return unreadable(url, "the file cannot be read (\((error as NSError).localizedDescription))",
                              hint: "check that it exists, is a regular file and that you may read it")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return unreadable(url, "the file is not valid UTF-8", hint: "save the file as UTF-8")
        }
        return Loaded(url: url, source: text, result: GoldenTranscript.parse(text))
    }

    private static func unreadable(_ url: URL, _ message: String, hint: String) -> Loaded {
        let d = Diagnostic(.error, code: GoldenDiagnosticCode.unreadable, message, at: SourceLocation(line: 1, column: 1), hint: hint)
        return Loaded(url: url, source: "", result: GoldenTranscript.ParseResult(transcript: nil, diagnostics: [d]))
    }

    /// The scenario file of a transcript (see the convention above), nil when there is none.
    static func scenarioFile(for transcript: GoldenTranscript, at url: URL) -> URL? {
        let dir = url.deletingLastPathComponent()
        let fm = FileManager.default
        var candidates = [transcript.scenario + ".yaml", transcript.scenario + ".yml"]
        let name = url.lastPathComponent
        if GoldenTranscript.isTranscriptFile(name) {
            candidates.append(String(name.dropLast(".transcript.yaml".count)) + ".yaml")
        }
        for candidate in candidates where !candidate.contains("/") {
            let file = dir.appendingPathComponent(candidate)
            if fm.fileExists(atPath: file.path),
               (try? ScenarioLibrary.load(file))?.result.scenario?.id == transcript.scenario { return file }
        }
        for file in (try? ScenarioLibrary(directory: dir).files()) ?? [] {
            if (try? ScenarioLibrary.load(file))?.result.scenario?.id == transcript.scenario { return file }
        }
        // A file named like the scenario that has errors (or another id): still the one meant.
        for candidate in candidates where !candidate.contains("/") {
            let file = dir.appendingPathComponent(candidate)
            if fm.fileExists(atPath: file.path) { return file }
        }
        return nil
    }

    /// The transcript's own diagnostics plus the checks against its scenario. The scenario is
    /// returned when it could be read without errors (the runs can then be played).
    static func check(_ loaded: Loaded) -> (diagnostics: [Diagnostic], scenario: Scenario?) {
        guard let transcript = loaded.result.transcript else { return (loaded.result.diagnostics, nil) }
        var diagnostics = loaded.result.diagnostics
        let scenarioURL = scenarioFile(for: transcript, at: loaded.url)
        let scenarioFile = scenarioURL.map(ScenarioLibrary.loadReportingErrors)
        let scenario = scenarioFile?.result.scenario
        if let scenarioFile, scenario == nil || scenarioFile.result.hasErrors {
            let errors = scenarioFile.result.diagnostics.filter { $0.severity == .error }.count
            diagnostics.append(Diagnostic(
                .error, code: GoldenDiagnosticCode.scenarioErrors,
                "its scenario \(scenarioFile.url.lastPathComponent) has \(errors) error(s)",
                at: transcript.scenarioLocation ?? SourceLocation(line: 1, column: 1),
                hint: "run `supportsim lint \(scenarioFile.url.path)` and fix them first"))
            diagnostics += transcript.check(against: scenario, fileName: loaded.url.lastPathComponent)
                .filter { $0.code != GoldenDiagnosticCode.unknownScenario }
            return (diagnostics.sorted { $0.location < $1.location }, nil)
        }
        diagnostics += transcript.check(against: scenario, fileName: loaded.url.lastPathComponent)
        return (diagnostics.sorted { $0.location < $1.location }, scenario)
    }

    /// For `lint`: a transcript file (by name) is checked as a transcript, with its scenario;
    /// any other file as a scenario.
    static func lintOrLoad(_ url: URL) -> ScenarioLibrary.Loaded {
        guard GoldenTranscript.isTranscriptFile(url.lastPathComponent) else { return ScenarioLibrary.loadReportingErrors(url) }
        let loaded = load(url)
        let diagnostics = check(loaded).diagnostics
        return ScenarioLibrary.Loaded(url: url, source: loaded.source, result: ParseResult(scenario: nil, diagnostics: diagnostics))
    }
}
