import Foundation
import SupportSimCore
import SupportSimStore
import Testing

/// Escape sequences and control characters from scenario files and piped replies, end to end.
@Suite("output safety end to end")
struct OutputSafetyEndToEndTests {
    /// Nothing a terminal would act on: no control character but newline, no DEL, C1 or bidi control.
    static func isInert(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0.value != 0x0A && TerminalText.isNeutralised($0) }
    }

    /// Parameters of escape sequences that would show if only the introducer were removed.
    static let leftovers = ["0;c1", "8;;http", "52;c", "pwned", "[2J", "evil.example"]

    /// The printer scenario with escape sequences (7-bit and C1) in its title, summary and first line.
    func hostileScenarioFolder() throws -> URL {
        let dir = try CLI.temporaryDirectory().appendingPathComponent("scenarios")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var yaml = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Scenarios/printer-before-board-meeting.yaml"),
                              encoding: .utf8)
        let hostile = #"\x9D0;c1title\x9C\e]8;;http://evil.example\e\\link\e]8;;\x9C \e[2J\e]52;c;cm0=\a\x9D8;;http://evil.example\x07c1link\x9D8;;\x9C\x90qdcs\x9C\x9B2J"#
        let title = "title: The presentation that won't print before the board meeting"
        #expect(yaml.contains(title))
        yaml = yaml.replacingOccurrences(of: title, with: "title: \"The presentation \(hostile) won't print\"")
        let summary = try #require(yaml.range(of: #"summary: >-\n(  .*\n)+"#, options: .regularExpression))
        yaml.replaceSubrange(summary, with: "summary: \"Summary \(hostile) end\"\n")
        try yaml.write(to: dir.appendingPathComponent("printer-before-board-meeting.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func pipedSessionWritesNoEscapesAndStoresRepliesWithoutNuls() throws {
        // Given a scenario with escapes in its text, and piped replies with escapes and NULs
        let scenarios = try hostileScenarioFolder()
        let dir = scenarios.deletingLastPathComponent()
        let db = dir.appendingPathComponent("a.sqlite").path
        let lint = try CLI.run(["lint", scenarios.path])
        try #require(!lint.stderr.contains("error:"), "\(lint.stderr)")
        let input = "Hello Olga\u{1B}[2J\u{1B}]52;c;cm0gLXJm\u{07}\u{1B}]0;pwned\u{07}\u{9D}0;c1\u{9C}, I'm sorry!\n"
            + "\u{0}\u{0}\u{0}\u{0}\n"
            + "Which\u{0} printer\u{0} are you printing to?\n"

        // When played through a pipe, then reported as JSON
        let play = try CLI.run(["play", "printer-before-board-meeting", "--scenarios", scenarios.path, "--db", db,
                                "--lang", "en", "--seed", "1", "--trainee", "t"],
                               input: input, environment: ["XDG_DATA_HOME": dir.path])
        let report = try CLI.run(["report", "--db", db, "--format", "json"])

        // Then the screen and the echo hold no escape sequence and no leftover of one
        #expect(Self.isInert(play.stdout), "\(play.stdout.debugDescription)")
        for leftover in Self.leftovers { #expect(!play.stdout.contains(leftover), "\(leftover) in:\n\(play.stdout)") }
        #expect(play.stdout.contains("you> Hello Olga, I'm sorry!"), "\(play.stdout)")
        #expect(play.stdout.contains("The presentation c1link won't print") || play.stdout.contains("Summary link c1link end"),
                "\(play.stdout)")
        // and the report carries no raw control character, and counts two turns (the NUL line is none)
        #expect(Self.isInert(report.stdout), "\(report.stdout.debugDescription)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [[String: Any]])
        #expect(rows.first?["turns"] as? Int == 2, "\(report.stdout)")
        // and the stored replies are whole, minus the control characters
        let stored = try storedReplies(db)
        #expect(stored == ["Hello Olga, I'm sorry!", "Which printer are you printing to?"], "\(stored)")
    }

    @Test func lintMessagesQuoteUserValuesWithoutEscapes() throws {
        // Given a scenario whose `next:` names no node and carries escape sequences
        let scenarios = try hostileScenarioFolder()
        let file = scenarios.appendingPathComponent("printer-before-board-meeting.yaml")
        var yaml = try String(contentsOf: file, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "next: printer_identified",
                                         with: #"next: "nowhere\e]0;pwned\a\x9D0;c1\x9C\e[2J\x9B2J""#)
        try yaml.write(to: file, atomically: true, encoding: .utf8)

        // When linted as text and as JSON
        let text = try CLI.run(["lint", file.path])
        let json = try CLI.run(["lint", "--format", "json", file.path])

        // Then the SS005 message names the value without any escape or leftover
        #expect(text.status != 0)
        #expect(text.stderr.contains("SS005"), "\(text.stderr)")
        #expect(Self.isInert(text.stderr), "\(text.stderr.debugDescription)")
        // (the quoted source line below it shows the YAML as written, backslash notation included)
        let message = try #require(text.stderr.split(separator: "\n").first { $0.contains("[SS005]") })
        #expect(message.contains("nowhere"), "\(message)")
        for leftover in Self.leftovers { #expect(!message.contains(leftover), "\(leftover) in:\n\(message)") }
        // and the JSON keeps the value with every control character escaped
        #expect(Self.isInert(json.stdout), "\(json.stdout.debugDescription)")
        #expect(json.stdout.contains("\\u009d"), "\(json.stdout)")
    }

    @Test func historyIsKeptPerInterfaceLanguage() throws {
        // Given a trainee who types a line in an English session in a terminal
        let dir = try CLI.temporaryDirectory()
        let env = ["XDG_DATA_HOME": dir.path, "LANG": "C.UTF-8", "TERM": "xterm-256color"]
        let session = try TerminalSession(
            command: "cd '\(CLI.packageRoot.path)' && '\(CLI.binary.path)' play printer-before-board-meeting "
                + "--db '\(dir.path)/a.sqlite' --seed 1 --lang en",
            environment: env)
        try session.waitFor("you> ")
        try session.type("which printer is it, history check")
        try session.waitFor("you> ", count: 2)
        try session.type("/quit")
        try session.waitFor("[y/N]")
        try session.type("y")
        try session.waitFor("[exit ")

        // Then the line is in the English history file, and there is no Russian one to share it
        let folder = dir.appendingPathComponent("supportsim")
        let english = try String(contentsOf: folder.appendingPathComponent("history-en"), encoding: .utf8)
        #expect(english.contains("which printer is it, history check"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("history-ru").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("history").path))
    }

    /// The reply texts stored for the only attempt in the database, in order, both as typed text
    /// and as the stored input.
    func storedReplies(_ db: String) throws -> [String] {
        let database = try AttemptDatabase(path: db)
        let attempt = try #require(try database.attempts().first)
        let turns = try database.turns(attemptID: attempt.id)
        #expect(turns.map(\.text) == turns.map(\.input.text))
        return turns.map(\.text)
    }
}
