#if Postgres
import Foundation
import PostgresNIO
import SupportSimCore
import SupportSimStore

// What `report --by …` reads from PostgreSQL: the same figures as the SQLite store computes, in
// PostgreSQL's SQL (GROUP BY on the server; one row per group reaches the program).

extension PostgresAttemptStore {
    public func groupFigures(
        _ filter: AttemptFilter, by grouping: AttemptGrouping, reference: Date, trendWindow: Int
    ) throws -> [GroupFigures] {
        let key: String = switch grouping {
        case .trainee: "trainee"
        case .scenario: "scenario_id"
        // Weeks from Monday and months, in UTC as the SQLite store counts them.
        case .week: "to_char(date_trunc('week', started_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')"
        case .month: "to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM')"
        case .category, .skill: "''"
        }
        var s = Statement()
        let recentStart = reference.addingTimeInterval(-Double(trendWindow) * 86_400)
        let priorStart = reference.addingTimeInterval(-2 * Double(trendWindow) * 86_400)
        let (recentFrom, until, priorFrom) = (s.bind(recentStart), s.bind(reference), s.bind(priorStart))
        var columns = [
            "\(key) AS grp", "mode", "COUNT(*) AS n", "COUNT(*) FILTER (WHERE status <> 'completed') AS abandoned",
            "COUNT(*) FILTER (WHERE status = 'completed') AS completed",
            "COUNT(*) FILTER (WHERE status = 'completed' AND passed) AS passed",
        ]
        for score in ScoreColumn.allCases {
            let c = score.rawValue
            let done = "status = 'completed' AND \(c) IS NOT NULL"
            columns += [
                "COUNT(*) FILTER (WHERE \(done)) AS \(c)_n",
                "SUM(\(c)::float8) FILTER (WHERE \(done)) AS \(c)_sum",
                "SUM((\(c) * \(c))::float8) FILTER (WHERE \(done)) AS \(c)_sq",
                "AVG(\(c)::float8) FILTER (WHERE \(done) AND started_at >= \(recentFrom) AND started_at < \(until)) AS \(c)_recent",
                "AVG(\(c)::float8) FILTER (WHERE \(done) AND started_at >= \(priorFrom) AND started_at < \(recentFrom)) AS \(c)_prior",
            ]
        }
        s.sql = "SELECT " + columns.joined(separator: ", ") + " FROM attempt"
        let conditions = Self.conditions(filter, &s)
        if !conditions.isEmpty { s.sql += " WHERE " + conditions.joined(separator: " AND ") }
        // Ordered byte-wise, as SQLite orders text, whatever the database's collation.
        s.sql = "SELECT * FROM (" + s.sql + " GROUP BY grp, mode) g ORDER BY grp COLLATE \"C\", mode COLLATE \"C\""
        var groups = try perform("group attempts by \(grouping.rawValue)") {
            try link.report { session in
                try session.query(s).map { row -> GroupFigures in
                    let row = row.makeRandomAccess()
                    var scores: [ScoreColumn: ScoreFigures] = [:]
                    for score in ScoreColumn.allCases {
                        let c = score.rawValue
                        scores[score] = ScoreFigures(
                            count: Int(try row.value("\(c)_n", as: Int64.self)),
                            sum: try row.optional("\(c)_sum", as: Double.self) ?? 0,
                            squares: try row.optional("\(c)_sq", as: Double.self) ?? 0,
                            recent: try row.optional("\(c)_recent", as: Double.self),
                            prior: try row.optional("\(c)_prior", as: Double.self))
                    }
                    return GroupFigures(
                        key: try row.optional("grp", as: String.self) ?? "",
                        mode: StoredValue(raw: try row.value("mode", as: String.self)),
                        attempts: Int(try row.value("n", as: Int64.self)),
                        abandoned: Int(try row.value("abandoned", as: Int64.self)),
                        completed: Int(try row.value("completed", as: Int64.self)),
                        passed: Int(try row.value("passed", as: Int64.self)), scores: scores)
                }
            }
        }
        GroupFigures.addPeriodTrends(&groups, grouping: grouping)
        return groups
    }

    public func proficiency(_ filter: AttemptFilter, reference: Date, halfLife: Double) throws -> [Proficiency] {
        var s = Statement()
        let (at, half) = (s.bind(reference), s.bind(halfLife))
        // 0.5^(age / half-life), the age in days.
        let weight = "exp(-0.6931471805599453 * GREATEST(0, EXTRACT(EPOCH FROM (\(at)::timestamptz - started_at)) / 86400.0) / \(half)::float8)"
        var columns = ["trainee", "mode"]
        for score in ScoreColumn.allCases {
            let c = score.rawValue
            columns.append("SUM(\(weight) * \(c)) / SUM(CASE WHEN \(c) IS NULL THEN NULL ELSE \(weight) END) AS \(c)")
        }
        s.sql = "SELECT " + columns.joined(separator: ", ") + " FROM attempt WHERE status = 'completed'"
        let conditions = Self.conditions(filter, &s)
        if !conditions.isEmpty { s.sql += " AND " + conditions.joined(separator: " AND ") }
        s.sql += " GROUP BY trainee, mode ORDER BY trainee COLLATE \"C\", mode COLLATE \"C\""
        return try perform("weigh the trainees' recent attempts") {
            try link.report { session in
                try session.query(s).map { row in
                    let row = row.makeRandomAccess()
                    var scores: [ScoreColumn: Double] = [:]
                    for score in ScoreColumn.allCases { scores[score] = try row.optional(score.rawValue, as: Double.self) }
                    return Proficiency(trainee: try row.value("trainee"),
                                       mode: StoredValue(raw: try row.value("mode", as: String.self)), scores: scores)
                }
            }
        }
    }

    public func weakestSkills(_ filter: AttemptFilter, limit: Int?) throws -> [SkillGap] {
        var s = Statement()
        let conditions = Self.conditions(filter, &s)
        let whereFilter = conditions.isEmpty ? "" : " AND " + conditions.joined(separator: " AND ")
        var sql = """
            WITH f AS (SELECT id, scenario_id, mode FROM attempt WHERE status = 'completed'\(whereFilter)),
            sm AS (SELECT scenario_id, mode, COUNT(*) AS n FROM f GROUP BY scenario_id, mode),
            per AS (
                SELECT CASE WHEN e.rule LIKE 'escalation:too-early:%' THEN 'escalation:too-early' ELSE e.rule END AS skill,
                    f.mode AS mode, f.scenario_id AS scenario_id, COUNT(DISTINCT e.attempt_id) AS hit,
                    MIN(e.category COLLATE "C") AS category, MIN(e.message COLLATE "C") AS message
                FROM evidence e JOIN f ON f.id = e.attempt_id
                WHERE e.kind = 'critical' OR (e.kind = 'deduction' AND e.points > 0)
                GROUP BY 1, 2, 3),
            agg AS (
                SELECT per.skill AS skill, per.mode AS mode, SUM(per.hit)::bigint AS hits, MIN(per.category) AS category,
                    MIN(per.message) AS message, SUM(sm.n)::bigint AS base
                FROM per JOIN sm ON sm.scenario_id = per.scenario_id AND sm.mode = per.mode
                GROUP BY per.skill, per.mode)
            SELECT *, ROW_NUMBER() OVER (PARTITION BY mode ORDER BY hits::float8 / base DESC, hits DESC, skill COLLATE "C") AS rank
            FROM agg
            """
        if let limit {
            sql = "SELECT * FROM (\(sql)) ranked WHERE rank <= \(s.bind(max(0, limit)))"
        }
        s.sql = sql + " ORDER BY mode COLLATE \"C\", rank"
        return try perform("count the skills lost") {
            try link.report { session in
                try session.query(s).map { row in
                    let row = row.makeRandomAccess()
                    return SkillGap(
                        rule: try row.value("skill"), mode: StoredValue(raw: try row.value("mode", as: String.self)),
                        category: try row.optional("category", as: String.self).map(StoredValue.init(raw:)),
                        message: try row.value("message"), attempts: Int(try row.value("hits", as: Int64.self)),
                        outOf: Int(try row.value("base", as: Int64.self)))
                }
            }
        }
    }
}
#endif
