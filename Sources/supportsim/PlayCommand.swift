import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimLexicons
import SupportSimREPL
import SupportSimSpelling
import SupportSimStore

struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Play a scenario: talk to the customer, then get a scored debrief.",
        discussion: "Type replies to the customer; type /help during the session for the commands."
    )

    @Argument(help: "A scenario id (see `supportsim list`) or the path to a scenario file.")
    var scenario: String

    @Flag(name: .long, help: "Exam mode: no feedback until the debrief.")
    var exam = false

    @Option(name: .long, help: "Seed for the customer's variant lines (default: random); recorded with the attempt.")
    var seed: UInt64?

    @Option(name: .long, help: "The trainee's name (default: the login name).")
    var trainee: String?

    @Option(name: .long, help: "The attempts database (default: $XDG_DATA_HOME/supportsim/supportsim.sqlite).")
    var db: String?

    @Option(name: .long, help: "Interface language: en or ru (default: from the locale, else the scenario's language).")
    var lang: Language?

    @Option(name: .long, help: "The scenario folder (default: $SUPPORTSIM_SCENARIOS or ./Scenarios).")
    var scenarios: String?

    @Flag(name: .long, help: "Keep a separate up-arrow history for this scenario (also: SUPPORTSIM_HISTORY_PER_SCENARIO=1).")
    var historyPerScenario = false

    func run() throws {
        let loaded = try ScenarioLibrary.resolve(scenarios).find(scenario)
        guard let scenario = loaded.result.scenario else {
            printDiagnostics(loaded.result.diagnostics, file: loaded.url.path, source: loaded.source)
            throw UserError("The scenario has errors; fix them (see `supportsim lint \(loaded.url.path)`).")
        }
        let database = try AttemptDatabase(path: RunEnvironment.databasePath(db))
        let recorder = DatabaseRecorder(database: database, trainee: RunEnvironment.trainee(trainee))
        let language = RunEnvironment.interfaceLanguage(lang, fallback: scenario.language)
        let reader = LineReaderFactory.make(
            historyPath: LineReaderFactory.defaultHistoryPath(
                language: language, scenarioID: scenario.id, perScenario: historyPerScenario),
            completions: scenario.knowledgeBase.map(\.id))
        var spellChecker: (any SpellChecker)?
        if scenario.scoring.spelling != nil {
            do { spellChecker = try HunspellChecker(languages: [scenario.language]) } catch {
                FileHandle.standardError.write(Data("warning: spelling is not scored: \(error)\n".utf8))
            }
        }
        let session = PlaySession(
            scenario: scenario,
            seed: seed ?? UInt64.random(in: 1...UInt64(UInt32.max)),
            mode: exam ? .exam : .practice,
            interfaceLanguage: language,
            reader: reader,
            output: .standardOutput(),
            recorder: recorder,
            scoring: .standard(analyzer: BundledLexicons.analyzer, spellChecker: spellChecker))
        _ = session.run()
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

    func finish(attemptID: Int64, ending: EndingKind, card: ScoreCard?, at: Date) throws {
        try database.finishAttempt(id: attemptID, ending: ending, card: card, at: at)
    }
}
