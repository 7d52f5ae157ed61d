import Foundation
import GRDB
import SupportSimCore
import Testing
@testable import SupportSimStore

/// A Monday, 2026-11-30 00:00:00 UTC.
private let monday = Date(timeIntervalSince1970: 1_795_996_800)
private let day: TimeInterval = 86_400

private struct Played {
    var trainee: String
    var scenario: String
    var mode: PlayMode
    var daysAgo: Double
    /// nil: abandoned.
    var scores: (Int, Int, Int, Int)?
    var line: SupportLine? = .l1
    var tags: [String] = []
    var lost: [Evidence] = []
}

private func tooEarly(_ step: String) -> Evidence {
    Evidence(.deduction, points: 20, turn: 2, quote: "/escalate L2", rule: "escalation:too-early:\(step)",
             message: "escalated before: \(step)")
}

private let noContact = Evidence(.deduction, points: 10, turn: 3, quote: "note", rule: "escalation:note:contact",
                                 message: "hand-off note does not mention: customer contact")

/// Fills a temporary database through the store's own API.
private func filledDatabase(_ played: [Played]) throws -> (AttemptDatabase, String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("supportsim-groups-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("a.sqlite").path
    let database = try AttemptDatabase(path: path)
    for (i, p) in played.enumerated() {
        let started = monday.addingTimeInterval(-p.daysAgo * day)
        let id = try database.startAttempt(NewAttempt(
            trainee: p.trainee, scenarioID: p.scenario, scenarioTitle: p.scenario, language: .en, mode: p.mode,
            seed: UInt64(i), startedAt: started, line: p.line, tags: p.tags))
        if let (c, pol, esc, total) = p.scores {
            let card = ScoreCard(
                categories: [
                    CategoryScore(category: .correctness, score: c, evidence: []),
                    CategoryScore(category: .politeness, score: pol, evidence: []),
                    CategoryScore(category: .escalation, score: esc, evidence: p.lost),
                ],
                total: total, passMark: 80, critical: [])
            try database.finishAttempt(id: id, ending: .resolved, card: card, at: started.addingTimeInterval(600))
        } else {
            try database.finishAttempt(id: id, ending: .abandoned, card: nil, at: started.addingTimeInterval(60))
        }
    }
    return (database, path)
}

private let team: [Played] = [
    // olga, exam, printer: two this week, one last week, one abandoned
    Played(trainee: "olga", scenario: "printer", mode: .exam, daysAgo: 1, scores: (90, 80, 100, 90), tags: ["printing"]),
    Played(trainee: "olga", scenario: "printer", mode: .exam, daysAgo: 2, scores: (70, 80, 60, 70), tags: ["printing"],
           lost: [tooEarly("ask_printer")]),
    Played(trainee: "olga", scenario: "printer", mode: .exam, daysAgo: 9, scores: (60, 60, 60, 60), tags: ["printing"],
           lost: [tooEarly("clear_queue")]),
    Played(trainee: "olga", scenario: "printer", mode: .exam, daysAgo: 1, scores: nil, tags: ["printing"]),
    // Иван (Cyrillic), practice and exam, vpn (L2)
    Played(trainee: "Иван Петров", scenario: "vpn", mode: .practice, daysAgo: 3, scores: (50, 70, 40, 55), line: .l2,
           tags: ["vpn", "escalation"], lost: [noContact]),
    Played(trainee: "Иван Петров", scenario: "vpn", mode: .exam, daysAgo: 40, scores: (80, 90, 100, 88), line: .l2,
           tags: ["vpn", "escalation"]),
    Played(trainee: "Иван Петров", scenario: "vpn", mode: .exam, daysAgo: 45, scores: (80, 90, 50, 76), line: .l2,
           tags: ["vpn", "escalation"], lost: [noContact]),
]

@Suite("Store: grouped report queries")
struct GroupedReportStoreTests {
    @Test("Given attempts of several trainees, scenarios, modes and dates, when each filter is applied, then only the matching attempts are listed")
    func eachFilter() throws {
        let (db, _) = try filledDatabase(team)
        func count(_ filter: AttemptFilter) throws -> Int { try db.attempts(filter).count }
        #expect(try count(AttemptFilter()) == 7)
        #expect(try count(AttemptFilter(trainee: "Иван Петров")) == 3)
        #expect(try count(AttemptFilter(scenarioID: "printer")) == 4)
        #expect(try count(AttemptFilter(tag: "vpn")) == 3)
        #expect(try count(AttemptFilter(tag: "printing")) == 4)
        #expect(try count(AttemptFilter(tag: "nothing")) == 0)
        #expect(try count(AttemptFilter(line: .l2)) == 3)
        #expect(try count(AttemptFilter(line: .l3)) == 0)
        #expect(try count(AttemptFilter(since: monday.addingTimeInterval(-5 * day))) == 4)
        #expect(try count(AttemptFilter(until: monday.addingTimeInterval(-5 * day))) == 3)
        #expect(try count(AttemptFilter(mode: .practice)) == 1)
        #expect(try count(AttemptFilter(mode: .exam)) == 6)
        #expect(try count(AttemptFilter(status: .abandoned)) == 1)
        #expect(try count(AttemptFilter(status: .completed)) == 6)
        #expect(try count(AttemptFilter(trainee: "olga", status: .completed, tag: "printing", line: .l1)) == 3)
        // A value that looks like SQL is only a parameter.
        #expect(try count(AttemptFilter(trainee: "olga' OR '1'='1")) == 0)
        #expect(try db.tags(attemptID: 5) == ["escalation", "vpn"] && db.line(attemptID: 5) == .l2)
    }

    @Test("Given the team's attempts, when grouped by trainee, then practice and exam are apart, abandoned attempts are counted but not averaged, and the 30-day trend is shown")
    func byTrainee() throws {
        let (db, _) = try filledDatabase(team)
        let groups = try db.groupFigures(AttemptFilter(), by: .trainee, reference: monday)
        #expect(groups.map { "\($0.key)/\($0.mode.rawValue)" } == ["olga/exam", "Иван Петров/exam", "Иван Петров/practice"])
        let olga = groups[0]
        #expect(olga.attempts == 4 && olga.abandoned == 1 && olga.completed == 3 && olga.passed == 1)
        #expect(olga.passRate == 1.0 / 3)
        let total = try #require(olga.scores[.total])
        let olgaMean: Double = (90 + 70 + 60) / 3
        #expect(total.count == 3 && total.mean == olgaMean)
        let sd = try #require(total.standardDeviation)
        #expect(abs(sd - 12.472191) < 0.0001)  // population SD of 90, 70, 60
        #expect(total.trend == nil)  // nothing in the 30 days before the last 30
        let ivanExam = groups[1]
        #expect(ivanExam.scores[.total]?.mean == 82 && ivanExam.scores[.total]?.trend == nil)
        #expect(ivanExam.scores[.escalation]?.standardDeviation == 25)
        // A window of 7 days: olga's last week (80) against the week before (60).
        let weekly = try db.groupFigures(AttemptFilter(trainee: "olga"), by: .trainee, reference: monday, trendWindow: 7)
        #expect(weekly.first?.scores[.total]?.trend == 20)
    }

    @Test("Given the team's attempts, when grouped by scenario, category, week and month, then each has its groups and figures")
    func otherGroupings() throws {
        let (db, _) = try filledDatabase(team)
        let scenarios = try db.groupFigures(AttemptFilter(), by: .scenario, reference: monday)
        #expect(scenarios.map { "\($0.key)/\($0.mode.rawValue)/\($0.attempts)" } == ["printer/exam/4", "vpn/exam/2", "vpn/practice/1"])

        let categories = try db.groupFigures(AttemptFilter(), by: .category, reference: monday)
        #expect(categories.map(\.mode.rawValue) == ["exam", "practice"])
        #expect(categories[0].attempts == 6 && categories[0].abandoned == 1 && categories[0].scores[.correctness]?.count == 5)
        let correctMean: Double = (90 + 70 + 60 + 80 + 80) / 5
        #expect(categories[0].scores[.correctness]?.mean == correctMean)

        let weeks = try db.groupFigures(AttemptFilter(mode: .exam), by: .week, reference: monday)
        // Mondays: 2026-11-23 (1 and 2 days before the 30th), 2026-11-16 (9 days), October for Иван.
        #expect(weeks.map(\.key) == ["2026-10-12", "2026-10-19", "2026-11-16", "2026-11-23"])
        #expect(weeks[3].scores[.total]?.mean == 80 && weeks[3].scores[.total]?.trend == 20)
        #expect(weeks[2].scores[.total]?.trend == nil)  // no exam the week before

        let months = try db.groupFigures(AttemptFilter(mode: .exam), by: .month, reference: monday)
        #expect(months.map(\.key) == ["2026-10", "2026-11"])
        let november: Double = (90 + 70 + 60) / 3
        #expect(months[1].scores[.total]?.mean == november)
        let monthTrend = try #require(months[1].scores[.total]?.trend)
        #expect(abs(monthTrend - (november - 82)) < 1e-9)
        #expect(AttemptDatabase.previousPeriod("2026-01", weekly: false) == "2025-12")
        #expect(AttemptDatabase.previousPeriod("2026-03-02", weekly: true) == "2026-02-23")
    }

    @Test("Given attempts of different ages, when proficiency is weighed with a 14-day half-life, then recent attempts weigh more")
    func proficiency() throws {
        let (db, _) = try filledDatabase(team)
        let all = try db.proficiency(AttemptFilter(), reference: monday, halfLife: 14)
        let olga = try #require(all.first { $0.trainee == "olga" && $0.mode == .exam })
        let w = [1.0, 2, 9].map { pow(0.5, $0 / 14) }
        let expected = (w[0] * 90 + w[1] * 70 + w[2] * 60) / w.reduce(0, +)
        #expect(abs((olga.scores[.total] ?? 0) - expected) < 1e-6)
        #expect(all.contains { $0.trainee == "Иван Петров" && $0.mode == .practice && $0.scores[.total] == 55 })
    }

    @Test("Given lost points stored as evidence, when the weakest skills are counted, then each rule counts once per attempt out of the attempts at its scenarios, per mode")
    func weakestSkills() throws {
        let (db, _) = try filledDatabase(team)
        let skills = try db.weakestSkills(AttemptFilter())
        let exam = skills.filter { $0.mode == .exam }
        // escalated too early: 2 of olga's 3 completed exam attempts at "printer" (steps merged)
        #expect(exam.first?.rule == "escalation:too-early" && exam.first?.attempts == 2 && exam.first?.outOf == 3)
        #expect(exam.contains { $0.rule == "escalation:note:contact" && $0.attempts == 1 && $0.outOf == 2 })
        #expect(skills.contains { $0.mode == .practice && $0.rule == "escalation:note:contact" && $0.outOf == 1 })
        let limited = try db.weakestSkills(AttemptFilter(), limit: 1)
        #expect(limited.count == 2)  // one per mode
        #expect(try db.weakestSkills(AttemptFilter(trainee: "nobody")).isEmpty)
    }

    @Test("Given a database at schema 5, when opened for writing, then it is migrated (through 6) with no line or tags for older attempts, and a read-only open of schema 5 filters by line to nothing")
    func schema5Migrates() throws {
        let (db, path) = try filledDatabase(Array(team.prefix(1)))
        _ = db
        // Take it back to schema 5 as an older SupportSim left it.
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: """
                DROP TABLE score_override; DROP TABLE scoring; DROP TABLE chain_head;
                ALTER TABLE attempt DROP COLUMN scenario_hash; ALTER TABLE attempt DROP COLUMN scorer_version;
                ALTER TABLE attempt DROP COLUMN chain_prev; ALTER TABLE attempt DROP COLUMN chain_hash;
                ALTER TABLE attempt DROP COLUMN chain_turns; ALTER TABLE attempt DROP COLUMN seal_hash;
                ALTER TABLE turn DROP COLUMN chain_prev; ALTER TABLE turn DROP COLUMN chain_hash;
                """)
            try db.execute(sql: "DROP TABLE attempt_tag")
            try db.execute(sql: "ALTER TABLE attempt DROP COLUMN line")
            try db.execute(sql: """
                DROP INDEX attempt_report_by_trainee; DROP INDEX attempt_report_by_scenario; DROP INDEX attempt_report_by_date;
                DROP INDEX evidence_lost_points; DROP INDEX turn_path;
                """)
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v6%' OR identifier LIKE 'v7%' OR identifier LIKE 'v8%'")
            try db.execute(sql: "PRAGMA user_version = 5")
        }
        let reader = try AttemptDatabase.openReadOnly(path: path)
        #expect(reader.notice == .olderVersion(found: 5, known: AttemptDatabase.schemaVersion))
        #expect(try reader.attempts(AttemptFilter(line: .l1)).isEmpty && reader.attempts(AttemptFilter()).count == 1)
        #expect(try reader.groupFigures(AttemptFilter(), by: .trainee, reference: monday).count == 1)

        let writer = try AttemptDatabase(path: path)
        #expect(AttemptDatabase.schemaVersion >= 6)
        #expect(try writer.line(attemptID: 1) == nil && writer.tags(attemptID: 1).isEmpty)
        #expect(try writer.attempts(AttemptFilter(tag: "printing")).isEmpty)
        let version = try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "PRAGMA user_version") }
        #expect(version == AttemptDatabase.schemaVersion)
    }
}
