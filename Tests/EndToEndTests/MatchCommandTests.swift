import Foundation
import Testing

@Suite("supportsim match")
struct MatchCommandTests {
    private let scenario = "printer-before-board-meeting"

    private func json(_ result: CLI.Result) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try #require(object as? [String: Any], "not a JSON object:\n\(result.stdout)")
    }

    private func credited(_ object: [String: Any]) -> [String] {
        (object["credited"] as? [[String: Any]] ?? []).compactMap { $0["intent"] as? String }
    }

    private func rule(_ id: String, in object: [String: Any]) -> [String: Any]? {
        let reading = object["reading"] as? [String: Any]
        let rules = (reading?["intents"] as? [[String: Any]] ?? []) + (reading?["harmful"] as? [[String: Any]] ?? [])
        return rules.first { $0["id"] as? String == id }
    }

    @Test func twoStepsInOneReplyCreditTheCombinedIntentInText() throws {
        // Given the printer scenario at queue_checked
        // When a reply cancels the jobs and then power-cycles the printer
        let result = try CLI.run(["match", scenario, "--node", "queue_checked",
                                  "cancel all three jobs, then switch the printer off and on"])

        // Then it is read, clear_and_restart is credited and the conversation moves on
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("credited: clear_and_restart"), "\(result.stdout)")
        #expect(!result.stdout.contains("credited: nothing"))
        #expect(result.stdout.contains("queue_checked → still_broken"), "\(result.stdout)")
        // and every line fits 80 columns
        for line in result.stdout.split(separator: "\n") { #expect(line.count <= 80, "too wide: \(line)") }
    }

    @Test func twoStepsInOneReplyInJSONNameTheClausesAndPhrases() throws {
        // When the same reply is read with --format json
        let result = try CLI.run(["match", scenario, "--node", "queue_checked", "--format", "json",
                                  "cancel all three jobs, then switch the printer off and on"])

        // Then the object credits clear_and_restart at queue_checked, from two clauses, with its phrases
        #expect(result.status == 0, "\(result.stderr)")
        let object = try json(result)
        #expect(credited(object) == ["clear_and_restart"])
        #expect(object["node"] as? String == "queue_checked")
        let clauses = try #require(object["clauses"] as? [[String: Any]])
        #expect(clauses.count >= 2, "\(clauses)")
        let reading = try #require(rule("clear_and_restart", in: object))
        #expect(reading["fired"] as? Bool == true)
        #expect(reading["via"] as? String == "phrases")
        #expect((reading["phrases"] as? [String] ?? []).contains("cancel"))
        // and the stable keys are all there
        for key in ["scenario", "reply", "meaning", "harmful", "critical", "path", "events", "mood_before", "mood_after"] {
            #expect(object[key] != nil, "missing key \(key)")
        }
    }

    @Test func negatedStepCreditsNothingAndTheExplanationNamesTheNegation() throws {
        // When the trainee asks the customer NOT to switch the printer off
        let text = try CLI.run(["match", scenario, "--node", "queue_checked", "--explain",
                                "Please don't switch the printer off"])
        let object = try json(try CLI.run(["match", scenario, "--node", "queue_checked", "--format", "json",
                                           "Please don't switch the printer off"]))

        // Then nothing is credited, and power_cycle is shown as negated
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("credited: nothing"), "\(text.stdout)")
        #expect(text.stdout.contains("power_cycle not matched"), "\(text.stdout)")
        #expect(text.stdout.contains("negated"), "\(text.stdout)")
        #expect(credited(object).isEmpty)
        let powerCycle = try #require(rule("power_cycle", in: object))
        #expect(powerCycle["fired"] as? Bool == false)
        #expect(powerCycle["negated_by"] is String, "\(powerCycle)")
        let clauses = try #require(object["clauses"] as? [[String: Any]])
        #expect(clauses.contains { $0["negation"] is String }, "\(clauses)")
    }

    @Test func escapeSequencesInTheReplyAreNeutralised() throws {
        // When a reply carries a terminal escape sequence
        let result = try CLI.run(["match", scenario, "--node", "queue_checked", "--explain",
                                  "cancel \u{1B}]0;owned\u{07}them all"])

        // Then no escape character reaches the output
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("\u{1B}"))
        #expect(!result.stdout.contains("\u{07}"))
    }

    @Test func unknownNodeIsAUsageErrorNamingTheClosestNode() throws {
        // When the node id has a typo
        let result = try CLI.run(["match", scenario, "--node", "queue_checkd", "cancel them"])

        // Then the exit code is 64, the closest node is named and the node ids are listed
        #expect(result.status == 64)
        #expect(result.stderr.contains("Did you mean 'queue_checked'?"), "\(result.stderr)")
        #expect(result.stderr.contains("printing_elsewhere"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func scenarioFileWithErrorsExitsWith65() throws {
        // When the scenario file has errors
        let result = try CLI.run(["match", "Tests/SupportSimCoreTests/Fixtures/broken-scenario.yaml",
                                  "--node", "start", "hello"])

        // Then its diagnostics are printed and the exit code is 65
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains("error"), "\(result.stderr)")
    }
}
