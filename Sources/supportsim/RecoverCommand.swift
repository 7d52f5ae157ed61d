import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimLexicons
import SupportSimREPL
import SupportSimStore

struct RecoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Store a session kept in a recovery file when the database could not be written.",
        discussion: """
        `play` writes a recovery file (beside the database in <db>.recovery/, or in \
        $XDG_STATE_HOME/supportsim/recovery/) when turns could not be saved. This command replays its \
        inputs with the recorded seed and times, stores the attempt with all its turns and its score \
        (completing the attempt already in the database, if there is one), and renames the file to \
        FILE.imported.
        """
    )

    @Argument(help: "The recovery file (attempt-<start>-<pid>.json).")
    var file: String

    @Option(name: .long, help: "The attempts database (default: the one named in the file, else $XDG_DATA_HOME/supportsim/supportsim.sqlite).")
    var db: String?

    @Option(name: .long, help: "The scenario folder (default: $SUPPORTSIM_SCENARIOS or ./Scenarios).")
    var scenarios: String?

    @Option(name: .long, help: "Interface language: en or ru (default: the one the session used).")
    var lang: Language?

    func run() throws {
        let url = URL(fileURLWithPath: file)
        let recovery: RecoveryFile
        do { recovery = try RecoveryFile.read(from: url) } catch { throw UserError(String(describing: error)) }
        let strings = UIStrings(lang ?? recovery.interfaceLanguage)

        let (scenario, scenarioPath) = try SessionLauncher.loadScenarioFile(recovery.scenarioID, scenarios: scenarios)
        guard scenario.version == recovery.scenarioVersion else {
            throw UserError("""
                \(scenarioPath) is version \(scenario.version) of \(scenario.id), but the session played version \
                \(recovery.scenarioVersion). Restore that version (or point --scenarios at a folder that has it), then run recover again.
                """)
        }

        // Replay the inputs through the deterministic engine at their recorded turn indices (turns
        // taken back with /retry leave gaps), exactly as the session played them.
        let scoring = SessionLauncher.scoring(for: scenario)
        let meaning = MeaningSupport.index(for: scenario)
        var engine = Engine(scenario: scenario, seed: recovery.seed, analyzer: scoring.analyzer ?? BundledLexicons.analyzer,
                            mode: recovery.mode, meaning: meaning,
                            tone: meaning == nil ? nil : MeaningSupport.tone(language: scenario.language))
        _ = engine.start()
        for recorded in recovery.inputs {
            let before = engine.transcript.turns.count
            _ = engine.replay(recorded.input, index: recorded.turn, elapsed: recorded.elapsed)
            guard engine.transcript.turns.count == before + 1, engine.transcript.turns.last?.index == recorded.turn else {
                throw UserError(strings.recoveryReplayMismatch(turn: recorded.turn))
            }
        }
        var card: ScoreCard?
        if let ending = recovery.ending {
            if ending == .abandoned, !engine.isOver { _ = engine.abandon() }
            guard (engine.transcript.ending ?? .abandoned) == ending else {
                throw UserError(strings.recoveryReplayMismatch(turn: recovery.inputs.last?.turn ?? 0))
            }
            card = scoring.score(engine.transcript, scenario: scenario)
        }

        let path = db ?? recovery.database ?? RunEnvironment.databasePath(nil)
        let result: ImportResult
        do {
            let database = try AttemptDatabase(path: path)
            result = try database.importAttempt(
                existingID: recovery.attemptID,
                NewAttempt(
                    trainee: recovery.trainee, scenarioID: recovery.scenarioID, scenarioTitle: recovery.scenarioTitle,
                    scenarioVersion: recovery.scenarioVersion, language: recovery.language, mode: recovery.mode,
                    seed: recovery.seed, startedAt: recovery.startedAt, interfaceLanguage: recovery.interfaceLanguage,
                    line: scenario.line, tags: scenario.tags,
                    scenarioHash: SessionLauncher.contentHash(ofFile: scenarioPath), scorerVersion: ScorerVersion.current),
                turns: engine.transcript.turns, ending: recovery.ending, card: card, finalNode: engine.nodeID,
                at: recovery.endedAt ?? Date())
        } catch {
            throw UserError("\(error). The recovery file \(file) is kept; run this command again once that is fixed.")
        }
        print(strings.recovered(
            file: file, attempt: result.attemptID, created: result.created, added: result.addedTurns.count,
            turns: engine.transcript.turns.count, finished: result.finished))
        let imported = file + ".imported"
        try? FileManager.default.removeItem(atPath: imported)
        do {
            try FileManager.default.moveItem(atPath: file, toPath: imported)
            print(strings.recoveryFileKept(imported))
        } catch {
            // The attempt is stored; importing the same file again adds nothing.
            FileHandle.standardError.write(Data("warning: \(file) could not be renamed to \(imported) (\(error.localizedDescription)); delete it by hand.\n".utf8))
        }
    }
}
