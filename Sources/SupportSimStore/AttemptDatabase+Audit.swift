import Foundation
import GRDB
import SupportSimCore

// Audit: manager overrides, rescoring rows, the scenario hash and scorer version of each attempt,
// and the hash chain over attempts and turns (`supportsim verify`). One migration, kept here whole.

extension AttemptDatabase {
    /// Schema 6 (audit). Attempts gain `scenario_hash` and `scorer_version`; attempts and turns gain
    /// the chain columns; `score_override` keeps managers' scores and `scoring` keeps rescorings, both
    /// beside the automatic scores in `attempt`, which are never overwritten. Rows stored before keep
    /// NULL chain columns: they are "not chained", not broken.
    static func migrateAudit(_ db: Database) throws {
        try db.alter(table: "attempt") { t in
            t.add(column: "scenario_hash", .text)
            t.add(column: "scorer_version", .integer)
            t.add(column: "chain_prev", .text)
            t.add(column: "chain_hash", .text)
            t.add(column: "chain_turns", .integer)
            t.add(column: "seal_hash", .text)
        }
        try db.alter(table: "turn") { t in
            t.add(column: "chain_prev", .text)
            t.add(column: "chain_hash", .text)
        }
        try db.create(table: "score_override") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("attempt_id", .integer).notNull().references("attempt", onDelete: .cascade)
            t.column("category", .text).notNull()
            t.column("score", .integer).notNull()
            t.column("reason", .text).notNull()
            t.column("overridden_by", .text).notNull()
            t.column("created_at", .datetime).notNull()
        }
        try db.create(index: "score_override_on_attempt", on: "score_override", columns: ["attempt_id", "id"])
        try db.create(table: "scoring") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("attempt_id", .integer).notNull().references("attempt", onDelete: .cascade)
            t.column("created_at", .datetime).notNull()
            t.column("scorer_version", .integer).notNull()
            t.column("scenario_version", .integer).notNull()
            t.column("scenario_hash", .text)
            t.column("correctness", .integer)
            t.column("politeness", .integer)
            t.column("escalation", .integer)
            t.column("spelling", .integer)
            t.column("total", .integer)
            t.column("passed", .boolean)
            t.column("critical_count", .integer).notNull().defaults(to: 0)
        }
        try db.create(index: "scoring_on_attempt", on: "scoring", columns: ["attempt_id", "id"])
        // One row: the hash of the newest chained attempt, so that deleting the newest attempts shows.
        try db.create(table: "chain_head") { t in
            t.column("id", .integer).primaryKey().check { $0 == 1 }
            t.column("attempt_id", .integer).notNull()
            t.column("hash", .text).notNull()
        }
        try db.execute(sql: "PRAGMA user_version = 6")
    }

    static func hasAuditSchema(_ db: Database) throws -> Bool { try db.tableExists("score_override") }

    // MARK: - Overrides

    /// Stores a manager's score for one category of an attempt beside the automatic one.
    /// Several overrides of the same category keep their history; the latest is the one shown.
    @discardableResult
    public func addOverride(
        attemptID: Int64, category: Category, score: Int, reason: String, by: String, at date: Date
    ) throws -> ScoreOverride {
        let reason = try StoreRules.checkOverride(attemptID: attemptID, score: score, reason: reason)
        return try perform("override attempt #\(attemptID)") {
            try writer.write { db in
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM attempt WHERE id = ?", arguments: [attemptID]) != nil else {
                    throw StoreError.attemptNotFound(attemptID)
                }
                try db.execute(
                    sql: """
                        INSERT INTO score_override (attempt_id, category, score, reason, overridden_by, created_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [attemptID, category.rawValue, score, reason, by, date])
                let id = db.lastInsertedRowID
                try Self.seal(db, attemptID: attemptID)
                return ScoreOverride(id: id, attemptID: attemptID, category: .known(category),
                                     score: score, reason: reason, by: by, at: date)
            }
        }
    }

    /// The ids of the attempts that have an override or a rescoring, in id order.
    public func auditedAttemptIDs() throws -> [Int64] {
        guard hasTables else { return [] }
        return try perform("read which attempts were overridden or rescored") {
            try reader.read { db in
                guard try Self.hasAuditSchema(db) else { return [] }
                return try Int64.fetchAll(
                    db, sql: "SELECT attempt_id FROM score_override UNION SELECT attempt_id FROM scoring ORDER BY 1")
            }
        }
    }

    /// Overrides and rescorings of the attempts given (those with neither are left out).
    public func audit(attemptIDs: [Int64]) throws -> [Int64: AttemptAudit] {
        guard hasTables, !attemptIDs.isEmpty else { return [:] }
        return try perform("read overrides and rescorings") {
            try reader.read { db in
                guard try Self.hasAuditSchema(db) else { return [:] }
                var result: [Int64: AttemptAudit] = [:]
                for chunk in stride(from: 0, to: attemptIDs.count, by: 500).map({ Array(attemptIDs[$0..<min($0 + 500, attemptIDs.count)]) }) {
                    let marks = databaseQuestionMarks(count: chunk.count)
                    let args = StatementArguments(chunk)
                    for row in try Row.fetchAll(
                        db, sql: "SELECT * FROM score_override WHERE attempt_id IN (\(marks)) ORDER BY id", arguments: args)
                    {
                        let o = ScoreOverride(
                            id: row["id"], attemptID: row["attempt_id"], category: StoredValue(raw: row["category"]),
                            score: row["score"], reason: row["reason"], by: row["overridden_by"], at: row["created_at"])
                        result[o.attemptID, default: AttemptAudit()].overrideHistory.append(o)
                    }
                    for row in try Row.fetchAll(
                        db, sql: "SELECT * FROM scoring WHERE attempt_id IN (\(marks)) ORDER BY id", arguments: args)
                    {
                        let s = Rescoring(
                            attemptID: row["attempt_id"], at: row["created_at"], scorerVersion: row["scorer_version"],
                            scenarioVersion: row["scenario_version"], scenarioHash: row["scenario_hash"],
                            correctness: row["correctness"], politeness: row["politeness"], escalation: row["escalation"],
                            spelling: row["spelling"], total: row["total"], passed: row["passed"],
                            criticalCount: row["critical_count"])
                        result[s.attemptID, default: AttemptAudit()].rescorings.append(s)
                    }
                }
                return result
            }
        }
    }

    /// The scenario hash and scorer version an attempt was stored with (nil before schema 7).
    public func provenance(attemptID: Int64) throws -> (scenarioHash: String?, scorerVersion: Int?) {
        guard hasTables else { return (nil, nil) }
        return try perform("read attempt #\(attemptID)") {
            try reader.read { db in
                guard try db.columns(in: "attempt").contains(where: { $0.name == "scorer_version" }),
                      let row = try Row.fetchOne(db, sql: "SELECT scenario_hash, scorer_version FROM attempt WHERE id = ?",
                                                 arguments: [attemptID])
                else { return (nil, nil) }
                return (row["scenario_hash"], row["scorer_version"])
            }
        }
    }

    // MARK: - Rescoring

    /// Stores a new automatic scoring of an attempt; the scores stored when it was played stay as they were.
    public func recordRescore(
        attemptID: Int64, card: ScoreCard?, scenarioVersion: Int, scenarioHash: String?, at date: Date
    ) throws {
        try perform("store the rescoring of attempt #\(attemptID)") {
            try writer.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO scoring (attempt_id, created_at, scorer_version, scenario_version, scenario_hash,
                            correctness, politeness, escalation, spelling, total, passed, critical_count)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        attemptID, date, ScorerVersion.current, scenarioVersion, scenarioHash,
                        card?.score(.correctness)?.score, card?.score(.politeness)?.score,
                        card?.score(.escalation)?.score, card?.score(.spelling)?.score, card?.total, card?.passed,
                        card?.critical.count ?? 0,
                    ])
                try Self.seal(db, attemptID: attemptID)
            }
        }
    }

    // MARK: - Chain (written inside the caller's write transaction)

    static let attemptChainColumns = [
        "id", "trainee", "scenario_id", "scenario_title", "scenario_version", "language", "interface_language",
        "mode", "seed", "started_at", "scenario_hash", "scorer_version",
    ]
    static let attemptSealColumns = [
        "ended_at", "status", "ending", "correctness", "politeness", "escalation", "spelling", "total",
        "pass_mark", "passed", "critical_count", "retries", "final_node",
    ]
    static let overrideSealColumns = ["id", "category", "score", "reason", "overridden_by", "created_at"]
    static let scoringSealColumns = [
        "id", "created_at", "scorer_version", "scenario_version", "scenario_hash", "correctness", "politeness",
        "escalation", "spelling", "total", "passed", "critical_count",
    ]
    static let turnChainColumns = [
        "attempt_id", "turn_index", "number", "input", "text", "node", "mood_before", "events", "elapsed",
        "recorded_at", "node_after", "arrivals",
    ]

    /// Called right after an attempt row is inserted: records its provenance and links it to the
    /// newest chained attempt (global chain, so that deleting a whole attempt shows).
    static func chainNewAttempt(_ db: Database, id: Int64, _ new: NewAttempt) throws {
        try db.execute(sql: "UPDATE attempt SET scenario_hash = ?, scorer_version = ? WHERE id = ?",
                       arguments: [new.scenarioHash, new.scorerVersion ?? ScorerVersion.current, id])
        let prev = try String.fetchOne(db, sql: "SELECT hash FROM chain_head WHERE id = 1") ?? ""
        let hash = try ChainHash.link(prev, try values(db, "attempt", attemptChainColumns, "id = ?", [id]))
        try db.execute(sql: "UPDATE attempt SET chain_prev = ?, chain_hash = ? WHERE id = ?", arguments: [prev, hash, id])
        try db.execute(sql: "INSERT OR REPLACE INTO chain_head (id, attempt_id, hash) VALUES (1, ?, ?)", arguments: [id, hash])
        try seal(db, attemptID: id)
    }

    /// Called right after a turn row is inserted: links it to the previous turn of its attempt (or to
    /// the attempt itself). Turns of an attempt stored before schema 7 stay unchained.
    static func chainTurn(_ db: Database, attemptID: Int64, index: Int) throws {
        guard let attemptHash = try String.fetchOne(
            db, sql: "SELECT chain_hash FROM attempt WHERE id = ?", arguments: [attemptID]) else { return }
        let prev = try String.fetchOne(
            db, sql: "SELECT chain_hash FROM turn WHERE attempt_id = ? AND turn_index < ? ORDER BY turn_index DESC LIMIT 1",
            arguments: [attemptID, index]) ?? attemptHash
        let hash = try ChainHash.link(prev, try values(db, "turn", turnChainColumns, "attempt_id = ? AND turn_index = ?",
                                                       [attemptID, index]))
        try db.execute(sql: "UPDATE turn SET chain_prev = ?, chain_hash = ? WHERE attempt_id = ? AND turn_index = ?",
                       arguments: [prev, hash, attemptID, index])
        try seal(db, attemptID: attemptID)
    }

    /// Recomputes the seal of a chained attempt after any change to its row or its turns' retraction.
    static func seal(_ db: Database, attemptID: Int64) throws {
        guard let hash = try sealHash(db, attemptID: attemptID) else { return }
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM turn WHERE attempt_id = ?", arguments: [attemptID]) ?? 0
        try db.execute(sql: "UPDATE attempt SET seal_hash = ?, chain_turns = ? WHERE id = ?",
                       arguments: [hash.hash, count, attemptID])
    }

    /// The seal over the attempt's changing columns, its turn count, each turn's hash and retraction,
    /// and every override and rescoring of it (all columns, in id order).
    static func sealHash(_ db: Database, attemptID: Int64) throws -> (hash: String, turns: Int)? {
        guard let attemptHash = try String.fetchOne(
            db, sql: "SELECT chain_hash FROM attempt WHERE id = ?", arguments: [attemptID]) else { return nil }
        var values = try values(db, "attempt", attemptSealColumns, "id = ?", [attemptID])
        let turns = try Row.fetchAll(
            db, sql: "SELECT turn_index, retracted, chain_hash FROM turn WHERE attempt_id = ? ORDER BY turn_index",
            arguments: [attemptID])
        values.append(turns.count.databaseValue)
        for turn in turns { values += [turn[0] as DatabaseValue, turn[1] as DatabaseValue, turn[2] as DatabaseValue] }
        // Managers' overrides and rescorings are part of the attempt's record too.
        // Named columns, so that a column added later does not change the seals already written.
        for (table, columns) in [("score_override", overrideSealColumns), ("scoring", scoringSealColumns)] {
            let sql = "SELECT " + columns.joined(separator: ", ") + " FROM \(table) WHERE attempt_id = ? ORDER BY id"
            for row in try Row.fetchAll(db, sql: sql, arguments: [attemptID]) {
                values.append(table.databaseValue)
                values += row.databaseValues
            }
        }
        return (try ChainHash.link(attemptHash, values), turns.count)
    }

    static func values(_ db: Database, _ table: String, _ columns: [String], _ condition: String,
                       _ arguments: StatementArguments) throws -> [DatabaseValue] {
        let sql = "SELECT " + columns.map { "\"\($0)\"" }.joined(separator: ", ") + " FROM \(table) WHERE \(condition)"
        guard let row = try Row.fetchOne(db, sql: sql, arguments: arguments) else {
            throw StoreError.failed(operation: "chain a row of \(table)", reason: "the row is not there")
        }
        return (0..<columns.count).map { row[$0] as DatabaseValue }
    }
}

/// The hash chain's canonical form: SHA-256 over the previous hash (64 hex digits, or empty for the
/// first link) and then each column value as a type tag, its length in bytes and its bytes
/// (`N` null, `I` integer, `R` real as the IEEE bit pattern, `T` text as UTF-8, `B` blob).
enum ChainHash {
    static func link(_ previous: String, _ values: [DatabaseValue]) throws -> String {
        var hasher = SHA256()
        hasher.update("supportsim-chain-v1\n")
        hasher.update(previous)
        hasher.update("\n")
        for value in values {
            let (tag, bytes): (String, [UInt8])
            switch value.storage {
            case .null: (tag, bytes) = ("N", [])
            case .int64(let v): (tag, bytes) = ("I", Array(String(v).utf8))
            case .double(let v): (tag, bytes) = ("R", Array(String(v.bitPattern, radix: 16).utf8))
            case .string(let v): (tag, bytes) = ("T", Array(v.utf8))
            case .blob(let v): (tag, bytes) = ("B", Array(v))
            }
            hasher.update(tag + String(bytes.count) + ":")
            hasher.update(bytes)
        }
        return hasher.finalizeHex()
    }
}

/// A manager's score for one category of an attempt.
public struct ScoreOverride: Sendable, Equatable {
    public var id: Int64
    public var attemptID: Int64
    public var category: StoredValue<Category>
    public var score: Int
    public var reason: String
    /// Who overrode it (the OS user name unless given).
    public var by: String
    public var at: Date

    public init(id: Int64, attemptID: Int64, category: StoredValue<Category>, score: Int, reason: String, by: String, at: Date) {
        self.id = id; self.attemptID = attemptID; self.category = category; self.score = score; self.reason = reason
        self.by = by; self.at = at
    }
}

/// A later automatic scoring of an attempt (`supportsim rescore`).
public struct Rescoring: Sendable, Equatable {
    public var attemptID: Int64
    public var at: Date
    public var scorerVersion: Int
    public var scenarioVersion: Int
    public var scenarioHash: String?
    public var correctness: Int?
    public var politeness: Int?
    public var escalation: Int?
    public var spelling: Int?
    public var total: Int?
    public var passed: Bool?
    public var criticalCount: Int

    public init(attemptID: Int64, at: Date, scorerVersion: Int, scenarioVersion: Int, scenarioHash: String?,
                correctness: Int?, politeness: Int?, escalation: Int?, spelling: Int?, total: Int?, passed: Bool?,
                criticalCount: Int) {
        self.attemptID = attemptID; self.at = at; self.scorerVersion = scorerVersion; self.scenarioVersion = scenarioVersion
        self.scenarioHash = scenarioHash; self.correctness = correctness; self.politeness = politeness
        self.escalation = escalation; self.spelling = spelling; self.total = total; self.passed = passed
        self.criticalCount = criticalCount
    }

    public func score(_ category: Category) -> Int? {
        switch category {
        case .correctness: correctness
        case .politeness: politeness
        case .escalation: escalation
        case .spelling: spelling
        }
    }
}

/// What managers and rescoring added to an attempt after it was played.
public struct AttemptAudit: Sendable, Equatable {
    /// Every override, oldest first.
    public var overrideHistory: [ScoreOverride] = []
    /// Every rescoring, oldest first.
    public var rescorings: [Rescoring] = []

    public init() {}

    /// The latest override of a category.
    public func override(_ category: Category) -> ScoreOverride? {
        overrideHistory.last { $0.category == category }
    }

    /// The attempt as the latest automatic scoring has it (the scores stored at play time when it
    /// was never rescored). The original stays in `original`.
    public func latestAutomatic(_ original: AttemptRecord) -> AttemptRecord {
        guard let latest = rescorings.last else { return original }
        var a = original
        a.correctness = latest.correctness; a.politeness = latest.politeness
        a.escalation = latest.escalation; a.spelling = latest.spelling
        a.total = latest.total; a.passed = latest.passed; a.criticalCount = latest.criticalCount
        return a
    }
}
