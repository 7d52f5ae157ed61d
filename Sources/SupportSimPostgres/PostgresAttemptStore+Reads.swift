#if Postgres
import Foundation
import PostgresNIO
import SupportSimCore
import SupportSimStore

// Reads of the PostgreSQL store: attempts (listed or streamed through a cursor), turns, evidence and audit.

extension PostgresAttemptStore {
    public func attempts(_ filter: AttemptFilter) throws -> [AttemptRecord] {
        var rows: [AttemptRecord] = []
        try forEachAttempt(filter, order: .newestFirst, includePaths: false) { rows.append($0.record) }
        return rows
    }

    public func attempt(id: Int64) throws -> AttemptRecord? {
        try perform("read attempt #\(id)") {
            try link.withConnection { session in
                var s = Statement()
                s.sql = Self.attemptSelect + " WHERE id = \(s.bind(id))"
                return try session.query(s).first.map { try Self.record($0.makeRandomAccess()) }
            }
        }
    }

    public func turns(attemptID: Int64) throws -> [TurnRecord] {
        try perform("read the turns of attempt #\(attemptID)") {
            try link.withConnection { session in
                var s = Statement()
                s.sql = "SELECT * FROM turn WHERE attempt_id = \(s.bind(attemptID)) ORDER BY turn_index"
                return try session.query(s).map { try Self.turn($0.makeRandomAccess()) }
            }
        }
    }

    public func evidence(attemptID: Int64) throws -> [EvidenceRecord] {
        try perform("read the evidence of attempt #\(attemptID)") {
            try link.withConnection { session in
                var s = Statement()
                s.sql = "SELECT * FROM evidence WHERE attempt_id = \(s.bind(attemptID)) ORDER BY position"
                return try session.query(s).map { try Self.evidence($0.makeRandomAccess()) }
            }
        }
    }

    @discardableResult
    public func forEachAttempt(
        _ filter: AttemptFilter, order: AttemptOrder, includePaths: Bool, _ body: (AttemptRow) throws -> Void
    ) throws -> Int {
        var s = Statement()
        s.sql = Self.attemptSelect.replacingOccurrences(
            of: " FROM attempt",
            with: ", (SELECT MAX(recorded_at) FROM turn WHERE turn.attempt_id = attempt.id) AS last_turn_at FROM attempt",
            options: .backwards)
        let conditions = Self.conditions(filter, &s)
        if !conditions.isEmpty { s.sql += " WHERE " + conditions.joined(separator: " AND ") }
        switch order {
        case .newestFirst: s.sql += " ORDER BY started_at DESC, id DESC"
        case .byID: s.sql += " ORDER BY id"
        }
        if let limit = filter.limit { s.sql += " LIMIT \(s.bind(max(0, limit)))" }
        /// An error of `body`, carried through untouched.
        struct BodyError: Error { let error: any Error }
        var given = 0
        do {
            try link.transaction(timeout: PostgresLink.reportStatementTimeout) { session in
                // One snapshot for the whole listing, as the SQLite store reads in one transaction.
                try session.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                try session.forEachRow(s) { row in
                    let record = try Self.record(row)
                    let path = includePaths
                        ? AttemptPath(turns: try Self.pathTurns(session, record.id), finalNode: record.finalNode) : nil
                    let item = AttemptRow(record: record, lastTurnAt: try row.optional("last_turn_at", as: Date.self), path: path)
                    do { try body(item) } catch { throw BodyError(error: error) }
                    given += 1
                }
            }
        } catch let wrapped as BodyError {
            throw wrapped.error
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.failed(operation: "list attempts", reason: PostgresLink.reason(error))
        }
        return given
    }

    public func audit(attemptIDs: [Int64]) throws -> [Int64: AttemptAudit] {
        guard !attemptIDs.isEmpty else { return [:] }
        return try perform("read overrides and rescorings") {
            try link.withConnection { session in
                var result: [Int64: AttemptAudit] = [:]
                var o = Statement()
                o.sql = "SELECT * FROM score_override WHERE attempt_id = ANY(\(o.bind(attemptIDs))) ORDER BY attempt_id, id"
                for row in try session.query(o) {
                    let row = row.makeRandomAccess()
                    let id = try row.value("attempt_id", as: Int64.self)
                    result[id, default: AttemptAudit()].overrideHistory.append(ScoreOverride(
                        id: try row.value("id"), attemptID: id,
                        category: StoredValue(raw: try row.value("category", as: String.self)),
                        score: try row.value("score"), reason: try row.value("reason"),
                        by: try row.value("overridden_by"), at: try row.value("created_at")))
                }
                var r = Statement()
                r.sql = "SELECT * FROM scoring WHERE attempt_id = ANY(\(r.bind(attemptIDs))) ORDER BY attempt_id, id"
                for row in try session.query(r) {
                    let row = row.makeRandomAccess()
                    let id = try row.value("attempt_id", as: Int64.self)
                    result[id, default: AttemptAudit()].rescorings.append(Rescoring(
                        attemptID: id, at: try row.value("created_at"), scorerVersion: try row.value("scorer_version"),
                        scenarioVersion: try row.value("scenario_version"), scenarioHash: try row.optional("scenario_hash"),
                        correctness: try row.optional("correctness"), politeness: try row.optional("politeness"),
                        escalation: try row.optional("escalation"), spelling: try row.optional("spelling"),
                        total: try row.optional("total"), passed: try row.optional("passed"),
                        criticalCount: try row.value("critical_count")))
                }
                return result
            }
        }
    }

    public func auditedAttemptIDs() throws -> [Int64] {
        try perform("read which attempts were overridden or rescored") {
            try link.withConnection { session in
                try session.query(Statement("SELECT attempt_id FROM score_override UNION SELECT attempt_id FROM scoring ORDER BY 1"))
                    .map { try $0.makeRandomAccess().value("attempt_id", as: Int64.self) }
            }
        }
    }

    // MARK: - Rows to records

    static let attemptSelect = """
        SELECT attempt.*, (SELECT COUNT(*) FROM turn WHERE turn.attempt_id = attempt.id) AS turn_count FROM attempt
        """

    /// The SQL conditions of `filter` (joined with AND), each value bound as a parameter.
    static func conditions(_ filter: AttemptFilter, _ s: inout Statement) -> [String] {
        var conditions: [String] = []
        if let trainee = filter.trainee { conditions.append("trainee = \(s.bind(trainee))") }
        if let scenario = filter.scenarioID { conditions.append("scenario_id = \(s.bind(scenario))") }
        if let since = filter.since { conditions.append("started_at >= \(s.bind(since))") }
        if let until = filter.until { conditions.append("started_at < \(s.bind(until))") }
        if let mode = filter.mode { conditions.append("mode = \(s.bind(mode.rawValue))") }
        if let status = filter.status { conditions.append("status = \(s.bind(status.rawValue))") }
        if let line = filter.line { conditions.append("line = \(s.bind(line.rawValue))") }
        if let tag = filter.tag {
            conditions.append(
                "EXISTS (SELECT 1 FROM attempt_tag WHERE attempt_tag.attempt_id = attempt.id AND attempt_tag.tag = \(s.bind(tag)))")
        }
        return conditions
    }

    static func record(_ row: PostgresRandomAccessRow) throws -> AttemptRecord {
        var record = AttemptRecord(
            id: try row.value("id"), trainee: try row.value("trainee"), scenarioID: try row.value("scenario_id"),
            scenarioTitle: try row.value("scenario_title"), scenarioVersion: try row.value("scenario_version"),
            language: .en, mode: .practice, seed: UInt64(bitPattern: try row.value("seed", as: Int64.self)),
            startedAt: try row.value("started_at"), endedAt: try row.optional("ended_at"),
            correctness: try row.optional("correctness"), politeness: try row.optional("politeness"),
            escalation: try row.optional("escalation"), total: try row.optional("total"),
            passMark: try row.optional("pass_mark"), passed: try row.optional("passed"),
            criticalCount: try row.value("critical_count"),
            turnCount: row.contains("turn_count") ? Int(try row.value("turn_count", as: Int64.self)) : 0,
            retries: try row.value("retries"))
        record.language = StoredValue(raw: try row.value("language", as: String.self))
        record.interfaceLanguage = try row.optional("interface_language", as: String.self).map(StoredValue.init(raw:))
        record.mode = StoredValue(raw: try row.value("mode", as: String.self))
        record.status = StoredValue(raw: try row.value("status", as: String.self))
        record.ending = try row.optional("ending", as: String.self).map(StoredValue.init(raw:))
        record.spelling = try row.optional("spelling")
        record.finalNode = try row.optional("final_node")
        return record
    }

    static func turn(_ row: PostgresRandomAccessRow) throws -> TurnRecord {
        let attemptID = try row.value("attempt_id", as: Int64.self)
        let index = try row.value("turn_index", as: Int.self)
        let place = "turn \(index) of attempt \(attemptID)"
        let input: TraineeInput
        let events: [EngineEvent]
        var arrivals: [String]?
        do {
            input = try JSONDecoder().decode(TraineeInput.self, from: Data(try row.value("input", as: String.self).utf8))
            events = try JSONDecoder().decode([EngineEvent].self, from: Data(try row.value("events", as: String.self).utf8))
            if let json = try row.optional("arrivals", as: String.self) {
                arrivals = try JSONDecoder().decode([String].self, from: Data(json.utf8))
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.unreadableData("\(place) cannot be decoded (\(error))")
        }
        let moodName = try row.value("mood_before", as: String.self)
        guard let mood = Mood(name: moodName) else {
            throw StoreError.unreadableData("\(place) has an unknown mood \"\(moodName)\"")
        }
        let turn = Turn(
            index: index, number: try row.optional("number"), input: input, node: try row.value("node"), moodBefore: mood,
            events: events, elapsed: try row.value("elapsed"), nodeAfter: try row.optional("node_after"), arrivals: arrivals)
        var record = TurnRecord(attemptID: attemptID, turn: turn, recordedAt: try row.value("recorded_at"))
        record.text = try row.value("text")
        record.retracted = try row.value("retracted")
        return record
    }

    static func evidence(_ row: PostgresRandomAccessRow) throws -> EvidenceRecord {
        let written = try row.optional("scale_written", as: Int.self)
        let possible = try row.optional("scale_possible", as: Int.self)
        let evidence = Evidence(
            .deduction, points: try row.value("points"), turn: try row.optional("turn"), quote: try row.optional("quote"),
            rule: try row.value("rule"), message: try row.value("message"), modelAnswer: try row.optional("model_answer"),
            scale: written.flatMap { w in possible.map { PointScale(written: w, possible: $0) } })
        var record = EvidenceRecord(attemptID: try row.value("attempt_id"), position: try row.value("position"),
                                    category: nil, evidence: evidence)
        record.kind = StoredValue(raw: try row.value("kind", as: String.self))
        record.category = try row.optional("category", as: String.self).map(StoredValue.init(raw:))
        return record
    }

    /// The turns of an attempt with only what its path needs filled in.
    static func pathTurns(_ session: Session, _ attemptID: Int64) throws -> [TurnRecord] {
        var s = Statement()
        s.sql = "SELECT * FROM turn WHERE attempt_id = \(s.bind(attemptID)) ORDER BY turn_index"
        return try session.query(s).map { try turn($0.makeRandomAccess()) }
    }
}
#endif
