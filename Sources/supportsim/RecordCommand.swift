import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimREPL

/// `supportsim record`: a trainer plays a scenario; the session becomes a new golden run.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Play a scenario and append the session to its golden transcript as a new run.",
        discussion: """
        The session is played in exam mode, as golden runs are played, and is not stored in the \
        attempts database. When it ends (or on /quit or Ctrl-D, recorded as /quit), the lines typed \
        become the run's replies, and the path, intents, ending, scores, pass, critical rules and \
        final mood that replaying them gives (30 seconds per reply) become its expectations. The \
        run is appended to <scenario>.transcript.yaml beside the scenario file (created when missing). \
        Exit codes: 0 recorded (or nothing typed); 2 the transcript file has errors, cannot be \
        appended to or written; 64 usage error; 128+N ended by signal N (nothing recorded).
        """
    )

    @Argument(help: "A scenario id (see `supportsim list`) or the path to a scenario file.")
    var scenario: String

    @Option(name: .long, help: "The run's name (default: recorded-N, the first free number).")
    var name: String?

    @Option(name: .long, help: "Seed for the customer's variant lines (default: 1).")
    var seed: UInt64 = 1

    @Option(name: .long, help: "The scenario folder (default: $SUPPORTSIM_SCENARIOS or ./Scenarios).")
    var scenarios: String?

    @Option(name: .long, help: "Interface language: en or ru (default: from the locale, else the scenario's language).")
    var lang: Language?

    func run() throws {
        TerminalSignals.install()
        let scenario: Scenario, path: String
        do { (scenario, path) = try SessionLauncher.loadScenarioFile(self.scenario, scenarios: scenarios) } catch let error as UserError {
            MatchCommand.fail(error.description, code: MatchCommand.usageExit)
        }
        let scenarioURL = URL(fileURLWithPath: path)
        let transcriptURL = TranscriptFiles.transcriptBeside(scenario: scenarioURL)
            ?? scenarioURL.deletingLastPathComponent().appendingPathComponent(GoldenTranscript.fileName(forScenario: scenario.id))
        var existing: String?
        if FileManager.default.fileExists(atPath: transcriptURL.path) {
            guard let data = try? Data(contentsOf: transcriptURL), let text = String(data: data, encoding: .utf8) else {
                MatchCommand.fail("\(transcriptURL.path) cannot be read as UTF-8 text; nothing was played.", code: 2)
            }
            existing = text
        }
        let taken = Set(existing.flatMap { GoldenTranscript.parse($0).transcript }?.runs.map(\.name) ?? [])
        let runName = name ?? (1...).lazy.map { "recorded-\($0)" }.first { !taken.contains($0) }!
        if taken.contains(runName) {
            MatchCommand.fail("\(transcriptURL.path) already has a run named '\(runName)'; choose another --name.", code: MatchCommand.usageExit)
        }

        let language = RunEnvironment.interfaceLanguage(lang, fallback: scenario.language)
        let meaning = MeaningSupport.index(for: scenario, language: language)
        let pipeline = SessionLauncher.scoring(for: scenario)
        let session = PlaySession(
            scenario: scenario, seed: seed, mode: .exam, interfaceLanguage: language,
            reader: SessionLauncher.reader(for: scenario, language: language), output: .standardOutput(),
            recorder: InMemoryAttemptRecorder(stores: false), scoring: pipeline, meaning: meaning)
        let outcome = session.run()
        if let signal = outcome.signal ?? TerminalSignals.terminatingSignal { throw ExitCode(128 + signal) }

        let replies = GoldenRecording.replies(outcome.transcript.turns.map(\.input), abandoned: outcome.abandoned)
        guard !replies.isEmpty, !(replies == ["/quit"]) else {
            print("Nothing was typed; nothing recorded.")
            return
        }
        let (run, result) = GoldenRecording.run(name: runName, seed: seed, replies: replies, scenario: scenario,
                                                pipeline: pipeline, meaning: meaning)
        switch GoldenRecording.appending(run, comment: "Recorded with `supportsim record`.", to: existing, scenarioID: scenario.id) {
        case .failure(let error):
            if let existing { printDiagnostics(error.diagnostics, file: transcriptURL.path, source: existing) }
            FileHandle.standardError.write(Data(("Error: " + TerminalText.sanitize(
                "\(transcriptURL.path): \(error.reason). Nothing was recorded.", keepNewlines: false) + "\n").utf8))
            throw ExitCode(2)
        case .success(let text):
            do { try Data(text.utf8).write(to: transcriptURL, options: .atomic) } catch {
                FileHandle.standardError.write(Data(("Error: " + TerminalText.sanitize(
                    "cannot write \(transcriptURL.path): \((error as NSError).localizedDescription)", keepNewlines: false) + "\n").utf8))
                throw ExitCode(2)
            }
        }
        print(TerminalText.sanitize("""

            Recorded run '\(runName)' (\(replies.count) replies) in \(transcriptURL.path):
              \(GoldenEnding(result.transcript.ending)), \(GoldenRunner.scoreLine(result.scoreCard))
              path: \(result.transcript.path.joined(separator: " → "))
            """))
        if GoldenEnding(result.transcript.ending) != GoldenEnding(outcome.transcript.ending)
            || outcome.card.map({ $0.total != result.scoreCard.total }) == true {
            print(TerminalText.sanitize("""
                Note: replayed at 30 seconds per reply the run differs from the live session (ending \
                \(GoldenEnding(outcome.transcript.ending)), total \(outcome.card.map { String($0.total) } ?? "n/a")); \
                the expectations written are the replay's, as `supportsim test` plays it.
                """))
        }
    }
}
