import Foundation
import Testing
import Yams
@testable import SupportSimCore
import SupportSimLexicons

/// Where a diverging golden run went another way, the checks of a transcript against its
/// scenario (GT codes), and the transcript documentation and schema kept in step with the decoder.
@Suite("Golden transcripts: divergence, checks, docs and schema")
struct GoldenChecksTests {
    static let root = GoldenTranscriptTests.packageRoot
    static let tiny = GoldenTranscriptTests.tinyScenario

    private func play(_ yaml: String) throws -> GoldenRunResult {
        let parsed = GoldenTranscript.parse(yaml)
        #expect(!parsed.hasErrors, "\(parsed.diagnostics)")
        let transcript = try #require(parsed.transcript)
        return try #require(GoldenRunner.run(scenario: Self.tiny, transcript: transcript,
                                             pipeline: ScoringPipeline(scorers: [])).first)
    }

    // MARK: - Divergence

    @Test func givenAWrongNextNode_whenPlayed_thenTheDivergenceNamesTurnReplyNodesAndTheIntentThatMatched() throws {
        // Given a run that expects to stay at start after a reply that moves on to fixed
        let result = try play("""
        scenario: tiny
        runs:
          - name: wrong-path
            replies:
              - "Hello Sam, what happens when you open it?"
              - "/close fixed"
            expect: {path: [start, start-again]}
        """)

        // When / Then
        #expect(!result.passed)
        let d = try #require(result.divergence)
        #expect(d.field == "path")
        #expect(d.turn == 1)
        #expect(d.reply == "Hello Sam, what happens when you open it?")
        #expect(d.location?.line == 5)
        #expect(d.node == "start")
        #expect(d.expectedNode == "start-again")
        #expect(d.actualNode == "fixed")
        #expect(d.matched.contains { $0.hasPrefix("intent ask") && $0.contains("what happens") })
        #expect(result.failureMessage.contains("Diverged at turn 1 (line 5)"))
        #expect(result.failureMessage.contains("expected node start-again, actual node fixed"))
    }

    @Test func givenAReplyThatMatchesNothing_whenThePathStopsShort_thenTheDivergenceSaysNothingMatched() throws {
        // Given a reply no rule of start recognises, where the run expects the conversation to move on
        let result = try play("""
        scenario: tiny
        runs:
          - name: stuck
            replies: ["The weather is nice today."]
            expect: {path: [start, fixed], ending: open}
        """)

        // When / Then the divergence is at that reply, the conversation stayed, and nothing matched
        let d = try #require(result.divergence)
        #expect(d.turn == 1)
        #expect(d.expectedNode == "fixed")
        #expect(d.actualNode == nil)
        #expect(d.matched == ["nothing matched at start (fallback)"])
        #expect(d.description.contains("actual node (stayed at start)"))
    }

    @Test func givenWrongIntents_whenPlayed_thenTheDivergenceNamesTheIntentExpectedAndTheOneMatched() throws {
        // Given a run whose first reply matches 'ask' where the file expects another intent
        let result = try play("""
        scenario: tiny
        runs:
          - name: intents
            replies: ["Hello Sam, what happens when you open it?", "/close fixed"]
            expect: {intents: [something-else]}
        """)

        // When / Then
        let d = try #require(result.divergence)
        #expect(d.field == "intents")
        #expect(d.turn == 1)
        #expect(d.expectedIntent == "something-else")
        #expect(d.actualIntent == "ask")
    }

    @Test func givenAClockPassedIn_whenRunsArePlayed_thenEachRunIsTimedByThatClock() throws {
        // Given a clock that advances by 0.25 s each time it is read
        let transcript = try #require(GoldenTranscript.parse("""
        scenario: tiny
        runs:
          - {name: a, replies: ["/close fixed"]}
          - {name: b, replies: ["/close fixed"]}
        """).transcript)
        nonisolated(unsafe) var now = 0.0
        // When
        let results = GoldenRunner.run(scenario: Self.tiny, transcript: transcript, pipeline: ScoringPipeline(scorers: []),
                                       clock: { now += 0.25; return now })
        // Then every run took exactly one tick of that clock; without a clock no time is given
        #expect(results.map(\.seconds) == [0.25, 0.25])
        let untimed = GoldenRunner.run(scenario: Self.tiny, transcript: transcript, pipeline: ScoringPipeline(scorers: []))
        #expect(untimed.allSatisfy { $0.seconds == nil })
    }

    // MARK: - Values

    @Test func givenAnExactScoreAbove100_whenParsed_thenItIsABandOutOfRangeAtItsLine() {
        // Given a single-number band of 150 (it used to be accepted and could never hold)
        let parsed = GoldenTranscript.parse("""
        scenario: tiny
        runs:
          - name: a
            replies: [hi]
            expect:
              scores: {total: 150}
        """)
        // Then
        #expect(parsed.hasErrors)
        #expect(parsed.diagnostics.contains { $0.code == GoldenDiagnosticCode.bandOutOfRange && $0.location.line == 6 })
    }

    @Test func givenTotalNotApplicable_whenParsed_thenItIsABadValue() {
        let parsed = GoldenTranscript.parse("""
        scenario: tiny
        runs:
          - {name: a, replies: [hi], expect: {scores: {total: n/a}}}
        """)
        #expect(parsed.diagnostics.contains { $0.code == GoldenDiagnosticCode.invalidValue && $0.message.contains("total") })
    }

    @Test func givenANegativeSecondsPerReply_whenParsed_thenItIsABadValue() {
        let parsed = GoldenTranscript.parse("""
        scenario: tiny
        runs:
          - {name: a, replies: [hi], seconds_per_reply: -5}
        """)
        #expect(parsed.diagnostics.contains { $0.code == GoldenDiagnosticCode.invalidValue && $0.location.line == 3 })
    }

    // MARK: - Checks against the scenario

    @Test func givenUnknownIdsInTheExpectations_whenChecked_thenEachIsReportedWithItsCodeAndPosition() throws {
        // Given
        let transcript = try #require(GoldenTranscript.parse("""
        scenario: tiny
        runs:
          - name: a
            replies: [hi]
            expect:
              path: [fixed, nowhere]
              intents: [ask, asks]
              critical: [password, obscenity, pasword]
              scores: {spelling: [0, 100]}
        """).transcript)

        // When
        let diagnostics = transcript.check(against: Self.tiny, fileName: "other.transcript.yaml")

        // Then
        func at(_ code: String) -> [SupportSimCore.SourceLocation] { diagnostics.filter { $0.code == code }.map(\.location) }
        #expect(at(GoldenDiagnosticCode.fileName) == [SupportSimCore.SourceLocation(line: 1, column: 11)])
        #expect(at(GoldenDiagnosticCode.pathStart) == [SupportSimCore.SourceLocation(line: 6, column: 14)])
        #expect(at(GoldenDiagnosticCode.unknownNode) == [SupportSimCore.SourceLocation(line: 6, column: 21)])
        #expect(at(GoldenDiagnosticCode.unknownIntent) == [SupportSimCore.SourceLocation(line: 7, column: 22)])
        #expect(at(GoldenDiagnosticCode.unknownCriticalRule) == [SupportSimCore.SourceLocation(line: 8, column: 39)])
        #expect(at(GoldenDiagnosticCode.categoryNotScored) == [SupportSimCore.SourceLocation(line: 9, column: 26)])
        #expect(diagnostics.first { $0.code == GoldenDiagnosticCode.unknownIntent }?.hint == "did you mean 'ask'?")
        #expect(diagnostics.first { $0.code == GoldenDiagnosticCode.unknownNode }?.severity == .error)
        #expect(diagnostics.first { $0.code == GoldenDiagnosticCode.pathStart }?.severity == .warning)
    }

    @Test func givenNoScenario_whenChecked_thenUnknownScenarioAtTheScenarioKey() throws {
        let transcript = try #require(GoldenTranscript.parse("scenario: ghost\nruns:\n  - {name: a, replies: [hi]}\n").transcript)
        let diagnostics = transcript.check(against: nil, fileName: "ghost.transcript.yaml")
        #expect(diagnostics.map(\.code) == [GoldenDiagnosticCode.unknownScenario])
        #expect(diagnostics.first?.location == SupportSimCore.SourceLocation(line: 1, column: 11))
    }

    @Test func givenAScenarioWithAnotherID_whenChecked_thenUnknownScenario() throws {
        let transcript = try #require(GoldenTranscript.parse("scenario: tinier\nruns:\n  - {name: a, replies: [hi]}\n").transcript)
        let diagnostics = transcript.check(against: Self.tiny)
        #expect(diagnostics.contains { $0.code == GoldenDiagnosticCode.unknownScenario && $0.message.contains("'tiny'") })
    }

    @Test("every shipped transcript reads and checks cleanly against its scenario", arguments: GoldenTranscriptTests.transcriptFiles)
    func shippedTranscriptsCheckCleanly(_ file: String) throws {
        // Given
        let dir = Self.root.appendingPathComponent("Scenarios")
        let parsed = GoldenTranscript.parse(try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8))
        let transcript = try #require(parsed.transcript)
        let scenario = ScenarioParser.parse(try String(contentsOf: dir.appendingPathComponent(transcript.scenario + ".yaml"),
                                                       encoding: .utf8)).scenario
        // When
        let diagnostics = parsed.diagnostics + transcript.check(against: scenario, fileName: file)
        // Then
        #expect(diagnostics.isEmpty, "\(diagnostics)")
    }

    // MARK: - Documentation and schema

    static func doc() throws -> String {
        try String(contentsOf: root.appendingPathComponent("docs/transcripts.md"), encoding: .utf8)
    }

    @Test func everyGTCodeIsDocumentedInTheDescriptorTable() throws {
        // Given
        let doc = try Self.doc()
        // When
        let undocumented = GoldenDiagnosticCode.all.map(\.code).filter { !doc.contains("| \($0) |") }
        // Then
        #expect(undocumented.isEmpty)
        #expect(GoldenDiagnosticCode.all.count == Set(GoldenDiagnosticCode.all.map(\.code)).count)
    }

    @Test func everyKeyTheDecoderAcceptsIsDocumented() throws {
        let doc = try Self.doc()
        let keys = GoldenTranscript.topKeys.union(GoldenTranscript.runKeys).union(GoldenTranscript.expectKeys)
            .union(GoldenTranscript.scoreKeys)
        let undocumented = keys.filter { !doc.contains("`\($0)`") }
        #expect(undocumented.isEmpty, "not in docs/transcripts.md: \(undocumented.sorted())")
    }

    @Test func documentedExampleReadsAndChecksCleanlyAgainstItsScenario() throws {
        // Given the first complete transcript in the docs
        let doc = try Self.doc()
        let blocks = doc.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```").first ?? "" }
        let example = try #require(blocks.first { $0.contains("\nruns:") })
        // When
        let parsed = GoldenTranscript.parse(example)
        let transcript = try #require(parsed.transcript)
        let scenarioText = try String(contentsOf: Self.root.appendingPathComponent("Scenarios/\(transcript.scenario).yaml"), encoding: .utf8)
        let scenario = try #require(ScenarioParser.parse(scenarioText).scenario)
        // Then it is clean, and its runs pass
        #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics)")
        #expect(transcript.check(against: scenario).isEmpty)
        for result in GoldenRunner.run(scenario: scenario, transcript: transcript,
                                       pipeline: .standard(analyzer: BundledLexicons.analyzer)) {
            #expect(result.passed, "\(result.failureMessage)")
        }
    }

    static func schema() throws -> [String: Any] {
        let data = try Data(contentsOf: root.appendingPathComponent("schema/transcript.schema.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private static func properties(_ object: Any?) -> [String: Any] {
        ((object as? [String: Any])?["properties"] as? [String: Any]) ?? [:]
    }

    @Test func schemaKnowsTheSameKeysAndWordsAsTheDecoder() throws {
        // Given
        let schema = try Self.schema()
        let defs = try #require(schema["$defs"] as? [String: Any])
        // When / Then
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(Set(Self.properties(schema).keys) == GoldenTranscript.topKeys)
        #expect(Set(Self.properties(defs["run"]).keys) == GoldenTranscript.runKeys)
        #expect(Set(Self.properties(defs["expect"]).keys) == GoldenTranscript.expectKeys)
        #expect(Set(Self.properties(defs["scores"]).keys) == GoldenTranscript.scoreKeys)
        let expect = Self.properties(defs["expect"])
        let endings = (expect["ending"] as? [String: Any])?["enum"] as? [String]
        #expect(Set(endings ?? []) == Set(GoldenEnding.names))
        let moods = (expect["final_mood"] as? [String: Any])?["enum"] as? [String]
        #expect(Set(moods ?? []) == Set(Mood.allCases.map(\.name)))
    }

    /// The shipped transcripts against the schema's structure: every key is one the schema
    /// lists at that level, and every ending and mood one of its words. (No JSON Schema validator
    /// is installed by `make setup`; the decoder reads them cleanly in the test above.)
    @Test("every shipped transcript uses only what the schema describes", arguments: GoldenTranscriptTests.transcriptFiles)
    func shippedTranscriptsFitTheSchema(_ file: String) throws {
        // Given
        let schema = try Self.schema()
        let defs = try #require(schema["$defs"] as? [String: Any])
        let text = try String(contentsOf: Self.root.appendingPathComponent("Scenarios/\(file)"), encoding: .utf8)
        let node = try #require(try Yams.compose(yaml: text))
        func keys(_ n: Yams.Node?) -> Set<String> { Set(n?.mapping?.keys.compactMap(\.string) ?? []) }
        // When / Then
        #expect(keys(node).isSubset(of: Set(Self.properties(schema).keys)))
        #expect(keys(node).isSuperset(of: Set((schema["required"] as? [String]) ?? [])))
        let runRequired = Set(((defs["run"] as? [String: Any])?["required"] as? [String]) ?? [])
        let expectProps = Self.properties(defs["expect"])
        for run in node["runs"]?.sequence ?? [] {
            #expect(keys(run).isSubset(of: Set(Self.properties(defs["run"]).keys)))
            #expect(keys(run).isSuperset(of: runRequired))
            #expect(keys(run["expect"]).isSubset(of: Set(expectProps.keys)))
            let scoreKeys = keys(run["expect"]?["scores"])
            #expect(scoreKeys.isSubset(of: Set(Self.properties(defs["scores"]).keys)))
            if let ending = run["expect"]?["ending"]?.string {
                #expect(((expectProps["ending"] as? [String: Any])?["enum"] as? [String])?.contains(ending) == true)
            }
            if let mood = run["expect"]?["final_mood"]?.string {
                #expect(((expectProps["final_mood"] as? [String: Any])?["enum"] as? [String])?.contains(mood) == true)
            }
        }
    }
}
