import GRDB

// Schema 8: indexes for `supportsim report` over a large store. The grouped figures read only the
// columns they aggregate, in the order they group by, from covering indexes (no table lookups, no
// sort for trainees and scenarios), the weakest skills read the evidence of lost points from a
// partial index instead of every line of evidence, and JSON paths read the turns' path columns from
// an index instead of the turns' rows.

extension AttemptDatabase {
    /// The columns every grouped figure reads after its key.
    static let reportIndexTail = ["mode", "status", "passed", "started_at", "correctness", "politeness", "escalation", "total"]

    static func migrateReportIndexes(_ db: Database) throws {
        try db.create(index: "attempt_report_by_trainee", on: "attempt", columns: ["trainee"] + reportIndexTail)
        try db.create(index: "attempt_report_by_scenario", on: "attempt", columns: ["scenario_id"] + reportIndexTail)
        try db.create(index: "attempt_report_by_date", on: "attempt", columns: ["started_at", "mode", "status", "passed", "correctness", "politeness", "escalation", "total"])
        // The lost points (what `weakestSkills` counts): the same condition as its query, so SQLite uses
        // it, and every column the query reads, so the evidence table itself is not read.
        try db.execute(sql: """
            CREATE INDEX evidence_lost_points ON evidence(attempt_id, rule, kind, points, category, message)
            WHERE kind = 'critical' OR (kind = 'deduction' AND points > 0)
            """)
        // The columns of a turn that make an attempt's path (`report --format json`), so paths are read
        // from this index rather than from the turns' rows with their inputs and events.
        try db.create(index: "turn_path", on: "turn", columns: ["attempt_id", "turn_index", "node", "node_after", "arrivals", "retracted"])
        try db.execute(sql: "PRAGMA user_version = 8")
    }
}
