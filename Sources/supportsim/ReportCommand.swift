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

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "Only this trainee's attempts.")
    var trainee: String?

    @Option(name: .long, help: "Only attempts at this scenario id.")
    var scenario: String?

    @Option(name: .long, help: "Only attempts started on or after this date (YYYY-MM-DD).")
    var since: String?

    @Option(name: .long, help: "Output format: table, csv or json.")
    var format: ReportFormat = .table

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
        let path = store.path
        let language = store.language
        guard FileManager.default.fileExists(atPath: path) else {
            print(AttemptsReport(attempts: []).render(format, language: language), terminator: "")
            return
        }
        let database = try AttemptDatabase.openReadOnly(path: path)
        if let notice = database.notice {
            FileHandle.standardError.write(Data("note: \(notice)\n".utf8))
        }
        let attempts = try database.attempts(filter)
        var paths: [Int64: AttemptPath] = [:]
        if format == .json {
            for attempt in attempts { paths[attempt.id] = try database.path(attemptID: attempt.id) }
        }
        let audit = try database.audit(attemptIDs: attempts.map(\.id))
        print(AttemptsReport(attempts: attempts, paths: paths, audit: audit).render(format, language: language, color: RunEnvironment.useColor && format == .table), terminator: "")
    }
}

extension ReportFormat: ExpressibleByArgument {}
