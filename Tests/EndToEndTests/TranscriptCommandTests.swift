import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `supportsim test` and `supportsim lint` on golden transcripts, driven through the built binary.
@Suite("supportsim test and lint on golden transcripts")
struct TranscriptCommandTests {
    static let scenario = "printer-before-board-meeting"
    /// Rules only: the results do not depend on whether the model is installed.
    static let rulesOnly = ["SUPPORTSIM_EMBEDDINGS": "off"]

    /// A temporary folder holding a copy of the printer scenario and its transcript, the
    /// transcript changed by `edit`.
    static func copy(edit: (String) -> String = { $0 }) throws -> URL {
        let dir = try CLI.temporaryDirectory()
        let source = CLI.packageRoot.appendingPathComponent("Scenarios")
        try FileManager.default.copyItem(at: source.appendingPathComponent("\(scenario).yaml"),
                                         to: dir.appendingPathComponent("\(scenario).yaml"))
        let transcript = try String(contentsOf: source.appendingPathComponent("\(scenario).transcript.yaml"), encoding: .utf8)
        try edit(transcript).write(to: dir.appendingPathComponent("\(scenario).transcript.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    /// The printer transcript with the run `good` expecting the conversation to skip `queue_checked`,
    /// and a politeness band it cannot reach.
    static func diverging(_ text: String) -> String {
        let path = "path: [opening, printer_identified, queue_checked, still_broken, printing_elsewhere, pages_coming, wrap_up]\n      ending: resolved\n      critical: []\n      scores: {correctness: [90, 100], politeness: [85, 100]"
        let broken = "path: [opening, printer_identified, still_broken, printing_elsewhere, pages_coming, wrap_up]\n      ending: resolved\n      critical: []\n      scores: {correctness: [90, 100], politeness: [0, 5]"
        precondition(text.contains(path), "the printer transcript changed; update this test")
        return text.replacingOccurrences(of: path, with: broken)
    }

    @Test func givenTheShippedScenario_whenTested_thenEveryRunPassesAndTheExitCodeIs0() throws {
        // Given the shipped printer scenario (its transcript is found beside it)
        // When
        let result = try CLI.run(["test", "Scenarios/\(Self.scenario).yaml"], environment: Self.rulesOnly)
        // Then
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("✓ efficient-agent — resolved"))
        #expect(result.stdout.contains("1 transcript file(s), 5 run(s): 5 passed, 0 failed."))
    }

    @Test func givenADivergingRun_whenTested_thenTheOutputNamesTurnReplyNodesRuleAndBandAndTheExitCodeIs1() throws {
        // Given
        let dir = try Self.copy(edit: Self.diverging)
        defer { try? FileManager.default.removeItem(at: dir) }
        // When
        let result = try CLI.run(["test", dir.path], environment: Self.rulesOnly)
        // Then
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("✗ good — resolved"))
        #expect(out.contains("Diverged at turn 2 (line 24): \"Thank you. Could you open the print queue on your laptop and tell me what's in it?\""))
        #expect(out.contains("after node printer_identified: expected node still_broken, actual node queue_checked"))
        #expect(out.contains("matched: intent check_queue"))
        #expect(out.contains("- score.politeness: expected 0–5, got"))
        #expect(out.contains("4 passed, 1 failed."))
    }

    @Test func givenAJUnitFile_whenTested_thenTheXMLValidatesAgainstTheJUnitSchemaWithEscapedText() throws {
        // Given a failing run whose name holds Cyrillic, quotes, markup and a control character
        let dir = try Self.copy { text in
            Self.diverging(text).replacingOccurrences(of: "- name: good\n", with: "- name: \"хороший <\\\"run\\\"> & 'ok' \\e[31m\"\n")
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        let xml = dir.appendingPathComponent("results.xml")

        // When
        let result = try CLI.run(["test", dir.path, "--junit", xml.path], environment: Self.rulesOnly)

        // Then the XML is valid JUnit by the committed schema, with the counts and the escaped name
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(!result.stdout.contains("\u{1B}"), "the terminal output must be sanitised")
        let check = try Self.xmllint(xml)
        #expect(check.status == 0, "xmllint: \(check.stderr)")
        let text = try String(contentsOf: xml, encoding: .utf8)
        #expect(text.contains("<testsuite name=\"\(Self.scenario)\" id=\"0\" tests=\"5\" failures=\"1\" errors=\"0\""))
        #expect(text.contains("name=\"хороший &lt;&quot;run&quot;&gt; &amp; &apos;ok&apos; \\u001B[31m\""))
        #expect(text.contains("<failure message=\"path: expected"))
        #expect(!text.contains("\u{1B}"))
        // And the parsed document agrees (a reader that accepts it sees the same numbers)
        let doc = try XMLDocument(contentsOf: xml)
        let failures = try doc.nodes(forXPath: "//testcase/failure")
        #expect(failures.count == 1)
        #expect(try doc.nodes(forXPath: "//testcase").count == 5)
    }

    @Test func givenTheJUnitSchema_whenAReportLacksRequiredParts_thenXmllintRejectsIt() throws {
        // Given a testcase without a name and a count that is not a number (the schema must not accept everything)
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.xml")
        try """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites><testsuite name="x" tests="many" failures="0" errors="0"><testcase classname="c"/></testsuite></testsuites>
        """.write(to: bad, atomically: true, encoding: .utf8)
        // When / Then
        #expect(try Self.xmllint(bad).status != 0)
    }

    static func xmllint(_ file: URL) throws -> CLI.Result {
        let schema = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/junit.xsd")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xmllint", "--noout", "--schema", schema.path, file.path]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Result(status: process.terminationStatus, stdout: "", stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func givenJSONFormat_whenADivergingRunIsTested_thenTheOutputParsesWithTheDivergence() throws {
        // Given
        let dir = try Self.copy(edit: Self.diverging)
        defer { try? FileManager.default.removeItem(at: dir) }
        // When
        let result = try CLI.run(["test", dir.path, "--format", "json"], environment: Self.rulesOnly)
        // Then
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["runs"] as? Int == 5)
        #expect(summary["failed"] as? Int == 1)
        let files = try #require(object["files"] as? [[String: Any]])
        let runs = try #require(files.first?["runs"] as? [[String: Any]])
        let good = try #require(runs.first { $0["name"] as? String == "good" })
        #expect(good["passed"] as? Bool == false)
        let divergence = try #require(good["divergence"] as? [String: Any])
        #expect(divergence["turn"] as? Int == 2)
        #expect(divergence["expected_node"] as? String == "still_broken")
        #expect(divergence["actual_node"] as? String == "queue_checked")
        let scores = try #require(good["scores"] as? [String: Any])
        #expect(scores["escalation"] is NSNull)
        let fields = (good["mismatches"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
        #expect(fields == ["path", "score.politeness"])
    }

    @Test func givenPathsThatGiveNoTranscript_whenTested_thenTheExitCodeIs2WithTheReason() throws {
        // Given a missing path and a scenario file without a transcript beside it
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: CLI.packageRoot.appendingPathComponent("Scenarios/\(Self.scenario).yaml"),
                                         to: dir.appendingPathComponent("\(Self.scenario).yaml"))
        // When
        let missing = try CLI.run(["test", dir.appendingPathComponent("nope").path], environment: Self.rulesOnly)
        let alone = try CLI.run(["test", dir.appendingPathComponent("\(Self.scenario).yaml").path], environment: Self.rulesOnly)
        // Then
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no such file or folder"))
        #expect(alone.status == 2)
        #expect(alone.stderr.contains("no transcript beside this scenario"))
    }

    @Test func givenAFolderWithABadTranscript_whenLinted_thenGTCodesAreReportedWithFileLineAndColumn() throws {
        // Given a transcript with an unknown key, an unknown node in the path, an unknown intent and a band out of range
        let dir = try Self.copy()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = """
        scenario: \(Self.scenario)
        runs:
          - name: bad
            replies: ["Hello Olga, which printer is it?"]
            expcet: {passed: true}
            expect:
              path: [opening, printer_identifed]
              intents: [ask_printr]
        """
        try bad.write(to: dir.appendingPathComponent("\(Self.scenario).transcript.yaml"), atomically: true, encoding: .utf8)
        let outOfRange = "scenario: \(Self.scenario)\nruns:\n  - {name: a, replies: [hi], expect: {scores: {total: [90, 120]}}}\n"
        try outOfRange.write(to: dir.appendingPathComponent("band.transcript.yaml"), atomically: true, encoding: .utf8)

        // When
        let result = try CLI.run(["lint", dir.path])

        // Then
        #expect(result.status == 1)
        let file = dir.appendingPathComponent("\(Self.scenario).transcript.yaml").path
        #expect(result.stderr.contains("\(file):5:5: error: unknown key 'expcet' in a run [GT003]"))
        #expect(result.stderr.contains("\(file):7:23: error: run 'bad': scenario \(Self.scenario) has no node 'printer_identifed' [GT009]"))
        #expect(result.stderr.contains("did you mean 'printer_identified'?"))
        #expect(result.stderr.contains("\(file):8:17: error: run 'bad': no node of scenario \(Self.scenario) has an intent 'ask_printr' [GT010]"))
        let band = dir.appendingPathComponent("band.transcript.yaml").path
        #expect(result.stderr.contains("\(band):3:55: error: score band [90, 120] for total is not within 0–100 low to high [GT007]"))
        #expect(result.stderr.contains("3 file(s) checked"))
    }

    @Test func givenATranscriptFile_whenLintedAlone_thenItIsCheckedAsATranscriptNotAsAScenario() throws {
        // Given the shipped transcript (it used to give eight wrong SS errors)
        // When
        let result = try CLI.run(["lint", "Scenarios/\(Self.scenario).transcript.yaml", "--format", "json"])
        // Then
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [Any])
        #expect(entries.isEmpty)
    }

    @Test func givenATrainerPlaysTheScenario_whenRecorded_thenTheRunIsAppendedAndPassesSupportsimTest() throws {
        // Given a copy of the printer scenario and its transcript, and the replies of a short, good session
        let dir = try Self.copy()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = [
            "Hello Olga, I'm sorry about this, I know the board is waiting. Which printer are you using, and what does its screen say?",
            "Thank you. Please open the print queue, cancel all three jobs, then switch the printer off and on.",
            "/close Not solved yet",
        ].joined(separator: "\n") + "\n"
        var env = Self.rulesOnly
        env["XDG_DATA_HOME"] = dir.path

        // When
        let recorded = try CLI.run(["record", dir.appendingPathComponent("\(Self.scenario).yaml").path, "--name", "trainer-run",
                                    "--lang", "en"], input: input, environment: env)

        // Then the run is in the file with the session's replies, and `test` plays it as it came out
        #expect(recorded.status == 0, "\(recorded.stdout)\n\(recorded.stderr)")
        #expect(recorded.stdout.contains("Recorded run 'trainer-run' (3 replies)"))
        let text = try String(contentsOf: dir.appendingPathComponent("\(Self.scenario).transcript.yaml"), encoding: .utf8)
        #expect(text.contains("  - name: trainer-run\n"))
        #expect(text.contains("      - \"/close Not solved yet\""))
        #expect(text.contains("      ending: closed-unresolved"))
        let tested = try CLI.run(["test", dir.path], environment: Self.rulesOnly)
        #expect(tested.status == 0, "\(tested.stdout)\n\(tested.stderr)")
        #expect(tested.stdout.contains("✓ trainer-run — closed-unresolved"))
        #expect(tested.stdout.contains("6 run(s): 6 passed, 0 failed."))
    }
}
