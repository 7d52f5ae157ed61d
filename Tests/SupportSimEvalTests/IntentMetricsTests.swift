import Foundation
import SupportSimCore
import Testing
@testable import SupportSimEval

@Suite("Intent metrics")
struct IntentMetricsTests {
    private func label(_ text: String) throws -> IntentLabel { try IntentLabel.parse(text).get() }

    private func row(_ line: Int, _ expected: String, scenario: String = "s") throws -> IntentCase {
        IntentCase(line: line, scenario: scenario, node: "n", reply: "reply \(line)", expected: try label(expected))
    }

    @Test func labelsParseIntentsHarmfulPartsAndNone() throws {
        // Given the label forms of the file / When parsed / Then intents and harmful ids are separated
        #expect(try label("a+b") == IntentLabel(intents: ["a", "b"]))
        #expect(try label("harmful:x") == IntentLabel(harmful: ["x"]))
        #expect(try label("a + harmful:x") == IntentLabel(intents: ["a"], harmful: ["x"]))
        #expect(try label("none").isNone)
        // and printed back in a fixed order whatever the order written
        #expect(try label("harmful:x+b+a").description == "a+b+harmful:x")
    }

    @Test func malformedLabelsAreErrors() {
        // Given empty, dangling and mixed-none labels / When parsed / Then each is an error
        #expect(IntentLabel.parse("") == .failure(.empty))
        #expect(IntentLabel.parse("a+") == .failure(.emptyPart("a+")))
        #expect(IntentLabel.parse("harmful:") == .failure(.emptyPart("harmful:")))
        #expect(IntentLabel.parse("none+a") == .failure(.noneCombined("none+a")))
    }

    @Test func figuresFollowTheirDefinitionsOnAHandComputedExample() throws {
        // Given five rows and what the engine did with each:
        let rows = [
            try row(1, "a+b"),          // credited a, c → 1 of 2 expected; c is wrong
            try row(2, "none"),         // credited a → a false credit; a is wrong
            try row(3, "harmful:x"),    // fired x → caught
            try row(4, "a+harmful:y"),  // credited a, fired nothing → a credited, y missed
            try row(5, "harmful:x", scenario: "t"), // credited nothing, fired x and z → caught
        ]
        let outcomes = [
            IntentOutcome(credited: ["a", "c"]),
            IntentOutcome(credited: ["a"]),
            IntentOutcome(fired: ["x"]),
            IntentOutcome(credited: ["a"]),
            IntentOutcome(fired: ["x", "z"]),
        ]

        // When the figures are computed
        let report = evaluateIntents(rows, outcomes: outcomes, seconds: 2, meaning: false)

        // Then recall = 2/3 expected intents, false credit = 1/3 rows without intents (2, 3, 5),
        // harmful recall = 2/3 harmful rows (3, 4, 5), wrong intent = 2/4 credited intents
        #expect(report.all.n == 5)
        #expect(report.all.recall == 2.0 / 3)
        #expect(report.all.falseCredit == 1.0 / 3)
        #expect(report.all.harmfulRecall == 2.0 / 3)
        #expect(report.all.wrongIntent == 2.0 / 4)
        #expect(report.repliesPerSecond == 2.5)
        // and every row that differs from its label is a miss (row 3 alone matches)
        #expect(report.misses.map(\.line) == [1, 2, 4, 5])
        #expect(report.misses.first { $0.line == 5 }?.got == "harmful:x+harmful:z")
        // and each scenario has its own figures
        #expect(report.scenarios.map(\.scenario) == ["s", "t"])
        #expect(report.scenarios[1].n == 1)
        #expect(report.scenarios[1].harmfulRecall == 1)
        #expect(report.scenarios[1].recall == nil)
    }

    @Test func undefinedFiguresAreNullInJSON() throws {
        // Given one row labelled none that got nothing
        let report = evaluateIntents([try row(1, "none")], outcomes: [IntentOutcome()], seconds: 0, meaning: false)

        // When written as JSON / Then the figures with no denominator are null, not missing
        let json = jsonString(report)
        #expect(json.contains("\"recall\":null"))
        #expect(json.contains("\"harmful_recall\":null"))
        #expect(json.contains("\"wrong_intent\":null"))
        #expect(json.contains("\"false_credit\":0"))
    }

    @Test func outcomeCollectsIntentsHarmfulAndCriticalRulesFromEvents() {
        // Given the events of a turn that credits two intents and fires a harmful and a critical rule
        let events: [EngineEvent] = [
            .intentMatched(intent: "a", description: "", points: 1, feedback: nil, matched: []),
            .customerSays("ok"),
            .intentMatched(intent: "b", description: "", points: 1, feedback: nil, matched: []),
            .harmful(rule: "x", penalty: 1, feedback: "", matched: []),
            .critical(rule: "c", reason: "", matched: []),
        ]
        // When read as an outcome / Then all of them are collected
        let outcome = IntentOutcome(events: events)
        #expect(outcome.credited == ["a", "b"])
        #expect(outcome.fired == ["x", "c"])
    }

    @Test func rowsNamingUnknownIdsAreReported() throws {
        // Given a scenario with one node, one intent, one harmful rule and one critical rule
        let node = Node(id: "n", customer: ["hi"],
                        expect: [Intent(id: "a", description: "a", match: MatchRule(any: ["alpha"]))],
                        harmful: [HarmfulRule(id: "x", match: MatchRule(any: ["bad"]), feedback: "no")])
        let scenario = Scenario(id: "s", title: "S", language: .en, persona: Persona(name: "P", mood: .calm),
                                start: "n", nodes: [node],
                                critical: [CriticalRule(id: "c", match: MatchRule(any: ["pwd"]), reason: "r")])
        let library = ["s": scenario]

        // When rows are checked / Then known ids pass and each unknown one is named
        #expect(try row(1, "a+harmful:x+harmful:c").problem(in: library) == nil)
        #expect(try row(2, "zzz").problem(in: library)?.contains("'zzz' is not an intent") == true)
        #expect(try row(3, "harmful:zzz").problem(in: library)?.contains("'harmful:zzz' is not a harmful rule") == true)
        #expect(try row(4, "a", scenario: "other").problem(in: library)?.contains("unknown scenario 'other'") == true)
        let badNode = IntentCase(line: 5, scenario: "s", node: "m", reply: "", expected: IntentLabel())
        #expect(badNode.problem(in: library)?.contains("has no node 'm'") == true)
    }
}
