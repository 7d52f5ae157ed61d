import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimLexicons
import SupportSimREPL
import SupportSimStore

/// Stores a session that was kept aside (a recovery file or a journal entry): its inputs are replayed
/// through the deterministic engine with the recorded seed and times, then imported into its store.
enum SessionDelivery {
    /// A kept session replayed: the turns as they were played, the score when it ended.
    struct Replayed {
        var scenario: Scenario
        var scenarioPath: String
        var turns: [Turn]
        var card: ScoreCard?
        var finalNode: String
    }

    /// Replays the inputs at their recorded turn indices (turns taken back with /retry leave gaps),
    /// exactly as the session played them. Throws a `UserError` when the scenario is missing or changed.
    static func replay(_ recovery: RecoveryFile, scenarios: String?, strings: UIStrings) throws -> Replayed {
        let (scenario, scenarioPath) = try SessionLauncher.loadScenarioFile(recovery.scenarioID, scenarios: scenarios)
        guard scenario.version == recovery.scenarioVersion else {
            throw UserError("""
                \(scenarioPath) is version \(scenario.version) of \(scenario.id), but the session played version \
                \(recovery.scenarioVersion). Restore that version (or point --scenarios at a folder that has it), then run recover again.
                """)
        }
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
        return Replayed(scenario: scenario, scenarioPath: scenarioPath, turns: engine.transcript.turns, card: card,
                        finalNode: engine.nodeID)
    }

    /// Stores a replayed session in the store `target` names (a SQLite path, or a server URL as the
    /// journal keeps it, without a password), completing the attempt already there
    /// (`recovery.attemptID`) when there is one. `credentials` is the store setting in use (`--db`,
    /// `SUPPORTSIM_DB`, the config file): when it names the same store, it is used to connect, with its
    /// password; otherwise the password comes from `PGPASSWORD`, as for `--db`.
    static func deliver(_ recovery: RecoveryFile, _ replayed: Replayed, to target: String,
                        credentials: String? = nil) throws -> ImportResult {
        let setting = credentials.flatMap { SessionJournal.redactedTarget($0) == SessionJournal.redactedTarget(target) ? $0 : nil }
            ?? target
        let store = try StoreAccess.openForWriting(setting)
        return try store.importAttempt(
            existingID: recovery.attemptID,
            NewAttempt(
                trainee: recovery.trainee, scenarioID: recovery.scenarioID, scenarioTitle: recovery.scenarioTitle,
                scenarioVersion: recovery.scenarioVersion, language: recovery.language, mode: recovery.mode,
                seed: recovery.seed, startedAt: recovery.startedAt, interfaceLanguage: recovery.interfaceLanguage,
                line: replayed.scenario.line, tags: replayed.scenario.tags,
                scenarioHash: SessionLauncher.contentHash(ofFile: replayed.scenarioPath), scorerVersion: ScorerVersion.current),
            turns: replayed.turns, ending: recovery.ending, card: replayed.card, finalNode: replayed.finalNode,
            at: recovery.endedAt ?? Date())
    }
}

extension SessionJournal.Entry {
    /// The entry as a recovery file's contents (the same fields), to replay and deliver it.
    var recoveryFile: RecoveryFile {
        RecoveryFile(
            trainee: trainee,
            start: AttemptStart(scenarioID: scenarioID, scenarioTitle: scenarioTitle, scenarioVersion: scenarioVersion,
                                language: language, mode: mode, seed: seed, startedAt: startedAt,
                                interfaceLanguage: interfaceLanguage),
            attemptID: attemptID, database: target,
            inputs: inputs.map { RecoveryFile.Input(turn: $0.turn, input: $0.input, elapsed: $0.elapsed) },
            ending: ending, endedAt: endedAt)
    }
}
