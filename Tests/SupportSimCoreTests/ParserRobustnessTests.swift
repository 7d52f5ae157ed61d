import Foundation
import Testing
@testable import SupportSimCore

@Suite("Scenario parser: garbage in, diagnostics out")
struct ParserRobustnessTests {
    static let garbage: [String] = [
        "",
        " ",
        "\n\n\n",
        "# only a comment",
        "---",
        "...",
        "[]",
        "{}",
        "- a\n- b",
        "42",
        "null",
        "~",
        "true",
        "\"just a string\"",
        "id: [",
        "id: {",
        "id: 'unclosed",
        "\t\tid: x",
        "id:\tx\n\ttitle: y",
        "{{{{",
        String(repeating: "[", count: 5000),
        String(repeating: "{a: ", count: 3000),
        (0..<1200).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n"),
        "a: &x [*x]",
        "&a a: *a",
        "a: *undefined",
        "id: a\nid: b",
        "\u{0}",
        "\u{FEFF}id: x",
        "\u{7}\u{1B}[31mred",
        "id: x\n---\nid: y",
        "version: 99999999999999999999999999999",
        "version: -99999999999999999999999999999",
        "difficulty: 1e999",
        "difficulty: .nan",
        "difficulty: .inf",
        "difficulty: 1:2:3:4:5:6:7:8:9:10:11:12:13:14:15:16:17:18:19:59",
        "difficulty: 0x7FFFFFFFFFFFFFFFFFFF",
        "difficulty: 0b",
        "difficulty: !!int abc",
        "scoring: {pass_mark: 1e308, weights: {correctness: -1e308, politeness: .inf}}",
        "persona: 5",
        "persona: [a, b]",
        "persona: {name: [x], mood: {a: b}, patience: -1}",
        "nodes: [1, 2]",
        "nodes: {a: null}",
        "nodes: {a: 5, b: [x], c: {customer: {}}}",
        "nodes: {? [a, b] : {customer: x}}",
        "? [complex, key]\n: value",
        "start: x\nnodes:\n  x:\n    customer: hi\n    expect: [1, null, [], {}, {intent: [a]}, {intent: y, match: 5}]",
        "start: x\nnodes:\n  x:\n    customer: hi\n    expect:\n      - intent: i\n        match: {all: 5, any: {a: b}, regex: [\"(\", \"[\", \"\\\\\"], none: 7}",
        "start: x\nnodes:\n  x:\n    customer: hi\n    choices: [{}, {text: a, intent: b, harmful: c}, 5]",
        "start: x\nnodes:\n  x:\n    customer: hi\n    fallback: {next: x, mood: 99999999999999999999}",
        "escalation: {policy: [x], to: {a: b}, after: 5, note_must_mention: 5, tell_customer: {}}",
        "escalation: {note_must_mention: {a: [], b: {any: []}, c: null}}",
        "endings: {resolved: [], left: {a: b}, manager_demand: 5, unknown: x}",
        "critical: [{id: a}, {id: a, match: [x], reason: y}, 5]",
        "kb: [{}, 5, {id: a, title: b}, {id: a, title: c, keywords: {x: y}}]",
        "kb: {id: a}",
        "tags: [[], {}, null]",
        "<<: {id: x}",
        "id: !!binary aGVsbG8=",
        "id: !custom x",
        String(repeating: "key: value\n", count: 2),
        String(repeating: "x", count: 100_000),
        "id: " + String(repeating: "é", count: 10_000),
        "nodes:\n" + (0..<500).map { "  n\($0):\n    customer: c\n    fallback: {next: n\(($0 + 1) % 500)}" }.joined(separator: "\n"),
        "id: x\r\ntitle: y\r\nbogus: 1\r\n",
    ]

    @Test(arguments: ParserRobustnessTests.garbage)
    func garbageNeverCrashes(_ input: String) {
        // Given
        let text = input

        // When
        let result = ScenarioParser.parse(text)

        // Then: either a scenario without errors or errors without a scenario, every problem located
        #expect(result.hasErrors == (result.scenario == nil))
        #expect(result.hasErrors, "garbage should not parse cleanly: \(result.diagnostics)")
        for d in result.diagnostics {
            #expect(d.location.line >= 1 && d.location.column >= 1)
            #expect(d.code.hasPrefix("SS"))
            #expect(!d.message.isEmpty)
            _ = d.rendered(file: "garbage.yaml", source: text)
        }
        let locations = result.diagnostics.map(\.location)
        #expect(locations == locations.sorted())
    }

    @Test func emptyFileSaysSo() {
        // Given
        let text = ""

        // When
        let result = ScenarioParser.parse(text)

        // Then
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.message.contains("empty") == true)
    }

    @Test func listAtTopLevelIsAWrongType() {
        // Given
        let text = "- id: x\n- title: y\n"

        // When
        let result = ScenarioParser.parse(text)

        // Then
        #expect(result.first("SS003")?.location == SourceLocation(line: 1, column: 1))
        #expect(result.first("SS003")?.message.contains("found a list") == true)
    }

    @Test func tabIndentationIsASyntaxErrorWithAHint() throws {
        // Given
        let text = "id: x\nnodes:\n\ta:\n\t\tcustomer: hi\n"

        // When
        let result = ScenarioParser.parse(text)

        // Then
        let d = try #require(result.first("SS001"))
        #expect(d.location == SourceLocation(line: 3, column: 1))
        #expect(d.hint == "indent with spaces, not tabs")
        #expect(result.diagnostics.count == 1)
    }

    @Test func duplicateNodeIsReportedAtTheSecondOccurrence() throws {
        // Given
        let text = ParserFixtures.minimal + "\n  a:\n    customer: again\n"

        // When
        let result = ScenarioParser.parse(text)

        // Then
        let d = try #require(result.first("SS009"))
        #expect(d.location == SourceLocation(line: 16, column: 3))
        #expect(d.message.contains("'a'"))
    }

    @Test func hugeNumberIsOutOfRange() throws {
        // Given
        let text = ParserFixtures.minimal.replacingOccurrences(of: "id: minimal", with: "id: minimal\nversion: 123456789012345678901234567890")

        // When
        let result = ScenarioParser.parse(text)

        // Then
        let d = try #require(result.first("SS007"))
        #expect(d.location == SourceLocation(line: 2, column: 10))
        #expect(d.message.contains("out of range"))
    }

    @Test func quotedNumberIsAWrongTypeWithAHint() throws {
        // Given
        let text = ParserFixtures.minimal.replacingOccurrences(of: "id: minimal", with: "id: minimal\ndifficulty: \"2\"")

        // When
        let result = ScenarioParser.parse(text)

        // Then
        let d = try #require(result.first("SS003"))
        #expect(d.message == "'difficulty' in the top level: expected a whole number, found a string")
        #expect(d.hint == "remove the quotes around the number")
    }

    @Test func sampleCaughtByHarmfulRuleIsAWarning() throws {
        // Given
        let text = ParserFixtures.minimal.replacingOccurrences(of: "        next: b", with: """
                samples: ["Здравствуйте, как дела?"]
                next: b
            harmful:
              - id: too_casual
                match: [как дела]
                feedback: Не фамильярничайте.
        """)

        // When
        let result = ScenarioParser.parse(text)

        // Then
        #expect(!result.hasErrors, "\(result.diagnostics)")
        let d = try #require(result.first("SS014"))
        #expect(d.severity == .warning)
        #expect(d.message.contains("too_casual"))
    }

    @Test func deadEndNodeIsAWarning() throws {
        // Given: node b has no way out and no ending
        let text = ParserFixtures.minimal.replacingOccurrences(of: "    end: resolved", with: """
            expect:
              - intent: bye
                match: [до свидания]
        """)

        // When
        let result = ScenarioParser.parse(text)

        // Then
        #expect(!result.hasErrors, "\(result.diagnostics)")
        let deadEnds = result.all("SS011")
        #expect(deadEnds.map(\.location) == [SourceLocation(line: 7, column: 3), SourceLocation(line: 13, column: 3)])
        #expect(deadEnds.first?.message == "node 'a' is a dead end: no ending can be reached from it")
        #expect(deadEnds.last?.message.hasPrefix("node 'b' is a dead end: no reply leads on from it") == true)
    }
}
