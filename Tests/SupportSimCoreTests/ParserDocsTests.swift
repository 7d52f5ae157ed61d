import Foundation
import Testing
@testable import SupportSimCore

/// Keeps docs/scenario-format.md and schema/scenario.schema.json in step with the parser.
@Suite("Scenario format documentation and schema")
struct ParserDocsTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func documentedExampleParsesCleanlyAndMatchesTheFixture() throws {
        // Given
        let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/scenario-format.md"), encoding: .utf8)
        let blocks = doc.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```").first ?? "" }
        let example = try #require(blocks.first { $0.contains("\nid: ") })

        // When
        let result = ScenarioParser.parse(example)

        // Then
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.scenario != nil)
        #expect(result.scenario == ScenarioParser.parse(ParserFixtures.printerScenario).scenario)
    }

    @Test func everyDiagnosticCodeIsDocumented() throws {
        // Given
        let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/scenario-format.md"), encoding: .utf8)

        // When
        let undocumented = ScenarioDiagnosticCode.all.map(\.code).filter { !doc.contains("| \($0) |") }

        // Then
        #expect(undocumented.isEmpty)
    }

    @Test func schemaKnowsTheSameKeysAsTheParser() throws {
        // Given
        let data = try Data(contentsOf: Self.root.appendingPathComponent("schema/scenario.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let defs = try #require(schema["$defs"] as? [String: Any])
        func keys(_ object: Any?) -> Set<String> {
            Set(((object as? [String: Any])?["properties"] as? [String: Any])?.keys.map { $0 } ?? [])
        }

        // When / Then
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(keys(schema) == Set(ScenarioYAMLDecoder.topKeys))
        #expect(keys(defs["persona"]) == Set(ScenarioYAMLDecoder.personaKeys))
        #expect(keys(defs["ticket"]) == Set(ScenarioYAMLDecoder.ticketKeys))
        #expect(keys(defs["scoring"]) == Set(ScenarioYAMLDecoder.scoringKeys))
        #expect(keys(defs["kbArticle"]) == Set(ScenarioYAMLDecoder.kbKeys))
        #expect(keys(defs["node"]) == Set(ScenarioYAMLDecoder.nodeKeys))
        #expect(keys(defs["intent"]) == Set(ScenarioYAMLDecoder.intentKeys))
        #expect(keys(defs["harmfulRule"]) == Set(ScenarioYAMLDecoder.harmfulKeys))
        #expect(keys(defs["fallback"]) == Set(ScenarioYAMLDecoder.fallbackKeys))
        #expect(keys(defs["choice"]) == Set(ScenarioYAMLDecoder.choiceKeys))
        #expect(keys(defs["escalation"]) == Set(ScenarioYAMLDecoder.escalationKeys))
        #expect(keys(defs["criticalRule"]) == Set(ScenarioYAMLDecoder.criticalKeys))
        #expect(keys(defs["endings"]) == Set(ScenarioYAMLDecoder.endingKeys))
    }
}
