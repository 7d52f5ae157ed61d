import Foundation
import SupportSimCore
import Testing
@testable import SupportSimReport

@Suite("Report: golden transcript results")
struct GoldenTestReportTests {
    @Test func givenTextWithMarkupQuotesCyrillicAndControls_whenEscapedForXML_thenTheDocumentStaysWellFormed() {
        // Given
        let text = "Ольга <b>\"A&B\"</b> 'x'\u{1B}[31m\u{0}\u{85}\ttab\nline"
        // When
        let attribute = XMLEscape.attribute(text)
        let content = XMLEscape.text(text)
        // Then
        #expect(attribute == "Ольга &lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt; &apos;x&apos;\\u001B[31m\\u0000&#x85;&#9;tab&#10;line")
        #expect(content == "Ольга &lt;b&gt;\"A&amp;B\"&lt;/b&gt; 'x'\\u001B[31m\\u0000&#x85;\ttab\nline")
        #expect(XMLEscape.text("\u{FFFE}") == "\\uFFFE")
    }

    static let tiny = Scenario(
        id: "tiny", title: "Tiny", language: .en, persona: Persona(name: "Sam Lee", patience: 2), start: "start",
        nodes: [
            Node(id: "start", customer: ["My mail is broken."],
                 expect: [Intent(id: "ask", match: MatchRule(any: ["what happens"]), next: "fixed")]),
            Node(id: "fixed", customer: ["It works now."], closable: true),
        ])

    static func report() throws -> GoldenTestReport {
        let transcript = try #require(GoldenTranscript.parse("""
        scenario: tiny
        runs:
          - {name: ok, replies: ["what happens?", "/close fixed"], expect: {ending: resolved}}
          - {name: "bad \\e[2J", replies: ["what happens?"], expect: {path: [start, start]}}
        """).transcript)
        nonisolated(unsafe) var now = 10.0
        let results = GoldenRunner.run(scenario: tiny, transcript: transcript, pipeline: ScoringPipeline(scorers: []),
                                       clock: { now += 0.5; return now })
        let broken = GoldenFileOutcome(file: "broken.transcript.yaml", scenarioID: nil, diagnostics: [
            Diagnostic(.error, code: "GT001", "YAML syntax error: <oops>", at: SourceLocation(line: 2, column: 3)),
        ])
        return GoldenTestReport(files: [GoldenFileOutcome(file: "tiny.transcript.yaml", scenarioID: "tiny", results: results), broken])
    }

    @Test func givenOnePassOneFailAndOneBrokenFile_whenRenderedAsJUnit_thenCountsAndTimesComeFromTheRunsAndTheClock() throws {
        // Given
        let report = try Self.report()
        // When
        let xml = report.junit(timestamp: Date(timeIntervalSince1970: 1_796_000_000))
        // Then
        #expect(report.exitCode == 2)
        #expect(xml.contains("<testsuites name=\"supportsim test\" tests=\"3\" failures=\"1\" errors=\"1\" skipped=\"0\" time=\"1.000\" timestamp=\"2026-11-30T"))
        #expect(xml.contains("<testsuite name=\"tiny\" id=\"0\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\" time=\"1.000\""))
        #expect(xml.contains("<testcase name=\"ok\" classname=\"tiny\" time=\"0.500\""))
        #expect(xml.contains("<testcase name=\"bad \\u001B[2J\" classname=\"tiny\""))
        #expect(xml.contains("<error message=\"GT001 YAML syntax error: &lt;oops&gt;\" type=\"invalid-transcript\">"))
        #expect(!xml.contains("\u{1B}"))
    }

    @Test func givenAFailedRun_whenRenderedAsText_thenControlCharactersAreRemovedAndTheDivergenceShown() throws {
        let text = try Self.report().text()
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("✗ bad"))
        #expect(text.contains("Diverged at turn 1"))
        #expect(text.contains("2 transcript file(s), 2 run(s): 1 passed, 1 failed, 1 file(s) not played."))
    }
}
