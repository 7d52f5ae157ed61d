import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimReport
import SupportSimStore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Show stored attempts: trainee, scenario, date, each category, total and result.",
        discussion: """
        The database is only read (never created, migrated or written), so a read-only file or a copy \
        works. A value written by a newer SupportSim shows as "unknown (value)". With --by, figures per \
        group (practice and exam apart) and the team's weakest skills; see docs/reports.md.
        """
    )

    @OptionGroup var store: StoreOptions

    @OptionGroup var filters: ReportFilterOptions

    @Option(name: .long, help: "Figures per trainee, scenario, category, week or month, or the weakest skills (skill).")
    var by: AttemptGrouping?

    @Option(name: .long, help: "Output format: table, csv, json, ndjson (each written as it is read) or html (one self-contained page with charts).")
    var format: ReportFormat = .table

    @Option(name: .long, help: "Write the report to this file instead of standard output.")
    var output: String?

    func run() throws {
        let now = Date()
        let filter = try filters.filter(now: now)
        let path = store.path
        let language = store.language
        if format == .html {
            guard by == nil else {
                throw ValidationError("--by is for the table, CSV and JSON; --format html draws its own figures "
                                      + "(per trainee, category, week and skill), so leave --by out.")
            }
            return try ReportFileOutput.writeHTML(databasePath: path, filter: filter, language: language,
                                                  output: output, filters: filterLabels)
        }
        guard let database = try StoreAccess.openForReading(path) else {
            if let by = by {
                return try ReportFileOutput.emit(try GroupedReportRun.render(database: nil, filter: filter, by: by, format: format,
                                                                             language: language, now: now), to: output)
            }
            return try ReportFileOutput.emit(AttemptsReport(attempts: []).render(format, language: language), to: output)
        }
        if let by = by {
            return try ReportFileOutput.emit(try GroupedReportRun.render(database: database, filter: filter, by: by, format: format,
                                                                         language: language, now: now), to: output)
        }
        if let file = database as? AttemptDatabase {
            // The SQLite store streams the table too: its column widths come from aggregate queries first.
            if format == .table { return try streamTable(file, filter, language: language) }
            return try streamRows(filter) { body in
                try file.forEachAttempt(filter, includePaths: format != .csv, includeLastTurn: false, body)
            } audit: { try file.audit(attemptIDs: try file.auditedAttemptIDs()) }
        }
        if format != .table {
            return try streamRows(filter) { body in
                try database.forEachAttempt(filter, order: .newestFirst, includePaths: format != .csv, body)
            } audit: { try database.audit(attemptIDs: try database.auditedAttemptIDs()) }
        }
        // Other stores: the table is laid out from every row at once.
        let attempts = try database.attempts(filter)
        let audit = try database.audit(attemptIDs: attempts.map(\.id))
        try ReportFileOutput.emit(AttemptsReport(attempts: attempts, audit: audit).render(
            format, language: language, color: output == nil && RunEnvironment.useColor), to: output)
    }

    /// Rows are gathered into chunks of about this many bytes before each write.
    private static let chunk = 1 << 16

    /// CSV, JSON and NDJSON rows are written as they are read: memory does not grow with the store
    /// (only with the number of attempts that were overridden or rescored, read first).
    private func streamRows(
        _ filter: AttemptFilter, rows: ((AttemptRow) throws -> Void) throws -> Void,
        audit readAudit: () throws -> [Int64: AttemptAudit]
    ) throws {
        let audit = try readAudit()
        let sink = try ReportFileOutput.Output(output)
        var renderer = AttemptRowRenderer(format)
        var bytes = ReportBytes(capacity: Self.chunk + 4096)
        bytes.append(renderer.header())
        try rows { row in
            renderer.append(row.record, path: row.path, audit: audit[row.record.id], to: &bytes)
            if bytes.count >= Self.chunk { sink.write(bytes.bytes); bytes.removeAll() }
        }
        bytes.append(renderer.footer())
        sink.write(bytes.bytes)
        try sink.finish()
    }

    /// The table, also written as it is read: its column widths come from a few aggregate queries
    /// first (`AttemptTableFacts`), in the same read transaction as the rows.
    private func streamTable(_ database: AttemptDatabase, _ filter: AttemptFilter, language: Language) throws {
        let audit = try database.audit(attemptIDs: try database.auditedAttemptIDs())
        let sink = try ReportFileOutput.Output(output)
        var renderer: AttemptTableRenderer?
        var bytes = ReportBytes(capacity: Self.chunk + 4096)
        let color = output == nil && RunEnvironment.useColor
        try database.forEachAttemptForTable(filter, facts: { facts in
            renderer = AttemptTableRenderer(facts: facts, audit: audit, language: language, color: color)
            bytes.removeAll()
            bytes.append(renderer?.header() ?? "")
        }) { row in
            renderer?.append(row.record, to: &bytes)
            if bytes.count >= Self.chunk { sink.write(bytes.bytes); bytes.removeAll() }
        }
        bytes.append(renderer?.footer() ?? "")
        sink.write(bytes.bytes)
        try sink.finish()
    }
}

extension ReportFormat: ExpressibleByArgument {}
