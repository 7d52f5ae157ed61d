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
            guard filters.by == nil else {
                throw ValidationError("--by is for the table, CSV and JSON; --format html draws its own figures "
                                      + "(per trainee, category, week and skill), so leave --by out.")
            }
            return try ReportFileOutput.writeHTML(databasePath: path, filter: filter, language: language,
                                                  output: output, filters: filterLabels)
        }
        guard FileManager.default.fileExists(atPath: path) else {
            if let by = filters.by {
                return try ReportFileOutput.emit(try GroupedReportRun.render(database: nil, filter: filter, by: by, format: format,
                                                                             language: language, now: now), to: output)
            }
            return try ReportFileOutput.emit(AttemptsReport(attempts: []).render(format, language: language), to: output)
        }
        let database = try AttemptDatabase.openReadOnly(path: path)
        if let notice = database.notice {
            FileHandle.standardError.write(Data("note: \(notice)\n".utf8))
        }
        if let by = filters.by {
            return try ReportFileOutput.emit(try GroupedReportRun.render(database: database, filter: filter, by: by, format: format,
                                                                         language: language, now: now), to: output)
        }
        if format == .table {
            try streamTable(database, filter, language: language)
        } else {
            try streamRows(database, filter)
        }
    }

    /// Rows are gathered into chunks of about this many bytes before each write.
    private static let chunk = 1 << 16

    /// CSV, JSON and NDJSON rows are written as they are read: memory does not grow with the store
    /// (only with the number of attempts that were overridden or rescored, read first).
    private func streamRows(_ database: AttemptDatabase, _ filter: AttemptFilter) throws {
        let audit = try database.audit(attemptIDs: try database.auditedAttemptIDs())
        let sink = try ReportFileOutput.Output(output)
        var renderer = AttemptRowRenderer(format)
        var bytes = ReportBytes(capacity: Self.chunk + 4096)
        bytes.append(renderer.header())
        try database.forEachAttempt(filter, includePaths: format != .csv, includeLastTurn: false) { row in
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
