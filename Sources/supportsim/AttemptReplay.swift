import Foundation
import SupportSimCore
import SupportSimLexicons
import SupportSimStore

/// Replays a stored attempt on a scenario with its stored seed and the turns not taken back, and
/// scores it with today's scorers: one place for `show` (details of old evidence) and `rescore`.
enum AttemptReplay {
    struct Result {
        var card: ScoreCard
        /// The turn number where the replay went to another node than the stored turn did; nil when it followed.
        var divergedAt: Int?
    }

    static func score(_ stored: StoredAttempt, scenario: Scenario) -> Result {
        let record = stored.record
        let mode = record.mode.known ?? .exam
        let meaning = MeaningSupport.index(for: scenario)
        var engine = Engine(scenario: scenario, seed: record.seed, analyzer: BundledLexicons.analyzer, mode: mode,
                            meaning: meaning,
                            tone: meaning == nil ? nil : MeaningSupport.tone(language: scenario.language))
        _ = engine.start()
        var diverged: Int?
        for turn in stored.turns where !turn.retracted {
            engine.replay(turn.turn)
            if diverged == nil, let after = turn.nodeAfter, after != engine.nodeID { diverged = turn.number ?? turn.index }
        }
        if diverged == nil, let final = record.finalNode, record.status == .completed, final != engine.nodeID {
            diverged = stored.turns.last(where: { !$0.retracted }).map { $0.number ?? $0.index } ?? 0
        }
        if record.status != .completed { engine.abandon() }
        let card = SessionLauncher.scoring(for: scenario).score(engine.transcript, scenario: scenario)
        return Result(card: card, divergedAt: diverged)
    }
}
