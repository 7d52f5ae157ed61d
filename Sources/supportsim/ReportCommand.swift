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
        works. A value written by a newer SupportSim shows as "unknown (value)".
        """
    )

    @Option(name: .long, help: "The attempts database (default: $XDG_DATA_HOME/supportsim/supportsim.sqlite).")
    var db: String?

    @Option(name: .long, help: "Only this trainee's attempts.")
    var trainee: String?

    @Option(name: .long, help: "Only attempts at this scenario id.")
    var scenario: String?

    @Option(name: .long, help: "Only attempts started on or after this date (YYYY-MM-DD).")
    var since: String?

    @Option(name: .long, help: "Output format: table, csv, json or ndjson (csv, json and ndjson are streamed).")
    var format: ReportFormat = .table

    @Option(name: .long, help: "Interface language for the table: en or ru (default: from the locale).")
    var lang: Language?

    func run() throws {
        var filter = AttemptFilter()
        filter.trainee = trainee
        filter.scenarioID = scenario
        if let since {
            let parser = DateFormatter()
            parser.locale = Locale(identifier: "en_US_POSIX")
            parser.timeZone = TimeZone(identifier: "UTC")
            parser.dateFormat = "yyyy-MM-dd"
            guard let date = parser.date(from: since) else {
                throw ValidationError("--since expects a date as YYYY-MM-DD, got '\(since)'.")
            }
            filter.since = date
        }
        let path = RunEnvironment.databasePath(db)
        guard FileManager.default.fileExists(atPath: path) else {
            let language = RunEnvironment.interfaceLanguage(lang, fallback: .en)
            print(AttemptsReport(attempts: []).render(format, language: language), terminator: "")
            return
        }
        let database = try AttemptDatabase.openReadOnly(path: path)
        if let notice = database.notice {
            FileHandle.standardError.write(Data("note: \(notice)\n".utf8))
        }
        if format != .table {
            try streamRows(database, filter)
            return
        }
        let attempts = try database.attempts(filter)
        let language = RunEnvironment.interfaceLanguage(lang, fallback: .en)
        print(AttemptsReport(attempts: attempts).render(format, language: language, color: RunEnvironment.useColor && format == .table), terminator: "")
    }

    /// CSV, JSON and NDJSON rows are written as they are read: memory does not grow with the store.
    private func streamRows(_ database: AttemptDatabase, _ filter: AttemptFilter) throws {
        let sink = TextSink()
        var renderer = AttemptRowRenderer(format)
        sink.write(renderer.header())
        try database.forEachAttempt(filter, includePaths: format != .csv) { row in
            sink.write(renderer.row(row.record, path: row.path))
        }
        sink.write(renderer.footer())
        try sink.finish()
    }
}

extension ReportFormat: ExpressibleByArgument {}
