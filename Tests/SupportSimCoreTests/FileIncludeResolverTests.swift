import Foundation
import SupportSimCore
import SupportSimLexicons
import Testing

/// The resolver of `include:` on disk, shared by `supportsim` and `supportsim-eval` (SupportSimLexicons).
@Suite struct FileIncludeResolverTests {
    /// A pack folder with a scenario, an included file and a folder; and a file outside it.
    static func pack() throws -> (root: URL, outside: URL) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("include-\(UUID().uuidString)")
        let root = base.appendingPathComponent("pack")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("shared/folder"), withIntermediateDirectories: true)
        try "kb: []\n".write(to: root.appendingPathComponent("shared/kb.yaml"), atomically: true, encoding: .utf8)
        try Data([0x6B, 0x62, 0x3A, 0x20, 0xFF, 0x0A]).write(to: root.appendingPathComponent("shared/bad.yaml"))
        let outside = base.appendingPathComponent("secret.yaml")
        try "vocabulary: []\n".write(to: outside, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("shared/link.yaml"), withDestinationURL: outside)
        return (root, outside)
    }

    @Test("Given a pack folder on disk, when files are included, then a file inside is read and a missing file, a folder, bad UTF-8 and a link out of the pack are refused with a reason")
    func readsAndRefuses() throws {
        // Given
        let (root, outside) = try Self.pack()
        let resolver = FileIncludeResolver(scenario: root.appendingPathComponent("scenario.yaml"))
        // When / Then
        #expect(resolver.scenarioPath == "scenario.yaml")
        #expect(resolver.read("shared/kb.yaml") == .text("kb: []\n"))
        #expect(resolver.read("shared/none.yaml") == .unreadable("no such file"))
        #expect(resolver.read("shared/folder") == .unreadable("it is a folder"))
        guard case .unreadable = resolver.read("shared/bad.yaml") else {
            Issue.record("bad UTF-8 should be unreadable"); return
        }
        guard case .escapes(let why) = resolver.read("shared/link.yaml") else {
            Issue.record("a link out of the pack should be refused"); return
        }
        #expect(why.contains(outside.lastPathComponent))
    }

    @Test("Given a scenario whose knowledge base comes from an include on disk, when parsed with the file resolver, then it has no errors and the included article")
    func parsesWithIncludes() throws {
        // Given
        let (root, _) = try Self.pack()
        try "kb:\n  - {id: KB-7, title: Licence pricing, keywords: [price, discount]}\n"
            .write(to: root.appendingPathComponent("shared/kb.yaml"), atomically: true, encoding: .utf8)
        let scenario = """
        id: licence-renewal
        title: Licence renewal
        language: en
        include: [shared/kb.yaml]
        persona: {name: Maria Lopez, mood: calm, patience: 5}
        start: opening
        nodes:
          opening:
            customer: Our licence expires on Friday.
            expect:
              - {intent: ask_seats, match: [how many seats], samples: ["How many seats do you need?"]}
            closable: true

        """
        let url = root.appendingPathComponent("renewal.yaml")
        // When
        let (_, withFiles) = ScenarioParser.parse(bytes: Data(scenario.utf8), includes: FileIncludeResolver(scenario: url))
        let (_, without) = ScenarioParser.parse(bytes: Data(scenario.utf8))
        // Then
        #expect(withFiles.diagnostics.filter { $0.severity == .error }.isEmpty, "\(withFiles.diagnostics)")
        #expect(withFiles.scenario?.knowledgeBase.map(\.id) == ["KB-7"])
        #expect(without.scenario == nil)
    }
}
