import Foundation
import Testing
import Yams
@testable import SupportSimCore

/// The JSON Schema tells the truth about the format: every scenario the parser accepts, the
/// schema accepts (shipped scenarios, valid fixtures, the docs' examples), and every file the
/// parser rejects for a structural reason (unknown key, wrong type, missing key, value outside
/// its set), the schema rejects too. Checked with a real validator: Python's `jsonschema`,
/// installed by `make setup`, through Tools/validate-schema.py.
@Suite("Scenario schema: validated with jsonschema")
struct SchemaTruthTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Result: Decodable { var name: String; var valid: Bool; var errors: [String] }

    /// YAML as a JSON value the way a YAML-aware editor hands it to a schema validator: plain
    /// scalars resolved to numbers, booleans and null by the YAML core schema, everything else a string.
    static func json(_ node: Yams.Node) -> Any {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain && scalar.style != .any { return scalar.string }
            switch node.tagName {
            case .int: return Int(scalar.string) ?? scalar.string
            case .float: return Double(scalar.string) ?? scalar.string
            case .bool: return node.bool ?? scalar.string
            case .null: return NSNull()
            default: return scalar.string
            }
        case .sequence(let sequence): return sequence.map(json)
        case .mapping(let mapping):
            var out: [String: Any] = [:]
            for (key, value) in mapping { out[key.string ?? "\(key)"] = json(value) }
            return out
        case .alias: return NSNull()
        }
    }

    /// Validates the YAML texts; one result per name.
    static func validate(_ documents: [(name: String, yaml: String, partial: Bool)]) throws -> [String: Result] {
        var items: [[String: Any]] = []
        for d in documents {
            guard let node = try Yams.compose(yaml: d.yaml) else { continue }
            var item: [String: Any] = ["name": d.name, "document": json(node), "partial": d.partial]
            // A fragment of an intent (its keys are intent keys, not top-level ones).
            if d.partial, case .mapping(let m) = node {
                let keys = Set(m.keys.compactMap(\.string))
                if keys.isDisjoint(with: ScenarioYAMLDecoder.topKeys), keys.isSubset(of: ScenarioYAMLDecoder.intentKeys) {
                    item["def"] = "intent"
                }
            }
            items.append(item)
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("schema-docs-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try JSONSerialization.data(withJSONObject: items).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("Tools/validate-schema.py").path,
                             root.appendingPathComponent("schema/scenario.schema.json").path, file.path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationRunFailed(message: "validate-schema.py exited \(process.terminationStatus): \(errors)")
        }
        var results: [String: Result] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let r = try JSONDecoder().decode(Result.self, from: Data(line.utf8))
            results[r.name] = r
        }
        return results
    }

    struct ValidationRunFailed: Error, CustomStringConvertible { var message: String; var description: String { message } }

    static func shippedScenarios() throws -> [(name: String, yaml: String, partial: Bool)] {
        let folder = root.appendingPathComponent("Scenarios")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            .filter { $0.hasSuffix(".yaml") && !$0.hasSuffix(".transcript.yaml") }
            .map { ($0, try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8), false) }
    }

    /// The YAML blocks of docs/scenario-format.md: a complete scenario (it has `id` and `nodes`),
    /// or a fragment of one (top-level keys only).
    static func docExamples() throws -> [(name: String, yaml: String, partial: Bool)] {
        let doc = try String(contentsOf: root.appendingPathComponent("docs/scenario-format.md"), encoding: .utf8)
        var out: [(String, String, Bool)] = []
        var block: [String]?
        var number = 0
        for line in doc.components(separatedBy: "\n") {
            if block == nil, line.hasPrefix("```yaml") { block = []; continue }
            if block != nil, line.hasPrefix("```") {
                number += 1
                let text = block!.joined(separator: "\n")
                // A block of comments only (the editor header) holds no document.
                if text.split(separator: "\n").allSatisfy({ $0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }) {
                    block = nil
                    continue
                }
                let complete = text.contains("\nnodes:") && (text.hasPrefix("id:") || text.contains("\nid:"))
                out.append(("docs example \(number)", text, !complete))
                block = nil
                continue
            }
            block?.append(line)
        }
        return out
    }

    @Test func givenEveryShippedScenarioValidFixtureAndDocsExample_whenValidated_thenTheSchemaAcceptsThem() throws {
        // Given documents the parser accepts
        var documents = try Self.shippedScenarios()
        documents += [("ParserFixtures.printerScenario", ParserFixtures.printerScenario, false),
                      ("ParserFixtures.minimal", ParserFixtures.minimal, false)]
        for d in documents { #expect(!ScenarioParser.parse(d.yaml).hasErrors, "\(d.name) should parse") }
        let examples = try Self.docExamples()
        #expect(examples.count >= 5)
        documents += examples
        // When
        let results = try Self.validate(documents)
        // Then
        #expect(results.count == documents.count)
        for (name, result) in results.sorted(by: { $0.key < $1.key }) {
            #expect(result.valid, "\(name): \(result.errors.prefix(5).joined(separator: "; "))")
        }
    }

    @Test func givenStructuralMistakesThatTheParserRejects_whenValidated_thenTheSchemaRejectsThemToo() throws {
        // Given the documented example with one structural mistake each
        let base = ParserFixtures.printerScenario
        func variant(_ of: String, _ with: String) -> String {
            precondition(base.contains(of), "fixture changed: \(of)")
            return base.replacingOccurrences(of: of, with: with)
        }
        let mistakes: [(String, String)] = [
            ("unknown top-level key", base + "\ncolour: blue\n"),
            ("unknown persona key", variant("  patience: 3", "  patience: 3\n  age: 40")),
            ("wrong type: patience as text", variant("  patience: 3", "  patience: lots")),
            ("missing title", variant("title: The printer before the board meeting\n", "")),
            ("mood outside its set", variant("  mood: irritated", "  mood: grumpy")),
            ("gender outside its set", variant("  patience: 3", "  patience: 3\n  gender: other")),
            ("policy outside its set", variant("policy: required", "policy: sometimes")),
            ("node mood out of range", variant("  opening:\n", "  opening:\n    mood: 9\n")),
        ]
        var documents: [(name: String, yaml: String, partial: Bool)] = []
        for (name, yaml) in mistakes {
            let codes = Set(ScenarioParser.parse(yaml).diagnostics.filter { $0.severity == .error }.map(\.code))
            #expect(!codes.isDisjoint(with: ["SS002", "SS003", "SS004", "SS007"]), "\(name): the parser should reject it (\(codes))")
            documents.append((name, yaml, false))
        }
        let broken = try ParserFixtures.fixture("broken-scenario.yaml")
        documents.append(("Fixtures/broken-scenario.yaml", broken, false))
        // When
        let results = try Self.validate(documents)
        // Then every one is rejected
        for d in documents { #expect(results[d.name]?.valid == false, "\(d.name) should be rejected by the schema") }
    }
}
