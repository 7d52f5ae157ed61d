import Foundation
import SupportSimCore

/// What is known about an attempt when it starts.
public struct AttemptStart: Sendable, Equatable {
    public var scenarioID: String
    public var scenarioTitle: String
    public var scenarioVersion: Int
    /// The scenario's language.
    public var language: Language
    public var mode: PlayMode
    public var seed: UInt64
    public var startedAt: Date
    public var interfaceLanguage: InterfaceLanguage

    public init(scenarioID: String, scenarioTitle: String, scenarioVersion: Int, language: Language, mode: PlayMode,
                seed: UInt64, startedAt: Date, interfaceLanguage: InterfaceLanguage) {
        self.scenarioID = scenarioID; self.scenarioTitle = scenarioTitle; self.scenarioVersion = scenarioVersion
        self.language = language; self.mode = mode; self.seed = seed; self.startedAt = startedAt
        self.interfaceLanguage = interfaceLanguage
    }
}

/// Keeps attempts as they are played: each turn is recorded as soon as it is played, so a
/// killed process loses no completed turn.
public protocol AttemptRecorder {
    /// Starts an attempt and returns its id.
    func begin(_ attempt: AttemptStart) throws -> Int64
    func record(turn: Turn, attemptID: Int64, at: Date) throws
    /// Takes back the turns from `fromIndex` on (`/retry`): they stay stored, marked retracted,
    /// and the attempt counts one more retry.
    func retract(attemptID: Int64, fromIndex: Int) throws
    /// `card` is nil only when scoring was not possible.
    func finish(attemptID: Int64, ending: EndingKind, card: ScoreCard?, at: Date) throws
    /// As `finish(attemptID:ending:card:at:)`, also keeping the node where the conversation ended.
    func finish(attemptID: Int64, ending: EndingKind, card: ScoreCard?, finalNode: String, at: Date) throws
    /// What was saved where, for the session's last lines and the exit code; nil when the recorder
    /// does not keep track (the session then says only "saved" or "not saved").
    var saveReport: SaveReport? { get }
    /// False for a recorder that keeps the attempt only for the session itself (`supportsim
    /// record` writes a transcript instead): the session then never says an attempt was saved.
    var stores: Bool { get }
    /// A note for the trainee after a write that worked (e.g. turns kept locally reached the store
    /// again), taken once; nil when there is none.
    func takeNotice() -> String?
}

extension AttemptRecorder {
    public var saveReport: SaveReport? { nil }
    public var stores: Bool { true }
    public func takeNotice() -> String? { nil }

    /// A recorder that does not keep the final node finishes as without it.
    public func finish(attemptID: Int64, ending: EndingKind, card: ScoreCard?, finalNode: String, at: Date) throws {
        try finish(attemptID: attemptID, ending: ending, card: card, at: at)
    }
}

/// Keeps attempts in memory (tests, and sessions that are not to be saved).
public final class InMemoryAttemptRecorder: AttemptRecorder {
    public struct Attempt: Sendable, Equatable {
        public var id: Int64
        public var start: AttemptStart
        public var turns: [Turn] = []
        /// Indices of the turns taken back with `/retry`.
        public var retracted: Set<Int> = []
        public var retries = 0
        public var ending: EndingKind?
        public var card: ScoreCard?
        public var finishedAt: Date?
        public var finalNode: String?
    }

    public private(set) var attempts: [Attempt] = []
    private var nextID: Int64

    public let stores: Bool

    /// - stores: false when nothing outside the process keeps the attempt (`supportsim record`).
    public init(firstID: Int64 = 1, stores: Bool = true) { self.nextID = firstID; self.stores = stores }

    public func begin(_ attempt: AttemptStart) throws -> Int64 {
        defer { nextID += 1 }
        attempts.append(Attempt(id: nextID, start: attempt))
        return nextID
    }

    public func record(turn: Turn, attemptID: Int64, at: Date) throws {
        guard let i = attempts.firstIndex(where: { $0.id == attemptID }) else { throw UnknownAttempt(id: attemptID) }
        attempts[i].turns.append(turn)
    }

    public func retract(attemptID: Int64, fromIndex: Int) throws {
        guard let i = attempts.firstIndex(where: { $0.id == attemptID }) else { throw UnknownAttempt(id: attemptID) }
        attempts[i].retracted.formUnion(attempts[i].turns.map(\.index).filter { $0 >= fromIndex })
        attempts[i].retries += 1
    }

    /// The turns not taken back, in order.
    public func activeTurns(attemptID: Int64) -> [Turn] {
        guard let a = attempts.first(where: { $0.id == attemptID }) else { return [] }
        return a.turns.filter { !a.retracted.contains($0.index) }
    }

    public func finish(attemptID: Int64, ending: EndingKind, card: ScoreCard?, at: Date) throws {
        guard let i = attempts.firstIndex(where: { $0.id == attemptID }) else { throw UnknownAttempt(id: attemptID) }
        attempts[i].ending = ending
        attempts[i].card = card
        attempts[i].finishedAt = at
    }

    public func finish(attemptID: Int64, ending: EndingKind, card: ScoreCard?, finalNode: String, at: Date) throws {
        try finish(attemptID: attemptID, ending: ending, card: card, at: at)
        if let i = attempts.firstIndex(where: { $0.id == attemptID }) { attempts[i].finalNode = finalNode }
    }

    public struct UnknownAttempt: Error, CustomStringConvertible {
        public var id: Int64
        public var description: String { "no attempt \(id)" }
    }
}
