import Testing
@testable import SupportSimCore

@Suite("Text regex safety and speed")
struct TextRegexAndSpeedTests {
    @Test(arguments: ["(a+)+", "(a*)*", "(a|a)*", "(.*)*", "^(\\w+\\s?)*$", "(a|ab)+x", "((ab)*c)+", "(x+x+)+y"])
    func flagsCatastrophicPatterns(pattern: String) {
        // Given / When / Then
        #expect(Matcher.regexRisk(pattern) != nil, "\(pattern)")
    }

    @Test(arguments: ["\\brestart\\b", "(\\d{1,3}\\.){3}\\d{1,3}", "INC-\\d+", "(?i)перезагруз\\w*", "(a|b)+",
                      "[a-z]+@[a-z]+\\.com", "(?>a+)+", "(a+)++", "\\(a+\\)+", "[(a+)]+", "(foo|bar)*"])
    func acceptsOrdinaryPatterns(pattern: String) {
        // Given / When / Then
        #expect(Matcher.regexRisk(pattern) == nil, "\(pattern)")
        #expect(Matcher.regexError(pattern) == nil)
    }

    @Test func regexSeesOnlyTheStartOfLongReplies() {
        // Given
        let rule = MatchRule(regex: ["tail"])
        let long = String(repeating: "x", count: 3_000) + " tail"
        // When / Then
        #expect(Matcher.match(rule, in: "head tail") != nil)
        #expect(Matcher.match(rule, in: long) == nil)
        #expect(Matcher.match(MatchRule(regex: ["(unclosed"]), in: "(unclosed") == nil)
    }

    private var rules: [MatchRule] {
        [
            MatchRule(any: ["перезагруз", "restart"], none: ["не помогло"]),
            MatchRule(all: [["очист", "clear"], ["кэш", "cache"]]),
            MatchRule(any: ["извините", "sorry"], regex: ["(а|б)*в", "а+$"]),
            MatchRule(any: ["INC-0042", "10.0.0.1"]),
            MatchRule(regex: ["^\\w+(\\s\\w+)*$"]),
        ]
    }

    @Test func longMonotonousReplyIsFast() {
        // Given
        let reply = String(repeating: "а", count: 10_000)
        let letters = String((0..<10_000).map { _ in "абвгдежзиклмнопрстуф".randomElement() ?? "а" })
        let clock = ContinuousClock()
        // When
        let elapsed = clock.measure {
            for text in [reply, letters] {
                let normalized = TextNormalizer.normalize(text)
                for rule in rules { _ = Matcher.match(rule, in: normalized, raw: text) }
            }
        }
        // Then: a generous sanity bound (debug build)
        #expect(elapsed < .milliseconds(500), "\(elapsed)")
    }

    @Test func hostileRepliesDoNotCrash() {
        // Given
        let replies = ["", " \n\t ", "😀🔥👍🏽🇷🇺", "\u{FFFD}не\u{FFFD}перезагружайте\u{FFFD}",
                       "Перезагрузите router пожалуйста, and clear кэш", String(repeating: "ab1 ", count: 25_000),
                       String(repeating: "a", count: 100_000)]
        // When / Then
        for reply in replies {
            let normalized = TextNormalizer.normalize(reply)
            for rule in rules { _ = Matcher.match(rule, in: normalized, raw: reply, vocabulary: SupportVocabulary.shared) }
        }
        #expect(Matcher.match(rules[0], in: "\u{FFFD}не\u{FFFD}перезагружайте\u{FFFD}") == nil)
    }

    @Test func throughputSanity() {
        // Given
        let replies = ["Здравствуйте! Перезагрузите, пожалуйста, роутер и очистите кэш браузера.",
                       "Sorry for the trouble, please restart the computer and clear the cache",
                       "Не перезагружайте компьютер, сначала проверьте INC-0042"]
        let compiled = rules.map { CompiledMatchRule($0) }
        let clock = ContinuousClock()
        // When
        let elapsed = clock.measure {
            for i in 0..<3_000 {
                let reply = replies[i % replies.count]
                let text = TextNormalizer.normalize(reply)
                for rule in compiled { _ = rule.match(text, raw: reply) }
            }
        }
        // Then: a sanity bound only; see the benchmark for real numbers
        #expect(elapsed < .seconds(10), "\(elapsed)")
    }
}
