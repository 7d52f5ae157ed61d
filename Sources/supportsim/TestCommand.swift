import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimReport

/// `supportsim test`: plays golden transcripts and says where a run went another way.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Play golden transcripts (*.transcript.yaml) and check their path, ending and scores.",
        discussion: """
        PATHS are folders (every *.transcript.yaml in them), transcript files, or scenario files \
        (the transcript beside them, <id>.transcript.yaml). Without PATHS: the Scenarios folder \
        when there is one, else the current folder. A run that fails is shown with the turn and \
        reply where it diverged, the node expected against the node reached, what the reply \
        matched, and every score band that failed. The format is in docs/transcripts.md.
        Exit codes: 0 every run passed; 1 a run failed; 2 a path gives no transcript, or a \
        transcript (or its scenario) cannot be read or has errors; 64 wrong options.
        """
    )

    @Argument(help: "Folders, transcript files or scenario files (default: Scenarios/, else the current folder).")
    var paths: [String] = []

    @Option(name: .long, help: "Also write the results as JUnit XML to this file.")
    var junit: String?

    @Option(name: .long, help: "Output format: text or json.")
    var format: TestFormat = .text

    @Flag(name: .long, help: "Show the played conversation of every run that failed.")
    var dialogue = false

    enum TestFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func run() throws {
        let started = Date()
        let clock = { ProcessInfo.processInfo.systemUptime }
        var isDir: ObjCBool = false
        let targets = paths.isEmpty
            ? (FileManager.default.fileExists(atPath: "Scenarios", isDirectory: &isDir) && isDir.boolValue ? ["Scenarios"] : ["."])
            : paths
        let (files, problems) = TranscriptFiles.collect(targets)
        for problem in problems {
            FileHandle.standardError.write(Data(("Error: " + TerminalText.sanitize(problem, keepNewlines: false) + "\n").utf8))
        }

        let cwd = FileManager.default.currentDirectoryPath + "/"
        var outcomes: [GoldenFileOutcome] = []
        for url in files {
            let shown = url.path.hasPrefix(cwd) ? String(url.path.dropFirst(cwd.count)) : url.path
            let loaded = TranscriptFiles.load(url)
            let (diagnostics, scenario) = TranscriptFiles.check(loaded)
            if format == .text { printDiagnostics(diagnostics, file: shown, source: loaded.source) }
            var outcome = GoldenFileOutcome(file: shown, scenarioID: loaded.result.transcript?.scenario, diagnostics: diagnostics)
            if let transcript = loaded.result.transcript, let scenario, !outcome.isUnplayable {
                outcome.results = GoldenRunner.run(
                    scenario: scenario, transcript: transcript, pipeline: SessionLauncher.scoring(for: scenario),
                    meaning: MeaningSupport.index(for: scenario, prepare: false), clock: clock)
            }
            outcomes.append(outcome)
        }
        let report = GoldenTestReport(files: outcomes)

        switch format {
        case .text: print(report.text(dialogue: dialogue), terminator: "")
        case .json: print(try report.json())
        }
        if let junit {
            do {
                try Data(report.junit(timestamp: started).utf8).write(to: URL(fileURLWithPath: junit), options: .atomic)
            } catch {
                FileHandle.standardError.write(Data(("Error: " + TerminalText.sanitize(
                    "cannot write \(junit): \((error as NSError).localizedDescription)", keepNewlines: false) + "\n").utf8))
                throw ExitCode(2)
            }
        }
        let code = problems.isEmpty ? report.exitCode : 2
        if code != 0 { throw ExitCode(code) }
    }
}
