import Foundation
import GRDB
import SupportSimCore

/// What sizes the columns of the attempts table, read with a few aggregate queries before the rows,
/// so the table can be printed as its rows are read (memory independent of the number of attempts):
/// the distinct names, modes and results, the range of ids and dates, and the longest score.
///
/// Scores, totals and results are what a rescoring can change: they are counted here over the
/// attempts that were neither overridden nor rescored, and those (`audited`) are given whole, so
/// the report sizes their cells exactly as it prints them.
public struct AttemptTableFacts: Sendable, Equatable {
    /// Attempts in the selection.
    public var count = 0
    public var minID: Int64?
    public var maxID: Int64?
    public var firstStarted: Date?
    public var lastStarted: Date?
    public var trainees: [String] = []
    public var scenarioIDs: [String] = []
    /// Distinct stored modes (raw).
    public var modes: [String] = []
    /// Distinct stored status and passed pairs, of attempts not audited.
    public var results: [Result] = []
    /// Per score column, of attempts not audited: the longest value as text (the total counted only
    /// for completed attempts), and whether some attempt has none.
    public var scores: [ScoreColumn: Score] = [:]
    /// The attempts in the selection that were overridden or rescored, as stored.
    public var audited: [AttemptRecord] = []

    public struct Result: Sendable, Equatable, Hashable {
        public var status: String
        public var passed: Bool?
        public init(status: String, passed: Bool?) { self.status = status; self.passed = passed }
    }

    public struct Score: Sendable, Equatable {
        /// Characters of the longest value (`-5` is 2); nil when no attempt has one.
        public var longest: Int?
        public var missing: Bool
        public init(longest: Int?, missing: Bool) { self.longest = longest; self.missing = missing }
    }

    public init() {}
}

extension AttemptDatabase {
    /// The attempts matching `filter`, newest first, one at a time as `forEachAttempt` gives them,
    /// after `facts` was called once with what sizes the table's columns, read in the same
    /// transaction (one consistent snapshot). Turn paths and last-turn times are not read.
    /// The facts cover the whole selection: `filter.limit` is not for tables (rows past it would
    /// still size the columns).
    @discardableResult
    public func forEachAttemptForTable(
        _ filter: AttemptFilter, facts: (AttemptTableFacts) throws -> Void, _ body: (AttemptRow) throws -> Void
    ) throws -> Int {
        guard hasTables else {
            try facts(AttemptTableFacts())
            return 0
        }
        let schemaHasFacts = hasScenarioFacts
        return try forEachAttempt(filter, order: .newestFirst, includePaths: false, includeLastTurn: false, before: { db in
            try facts(try Self.tableFacts(db, filter, schemaHasFacts: schemaHasFacts))
        }, body)
    }

    static func tableFacts(_ db: Database, _ filter: AttemptFilter, schemaHasFacts: Bool) throws -> AttemptTableFacts {
        var facts = AttemptTableFacts()
        let (conditions, arguments) = filter.conditions(schemaHasFacts: schemaHasFacts)
        let selection = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let and = conditions.isEmpty ? " WHERE " : selection + " AND "
        let audit = try hasAuditSchema(db)
        let audited = audit ? "(SELECT attempt_id FROM score_override UNION SELECT attempt_id FROM scoring)" : "(SELECT NULL WHERE 0)"

        // One pass over the selection, grouped by what the mode and result cells show, audited apart.
        var columns = ["COUNT(*)", "MIN(id)", "MAX(id)", "MIN(started_at)", "MAX(started_at)"]
        for score in ScoreColumn.allCases {
            let value = score == .total ? "CASE WHEN status = 'completed' THEN total END" : score.rawValue
            columns += ["MAX(length(\(value)))", "MAX((\(value)) IS NULL)"]
        }
        let groups = try Row.fetchAll(db, sql: """
            SELECT mode, status, passed, id IN \(audited) AS audited, \(columns.joined(separator: ", ")) FROM attempt\(selection)
            GROUP BY 1, 2, 3, 4
            """, arguments: arguments)
        guard !groups.isEmpty else { return facts }
        var modes = Set<String>(), results = Set<AttemptTableFacts.Result>()
        for row in groups {
            facts.count += row[4] as Int
            let minID: Int64? = row[5], maxID: Int64? = row[6], first: Date? = row[7], last: Date? = row[8]
            facts.minID = [facts.minID, minID].compactMap { $0 }.min(); facts.maxID = [facts.maxID, maxID].compactMap { $0 }.max()
            facts.firstStarted = [facts.firstStarted, first].compactMap { $0 }.min()
            facts.lastStarted = [facts.lastStarted, last].compactMap { $0 }.max()
            modes.insert(row[0])
            guard (row[3] as Int?) != 1 else { continue }
            results.insert(AttemptTableFacts.Result(status: row[1], passed: row[2]))
            for (i, score) in ScoreColumn.allCases.enumerated() {
                let longest: Int? = row[9 + 2 * i], missing = (row[10 + 2 * i] as Int?) == 1
                let known = facts.scores[score]
                facts.scores[score] = AttemptTableFacts.Score(
                    longest: [known?.longest, longest].compactMap { $0 }.max(), missing: missing || known?.missing == true)
            }
        }
        facts.modes = modes.sorted()
        facts.results = results.sorted { ($0.status, $0.passed.map { $0 ? 1 : 0 } ?? -1) < ($1.status, $1.passed.map { $0 ? 1 : 0 } ?? -1) }
        facts.trainees = try String.fetchAll(db, sql: "SELECT DISTINCT trainee FROM attempt\(selection)", arguments: arguments)
        facts.scenarioIDs = try String.fetchAll(db, sql: "SELECT DISTINCT scenario_id FROM attempt\(selection)", arguments: arguments)
        if audit {
            let statement = try db.makeStatement(sql: attemptSelect + "\(and)id IN \(audited) ORDER BY id")
            let indexes = AttemptRecord.ColumnIndexes(statement.columnNames)
            let rows = try Row.fetchCursor(statement, arguments: arguments)
            while let row = try rows.next() { facts.audited.append(AttemptRecord(row: row, indexes)) }
        }
        return facts
    }
}
