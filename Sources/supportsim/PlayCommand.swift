import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimREPL
import SupportSimStore

#if canImport(Glibc)
import Glibc
#endif

struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Play a scenario: talk to the customer, then get a scored debrief.",
        discussion: """
        Type replies to the customer; type /help during the session for the commands. On a terminal, \
        when your last attempt at the scenario was interrupted, play offers to resume it (see \
        `supportsim resume`); --new starts a new attempt without asking.
        Exit codes: 0 everything saved; 73 the attempt could not be started in the database (nothing \
        was played); 74 the session could not be saved anywhere; 75 some or all of it is only in a \
        recovery file (store it with `supportsim recover FILE`) or in the local journal (`supportsim recover \
        --journal`); 128+N ended by signal N.
        Trainer debug mode (--debug, or --start NODE, which implies it): the :where, :vars, :goto \
        NODE, :match "reply" and :help commands at the prompt; the session is never stored as an \
        attempt (the database is not opened) and no recovery file is written; the debrief is shown.
        """
    )

    @Argument(help: "A scenario id (see `supportsim list`) or the path to a scenario file.")
    var scenario: String

    @Flag(name: .long, help: "Exam mode: no feedback until the debrief.")
    var exam = false

    @Flag(name: .customLong("new"), help: "Start a new attempt without offering to resume an interrupted one.")
    var startNew = false

    @Option(name: .long, help: "Seed for the customer's variant lines (default: random); recorded with the attempt.")
    var seed: UInt64?

    @OptionGroup var options: SessionOptions

    @Option(name: .long, help: "Interface language: en or ru (default: from the locale, else the scenario's language).")
    var lang: Language?

    @Flag(name: .long, help: "Trainer debug mode: :where, :vars, :goto NODE, :match \"reply\", :help; nothing is stored.")
    var debug = false

    @Option(name: .long, help: "Start at this node (implies --debug).")
    var start: String?

    @Flag(name: .long, help: "Keep a separate up-arrow history for this scenario (also: SUPPORTSIM_HISTORY_PER_SCENARIO=1).")
    var historyPerScenario = false

    func run() throws {
        // From the start: a signal while the scenario and the database load is handled like one at
        // the prompt (the session then ends at its first read and the attempt is kept).
        TerminalSignals.install()
        let (scenario, scenarioPath) = try SessionLauncher.loadScenarioFile(self.scenario, scenarios: options.scenarios)
        if debug || start != nil {
            return try SessionLauncher.runDebug(
                scenario: scenario, start: start, seed: seed, mode: exam ? .exam : .practice,
                language: RunEnvironment.interfaceLanguage(lang, fallback: scenario.language),
                historyPerScenario: historyPerScenario)
        }
        let trainee = RunEnvironment.trainee(options.trainee)
        let language = RunEnvironment.interfaceLanguage(lang, fallback: scenario.language)
        let path = RunEnvironment.databasePath(options.db)
        let database = try SessionLauncher.openForWriting(path, language: language)
        SessionLauncher.deliverKeptSessions(databasePath: path, remoteStore: SessionLauncher.isRemote(database), scenarios: options.scenarios, language: language)
        var reader = SessionLauncher.reader(for: scenario, language: language, historyPerScenario: historyPerScenario)
        let mode: PlayMode = exam ? .exam : .practice
        let meaning = MeaningSupport.index(for: scenario, language: language)

        // Offer to resume only on a terminal: piped input is never asked a question it did not expect.
        if !startNew, isatty(STDIN_FILENO) != 0,
           let interrupted = try interruptedAttempt(database, trainee: trainee, scenario: scenario, mode: mode) {
            let resume = try SessionLauncher.resumePoint(interrupted, database: database)
            let question = UIStrings(language).resumeOffer(attempt: interrupted.id, turns: resume.turns.count)
            switch reader.readAnswer(prompt: question) {
            case .line(let answer) where !UIStrings(language).isNo(answer):
                try database.reopenAttempt(id: interrupted.id)
                try SessionLauncher.run(scenario: scenario, seed: interrupted.seed, mode: mode,
                                        language: language, database: database, databasePath: path, trainee: trainee,
                                        reader: reader, resume: resume, resumedStart: interrupted.startedAt,
                                        meaning: meaning)
                return
            case .endOfInput, .interrupted:
                return
            default:
                break
            }
        }
        try SessionLauncher.run(scenario: scenario, seed: seed ?? UInt64.random(in: 1...UInt64(UInt32.max)), mode: mode,
                                language: language, database: database, databasePath: path, trainee: trainee,
                                reader: reader, meaning: meaning,
                                scenarioHash: SessionLauncher.contentHash(ofFile: scenarioPath))
    }

    /// The trainee's last attempt at this scenario, when it was interrupted: abandoned (killed,
    /// Ctrl-D or /quit) with at least one turn not taken back, in the same mode and scenario version.
    private func interruptedAttempt(_ database: any AttemptStore, trainee: String, scenario: Scenario,
                                    mode: PlayMode) throws -> AttemptRecord? {
        guard let last = try database.attempts(AttemptFilter(trainee: trainee, scenarioID: scenario.id, limit: 1)).first,
              last.status == .abandoned, last.mode == mode, last.scenarioVersion == scenario.version,
              try database.turns(attemptID: last.id).contains(where: { !$0.retracted })
        else { return nil }
        return last
    }
}
