import Foundation
import GRDB

/// Errors from the attempt database, worded so that the person running the program can act on them.
public enum StoreError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The database file could not be created, opened or brought up to date.
    case cannotOpen(path: String, reason: String)
    /// The database was written by a newer SupportSim; this version does not write to it.
    case newerVersion(path: String, found: Int, known: Int)
    case attemptNotFound(Int64)
    /// Turns can no longer be added once an attempt has ended.
    case attemptAlreadyEnded(Int64)
    /// A completed attempt cannot be reopened to continue it.
    case attemptCompleted(Int64)
    /// A read or write failed (`operation` says which, e.g. "save turn 3 of attempt 12").
    case failed(operation: String, reason: String)
    /// Stored data could not be understood (written by a newer version, or edited by hand).
    case unreadableData(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open the database at \(path): \(reason)"
        case .newerVersion(let path, let found, let known):
            "the database at \(path) was written by a newer SupportSim (schema \(found), this version knows \(known)); "
                + "update SupportSim, or use --db to choose another file"
        case .attemptNotFound(let id):
            "there is no attempt #\(id) in the database"
        case .attemptAlreadyEnded(let id):
            "attempt #\(id) has already ended; no more turns can be recorded for it"
        case .attemptCompleted(let id):
            "attempt #\(id) was completed; only an abandoned attempt can be resumed"
        case .failed(let operation, let reason):
            "could not \(operation): \(reason)"
        case .unreadableData(let detail):
            "the database contains data this version cannot read: \(detail)"
        }
    }

    public var errorDescription: String? { description }

    /// A short human reason for any error thrown while talking to SQLite.
    static func reason(_ error: any Error) -> String {
        if let store = error as? StoreError { return store.description }
        guard let db = error as? DatabaseError else {
            return (error as? LocalizedError)?.errorDescription ?? "\(error)"
        }
        let message = db.message ?? "\(db.resultCode)"
        switch db.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return "\(message) (another session kept the database busy for too long; try again)"
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN:
            return "\(message) (check that the file and its directory are writable)"
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return "\(message) (the file is not a usable SupportSim database)"
        case .SQLITE_FULL:
            return "\(message) (the disk is full)"
        default:
            return message
        }
    }
}
