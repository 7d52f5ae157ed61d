import Foundation
import SupportSimCore

/// What a store of attempts does, whatever keeps it: the embedded SQLite file (`AttemptDatabase`,
/// the default) or a shared PostgreSQL server (`PostgresAttemptStore`, built with the `Postgres`
/// trait). Sessions, reports, `show` and `override` work through this protocol, and the store
/// contract tests run the same checks against every backend.
///
/// Every write is its own transaction: a turn is kept as soon as `recordTurn` returns.
public protocol AttemptStore: Sendable {
    /// Where the attempts are kept, for messages: a file path, or a server URL without its password.
    var location: String { get }

    // MARK: Writes

    /// Stores a new attempt (status `abandoned` until it is finished) and returns its id.
    func startAttempt(_ new: NewAttempt) throws -> Int64
    /// Stores one completed turn in its own transaction. The same turn again (a retry after a lost
    /// answer) is accepted once; another turn with the same index, or any turn of an ended attempt, is refused.
    func recordTurn(attemptID: Int64, turn: Turn, at date: Date) throws
    /// `/retry`: marks the turns from `fromIndex` on as taken back and counts one more retry.
    func retractTurns(attemptID: Int64, fromIndex: Int) throws
    /// Reopens an abandoned attempt so that `resume` can record more turns on it (its end, scores and
    /// evidence are cleared); a completed attempt cannot be reopened.
    func reopenAttempt(id: Int64) throws
    /// Ends an attempt with its scores, pass/fail, evidence and final node.
    func finishAttempt(id: Int64, ending: EndingKind, card: ScoreCard?, finalNode: String?, at date: Date) throws
    /// Stores an attempt kept elsewhere (a recovery file or the session journal) in one transaction;
    /// see `AttemptDatabase.importAttempt`.
    func importAttempt(
        existingID: Int64?, _ new: NewAttempt, turns: [Turn], ending: EndingKind?, card: ScoreCard?,
        finalNode: String?, at date: Date
    ) throws -> ImportResult
    /// A manager's score for one category, stored beside the automatic one.
    @discardableResult
    func addOverride(attemptID: Int64, category: Category, score: Int, reason: String, by: String, at date: Date) throws
        -> ScoreOverride

    // MARK: Reads

    /// Attempts matching `filter`, newest first.
    func attempts(_ filter: AttemptFilter) throws -> [AttemptRecord]
    func attempt(id: Int64) throws -> AttemptRecord?
    /// The stored turns of an attempt in order, including those taken back.
    func turns(attemptID: Int64) throws -> [TurnRecord]
    /// The score evidence of an attempt, in the order it was stored.
    func evidence(attemptID: Int64) throws -> [EvidenceRecord]
    /// Each attempt matching `filter`, streamed: memory does not grow with the number of attempts.
    @discardableResult
    func forEachAttempt(
        _ filter: AttemptFilter, order: AttemptOrder, includePaths: Bool, _ body: (AttemptRow) throws -> Void
    ) throws -> Int
    /// Overrides and rescorings of the attempts given (those with neither are left out).
    func audit(attemptIDs: [Int64]) throws -> [Int64: AttemptAudit]
    /// The ids of the attempts that have an override or a rescoring.
    func auditedAttemptIDs() throws -> [Int64]
    /// Figures per group and mode, computed by the database (`report --by`).
    func groupFigures(_ filter: AttemptFilter, by grouping: AttemptGrouping, reference: Date, trendWindow: Int) throws
        -> [GroupFigures]
    /// The recency-weighted mean of each category per trainee and mode.
    func proficiency(_ filter: AttemptFilter, reference: Date, halfLife: Double) throws -> [Proficiency]
    /// The skills lost most often.
    func weakestSkills(_ filter: AttemptFilter, limit: Int?) throws -> [SkillGap]
}

/// What `importAttempt` did.
public struct ImportResult: Sendable, Equatable {
    public var attemptID: Int64
    /// True when the attempt row was created by the import (it had never reached the store).
    public var created: Bool
    /// The turns the import added (those already stored are kept as they were).
    public var addedTurns: [Int]
    public var finished: Bool

    public init(attemptID: Int64, created: Bool, addedTurns: [Int], finished: Bool) {
        self.attemptID = attemptID; self.created = created; self.addedTurns = addedTurns; self.finished = finished
    }
}

extension AttemptStore {
    /// The trainee's newest abandoned attempt (optionally at one scenario), if any.
    public func latestAbandonedAttempt(trainee: String, scenarioID: String? = nil) throws -> AttemptRecord? {
        try attempts(AttemptFilter(trainee: trainee, scenarioID: scenarioID, status: .abandoned, limit: 1)).first
    }

    /// Everything stored about one attempt, for review; nil when there is no such attempt.
    public func storedAttempt(id: Int64) throws -> StoredAttempt? {
        guard let record = try attempt(id: id) else { return nil }
        let turns = try turns(attemptID: id)
        return StoredAttempt(
            record: record, turns: turns, evidence: try evidence(attemptID: id),
            path: AttemptPath(turns: turns, finalNode: record.finalNode))
    }

    /// The nodes an attempt went through and where it ended; nil when the attempt is not stored.
    public func path(attemptID: Int64) throws -> AttemptPath? {
        guard let record = try attempt(id: attemptID) else { return nil }
        return AttemptPath(turns: try turns(attemptID: attemptID), finalNode: record.finalNode)
    }

    /// Every override of an attempt, oldest first.
    public func overrides(attemptID: Int64) throws -> [ScoreOverride] {
        try audit(attemptIDs: [attemptID])[attemptID]?.overrideHistory ?? []
    }
}

/// Checks shared by every backend before a write, so that both refuse the same things in the same words.
public enum StoreRules {
    public static func checkOverride(attemptID: Int64, score: Int, reason: String) throws -> String {
        guard (0...100).contains(score) else {
            throw StoreError.failed(operation: "override attempt #\(attemptID)", reason: "a score is from 0 to 100, not \(score)")
        }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            throw StoreError.failed(operation: "override attempt #\(attemptID)", reason: "the reason is empty")
        }
        return reason
    }

    /// What importing `turns` into an attempt already stored adds: the turns it lacks, in order.
    /// Nil when the attempt has ended and the import would add nothing (it was imported before).
    /// A stored turn with another input means the session belongs to another attempt, and an ended
    /// attempt cannot get new turns: both throw, so nothing is written.
    public static func turnsToImport(_ turns: [Turn], stored: [Int: TraineeInput], ended: Bool, attemptID: Int64) throws
        -> [Turn]?
    {
        if ended {
            guard turns.allSatisfy({ stored[$0.index] == $0.input }) else { throw StoreError.attemptAlreadyEnded(attemptID) }
            return nil
        }
        var missing: [Turn] = []
        for turn in turns {
            guard let input = stored[turn.index] else { missing.append(turn); continue }
            guard input == turn.input else {
                throw StoreError.failed(
                    operation: "import turn \(turn.index) into attempt #\(attemptID)",
                    reason: "the stored turn has another input; the file belongs to another attempt")
            }
        }
        return missing
    }

    /// The same attempt, as far as an import can tell: the trainee, scenario and seed agree.
    public static func checkImportTarget(_ existingID: Int64, trainee: String, scenarioID: String, seed: Int64, _ new: NewAttempt)
        throws
    {
        guard trainee == new.trainee, scenarioID == new.scenarioID, seed == Int64(bitPattern: new.seed) else {
            throw StoreError.failed(
                operation: "import into attempt #\(existingID)",
                reason: "that attempt is of another trainee, scenario or seed; the file belongs to another database")
        }
    }
}
