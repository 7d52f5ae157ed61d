import Foundation
import Testing
@testable import SupportSimCore
import SupportSimLexicons

@Suite("Scoring: politeness analyzer")
struct ScoringPolitenessAnalyzerTests {
    let analyzer = BundledLexicons.analyzer

    func hits(_ text: String, _ language: Language = .en, reply: Int = 1, name: String? = nil) -> [StrategyHit] {
        analyzer.analyze(text, context: ReplyContext(language: language, replyIndex: reply, customerName: name))
    }

    func strategies(_ text: String, _ language: Language = .en, reply: Int = 1, name: String? = nil) -> Set<String> {
        Set(hits(text, language, reply: reply, name: name).map(\.strategy))
    }

    func span(_ strategy: String, in text: String, _ language: Language = .en, name: String? = nil) -> String? {
        hits(text, language, name: name).first { $0.strategy == strategy }?.span
    }

    @Test func rudeRussianReplyHasFourSeparateHits() {
        // Given
        let text = "Слушай, я же тебе уже говорил, перезагрузи комп!!!"
        // When
        let found = hits(text, .ru)
        // Then
        #expect(Set(found.map(\.strategy)) == ["informal", "reproach", "imperative", "exclamations"])
        #expect(found.count == 4)
        #expect(found.first { $0.strategy == "informal" }?.span == "Слушай")
        #expect(found.first { $0.strategy == "reproach" }?.span == "я же тебе уже говорил")
        #expect(found.first { $0.strategy == "imperative" }?.span == "перезагрузи")
        #expect(found.first { $0.strategy == "exclamations" }?.span == "!!!")
        #expect(found.allSatisfy { $0.weight < 0 })
    }

    @Test func politeEnglishReplyHasGreetingNameApologyAndSoftenedRequest() {
        // Given
        let text = "Hello Anna, I'm sorry for the trouble — could you tell me which printer you are using?"
        // When
        let found = hits(text, name: "Anna Petrova")
        // Then
        #expect(Set(found.map(\.strategy)) == ["greeting", "name", "apology", "softened"])
        #expect(found.map(\.span) == ["Hello", "Anna", "sorry", "could you"])
        #expect(found.allSatisfy { $0.weight > 0 })
    }

    @Test func greetingCountsOnlyInTheFirstReply() {
        #expect(strategies("Hello, which printer is it?", reply: 1).contains("greeting"))
        #expect(!strategies("Hello, which printer is it?", reply: 2).contains("greeting"))
    }

    @Test func russianNameInOtherCases() {
        // Given a Russian customer name, When it is used in the dative, Then it still counts
        #expect(span("name", in: "Анне я уже отправила письмо.", .ru, name: "Анна Петрова") == "Анне")
        #expect(span("name", in: "Спасибо, Ольга!", .ru, name: "Ольга Маркова") == "Ольга")
        #expect(span("name", in: "Аннулируйте заказ.", .ru, name: "Анна Петрова") == nil)
    }

    @Test func formalVersusInformalRussian() {
        // Given the same request with «Вы» and with «ты»
        let formal = strategies("Не могли бы Вы перезагрузить компьютер?", .ru)
        let informalImperative = strategies("Перезагрузи компьютер.", .ru)
        let informalPronoun = strategies("Ты можешь перезагрузить компьютер?", .ru)
        let formalPlease = strategies("Перезагрузите, пожалуйста, компьютер.", .ru)
        // Then
        #expect(formal == ["softened"])
        #expect(informalImperative == ["informal", "imperative"])
        #expect(informalPronoun == ["informal"])
        #expect(formalPlease == ["please"])
    }

    @Test func informalAddressIsReportedOncePerReply() {
        let found = hits("Ты проверь свой принтер, тебе же говорили, твой кабель отошёл", .ru)
        #expect(found.filter { $0.strategy == "informal" }.count == 1)
    }

    @Test(arguments: ["what the f*ck is this", "this is sh1t", "f@ck it", "ну и х*р с ним", "бл* опять",
                      "это пиzдец", "полный xуй"])
    func disguisedObscenityIsFound(_ text: String) {
        #expect(strategies(text, text.unicodeScalars.contains { $0.value >= 0x400 } ? .ru : .en).contains("obscenity"))
    }

    @Test func disguisedObscenityKeepsTheTypedSpan() {
        #expect(span("obscenity", in: "this is sh1t") == "sh1t")
        #expect(span("obscenity", in: "ну и х*р с ним", .ru) == "х*р")
    }

    @Test(arguments: ["Please press Shift+F10 and send me the class name", "I'll pass this to the assistant",
                      "Сначала закройте окно, потом откройте его снова", "Проверьте хребет кабеля и Херсонский офис",
                      "Error 0x80070005 on HP LaserJet 1020", "The 1С server is on port 8080"])
    func cleanTextHasNoNegativeHits(_ text: String) {
        let language: Language = text.unicodeScalars.contains { $0.value >= 0x400 && $0.value < 0x530 } ? .ru : .en
        #expect(hits(text, language, reply: 2).filter { $0.weight < 0 }.isEmpty)
    }

    @Test func negatedApologyDoesNotCount() {
        #expect(!strategies("I'm not sorry, you did it wrong").contains("apology"))
        #expect(strategies("I'm not sorry, you did it wrong").contains("blame"))
        #expect(!strategies("Я не извиняюсь за это", .ru).contains("apology"))
        #expect(strategies("Нет, извините, это не так", .ru).contains("apology"))
    }

    @Test func englishBareImperativeNeedsSentenceStartAndNoPlease() {
        #expect(span("imperative", in: "Restart it.") == "Restart")
        #expect(!strategies("Restart it, please.").contains("imperative"))
        #expect(!strategies("Could you restart it?").contains("imperative"))
        #expect(!strategies("Update is still running.").contains("imperative"))
        #expect(!strategies("Do you see the icon?").contains("imperative"))
    }

    @Test func justPlusVerbIsDismissiveNotAlsoAnImperative() {
        let found = hits("Just restart it.", reply: 2)
        #expect(found.map(\.strategy) == ["dismissive"])
        #expect(found.first?.span == "Just restart")
    }

    @Test func shoutingIgnoresAcronymsAndCodes() {
        #expect(span("shouting", in: "I TOLD YOU this twice") == "TOLD YOU")
        #expect(!strategies("Connect to the VPN over HTTPS and check the USB hub").contains("shouting"))
        #expect(!strategies("It shows ERR_CONNECTION_REFUSED and E-FUSER").contains("shouting"))
        #expect(span("shouting", in: "Я ЖЕ СКАЗАЛА, это не так", .ru) == "СКАЗАЛА")
    }

    @Test func singleExclamationIsFine() {
        #expect(!strategies("Great, it works!").contains("exclamations"))
        #expect(span("exclamations", in: "It works?!!") == "?!!")
    }

    @Test func empathyAndReassuranceInBothLanguages() {
        #expect(strategies("I understand how frustrating this is, let's fix it together.", reply: 2) == ["empathy", "reassurance"])
        #expect(strategies("Понимаю, как это неприятно. Сейчас разберёмся.", .ru, reply: 2) == ["empathy", "reassurance"])
        #expect(strategies("I don't understand how frustrating it could be.", reply: 2).isEmpty)
    }

    @Test func closingPhrases() {
        #expect(strategies("Is there anything else I can help you with?", reply: 3) == ["closing"])
        #expect(strategies("Если возникнут вопросы — обращайтесь. Хорошего дня!", .ru, reply: 3) == ["closing"])
    }

    @Test func blameAndSarcasm() {
        #expect(strategies("You should have saved the file.", reply: 2) == ["blame"])
        #expect(strategies("You should have received an email from us.", reply: 2).isEmpty)
        #expect(strategies("Вы сами удалили этот файл.", .ru, reply: 2) == ["blame"])
        #expect(strategies("Ну конечно, принтер сам сломался.", .ru, reply: 2).contains("sarcasm"))
        #expect(strategies("Yeah right, good luck with that.", reply: 2) == ["sarcasm"])
    }

    @Test func replyScoreIsNeutralPoliteAndRude() {
        let context = ReplyContext(language: .en)
        #expect(analyzer.replyScore("The queue is on the third floor.", context: context) == 50)
        #expect(analyzer.replyScore("Hello, could you please tell me the error? Thank you!", context: context) > 80)
        #expect(analyzer.replyScore("Restart it, idiot!!!", context: context) < 10)
    }

    @Test func customLexiconIsUsed() throws {
        // Given a lexicon with one extra phrase for gratitude
        let company = try PolitenessLexicon(yaml: """
            strategies:
              - id: gratitude
                patterns:
                  en: ["much appreciated by us", "cheers mate"]
              - id: product_praise
                weight: 0.5
                patterns:
                  en: ["love the app"]
            """)
        let lexicon = try BundledLexicons.politeness().merging(company)
        // When
        let custom = PolitenessAnalyzer(lexicon: lexicon)
        // Then
        #expect(custom.analyze("Cheers mate.", context: ReplyContext(language: .en)).map(\.strategy) == ["gratitude"])
        #expect(custom.analyze("We love the app.", context: ReplyContext(language: .en)).map(\.strategy) == ["product_praise"])
        #expect(custom.lexicon.weight(of: "gratitude") == analyzer.lexicon.weight(of: "gratitude"))
        #expect(!analyzer.analyze("We love the app.", context: ReplyContext(language: .en)).contains { $0.strategy == "product_praise" })
    }

    @Test func lexiconRoundTripsThroughJSON() throws {
        let bundled = try BundledLexicons.politeness()
        let data = try JSONEncoder().encode(bundled)
        let decoded = try JSONDecoder().decode(PolitenessLexicon.self, from: data)
        #expect(decoded == bundled)
    }

    @Test func bundledLexiconFilesParse() throws {
        for name in BundledLexicons.politenessFiles {
            let lexicon = try BundledLexicons.politenessFile(name)
            #expect(!lexicon.phraseStrategies.isEmpty, "\(name)")
        }
        let merged = try BundledLexicons.politeness()
        #expect(merged.phraseStrategies.first { $0.id == "obscenity" }?.patterns["ru"]?.isEmpty == false)
        #expect(merged.weight(of: "insult") == -4)
    }

    @Test func badLexiconEntriesNameTheLine() {
        let cases: [(String, Int, String)] = [
            ("strategies:\n  - id: x\n    weight: high\n", 3, "weight"),
            ("strategies:\n  - id: x\n    weight: 1\n    patterns:\n      en: [\"~ oops\"]\n", 5, "must start with a word"),
            ("strategies:\n  - id: x\n    colour: red\n", 3, "unknown key"),
            ("negators: not-a-list\n", 1, "list"),
        ]
        for (yaml, line, fragment) in cases {
            do {
                _ = try PolitenessLexicon(yaml: yaml)
                Issue.record("accepted: \(yaml)")
            } catch let error as PolitenessLexiconError {
                #expect(error.line == line, "\(error)")
                #expect(error.description.contains(fragment), "\(error)")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test func mergingOverridesSettingsAndKeepsTheRest() throws {
        let base = try PolitenessLexicon(yaml: "strategies:\n  - id: a\n    weight: 1\n    negatable: true\n    patterns: {en: [x]}\n")
        let over = try PolitenessLexicon(yaml: "strategies:\n  - id: a\n    weight: 2\n    patterns: {en: [y]}\n  - id: b\n    weight: -1\n    patterns: {en: [z]}\n")
        let merged = base.merging(over)
        #expect(merged.phraseStrategies.map(\.id) == ["a", "b"])
        #expect(merged.phraseStrategies[0].weight == 2)
        #expect(merged.phraseStrategies[0].negatable == true)
        #expect(merged.phraseStrategies[0].patterns["en"] == ["x", "y"])
        let replaced = base.merging(try PolitenessLexicon(yaml: "strategies:\n  - id: a\n    replace: true\n    patterns: {en: [w]}\n"))
        #expect(replaced.phraseStrategies[0].patterns["en"] == ["w"])
    }

    @Test func russianObscenityAndInsultsAreFoundButOrdinaryWordsAreNot() {
        #expect(strategies("Ты дебил, иди нахуй", .ru).isSuperset(of: ["insult", "obscenity"]))
        #expect(strategies("Какая х*йня, бл@ть", .ru).contains("obscenity"))
        #expect(strategies("Ребёнок смотрел на небо и ел хлеб", .ru).isEmpty)
        #expect(strategies("Оскорбления: сукно, мудрый совет, мандарин, страхуй машину", .ru).isEmpty)
        let context = ReplyContext(language: .ru)
        #expect(analyzer.replyScore("Заткнись, урод", context: context) < 20)
        #expect(analyzer.replyScore("Пожалуйста, помолчите", context: context) > 50)
    }

    @Test func longRepliesAreHandled() {
        let long = String(repeating: "а", count: 10_000)
        #expect(hits(long, .ru).isEmpty)
        let text = String(repeating: "Could you please restart the printer? ", count: 2_000)
        #expect(!hits(text).isEmpty)
    }

    /// Thousands of analyses in a row give the same hits as each reply alone (no state carried over);
    /// speed is measured by `supportsim-bench`, not asserted here.
    @Test func manyAnalysesInARowGiveTheSameHits() {
        // Given a mix of replies and their hits when analysed once
        let replies = [
            "Hello Anna, I'm sorry for the trouble — could you tell me which printer you are using?",
            "Слушай, я же тебе уже говорил, перезагрузи комп!!!",
            "Понимаю, как это неприятно. Не могли бы Вы открыть очередь печати?",
            "Just restart it. As I said, it's obviously the driver.",
        ]
        let context = ReplyContext(language: .en, customerName: "Anna Petrova")
        let once = replies.map { analyzer.analyze($0, context: context) }
        #expect(once.allSatisfy { !$0.isEmpty })
        #expect(once[0].contains { $0.weight > 0 } && once[3].contains { $0.weight < 0 })
        // When analysed 4,000 times, interleaved
        var differing = 0
        for k in 0..<4_000 where analyzer.analyze(replies[k % replies.count], context: context) != once[k % replies.count] {
            differing += 1
        }
        // Then every analysis gives the same hits
        #expect(differing == 0)
    }
}
