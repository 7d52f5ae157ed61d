import Foundation
import SupportSimCore
import SupportSimLexicons
import SupportSimREPL
import SupportSimSpelling
import SupportSimStore

/// Starts a play session (new or resumed) with the real terminal, database and scorers; shared by
/// `play` and `resume`.
enum SessionLauncher {
    static func loadScenario(_ idOrPath: String, scenarios: String?) throws -> Scenario {
        let loaded = try ScenarioLibrary.resolve(scenarios).find(idOrPath)
        guard let scenario = loaded.result.scenario else {
            printDiagnostics(loaded.result.diagnostics, file: loaded.url.path, source: loaded.source)
            throw UserError("The scenario has errors; fix them (see `supportsim lint \(loaded.url.path)`).")
        }
        return scenario
    }

    static func reader(for scenario: Scenario) -> any LineReader {
        LineReaderFactory.make(historyPath: LineReaderFactory.defaultHistoryPath(),
                               completions: scenario.knowledgeBase.map(\.id))
    }

    /// The stored turns of an attempt that a resume replays: those not taken back, in order.
    static func resumePoint(_ attempt: AttemptRecord, database: AttemptDatabase) throws -> ResumePoint {
        let turns = try database.turns(attemptID: attempt.id).filter { !$0.retracted }.map(\.turn)
        return ResumePoint(attemptID: attempt.id, turns: turns)
    }

    @discardableResult
    static func run(scenario: Scenario, seed: UInt64, mode: PlayMode, language: Language,
                    database: AttemptDatabase, trainee: String, reader: any LineReader,
                    resume: ResumePoint? = nil) -> SessionOutcome {
        var spellChecker: (any SpellChecker)?
        if scenario.scoring.spelling != nil {
            do { spellChecker = try HunspellChecker(languages: [scenario.language]) } catch {
                FileHandle.standardError.write(Data("warning: spelling is not scored: \(error)\n".utf8))
            }
        }
        let session = PlaySession(
            scenario: scenario, seed: seed, mode: mode, interfaceLanguage: language, reader: reader,
            output: .standardOutput(), recorder: DatabaseRecorder(database: database, trainee: trainee),
            scoring: .standard(analyzer: BundledLexicons.analyzer, spellChecker: spellChecker), resume: resume)
        return session.run()
    }
}

/// Stores a played session through the attempts database.
struct DatabaseRecorder: AttemptRecorder {
    let database: AttemptDatabase
    let trainee: String

    func begin(_ attempt: AttemptStart) throws -> Int64 {
        try database.startAttempt(NewAttempt(
            trainee: trainee, scenarioID: attempt.scenarioID, scenarioTitle: attempt.scenarioTitle,
            scenarioVersion: attempt.scenarioVersion, language: attempt.language,
            mode: attempt.mode, seed: attempt.seed, startedAt: attempt.startedAt,
            interfaceLanguage: attempt.interfaceLanguage))
    }

    func record(turn: Turn, attemptID: Int64, at: Date) throws {
        try database.recordTurn(attemptID: attemptID, turn: turn, at: at)
    }

    func retract(attemptID: Int64, fromIndex: Int) throws {
        try database.retractTurns(attemptID: attemptID, fromIndex: fromIndex)
    }

    func finish(attemptID: Int64, ending: EndingKind, card: ScoreCard?, at: Date) throws {
        try database.finishAttempt(id: attemptID, ending: ending, card: card, at: at)
    }
}
