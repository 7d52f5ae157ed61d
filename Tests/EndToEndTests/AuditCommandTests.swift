import Foundation
import SupportSimCore
import SupportSimStore
import Testing

/// `override`, `rescore` and `verify` on attempts played through the binary from a golden transcript.
@Suite struct AuditCommandTests {
    static let env = ShowCommandTests.env
    static let scenario = "printer-before-board-meeting"

    static func sqlite(_ db: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [db, sql]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test("Given a golden run played, when a manager overrides a category, then report (table and JSON) and show show the automatic score and the override")
    func overrideShowsBoth() throws {
        let db = try CLI.temporaryDirectory().appendingPathComponent("a.sqlite").path
        let id = try ShowCommandTests.play(Self.scenario, run: "good", seed: 1, db: db, trainee: "olga")

        let saved = try CLI.run(["override", "\(id)", "--category", "politeness", "--score", "60", "--reason",
                                 "curt <script> reply", "--by", "anna", "--db", db, "--lang", "en"], environment: Self.env)
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect(saved.stdout.contains("100 → 60 (override by anna: curt <script> reply)"))

        let table = try CLI.run(["report", "--db", db, "--lang", "en"], environment: Self.env)
        #expect(table.stdout.contains("100→60"))
        #expect(table.stdout.contains("#\(id) politeness 100 → 60 (override by anna: curt <script> reply)"))

        let json = try CLI.run(["report", "--db", db, "--format", "json"], environment: Self.env)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.first?["politeness"] as? Int == 100)
        let override = try #require((rows.first?["overrides"] as? [String: Any])?["politeness"] as? [String: Any])
        #expect(override["score"] as? Int == 60 && override["by"] as? String == "anna" && override["history"] as? Int == 1)

        let show = try CLI.run(["show", "\(id)", "--db", db, "--lang", "en"], environment: Self.env)
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("politeness 100 → 60 (override by anna: curt <script> reply)"))
        let showJSON = try CLI.run(["show", "\(id)", "--db", db, "--format", "json"], environment: Self.env)
        #expect(showJSON.stdout.contains("\"override\" : {"))
    }

    @Test("Given a golden run played, when its provenance is read, then it has the SHA-256 of the scenario file and the scorer version")
    func attemptRecordsScenarioHashAndScorerVersion() throws {
        let db = try CLI.temporaryDirectory().appendingPathComponent("a.sqlite").path
        let id = try ShowCommandTests.play(Self.scenario, run: "good", seed: 5, db: db, trainee: "olga")
        let bytes = try Data(contentsOf: CLI.packageRoot.appendingPathComponent("Scenarios/\(Self.scenario).yaml"))
        let provenance = try AttemptDatabase.openReadOnly(path: db).provenance(attemptID: Int64(id))
        #expect(provenance.scenarioHash == SHA256.hex(bytes) && provenance.scorerVersion == ScorerVersion.current)
    }

    @Test("Given bad override input, when run, then each gets a clear error and a non-zero exit")
    func overrideErrors() throws {
        let db = try CLI.temporaryDirectory().appendingPathComponent("a.sqlite").path
        let id = try ShowCommandTests.play(Self.scenario, run: "good", seed: 2, db: db, trainee: "olga")
        let category = try CLI.run(["override", "\(id)", "--category", "tone", "--score", "5", "--reason", "x", "--db", db])
        #expect(category.status != 0 && category.stderr.contains("must be one of correctness, politeness"))
        let range = try CLI.run(["override", "\(id)", "--category", "politeness", "--score", "101", "--reason", "x", "--db", db])
        #expect(range.status != 0 && range.stderr.contains("from 0 to 100"))
        let unknown = try CLI.run(["override", "999", "--category", "politeness", "--score", "5", "--reason", "x", "--db", db,
                                   "--lang", "en"])
        #expect(unknown.status != 0 && unknown.stderr.contains("There is no attempt #999"))
    }

    @Test("Given played attempts and a scenario whose weights changed, when rescored, then the changes are counted, the originals kept, and a missing scenario is named")
    func rescoreCountsChanges() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("a.sqlite").path
        let id = try ShowCommandTests.play(Self.scenario, run: "good", seed: 3, db: db, trainee: "olga")
        let same = try CLI.run(["rescore", "--db", db], environment: Self.env)
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.stdout.contains("Rescored 1 attempt; no score changed."))

        let folder = dir.appendingPathComponent("scenarios")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let original = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Scenarios/\(Self.scenario).yaml"), encoding: .utf8)
        let changed = original.replacingOccurrences(of: "pass_mark: 80", with: "pass_mark: 95")
            .replacingOccurrences(of: "outcome_points: 20", with: "outcome_points: 60")
        try changed.write(to: folder.appendingPathComponent("\(Self.scenario).yaml"), atomically: true, encoding: .utf8)
        // An attempt cut off after three replies: its correctness so far depends on the outcome points.
        let replies = try ShowCommandTests.goldenReplies(Self.scenario, run: "good").prefix(3)
        _ = try CLI.run(["play", Self.scenario, "--db", db, "--trainee", "cut", "--seed", "4", "--exam", "--lang", "en"],
                        input: replies.joined(separator: "\n") + "\n", environment: Self.env)
        let dry = try CLI.run(["rescore", "--db", db, "--scenarios", folder.path, "--dry-run"], environment: Self.env)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.hasPrefix("Dry run: would rescore 2 attempts"), "\(dry.stdout)")
        #expect(dry.stdout.contains("  correctness: 1 changed, mean change -"), "\(dry.stdout)")

        let empty = dir.appendingPathComponent("none")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let missing = try CLI.run(["rescore", "--db", db, "--scenarios", empty.path], environment: Self.env)
        #expect(missing.stdout.contains("Not rescored: 2") && missing.stdout.contains("#\(id): scenario \(Self.scenario) missing"))

        let report = try CLI.run(["report", "--db", db, "--format", "json"], environment: Self.env)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [[String: Any]])
        // One rescoring stored (the first run), with the play-time scores kept beside it.
        let row = try #require(rows.first { $0["id"] as? Int == id })
        #expect(row["original_scores"] is [String: Any])
        #expect(rows.first { $0["id"] as? Int != id }?["original_scores"] is NSNull)
    }

    @Test("Given attempts played, when a turn is edited, a turn deleted and an attempt deleted with sqlite3, then verify names each row and exits 1")
    func verifyNamesTamperedRows() throws {
        let db = try CLI.temporaryDirectory().appendingPathComponent("a.sqlite").path
        let ids = try (1...3).map { try ShowCommandTests.play(Self.scenario, run: "good", seed: $0, db: db, trainee: "t\($0)") }
        let clean = try CLI.run(["verify", "--db", db], environment: Self.env)
        #expect(clean.status == 0 && clean.stdout.contains("Chain intact: 3 attempts"), "\(clean.stdout)\(clean.stderr)")

        try Self.sqlite(db, "UPDATE turn SET text = 'I was polite' WHERE attempt_id = \(ids[0]) AND turn_index = 2;"
                            + "DELETE FROM turn WHERE attempt_id = \(ids[2]) AND turn_index = 3;"
                            + "PRAGMA foreign_keys = ON; DELETE FROM attempt WHERE id = \(ids[1]);")
        let broken = try CLI.run(["verify", "--db", db], environment: Self.env)
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("attempt #\(ids[0]), turn 2: edited"))
        #expect(broken.stdout.contains("attempt #\(ids[1]): deleted"))
        #expect(broken.stdout.contains("attempt #\(ids[2]), turn 3: deleted"))
    }
}
