import Foundation
import Testing

/// `supportsim show` (and `review`) on attempts played through the binary from golden transcripts.
@Suite struct ShowCommandTests {
    static let env = ["SUPPORTSIM_EMBEDDINGS": "off"]

    /// The replies of one run of a golden transcript (double-quoted YAML strings, which read as JSON).
    static func goldenReplies(_ scenario: String, run: String) throws -> [String] {
        let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Scenarios/\(scenario).transcript.yaml"),
                              encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "- name: \(run)" })
        let replies = try #require(lines[start...].firstIndex { $0.trimmingCharacters(in: .whitespaces) == "replies:" })
        var out: [String] = []
        for line in lines[(replies + 1)...] {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("- \"") else { break }
            out.append(try JSONDecoder().decode(String.self, from: Data(trimmed.dropFirst(2).utf8)))
        }
        return out
    }

    /// Plays the run's replies in exam mode into `db` and returns the attempt id.
    static func play(_ scenario: String, run: String, seed: Int, db: String, trainee: String,
                     extra: [String] = []) throws -> Int {
        let replies = try goldenReplies(scenario, run: run) + extra
        let result = try CLI.run(["play", scenario, "--db", db, "--trainee", trainee, "--seed", "\(seed)", "--exam",
                                  "--lang", "en"], input: replies.joined(separator: "\n") + "\n", environment: env)
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try JSONSerialization.jsonObject(
            with: Data(try CLI.run(["report", "--db", db, "--format", "json", "--trainee", trainee]).stdout.utf8)) as? [[String: Any]]
        return try #require(rows?.first?["id"] as? Int)
    }

    @Test("Given a golden run played into a database, when it is shown as text, JSON and HTML, then each has the transcript, the scored events, the path and the result")
    func completedAttemptInEveryFormat() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("a.sqlite").path
        let id = try Self.play("printer-before-board-meeting", run: "good", seed: 1, db: db, trainee: "olga")

        let text = try CLI.run(["show", "\(id)", "--db", db, "--lang", "en"], environment: Self.env)
        #expect(text.status == 0, "\(text.stderr)")
        for line in text.stdout.split(separator: "\n") { #expect(line.count <= 80, "too wide: \(line)") }
        #expect(text.stdout.contains("Attempt \(id) — "))
        #expect(text.stdout.contains("Customer: "))  // the opening, replayed from the scenario
        #expect(text.stdout.contains("Trainee: [[Hello]] [[Olga]]"))
        #expect(text.stdout.contains("intent:ask_printer"))
        #expect(text.stdout.contains("[[") && text.stdout.contains("scenario points"))
        #expect(text.stdout.contains("opening → printer_identified → queue_checked"))
        #expect(text.stdout.contains("PASSED"))

        let json = try CLI.run(["show", "\(id)", "--db", db, "--format", "json"], environment: Self.env)
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["format_version"] as? Int == 1 && object["missing"] as? [String] == [])
        let path = try #require(object["path"] as? [String: Any])
        #expect((path["nodes"] as? [String])?.last == "wrap_up")
        let result = try #require(object["result"] as? [String: Any])
        #expect(result["passed"] as? Bool == true && result["total"] as? Int != nil)
        let turns = try #require(object["turns"] as? [[String: Any]])
        #expect(turns.count == 8 && turns.last?["command"] as? String == "close")

        // `review` is the same command
        let html = try CLI.run(["review", "\(id)", "--db", db, "--format", "html", "--lang", "ru"], environment: Self.env)
        #expect(html.status == 0, "\(html.stderr)")
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>") && html.stdout.contains("<mark>") && !html.stdout.contains("<script"))
        #expect(html.stdout.contains("Попытка \(id)"))
    }

    @Test("Given a Russian golden run that stopped half-way, when it is shown in Russian at 80 columns, then it fits, says it was abandoned and has no total; report counts it apart")
    func abandonedRussianAttempt() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("a.sqlite").path
        let replies = try Self.goldenReplies("vpn-error-after-update", run: "good")
        let played = try CLI.run(["play", "vpn-error-after-update", "--db", db, "--trainee", "Иван", "--seed", "1", "--exam",
                                  "--lang", "ru"], input: replies.prefix(2).joined(separator: "\n") + "\n", environment: Self.env)
        #expect(played.status == 0, "\(played.stderr)")

        let text = try CLI.run(["show", "1", "--db", db, "--lang", "ru"], environment: Self.env)
        #expect(text.status == 0, "\(text.stderr)")
        for line in text.stdout.split(separator: "\n") { #expect(line.count <= 80, "too wide: \(line)") }
        #expect(text.stdout.contains("прервано — итога нет"))
        #expect(text.stdout.contains("Клиент: "))
        #expect(!text.stdout.contains("Итог "))

        let report = try CLI.run(["report", "--db", db, "--lang", "en"], environment: Self.env)
        #expect(report.stdout.contains("1 attempt (1 abandoned), 0 passed, average total —"), "\(report.stdout)")

        let missing = try CLI.run(["show", "42", "--db", db], environment: Self.env)
        #expect(missing.status != 0 && missing.stderr.contains("no attempt #42"))
    }

    @Test("Given the scenario folder is not at hand, when an attempt is shown, then what needs the scenario is named as missing")
    func withoutTheScenarioTheOpeningIsNamedMissing() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("a.sqlite").path
        let id = try Self.play("printer-before-board-meeting", run: "good", seed: 1, db: db, trainee: "olga")
        let json = try CLI.run(["show", "\(id)", "--db", db, "--format", "json", "--scenarios", dir.path], environment: Self.env)
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["missing"] as? [String] == ["opening"] && object["opening"] is NSNull)
    }

    @Test("Given an attempt whose evidence was stored before model answers were kept, when shown with its scenario at hand, then the replay fills in the model answers and scenario points; without it, they are named missing")
    func olderEvidenceIsFilledByTheReplay() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("a.sqlite").path
        let id = try Self.play("printer-before-board-meeting", run: "rude", seed: 3, db: db, trainee: "olga")
        let before = try JSONSerialization.jsonObject(with: Data(
            try CLI.run(["show", "\(id)", "--db", db, "--format", "json"], environment: Self.env).stdout.utf8)) as? [String: Any]
        let answers = try #require(before?["model_answers"] as? [[String: Any]])
        #expect(!answers.isEmpty)
        // Made to look like an attempt stored before schema 5
        let strip = Process()
        strip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        strip.arguments = ["sqlite3", db, "UPDATE evidence SET model_answer = NULL, scale_written = NULL, scale_possible = NULL, details_stored = 0"]
        try strip.run()
        strip.waitUntilExit()
        try #require(strip.terminationStatus == 0, "the sqlite3 command is needed (apt-get install sqlite3)")

        let replayed = try #require(try JSONSerialization.jsonObject(with: Data(
            try CLI.run(["show", "\(id)", "--db", db, "--format", "json"], environment: Self.env).stdout.utf8)) as? [String: Any])
        #expect(replayed["missing"] as? [String] == [])
        #expect((replayed["model_answers"] as? [[String: Any]])?.map { $0["model_answer"] as? String }
                == answers.map { $0["model_answer"] as? String })

        let text = try CLI.run(["show", "\(id)", "--db", db, "--scenarios", dir.path], environment: Self.env)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("before model answers and scenario points were kept"))
        #expect(!text.stdout.contains("model answer:"))
    }
}
