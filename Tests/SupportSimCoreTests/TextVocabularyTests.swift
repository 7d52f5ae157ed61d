import Testing
@testable import SupportSimCore

@Suite("Text vocabulary")
struct TextVocabularyTests {
    private let vocabulary = Vocabulary(groups: [
        ["компьютер", "комп", "пк", "ноутбук"],
        ["restart", "reboot", "power-cycle", "turn it off and on"],
    ])

    @Test func synonymOfAWordMatches() {
        // Given
        let rule = MatchRule(any: ["перезагрузите компьютер"])
        // When / Then
        #expect(Matcher.match(rule, in: "перезагрузите ноутбук", vocabulary: vocabulary) != nil)
        #expect(Matcher.match(rule, in: "перезагрузите пк", vocabulary: vocabulary) != nil)
        #expect(Matcher.match(rule, in: "перезагрузите ноутбук") == nil)
    }

    @Test func multiWordSynonymsMatch() {
        // Given
        let rule = MatchRule(any: ["restart"])
        // When / Then
        #expect(Matcher.match(rule, in: "try to turn it off and on again", vocabulary: vocabulary) != nil)
        #expect(Matcher.match(rule, in: "please power-cycle the router", vocabulary: vocabulary) != nil)
        #expect(Matcher.match(rule, in: "rebooting should help", vocabulary: vocabulary) != nil)
        #expect(Matcher.match(rule, in: "don't reboot", vocabulary: vocabulary) == nil)
        #expect(Matcher.match(MatchRule(any: ["turn it off and on"]), in: "restart it", vocabulary: vocabulary) != nil)
    }

    @Test func parsesYamlByLanguage() throws {
        // Given
        let yaml = """
        ru:
          - [компьютер, комп, пк]
        en:
          - [restart, reboot]
          - "router, modem"
        """
        // When
        let parsed = try Vocabulary.parse(yamlText: yaml)
        // Then
        #expect(parsed.groups.count == 3)
        #expect(parsed.groups.contains(Vocabulary.Group(language: "en", entries: ["router", "modem"])))
        #expect(Matcher.match(MatchRule(any: ["modem"]), in: "check the router", vocabulary: parsed) != nil)
        #expect(parsed == (try Vocabulary.parse(yamlText: yaml)))
    }

    @Test func parsesPlainListAndRejectsGarbage() throws {
        // Given / When
        let parsed = try Vocabulary.parse(yamlText: "- [a1, b1]\n- [wifi, wi-fi]\n")
        // Then
        #expect(parsed.groups.count == 2)
        #expect(throws: Vocabulary.ParseError.self) { try Vocabulary.parse(yamlText: "ru: 5") }
        #expect(try Vocabulary.parse(yamlText: "").isEmpty)
    }

    @Test func builtInVocabularyLoads() {
        // Given
        let shared = SupportVocabulary.shared
        // When / Then
        #expect(!shared.isEmpty)
        #expect(Matcher.match(MatchRule(any: ["перезагрузите компьютер"]), in: "перезапустите ноутбук",
                              vocabulary: shared) != nil)
        #expect(Matcher.match(MatchRule(any: ["restart"]), in: "reboot your laptop", vocabulary: shared) != nil)
    }

    @Test func mergingKeepsBothGroups() {
        // Given / When
        let merged = vocabulary.merging(Vocabulary(groups: [["router", "modem"]]))
        // Then
        #expect(merged.groups.count == 3)
        #expect(vocabulary.merging(.empty) == vocabulary)
    }
}
