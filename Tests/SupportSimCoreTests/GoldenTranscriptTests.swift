import Foundation
import Testing
@testable import SupportSimCore
import SupportSimLexicons
import SupportSimEmbeddings

/// Plays every `Scenarios/*.transcript.yaml` against the scenario beside it.
@Suite("Golden transcripts")
struct GoldenTranscriptTests {
    /// The package root: up from Tests/SupportSimCoreTests/.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SupportSimCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static let scenariosDirectory = packageRoot.appendingPathComponent("Scenarios")

    /// File names of every golden transcript, sorted.
    static let transcriptFiles: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: scenariosDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".transcript.yaml") }.sorted()
    }()

    @Test("there are golden transcripts to run")
    func transcriptsExist() {
        #expect(!Self.transcriptFiles.isEmpty, "no *.transcript.yaml in \(Self.scenariosDirectory.path)")
    }

    /// The sentence-embedding model `make setup` installs; CI runs with it.
    static let meaningModel = MeaningModel.load()

    @Test("golden transcript plays as expected", arguments: transcriptFiles)
    func golden(_ file: String) throws {
        try play(file, meaning: false)
    }

    @Test("golden transcript plays as expected with meaning-based matching on", arguments: transcriptFiles)
    func goldenWithMeaning(_ file: String) throws {
        // Given the model installed by `make setup` (a missing model fails the test: CI has it)
        guard case .success = Self.meaningModel else {
            Issue.record("meaning-based matching is not available: \(Self.meaningModel); run `make setup`")
            return
        }
        // When every run is played with meaning on / Then the expectations hold as with rules alone
        try play(file, meaning: true)
    }

    private func play(_ file: String, meaning: Bool) throws {
        let transcriptURL = Self.scenariosDirectory.appendingPathComponent(file)
        let transcriptText = try String(contentsOf: transcriptURL, encoding: .utf8)
        let golden = GoldenTranscript.parse(transcriptText)
        for d in golden.diagnostics {
            print(d.rendered(file: "Scenarios/\(file)", source: transcriptText))
        }
        let transcript = try #require(golden.transcript, "Scenarios/\(file) could not be read")
        #expect(!golden.hasErrors, "Scenarios/\(file) has errors")

        let scenarioFile = String(file.dropLast(".transcript.yaml".count)) + ".yaml"
        #expect(transcript.scenario + ".yaml" == scenarioFile, "\(file) names scenario '\(transcript.scenario)'")
        let scenarioText = try String(contentsOf: Self.scenariosDirectory.appendingPathComponent(scenarioFile), encoding: .utf8)
        let parsed = ScenarioParser.parse(scenarioText)
        for d in parsed.diagnostics {
            print(d.rendered(file: "Scenarios/\(scenarioFile)", source: scenarioText))
        }
        #expect(!parsed.hasErrors, "Scenarios/\(scenarioFile) has errors")
        let scenario = try #require(parsed.scenario)

        #expect(transcript.runs.contains { $0.expect.passed == true }, "\(file) needs at least one passing run")
        #expect(transcript.runs.contains { $0.expect.passed == false }, "\(file) needs at least one failing run")

        let index = meaning ? (try? Self.meaningModel.get()).map { MeaningIndex(scenario: scenario, embedder: $0) } : nil
        for result in GoldenRunner.run(scenario: scenario, transcript: transcript,
                                       pipeline: .standard(analyzer: BundledLexicons.analyzer), meaning: index) {
            print(result.summary)
            if !result.passed { print(result.failureMessage) }
            #expect(result.passed, "\(result.summary)\n\(result.failureMessage)")
        }
    }

    // MARK: - The harness itself

    static let tinyScenario = Scenario(
        id: "tiny", title: "Tiny", language: .en, persona: Persona(name: "Sam Lee", patience: 2),
        start: "start",
        nodes: [
            Node(id: "start", customer: ["My mail is broken."],
                 expect: [Intent(id: "ask", match: MatchRule(any: ["what happens"]), next: "fixed")],
                 harmful: [HarmfulRule(id: "rude", match: MatchRule(any: ["go away"]), feedback: "rude")]),
            Node(id: "fixed", customer: ["It works now."], closable: true),
        ],
        critical: [CriticalRule(id: "password", match: MatchRule(any: ["your password"]), reason: "asked for a password")]
    )

    @Test("a deliberately wrong expectation is reported with a readable message")
    func wrongExpectationFails() throws {
        let text = """
        scenario: tiny
        runs:
          - name: wrong
            replies: ["Hello Sam, what happens when you open it?", "/close fixed"]
            expect:
              path: [start, somewhere-else]
              ending: escalated
              scores: {total: [101, 101]}
              passed: true
        """
        // 101 is out of range: that is a parse error, so use a valid but wrong band instead.
        let parsedBad = GoldenTranscript.parse(text)
        #expect(parsedBad.hasErrors)
        #expect(parsedBad.diagnostics.contains { $0.code == GoldenDiagnosticCode.bandOutOfRange && $0.location.line == 8 })

        let fixed = text.replacingOccurrences(of: "[101, 101]", with: "[99, 100]")
        let golden = try #require(GoldenTranscript.parse(fixed).transcript)
        let results = GoldenRunner.run(scenario: Self.tinyScenario, transcript: golden,
                                       pipeline: ScoringPipeline(scorers: []))
        let result = try #require(results.first)
        #expect(!result.passed)
        #expect(result.transcript.ending == .resolved)
        let fields = Set(result.mismatches.map(\.field))
        #expect(fields.isSuperset(of: ["path", "ending", "score.total", "passed"]))
        let message = result.failureMessage
        #expect(message.contains("wrong"))
        #expect(message.contains("ending: expected escalated, got resolved"))
        #expect(message.contains("you> Hello Sam, what happens when you open it?"))
        #expect(message.contains("Sam: It works now."))
    }

    @Test("a matching expectation passes, and replies after the end are reported")
    func matchingExpectationPasses() throws {
        let text = """
        scenario: tiny
        runs:
          - name: right
            seed: 7
            replies: ["Hello Sam, what happens when you open it?", "/close fixed"]
            expect:
              path: [start, fixed]
              ending: resolved
              critical: []
              scores: {correctness: n/a}
          - name: too-long
            replies: ["/close", "Hello?"]
            expect: {ending: closed-unresolved}
          - name: critical
            replies: ["Tell me your password.", "/quit"]
            expect: {critical: [password], ending: abandoned, passed: false}
        """
        let parsed = GoldenTranscript.parse(text)
        #expect(parsed.diagnostics.isEmpty)
        let golden = try #require(parsed.transcript)
        let results = GoldenRunner.run(scenario: Self.tinyScenario, transcript: golden, pipeline: ScoringPipeline(scorers: []))
        #expect(results.count == 3)
        #expect(results[0].passed, "\(results[0].failureMessage)")
        #expect(!results[1].passed)
        #expect(results[1].mismatches.map(\.field) == ["replies"])
        #expect(results[2].passed, "\(results[2].failureMessage)")
    }

    @Test("malformed transcripts become located diagnostics")
    func malformedTranscripts() {
        let unknownKey = GoldenTranscript.parse("""
        scenario: tiny
        runs:
          - name: a
            replies: [hi]
            expcet: {passed: true}
        """)
        #expect(unknownKey.diagnostics.contains { $0.code == "GT003" && $0.location.line == 5 })

        let missing = GoldenTranscript.parse("""
        scenario: tiny
        runs:
          - name: a
            expect: {passed: true}
        """)
        #expect(missing.hasErrors)
        #expect(missing.diagnostics.contains { $0.code == "GT004" && $0.message.contains("replies") })

        let syntax = GoldenTranscript.parse("scenario: [tiny\nruns: []\n")
        #expect(syntax.diagnostics.first?.code == "GT001")

        let badEnding = GoldenTranscript.parse("""
        scenario: tiny
        runs:
          - name: a
            replies: [hi]
            expect: {ending: solved}
        """)
        #expect(badEnding.diagnostics.contains { $0.code == "GT005" && $0.message.contains("solved") })
    }
}
