import Foundation
import SupportSimCore

#if canImport(Glibc)
import Glibc
#endif

/// What saving a session came to, for its last lines and for the exit code. It never says "saved"
/// about something that is not in the database.
public struct SaveReport: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// Every turn and the ending are in the database.
        case saved(attemptID: Int64)
        /// Some or all of the session is only in the recovery file; `supportsim recover FILE` stores it.
        case inRecoveryFile(path: String, attemptID: Int64?, turnsInDatabase: Int, turns: Int)
        /// Neither the database nor a recovery file could keep the session.
        case lost(reason: String)
    }

    public var outcome: Outcome

    /// Exit code when some or all of the session is only in the recovery file (EX_TEMPFAIL).
    public static let recoveryExitCode: Int32 = 75
    /// Exit code when the session could not be saved anywhere (EX_IOERR).
    public static let lostExitCode: Int32 = 74

    public var exitCode: Int32 {
        switch outcome {
        case .saved: 0
        case .inRecoveryFile: Self.recoveryExitCode
        case .lost: Self.lostExitCode
        }
    }

    /// The command that stores what is in the recovery file, shown on a line of its own so that it can be
    /// copied whole (the message ends with "run:").
    public var recoverCommand: String? {
        if case .inRecoveryFile(let path, _, _, _) = outcome { return "supportsim recover " + path }
        return nil
    }

    public func message(_ strings: UIStrings) -> String {
        switch outcome {
        case .saved(let id): strings.savedAll(attempt: id)
        case .inRecoveryFile(let path, let id, let stored, let turns):
            strings.savedInRecoveryFile(path: path, attempt: id, turnsInDatabase: stored, turns: turns)
        case .lost(let reason): strings.savedNowhere(reason)
        }
    }
}

/// A message for the trainee about saving, already in the interface language (thrown by
/// `ReliableRecorder` and shown by the session as it is).
public struct SaveNotice: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}

/// An `AttemptRecorder` that wraps another (the database) so that a session is never lost silently.
///
/// - Each write is tried `attempts` times with a short, growing pause.
/// - A turn that still cannot be written is kept, with everything else needed to replay the session,
///   in a recovery file (the first of `recoveryDirectories` that can hold it, written atomically),
///   and `record` throws a `SaveNotice` saying so in plain words: every failed turn is reported.
///   Later turns first try to bring the database up to date with the turns it missed.
/// - `saveReport` says at the end exactly what is where (and so which exit code to use). When
///   everything reached the database after all, the recovery file is removed.
///
/// `start(_:)` starts the attempt in the database before the session begins, so that a database that
/// cannot be written stops the session before the ticket is shown; `begin` then returns that attempt.
public final class ReliableRecorder: AttemptRecorder {
    private let base: any AttemptRecorder
    private let trainee: String
    private let database: String?
    private let directories: [URL]
    private let attempts: Int
    private let pause: (Int) -> Void
    private let processID: Int32

    private var started: AttemptStart?
    private var attemptID: Int64?
    private var beginFailure: String?
    private var turns: [Turn] = []
    private var turnsInDatabase = 0
    private var ending: EndingKind?
    private var endedAt: Date?
    private var finishedInDatabase = false
    private var recoveryURL: URL?
    private var recoveryFailure: String?
    private var strings = UIStrings(.en)

    /// - Parameters:
    ///   - base: the recorder that writes to the database.
    ///   - database: the database path, recorded in the recovery file.
    ///   - recoveryDirectories: where a recovery file may go, in order of preference.
    ///   - attempts: how many times each write is tried.
    ///   - pause: called before retry `n` (1-based); by default sleeps 50 ms × n.
    public init(
        base: any AttemptRecorder, trainee: String, database: String?, recoveryDirectories: [URL],
        attempts: Int = 3, pause: @escaping (Int) -> Void = { usleep(UInt32(50_000 * $0)) },
        processID: Int32 = getpid()
    ) {
        self.base = base; self.trainee = trainee; self.database = database
        self.directories = recoveryDirectories; self.attempts = max(1, attempts); self.pause = pause
        self.processID = processID
    }

    /// `<db>.recovery/` beside the database, then `$XDG_STATE_HOME/supportsim/recovery/`
    /// (`~/.local/state/supportsim/recovery/` when the variable is not set).
    public static func recoveryDirectories(database: String, environment: [String: String]) -> [URL] {
        let beside = URL(fileURLWithPath: database + ".recovery", isDirectory: true)
        let state: String
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            state = xdg
        } else {
            state = (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        }
        return [beside, URL(fileURLWithPath: state + "/supportsim/recovery", isDirectory: true)]
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
            writeRecoveryFile()
            guard recoveryURL != nil else {
                throw SaveNotice(description: strings.attemptNotStartedAnywhere(beginFailure!, recoveryFailure ?? ""))
            }
            return Self.unsavedAttemptID
        }
    }

    /// What `begin` returns when the attempt is only in the recovery file.
    public static let unsavedAttemptID: Int64 = 0

    public func record(turn: Turn, attemptID _: Int64, at: Date) throws {
        turns.append(turn)
        let failure = catchUp()
        if failure == nil, recoveryURL == nil { return }
        // The recovery file (once there is one) always holds every turn.
        writeRecoveryFile()
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
                writeRecoveryFile()
                throw SaveNotice(description: strings.saveFailed(Self.reason(error)))
            }
        }
        if recoveryURL != nil { writeRecoveryFile() }
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
            // Everything reached the database after all: the recovery file is not needed.
            if let recoveryURL { try? FileManager.default.removeItem(at: recoveryURL) }
            recoveryURL = nil
            return
        }
        writeRecoveryFile()
        if let failure {
            if let recoveryURL {
                throw SaveNotice(description: strings.endingNotSaved(failure, file: recoveryURL.path))
            }
            throw SaveNotice(description: strings.endingNotSavedAnywhere(failure, recoveryFailure ?? ""))
        }
    }

    public var saveReport: SaveReport? {
        if attemptID != nil, turnsInDatabase == turns.count, recoveryURL == nil,
            ending == nil || finishedInDatabase
        {
            return SaveReport(outcome: .saved(attemptID: attemptID!))
        }
        if let recoveryURL {
            return SaveReport(outcome: .inRecoveryFile(
                path: recoveryURL.path, attemptID: attemptID, turnsInDatabase: turnsInDatabase, turns: turns.count))
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
        if let recoveryURL { return strings.turnNotSaved(index, reason, file: recoveryURL.path) }
        return strings.turnNotSavedAnywhere(index, reason, recoveryFailure ?? "")
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

    /// Writes the whole session to the recovery file, in the first folder that takes it.
    private func writeRecoveryFile() {
        guard let started else { return }
        let file = RecoveryFile(
            trainee: trainee, start: started, attemptID: attemptID, database: database,
            inputs: turns.map { RecoveryFile.Input(turn: $0.index, input: $0.input, elapsed: $0.elapsed) },
            ending: ending, endedAt: endedAt)
        let data: Data
        do { data = try file.encoded() } catch {
            recoveryFailure = "\(error)"
            return
        }
        let name = file.fileName(processID: processID)
        var failures: [String] = []
        for dir in directories {
            let url = dir.appendingPathComponent(name)
            do {
                try RecoveryFile.writeAtomically(data, to: url)
                if let previous = recoveryURL, previous != url { try? FileManager.default.removeItem(at: previous) }
                recoveryURL = url
                recoveryFailure = nil
                return
            } catch {
                failures.append(Self.reason(error))
            }
        }
        // The last good copy (if any) is kept: it holds all but the newest changes.
        recoveryFailure = failures.joined(separator: "; ")
        if let recoveryURL, !FileManager.default.fileExists(atPath: recoveryURL.path) { self.recoveryURL = nil }
    }

    private static func reason(_ error: any Error) -> String {
        String(describing: error)
    }
}
