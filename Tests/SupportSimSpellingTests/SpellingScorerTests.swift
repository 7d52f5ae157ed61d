import Testing
import SupportSimCore
import SupportSimSpelling

@Suite("Spelling: words found and words let through")
struct SpellingWordsTests {
    @Test func russianMisspellingIsFound() {
        // Given a Russian scenario with spelling on
        let scenario = Spelling.scenario(language: .ru, persona: "Ольга Маркова")
        // When the reply has «пожалуста» for «пожалуйста»
        let found = Spelling.misspelt("Подскажите, пожалуста, какой у Вас принтер?", scenario: scenario)
        // Then only that word is reported
        #expect(found == ["пожалуста"])
    }

    @Test func englishMisspellingIsFound() {
        // Given an English scenario with spelling on
        // When the reply has "recieve" and "adress"
        let found = Spelling.misspelt("Did you recieve the e-mail? Please check the adress.")
        // Then both words are reported, as typed
        #expect(found == ["recieve", "adress"])
    }

    @Test func correctRepliesAreClean() {
        // Given correct replies in both languages, with capitals, apostrophes and hyphens
        let texts = [
            "Hello! I'm sorry for the trouble. Could you please restart the router and tell me what the lights show?",
            "Здравствуйте! Извините за неудобства. Подскажите, пожалуйста, что-нибудь ещё не работает?",
            "Еще раз спасибо, всё проверю из-за этой ошибки.",
        ]
        for text in texts {
            // When each is scored
            let result = Spelling.scorer.score(Spelling.replies(text), scenario: Spelling.scenario())
            // Then nothing is misspelt and the score is 100
            #expect(result?.score == 100, "\(text)")
            #expect(result?.deductions.isEmpty == true, "\(text)")
        }
    }

    @Test func scenarioTermsPersonaAndKnowledgeBaseAreNotFlagged() {
        // Given terms, a persona and a KB article whose words are not in the dictionaries
        let scenario = Spelling.scenario(
            language: .ru, spelling: SpellingConfig(terms: ["Битрикс", "Зувиндер", "Kubectl apply"]),
            persona: "Ольга Зябликова",
            knowledgeBase: [KBArticle(id: "kb-printspooler", title: "Очистка очереди Printspooler")]
        )
        // When a reply uses them in other cases and capitalisations
        let found = Spelling.misspelt(
            "Ольга Зябликова, откройте БИТРИКС и Зувиндер, потом kubectl. Очередь printspooler очистим "
                + "по статье kb-printspooler, в Битриксе всё сохранится.",
            scenario: scenario)
        // Then none is reported
        #expect(found.isEmpty)
    }

    @Test func mixedCyrillicAndLatinReplies() {
        // Given a Russian scenario and a reply mixing Russian and English words
        let scenario = Spelling.scenario(language: .ru)
        // When both languages have a misspelling and the rest is correct
        let found = Spelling.misspelt(
            "Откройте Outlook, нажмите Send/Receive и проверте Wi-Fi-роутер; the mesage should arrive.",
            scenario: scenario)
        // Then each word is checked in its own language
        #expect(found == ["проверте", "mesage"])
    }

    @Test func aWordMixingScriptsIsMisspelt() {
        // Given «принтер» typed with Latin "p" and "e"
        // When it is scored
        let found = Spelling.misspelt("Какой у вас пpинтep?", scenario: Spelling.scenario(language: .ru))
        // Then it is reported without a dictionary look-up
        #expect(found == ["пpинтep"])
    }

    @Test func numbersIdsAddressesAndAcronymsAreSkipped() {
        // Given a reply full of things that are not dictionary words
        let text = "Ticket INC-0042, build v2.4.1, IP 10.0.0.12, error 0x80070005, #4512, 15:30. "
            + "Write to help.desk@example.com or open https://suport.example.com/kb?id=7 and www.exampel.org. "
            + "Check VPN, HDMI, DNS and the ВКС on your iPhone with PowerShell; see C:\\Windows\\Sytem32 "
            + "and user_nmae, e.g. lgn.exe."
        // When it is scored
        let result = Spelling.scorer.score(Spelling.replies(text), scenario: Spelling.scenario())
        // Then nothing is misspelt
        #expect(result?.deductions.map(\.quote) == [])
        #expect(result?.score == 100)
    }

    @Test func shoutedWordsLongerThanFiveLettersAreChecked() {
        // Given a long word in capitals
        // When it is misspelt
        let found = Spelling.misspelt("PLEASE RECIEVE IT")
        // Then it is reported (short all-caps words are acronyms and skipped)
        #expect(found == ["RECIEVE"])
    }

    @Test func escalationNotesAreChecked() {
        // Given an escalation with a misspelt note
        let transcript = Spelling.transcript([
            .reply("Thank you, I will pass this on."),
            .escalate(target: "L2", note: "Printer jammed, customer is anoyed, urgent."),
        ])
        // When it is scored
        let result = Spelling.scorer.score(transcript, scenario: Spelling.scenario())
        // Then the note's misspelling is reported on its turn
        let deduction = try? #require(result?.deductions.first)
        #expect(deduction?.quote == "anoyed")
        #expect(deduction?.turn == 2)
        #expect(deduction?.rule == "spelling:anoyed")
        #expect(deduction?.message == "misspelt: anoyed")
    }

    @Test func otherInputsAreNotChecked() {
        // Given a session of choices, hints and KB searches only
        let transcript = Spelling.transcript([.choice(1), .hint, .kb(query: "pritner")])
        // When it is scored
        let result = Spelling.scorer.score(transcript, scenario: Spelling.scenario())
        // Then the category does not apply (nothing was written to check)
        #expect(result == nil)
    }
}

@Suite("Spelling: score and evidence")
struct SpellingScoreTests {
    /// `n` correct words, as one reply.
    static func words(_ n: Int) -> [String] { Array(repeating: "printer", count: n) }

    @Test func oneMisspellingInTwentyWordsHalvesTheScore() {
        // Given 20 words with one misspelling and zeroAt 10 (rate 5 per 100 words)
        let text = (Self.words(19) + ["pritner"]).joined(separator: " ")
        // When scored
        let result = Spelling.scorer.score(Spelling.replies(text), scenario: Spelling.scenario())
        // Then the score is 100 × (1 − 5 / 10) = 50 and the deduction is the 50 points lost
        #expect(result?.score == 50)
        #expect(result?.deductions.map(\.points) == [50])
    }

    @Test func deductionsShareTheLostPoints() {
        // Given 40 words over two turns with three misspellings and zeroAt 20 (rate 7.5)
        let scenario = Spelling.scenario(spelling: SpellingConfig(zeroAt: 20))
        let first = (Self.words(18) + ["pritner", "recieve"]).joined(separator: " ")
        let second = (Self.words(19) + ["adress"]).joined(separator: " ")
        // When scored
        let result = Spelling.scorer.score(Spelling.replies(first, second), scenario: scenario)
        // Then the score is 100 × (1 − 7.5 / 20) = 62.5 → 63, and the deductions add up to 37
        #expect(result?.score == 63)
        let points = result?.deductions.map(\.points) ?? []
        #expect(points == [13, 12, 12])
        #expect(points.reduce(0, +) == 100 - (result?.score ?? 0))
        #expect(result?.deductions.map(\.turn) == [1, 1, 2])
    }

    @Test func manyMisspellingsFloorAtZero() {
        // Given a reply where every other word is misspelt
        let text = "pleese recieve the adress and teh mesage"
        // When scored
        let result = Spelling.scorer.score(Spelling.replies(text), scenario: Spelling.scenario())
        // Then the score is 0 and the five deductions add up to 100
        #expect(result?.score == 0)
        #expect(result?.deductions.count == 5)
        #expect(result?.deductions.reduce(0) { $0 + $1.points } == 100)
    }

    @Test func aCleanReplyGetsACredit() {
        // Given a correct reply
        // When scored
        let result = Spelling.scorer.score(Spelling.replies("Thank you for waiting."), scenario: Spelling.scenario())
        // Then the score is 100 with one credit and no deductions
        #expect(result?.score == 100)
        #expect(result?.evidence.map(\.rule) == ["spelling:clean"])
    }

    @Test func russianScenarioMessagesAreInRussian() {
        // Given a Russian scenario
        let scenario = Spelling.scenario(language: .ru)
        // When a reply has a misspelling
        let result = Spelling.scorer.score(Spelling.replies("Спасибо, пожалуста"), scenario: scenario)
        // Then the message is Russian
        #expect(result?.deductions.first?.message == "опечатка: пожалуста")
    }
}

@Suite("Spelling: on only when the scenario turns it on")
struct SpellingPipelineTests {
    @Test func categoryIsAbsentWhenTheScenarioDoesNotTurnItOn() {
        // Given a scenario without `scoring.spelling`
        let scenario = Spelling.scenario(spelling: nil)
        let transcript = Spelling.replies("pleese recieve it")
        // When scored by the scorer and by the standard pipeline with a checker
        let direct = Spelling.scorer.score(transcript, scenario: scenario)
        let card = ScoringPipeline.standard(analyzer: Spelling.analyzer, spellChecker: Spelling.checker).score(transcript, scenario: scenario)
        // Then there is no spelling category
        #expect(direct == nil)
        #expect(card.score(.spelling) == nil)
    }

    @Test func pipelineWithoutACheckerLeavesSpellingOut() {
        // Given a scenario with spelling on
        let scenario = Spelling.scenario(spelling: SpellingConfig(terms: ["Zuvinder"]))
        // When scored by the standard pipeline without a checker
        let card = ScoringPipeline.standard(analyzer: Spelling.analyzer).score(Spelling.replies("pleese recieve it"), scenario: scenario)
        // Then there is no spelling category
        #expect(card.score(.spelling) == nil)
    }

    @Test func pipelineWeighsSpellingWithTheDefaultWeight() {
        // Given a scenario with spelling on and only the spelling category applying (no weight given)
        let scenario = Spelling.scenario(spelling: SpellingConfig(), weights: [:])
        let pipeline = ScoringPipeline(scorers: [Spelling.scorer])
        // When scored
        let card = pipeline.score(Spelling.replies((Array(repeating: "printer", count: 19) + ["pritner"])
            .joined(separator: " ")), scenario: scenario)
        // Then the total is the spelling score (weight 10 of 10)
        #expect(card.score(.spelling)?.score == 50)
        #expect(card.total == 50)
    }

    @Test func pipelineUsesTheScenarioWeight() {
        // Given spelling weighted 0 next to correctness
        let scenario = Spelling.scenario(weights: [.correctness: 40, .spelling: 0])
        let card = ScoringPipeline.standard(analyzer: Spelling.analyzer, spellChecker: Spelling.checker)
            .score(Spelling.replies("pleese recieve teh adress"), scenario: scenario)
        // Then spelling is reported but does not change the total
        #expect(card.score(.spelling)?.score == 0)
        #expect(card.total == card.score(.correctness)?.score)
    }
}
