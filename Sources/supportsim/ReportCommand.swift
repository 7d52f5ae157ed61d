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

    @Option(name: .long, help: "Output format: table, csv, json, ndjson (csv, json and ndjson are streamed) or html (one self-contained page with charts).")
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
        if format != .table {
            try streamRows(database, filter)
            return
        }
        let attempts = try database.attempts(filter)
        let audit = try database.audit(attemptIDs: attempts.map(\.id))
        try ReportFileOutput.emit(AttemptsReport(attempts: attempts, audit: audit).render(
            format, language: language, color: output == nil && RunEnvironment.useColor), to: output)
    }

    /// CSV, JSON and NDJSON rows are written as they are read: memory does not grow with the store
    /// (only with the number of attempts that were overridden or rescored, read first).
    private func streamRows(_ database: any AttemptStore, _ filter: AttemptFilter) throws {
        let audit = try database.audit(attemptIDs: try database.auditedAttemptIDs())
        let sink = try ReportFileOutput.Output(output)
        var renderer = AttemptRowRenderer(format)
        sink.write(renderer.header())
        try database.forEachAttempt(filter, order: .newestFirst, includePaths: format != .csv) { row in
            sink.write(renderer.row(row.record, path: row.path, audit: audit[row.record.id]))
        }
        sink.write(renderer.footer())
        try sink.finish()
    }
}

extension ReportFormat: ExpressibleByArgument {}
