import Foundation
import SupportSimCore
import Testing

/// Sessions played in a real pseudo-terminal (tmux), as a trainee types them.
@Suite("playing in a terminal", .serialized)
struct TerminalSessionTests {
    /// The replies of one golden-transcript run, so the terminal plays exactly what the golden test checks.
    func replies(_ scenario: String, run: String) throws -> [String] {
        let url = CLI.packageRoot.appendingPathComponent("Scenarios/\(scenario).transcript.yaml")
        let parsed = GoldenTranscript.parse(try String(contentsOf: url, encoding: .utf8))
        let found = parsed.transcript?.runs.first { $0.name == run }
        return try #require(found, "run \(run) in \(url.path)").replies
    }

    /// Types each reply after waiting for the prompt it answers; returns the final screen.
    func play(_ session: TerminalSession, prompt: String, replies: [String]) throws -> String {
        for (index, reply) in replies.enumerated() {
            try session.waitFor(prompt, count: index + 1)
            try session.type(reply)
        }
        return try session.waitFor("[exit ")
    }

    @Test func russianEscalationPassesRudePrinterRunFailsAndReportShowsBoth() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("team.sqlite").path
        let env = ["XDG_DATA_HOME": dir.path, "LANG": "C.UTF-8", "TERM": "xterm-256color"]

        // Given a trainee who plays the deleted-report scenario in Russian and escalates correctly
        let russian = try TerminalSession(
            command: "cd '\(CLI.packageRoot.path)' && '\(CLI.binary.path)' play deleted-report-boss-needs --db '\(db)' --trainee ivan --seed 1 --lang ru",
            environment: env)
        let screen = try play(russian, prompt: "вы> ", replies: replies("deleted-report-boss-needs", run: "good"))

        // Then the Cyrillic replies were echoed as typed, escalation scored 100 and the attempt passed
        #expect(screen.contains("Понимаю, как это срочно"), "\(screen)")
        let debrief = try #require(screen.components(separatedBy: "Разбор").last)
        #expect(debrief.range(of: #"Эскалация\s+100"#, options: .regularExpression) != nil, "\(debrief)")
        #expect(debrief.contains("— СДАНО"), "\(debrief)")
        #expect(screen.contains("[exit 0]"))

        // Given a rude run of the printer scenario in English, in exam mode (as the golden run is
        // played: practice mode would forgive the first reply it does not understand)
        let english = try TerminalSession(
            command: "cd '\(CLI.packageRoot.path)' && '\(CLI.binary.path)' play printer-before-board-meeting --db '\(db)' --trainee ivan --seed 3 --lang en --exam",
            environment: env)
        let rude = try play(english, prompt: "you> ", replies: replies("printer-before-board-meeting", run: "rude"))

        // Then it fails, politeness is below the pass mark, and the debrief quotes the offending words
        let rudeDebrief = try #require(rude.components(separatedBy: "Debrief").last)
        let politeness = rudeDebrief.firstMatch(of: #/Politeness\s+(\d+)/#).flatMap { Int($0.1) }
        #expect(politeness.map { $0 < 80 } == true, "\(rudeDebrief)")
        #expect(rudeDebrief.contains("FAILED"))
        #expect(rudeDebrief.contains("obviously"), "the dismissive word is quoted:\n\(rudeDebrief)")
        #expect(rudeDebrief.contains("You should have"), "the blame is quoted:\n\(rudeDebrief)")

        // When the manager opens the report, both attempts are there
        let report = try CLI.run(["report", "--db", db, "--lang", "en"])
        #expect(report.status == 0)
        let rows = report.stdout.split(separator: "\n").filter { $0.contains("ivan") }
        #expect(rows.count == 2, "\(report.stdout)")
        // (the table fits 80 columns, so long scenario ids may be cut with …)
        #expect(rows.contains { $0.contains("deleted-report") && $0.contains("PASSED") }, "\(report.stdout)")
        #expect(rows.contains { $0.contains("printer-before") && $0.contains("FAILED") }, "\(report.stdout)")
    }

    @Test func ctrlCAsksBeforeQuittingAndCtrlDKeepsTheAttemptAsAbandoned() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("a.sqlite").path
        let session = try TerminalSession(
            command: "cd '\(CLI.packageRoot.path)' && '\(CLI.binary.path)' play password-reset-no-identity --db '\(db)' --trainee olga --lang en",
            environment: ["XDG_DATA_HOME": dir.path, "LANG": "C.UTF-8"])

        // Given a session after one reply, with the next reply half typed
        try session.waitFor("you> ")
        try session.type("Hello, this is the service desk. May I have your name, please?")
        try session.waitFor("you> ", count: 2)
        try session.typeWithoutEnter("I will check")

        // When Ctrl-C is pressed and the trainee answers no
        try session.key("C-c")
        try session.waitFor("Quit this session?")
        try session.type("n")

        // Then the session goes on
        try session.waitFor("you> ", count: 3)

        // When Ctrl-D is pressed
        try session.key("C-d")
        let screen = try session.waitFor("[exit ")

        // Then the attempt is kept as abandoned with its completed turn
        #expect(screen.contains("abandoned"), "\(screen)")
        let report = try CLI.run(["report", "--db", db, "--format", "json"])
        let rows = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [[String: Any]]
        #expect(rows?.first?["status"] as? String == "abandoned")
        #expect(rows?.first?["turns"] as? Int == 1)
    }
}
