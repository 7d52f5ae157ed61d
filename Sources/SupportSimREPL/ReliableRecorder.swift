import Foundation
import SupportSimCore

#if canImport(Glibc)
import Glibc
#endif

/// An `AttemptRecorder` that wraps another (the database) so that a session is never lost silently.
///
/// - Each write is tried `attempts` times with a short, growing pause.
/// - A turn that still cannot be written is kept, with everything else needed to replay the session,
///   by a `RecoveryKeeper` (a recovery file in the first of `recoveryDirectories` that can hold it,
///   written atomically, or an entry of the local session journal), and `record` throws a
///   `SaveNotice` saying so in plain words: every failed turn is reported. Later turns first try to
///   bring the database up to date with the turns it missed, in order.
/// - `saveReport` says at the end exactly what is where (and so which exit code to use). When
///   everything reached the database after all, the kept copy is removed.
///
/// `start(_:)` starts the attempt in the database before the session begins, so that a database that
/// cannot be written stops the session before the ticket is shown; `begin` then returns that attempt.
public final class ReliableRecorder: AttemptRecorder {
    private let base: any AttemptRecorder
    private let trainee: String
    private let database: String?
    private let keeper: any RecoveryKeeper
    private let attempts: Int
    private let pause: (Int) -> Void

    private var started: AttemptStart?
    private var attemptID: Int64?
    private var beginFailure: String?
    private var turns: [Turn] = []
    private var turnsInDatabase = 0
    private var ending: EndingKind?
    private var endedAt: Date?
    private var finishedInDatabase = false
    /// Why the last `keep` failed (nil when it worked).
    private var recoveryFailure: String?
    /// The fallback reasons already told to the trainee.
    private var toldFallback: [String] = []
    /// A note for the trainee that is not a failure (`takeNotice`).
    private var notice: String?
    private var strings = UIStrings(.en)

    /// - Parameters:
    ///   - base: the recorder that writes to the database.
    ///   - database: the database path, recorded in the recovery file.
    ///   - recoveryDirectories: where a recovery file may go, in order of preference.
    ///   - attempts: how many times each write is tried.
    ///   - pause: called before retry `n` (1-based); by default sleeps 50 ms × n.
    public convenience init(
        base: any AttemptRecorder, trainee: String, database: String?, recoveryDirectories: [URL],
        attempts: Int = 3, pause: @escaping (Int) -> Void = { usleep(UInt32(50_000 * $0)) },
        processID: Int32 = getpid()
    ) {
        self.init(base: base, trainee: trainee, database: database,
                  keeper: RecoveryFilesKeeper(directories: recoveryDirectories, processID: processID),
                  attempts: attempts, pause: pause)
    }

    /// - Parameters:
    ///   - keeper: where the session is kept when the database does not take it.
    public init(
        base: any AttemptRecorder, trainee: String, database: String?, keeper: any RecoveryKeeper,
        attempts: Int = 3, pause: @escaping (Int) -> Void = { usleep(UInt32(50_000 * $0)) }
    ) {
        self.base = base; self.trainee = trainee; self.database = database
        self.keeper = keeper; self.attempts = max(1, attempts); self.pause = pause
    }

    /// `<db>.recovery/` beside the database, then `$XDG_STATE_HOME/supportsim/recovery/`
    /// (`~/.local/state/supportsim/recovery/` when the variable is not set; `LocalState`).
    public static func recoveryDirectories(database: String, environment: [String: String]) -> [URL] {
        let beside = URL(fileURLWithPath: database + ".recovery", isDirectory: true)
        return [beside, LocalState.recoveryDirectory(environment: environment)]
    }

    /// Starts the attempt in the database now; throws (after the retries) when that is not possible,
    /// so that the caller can refuse to start the session.
    @discardableResult
    public func start(_ attempt: AttemptStart) throws -> Int64 {
        started = attempt
        strings = UIStrings(attempt.interfaceLanguage)
        let id = try retrying { try base.begin(attempt) }
        attemptID = id
        return id
    }

    /// Continues an attempt already in the database (`resume`): its stored turns are kept so that a
    /// recovery file, if one is needed, holds the whole session.
    public func resume(_ attempt: AttemptStart, attemptID: Int64, storedTurns: [Turn]) {
        started = attempt
        strings = UIStrings(attempt.interfaceLanguage)
        self.attemptID = attemptID
        turns = storedTurns
        turnsInDatabase = storedTurns.count
    }

    // MARK: - AttemptRecorder

    public func begin(_ attempt: AttemptStart) throws -> Int64 {
        if let attemptID, started?.scenarioID == attempt.scenarioID, started?.seed == attempt.seed { return attemptID }
        started = attempt
        strings = UIStrings(attempt.interfaceLanguage)
        do {
            let id = try retrying { try base.begin(attempt) }
            attemptID = id
            return id
        } catch {
            // The session goes on; everything it plays is kept in the recovery file only, and every
            // turn says so. Without a recovery file either, nothing can be kept.
            beginFailure = Self.reason(error)
            keepSession()
            guard keeper.place != nil else {
                throw SaveNotice(description: strings.attemptNotStartedAnywhere(beginFailure!, recoveryFailure ?? ""))
            }
            return Self.unsavedAttemptID
        }
    }

    /// What `begin` returns when the attempt is only in the recovery file.
    public static let unsavedAttemptID: Int64 = 0

    public func record(turn: Turn, attemptID _: Int64, at: Date) throws {
        turns.append(turn)
        let before = turnsInDatabase
        let failure = catchUp()
        if failure == nil, keeper.place == nil { return }
        if failure == nil, case .journal = keeper.place, turnsInDatabase - before > 1 {
            // The store is back: the trainee, told that turns were kept locally, is told they reached it.
            notice = strings.journalTurnsDelivered(turnsInDatabase - before - 1)
        }
        // The kept copy (once there is one) always holds every turn.
        keepSession()
        guard let failure else { return }
        throw SaveNotice(description: noticeForTurn(turn.index, failure))
    }

    /// `/retry`: the database marks the turns taken back; the recovery file keeps only the standing ones.
    public func retract(attemptID _: Int64, fromIndex: Int) throws {
        let standing = turns.filter { $0.index < fromIndex }
        let storedTaken = turnsInDatabase - turns.prefix(turnsInDatabase).filter { $0.index < fromIndex }.count
        turns = standing
        turnsInDatabase -= storedTaken
        if storedTaken > 0, let attemptID {
            do { try retrying { try base.retract(attemptID: attemptID, fromIndex: fromIndex) } } catch {
                keepSession()
                throw SaveNotice(description: strings.saveFailed(Self.reason(error)))
            }
        }
        if keeper.place != nil { keepSession() }
    }

    public func finish(attemptID: Int64, ending: EndingKind, card: ScoreCard?, at: Date) throws {
        try finishKeeping(ending: ending, card: card, finalNode: nil, at: at)
    }

    public func finish(attemptID _: Int64, ending: EndingKind, card: ScoreCard?, finalNode: String, at: Date) throws {
        try finishKeeping(ending: ending, card: card, finalNode: finalNode, at: at)
    }

    private func finishKeeping(ending: EndingKind, card: ScoreCard?, finalNode: String?, at: Date) throws {
        self.ending = ending
        endedAt = at
        var failure = catchUp()
        if failure == nil, let attemptID {
            do {
                try retrying {
                    if let finalNode {
                        try base.finish(attemptID: attemptID, ending: ending, card: card, finalNode: finalNode, at: at)
                    } else {
                        try base.finish(attemptID: attemptID, ending: ending, card: card, at: at)
                    }
                }
                finishedInDatabase = true
            } catch {
                failure = Self.reason(error)
            }
        }
        if failure == nil, finishedInDatabase {
            // Everything reached the database after all: the kept copy is not needed.
            keeper.discard()
            return
        }
        keepSession()
        if let failure {
            switch keeper.place {
            case .file(let path):
                throw SaveNotice(description: fallbackNote() + strings.endingNotSaved(failure, file: path))
            case .journal:
                throw SaveNotice(description: fallbackNote() + strings.endingKeptInJournal(failure))
            case nil:
                throw SaveNotice(description: strings.endingNotSavedAnywhere(failure, recoveryFailure ?? ""))
            }
        }
    }

    public func takeNotice() -> String? {
        defer { notice = nil }
        return notice
    }

    public var saveReport: SaveReport? {
        if attemptID != nil, turnsInDatabase == turns.count, keeper.place == nil,
            ending == nil || finishedInDatabase
        {
            return SaveReport(outcome: .saved(attemptID: attemptID!))
        }
        switch keeper.place {
        case .file(let path):
            return SaveReport(outcome: .inRecoveryFile(
                path: path, attemptID: attemptID, turnsInDatabase: turnsInDatabase, turns: turns.count))
        case .journal(let path, let entry, let command):
            return SaveReport(outcome: .inJournal(
                path: path, entry: entry, attemptID: attemptID, turnsInDatabase: turnsInDatabase, turns: turns.count,
                resultKept: ending != nil && !finishedInDatabase, command: command))
        case nil:
            break
        }
        return SaveReport(outcome: .lost(reason: recoveryFailure ?? beginFailure ?? "unknown"))
    }

    // MARK: - Helpers

    /// Writes the turns the database has not got yet, in order. Returns why it stopped, or nil.
    private func catchUp() -> String? {
        guard let attemptID else { return beginFailure ?? "the attempt was not started" }
        while turnsInDatabase < turns.count {
            let turn = turns[turnsInDatabase]
            do {
                try retrying { try base.record(turn: turn, attemptID: attemptID, at: Date()) }
            } catch {
                return Self.reason(error)
            }
            turnsInDatabase += 1
        }
        return nil
    }

    private func noticeForTurn(_ index: Int, _ reason: String) -> String {
        switch keeper.place {
        case .file(let path): return fallbackNote() + strings.turnNotSaved(index, reason, file: path)
        case .journal: return fallbackNote() + strings.turnKeptInJournal(index, reason)
        case nil: return strings.turnNotSavedAnywhere(index, reason, recoveryFailure ?? "")
        }
    }

    /// Why the preferred keeper (the journal) was passed over, told once per reason, on a line of its own.
    private func fallbackNote() -> String {
        let new = keeper.fallbackReasons.filter { !toldFallback.contains($0) }
        guard !new.isEmpty else { return "" }
        toldFallback += new
        return strings.keptInRecoveryFileInstead(new.joined(separator: "; ")) + "\n"
    }

    private func retrying<T>(_ body: () throws -> T) throws -> T {
        var attempt = 1
        while true {
            do { return try body() } catch {
                guard attempt < attempts else { throw error }
                pause(attempt)
                attempt += 1
            }
        }
    }

    /// Keeps the whole session (recovery file or journal entry), replacing the copy kept before.
    private func keepSession() {
        guard let started else { return }
        let file = RecoveryFile(
            trainee: trainee, start: started, attemptID: attemptID, database: database,
            inputs: turns.map { RecoveryFile.Input(turn: $0.index, input: $0.input, elapsed: $0.elapsed) },
            ending: ending, endedAt: endedAt)
        do {
            try keeper.keep(file)
            recoveryFailure = nil
        } catch {
            // The last good copy (if any) is kept by the keeper: it holds all but the newest changes.
            recoveryFailure = Self.reason(error)
        }
    }

    private static func reason(_ error: any Error) -> String {
        String(describing: error)
    }
}
