import Foundation
import SupportSimCore

/// What saving a session came to, for its last lines and for the exit code. It never says "saved"
/// about something that is not in the database.
public struct SaveReport: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// Every turn and the ending are in the database.
        case saved(attemptID: Int64)
        /// Some or all of the session is only in the recovery file; `supportsim recover FILE` stores it.
        case inRecoveryFile(path: String, attemptID: Int64?, turnsInDatabase: Int, turns: Int)
        /// Some or all of the session is only in the local journal (entry `entry` of the journal at
        /// `path`); `command` delivers it to the store. `resultKept` when the ending did not reach the store.
        case inJournal(path: String, entry: Int64, attemptID: Int64?, turnsInDatabase: Int, turns: Int,
                       resultKept: Bool, command: String)
        /// Neither the database nor a recovery file could keep the session.
        case lost(reason: String)
    }

    public var outcome: Outcome

    /// Exit code when some or all of the session is only in a recovery file or the local journal (EX_TEMPFAIL).
    public static let recoveryExitCode: Int32 = 75
    /// Exit code when the session could not be saved anywhere (EX_IOERR).
    public static let lostExitCode: Int32 = 74

    public var exitCode: Int32 {
        switch outcome {
        case .saved: 0
        case .inRecoveryFile, .inJournal: Self.recoveryExitCode
        case .lost: Self.lostExitCode
        }
    }

    /// The command that stores what is in the recovery file or the journal, shown on a line of its own so that it can be
    /// copied whole (the message ends with "run:").
    public var recoverCommand: String? {
        switch outcome {
        case .inRecoveryFile(let path, _, _, _): "supportsim recover " + path
        case .inJournal(_, _, _, _, _, _, let command): command
        case .saved, .lost: nil
        }
    }

    public func message(_ strings: UIStrings) -> String {
        switch outcome {
        case .saved(let id): strings.savedAll(attempt: id)
        case .inRecoveryFile(let path, let id, let stored, let turns):
            strings.savedInRecoveryFile(path: path, attempt: id, turnsInDatabase: stored, turns: turns)
        case .inJournal(let path, _, let id, let stored, let turns, let resultKept, _):
            strings.savedInJournal(path: path, attempt: id, turnsInStore: stored, turns: turns, resultKept: resultKept)
        case .lost(let reason): strings.savedNowhere(reason)
        }
    }
}

/// A message for the trainee about saving, already in the interface language (thrown by
/// `ReliableRecorder` and shown by the session as it is).
public struct SaveNotice: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}
