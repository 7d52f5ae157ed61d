import Foundation
import Testing
@testable import SupportSimCore
import SupportSimLexicons

/// Every reply quoted in the issue on politeness for the support genre, with the judgement a
/// support team lead gives it: rude, neutral or polite, and the strategy that explains why.
@Suite("Scoring: politeness in the support genre")
struct ScoringSupportGenreTests {
    let analyzer = BundledLexicons.analyzer

    func context(_ language: Language, reply: Int = 2, terms: Set<String> = []) -> ReplyContext {
        ReplyContext(language: language, replyIndex: reply, knownTerms: terms)
    }
    func tone(_ text: String, _ language: Language) -> ToneClass {
        ToneClass(score: analyzer.replyScore(text, context: context(language)))
    }
    func strategies(_ text: String, _ language: Language, terms: Set<String> = []) -> Set<String> {
        Set(analyzer.analyze(text, context: context(language, terms: terms)).map(\.strategy))
    }

    // MARK: Rude replies that were scored neutral

    @Test(arguments: [
        ("Я же написал", "reproach"), ("Смотрите внимательней", "reproach"), ("Ребутните ноут, говорю", "reproach"),
        ("Это не ко мне", "dismissive"), ("Ну что у вас там опять?", "challenge"), ("Не кричите на меня", "reproach"),
        ("Ваша ошибка, а не наша. Следующий.", "blame"),
    ])
    func givenARussianReproachOrBrushOff_whenAnalysed_thenItIsRudeWithItsStrategy(text: String, strategy: String) {
        // Given a reply a team lead calls rude; When it is analysed; Then
        #expect(tone(text, .ru) == .rude)
        #expect(strategies(text, .ru).contains(strategy))
    }

    @Test(arguments: [
        ("Whatever.", "dismissive"), ("No idea, it's not my printer", "dismissive"),
        ("Well, if you can't follow simple steps, I can't help you.", "dismissive"),
    ])
    func givenAnEnglishBrushOff_whenAnalysed_thenItIsRude(text: String, strategy: String) {
        #expect(tone(text, .en) == .rude)
        #expect(strategies(text, .en).contains(strategy))
    }

    @Test func givenAReproachWithFormalAddress_whenAnalysed_thenTheFormalFormDoesNotOutweighIt() {
        // Given «Я же Вам уже три раза объяснял…»: a reproach in the «Вы» form
        let text = "Я же Вам уже три раза объяснял, перезагрузите компьютер"
        // When
        let all = analyzer.analyzeAll(text, context: context(.ru))
        // Then the reproach is found, formal address counts nothing, and the reply is rude
        #expect(all.contains { $0.strategy == "reproach" })
        #expect(!all.contains { $0.strategy == "formal_address" })
        #expect(tone(text, .ru) == .rude)
        #expect(analyzer.replyScore(text, context: context(.ru)) < 50)
    }

    @Test func givenAChallengeQuestionInTheFormalForm_whenAnalysed_thenItIsNotCreditedAsPolite() {
        let text = "Почему вы опять удалили мой отчёт?"
        #expect(tone(text, .ru) == .rude)
        #expect(!analyzer.analyzeAll(text, context: context(.ru)).contains { $0.strategy == "formal_address" })
        #expect(tone("Why would you delete the report again?", .en) == .rude)
    }

    @Test func givenFormalAddressAlone_whenAnalysed_thenTheReplyIsNeutralNotPolite() {
        #expect(tone("Откройте ваш почтовый клиент и проверьте папку «Спам».", .ru) == .neutral)
    }

    // MARK: Polite or neutral replies that were penalised

    @Test(arguments: ["Then print as usual", "Tell him to use the portal", "Connect to the VPN first, then open the MFP page."])
    func givenAPlainInstruction_whenAnalysed_thenItIsNeutralAndNotABareCommand(text: String) {
        #expect(!strategies(text, .en).contains("imperative"))
        #expect(tone(text, .en) == .neutral)
    }

    @Test func givenAStepAfterAPoliteFrame_whenAnalysed_thenItIsNotABareCommand() {
        let text = "Could you open the printer settings? Then choose it in the print dialog."
        #expect(!strategies(text, .en).contains("imperative"))
        #expect(tone(text, .en) == .polite)
    }

    @Test func givenANumberedOrBulletedInstruction_whenAnalysed_thenNoStepIsABareCommand() {
        #expect(!strategies("1. Open Settings.\n2. Select Printers.", .en).contains("imperative"))
        #expect(!strategies("- Restart it.", .en).contains("imperative"))
        #expect(!strategies("Restart it. Check the cable.", .en).contains("imperative"))
    }

    @Test func givenALoneCurtCommand_whenAnalysed_thenItIsStillABareCommand() {
        #expect(strategies("Restart it.", .en).contains("imperative"))
    }

    @Test(arguments: ["Понимаю… это очень некстати.", "Ничего страшного, такое бывает часто"])
    func givenEmpathyOrReassuranceInRussian_whenAnalysed_thenItIsPolite(text: String) {
        let found = strategies(text, .ru)
        #expect(found.contains("empathy") || found.contains("reassurance"))
        #expect(tone(text, .ru) == .polite)
    }

    @Test func givenProductNamesInCapitals_whenAnalysed_thenTheyAreNotShouting() {
        #expect(!strategies("Install GIMP from the portal, then connect to the VPN and open the MFP page.", .en).contains("shouting"))
        #expect(!strategies("Подключите МФУ через VPN.", .ru).contains("shouting"))
        // A longer product name the scenario itself uses is not shouting either.
        #expect(!strategies("Open SHAREPOINT and sign in.", .en, terms: ["SHAREPOINT"]).contains("shouting"))
        #expect(strategies("Open SHAREPOINT and sign in.", .en).contains("shouting"))
        // Real shouting still is.
        #expect(strategies("I TOLD YOU to restart it", .en).contains("shouting"))
        #expect(strategies("ПЕРЕЗАГРУЗИТЕ компьютер", .ru).contains("shouting"))
    }

    // MARK: Credited wrongly

    @Test func givenBlameWithAHedge_whenAnalysed_thenItIsBlameAndNotHedging() {
        let found = strategies("You probably typed it wrong", .en)
        #expect(found.contains("blame"))
        #expect(!found.contains("hedging"))
        #expect(tone("You probably typed it wrong", .en) == .rude)
    }

    // MARK: Missed

    @Test(arguments: [("Ничего страшного, эту настройку легко пропустить", Language.ru),
                      ("No problem at all, these settings are easy to miss", Language.en)])
    func givenReassurance_whenAnalysed_thenItIsAStrategyAndPolite(text: String, language: Language) {
        #expect(strategies(text, language).contains("reassurance"))
        #expect(tone(text, language) == .polite)
    }

    @Test func givenAPoliteRefusalWithAnAlternative_whenAnalysed_thenBothAreCredited() {
        let text = "К сожалению, без подтверждения личности я не могу сбросить пароль, но я могу отправить ссылку для самостоятельного сброса."
        let found = strategies(text, .ru)
        #expect(found.contains("refusal"))
        #expect(found.contains("alternative"))
        #expect(tone(text, .ru) == .polite)
        let en = "Unfortunately I can't reset it without verification, but I can send you a self-service link."
        #expect(strategies(en, .en).isSuperset(of: ["refusal", "alternative"]))
    }

    @Test(arguments: ["Можно ли уточнить номер кабинета?", "Можете помочь?", "Не поможете ли найти номер заявки?",
                      "Коллега, проверьте доступ.", "Если не секрет, какой у вас принтер?", "Не подскажете ли номер заявки?",
                      "Не могли бы Вы прислать снимок экрана?", "Можете ли вы перезагрузить компьютер?"])
    func givenARussianIndirectRequest_whenAnalysed_thenItIsPolite(text: String) {
        #expect(strategies(text, .ru).contains("softened"))
        #expect(tone(text, .ru) == .polite)
    }

    // MARK: The conversation-level rules

    typealias S = ScoringScenarios

    @Test func givenACloseNoteWithoutAClosing_whenScored_thenTheNoteIsNeverJudgedForTone() {
        // Given a polite conversation, closed with a terse, even rude, internal note
        let scenario = S.printer()
        let card = S.card(scenario, [.reply("Hello Anna! Which printer is it, and what error do you see?"),
                                     .reply("Please restart the printer."),
                                     .reply("Is there anything else I can help with?"),
                                     .close(resolution: "User error. Idiot. Done.")])
        // Then nothing in the note costs politeness points
        let politeness = card.score(.politeness)!
        #expect(!politeness.deductions.contains { $0.quote?.contains("Idiot") == true })
        #expect(!politeness.deductions.contains { $0.rule == "politeness:no-closing" })
    }

    @Test func givenTheCustomerAlreadySaidGoodbye_whenTheTraineeCloses_thenNoClosingIsCharged() {
        // Given a scenario whose customer says goodbye once the printer works
        var scenario = S.printer()
        scenario.nodes[1].customer = ["It works now, thank you. Goodbye!"]
        // When the trainee fixes it and closes the ticket without another reply
        let card = S.card(scenario, [.reply("Hello Anna! Which printer is it? What error do you see?"),
                                     .reply("Please restart the printer."),
                                     .close(resolution: "Printer restarted, printing again.")])
        // Then
        #expect(!card.score(.politeness)!.deductions.contains { $0.rule == "politeness:no-closing" })
    }

    @Test func givenTheTraineeClosesWithoutAClosingAndTheCustomerDidNot_whenScored_thenNoClosingIsCharged() {
        // Given the customer's last line is not a goodbye ("It works now!")
        let card = S.card(S.printer(), [.reply("Hello Anna! Which printer is it? What error do you see?"),
                                        .reply("Please restart the printer."),
                                        .close(resolution: "Printer restarted, printing again.")])
        // Then the missing closing costs points, charged to a reply the customer read
        let closing = card.score(.politeness)!.deductions.first { $0.rule == "politeness:no-closing" }
        #expect(closing != nil)
        #expect(closing?.turn == 2)
    }

    @Test func givenAnUpsetCustomerReassured_whenScored_thenReassuranceCountsAsAcknowledgement() {
        let card = S.card(S.printer(mood: .angry), [.reply("Hello Anna! No problem at all, this happens a lot. Which printer is it?")])
        let politeness = card.score(.politeness)!
        #expect(!politeness.deductions.contains { $0.rule == "politeness:no-empathy" })
        #expect(politeness.evidence.contains { $0.rule == "politeness:acknowledged" })
    }

    @Test func givenAReplyFromTheMiddleOfAConversation_whenScoredWithItsIndex_thenNoGreetingIsExpected() {
        // Given one reply scored as the second of a conversation
        let scenario = S.printer()
        let turn = Turn(index: 2, number: 2, input: .reply("Which printer is it?"), node: "s1", moodBefore: .calm, events: [], elapsed: 0)
        let transcript = Transcript(scenarioID: scenario.id, seed: 0, turns: [turn], path: ["s1"], finalMood: .calm)
        // When
        let middle = PolitenessScorer(analyzer: analyzer, firstReplyNumber: 2).score(transcript, scenario: scenario)!
        let opening = PolitenessScorer(analyzer: analyzer, firstReplyNumber: 1).score(transcript, scenario: scenario)!
        // Then
        #expect(!middle.deductions.contains { $0.rule == "politeness:no-greeting" })
        #expect(opening.deductions.contains { $0.rule == "politeness:no-greeting" })
    }

    @Test func givenAScenarioWithProductNames_whenTheEngineReadsAReply_thenItsTermsAreNotShouting() {
        var scenario = S.printer()
        scenario.nodes[0].customer = ["My SHAREPOINT page won't print."]
        let transcript = S.play(scenario, [.reply("Hello Anna! Which printer do you use with SHAREPOINT?")])
        let hits = transcript.turns.flatMap(\.events).flatMap { e -> [StrategyHit] in if case .politeness(let h) = e { h } else { [] } }
        #expect(!hits.contains { $0.strategy == "shouting" })
    }
}

@Suite("Scoring: the closing note is judged as a note")
struct ScoringCloseNoteTests {
    typealias S = ScoringScenarios

    @Test(arguments: ["", "done", "reset done"])
    func givenAClosingNoteThatDoesNotSayWhatWasDone_whenScored_thenCorrectnessLosesPointsForClarity(note: String) {
        // Given a fully correct conversation closed with an unclear note
        let card = S.card(S.printer(), [.reply("Which printer? What error do you see?"), .reply("Could you restart it?"),
                                        .reply("Anything else I can help with?"), .close(resolution: note)])
        // Then
        let correctness = card.score(.correctness)!
        #expect(correctness.deductions.contains { $0.rule == "close:note-unclear" })
        #expect(correctness.score < 100)
        // and the note is never judged for tone
        #expect(!card.score(.politeness)!.evidence.contains { $0.quote == note && !note.isEmpty })
    }

    @Test func givenAClearClosingNote_whenScored_thenNoClarityDeduction() {
        let card = S.card(S.printer(), [.reply("Which printer? What error do you see?"), .reply("Could you restart it?"),
                                        .reply("Anything else I can help with?"), .close(resolution: "Printer restarted, prints again.")])
        #expect(!card.score(.correctness)!.deductions.contains { $0.rule == "close:note-unclear" })
    }
}

/// The worked example of docs/scoring.md ("How an attempt is scored"), played for real.
@Suite("Scoring: the documented correctness formula")
struct ScoringFormulaTests {
    @Test func givenTheDocumentedAttempt_whenScored_thenCorrectnessAndTheShownLossesAreTheDocumentedOnes() throws {
        // Given the printer case with an alternative way on (`workaround`, 15) and hint_cost 3
        var scenario = ScoringScenarios.printer()
        scenario.scoring.hintCost = 3
        scenario.nodes[0].expect.append(Intent(id: "workaround", description: "offered another printer",
                                               match: MatchRule(any: ["another printer"]), points: 15, next: "s2"))
        // When the trainee asks which printer, takes a hint, fixes it, confirms and closes
        let card = ScoringScenarios.card(scenario, [
            .reply("Which printer is it?"), .hint, .reply("Could you restart it?"),
            .reply("Is there anything else I can help with?"), .close(resolution: "Printer restarted, prints again."),
        ])
        // Then possible = 10 + 10 + max(20, 15) + 5 + 20 = 65, earned 55, deducted 3: round(100 × 52 / 65) = 80
        let correctness = try #require(card.score(.correctness))
        #expect(correctness.score == 80)
        let hint = try #require(correctness.deductions.first { $0.rule == "hint" })
        #expect(hint.points == 5)
        #expect(hint.scale == PointScale(written: 3, possible: 65))
        let missed = try #require(correctness.deductions.first { $0.rule.contains("ask_error") })
        #expect(missed.points == 15)
        #expect(missed.scale == PointScale(written: 10, possible: 65))
        // The alternative not taken is never a loss
        #expect(!correctness.deductions.contains { $0.rule.contains("workaround") })
        #expect(correctness.deductions.reduce(0) { $0 + $1.points } == 100 - 80)
    }
}
