import Foundation
import GRDB
import SupportSimCore

// What `supportsim report --by …` reads: figures per group computed by SQLite (GROUP BY), so that
// only one row per group reaches the program, whatever the number of attempts; the scenario facts
// (line and tags) that the report filters need (schema 6); and the skills lost most often.

extension AttemptDatabase {
    /// Schema 6: each attempt keeps its scenario's support line (`attempt.line`) and tags
    /// (`attempt_tag`). Attempts stored before have none (NULL line, no tags): they are not known,
    /// and the `--line` and `--tag` filters leave such attempts out.
    static func migrateScenarioFacts(_ db: Database) throws {
        try db.alter(table: "attempt") { t in t.add(column: "line", .text) }
        try db.create(table: "attempt_tag") { t in
            t.column("attempt_id", .integer).notNull().references("attempt", onDelete: .cascade)
            t.column("tag", .text).notNull()
            t.primaryKey(["attempt_id", "tag"])
        }
        try db.create(index: "attempt_tag_on_tag", on: "attempt_tag", columns: ["tag", "attempt_id"])
        try db.execute(sql: "PRAGMA user_version = 6")
    }

    static func storeScenarioFacts(_ db: Database, attemptID: Int64, _ new: NewAttempt) throws {
        if let line = new.line {
            try db.execute(sql: "UPDATE attempt SET line = ? WHERE id = ?", arguments: [line.rawValue, attemptID])
        }
        for tag in Set(new.tags) {
            try db.execute(sql: "INSERT INTO attempt_tag (attempt_id, tag) VALUES (?, ?)", arguments: [attemptID, tag])
        }
    }

    /// True when the database has the schema-6 columns (a read-only open of an older file has not).
    var hasScenarioFacts: Bool {
        guard hasTables else { return false }
        return (try? reader.read { db in try db.tableExists("attempt_tag") }) ?? false
    }

    /// The tags stored for an attempt (schema 6), sorted.
    public func tags(attemptID: Int64) throws -> [String] {
        guard hasScenarioFacts else { return [] }
        return try perform("read the tags of attempt #\(attemptID)") {
            try reader.read { db in
                try String.fetchAll(db, sql: "SELECT tag FROM attempt_tag WHERE attempt_id = ? ORDER BY tag",
                                    arguments: [attemptID])
            }
        }
    }

    /// The support line stored for an attempt (schema 6); nil when not known.
    public func line(attemptID: Int64) throws -> SupportLine? {
        guard hasScenarioFacts else { return nil }
        return try perform("read the line of attempt #\(attemptID)") {
            try reader.read { db in
                try String.fetchOne(db, sql: "SELECT line FROM attempt WHERE id = ?", arguments: [attemptID])
                    .flatMap(SupportLine.init(rawValue:))
            }
        }
    }

    // MARK: - Grouped figures

    /// Figures per group and mode (practice and exam are never mixed), in the order of the group key.
    ///
    /// - `.trainee`, `.scenario`: the trend is the mean total of the `trendWindow` days before
    ///   `reference` against the mean of the window before that.
    /// - `.week` (from Monday, UTC), `.month`: the trend is the mean total against the previous week
    ///   or month (nil when that period has no completed attempt in the selection).
    /// - `.category`: one group per mode (key ""), with the trend of every category as for trainees.
    public func groupFigures(
        _ filter: AttemptFilter, by grouping: AttemptGrouping, reference: Date, trendWindow: Int = 30
    ) throws -> [GroupFigures] {
        guard hasTables else { return [] }
        let key: String = switch grouping {
        case .trainee: "trainee"
        case .scenario: "scenario_id"
        case .week: "date(started_at, '-' || ((CAST(strftime('%w', started_at) AS INTEGER) + 6) % 7) || ' days')"
        case .month: "strftime('%Y-%m', started_at)"
        case .category, .skill: "''"
        }
        let (conditions, filterArguments) = filter.conditions(schemaHasFacts: hasScenarioFacts)
        let recentStart = reference.addingTimeInterval(-Double(trendWindow) * 86_400)
        let priorStart = reference.addingTimeInterval(-2 * Double(trendWindow) * 86_400)
        var columns = [
            "\(key) AS grp", "mode", "COUNT(*) AS n", "SUM(status <> 'completed') AS abandoned",
            "SUM(status = 'completed') AS completed", "SUM(status = 'completed' AND passed = 1) AS passed",
        ]
        var arguments = StatementArguments()
        for score in ScoreColumn.allCases {
            let c = score.rawValue
            let value = "CASE WHEN status = 'completed' THEN \(c) END"
            columns += [
                "COUNT(\(value)) AS \(c)_n", "SUM(\(value)) AS \(c)_sum", "SUM((\(value)) * (\(value))) AS \(c)_sq",
                "AVG(CASE WHEN status = 'completed' AND started_at >= ? AND started_at < ? THEN \(c) END) AS \(c)_recent",
                "AVG(CASE WHEN status = 'completed' AND started_at >= ? AND started_at < ? THEN \(c) END) AS \(c)_prior",
            ]
            arguments += [recentStart, reference, priorStart, recentStart]
        }
        var sql = "SELECT " + columns.joined(separator: ", ") + " FROM attempt"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " GROUP BY grp, mode ORDER BY grp, mode"
        arguments += filterArguments
        let finalArguments = arguments
        var groups = try perform("group attempts by \(grouping.rawValue)") {
            try reader.read { db in
                var out: [GroupFigures] = []
                let cursor = try Row.fetchCursor(db, sql: sql, arguments: finalArguments)
                while let row = try cursor.next() { out.append(GroupFigures(row: row)) }
                return out
            }
        }
        GroupFigures.addPeriodTrends(&groups, grouping: grouping)
        return groups
    }

    /// The week before a week key (`YYYY-MM-DD`, a Monday) or the month before a month key (`YYYY-MM`).
    public static func previousPeriod(_ key: String, weekly: Bool) -> String? {
        let parts = key.split(separator: "-").compactMap { Int($0) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        if weekly {
            guard parts.count == 3,
                let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
                let before = calendar.date(byAdding: .day, value: -7, to: date)
            else { return nil }
            let c = calendar.dateComponents([.year, .month, .day], from: before)
            return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        }
        guard parts.count == 2 else { return nil }
        return parts[1] == 1 ? String(format: "%04d-12", parts[0] - 1) : String(format: "%04d-%02d", parts[0], parts[1] - 1)
    }

    // MARK: - Proficiency

    /// The recency-weighted mean of each category per trainee and mode: every completed attempt
    /// weighs `0.5^(age / halfLife)`, its age in days counted back from `reference`.
    public func proficiency(_ filter: AttemptFilter, reference: Date, halfLife: Double = 14) throws -> [Proficiency] {
        guard hasTables else { return [] }
        let (conditions, filterArguments) = filter.conditions(schemaHasFacts: hasScenarioFacts)
        // 0.5^x = exp(-ln 2 · x); exp() is SQLite's (SQLITE_ENABLE_MATH_FUNCTIONS) or, without it, ours.
        // The weight is worked out once per attempt in a subquery (LIMIT -1 keeps SQLite from folding it
        // into each sum), with the reference day given as a Julian day number rather than parsed per row.
        let referenceDay = reference.timeIntervalSince1970 / 86_400 + 2_440_587.5
        var columns = ["trainee", "mode"]
        for score in ScoreColumn.allCases {
            let c = score.rawValue
            columns.append("SUM(w * \(c)) / SUM(CASE WHEN \(c) IS NULL THEN NULL ELSE w END) AS \(c)")
        }
        var inner = "SELECT trainee, mode, " + ScoreColumn.allCases.map(\.rawValue).joined(separator: ", ")
            + ", exp(-0.6931471805599453 * MAX(0, ? - julianday(started_at)) / ?) AS w FROM attempt WHERE status = 'completed'"
        if !conditions.isEmpty { inner += " AND " + conditions.joined(separator: " AND ") }
        let sql = "SELECT " + columns.joined(separator: ", ") + " FROM (" + inner + " LIMIT -1) GROUP BY trainee, mode ORDER BY trainee, mode"
        var arguments: StatementArguments = [referenceDay, halfLife]
        arguments += filterArguments
        let finalArguments = arguments
        return try perform("weigh the trainees' recent attempts") {
            try reader.read { db in
                // A SQLite built without its math functions gets exp() from here.
                if (try? Double.fetchOne(db, sql: "SELECT exp(0)")) == nil { db.add(function: Self.exp) }
                var out: [Proficiency] = []
                let cursor = try Row.fetchCursor(db, sql: sql, arguments: finalArguments)
                while let row = try cursor.next() {
                    var scores: [ScoreColumn: Double] = [:]
                    for score in ScoreColumn.allCases { scores[score] = row[score.rawValue] }
                    out.append(Proficiency(trainee: row["trainee"], mode: StoredValue(raw: row["mode"]), scores: scores))
                }
                return out
            }
        }
    }

    private static let exp = DatabaseFunction("exp", argumentCount: 1, pure: true) { values in
        Double.fromDatabaseValue(values[0]).map { Foundation.exp($0) }
    }

    // MARK: - Weakest skills

    /// The skills lost most often: each rule with lost points (a deduction with points, or a
    /// critical error), counted once per completed attempt it occurred in, out of the completed
    /// attempts (in the selection and mode) at the scenarios where it occurred at all. Rules
    /// `escalation:too-early:STEP` count together as `escalation:too-early`. Sorted by share.
    public func weakestSkills(_ filter: AttemptFilter, limit: Int? = nil) throws -> [SkillGap] {
        guard hasTables else { return [] }
        let (conditions, filterArguments) = filter.conditions(schemaHasFacts: hasScenarioFacts)
        let whereFilter = conditions.isEmpty ? "" : " AND " + conditions.joined(separator: " AND ")
        // Lost points are counted per scenario first (an attempt is at one scenario, so the counts
        // add up), and each scenario's completed attempts are counted once: one pass over the evidence.
        var sql = """
            WITH f AS (SELECT id, scenario_id, mode FROM attempt WHERE status = 'completed'\(whereFilter)),
            sm AS (SELECT scenario_id, mode, COUNT(*) AS n FROM f GROUP BY scenario_id, mode),
            per AS (
                SELECT CASE WHEN e.rule LIKE 'escalation:too-early:%' THEN 'escalation:too-early' ELSE e.rule END AS skill,
                    f.mode AS mode, f.scenario_id AS scenario_id, COUNT(DISTINCT e.attempt_id) AS hit,
                    MIN(e.category) AS category, MIN(e.message) AS message
                FROM evidence e JOIN f ON f.id = e.attempt_id
                WHERE e.kind = 'critical' OR (e.kind = 'deduction' AND e.points > 0)
                GROUP BY 1, 2, 3)
            SELECT per.skill AS skill, per.mode AS mode, SUM(per.hit) AS hits, MIN(per.category) AS category,
                MIN(per.message) AS message, SUM(sm.n) AS base
            FROM per JOIN sm ON sm.scenario_id = per.scenario_id AND sm.mode = per.mode
            GROUP BY per.skill, per.mode
            ORDER BY per.mode, CAST(SUM(per.hit) AS REAL) / SUM(sm.n) DESC, SUM(per.hit) DESC, per.skill
            """
        var arguments = filterArguments
        if let limit {
            // At most `limit` per mode.
            sql = "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY mode ORDER BY CAST(hits AS REAL) / base DESC, hits DESC, skill) AS rank FROM (\(sql))) WHERE rank <= ? ORDER BY mode, rank"
            arguments += [max(0, limit)]
        }
        let finalSQL = sql
        let finalArguments = arguments
        return try perform("count the skills lost") {
            try reader.read { db in
                var out: [SkillGap] = []
                let cursor = try Row.fetchCursor(db, sql: finalSQL, arguments: finalArguments)
                while let row = try cursor.next() {
                    out.append(SkillGap(
                        rule: row["skill"], mode: StoredValue(raw: row["mode"]),
                        category: (row["category"] as String?).map(StoredValue.init(raw:)),
                        message: row["message"], attempts: row["hits"], outOf: row["base"]))
                }
                return out
            }
        }
    }
}

extension AttemptFilter {
    /// The SQL conditions (joined with AND) and their arguments; every value is a parameter.
    /// `schemaHasFacts` is false for a database without schema 6, where a line or tag filter
    /// matches nothing (no attempt has a known line or tag).
    func conditions(schemaHasFacts: Bool) -> ([String], StatementArguments) {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let trainee {
            conditions.append("trainee = ?"); arguments += [trainee]
        }
        if let scenarioID {
            conditions.append("scenario_id = ?"); arguments += [scenarioID]
        }
        if let since {
            conditions.append("started_at >= ?"); arguments += [since]
        }
        if let until {
            conditions.append("started_at < ?"); arguments += [until]
        }
        if let mode {
            conditions.append("mode = ?"); arguments += [mode.rawValue]
        }
        if let status {
            conditions.append("status = ?"); arguments += [status.rawValue]
        }
        if let line {
            if schemaHasFacts {
                conditions.append("line = ?"); arguments += [line.rawValue]
            } else {
                conditions.append("0")
            }
        }
        if let tag {
            if schemaHasFacts {
                conditions.append("EXISTS (SELECT 1 FROM attempt_tag WHERE attempt_tag.attempt_id = attempt.id AND attempt_tag.tag = ?)")
                arguments += [tag]
            } else {
                conditions.append("0")
            }
        }
        return (conditions, arguments)
    }
}

/// How `report --by` groups attempts.
public enum AttemptGrouping: String, Sendable, CaseIterable {
    case trainee, scenario, category, week, month, skill
}

/// The scores a grouped report figures on (0–100 each).
public enum ScoreColumn: String, Sendable, CaseIterable, Comparable {
    case correctness, politeness, escalation, total

    public static func < (a: ScoreColumn, b: ScoreColumn) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The figures of one score over the completed attempts of a group.
public struct ScoreFigures: Sendable, Equatable {
    /// Completed attempts with this score.
    public var count: Int
    public var mean: Double?
    /// Population standard deviation (0 for a single attempt).
    public var standardDeviation: Double?
    /// The change of the mean against the previous period (see `AttemptDatabase.groupFigures`).
    public var trend: Double?

    public init(count: Int, mean: Double?, standardDeviation: Double?, trend: Double?) {
        self.count = count; self.mean = mean; self.standardDeviation = standardDeviation; self.trend = trend
    }

    /// The figures from what SQL aggregates: the count, sum and sum of squares of the scores, and the
    /// means of the recent and the prior trend windows (the trend is their difference).
    public init(count n: Int, sum: Double, squares: Double, recent: Double?, prior: Double?) {
        let mean = n > 0 ? sum / Double(n) : nil
        self.init(
            count: n, mean: mean,
            standardDeviation: mean.map { (max(0, squares / Double(n) - $0 * $0)).squareRoot() },
            trend: recent.flatMap { r in prior.map { r - $0 } })
    }
}

/// One group of a grouped report, for one mode.
public struct GroupFigures: Sendable, Equatable {
    /// The trainee, scenario id, week (its Monday, `YYYY-MM-DD`) or month (`YYYY-MM`); "" for `.category`.
    public var key: String
    public var mode: StoredValue<PlayMode>
    public var attempts: Int
    /// Attempts not completed (abandoned, or a status this version does not know): no total, not averaged.
    public var abandoned: Int
    public var completed: Int
    public var passed: Int
    public var scores: [ScoreColumn: ScoreFigures]

    public init(key: String, mode: StoredValue<PlayMode>, attempts: Int, abandoned: Int, completed: Int, passed: Int,
                scores: [ScoreColumn: ScoreFigures]) {
        self.key = key; self.mode = mode; self.attempts = attempts; self.abandoned = abandoned
        self.completed = completed; self.passed = passed; self.scores = scores
    }

    /// Passed among completed attempts (0–1); nil when none was completed.
    public var passRate: Double? { completed == 0 ? nil : Double(passed) / Double(completed) }

    init(row: Row) {
        key = row["grp"] ?? ""
        mode = StoredValue(raw: row["mode"])
        attempts = row["n"]
        abandoned = row["abandoned"] ?? 0
        completed = row["completed"] ?? 0
        passed = row["passed"] ?? 0
        var scores: [ScoreColumn: ScoreFigures] = [:]
        for score in ScoreColumn.allCases {
            let c = score.rawValue
            scores[score] = ScoreFigures(
                count: row["\(c)_n"] ?? 0, sum: row["\(c)_sum"] ?? 0, squares: row["\(c)_sq"] ?? 0,
                recent: row["\(c)_recent"], prior: row["\(c)_prior"])
        }
        self.scores = scores
    }

    /// For `.week` and `.month`: each group's trend is its mean against the previous week or month of
    /// the same mode (nil when that period has no completed attempt in the selection). Other groupings
    /// keep the trend the database computed.
    public static func addPeriodTrends(_ groups: inout [GroupFigures], grouping: AttemptGrouping) {
        guard grouping == .week || grouping == .month else { return }
        let index = Dictionary(groups.map { ("\($0.key)|\($0.mode.rawValue)", $0) }, uniquingKeysWith: { a, _ in a })
        for i in groups.indices {
            let previous = AttemptDatabase.previousPeriod(groups[i].key, weekly: grouping == .week)
            let before = previous.flatMap { index["\($0)|\(groups[i].mode.rawValue)"] }
            for score in ScoreColumn.allCases {
                let now = groups[i].scores[score]?.mean
                let then = before?.scores[score]?.mean
                groups[i].scores[score]?.trend = now.flatMap { n in then.map { n - $0 } }
            }
        }
    }
}

/// A trainee's recency-weighted mean per score, for one mode.
public struct Proficiency: Sendable, Equatable {
    public var trainee: String
    public var mode: StoredValue<PlayMode>
    public var scores: [ScoreColumn: Double]

    public init(trainee: String, mode: StoredValue<PlayMode>, scores: [ScoreColumn: Double]) {
        self.trainee = trainee; self.mode = mode; self.scores = scores
    }
}

/// A skill lost in `attempts` of `outOf` completed attempts (of one mode).
public struct SkillGap: Sendable, Equatable {
    /// The rule id (`escalation:too-early` for every step escalated before).
    public var rule: String
    public var mode: StoredValue<PlayMode>
    /// The category of the lost points; nil for a critical error.
    public var category: StoredValue<Category>?
    /// One stored message of the rule (in the scenario's language).
    public var message: String
    public var attempts: Int
    public var outOf: Int

    public init(rule: String, mode: StoredValue<PlayMode>, category: StoredValue<Category>?, message: String,
                attempts: Int, outOf: Int) {
        self.rule = rule; self.mode = mode; self.category = category; self.message = message
        self.attempts = attempts; self.outOf = outOf
    }
}
