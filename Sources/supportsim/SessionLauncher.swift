import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimLexicons
import SupportSimREPL
import SupportSimSpelling
import SupportSimStore

#if canImport(Glibc)
import Glibc
#endif

/// Starts a play session (new or resumed) with the real terminal, database and scorers; shared by
/// `play` and `resume`.
enum SessionLauncher {
    static func loadScenario(_ idOrPath: String, scenarios: String?) throws -> Scenario {
        try loadScenarioFile(idOrPath, scenarios: scenarios).scenario
    }

    /// The scenario and the file it came from; a scenario with errors prints its diagnostics and stops.
    static func loadScenarioFile(_ idOrPath: String, scenarios: String?) throws -> (scenario: Scenario, path: String) {
        let loaded = try ScenarioLibrary.resolve(scenarios).find(idOrPath)
        guard let scenario = loaded.result.scenario else {
            printDiagnostics(loaded.result.diagnostics, file: loaded.url.path, source: loaded.source)
            throw UserError("The scenario has errors; fix them (see `supportsim lint \(loaded.url.path)`).")
        }
        return (scenario, loaded.url.path)
    }

    /// The content hash recorded with an attempt (`ScenarioContentHash`); nil when the file cannot be read again.
    static func contentHash(ofFile path: String) -> String? {
        (try? Data(contentsOf: URL(fileURLWithPath: path))).map { ScenarioContentHash.of(bytes: $0) }
    }

    /// The scoring of a session: the bundled lexicons, and Hunspell when the scenario scores spelling.
    static func scoring(for scenario: Scenario) -> ScoringPipeline {
        var spellChecker: (any SpellChecker)?
        if scenario.scoring.spelling != nil {
            do { spellChecker = try HunspellChecker(languages: [scenario.language]) } catch {
                FileHandle.standardError.write(Data("warning: spelling is not scored: \(error)\n".utf8))
            }
        }
        return .standard(analyzer: BundledLexicons.analyzer, spellChecker: spellChecker)
    }

    /// The line reader for a session: history per interface language (and per scenario when asked).
    static func reader(for scenario: Scenario, language: Language, historyPerScenario: Bool = false) -> any LineReader {
        LineReaderFactory.make(
            historyPath: LineReaderFactory.defaultHistoryPath(
                environment: RunEnvironment.variables, language: language, scenarioID: scenario.id,
                perScenario: historyPerScenario),
            completions: scenario.knowledgeBase.map(\.id) + scenario.referrals.map(\.id))
    }

    /// The stored turns of an attempt that a resume replays: those not taken back, in order.
    static func resumePoint(_ attempt: AttemptRecord, database: any AttemptStore) throws -> ResumePoint {
        let turns = try database.turns(attemptID: attempt.id).filter { !$0.retracted }.map(\.turn)
        return ResumePoint(attemptID: attempt.id, turns: turns)
    }

    /// True for a store on a server (PostgreSQL): its sessions keep what it did not take in the local journal.
    static func isRemote(_ store: any AttemptStore) -> Bool { !(store is AttemptDatabase) }

    /// Exit code when the session did not start because its attempt could not be stored (EX_CANTCREAT).
    static let notStartedExitCode: Int32 = 73

    /// Opens the database for writing a session; a database that cannot be opened for writing stops
    /// here with exit code 73, before anything is shown.
    static func openForWriting(_ path: String, language: Language) throws -> any AttemptStore {
        do { return try StoreAccess.openForWriting(path) } catch {
            refuseToStart(path, language: language, error)
        }
    }

    static func refuseToStart(_ path: String, language: Language, _ error: any Error) -> Never {
        let message = UIStrings(language).cannotStart(database: PostgresURL.redact(path), reason: String(describing: error))
        FileHandle.standardError.write(Data(("Error: " + TerminalText.sanitize(message) + "\n").utf8))
        exit(notStartedExitCode)
    }

    /// Where a session the store does not take is kept.
    ///
    /// - A local SQLite database: recovery files (`<db>.recovery/`, then the state folder), unless
    ///   `SUPPORTSIM_JOURNAL=1` asks for the journal.
    /// - A remote store (`remoteStore`, e.g. a PostgreSQL server): the local session journal, falling
    ///   back to recovery files in the state folder when the journal cannot be used.
    static func recoveryKeeper(databasePath: String, remoteStore: Bool) -> any RecoveryKeeper {
        let environment = RunEnvironment.variables
        if !remoteStore, !RunEnvironment.journalForLocalDatabase {
            return RecoveryFilesKeeper(
                directories: ReliableRecorder.recoveryDirectories(database: databasePath, environment: environment),
                processID: getpid())
        }
        let target = journalTarget(databasePath, remoteStore: remoteStore)
        let files = remoteStore
            ? [LocalState.recoveryDirectory(environment: environment)]
            : ReliableRecorder.recoveryDirectories(database: databasePath, environment: environment)
        return FirstAvailableKeeper([
            JournalKeeper(path: RunEnvironment.journalPath, target: target),
            RecoveryFilesKeeper(directories: files, processID: getpid()),
        ])
    }

    /// Called once the store is open for a session (`play`, `resume`), before its attempts are looked at:
    /// when sessions on this store use the journal, the entries it kept for this store are delivered
    /// first (the store can be reached now), and entries left over are counted with the command.
    static func deliverKeptSessions(databasePath: String, remoteStore: Bool = false, scenarios: String?,
                                    language: Language) {
        guard remoteStore || RunEnvironment.journalForLocalDatabase else { return }
        JournalDelivery.deliverPending(target: journalTarget(databasePath, remoteStore: remoteStore),
                                       scenarios: scenarios, language: language)
    }

    /// The store as the journal names it: a server URL as given (the journal drops any password), a
    /// database path made absolute, so that `recover --journal` finds it from any folder.
    static func journalTarget(_ databasePath: String, remoteStore: Bool) -> String {
        remoteStore ? databasePath : URL(fileURLWithPath: databasePath).standardizedFileURL.path
    }

    /// Plays a session (a new attempt, or `resume`) through a `ReliableRecorder` over the database:
    /// a new attempt is started before the ticket is shown, and the exit code says what was saved.
    @discardableResult
    static func run(scenario: Scenario, seed: UInt64, mode: PlayMode, language: Language,
                    database: any AttemptStore, databasePath: String, trainee: String, reader: any LineReader,
                    resume: ResumePoint? = nil, resumedStart: Date? = nil,
                    meaning: MeaningIndex? = nil, scenarioHash: String? = nil) throws -> SessionOutcome {
        let recorder = ReliableRecorder(
            base: DatabaseRecorder(database: database, trainee: trainee, line: scenario.line, tags: scenario.tags,
                                   scenarioHash: scenarioHash),
            trainee: trainee, database: SessionJournal.redactedTarget(databasePath),
            keeper: recoveryKeeper(databasePath: databasePath, remoteStore: isRemote(database)))
        let start = AttemptStart(
            scenarioID: scenario.id, scenarioTitle: scenario.title, scenarioVersion: scenario.version,
            language: scenario.language, mode: mode, seed: seed, startedAt: resumedStart ?? Date(),
            interfaceLanguage: language)
        if let resume {
            recorder.resume(start, attemptID: resume.attemptID, storedTurns: resume.turns)
        } else {
            do { try recorder.start(start) } catch { refuseToStart(database.location, language: language, error) }
        }
        let session = PlaySession(
            scenario: scenario, seed: seed, mode: mode, interfaceLanguage: language, reader: reader,
            output: .standardOutput(), recorder: recorder,
            scoring: scoring(for: scenario), resume: resume, meaning: meaning,
            tone: meaning == nil ? nil : MeaningSupport.tone(language: language))
        let outcome = session.run()
        if let signal = outcome.signal ?? TerminalSignals.terminatingSignal { throw ExitCode(128 + signal) }
        if let report = recorder.saveReport, report.exitCode != 0 { throw ExitCode(report.exitCode) }
        return outcome
    }
}

/// Stores a played session through the attempts store.
struct DatabaseRecorder: AttemptRecorder {
    let database: any AttemptStore
    let trainee: String
    /// The scenario's line and tags, stored with the attempt for report filters.
    var line: SupportLine? = nil
    var tags: [String] = []
    /// SHA-256 of the scenario file, recorded with a new attempt.
    var scenarioHash: String? = nil

    func begin(_ attempt: AttemptStart) throws -> Int64 {
        try database.startAttempt(NewAttempt(
            trainee: trainee, scenarioID: attempt.scenarioID, scenarioTitle: attempt.scenarioTitle,
            scenarioVersion: attempt.scenarioVersion, language: attempt.language,
            mode: attempt.mode, seed: attempt.seed, startedAt: attempt.startedAt,
            interfaceLanguage: attempt.interfaceLanguage, line: line, tags: tags, scenarioHash: scenarioHash,
            scorerVersion: ScorerVersion.current))
    }

    func record(turn: Turn, attemptID: Int64, at: Date) throws {
        try database.recordTurn(attemptID: attemptID, turn: turn, at: at)
    }

    func retract(attemptID: Int64, fromIndex: Int) throws {
        try database.retractTurns(attemptID: attemptID, fromIndex: fromIndex)
    }

    func finish(attemptID: Int64, ending: EndingKind, card: ScoreCard?, at: Date) throws {
        try database.finishAttempt(id: attemptID, ending: ending, card: card, finalNode: nil, at: at)
    }

    func finish(attemptID: Int64, ending: EndingKind, card: ScoreCard?, finalNode: String, at: Date) throws {
        try database.finishAttempt(id: attemptID, ending: ending, card: card, finalNode: finalNode, at: at)
    }
}
