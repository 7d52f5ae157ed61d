import Foundation
import SupportSimCore
import SupportSimLexicons

/// Scenarios for the `ScenarioReachability` and `ScenarioExplorer` tests.
enum ExploreFixtures {
    /// `orphan` and `orphan_end` (an `end: escalated` node) cannot be reached from the start, so
    /// neither can the intent `orphan_step` nor the ending `escalated` (escalation is forbidden).
    static let unreachable = text("explore-unreachable.yaml")

    /// Two nodes that send the conversation back and forth and calm the customer whatever is said:
    /// nothing in the scenario ever ends it.
    static let loop = text("explore-loop.yaml")

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    /// A file of Tests/Fixtures (the end-to-end tests of `supportsim explore` use the same files).
    static func text(_ name: String) -> String {
        (try? String(contentsOf: folder.appendingPathComponent("Fixtures").appendingPathComponent(name), encoding: .utf8)) ?? ""
    }

    static func scenario(_ text: String) throws -> Scenario {
        let result = ScenarioParser.parse(text)
        guard let scenario = result.scenario else { throw FixtureError(diagnostics: result.diagnostics) }
        return scenario
    }

    struct FixtureError: Error { let diagnostics: [Diagnostic] }

    static func explorer(_ text: String) throws -> ScenarioExplorer {
        ScenarioExplorer(scenario: try scenario(text), analyzer: BundledLexicons.analyzer)
    }

    /// The shipped scenario files.
    static var shipped: [URL] {
        let folder = folder.deletingLastPathComponent().appendingPathComponent("Scenarios")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") && !$0.contains(".transcript.") }.sorted()
            .map { folder.appendingPathComponent($0) }
    }
}
