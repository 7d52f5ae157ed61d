import Testing
@testable import SupportSimCore

@Suite("Text matching")
struct TextMatcherTests {
    private func matches(_ phrase: String, _ reply: String, vocabulary: Vocabulary = .empty) -> Bool {
        Matcher.match(MatchRule(any: [phrase]), in: reply, vocabulary: vocabulary) != nil
    }

    @Test(arguments: ["перезагрузите", "перезагруз"])
    func russianFormsMatchOnePhrase(phrase: String) {
        // Given
        let replies = ["Перезагрузите компьютер", "Вы перезагрузили роутер?"]
        // When / Then
        for reply in replies { #expect(matches(phrase, reply), "\(phrase) in \(reply)") }
    }

    @Test func aVerbPhraseDoesNotReachTheNounButAStemDoes() {
        // Given a rule that names the verb form, and one written as a stem
        // When the reply uses the noun / Then only the stem matches it
        #expect(!matches("перезагрузите", "Сделайте перезагрузку"))
        #expect(matches("перезагруз", "Сделайте перезагрузку"))
    }

    @Test func englishFormsMatchOnePhrase() {
        // Given
        let replies = ["Please restart it", "Have you restarted?", "Restarting usually helps"]
        // When / Then
        for reply in replies { #expect(matches("restart", reply), "\(reply)") }
        #expect(matches("restarted", "try restarting"))
    }

    @Test func stemPrefixStyleStillWorks() {
        // Given / When / Then
        #expect(matches("корзин", "проверьте корзину"))
        #expect(matches("очист кэш", "очистите кэш браузера"))
        #expect(!matches("ок", "окно"))
    }

    @Test func typoTolerance() {
        // Given / When / Then
        #expect(matches("перезагрузите", "перезагрущите пожалуйста"))
        #expect(matches("перезагруз", "перезагрущите пожалуйста"))
        #expect(matches("restart", "please restrat"))
        #expect(!matches("restart", "please rest"))
        // short reply words get no typo tolerance
        #expect(matches("окно", "окна"))
        #expect(!matches("кот", "кит"))
    }

    @Test func elongatedRepliesStillMatch() {
        // Given / When / Then
        #expect(matches("please", "pleeeease restart"))
        #expect(matches("cool", "cooool"))
        #expect(matches("спасибо", "спасибоооо"))
    }

    @Test func numbersMatchExactly() {
        // Given / When / Then
        #expect(!matches("10.0.0.1", "ping 10.0.0.12"))
        #expect(matches("10.0.0.12", "ping 10.0.0.12 please"))
        #expect(matches("INC-0042", "your ticket inc-0042 is open"))
        #expect(!matches("INC-0042", "your ticket INC-00421 is open"))
        #expect(!matches("INC-0042", "your ticket INC-0043 is open"))
        #expect(matches("#4512", "ticket 4512"))
        #expect(matches("0x80070005", "error 0x80070005 again"))
        #expect(!matches("0x80070005", "error 0x80070006 again"))
        #expect(!matches("E1234", "code E12345"))
    }

    @Test func negationCancelsPhrase() {
        // Given / When / Then
        #expect(!matches("перезагруз", "Не перезагружайте компьютер"))
        #expect(!matches("restart", "Don't restart it"))
        #expect(!matches("restart", "do not restart it yet"))
        #expect(!matches("restart", "no need to restart"))
        #expect(!matches("перезагруз", "ни в коем случае не перезагружайте"))
        #expect(!matches("перезагруз", "не нужно ничего перезагружать"))
        #expect(!matches("restart", "you should never restart it"))
        #expect(!matches("restart", "you don't need to restart"))
        #expect(!matches("перезагруз", "не стоит его сейчас перезагружать"))
    }

    @Test func negationIsLocal() {
        // Given / When / Then
        #expect(matches("перезагруз", "Не волнуйтесь, перезагрузите компьютер"))
        #expect(matches("restart", "Don't panic. Restart it"))
        #expect(matches("перезагруз", "не забудьте перезагрузить"))
        #expect(matches("restart", "don't restart now; restart after saving"))
        #expect(matches("restart", "it is not hard: to restart press the button"))
        #expect(matches("restart", "don't hesitate to restart"))
        // A negation covers its whole clause, the object too (the issue: "negation reaches one word")
        #expect(!matches("компьютер", "не перезагружайте компьютер"))
        #expect(matches("компьютер", "не перезагружайте, а выключите компьютер"))
    }

    @Test func negatedPhraseMatchesNegation() {
        // Given / When / Then
        #expect(matches("не перезагружайте", "Не перезагружайте компьютер"))
        #expect(!matches("не перезагружайте", "Перезагрузите компьютер"))
        #expect(matches("don't restart", "Please don't restart"))
    }

    @Test func noneHonoursNegation() {
        // Given
        let rule = MatchRule(any: ["компьютер"], none: ["перезагруз"])
        // When / Then: a negated word in another clause does not exclude the rule
        #expect(Matcher.match(rule, in: "не перезагружайте, выключите компьютер") != nil)
        #expect(Matcher.match(rule, in: "перезагрузите компьютер") == nil)
    }

    @Test func mixedScriptRepliesMatchWordByWord() {
        // Given
        let rule = MatchRule(all: [["перезагруз"], ["router"]])
        // When / Then
        #expect(Matcher.match(rule, in: "Перезагрузите router, please") != nil)
    }

    @Test func evidenceListsPhrases() {
        // Given
        let rule = MatchRule(any: ["restart", "reboot"], all: [["router", "modem"]], regex: ["\\bnow\\b"])
        // When
        let evidence = Matcher.match(rule, in: "Reboot the modem now")
        // Then
        #expect(evidence?.matched == ["reboot", "modem", "\\bnow\\b"])
    }

    @Test func compiledRuleAgreesWithMatcher() {
        // Given
        let rule = MatchRule(any: ["перезагруз", "restart"], none: ["не помогло"])
        let compiled = CompiledMatchRule(rule)
        // When / Then
        for reply in ["перезагрузите", "не перезагружайте", "restarted", "перезагрузил, не помогло", ""] {
            let text = TextNormalizer.normalize(reply)
            #expect(compiled.match(text, raw: reply) == Matcher.match(rule, in: text, raw: reply), "\(reply)")
        }
    }

    @Test func containsKeepsItsSignature() {
        // Given
        let text = TextNormalizer.normalize("Очистите корзину")
        // When / Then
        #expect(Matcher.contains(phrase: "корзин", in: text))
        #expect(!Matcher.contains(phrase: "кэш", in: text))
    }
}
