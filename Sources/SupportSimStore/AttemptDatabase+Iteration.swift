import Foundation
import GRDB
import SupportSimCore

/// The order in which attempts are listed.
public enum AttemptOrder: Sendable, Equatable {
    /// Newest first (`started_at`, then id, descending): the order of `report`.
    case newestFirst
    /// By id, oldest first: the order attempts were stored in (exports).
    case byID
}

/// One attempt as the cursor of `forEachAttempt` gives it.
public struct AttemptRow: Sendable, Equatable {
    public var record: AttemptRecord
    /// When the last turn of the attempt was stored; nil when it has none. For an attempt that was
    /// never finished this is the last moment anything happened in it.
    public var lastTurnAt: Date?
    /// The attempt's path through the scenario, when asked for (`includePaths`).
    public var path: AttemptPath?

    public init(record: AttemptRecord, lastTurnAt: Date? = nil, path: AttemptPath? = nil) {
        self.record = record; self.lastTurnAt = lastTurnAt; self.path = path
    }
}

extension AttemptDatabase {
    /// Calls `body` with each attempt matching `filter`, one row at a time, read from the database
    /// as it goes: memory does not grow with the number of attempts (reports and exports of a store
    /// of any size). All rows come from one read transaction, so they are one consistent snapshot
    /// while other sessions go on writing.
    ///
    /// With `includePaths`, each row also carries the attempt's path, read from its turns.
    /// `filter.limit` is honoured. An error thrown by `body` stops the iteration and is rethrown
    /// as it is. SQLite "busy" is retried only before the first row was given, so a row is never
    /// given twice.
    /// - Returns: the number of rows given to `body`.
    @discardableResult
    public func forEachAttempt(
        _ filter: AttemptFilter = .init(), order: AttemptOrder = .newestFirst, includePaths: Bool = false,
        _ body: (AttemptRow) throws -> Void
    ) throws -> Int {
        guard hasTables else { return 0 }
        var (sql, arguments) = Self.attemptQuery(filter, order: order, withLastTurn: true, schemaHasFacts: hasScenarioFacts)
        if let limit = filter.limit {
            sql += " LIMIT ?"; arguments += [max(0, limit)]
        }
        var given = 0
        /// An error of `body`, carried through GRDB untouched.
        struct BodyError: Error { let error: any Error }
        let deadline = Date().addingTimeInterval(Self.busyPatience)
        while true {
            do {
                try reader.read { db in
                    let stepsSQL = includePaths ? try Self.pathStepsSQL(db) : ""
                    let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
                    while let row = try rows.next() {
                        let record = try AttemptRecord(row: row)
                        var path: AttemptPath?
                        if includePaths {
                            path = AttemptPath(
                                steps: try Self.pathSteps(db, stepsSQL, attemptID: record.id), finalNode: record.finalNode)
                        }
                        let item = AttemptRow(record: record, lastTurnAt: row["last_turn_at"], path: path)
                        do {
                            try body(item)
                        } catch {
                            throw BodyError(error: error)
                        }
                        given += 1
                    }
                }
                return given
            } catch let wrapped as BodyError {
                throw wrapped.error
            } catch let error as StoreError {
                throw error
            } catch let error as DatabaseError
                where (error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED) && given == 0
                    && Date() < deadline
            {
                usleep(useconds_t.random(in: 2_000...40_000))
            } catch {
                throw StoreError.failed(operation: "list attempts", reason: StoreError.reason(error))
            }
        }
    }

    /// The columns of an attempt's turns that make its path, in order: only these are read (not the
    /// turns' input and events), which keeps a report with paths fast.
    static func pathSteps(_ db: Database, _ sql: String, attemptID: Int64) throws -> [AttemptPath.PathStep] {
        return try Row.fetchAll(db, sql: sql, arguments: [attemptID]).map { row in
            var arrivals: [String]?
            if let json = row["arrivals"] as String? {
                do {
                    arrivals = try JSONDecoder().decode([String].self, from: Data(json.utf8))
                } catch {
                    throw StoreError.unreadableData("a turn of attempt \(attemptID) has unreadable arrivals (\(error))")
                }
            }
            return AttemptPath.PathStep(node: row["node"], nodeAfter: row["node_after"], arrivals: arrivals,
                                        retracted: row["retracted"] ?? false)
        }
    }

    /// The query of `pathSteps` for this database (older schemas lack some columns: they read as NULL or 0).
    static func pathStepsSQL(_ db: Database) throws -> String {
        let columns = Set(try db.columns(in: "turn").map(\.name))
        let pick = { (name: String, otherwise: String) in columns.contains(name) ? name : "\(otherwise) AS \(name)" }
        return "SELECT node, \(pick("node_after", "NULL")), \(pick("arrivals", "NULL")), \(pick("retracted", "0")) "
            + "FROM turn WHERE attempt_id = ? ORDER BY turn_index"
    }

    /// The SELECT of attempts matching `filter` (without its limit), in `order`, with the number of
    /// turns (`turn_count`) and, with `withLastTurn`, when the last turn was stored (`last_turn_at`).
    static func attemptQuery(
        _ filter: AttemptFilter, order: AttemptOrder, withLastTurn: Bool = false, schemaHasFacts: Bool = true
    ) -> (sql: String, arguments: StatementArguments) {
        let (conditions, arguments) = filter.conditions(schemaHasFacts: schemaHasFacts)
        var sql = attemptSelect
        if withLastTurn {
            sql = sql.replacingOccurrences(
                of: " FROM attempt",
                with: ", (SELECT MAX(recorded_at) FROM turn WHERE turn.attempt_id = attempt.id) AS last_turn_at FROM attempt",
                options: .backwards)
        }
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        switch order {
        case .newestFirst: sql += " ORDER BY started_at DESC, id DESC"
        case .byID: sql += " ORDER BY id"
        }
        return (sql, arguments)
    }
}
