import Foundation
import Testing

/// `supportsim graph` on the built binary, and the path of a played attempt in `report --format json`.
@Suite struct GraphCommandTests {
    static let scenario = "Scenarios/printer-before-board-meeting.yaml"
    static let goldenPath = ["opening", "printer_identified", "queue_checked", "still_broken", "printing_elsewhere",
                             "pages_coming", "wrap_up"]

    /// The replies of the golden run "efficient-agent" (seed 5), which reach `wrap_up` and close there.
    static let replies = [
        "Hello Olga, I'm sorry about this, I know the board is waiting. Which printer are you using, and what does its screen say?",
        "Thank you. Please open the print queue, cancel all three jobs, then switch the printer off and on.",
        "That printer looks faulty, so let's not lose more time on it: please print to STM-2F-MFP on the 2nd floor by reception. In Settings, open Printers and scanners, click Add device and pick STM-2F-MFP.",
        "Great! Could you check that all the slides are there? I'll log the third-floor printer for our hardware team so it gets fixed today. Good luck with the board!",
        "/close Printed on STM-2F-MFP (2nd floor); 3rd-floor printer error 13.A2 after clearing the queue and a power cycle; hardware ticket to follow.",
    ]

    /// Plays the golden replies through `play` with piped input and returns the database and the attempt's id.
    private func playedAttempt() throws -> (db: String, id: Int) {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("a.sqlite").path
        let play = try CLI.run(["play", "printer-before-board-meeting", "--db", db, "--trainee", "olga", "--seed", "5",
                                "--lang", "en"],
                               input: Self.replies.joined(separator: "\n") + "\n", environment: ["XDG_DATA_HOME": dir.path])
        #expect(play.status == 0, "\(play.stderr)")
        let rows = try JSONSerialization.jsonObject(
            with: Data(try CLI.run(["report", "--db", db, "--format", "json"]).stdout.utf8)) as? [[String: Any]]
        return (db, try #require(rows?.first?["id"] as? Int))
    }

    @Test func graphOfAScenarioInEachFormat() throws {
        // When the printer scenario is drawn in each format
        let dot = try CLI.run(["graph", Self.scenario, "--format", "dot"])
        let mermaid = try CLI.run(["graph", Self.scenario, "--format", "mermaid"])
        let text = try CLI.run(["graph", Self.scenario, "--format", "text"])
        // Then each succeeds and shows the nodes and a labelled step
        for result in [dot, mermaid, text] {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.isEmpty)
            for node in Self.goldenPath { #expect(result.stdout.contains(node)) }
            #expect(result.stdout.contains("check_queue +15"))
        }
        #expect(dot.stdout.hasPrefix("digraph \"printer-before-board-meeting\" {"))
        #expect(mermaid.stdout.hasPrefix("flowchart TD\n"))
        #expect(text.stdout.contains("printer_identified\n  ✓ power_cycle_early +0 (stays)"))
        // and the default format is the text outline
        #expect(try CLI.run(["graph", Self.scenario]).stdout == text.stdout)
    }

    @Test func reportGivesThePathAndFinalNodeOfAPlayedAttempt() throws {
        // Given an attempt played to the end through a pipe
        let (db, _) = try playedAttempt()
        // When the report is asked for as JSON
        let rows = try JSONSerialization.jsonObject(
            with: Data(try CLI.run(["report", "--db", db, "--format", "json"]).stdout.utf8)) as? [[String: Any]]
        // Then it gives the nodes in order and where the attempt ended
        #expect(rows?.first?["path"] as? [String] == Self.goldenPath)
        #expect(rows?.first?["final_node"] as? String == "wrap_up")
        #expect(rows?.first?["ending"] as? String == "resolved")
    }

    @Test func attemptPathIsHighlighted() throws {
        // Given a played attempt
        let (db, id) = try playedAttempt()
        // When its scenario is drawn with --attempt
        let dot = try CLI.run(["graph", Self.scenario, "--format", "dot", "--attempt", "\(id)", "--db", db])
        let text = try CLI.run(["graph", Self.scenario, "--attempt", "\(id)", "--db", db])
        let mermaid = try CLI.run(["graph", "printer-before-board-meeting", "--format", "mermaid", "--attempt", "\(id)", "--db", db])
        // Then the path's moves are bold and blue with their step numbers, up to the /close that resolved it
        #expect(dot.status == 0, "\(dot.stderr)")
        #expect(dot.stdout.contains(##"[label="check_queue +15\nstep 2", color="#1c7ed6", penwidth=3]"##))
        #expect(dot.stdout.contains(##"[label="/close\nstep 7", color="#1c7ed6", penwidth=3]"##))
        #expect(dot.stdout.contains("path of attempt #\(id)"))
        // and of two steps into the same node only the one taken is highlighted
        #expect(dot.stdout.contains(##"[label="clear_and_restart +20\nstep 3", color="#1c7ed6", penwidth=3]"##))
        #expect(dot.stdout.contains(##"[label="power_cycle +10"];"##))
        // the outline names the path, and Mermaid draws it with thick links
        #expect(text.stdout.contains("path of attempt #\(id): opening → printer_identified → queue_checked"))
        #expect(mermaid.status == 0 && mermaid.stdout.contains("==>|\"check_queue +15<br/>step 2\"|"))
        // and a node off the path is not highlighted
        #expect(text.stdout.contains("queue_cleared\n"))
    }

    @Test func unknownFileOrAttemptIsAClearErrorWithAUsageExitCode() throws {
        // Given a database with one attempt of the printer scenario
        let (db, id) = try playedAttempt()
        // When the graph is asked for a missing file, a missing attempt, another scenario's attempt, a missing database
        let noFile = try CLI.run(["graph", "Scenarios/no-such-scenario.yaml"])
        let noAttempt = try CLI.run(["graph", Self.scenario, "--attempt", "999", "--db", db])
        let otherScenario = try CLI.run(["graph", "Scenarios/vpn-error-after-update.yaml", "--attempt", "\(id)", "--db", db])
        let noDatabase = try CLI.run(["graph", Self.scenario, "--attempt", "1", "--db", db + ".missing"])
        let badFormat = try CLI.run(["graph", Self.scenario, "--format", "svg"])
        // Then each exits 64 (as `match` does) and says what is wrong and what to do
        #expect(noFile.status == 64 && noFile.stderr.contains("No scenario file at Scenarios/no-such-scenario.yaml"))
        #expect(noAttempt.status == 64 && noAttempt.stderr.contains("There is no attempt #999"))
        #expect(otherScenario.status == 64 && otherScenario.stderr.contains("was played on scenario printer-before-board-meeting"))
        #expect(noDatabase.status == 64 && noDatabase.stderr.contains("There is no attempts database"))
        #expect(badFormat.status == 64 && badFormat.stderr.contains("svg"))
        for result in [noFile, noAttempt, otherScenario, noDatabase] { #expect(result.stdout.isEmpty) }
    }

    @Test func scenarioWithErrorsIsRefusedWithItsDiagnostics() throws {
        // Given a scenario file that does not parse
        let dir = try CLI.temporaryDirectory()
        let file = dir.appendingPathComponent("broken.yaml")
        try "id: broken\ntitle: [unclosed\n".write(to: file, atomically: true, encoding: .utf8)
        // When it is drawn
        let result = try CLI.run(["graph", file.path])
        // Then it exits 65 and points at lint
        #expect(result.status == 65)
        #expect(result.stderr.contains("supportsim lint"))
    }
}
