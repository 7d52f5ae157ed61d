import Foundation
import Testing

@Suite("supportsim-eval intents")
struct EvalIntentsTests {
    private func run(_ arguments: [String]) throws -> CLI.Result {
        try CLI.run(["intents"] + arguments, program: "supportsim-eval")
    }

    private func close(_ value: Any?, _ expected: Double) -> Bool {
        guard let v = value as? Double ?? (value as? Int).map(Double.init) else { return false }
        return abs(v - expected) < 1e-9
    }

    @Test func smallFixtureGivesTheHandComputedFigures() throws {
        // Given nine labelled rows (Tests/Fixtures/intents-small.tsv, a `note` column explains each):
        //   expected intents 5, credited 3 (lines 2, 7 one of two, 8) → recall 3/5
        //   rows labelled none or harmful only 5 (lines 3–6, 9), one got an intent (line 4) → false credit 1/5
        //   rows with a harmful label 3 (lines 5, 6, 9), fired on 2 → harmful recall 2/3
        //   intents credited 4 (lines 2, 4, 7, 8), not expected 1 (line 4) → wrong intent 1/4
        // When the rules alone are evaluated on it
        let result = try run(["Tests/Fixtures/intents-small.tsv", "--json", "--meaning", "off"])

        // Then the figures are exactly those
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["n"] as? Int == 9)
        #expect(close(object["recall"], 3.0 / 5))
        #expect(close(object["false_credit"], 1.0 / 5))
        #expect(close(object["harmful_recall"], 2.0 / 3))
        #expect(close(object["wrong_intent"], 1.0 / 4))
        #expect(object["replies_per_second"] is Double || object["replies_per_second"] is Int)
        #expect(object["meaning"] as? Bool == false)
        // and the misses are the rows that differ from their label, with line, expected and got
        let misses = try #require(object["misses"] as? [[String: Any]])
        #expect(misses.compactMap { $0["line"] as? Int } == [4, 6, 7, 10])
        let line7 = try #require(misses.first { $0["line"] as? Int == 7 })
        #expect(line7["expected"] as? String == "clear_queue+power_cycle")
        #expect(line7["got"] as? String == "clear_queue")
        // and each scenario has its own row
        let scenarios = try #require(object["scenarios"] as? [[String: Any]])
        let printer = try #require(scenarios.first { $0["scenario"] as? String == "printer-before-board-meeting" })
        #expect(printer["n"] as? Int == 6)
        #expect(close(printer["recall"], 2.0 / 3))
        #expect(close(printer["false_credit"], 1.0 / 4))
        #expect(close(printer["harmful_recall"], 1.0 / 2))
        #expect(close(printer["wrong_intent"], 1.0 / 3))
        let vpn = try #require(scenarios.first { $0["scenario"] as? String == "vpn-error-after-update" })
        #expect(vpn["n"] as? Int == 3)
        #expect(close(vpn["harmful_recall"], 1))
    }

    @Test func tableShowsTheFiguresTargetsAndMisses() throws {
        // When the same file is evaluated as a table
        let result = try run(["Tests/Fixtures/intents-small.tsv", "--meaning", "off"])

        // Then the figures, the targets, the scenarios and the misses are printed
        #expect(result.status == 0, "\(result.stderr)")
        for text in ["recall", "60.0%", "false credit", "20.0%", "harmful recall", "66.7%", "wrong intent", "25.0%",
                     ">= 95%", "vpn-error-after-update", "Misses: 4", "line 7", "expected clear_queue+power_cycle, got clear_queue"] {
            #expect(result.stdout.contains(text), "missing \(text):\n\(result.stdout)")
        }
    }

    @Test func unknownIdsAreErrorsWithTheirLines() throws {
        // Given a file naming an unknown scenario (line 3), node (4), intent (5) and harmful rule (6)
        // When it is evaluated
        let result = try run(["Tests/Fixtures/intents-bad-ids.tsv", "--meaning", "off"])

        // Then the exit code is 65 and every problem is reported with its line
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("intents-bad-ids.tsv:3: unknown scenario 'no-such-scenario'"), "\(result.stderr)")
        #expect(result.stderr.contains("intents-bad-ids.tsv:4: scenario printer-before-board-meeting has no node 'no_such_node'"))
        #expect(result.stderr.contains("intents-bad-ids.tsv:5: 'no_such_intent' is not an intent"))
        #expect(result.stderr.contains("intents-bad-ids.tsv:6: 'harmful:no_such_rule' is not a harmful rule"))
        #expect(!result.stderr.contains(":2:"))
    }

    @Test func scenarioFolderOptionReadsScenariosFromElsewhere() throws {
        // Given an empty scenario folder
        let dir = try CLI.temporaryDirectory()

        // When the file is evaluated against it
        let result = try run(["Tests/Fixtures/intents-small.tsv", "--scenarios", dir.path, "--meaning", "off"])

        // Then the shipped scenarios are not used: every row names an unknown scenario
        #expect(result.status == 65)
        #expect(result.stderr.contains("intents-small.tsv:2: unknown scenario 'printer-before-board-meeting'"), "\(result.stderr)")
    }
}
