import Testing
@testable import SupportSimCore

@Suite("Text regex safety and big inputs")
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

    /// Long replies: monotonous, varied letters, and a keyword at the far end of 20,000 characters.
    /// (No timing here: speed targets live in `supportsim-bench`.)
    @Test func longRepliesGiveTheRightResults() {
        // Given long replies, built deterministically
        let monotonous = String(repeating: "а", count: 10_000)
        let alphabet = Array("абвгдежзиклмнопрстуф")
        let letters = String((0..<10_000).map { alphabet[($0 * 7) % alphabet.count] })
        let keywordAtTheEnd = String(repeating: "слово ", count: 3_300) + "перезагрузите роутер и очистите кэш"
        func matches(_ text: String) -> [Bool] {
            let normalized = TextNormalizer.normalize(text)
            return rules.map { Matcher.match($0, in: normalized, raw: text) != nil }
        }
        // When matched against every rule
        let results = [monotonous, letters, keywordAtTheEnd].map(matches)
        // Then keyword rules find nothing in the letters, and find the words at the end of the long reply
        for r in results.prefix(2) {
            #expect(r[0] == false && r[1] == false && r[3] == false, "\(r)")
        }
        #expect(results[2][0] == true, "restart at the end of a long reply")
        #expect(results[2][1] == true, "clear + cache at the end of a long reply")
        #expect(results[2][3] == false)
        // and the compiled rules agree with the one-off matcher on every long reply
        let compiled = rules.map { CompiledMatchRule($0) }
        for text in [monotonous, letters, keywordAtTheEnd] {
            let normalized = TextNormalizer.normalize(text)
            #expect(compiled.map { $0.match(normalized, raw: text) != nil } == matches(text))
        }
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

    /// Many replies in a row: every result is the same as for the reply alone (no state carried
    /// over between matches, no cache mix-ups). Speed is measured by `supportsim-bench`, not here.
    @Test func manyRepliesInARowGiveTheSameResults() {
        // Given three replies and their results when matched once
        let replies = ["Здравствуйте! Перезагрузите, пожалуйста, роутер и очистите кэш браузера.",
                       "Sorry for the trouble, please restart the computer and clear the cache",
                       "Не перезагружайте компьютер, сначала проверьте INC-0042"]
        let compiled = rules.map { CompiledMatchRule($0) }
        func results(_ reply: String) -> [Bool] {
            let text = TextNormalizer.normalize(reply)
            return compiled.map { $0.match(text, raw: reply) != nil }
        }
        let once = replies.map(results)
        #expect(once[0][0] && once[0][1], "restart and clear+cache in Russian")
        #expect(once[1][0] && once[1][1], "restart and clear+cache in English")
        #expect(!once[2][0] && once[2][3], "a negated restart, and the incident number")
        // When they are matched 3,000 times, interleaved
        var differing = 0
        for i in 0..<3_000 where results(replies[i % replies.count]) != once[i % replies.count] { differing += 1 }
        // Then every result is the same
        #expect(differing == 0)
    }
}
