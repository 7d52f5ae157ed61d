import Testing
@testable import SupportSimCore

/// A reply read as clauses: where they split, negation scope, conditions, safeguards and steps.
@Suite("Clauses of a reply")
struct ClauseTests {
    private struct Read {
        let raw: String
        let clauses: [Clause]
        var texts: [String] { clauses.map { RawText.slice(raw, $0.source) } }
        var negated: [Bool] { clauses.map { $0.negated != nil } }
        var steps: [Int] { clauses.map(\.step) }
        var conditions: [Bool] { clauses.map(\.isCondition) }
        func clause(_ text: String) -> Clause? { clauses.first { RawText.slice(raw, $0.source) == text } }
    }

    private func read(_ raw: String) -> Read {
        Read(raw: raw, clauses: ClauseReader.clauses(of: raw, TextNormalizer.normalize(raw)))
    }

    // MARK: - Splitting

    @Test func punctuationSplitsClauses() {
        // Given / When
        let r = read("Hello Anna, restart the router; check the cable: it's grey. Then call us!\nThanks")
        // Then
        #expect(r.texts == ["Hello Anna", "restart the router", "check the cable", "it's grey", "Then call us", "Thanks"])
    }

    @Test func connectivesSplitClauses() {
        // Given / When
        let en = read("Restart it then wait but do not unplug it however call us")
        let ru = read("Перезагрузите его затем подождите но не выключайте а потом позвоните однако не спешите")
        // Then
        #expect(en.texts == ["Restart it", "then wait", "but do not unplug it", "however call us"])
        #expect(ru.texts == ["Перезагрузите его", "затем подождите", "но не выключайте", "а потом позвоните",
                             "однако не спешите"])
    }

    @Test func andStaysInsideAClauseUnlessASubjectOrConnectiveFollows() {
        // Given / When
        let plain = read("Save and close the file")
        let subject = read("Restart it and I'll check the logs")
        let ru = read("Сохраните и закройте файл и я проверю журнал")
        // Then
        #expect(plain.texts == ["Save and close the file"])
        #expect(subject.texts == ["Restart it", "and I'll check the logs"])
        #expect(ru.texts == ["Сохраните и закройте файл", "и я проверю журнал"])
    }

    @Test func andThenIsOneConnective() {
        // Given / When
        let r = read("Close everything, and then restart")
        // Then
        #expect(r.texts == ["Close everything", "and then restart"])
        #expect(r.steps == [0, 1])
    }

    @Test func listItemsAreClausesAndSteps() {
        // Given / When
        let r = read("1) Restart the router\n2) Check the cable\n- Call us")
        // Then
        #expect(r.texts == ["Restart the router", "Check the cable", "Call us"])
        #expect(r.steps == [0, 1, 2])
    }

    @Test func emptyAndWordlessRepliesHaveNoClauses() {
        // Given / When / Then
        #expect(read("").clauses.isEmpty)
        #expect(read("😀 🔥 !!! ...").clauses.isEmpty)
    }

    @Test func clauseContainingFindsTheClauseOfAToken() {
        // Given
        let r = read("Restart it, then call us")
        // When / Then
        #expect(ClauseReader.clause(containing: 0, in: r.clauses)?.tokens == 0..<2)
        #expect(ClauseReader.clause(containing: 3, in: r.clauses)?.tokens == 2..<5)
        #expect(ClauseReader.clause(containing: 5, in: r.clauses) == nil)
        #expect(ClauseReader.clause(containing: 0, in: []) == nil)
    }

    // MARK: - Negation

    @Test func pleaseDontSwitchThePrinterOffIsNegated() {
        // Given / When
        let r = read("Please don't switch the printer off")
        // Then
        #expect(r.negated == [true])
        #expect(r.clauses[0].negated == r.clauses[0].tokens)
        #expect(r.clauses[0].negation == "don't")
    }

    @Test func dontWorryRestartItNegatesNothing() {
        // Given / When
        let r = read("don't worry, restart it")
        // Then
        #expect(r.negated == [false, false])
    }

    @Test func politeCouldYouIsNotANegation() {
        // Given / When
        let r = read("Не могли бы Вы перезагрузить компьютер?")
        // Then
        #expect(r.negated == [false])
    }

    @Test func iAmAfraidThereIsNoOtherPrinterIsNegated() {
        // Given / When
        let r = read("I'm afraid there's no other printer you can use")
        // Then
        #expect(r.negated == [true])
        #expect(r.clauses[0].negation == "I'm afraid there's no")
    }

    @Test func negationAfterTheVerbCoversTheWholeClause() {
        // Given / When
        let r = read("Точное время обещать не могу, но я прослежу")
        // Then the first clause is negated, the second is not
        #expect(r.texts == ["Точное время обещать не могу", "но я прослежу"])
        #expect(r.negated == [true, false])
        #expect(r.clauses[0].negation == "не могу")
        #expect(r.clauses[0].negated == 0..<5)
    }

    @Test(arguments: [
        "Don't restart it", "Do not restart it", "You can't use it", "We cannot do that", "I won't reset it",
        "Never share it", "No, it is not possible", "We are unable to help", "You shouldn't open it",
        "You mustn't share it", "Avoid restarting it", "Не перезагружайте", "Перезагружать нельзя", "Нет, это невозможно",
        "Никогда не сообщайте пароль", "Ни в коем случае не открывайте", "Не получится", "Не стоит", "Не надо",
    ])
    func negatorsNegateTheirClause(raw: String) {
        // Given / When
        let r = read(raw)
        // Then
        #expect(r.negated.first == true, "\(raw)")
    }

    @Test(arguments: [
        "don't worry", "no worries", "no problem", "not a problem", "don't hesitate to call", "no rush",
        "don't forget to restart", "не волнуйтесь", "не переживайте", "не беспокойтесь", "ничего страшного", "нет проблем",
        "не за что", "не стесняйтесь писать", "не забудьте сохранить", "не могли бы вы", "не подскажете номер",
        "не поможете ли", "не затруднит ли вас", "не сочтите за труд", "не так ли", "не правда ли",
    ])
    func idiomsAndPoliteFormsAreNotNegations(raw: String) {
        // Given / When
        let r = read(raw)
        // Then
        #expect(r.negated.allSatisfy { !$0 }, "\(raw)")
    }

    @Test func withoutCoversOnlyTheRestOfTheClause() {
        // Given / When
        let en = read("Restart it without unplugging the cable")
        let ru = read("Перезагрузите вместо выключения")
        // Then
        #expect(en.clauses[0].negated == 2..<6)
        #expect(en.clauses[0].negation == "without")
        #expect(ru.clauses[0].negated == 1..<3)
        #expect(ru.clauses[0].negation == "вместо")
    }

    @Test func aFullNegatorBeatsWithout() {
        // Given / When
        let r = read("Don't restart it without a backup")
        // Then
        #expect(r.clauses[0].negated == r.clauses[0].tokens)
    }

    // MARK: - Conditions

    @Test(arguments: [
        ("If it fails, call us", "If it fails"), ("Unless it works, call us", "Unless it works"),
        ("When it restarts, log in", "When it restarts"), ("Once it's back, log in", "Once it's back"),
        ("As soon as it boots, log in", "As soon as it boots"), ("After it restarts, log in", "After it restarts"),
        ("Wait until it restarts", "until it restarts"), ("Save before you restart", "before you restart"),
        ("Call us in case it fails", "in case it fails"), ("Если не поможет, позвоните", "Если не поможет"),
        ("Когда загрузится, войдите", "Когда загрузится"), ("Как только загрузится, войдите", "Как только загрузится"),
        ("После того как загрузится, войдите", "После того как загрузится"),
        ("Подождите, пока не загрузится", "пока не загрузится"),
        ("Сохраните всё до того как перезагрузите", "до того как перезагрузите"),
        ("В случае ошибки позвоните", "В случае ошибки позвоните"),
    ])
    func conditionWordsStartConditionClauses(raw: String, condition: String) {
        // Given / When
        let r = read(raw)
        // Then
        #expect(r.clause(condition)?.isCondition == true, "\(r.texts)")
        #expect(r.conditions.filter { $0 }.count == 1, "\(r.texts)")
    }

    @Test(arguments: ["Please do it as soon as possible", "Check if the light is on", "Restart it once again",
                      "When did it start?", "I'll fix it by then"])
    func lookAlikesOfConditionsAreNotConditions(raw: String) {
        // Given / When
        let r = read(raw)
        // Then
        #expect(r.conditions.allSatisfy { !$0 }, "\(r.texts)")
    }

    @Test func aConditionBelongsToTheStepOfTheClauseItGoverns() {
        // Given / When
        let r = read("Save your work. Restart the laptop, and if it still fails, call us.")
        // Then "if it still fails" governs "call us", which is a new step after "Restart the laptop"
        #expect(r.texts == ["Save your work", "Restart the laptop", "and if it still fails", "call us"])
        #expect(r.conditions == [false, false, true, false])
        #expect(r.steps == [0, 1, 2, 2])
    }

    // MARK: - Safeguards

    @Test func aConfirmationAfterTheActionMakesItSafe() {
        // Given / When
        let r = read("I'll reset it as soon as Mark himself confirms")
        // Then
        #expect(r.texts == ["I'll reset it", "as soon as Mark himself confirms"])
        #expect(r.clauses[0].safeguard == "as soon as Mark himself confirms")
        #expect(r.clauses[1].isCondition)
        #expect(r.steps == [0, 0])
    }

    @Test func aConfirmationBeforeTheActionMakesItSafe() {
        // Given / When
        let en = read("Once your manager approves it, I'll grant the access.")
        let ru = read("После того как Марк подтвердит, я сброшу пароль")
        // Then
        #expect(en.clause("I'll grant the access")?.safeguard == "Once your manager approves it")
        #expect(ru.clause("я сброшу пароль")?.safeguard == "После того как Марк подтвердит")
    }

    @Test(arguments: [
        "Reset it once we verify your identity", "Reset it after the verification", "Reset it after sign-off",
        "Reset it when security authorises it", "Сброшу пароль, когда руководитель одобрит",
        "Сброшу пароль, как только удостоверюсь в личности", "Сброшу, если вы подтвердите личность",
        "Сброшу после того как проверим данные",
    ])
    func safeguardWordsInAConditionMakeTheActionSafe(raw: String) {
        // Given / When
        let r = read(raw)
        // Then the main clause carries the condition as its safeguard
        #expect(r.clauses.first?.safeguard != nil, "\(r.texts)")
        #expect(r.clauses.first?.isCondition == false)
    }

    @Test func aConditionWithoutASafeguardWordIsNoSafeguard() {
        // Given / When
        let r = read("I'll reset it as soon as you ask")
        // Then
        #expect(r.clauses.allSatisfy { $0.safeguard == nil })
    }

    @Test func aSafeguardDoesNotReachAnotherSentence() {
        // Given / When
        let r = read("I'll reset it. Once Mark confirms, I'll tell you")
        // Then
        #expect(r.clauses[0].safeguard == nil)
        #expect(r.clause("I'll tell you")?.safeguard == "Once Mark confirms")
    }

    // MARK: - Steps

    @Test func commasBetweenInstructionsStartSteps() {
        // Given / When
        let en = read("Cancel all three jobs, switch the printer off, then wait a minute")
        let ru = read("Сохраните всё открытое, перезагрузите ноутбук")
        // Then
        #expect(en.steps == [0, 1, 2])
        #expect(ru.steps == [0, 1])
    }

    @Test func commasInsideOneInstructionDoNotStartSteps() {
        // Given / When
        let r = read("Hello Olga, restart the printer, please")
        // Then
        #expect(r.steps == [0, 0, 0])
    }

    @Test func sentencesAndThenStartSteps() {
        // Given / When
        let en = read("Restart the router. Wait a minute and then check the light")
        let ru = read("Перезагрузите роутер, потом подождите. После этого проверьте индикатор")
        // Then
        #expect(en.steps == [0, 1, 2])
        #expect(ru.steps == [0, 1, 2])
    }

    // MARK: - Hostile input

    @Test func hostileRepliesDoNotCrash() {
        // Given a 10,000-character reply, emoji only, control characters and connectives only
        let replies = [String(repeating: "не перезагружайте, если ", count: 420),
                       String(repeating: "and and but if then ", count: 500),
                       String(repeating: "check if ", count: 1_200), "😀🔥👍🏽", "\u{0}\u{1}\u{1B}[2J\u{7F}",
                       String(repeating: "1) ", count: 3_000), String(repeating: "a", count: 10_000)]
        // When / Then
        for raw in replies {
            let text = TextNormalizer.normalize(raw)
            let clauses = ClauseReader.clauses(of: raw, text)
            #expect(clauses.allSatisfy { !$0.tokens.isEmpty && $0.tokens.upperBound <= text.words.count })
            if let last = clauses.last { #expect(last.tokens.upperBound == text.words.count) }
        }
    }
}
