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
        includeLastTurn: Bool = true, _ body: (AttemptRow) throws -> Void
    ) throws -> Int {
        try forEachAttempt(filter, order: order, includePaths: includePaths, includeLastTurn: includeLastTurn,
                           before: { _ in }, body)
    }

    /// `forEachAttempt` as every store has it (`AttemptStore`), with when the last turn was stored.
    @discardableResult
    public func forEachAttempt(
        _ filter: AttemptFilter, order: AttemptOrder, includePaths: Bool, _ body: (AttemptRow) throws -> Void
    ) throws -> Int {
        try forEachAttempt(filter, order: order, includePaths: includePaths, includeLastTurn: true, body)
    }

    /// `forEachAttempt`, with `before` called first in the same read transaction (so that what it reads
    /// and the rows are one snapshot). Called again when the read is retried after "busy".
    func forEachAttempt(
        _ filter: AttemptFilter, order: AttemptOrder, includePaths: Bool, includeLastTurn: Bool,
        before: (Database) throws -> Void, _ body: (AttemptRow) throws -> Void
    ) throws -> Int {
        guard hasTables else { return 0 }
        let schemaHasFacts = hasScenarioFacts
        var (sql, arguments) = Self.attemptQuery(filter, order: order, withLastTurn: includeLastTurn, schemaHasFacts: schemaHasFacts)
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
                    try before(db)
                    // Paths: all the turns of the selection in one query, in the attempts' order, read
                    // alongside the attempts (with a limit, one query per attempt instead).
                    var merged: PathStepStream?
                    var steps: Statement?
                    if includePaths {
                        if filter.limit == nil {
                            merged = try PathStepStream(db, filter: filter, order: order, schemaHasFacts: schemaHasFacts)
                        } else {
                            steps = try db.cachedStatement(sql: try Self.pathStepsSQL(db))
                        }
                    }
                    let statement = try db.makeStatement(sql: sql)
                    let columns = AttemptRecord.ColumnIndexes(statement.columnNames)
                    let lastTurn = includeLastTurn ? statement.index(ofColumn: "last_turn_at") : nil
                    let rows = try Row.fetchCursor(statement, arguments: arguments)
                    while let row = try rows.next() {
                        let record = AttemptRecord(row: row, columns)
                        var path: AttemptPath?
                        if merged != nil {
                            path = try merged!.path(of: record.id, finalNode: record.finalNode)
                        } else if let steps {
                            path = AttemptPath(steps: try Self.pathSteps(steps, attemptID: record.id), finalNode: record.finalNode)
                        }
                        let item = AttemptRow(record: record, lastTurnAt: lastTurn.flatMap { row[$0] }, path: path)
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

    /// The turns of every attempt of a selection, in the order the attempts are listed (then by turn),
    /// read one attempt after the other as the attempts' cursor moves on.
    struct PathStepStream {
        private let rows: RowCursor
        /// The turn the cursor is on (valid until the cursor moves), with its attempt; nil at the end.
        private var current: (attemptID: Int64, row: Row)?

        init(_ db: Database, filter: AttemptFilter, order: AttemptOrder, schemaHasFacts: Bool) throws {
            let columns = Set(try db.columns(in: "turn").map(\.name))
            let pick = { (name: String, otherwise: String) in columns.contains(name) ? "turn.\(name)" : otherwise }
            let (conditions, arguments) = filter.conditions(schemaHasFacts: schemaHasFacts)
            var sql = "SELECT turn.attempt_id, turn.node, \(pick("node_after", "NULL")), \(pick("arrivals", "NULL")), "
                + "\(pick("retracted", "0")) FROM attempt JOIN turn ON turn.attempt_id = attempt.id"
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            switch order {
            case .newestFirst: sql += " ORDER BY attempt.started_at DESC, attempt.id DESC, turn.turn_index"
            case .byID: sql += " ORDER BY attempt.id, turn.turn_index"
            }
            rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            try advance()
        }

        private mutating func advance() throws {
            guard let row = try rows.next() else { current = nil; return }
            current = (row[0] as Int64, row)
        }

        /// The path of the attempt `attemptID`, the next in the attempts' order, from its turns: what
        /// `AttemptPath(steps:finalNode:)` gives, with each text read only where the path needs it.
        mutating func path(of attemptID: Int64, finalNode stored: String?) throws -> AttemptPath {
            var nodes: [String]? = []
            var lastAfter: String?
            var standing = false
            while let (id, row) = current, id == attemptID {
                let retracted = row.hasNull(atIndex: 4) ? false : row[4] as Bool
                if !retracted && nodes != nil {
                    standing = true
                    if row.hasNull(atIndex: 2) {
                        nodes = nil   // a turn stored before paths were: the path is not known
                    } else {
                        if nodes?.isEmpty == true { nodes = [row[1] as String] }
                        if !row.hasNull(atIndex: 3) {
                            guard let arrivals = AttemptDatabase.parseStringArray(row[3] as String) else {
                                throw StoreError.unreadableData("a turn of attempt \(attemptID) has unreadable arrivals")
                            }
                            nodes? += arrivals
                            lastAfter = stored == nil ? row[2] as String : nil
                        } else {
                            let after = row[2] as String
                            if nodes?.last != after { nodes?.append(after) }
                            lastAfter = after
                        }
                    }
                }
                try advance()
            }
            if nodes?.isEmpty == true, let stored { nodes = [stored] }
            return AttemptPath(nodes: nodes, finalNode: stored ?? (nodes == nil || !standing ? nil : lastAfter))
        }
    }

    /// The path steps of one attempt through the prepared statement of `pathStepsSQL`.
    static func pathSteps(_ statement: Statement, attemptID: Int64) throws -> [AttemptPath.PathStep] {
        var steps: [AttemptPath.PathStep] = []
        let rows = try Row.fetchCursor(statement, arguments: [attemptID])
        while let row = try rows.next() {
            var arrivals: [String]?
            if !row.hasNull(atIndex: 2) {
                let json = row[2] as String
                guard let parsed = parseStringArray(json) else {
                    throw StoreError.unreadableData("a turn of attempt \(attemptID) has unreadable arrivals")
                }
                arrivals = parsed
            }
            steps.append(AttemptPath.PathStep(
                node: row[0] as String, nodeAfter: row.hasNull(atIndex: 1) ? nil : row[1] as String, arrivals: arrivals,
                retracted: row.hasNull(atIndex: 3) ? false : row[3] as Bool))
        }
        return steps
    }

    /// A JSON array of strings (`["a","b"]`, as stored for a turn's arrivals); nil when it is not one.
    /// Strings without escapes (node ids) are cut out directly; anything else goes through `JSONDecoder`.
    static func parseStringArray(_ json: String) -> [String]? {
        if json == "[]" { return [] }
        var json = json
        let simple: [String]?? = json.withUTF8 { bytes in
            // Fast path: [ "x" , "y" ] with no backslash inside the strings and no white space outside.
            guard bytes.count >= 2, bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]"),
                !bytes.contains(UInt8(ascii: "\\")) else { return nil }
            var out: [String] = []
            var i = 1
            let end = bytes.count - 1
            while i < end {
                guard bytes[i] == UInt8(ascii: "\"") else { return nil }
                var j = i + 1
                while j < end, bytes[j] != UInt8(ascii: "\"") {
                    if bytes[j] < 0x20 { return nil }
                    j += 1
                }
                guard j < end else { return nil }
                out.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[(i + 1)..<j]), as: UTF8.self))
                i = j + 1
                if i < end {
                    guard bytes[i] == UInt8(ascii: ","), i + 1 < end else { return nil }
                    i += 1
                }
            }
            return .some(out)
        }
        if let simple { return simple }
        return try? JSONDecoder().decode([String].self, from: Data(json.utf8))
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

extension AttemptDatabase {
    /// The number of attempts stored (0 for a database without tables).
    public func attemptCount() throws -> Int {
        guard hasTables else { return 0 }
        return try perform("count the attempts") {
            try reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attempt") ?? 0 }
        }
    }
}

extension AttemptRecord {
    /// Where each column of a statement over `attempt` is (nil when the schema has no such column),
    /// looked up once per statement rather than by name on every row.
    struct ColumnIndexes {
        let id, trainee, scenarioID, scenarioTitle, scenarioVersion, language, interfaceLanguage, mode, seed: Int?
        let startedAt, endedAt, status, ending, correctness, politeness, escalation, spelling, total: Int?
        let passMark, passed, criticalCount, turnCount, retries, finalNode: Int?

        init(_ names: [String]) {
            var index: [String: Int] = [:]
            for (i, name) in names.enumerated() where index[name.lowercased()] == nil { index[name.lowercased()] = i }
            id = index["id"]; trainee = index["trainee"]; scenarioID = index["scenario_id"]
            scenarioTitle = index["scenario_title"]; scenarioVersion = index["scenario_version"]
            language = index["language"]; interfaceLanguage = index["interface_language"]; mode = index["mode"]
            seed = index["seed"]; startedAt = index["started_at"]; endedAt = index["ended_at"]; status = index["status"]
            ending = index["ending"]; correctness = index["correctness"]; politeness = index["politeness"]
            escalation = index["escalation"]; spelling = index["spelling"]; total = index["total"]
            passMark = index["pass_mark"]; passed = index["passed"]; criticalCount = index["critical_count"]
            turnCount = index["turn_count"]; retries = index["retries"]; finalNode = index["final_node"]
        }
    }

    /// The record of a row, its columns found through `columns`: the same values as `init(row:)`.
    /// Each value is read with its concrete type (SQLite's column functions, no generic decoding).
    init(row: Row, _ c: ColumnIndexes) {
        func present(_ i: Int?) -> Int? { i.flatMap { row.hasNull(atIndex: $0) ? nil : $0 } }
        func int(_ i: Int?) -> Int? { present(i).map { row[$0] as Int } }
        func int64(_ i: Int?) -> Int64? { present(i).map { row[$0] as Int64 } }
        func text(_ i: Int?) -> String? { present(i).map { row[$0] as String } }
        func bool(_ i: Int?) -> Bool? { present(i).map { row[$0] as Bool } }
        func date(_ i: Int?) -> Date? { present(i).map { row[$0] as Date } }
        id = int64(c.id) ?? 0
        trainee = text(c.trainee) ?? ""
        scenarioID = text(c.scenarioID) ?? ""
        scenarioTitle = text(c.scenarioTitle) ?? ""
        scenarioVersion = int(c.scenarioVersion) ?? 0
        language = StoredValue(raw: text(c.language) ?? "")
        interfaceLanguage = text(c.interfaceLanguage).map(StoredValue.init(raw:))
        mode = StoredValue(raw: text(c.mode) ?? "")
        seed = UInt64(bitPattern: int64(c.seed) ?? 0)
        startedAt = date(c.startedAt) ?? Date(timeIntervalSince1970: 0)
        endedAt = date(c.endedAt)
        status = StoredValue(raw: text(c.status) ?? "")
        ending = text(c.ending).map(StoredValue.init(raw:))
        correctness = int(c.correctness)
        politeness = int(c.politeness)
        escalation = int(c.escalation)
        spelling = int(c.spelling)
        total = int(c.total)
        passMark = int(c.passMark)
        passed = bool(c.passed)
        criticalCount = int(c.criticalCount) ?? 0
        turnCount = int(c.turnCount) ?? 0
        retries = int(c.retries) ?? 0
        finalNode = text(c.finalNode)
    }
}
