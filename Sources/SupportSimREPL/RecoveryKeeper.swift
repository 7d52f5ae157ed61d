import Foundation

/// Where a session that the store did not (wholly) take is kept.
public enum KeptPlace: Sendable, Equatable {
    /// A recovery file (`supportsim recover FILE`).
    case file(path: String)
    /// Entry `entry` of the local journal at `path`; `deliverCommand` delivers it.
    case journal(path: String, entry: Int64, deliverCommand: String)
}

/// Why a keeper could not keep the session, in the system's words.
public struct KeepFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Keeps a session that the store did not take, until it can be delivered (`supportsim recover`).
///
/// A keeper holds one session: each `keep` replaces the copy kept before, whole, so that what is
/// kept is always a session as it stood after some turn. When `keep` fails, the last good copy (if
/// any) stays where it was and `place` still names it.
public protocol RecoveryKeeper: AnyObject {
    /// Where the last good copy is; nil when nothing is kept.
    var place: KeptPlace? { get }
    /// Keeps the whole session and says where; throws a `KeepFailure` when it cannot.
    @discardableResult
    func keep(_ session: RecoveryFile) throws -> KeptPlace
    /// Removes the kept copy (everything reached the store after all).
    func discard()
    /// Why the keepers preferred to this one could not be used for the last `keep` (a keeper that
    /// falls back to another says so); empty when the first choice was used.
    var fallbackReasons: [String] { get }
}

extension RecoveryKeeper {
    public var fallbackReasons: [String] { [] }
}

/// Where SupportSim keeps a user's local state: `$XDG_STATE_HOME/supportsim`, else
/// `~/.local/state/supportsim` (recovery files and the session journal).
public enum LocalState {
    public static func directory(environment: [String: String]) -> String {
        let state: String
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            state = xdg
        } else {
            state = (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        }
        return state + "/supportsim"
    }

    /// The session journal: `<state>/journal.sqlite`.
    public static func journalPath(environment: [String: String]) -> String {
        directory(environment: environment) + "/journal.sqlite"
    }

    /// The recovery folder in the state directory: `<state>/recovery`.
    public static func recoveryDirectory(environment: [String: String]) -> URL {
        URL(fileURLWithPath: directory(environment: environment) + "/recovery", isDirectory: true)
    }
}
