import Foundation
import Testing

/// `supportsim-eval intents` reads `include:` from each scenario's folder, as lint and play do.
@Suite struct EvalIntentsIncludeTests {
    @Test("Given a scenario folder whose scenario includes a shared file, when supportsim-eval intents runs on it, then the scenario loads and its rows are evaluated")
    func resolvesIncludes() throws {
        // Given the referral pack of the include tests (renewal.yaml includes shared/pack.yaml)
        let dir = try CLI.temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("shared"), withIntermediateDirectories: true)
        try ReferralIncludeCommandTests.scenario.write(to: dir.appendingPathComponent("renewal.yaml"), atomically: true, encoding: .utf8)
        try ReferralIncludeCommandTests.pack.write(to: dir.appendingPathComponent("shared/pack.yaml"), atomically: true, encoding: .utf8)
        let tsv = dir.appendingPathComponent("rows.tsv")
        try "scenario\tnode\treply\texpected\nlicence-renewal\topening\tHow many seats do you need?\task_seats\nlicence-renewal\topening\tOk.\tnone\n"
            .write(to: tsv, atomically: true, encoding: .utf8)
        let lint = try CLI.run(["lint", dir.appendingPathComponent("renewal.yaml").path])
        #expect(lint.status == 0, "\(lint.stdout)\(lint.stderr)")

        // When
        let result = try CLI.run(["intents", tsv.path, "--scenarios", dir.path, "--json", "--meaning", "off"],
                                 program: "supportsim-eval")

        // Then
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["n"] as? Int == 2)
        #expect(object["recall"] as? Double == 1 || object["recall"] as? Int == 1, "\(result.stdout)")
    }

    @Test("Given a scenario whose include is missing, when supportsim-eval intents names it, then it stops with exit 65 and points at lint")
    func missingInclude() throws {
        // Given
        let dir = try CLI.temporaryDirectory()
        try ReferralIncludeCommandTests.scenario.write(to: dir.appendingPathComponent("licence-renewal.yaml"), atomically: true, encoding: .utf8)
        let tsv = dir.appendingPathComponent("rows.tsv")
        try "scenario\tnode\treply\texpected\nlicence-renewal\topening\tHow many seats do you need?\task_seats\n"
            .write(to: tsv, atomically: true, encoding: .utf8)
        // When
        let result = try CLI.run(["intents", tsv.path, "--scenarios", dir.path, "--meaning", "off"], program: "supportsim-eval")
        // Then
        #expect(result.status == 65)
        #expect(result.stderr.contains("supportsim lint"), "\(result.stderr)")
    }
}
