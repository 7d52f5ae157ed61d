import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimReport
import SupportSimStore

/// The attempt filters of `supportsim report` and `supportsim export xapi` (one definition for both).
struct ReportFilterOptions: ParsableArguments {
    @Option(name: .long, help: "Only this trainee's attempts.")
    var trainee: String?

    @Option(name: .long, help: "Only attempts at this scenario id.")
    var scenario: String?

    @Option(name: .long, help: "Only attempts at scenarios with this tag (attempts stored before schema 6 have none).")
    var tag: String?

    @Option(name: .long, help: "Only attempts at scenarios of this support line: L1, L2 or L3.")
    var line: SupportLine?

    @Option(name: .long, help: "Only attempts started on or after this day (YYYY-MM-DD, UTC) or this long ago (30d, 4w).")
    var since: String?

    @Option(name: .long, help: "Only attempts started on or before this day (YYYY-MM-DD, UTC) or before this long ago (7d).")
    var until: String?

    @Option(name: .long, help: "Only practice or exam attempts.")
    var mode: PlayMode?

    @Option(name: .long, help: "Only completed or abandoned attempts.")
    var status: AttemptStatus?

    /// The store filter, with relative dates counted back from `now`.
    func filter(now: Date) throws -> AttemptFilter {
        func date(_ text: String?, _ name: String, end: Bool) throws -> Date? {
            guard let text else { return nil }
            guard let date = ReportDates.parse(text, now: now, inclusiveEnd: end) else {
                throw ValidationError("--\(name) expects a day as YYYY-MM-DD or a span such as 30d or 4w, got '\(text)'.")
            }
            return date
        }
        return AttemptFilter(
            trainee: trainee, scenarioID: scenario, since: try date(since, "since", end: false),
            until: try date(until, "until", end: true), mode: mode, status: status, tag: tag, line: line)
    }
}

extension SupportLine: ExpressibleByArgument {
    /// `L2` or `l2`.
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
}
extension PlayMode: ExpressibleByArgument {}
extension AttemptStatus: ExpressibleByArgument {}
extension AttemptGrouping: ExpressibleByArgument {}

/// `report --by …`: the figures come from the store's grouped queries; nothing is loaded per attempt.
enum GroupedReportRun {
    static let trendWindow = 30
    static let halfLife = 14.0
    static let skillsUnderGroups = 5

    static func render(database: (any AttemptStore)?, filter: AttemptFilter, by grouping: AttemptGrouping,
                       format: ReportFormat, language: Language, now: Date) throws -> String {
        let reference = filter.until.map { min($0, now) } ?? now
        var report = GroupedReport(grouping: grouping, groups: [], trendWindow: trendWindow, halfLife: halfLife)
        guard let database else { return report.render(format, language: language) }
        noteRescoredFigures(database, language: language)
        if grouping == .skill {
            report.skills = try database.weakestSkills(filter, limit: nil)
        } else {
            report.groups = try database.groupFigures(filter, by: grouping, reference: reference, trendWindow: trendWindow)
            if grouping == .trainee {
                report.proficiency = try database.proficiency(filter, reference: reference, halfLife: halfLife)
            }
            report.skills = try database.weakestSkills(filter, limit: skillsUnderGroups)
        }
        return report.render(format, language: language)
    }

    /// The grouped figures are computed in SQL over the scores stored at play time; when some attempts
    /// were rescored since, standard error says so (the attempts table and HTML show the latest).
    static func noteRescoredFigures(_ database: any AttemptStore, language: Language) {
        guard let audit = try? database.audit(attemptIDs: try database.auditedAttemptIDs()) else { return }
        let rescored = audit.values.filter { !$0.rescorings.isEmpty }.count
        guard rescored > 0 else { return }
        let text = language == .ru
            ? "примечание: переоценённых попыток в базе: \(rescored); цифры --by посчитаны по оценкам при прохождении (последние оценки — в `supportsim report` без --by)\n"
            : "note: \(rescored) attempt\(rescored == 1 ? " was" : "s were") rescored in this store; --by figures use the scores as played (`supportsim report` without --by shows the latest)\n"
        FileHandle.standardError.write(Data(text.utf8))
    }
}
