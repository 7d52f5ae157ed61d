import Foundation
import GRDB
import SupportSimCore

// What the HTML report's "weakest skills" chart reads: the stored lines of evidence that lost
// points (deductions and critical errors), streamed in attempt order.

/// One stored line of evidence that lost points.
public struct LostPointRecord: Sendable, Equatable {
    public var attemptID: Int64
    /// Nil for a critical error, which fails the whole attempt.
    public var category: StoredValue<Category>?
    public var kind: StoredValue<Evidence.Kind>
    public var points: Int
    public var rule: String
    public var message: String

    public init(attemptID: Int64, category: StoredValue<Category>?, kind: StoredValue<Evidence.Kind>, points: Int,
                rule: String, message: String) {
        self.attemptID = attemptID; self.category = category; self.kind = kind; self.points = points
        self.rule = rule; self.message = message
    }
}

extension AttemptDatabase {
    /// Calls `body` with every deduction and critical error stored for the attempts whose ids lie in
    /// `ids` (all attempts when nil), ordered by attempt id then position. Rows are read one at a time
    /// (a cursor), so memory does not grow with the store.
    public func forEachLostPoint(attemptIDs ids: ClosedRange<Int64>? = nil,
                                 _ body: (LostPointRecord) throws -> Void) throws {
        guard hasTables else { return }
        var sql = "SELECT attempt_id, category, kind, points, rule, message FROM evidence WHERE kind IN ('deduction', 'critical')"
        var arguments = StatementArguments()
        if let ids {
            sql += " AND attempt_id BETWEEN ? AND ?"; arguments += [ids.lowerBound, ids.upperBound]
        }
        sql += " ORDER BY attempt_id, position"
        do {
            try Self.retryingWhileBusy {
                try reader.read { db in
                    let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
                    while let row = try rows.next() {
                        try body(LostPointRecord(
                            attemptID: row[0], category: (row[1] as String?).map(StoredValue.init(raw:)),
                            kind: StoredValue(raw: row[2]), points: row[3], rule: row[4], message: row[5]))
                    }
                }
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError.failed(operation: "read the lost points", reason: StoreError.reason(error))
        }
    }
}
