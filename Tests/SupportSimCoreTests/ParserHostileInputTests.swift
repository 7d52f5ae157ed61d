import Foundation
import Testing
@testable import SupportSimCore

/// Hostile scenario files (huge phrases, bad encodings, thousands of duplicates, control
/// characters, alias bombs): each gets located diagnostics, never a crash or unbounded work.
/// No timings are asserted; a regression shows as a crash or a test that never ends.
@Suite("Scenario parser: hostile files")
struct ParserHostileInputTests {
    static func scenario(intents: String, extraTop: String = "") -> String {
        """
        id: hostile
        title: Hostile
        language: en
        persona: {name: Test}
        \(extraTop)start: opening
        nodes:
          opening:
            customer: My printer does not print.
            expect:
        \(intents)
          done:
            customer: Thanks.
            end: resolved
        """
    }

    static func fixtureData(_ name: String) throws -> Data {
        guard let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: folder.appendingPathComponent(name))
    }

    // MARK: Long phrases

    @Test func aMatchPhraseOf30000WordsIsAnErrorAtThePhrase() {
        // Given a rule whose only phrase has 30,000 words (the 80 KB file that crashed `list`)
        let phrase = Array(repeating: "printer", count: 30_000).joined(separator: " ")
        let text = Self.scenario(intents: "      - intent: ask\n        match: [\(phrase)]\n        next: done")

        // When it is parsed
        let result = ScenarioParser.parse(text)

        // Then there is one SS017 error at the phrase, naming its length and the limit
        let tooLong = result.diagnostics.filter { $0.code == ScenarioDiagnosticCode.limitExceeded }
        #expect(tooLong.count == 1)
        #expect(tooLong.first?.severity == .error)
        #expect(tooLong.first?.location == SourceLocation(line: 11, column: 17))
        #expect(tooLong.first?.message.contains("30000 words (at most \(Vocabulary.phraseWordLimit))") == true)
        #expect(result.scenario == nil)
    }

    @Test func theLongPhraseFixtureGetsSS017AtItsLine() throws {
        // Given the committed fixture with a 100-word phrase
        let text = try ParserFixtures.fixture("hostile/long-phrase.yaml")

        // When it is parsed
        let result = ScenarioParser.parse(text)

        // Then the phrase's line and column carry the SS017 error
        let d = try #require(result.diagnostics.first { $0.code == ScenarioDiagnosticCode.limitExceeded })
        #expect(d.location == SourceLocation(line: 11, column: 17))
        #expect(d.message.contains("100 words"))
    }

    @Test func aPhraseAtTheLimitStillParsesCleanly() {
        // Given a phrase of exactly the allowed number of words
        let phrase = Array(repeating: "printer", count: Vocabulary.phraseWordLimit).joined(separator: " ")
        let text = Self.scenario(intents: "      - intent: ask\n        match: [\(phrase)]\n        next: done")

        // When it is parsed
        let result = ScenarioParser.parse(text)

        // Then there is no size error
        #expect(!result.diagnostics.contains { $0.code == ScenarioDiagnosticCode.limitExceeded })
        #expect(result.scenario != nil)
    }

    @Test func synonymVariantsOfAHugePhraseAreBoundedAndTheMatcherStillWorks() {
        // Given a vocabulary where every word of a 30,000-word phrase has synonyms
        let vocabulary = Vocabulary(groups: [["restart", "reboot", "power cycle"]])
        let phrase = Array(repeating: "restart", count: 30_000).joined(separator: " ")
        let words = TextNormalizer.normalize(phrase).tokens.map(PhraseWord.init)

        // When its variants are built and it is matched against itself
        let variants = vocabulary.variants(of: words)
        let found = Matcher.contains(phrase: phrase, in: TextNormalizer.normalize(phrase), vocabulary: vocabulary)

        // Then no variants are built for it (it is over the limit) and it still matches its own text
        #expect(variants.isEmpty)
        #expect(found)
    }

    @Test func synonymVariantsOfALongPhraseWithinTheLimitAreCapped() {
        // Given a 64-word phrase where every word has two synonyms (3^64 rewritings)
        let vocabulary = Vocabulary(groups: [["restart", "reboot", "power cycle"]])
        let phrase = Array(repeating: "restart", count: Vocabulary.phraseWordLimit).joined(separator: " ")
        let words = TextNormalizer.normalize(phrase).tokens.map(PhraseWord.init)

        // When its variants are built
        let variants = vocabulary.variants(of: words)

        // Then 63 come back (64 including the phrase itself), each a full rewriting of the phrase
        #expect(variants.count == 63)
        #expect(variants.allSatisfy { $0.count >= Vocabulary.phraseWordLimit && $0.count <= 2 * Vocabulary.phraseWordLimit })
        #expect(variants.contains { $0.contains { TextNormalizer.string($0.word) == "reboot" } })
    }

    // MARK: Invalid UTF-8

    @Test func invalidUTF8IsLocatedByByteOffsetLineAndColumn() throws {
        // Given the fixture saved in CP1251: one byte 0xE9 in the customer line (line 8)
        let data = try Self.fixtureData("hostile/invalid-utf8.yaml")
        let expectedOffset = try #require(data.firstIndex(of: 0xE9)) - data.startIndex

        // When its bytes are read
        let (source, result) = ScenarioParser.parse(bytes: data)

        // Then one SS018 error names the byte offset and stands at line 8, after "print "
        let d = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1)
        #expect(d.code == ScenarioDiagnosticCode.invalidEncoding)
        #expect(d.severity == .error)
        #expect(d.message.contains("at byte \(expectedOffset)"))
        #expect(d.location == SourceLocation(line: 8, column: 41))
        #expect(source.invalidByteOffset == expectedOffset)
        #expect(result.scenario == nil)
        // and the text keeps its lines, so the line can be shown
        #expect(d.rendered(file: "f.yaml", source: source.text).contains("My printer does not print \u{FFFD} at all."))
    }

    @Test func validUTF8DecodesUnchanged() {
        // Given valid UTF-8 with Cyrillic and emoji
        let text = "id: x\ntitle: Принтер 🖨\n"

        // When it is decoded
        let source = ScenarioSource.decode(Array(text.utf8))

        // Then the text is the same and there is no diagnostic
        #expect(source.text == text)
        #expect(source.isValid)
        #expect(source.invalidByteOffset == nil)
    }

    @Test func utf16FilesAreRecognisedInTheHint() {
        // Given a UTF-16 file with its byte-order mark
        let bytes: [UInt8] = [0xFF, 0xFE] + Array("id: x".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })

        // When it is decoded
        let source = ScenarioSource.decode(bytes)

        // Then the error is at byte 0, line 1 and the hint names UTF-16
        #expect(source.invalidByteOffset == 0)
        #expect(source.diagnostic?.location == SourceLocation(line: 1, column: 1))
        #expect(source.diagnostic?.hint?.contains("UTF-16") == true)
    }

    // MARK: Many duplicates

    @Test func theManyDuplicatesFixtureReportsEachDuplicateAtItsPlace() throws {
        // Given 100 intents with the same id
        let text = try ParserFixtures.fixture("hostile/many-duplicates.yaml")

        // When it is parsed
        let result = ScenarioParser.parse(text)

        // Then each of the 99 repeats is an SS009 error on its own line
        let duplicates = result.diagnostics.filter { $0.code == ScenarioDiagnosticCode.duplicateID }
        #expect(duplicates.count == 99)
        #expect(Set(duplicates.map(\.location.line)).count == 99)
    }

    @Test func twoThousandDuplicateIntentsRenderLikeOneByOne() {
        // Given 2,000 intents with one id (the file that took 11 s to print)
        let intent = "      - intent: ask\n        match: [which printer]\n        next: done"
        let text = Self.scenario(intents: Array(repeating: intent, count: 2_000).joined(separator: "\n"))
        let result = ScenarioParser.parse(text)

        // When every diagnostic is rendered with the lines indexed once
        let lines = SourceLines(text)
        let rendered = result.diagnostics.map { $0.rendered(file: "f.yaml", lines: lines) }

        // Then there are 1,999 duplicates, each rendered exactly as with the whole source
        #expect(result.diagnostics.filter { $0.code == ScenarioDiagnosticCode.duplicateID }.count == 1_999)
        for (d, r) in zip(result.diagnostics, rendered).prefix(50) {
            #expect(r == d.rendered(file: "f.yaml", source: text))
        }
        #expect(rendered.allSatisfy { $0.contains("      - intent: ask\n") })
    }

    @Test func thousandsOfUndefinedNodesAreEachReported() {
        // Given 3,000 intents whose `next` names 3,000 different undefined nodes
        let intents = (0..<3_000).map { "      - intent: i\($0)\n        match: [which printer \($0)]\n        next: missing_\($0)" }
        let text = Self.scenario(intents: intents.joined(separator: "\n"))

        // When it is parsed
        let result = ScenarioParser.parse(text)

        // Then every reference is an SS005 error with a hint
        let undefined = result.diagnostics.filter { $0.code == ScenarioDiagnosticCode.undefinedNode }
        #expect(undefined.count == 3_000)
        #expect(undefined.allSatisfy { $0.hint != nil })
    }

    @Test func aLongNextChainIsCheckedWithoutRecursion() {
        // Given 20,000 nodes in one chain
        let nodes = (0..<20_000).map { "  n\($0):\n    customer: c\n    fallback: {next: n\($0 + 1)}" }.joined(separator: "\n")
        let text = "id: chain\ntitle: Chain\nlanguage: en\npersona: {name: T}\nstart: n0\nnodes:\n" + nodes
            + "\n  n20000:\n    customer: end\n    end: resolved\n"

        // When it is parsed
        let result = ScenarioParser.parse(text)

        // Then every node is reachable and can finish: only the "no expected replies" warnings remain
        #expect(!result.hasErrors)
        #expect(!result.diagnostics.contains { $0.code == ScenarioDiagnosticCode.unreachableNode || $0.code == ScenarioDiagnosticCode.deadEnd })
    }

    @Test func boundedEditDistanceAgreesWithTheFullOne() {
        // Given pairs of words at various distances, including long ones with a common prefix
        let long = String(repeating: "node_", count: 40)
        let pairs = [("", ""), ("", "ab"), ("a", "b"), ("kitten", "sitting"), ("ask_printer", "ask_printr"),
                     ("restart", "tsetrar"), ("abc", "abcdef"), ("abcdefgh", "hgfedcba"), (long + "a", long + "b"),
                     (long + "abc", long + "xyz1"), ("wieght", "weight"), ("sla", "sla_minutes")]
        for (a, b) in pairs {
            // When both distances are computed
            let full = Suggest.distance(a, b)
            let bounded = Suggest.distance(Array(a), Array(b), atMost: 3)

            // Then the bounded one is exact up to 3, and says "more than 3" above
            #expect(bounded == min(full, 4), "\(a) / \(b)")
        }
    }

    @Test func sampleChecksStopWithANoteWhenTheirBudgetIsSpent() {
        // Given 40 intents with a sample each, and a tiny budget for the SS014 check
        let intents = (0..<40).map { "      - intent: i\($0)\n        match: [printer \($0)]\n        samples: [printer \($0)]\n        next: done" }
        let text = Self.scenario(intents: intents.joined(separator: "\n"))

        // When it is parsed with that budget
        let result = ScenarioParser.parse(text, sampleCheckBudget: 30)

        // Then a note (SS017) says where the check stopped, and there is no error
        let note = result.diagnostics.first { $0.code == ScenarioDiagnosticCode.limitExceeded }
        #expect(note?.severity == .note)
        #expect(!result.hasErrors)
    }

    // MARK: Control characters

    @Test func controlCharactersInTextAreWarnedAboutWhereTheyAre() throws {
        // Given escapes for ESC, BEL, CSI and CR in the title, persona, a customer line and a description
        let text = try ParserFixtures.fixture("hostile/control-characters.yaml")

        // When it is parsed
        let result = ScenarioParser.parse(text)

        // Then each of them is an SS019 warning at its value, and the scenario still loads
        let warnings = result.diagnostics.filter { $0.code == ScenarioDiagnosticCode.controlCharacters }
        #expect(warnings.allSatisfy { $0.severity == .warning })
        #expect(Set(warnings.map(\.location.line)) == [2, 4, 8, 11])
        #expect(warnings.contains { $0.message.contains("U+001B (ESC)") })
        #expect(warnings.contains { $0.message.contains("U+0007 (BEL)") })
        #expect(warnings.contains { $0.message.contains("U+009B (CSI)") })
        #expect(result.scenario != nil)
    }

    @Test func plainTextWithTabsNewlinesAndCRLFLineEndsHasNoControlWarning() {
        // Given a clean scenario saved with CRLF line ends and a literal block with a tab
        let text = ParserFixtures.printerScenario.replacingOccurrences(of: "\n", with: "\r\n")

        // When it is parsed
        let result = ScenarioParser.parse(text)

        // Then there is no SS019 warning
        #expect(!result.diagnostics.contains { $0.code == ScenarioDiagnosticCode.controlCharacters })
    }

    // MARK: Aliases and nesting

    @Test func aliasesThatExpandToAMillionValuesAreRefused() throws {
        // Given six anchors, each a list of ten uses of the one before
        let text = try ParserFixtures.fixture("hostile/alias-bomb.yaml")

        // When it is parsed
        let result = ScenarioParser.parse(text)

        // Then one SS017 error says the file holds too many values
        #expect(result.diagnostics.map(\.code) == [ScenarioDiagnosticCode.limitExceeded])
        #expect(result.scenario == nil)
    }

    static func deeplyNested(_ kind: String) -> String {
        switch kind {
        case "flow lists": "id: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        case "block lists": "a:\n" + (1...3_000).map { String(repeating: " ", count: $0) + "- " }.joined(separator: "\n")
        default: (0..<3_000).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n")
        }
    }

    @Test(arguments: ["flow lists", "block lists", "block mappings"])
    func deepNestingIsASyntaxErrorNotAStackOverflow(_ kind: String) {
        // Given a value nested thousands of levels deep
        let text = Self.deeplyNested(kind)

        // When it is parsed as a scenario and as a transcript
        let result = ScenarioParser.parse(text)
        let transcript = GoldenTranscript.parse(text)

        // Then both stop with a located syntax error (libyaml allows 1,000 levels)
        #expect(result.diagnostics.first?.code == ScenarioDiagnosticCode.yamlSyntax)
        #expect(result.diagnostics.first?.message.contains("nesting") == true)
        #expect(transcript.diagnostics.first?.code == "GT001")
    }

    @Test func aliasBombsInGoldenTranscriptsAreRefused() throws {
        // Given a transcript whose replies expand to a million strings
        let bomb = try ParserFixtures.fixture("hostile/alias-bomb.yaml")
        let anchors = bomb.split(separator: "\n").filter { $0.hasPrefix("a:") || $0.hasPrefix("b:") || $0.hasPrefix("c:")
            || $0.hasPrefix("d:") || $0.hasPrefix("e:") || $0.hasPrefix("f:") }
        let text = "scenario: x\n" + anchors.joined(separator: "\n") + "\nruns:\n  - name: r\n    replies: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"

        // When it is read
        let result = GoldenTranscript.parse(text)

        // Then it is refused with GT006
        #expect(result.transcript == nil)
        #expect(result.diagnostics.map(\.code) == ["GT006"])
    }

    // MARK: Rendering

    @Test func aVeryLongLineIsShownAsAWindowAroundTheColumn() {
        // Given a 10,000-character line with a diagnostic at column 5,000
        let line = String(repeating: "a", count: 4_999) + "X" + String(repeating: "b", count: 5_000)
        let d = Diagnostic(.error, code: "SS001", "bad", at: SourceLocation(line: 2, column: 5_000))

        // When it is rendered
        let out = d.rendered(file: "f.yaml", source: "first\n" + line + "\nlast")

        // Then the shown line is clipped and the caret is under the X
        let parts = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(parts[1].count <= SourceLines.excerptWidth + 6)
        let caret = parts[2].firstIndex(of: "^").map { parts[2].distance(from: parts[2].startIndex, to: $0) }
        let x = parts[1].firstIndex(of: "X").map { parts[1].distance(from: parts[1].startIndex, to: $0) }
        #expect(caret != nil && caret == x)
    }

    @Test func renderingWithIndexedLinesMatchesRenderingWithTheSource() {
        // Given a source with CRLF, an empty line and no final newline
        let source = "a: 1\r\n\nb: [x\nc"

        // When each line is rendered both ways
        let lines = SourceLines(source)
        for line in 1...5 {
            let d = Diagnostic(.warning, code: "SS002", "m", at: SourceLocation(line: line, column: 2), hint: "h")
            // Then they agree (line 5 does not exist: no excerpt)
            #expect(d.rendered(file: "f", lines: lines) == d.rendered(file: "f", source: source))
        }
        #expect(Diagnostic(.error, code: "X", "m", at: SourceLocation(line: 1, column: 1)).rendered(file: "f", source: source)
            .contains("\n    a: 1\n    ^"))
    }
}
