import Foundation
import Testing
import Yams
@testable import SupportSimCore

/// The schemas for `refer`, `forbidden_to`, `include` and the shared pack file tell the truth,
/// checked with the real validator (Tools/validate-schema.py, Python's jsonschema).
@Suite("Scenario schema: referrals and include")
struct ReferralSchemaTests {
    static let root = SchemaTruthTests.root

    static func validate(schema: String, _ documents: [(name: String, yaml: String, partial: Bool)]) throws -> [String: SchemaTruthTests.Result] {
        var items: [[String: Any]] = []
        for d in documents {
            guard let node = try Yams.compose(yaml: d.yaml) else { continue }
            items.append(["name": d.name, "document": SchemaTruthTests.json(node), "partial": d.partial])
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("schema-refer-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try JSONSerialization.data(withJSONObject: items).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("Tools/validate-schema.py").path,
                             root.appendingPathComponent("schema/\(schema)").path, file.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        var results: [String: SchemaTruthTests.Result] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let r = try JSONDecoder().decode(SchemaTruthTests.Result.self, from: Data(line.utf8))
            results[r.name] = r
        }
        return results
    }

    static func schema(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: root.appendingPathComponent("schema/\(name)"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("Given the referral fixture, when validated with jsonschema, then the scenario schema accepts it; and its referral keys are the parser's")
    func fixtureValid() throws {
        #expect(!ScenarioParser.parse(ReferralFixtures.scenario).hasErrors)
        let results = try Self.validate(schema: "scenario.schema.json", [("referrals", ReferralFixtures.scenario, false)])
        #expect(results["referrals"]?.valid == true, "\(results["referrals"]?.errors ?? [])")
        let defs = try #require(try Self.schema("scenario.schema.json")["$defs"] as? [String: Any])
        let referral = try #require((defs["referral"] as? [String: Any])?["properties"] as? [String: Any])
        #expect(Set(referral.keys) == Set(ScenarioYAMLDecoder.referralKeys))
    }

    @Test("Given structural mistakes in refer and include, when parsed and validated, then both the parser and the schema reject them")
    func mistakesRejected() throws {
        let base = ReferralFixtures.scenario
        let mistakes = [
            ("unknown referral key", base.replacingOccurrences(of: "    policy: forbidden\n", with: "    policy: forbidden\n    colour: red\n")),
            ("referral policy outside its set", base.replacingOccurrences(of: "policy: required", with: "policy: sometimes")),
            ("referral without id", base.replacingOccurrences(of: "  - id: security\n    label: security team\n", with: "  - label: security team\n")),
            ("include as a mapping", "include: {path: x.yaml}\n" + base),
        ]
        for (name, yaml) in mistakes {
            let codes = Set(ScenarioParser.parse(yaml, includes: InMemoryIncludeResolver(files: [:])).diagnostics
                .filter { $0.severity == .error }.map(\.code))
            #expect(!codes.isDisjoint(with: ["SS002", "SS003", "SS004", "SS007"]), "\(name): \(codes)")
        }
        let results = try Self.validate(schema: "scenario.schema.json", mistakes.map { ($0.0, $0.1, false) })
        for (name, _) in mistakes { #expect(results[name]?.valid == false, "\(name) should be rejected by the schema") }
    }

    @Test("Given the shared pack file example in the docs, when validated against schema/shared.schema.json, then it is accepted, a scenario key is rejected, and its kb and vocabulary parts equal the scenario schema's")
    func sharedFileSchema() throws {
        let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/scenario-format.md"), encoding: .utf8)
        let blocks = doc.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```").first ?? "" }
        let example = try #require(blocks.first { $0.contains("$schema=../../schema/shared.schema.json") })
        let results = try Self.validate(schema: "shared.schema.json", [
            ("docs shared file", example, false),
            ("IncludeTests.kb", IncludeTests.kb, false),
            ("a scenario key in a shared file", example + "persona: {name: X}\n", false),
        ])
        #expect(results["docs shared file"]?.valid == true, "\(results["docs shared file"]?.errors ?? [])")
        #expect(results["IncludeTests.kb"]?.valid == true)
        #expect(results["a scenario key in a shared file"]?.valid == false)
        // The example parses as an included file too.
        let parsed = ScenarioParser.parse("include: shared/kb.yaml\n" + ReferralFixtures.scenario,
                                          includes: InMemoryIncludeResolver(files: ["shared/kb.yaml": example]))
        #expect(parsed.scenario?.knowledgeBase.map(\.id) == ["KB-7"], "\(parsed.diagnostics)")

        let shared = try Self.schema("shared.schema.json"), scenario = try Self.schema("scenario.schema.json")
        let sharedProps = try #require(shared["properties"] as? NSDictionary)
        let scenarioProps = try #require(scenario["properties"] as? NSDictionary)
        #expect(Set((sharedProps.allKeys as? [String]) ?? []) == Set(ScenarioYAMLDecoder.includedKeys))
        #expect(sharedProps["kb"] as? NSDictionary == scenarioProps["kb"] as? NSDictionary)
        #expect(sharedProps["vocabulary"] as? NSDictionary == scenarioProps["vocabulary"] as? NSDictionary)
        let sharedDefs = try #require(shared["$defs"] as? NSDictionary), scenarioDefs = try #require(scenario["$defs"] as? NSDictionary)
        for name in ["kbArticle", "includePaths"] {
            #expect(sharedDefs[name] as? NSDictionary == scenarioDefs[name] as? NSDictionary, "\(name)")
        }
    }
}
