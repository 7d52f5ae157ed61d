import Foundation
import Testing

/// `supportsim report` filters and `--by` groupings on attempts played through the binary from golden transcripts.
@Suite struct ReportGroupsTests {
    static let env = ["SUPPORTSIM_EMBEDDINGS": "off"]

    /// Plays one golden run into `db` (exam or practice).
    static func play(_ scenario: String, run: String, seed: Int, db: String, trainee: String, exam: Bool) throws {
        let replies = try ShowCommandTests.goldenReplies(scenario, run: run)
        let result = try CLI.run(["play", scenario, "--db", db, "--trainee", trainee, "--seed", "\(seed)", "--lang", "en"]
                                 + (exam ? ["--exam"] : []),
                                 input: replies.joined(separator: "\n") + "\n", environment: env)
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// Five attempts: two trainees with Cyrillic names, practice and exam, one abandoned (a `/close`
    /// with no resolution when the input ends), escalations too early and hand-off notes with gaps.
    static func team() throws -> String {
        let db = try CLI.temporaryDirectory().appendingPathComponent("team.sqlite").path
        try play("printer-before-board-meeting", run: "good", seed: 1, db: db, trainee: "olga", exam: true)
        try play("printer-before-board-meeting", run: "competent-but-curt", seed: 4, db: db, trainee: "Иван Петров", exam: true)
        try play("vpn-error-after-update", run: "right-team-too-early", seed: 2, db: db, trainee: "Иван Петров", exam: true)
        try play("vpn-error-after-update", run: "good", seed: 1, db: db, trainee: "olga", exam: false)
        try play("deleted-report-boss-needs", run: "poor-blame-and-wrong-tier", seed: 1, db: db,
                 trainee: "Александра Константиновна Преображенская", exam: true)
        return db
    }

    static func report(_ db: String, _ arguments: [String]) throws -> String {
        let result = try CLI.run(["report", "--db", db] + arguments, environment: env)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return result.stdout
    }

    static func ids(_ db: String, _ filter: [String]) throws -> Int {
        let json = try report(db, ["--format", "json"] + filter)
        return (try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])?.count ?? -1
    }

    @Test("Given attempts played from golden transcripts, when report is filtered, then each filter selects the attempts it names")
    func filters() throws {
        let db = try Self.team()
        #expect(try Self.ids(db, []) == 5)
        #expect(try Self.ids(db, ["--trainee", "Иван Петров"]) == 2)
        #expect(try Self.ids(db, ["--scenario", "vpn-error-after-update"]) == 2)
        #expect(try Self.ids(db, ["--tag", "handoff-note"]) == 3)  // vpn and deleted-report
        #expect(try Self.ids(db, ["--tag", "printing"]) == 2)
        #expect(try Self.ids(db, ["--line", "L1"]) == 5)
        #expect(try Self.ids(db, ["--line", "L2"]) == 0)
        #expect(try Self.ids(db, ["--line", "l1"]) == 5)
        #expect(try Self.ids(db, ["--mode", "practice"]) == 1)
        #expect(try Self.ids(db, ["--mode", "exam", "--status", "completed"]) == 3)
        #expect(try Self.ids(db, ["--status", "abandoned"]) == 1)
        #expect(try Self.ids(db, ["--since", "1d"]) == 5)
        #expect(try Self.ids(db, ["--until", "2000-01-01"]) == 0)
        #expect(try Self.ids(db, ["--since", "2000-01-01", "--until", "2999-12-31"]) == 5)
        let bad = try CLI.run(["report", "--db", db, "--since", "yesterday"], environment: Self.env)
        #expect(bad.status != 0 && bad.stderr.contains("--since expects a day as YYYY-MM-DD or a span such as 30d"))
    }

    @Test("Given attempts played from golden transcripts, when report is grouped by each grouping in both languages, then every table fits 80 columns and practice and exam are apart")
    func everyGrouping() throws {
        let db = try Self.team()
        for by in ["trainee", "scenario", "category", "week", "month", "skill"] {
            for lang in ["en", "ru"] {
                let text = try Self.report(db, ["--by", by, "--lang", lang])
                for line in text.split(separator: "\n") {
                    #expect(line.count <= 80, "--by \(by) --lang \(lang) too wide: \(line)")
                }
                #expect(!text.contains("No attempts"), "--by \(by)")
            }
        }
        let trainees = try Self.report(db, ["--by", "trainee"])
        #expect(trainees.contains("Exam — by trainee") && trainees.contains("Practice — by trainee"))
        #expect(trainees.contains("Иван Петров") && trainees.contains("Александра Константинов…"))
        #expect(trainees.contains("Recency-weighted proficiency") && trainees.contains("Exam — weakest skills"))
        // Иван: 2 exam attempts, 1 abandoned, so the mean is over one.
        let ivan = try #require(trainees.split(separator: "\n").first { $0.hasPrefix("Иван Петров") })
        #expect(ivan.split(separator: " ", omittingEmptySubsequences: true)[2...3] == ["2", "1"])

        let skills = try Self.report(db, ["--by", "skill"])
        #expect(skills.contains("escalated too early") && skills.contains("2 of 2"))
        let ru = try Self.report(db, ["--by", "skill", "--lang", "ru"])
        #expect(ru.contains("эскалация слишком рано") && ru.contains("2 из 2"))

        let json = try Self.report(db, ["--by", "week", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let groups = try #require(object["groups"] as? [[String: Any]])
        #expect(Set(groups.compactMap { $0["mode"] as? String }) == ["exam", "practice"])
        #expect(groups.map { $0["attempts"] as? Int ?? 0 }.reduce(0, +) == 5)

        let csv = try Self.report(db, ["--by", "category", "--format", "csv", "--mode", "exam"])
        #expect(csv.hasPrefix("\u{FEFF}mode,category,attempts,abandoned,scored,mean,sd,trend\r\n"))
        #expect(csv.contains("exam,total,4,1,3,"))
    }
}
