import Foundation
import Testing

/// The issue's "done when": show, report (every grouping and format), override, rescore, verify and
/// every export work on the attempts produced by every run of the shipped golden transcripts.
@Suite(.serialized) struct GoldenAttemptsCommandsTests {
    static let env = ["SUPPORTSIM_EMBEDDINGS": "off"]

    struct Run { var scenario: String; var name: String; var seed: Int }

    /// Every run of every `Scenarios/*.transcript.yaml` (name and seed; replies via `goldenReplies`).
    static func goldenRuns() throws -> [Run] {
        let folder = CLI.packageRoot.appendingPathComponent("Scenarios")
        var runs: [Run] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where file.hasSuffix(".transcript.yaml") {
            let scenario = String(file.dropLast(".transcript.yaml".count))
            let lines = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8).components(separatedBy: "\n")
            for (i, line) in lines.enumerated() where line.hasPrefix("  - name: ") {
                let name = String(line.dropFirst("  - name: ".count)).trimmingCharacters(in: .whitespaces)
                let seedLine = lines[(i + 1)...].first { $0.hasPrefix("    seed: ") }
                let seed = seedLine.flatMap { Int($0.dropFirst("    seed: ".count).trimmingCharacters(in: .whitespaces)) } ?? 1
                runs.append(Run(scenario: scenario, name: name, seed: seed))
            }
        }
        return runs
    }

    /// Plays every golden run into a new database: three trainees (one Cyrillic), exam and practice in turn.
    static func playAll() throws -> (dir: URL, db: String, runs: Int) {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("golden.sqlite").path
        let runs = try goldenRuns()
        let trainees = ["olga", "Иван Петров", "anna"]
        for (i, run) in runs.enumerated() {
            let replies = try ShowCommandTests.goldenReplies(run.scenario, run: run.name)
            let result = try CLI.run(
                ["play", run.scenario, "--db", db, "--trainee", trainees[i % 3], "--seed", "\(run.seed)", "--lang", "en"]
                    + (i % 2 == 0 ? ["--exam"] : []),
                input: replies.joined(separator: "\n") + "\n", environment: env)
            #expect(result.status == 0, "\(run.scenario)/\(run.name): \(result.stderr)")
        }
        return (dir, db, runs.count)
    }

    static func run(_ arguments: [String], status: Int32 = 0) throws -> CLI.Result {
        let result = try CLI.run(arguments, environment: env)
        #expect(result.status == status, "\(arguments): \(result.stderr)")
        return result
    }

    static func fits80(_ text: String, _ what: String) {
        for line in text.split(separator: "\n") { #expect(line.count <= 80, "\(what): too wide: \(line)") }
    }

    @Test("Given every golden run played into one database, when show, report (every format and grouping), override, rescore, verify and export xapi run on them, then each succeeds with the figures of those attempts")
    func everyCommandOnGoldenAttempts() throws {
        // Given
        let (dir, db, count) = try Self.playAll()
        #expect(count >= 20)

        // When / Then: report in every format
        let json = try Self.run(["report", "--db", db, "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == count)
        let ids = rows.compactMap { $0["id"] as? Int }.sorted()
        for lang in ["en", "ru"] {
            Self.fits80(try Self.run(["report", "--db", db, "--lang", lang]).stdout, "report table \(lang)")
        }
        let csv = try Self.run(["report", "--db", db, "--format", "csv"]).stdout
        #expect(csv.hasPrefix("\u{FEFF}id,") && csv.components(separatedBy: "\r\n").count - 2 == count)
        #expect(try Self.run(["report", "--db", db, "--format", "ndjson"]).stdout.split(separator: "\n").count == count)
        let html = try Self.run(["report", "--db", db, "--format", "html"]).stdout
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("</html>") && !html.contains("<script"))

        // report --by every grouping, in every format that takes it; html refuses --by
        for by in ["trainee", "scenario", "category", "week", "month", "skill"] {
            for format in ["table", "csv", "json", "ndjson"] {
                let out = try Self.run(["report", "--db", db, "--by", by, "--format", format, "--lang", "en"]).stdout
                #expect(!out.isEmpty, "--by \(by) --format \(format)")
                if format == "table" { Self.fits80(out, "--by \(by)") }
                if format == "json" { #expect((try? JSONSerialization.jsonObject(with: Data(out.utf8))) != nil, "--by \(by) json") }
            }
            Self.fits80(try Self.run(["report", "--db", db, "--by", by, "--lang", "ru"]).stdout, "--by \(by) ru")
            _ = try Self.run(["report", "--db", db, "--by", by, "--format", "html"], status: 64)
        }

        // show every attempt as text, JSON and HTML
        for id in ids {
            Self.fits80(try Self.run(["show", "\(id)", "--db", db, "--lang", id % 2 == 0 ? "ru" : "en"]).stdout, "show \(id)")
            let object = try JSONSerialization.jsonObject(with: Data(try Self.run(["show", "\(id)", "--db", db, "--format", "json"]).stdout.utf8))
            let shown = try #require(object as? [String: Any])
            #expect(shown["missing"] as? [String] == [], "show \(id): \(shown["missing"] ?? "")")
            #expect(try Self.run(["review", "\(id)", "--db", db, "--format", "html"]).stdout.hasPrefix("<!DOCTYPE html>"))
        }

        // override, then the chain still holds
        let first = try #require(rows.first { $0["status"] as? String == "completed" && $0["politeness"] as? Int != nil })
        let firstID = try #require(first["id"] as? Int)
        _ = try Self.run(["override", "\(firstID)", "--category", "politeness", "--score", "55", "--reason", "golden check",
                          "--by", "lead", "--db", db, "--lang", "en"])
        #expect(try Self.run(["report", "--db", db, "--lang", "en"]).stdout.contains("→55"))

        // rescore with the shipped scenarios: every finished attempt replays without diverging
        let same = try Self.run(["rescore", "--db", db, "--lang", "en"]).stdout
        #expect(same.contains("no score changed"), "\(same)")
        #expect(!same.contains("diverged") && !same.contains("missing"), "\(same)")
        let abandoned = rows.filter { $0["ended_at"] is NSNull }.count
        #expect(same.hasPrefix("Rescored \(count - abandoned) attempt"), "\(same)")

        // rescore after a weight change: the changed attempts show their scores as played
        let folder = dir.appendingPathComponent("scenarios")
        try FileManager.default.copyItem(at: CLI.packageRoot.appendingPathComponent("Scenarios"), to: folder)
        let printer = folder.appendingPathComponent("printer-before-board-meeting.yaml")
        try String(contentsOf: printer, encoding: .utf8).replacingOccurrences(of: "pass_mark: 80", with: "pass_mark: 95")
            .replacingOccurrences(of: "outcome_points: 20", with: "outcome_points: 60")
            .write(to: printer, atomically: true, encoding: .utf8)
        let changed = try Self.run(["rescore", "--db", db, "--scenarios", folder.path, "--lang", "en"]).stdout
        #expect(changed.contains("changed:") && !changed.contains("diverged"), "\(changed)")
        let table = try Self.run(["report", "--db", db, "--lang", "en"]).stdout
        #expect(table.contains("* rescored ") && table.contains("(as played in brackets)"), "\(table)")
        Self.fits80(table.split(separator: "\n").filter { !$0.hasPrefix("#") }.joined(separator: "\n"), "table after rescore")
        #expect(try Self.run(["report", "--db", db, "--format", "html"]).stdout.contains("<ul class=\"rescorings\">"))
        let rescoredRows = try #require(try JSONSerialization.jsonObject(
            with: Data(try Self.run(["report", "--db", db, "--format", "json"]).stdout.utf8)) as? [[String: Any]])
        let rescored = try #require(rescoredRows.first { $0["scenario_id"] as? String == "printer-before-board-meeting" && $0["ended_at"] is String })
        let rescoredID = try #require(rescored["id"] as? Int)
        #expect(rescored["original_scores"] is [String: Any])
        let grouped = try Self.run(["report", "--db", db, "--by", "trainee", "--lang", "en"])
        #expect(grouped.stderr.contains("were rescored in this store; --by figures use the scores as played"), "\(grouped.stderr)")
        let shownRescored = try Self.run(["show", "\(rescoredID)", "--db", db, "--lang", "en"]).stdout
        #expect(shownRescored.contains("Rescored "), "\(shownRescored)")

        // verify: overrides and rescorings are part of the sealed record, and nothing was edited by hand
        let verified = try Self.run(["verify", "--db", db, "--lang", "en"]).stdout
        #expect(verified.contains("Chain intact: \(count) attempts"), "\(verified)")

        // export xapi: one statement per attempt, as an array, as NDJSON and to a file
        let statements = try #require(try JSONSerialization.jsonObject(
            with: Data(try Self.run(["export", "xapi", "--db", db]).stdout.utf8)) as? [[String: Any]])
        #expect(statements.count == count)
        #expect(try Self.run(["export", "xapi", "--db", db, "--ndjson"]).stdout.split(separator: "\n").count == count)
        let file = dir.appendingPathComponent("statements.json").path
        _ = try Self.run(["export", "xapi", "--db", db, "--output", file])
        #expect(FileManager.default.fileExists(atPath: file))
        #expect(try Self.run(["export", "xapi", "--db", db, "--ndjson", "--mode", "exam"]).stdout.split(separator: "\n").count
                == rows.filter { $0["mode"] as? String == "exam" }.count)
    }
}
