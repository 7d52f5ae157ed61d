import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimLexicons
import SupportSimREPL
import SupportSimStore

struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an interrupted (abandoned) attempt from where it stopped.",
        discussion: """
        The stored turns are replayed with the attempt's seed and recorded times (turns taken back \
        with /retry are left out), so the conversation is in the same state as before the \
        interruption; new turns are recorded on the same attempt, and finishing completes it. \
        Without ATTEMPT, the trainee's latest abandoned attempt is resumed.
        """
    )

    @Argument(help: "The attempt number (see `supportsim report`); default: your latest abandoned attempt.")
    var attempt: Int64?

    @Flag(name: .long, help: "Resume even though the scenario changed since the attempt was played.")
    var force = false

    @OptionGroup var options: SessionOptions

    @Option(name: .long, help: "Interface language: en or ru (default: the attempt's, else from the locale).")
    var lang: Language?

    func run() throws {
        // From the start: a signal while the scenario and the database load is handled like one at
        // the prompt (the session then ends at its first read and the attempt is kept).
        TerminalSignals.install()
        let path = RunEnvironment.databasePath(options.db)
        let database = try SessionLauncher.openForWriting(path, language: lang ?? RunEnvironment.interfaceLanguage(nil, fallback: .en))
        SessionLauncher.deliverKeptSessions(databasePath: path, remoteStore: SessionLauncher.isRemote(database), scenarios: options.scenarios,
                                            language: lang ?? RunEnvironment.interfaceLanguage(nil, fallback: .en))
        let trainee = RunEnvironment.trainee(options.trainee)
        let record: AttemptRecord
        if let attempt {
            guard let found = try database.attempt(id: attempt) else {
                throw UserError("There is no attempt #\(attempt); see `supportsim report` for the attempts.")
            }
            record = found
        } else {
            guard let latest = try database.latestAbandonedAttempt(trainee: trainee) else {
                throw UserError("\(trainee) has no abandoned attempt to resume; start one with `supportsim play`.")
            }
            record = latest
        }
        guard record.status == .abandoned else {
            throw UserError("Attempt #\(record.id) was completed; only an abandoned attempt can be resumed.")
        }

        let scenario = try SessionLauncher.loadScenario(record.scenarioID, scenarios: options.scenarios)
        let resume = try SessionLauncher.resumePoint(record, database: database)
        if scenario.version != record.scenarioVersion, !force {
            throw UserError("""
                Attempt #\(record.id) was played on version \(record.scenarioVersion) of \(record.scenarioID); \
                the scenario is now version \(scenario.version), so the replay may not reach the same state. \
                Add --force to resume it anyway, or start a new attempt with `supportsim play \(record.scenarioID)`.
                """)
        }
        guard let mode = record.mode.known else {
            throw UserError("Attempt #\(record.id) has a mode this version does not know (\(record.mode)); it cannot be resumed.")
        }
        let meaning = MeaningSupport.index(for: scenario)
        if !force, let turn = Engine.firstReplayDifference(scenario: scenario, seed: record.seed,
                                                          analyzer: BundledLexicons.analyzer, mode: mode,
                                                          meaning: meaning,
                                                          tone: meaning == nil ? nil : MeaningSupport.tone(language: scenario.language),
                                                          turns: resume.turns) {
            throw UserError("""
                Replaying attempt #\(record.id) gives a different conversation from turn \(turn) on (the scenario \
                or the scoring rules changed). Add --force to resume it anyway, or start a new attempt.
                """)
        }
        try database.reopenAttempt(id: record.id)
        let language = lang ?? record.interfaceLanguage?.known ?? RunEnvironment.interfaceLanguage(nil, fallback: scenario.language)
        try SessionLauncher.run(scenario: scenario, seed: record.seed, mode: mode, language: language,
                                database: database, databasePath: path, trainee: record.trainee,
                                reader: SessionLauncher.reader(for: scenario, language: language), resume: resume,
                                resumedStart: record.startedAt, meaning: meaning)
    }
}
