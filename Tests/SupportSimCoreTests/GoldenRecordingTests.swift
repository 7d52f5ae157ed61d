import Foundation
import Testing
@testable import SupportSimCore

/// `supportsim record`'s core: a played session becomes a run whose expectations are what it gave.
@Suite("Golden transcripts: recording a run")
struct GoldenRecordingTests {
    static let tiny = GoldenTranscriptTests.tinyScenario

    @Test func givenASession_whenRecordedAndAppended_thenTheFileReadsBackAndTheNewRunPasses() throws {
        // Given a transcript file with one run, and a session that asked, said something odd, and closed
        let existing = """
        # A comment that must stay.
        scenario: tiny
        runs:
          - name: first
            replies: ["/close"]
        """
        let replies = GoldenRecording.replies([.reply("Hello Sam, what happens when you open it?"),
                                               .reply("Привет \"друг\" \\ \u{1B}[31m tab\there"), .close(resolution: "fixed")],
                                              abandoned: false)

        // When
        let (run, result) = GoldenRecording.run(name: "recorded-1", seed: 3, replies: replies, scenario: Self.tiny,
                                                pipeline: ScoringPipeline(scorers: []))
        let text = try GoldenRecording.appending(run, comment: "recorded", to: existing, scenarioID: "tiny").get()

        // Then the expectations are what came out, and the file reads back with both runs and the comment
        #expect(run.expect.path == ["start", "fixed"])
        #expect(run.expect.ending == .ended(.resolved))
        #expect(run.expect.intents == ["ask"])
        #expect(run.expect.critical == [])
        #expect(run.expect.scores[.correctness] == .notApplicable)
        #expect(run.expect.scores[.total] == .range(result.scoreCard.total...result.scoreCard.total))
        #expect(text.hasPrefix("# A comment that must stay.\n"))
        let parsed = GoldenTranscript.parse(text)
        #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics)")
        let transcript = try #require(parsed.transcript)
        #expect(transcript.runs.map(\.name) == ["first", "recorded-1"])
        #expect(transcript.runs[1].replies == replies)
        #expect(transcript.runs[1].expect == run.expect)
        let replayed = GoldenRunner.run(scenario: Self.tiny, transcript: transcript, pipeline: ScoringPipeline(scorers: []))
        #expect(replayed[1].passed, "\(replayed[1].failureMessage)")
    }

    @Test func givenAnAbandonedSession_whenRecorded_thenItEndsWithQuitAndIsExpectedAbandoned() {
        let replies = GoldenRecording.replies([.reply("hi")], abandoned: true)
        let (run, _) = GoldenRecording.run(name: "r", seed: 1, replies: replies, scenario: Self.tiny, pipeline: ScoringPipeline(scorers: []))
        #expect(replies == ["hi", "/quit"])
        #expect(run.expect.ending == .ended(.abandoned))
    }

    @Test func givenAFileWhoseRunsAreNotLast_whenAppending_thenItRefusesAndSaysWhy() {
        // Given runs in flow style, followed by nothing a block item could join
        let existing = "scenario: tiny\nruns: [{name: a, replies: [hi]}]\n"
        let (run, _) = GoldenRecording.run(name: "b", seed: 1, replies: ["hi"], scenario: Self.tiny, pipeline: ScoringPipeline(scorers: []))
        // When
        let result = GoldenRecording.appending(run, to: existing, scenarioID: "tiny")
        // Then
        guard case .failure(let error) = result else { Issue.record("appended to a flow-style list"); return }
        #expect(error.reason.contains("cannot be appended"))
    }

    @Test func givenNoFile_whenAppending_thenANewTranscriptIsWritten() throws {
        let (run, _) = GoldenRecording.run(name: "a", seed: 1, replies: ["/close"], scenario: Self.tiny, pipeline: ScoringPipeline(scorers: []))
        let text = try GoldenRecording.appending(run, to: nil, scenarioID: "tiny").get()
        let parsed = GoldenTranscript.parse(text)
        #expect(parsed.diagnostics.isEmpty)
        #expect(parsed.transcript?.scenario == "tiny")
        #expect(parsed.transcript?.runs.first?.expect.ending == .ended(.closedUnresolved))
    }

    @Test func givenIdsThatYAMLWouldReadOtherwise_whenWritten_thenTheyAreQuotedAndReadBackAsWritten() throws {
        // Given ids that are plain, a YAML boolean, a number-like word and text with a colon
        let names = ["ask_printer", "yes", "1st", "a: b", "Off"]
        // When / Then every name reads back as itself
        #expect(GoldenRecording.id("ask_printer") == "ask_printer")
        for name in names {
            let text = "scenario: tiny\nruns:\n  - name: \(GoldenRecording.id(name))\n    replies: [hi]\n"
            #expect(GoldenTranscript.parse(text).transcript?.runs.first?.name == name, "\(name)")
        }
    }
}
