import Foundation
import Testing

/// Everything from a trainee or a scenario is escaped on every way out: a trainee name and a scenario
/// title carrying `<script>`, a spreadsheet formula, ANSI and OSC escape sequences and a line break,
/// and an override reason like them, through every output of report, show, override, verify and
/// export xapi.
@Suite struct HostileInputEverywhereTests {
    static let env = ["SUPPORTSIM_EMBEDDINGS": "off"]
    static let scenario = "printer-before-board-meeting"
    static let hostile = "=HYPERLINK(\"http://evil.example\",\"x\")\n<script>alert(1)</script>\u{1B}[31mred\u{1B}]8;;http://evil\u{07}link\u{9B}2J"
    /// The same in YAML double-quoted form, for the scenario title.
    static let hostileYAML = #"=HYPERLINK(\"http://evil.example\",\"x\")\n<script>alert(1)</script>\e[31mred\e]8;;http://evil\alink\u009B2J"#

    /// The raw controls that must never reach a terminal, a page or a file: ESC, BEL, CSI (C1).
    static func hasControls(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{9B}" }
    }

    /// A scenario folder with the shipped scenario under a hostile title, and a store with one attempt
    /// by a hostile trainee (the golden run "good"), overridden with a hostile reason and by a hostile manager.
    static func hostileStore() throws -> (db: String, scenarios: String, id: Int) {
        let dir = try CLI.temporaryDirectory()
        let folder = dir.appendingPathComponent("scenarios")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Scenarios/\(scenario).yaml"), encoding: .utf8)
        try text.replacingOccurrences(of: "title: The presentation that won't print before the board meeting",
                                      with: "title: \"\(hostileYAML)\"")
            .write(to: folder.appendingPathComponent("\(scenario).yaml"), atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("a.sqlite").path
        let replies = try ShowCommandTests.goldenReplies(scenario, run: "good")
        let play = try CLI.run(["play", scenario, "--scenarios", folder.path, "--db", db, "--trainee", hostile, "--seed", "1",
                                "--exam", "--lang", "en"], input: replies.joined(separator: "\n") + "\n", environment: env)
        #expect(play.status == 0, "\(play.stderr)")
        #expect(!hasControls(play.stdout), "play echoed a control: \(play.stdout.debugDescription)")
        let rows = try #require(try JSONSerialization.jsonObject(
            with: Data(try CLI.run(["report", "--db", db, "--format", "json"]).stdout.utf8)) as? [[String: Any]])
        let id = try #require(rows.first?["id"] as? Int)
        #expect(rows.first?["trainee"] as? String == hostile)  // stored as given; escaped on the way out
        let override = try CLI.run(["override", "\(id)", "--category", "politeness", "--score", "50", "--reason", hostile,
                                    "--by", hostile, "--db", db, "--lang", "en"], environment: env)
        #expect(override.status == 0, "\(override.stderr)")
        #expect(!hasControls(override.stdout + override.stderr), "\(override.stdout.debugDescription)")
        return (db, folder.path, id)
    }

    @Test("Given a hostile trainee name, scenario title and override reason, when written to the terminal (report table, --by tables, show, verify, rescore), then no escape or control sequence gets out and names stay on their line")
    func terminal() throws {
        // Given
        let (db, scenarios, id) = try Self.hostileStore()
        // When
        var outputs: [(String, String)] = []
        for lang in ["en", "ru"] {
            outputs.append(("report \(lang)", try CLI.run(["report", "--db", db, "--lang", lang], environment: Self.env).stdout))
            for by in ["trainee", "scenario", "skill"] {
                outputs.append(("--by \(by)", try CLI.run(["report", "--db", db, "--by", by, "--lang", lang], environment: Self.env).stdout))
            }
            outputs.append(("show \(lang)", try CLI.run(["show", "\(id)", "--db", db, "--scenarios", scenarios, "--lang", lang],
                                                        environment: Self.env).stdout))
        }
        outputs.append(("verify", try CLI.run(["verify", "--db", db], environment: Self.env).stdout))
        outputs.append(("rescore", try CLI.run(["rescore", "--db", db, "--scenarios", scenarios, "--dry-run"], environment: Self.env).stdout))
        // Then
        for (what, text) in outputs {
            #expect(!text.isEmpty, "\(what)")
            #expect(!Self.hasControls(text), "\(what): \(text.debugDescription)")
            // the line break in the name is not a line break on the terminal: "<script>" never starts a line
            #expect(!text.split(separator: "\n").contains { $0.hasPrefix("<script>") }, "\(what): \(text)")
        }
        let show = outputs.first { $0.0 == "show en" }!.1
        #expect(show.contains("=HYPERLINK(\"http://evil.example\",\"x\") <script>alert(1)</script>"), "\(show)")
        #expect(show.contains("override by"))
    }

    @Test("Given a hostile trainee name, scenario title and override reason, when written as CSV (report and --by), HTML (report and show), JSON, NDJSON and xAPI, then formulas are text, markup is escaped and no raw control is left")
    func files() throws {
        // Given
        let (db, scenarios, id) = try Self.hostileStore()
        func run(_ arguments: [String]) throws -> String {
            let result = try CLI.run(arguments, environment: Self.env)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return result.stdout
        }
        // When
        let csv = try run(["report", "--db", db, "--format", "csv"])
        let byCSV = try run(["report", "--db", db, "--by", "trainee", "--format", "csv"])
        let html = try run(["report", "--db", db, "--format", "html"])
        let showHTML = try run(["show", "\(id)", "--db", db, "--scenarios", scenarios, "--format", "html"])
        let json = try run(["report", "--db", db, "--format", "json"])
        let ndjson = try run(["report", "--db", db, "--format", "ndjson"])
        let byJSON = try run(["report", "--db", db, "--by", "trainee", "--format", "json"])
        let showJSON = try run(["show", "\(id)", "--db", db, "--scenarios", scenarios, "--format", "json"])
        let xapi = try run(["export", "xapi", "--db", db])
        let xapiLines = try run(["export", "xapi", "--db", db, "--ndjson"])
        // Then: CSV
        for (what, text) in [("csv", csv), ("--by csv", byCSV)] {
            #expect(!Self.hasControls(text), "\(what): \(text.debugDescription)")
            #expect(text.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")"), "\(what): \(text.debugDescription)")
            #expect(!text.contains(",=HYPERLINK") && !text.contains(",\"=HYPERLINK"), "\(what)")
        }
        // HTML
        for (what, text) in [("html", html), ("show html", showHTML)] {
            #expect(!Self.hasControls(text), "\(what)")
            #expect(!text.contains("<script>") && text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(what)")
        }
        // JSON, NDJSON and xAPI keep the text exactly, with every control escaped
        for (what, text) in [("json", json), ("ndjson", ndjson), ("--by json", byJSON), ("show json", showJSON),
                             ("xapi", xapi), ("xapi ndjson", xapiLines)] {
            #expect(!Self.hasControls(text), "\(what): \(text.debugDescription)")
            #expect(text.contains("\\u001b[31m") || text.contains("\\u001B[31m"), "\(what)")
        }
        #expect(ndjson.split(separator: "\n").count == 1 && xapiLines.split(separator: "\n").count == 1)
        let statement = try #require(try JSONSerialization.jsonObject(with: Data(xapi.utf8)) as? [[String: Any]]).first
        let account = (statement?["actor"] as? [String: Any])?["account"] as? [String: Any]
        #expect(account?["name"] as? String == Self.hostile)
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(showJSON.utf8)) as? [String: Any])
        #expect((shown["attempt"] as? [String: Any])?["scenario_title"] as? String
                == "=HYPERLINK(\"http://evil.example\",\"x\")\n<script>alert(1)</script>\u{1B}[31mred\u{1B}]8;;http://evil\u{07}link\u{9B}2J")
    }
}
