import Foundation
import Testing
@testable import SupportSimCore

/// Match patterns longer than `Matcher.regexPatternLimit` are refused before the regex engine sees
/// them (the fuzzer found that Foundation on Linux leaks every pattern of over 256 units it compiles).
@Suite("Text regex length limit")
struct RegexLengthTests {
    static func scenario(regex: String) -> String {
        """
        id: long-regex
        title: Long regex
        language: en
        persona: {name: Test}
        start: a
        nodes:
          a:
            customer: [Hello.]
            expect:
              - intent: restart
                match: {any: [restart the printer], regex: ['\(regex)']}
                samples: [please restart the printer]
                next: b
            fallback: {customer: What?, next: a}
          b: {customer: Thanks, end: resolved}
        escalation: {policy: optional, to: [L2], next: b}
        """
    }

    @Test("Given a pattern one character over the limit, when it is checked, then it is refused without being compiled")
    func longPatternRefused() {
        // Given
        let atLimit = String(repeating: "a", count: Matcher.regexPatternLimit)
        let over = atLimit + "b"
        // When / Then
        #expect(Matcher.regexError(atLimit) == nil)
        #expect(Matcher.regexError(over)?.contains("at most \(Matcher.regexPatternLimit)") == true)
        #expect(RegexCache.shared.regex(over) == nil)
        #expect(!RegexCache.shared.matches(over, over))
    }

    @Test("Given a scenario with a too-long pattern, when it is parsed, then SS008 is reported where the pattern is")
    func longPatternInScenarioIsALocatedError() throws {
        // Given
        let text = Self.scenario(regex: String(repeating: "x", count: 1_200))
        // When
        let result = ScenarioParser.parse(text)
        // Then
        let diagnostic = try #require(result.diagnostics.first { $0.code == ScenarioDiagnosticCode.invalidRegex })
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.message.contains("1200 characters long"))
        #expect(diagnostic.location.line == 11)
        #expect(result.scenario == nil)
    }
}
