import Foundation
import Testing
@testable import SupportSimCore

/// `ScenarioHeaderReader`: the fields `list` prints, read without composing the whole file.
@Suite("Scenario header reading")
struct ScenarioHeaderTests {
    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scenarios")

    static func shippedScenarios() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: scenarios.path)
            .filter { $0.hasSuffix(".yaml") && !$0.contains(".transcript.") }.sorted()
            .map { scenarios.appendingPathComponent($0) }
    }

    @Test func headerOfEveryShippedScenarioEqualsTheFullParsersValues() throws {
        // Given every shipped scenario
        let files = try Self.shippedScenarios()
        #expect(files.count >= 5)
        for file in files {
            let data = try Data(contentsOf: file)
            // When its header is read and the whole file is parsed
            let header = ScenarioHeaderReader.read(bytes: data)
            let scenario = try #require(ScenarioParser.parse(bytes: data).result.scenario, "\(file.lastPathComponent)")
            // Then the header has the full parser's id, title, language, line, difficulty and tags
            #expect(header.problem == nil, "\(file.lastPathComponent): \(String(describing: header.problem))")
            #expect(header.header == ScenarioHeader(scenario), "\(file.lastPathComponent)")
        }
    }

    @Test func headerScanStopsBeforeNodesOnceEveryHeaderKeyIsFound() throws {
        // Given a shipped scenario
        let data = try [UInt8](Data(contentsOf: Self.scenarios.appendingPathComponent("printer-before-board-meeting.yaml")))

        // When its header lines are cut out
        let subset = try #require(ScenarioHeaderReader.headerLines(data))

        // Then nothing from `nodes:` on is kept
        let text = String(decoding: subset, as: UTF8.self)
        #expect(text.contains("id: printer-before-board-meeting"))
        #expect(!text.contains("nodes:"))
        #expect(subset.count < data.count / 4)
    }

    @Test func headerWrittenInFlowStyleOrWithAnchorsIsReadLikeTheFullParserReadsIt() {
        // Given a scenario header written as a flow mapping and one whose title is an alias to an anchor under `persona`
        let flow = "{id: flow-one, title: Flow, language: ru, line: L2, difficulty: 4, tags: [a, b]}\n"
        let anchored = "id: anchored\npersona: {name: &t The title}\ntitle: *t\nlanguage: en\n"

        // When their headers are read
        let a = ScenarioHeaderReader.read(bytes: Array(flow.utf8))
        let b = ScenarioHeaderReader.read(bytes: Array(anchored.utf8))

        // Then both are read by composing the whole file
        #expect(a.header == ScenarioHeader(id: "flow-one", title: "Flow", language: .ru, line: .l2, difficulty: 4, tags: ["a", "b"]))
        #expect(b.header?.title == "The title")
    }

    @Test func headerWithAWrongValueGivesItsLocatedProblem() throws {
        // Given a header with a language the format does not know
        let text = "id: broken\ntitle: Broken\nlanguage: fr\nnodes:\n  a: {customer: Hi}\n"

        // When it is read
        let result = ScenarioHeaderReader.read(bytes: Array(text.utf8))

        // Then there is no header, and the problem names the key, its line and its code
        #expect(result.header == nil)
        let problem = try #require(result.problem)
        #expect(problem.location.line == 3)
        #expect(problem.code == ScenarioDiagnosticCode.invalidValue)
        #expect(problem.message.contains("'language'"))
    }

    @Test func unknownIDGetsAtMostFiveSuggestionsClosestFirst() {
        // Given many ids, one a typo away from the word
        let ids = (1...600).map { "scenario-\($0)" } + ["printer-before-board-meeting"]

        // When suggestions are made for a misspelt id and for a prefix
        let typo = IDSuggestions.closest(to: "printer-before-bord-meeting", among: ids)
        let prefix = IDSuggestions.closest(to: "scenario-1", among: ids)

        // Then the close id comes first, and never more than five come back
        #expect(typo.first == "printer-before-board-meeting")
        #expect(prefix.count == 5)
        #expect(prefix.first == "scenario-1")
        #expect(IDSuggestions.closest(to: "zzzzzzzzzzzzzzz", among: ids).isEmpty)
    }
}

extension ScenarioHeaderTests {
    @Test func tagsWrittenAsAListAtTheKeysIndentationAreReadFromTheHeaderAlone() throws {
        // Given a header whose tags are a block list starting at column 0, before `nodes:`
        let text = "id: listed\ntitle: Listed\nlanguage: en\nline: L3\ndifficulty: 2\ntags:\n- one\n- two\nnodes:\n  a: {customer: Hi}\n"

        // When its header lines are cut out and read
        let subset = try #require(ScenarioHeaderReader.headerLines(Array(text.utf8)))
        let result = ScenarioHeaderReader.read(bytes: Array(text.utf8))

        // Then the list belongs to `tags`, and the scan stopped before `nodes:`
        #expect(!String(decoding: subset, as: UTF8.self).contains("nodes"))
        #expect(result.header == ScenarioHeader(id: "listed", title: "Listed", language: .en, line: .l3, difficulty: 2, tags: ["one", "two"]))
    }
}
