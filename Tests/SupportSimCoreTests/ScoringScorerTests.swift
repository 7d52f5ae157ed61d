import Testing
@testable import SupportSimCore
import SupportSimLexicons

@Suite("Scoring: politeness, correctness and escalation scorers")
struct ScoringScorerTests {
    typealias S = ScoringScenarios

    // MARK: - Politeness

    @Test func politeRunPassesPoliteness() {
        // Given an irritated customer and a courteous trainee
        let scenario = S.printer(mood: .irritated)
        // When
        let card = S.card(scenario, [
            .reply("Hello Anna, I'm sorry about the trouble. Which printer is it?"),
            .reply("Thank you. Could you restart it, please?"),
            .reply("Is there anything else I can help you with?"),
            .close(resolution: "printer restarted"),
        ])
        // Then
        let politeness = card.score(.politeness)
        #expect(politeness?.score == 100)
        #expect(politeness?.deductions.isEmpty == true)
        let credits = Set(politeness?.evidence.filter { $0.kind == .credit }.map(\.rule) ?? [])
        #expect(credits.isSuperset(of: ["politeness:greeting", "politeness:apology", "politeness:softened",
                                        "politeness:closing", "politeness:acknowledged"]))
    }

    @Test func rudeRunFailsPolitenessAndQuotesTheOffendingWords() {
        // Given
        let scenario = S.printer(mood: .irritated)
        // When
        let card = S.card(scenario, [
            .reply("which printer, idiot?"),
            .reply("RESTART IT!!!"),
        ])
        // Then
        let politeness = card.score(.politeness)!
        #expect(politeness.score < 50)
        #expect(politeness.score == 100 - 40 - 10 - 10 - 10 - 5 - 5)
        let quotes = politeness.deductions.compactMap(\.quote)
        #expect(quotes.contains("idiot"))
        #expect(quotes.contains("RESTART IT"))
        #expect(quotes.contains("RESTART"))
        #expect(quotes.contains("!!!"))
        let insult = politeness.deductions.first { $0.rule == "politeness:insult" }
        #expect(insult?.message == "rude: insult")
        #expect(insult?.turn == 1)
        #expect(politeness.deductions.contains { $0.rule == "politeness:no-greeting" })
        #expect(politeness.deductions.contains { $0.rule == "politeness:no-empathy" })
        #expect(politeness.deductionTotal == 100 - politeness.score)
    }

    @Test func russianRudeRunUsesRussianMessages() {
        // Given
        let scenario = S.printer(language: .ru)
        // When
        let card = S.card(scenario, [.reply("Слушай, я же тебе уже говорил, перезагрузи комп!!!")])
        // Then
        let politeness = card.score(.politeness)!
        #expect(politeness.deductions.contains { $0.message == "грубость: упрёк («я же говорил»)" && $0.quote == "я же тебе уже говорил" })
        #expect(politeness.deductions.contains { $0.rule == "politeness:informal" && $0.quote == "Слушай" })
        #expect(politeness.score == 100 - 15 - 15 - 5 - 5 - 10)
        #expect(!politeness.evidence.contains { $0.rule == "politeness:formal-address" })
    }

    @Test func repeatedDeductionsAreCapped() {
        // Given three replies that each shout with exclamation marks
        let scenario = S.printer(patience: 10)
        // When
        let card = S.card(scenario, [
            .reply("Hello!! Which printer?"), .reply("What ERROR!!"), .reply("Now what!!"),
        ])
        // Then exclamation marks cost at most 10 points in all
        let politeness = card.score(.politeness)!
        let exclamations = politeness.deductions.filter { $0.rule == "politeness:exclamations" }
        #expect(exclamations.count == 3)
        #expect(exclamations.map(\.points) == [5, 5, 0])
    }

    @Test func missingClosingCostsFivePoints() {
        let card = S.card(S.printer(), [
            .reply("Hello, which printer is it?"),
            .reply("Could you restart it?"),
            .close(resolution: "done"),
        ])
        let politeness = card.score(.politeness)!
        #expect(politeness.score == 95)
        #expect(politeness.deductions.map(\.rule) == ["politeness:no-closing"])
    }

    @Test func politenessDoesNotApplyWithoutFreeText() {
        let scenario = S.printer()
        let transcript = S.play(scenario, [.hint, .close(resolution: "x")])
        #expect(PolitenessScorer(analyzer: BundledLexicons.analyzer).score(transcript, scenario: scenario) == nil)
    }

    // MARK: - Correctness

    @Test func correctnessCountsMissedIntentsAndHarmfulPenalties() {
        // Given: possible 65 = s1 (10 + 10 + 20) + s2 (5) + outcome 20
        let scenario = S.printer()
        // When: ask_printer (10), a harmful reply (−15), the fix (20), resolved (20)
        let card = S.card(scenario, [
            .reply("Hello Anna, which printer is it?"),
            .reply("Please reinstall windows."),
            .reply("Could you restart it?"),
            .close(resolution: "printer restarted, prints again"),
        ])
        // Then: round(100 × (50 − 15) / 65) = 54
        let correctness = card.score(.correctness)!
        #expect(correctness.score == 54)
        #expect(correctness.deductionTotal == 100 - correctness.score)
        let byRule = Dictionary(uniqueKeysWithValues: correctness.deductions.map { ($0.rule, $0) })
        #expect(byRule["intent:ask_error"]?.message == "missed: asked for the error message")
        #expect(byRule["intent:confirm"]?.message == "missed: checked whether anything else is needed")
        #expect(byRule["harmful:reinstall"]?.message == "Reinstalling the OS is far too drastic")
        #expect(byRule["harmful:reinstall"]?.quote == "Please reinstall windows.")
        #expect(byRule["harmful:reinstall"]?.points == 23)
        #expect(byRule["intent:ask_error"]?.points == 15)
        #expect(correctness.evidence.contains { $0.kind == .credit && $0.rule == "intent:ask_printer" && $0.message == "asked which printer" })
        #expect(correctness.evidence.contains { $0.kind == .credit && $0.rule == "outcome" })
    }

    @Test func correctnessFullMarks() {
        let card = S.card(S.printer(), [
            .reply("Hello, which printer is it?"),
            .reply("What error does it show?"),
            .reply("Could you restart it?"),
            .reply("Is there anything else I can help you with?"),
            .close(resolution: "printer restarted, prints again"),
        ])
        let correctness = card.score(.correctness)!
        #expect(correctness.score == 100)
        #expect(correctness.deductions.isEmpty)
    }

    @Test func fallbacksHintsAndUnresolvedEndingAddUp() {
        // Given
        let scenario = S.printer()
        // When: a fallback (−5), a hint (−5), then /close before the fix
        let card = S.card(scenario, [
            .reply("Hello, which printer is it?"),
            .reply("The weather is nice today."),
            .hint,
            .close(resolution: "gave up on the printer"),
        ])
        // Then: possible 40 (s1) + 20; earned 10; deducted 5 + 5 + 10 → round(100 × 0 / 60) = 0
        let correctness = card.score(.correctness)!
        #expect(correctness.score == 0)
        #expect(correctness.deductionTotal == 100)
        let rules = Set(correctness.deductions.map(\.rule))
        #expect(rules == ["intent:ask_error", "intent:fix", "outcome", "fallback", "hint", "closed-unresolved"])
        #expect(correctness.deductions.first { $0.rule == "fallback" }?.message
                 == "reply did not move the case forward; expected: suggested restarting the printer")
        #expect(correctness.deductions.first { $0.rule == "outcome" }?.message == "issue not resolved or routed")
    }

    @Test func evidenceAddsUpForManyRuns() {
        // Given several different runs, When scored, Then correctness deductions add up to 100 − score
        let runs: [[TraineeInput]] = [
            [.reply("Which printer?"), .reply("Could you restart it?"), .close(resolution: "x")],
            [.reply("What error is shown?"), .reply("blah"), .reply("blah blah"), .reply("Restart it")],
            [.reply("Please reinstall windows"), .hint, .reply("Which printer?"), .reply("error?"), .reply("restart")],
            [.reply("Which printer?"), .escalate(target: "L2", note: "printer")],
        ]
        for run in runs {
            let c = S.card(S.printer(), run).score(.correctness)!
            #expect(c.deductionTotal == 100 - c.score, "\(run)")
        }
    }

    @Test func russianCorrectnessMessages() {
        let card = S.card(S.printer(language: .ru), [.reply("Здравствуйте! Какой принтер?"), .reply("бла-бла")])
        let correctness = card.score(.correctness)!
        #expect(correctness.deductions.contains { $0.message.hasPrefix("ответ не продвинул решение") })
        #expect(correctness.deductions.contains { $0.message == "пропущено: asked for the error message" })
    }

    // MARK: - Escalation

    func escalation(_ inputs: [TraineeInput], policy: EscalationPolicy = S.l2Policy) -> CategoryScore? {
        let scenario = S.printer(escalation: policy)
        return EscalationScorer().score(S.play(scenario, inputs), scenario: scenario)
    }

    let goodNote = "Printer on 3F: paper jam error, restarted twice, still failing; urgent, board meeting today."

    @Test func correctEscalation() {
        let e = escalation([
            .reply("Hello, what error does it show?"),
            .reply("I'll pass this to the second line; an engineer will call you within the hour."),
            .escalate(target: "L2", note: goodNote),
        ])
        #expect(e?.score == 100)
        #expect(e?.deductions.isEmpty == true)
        #expect(e?.evidence.contains { $0.message == "L2 after diagnosis" } == true)
        #expect(e?.evidence.contains { $0.message == "note complete 3/3" } == true)
        #expect(e?.evidence.contains { $0.rule == "escalation:told-customer" } == true)
    }

    @Test func missedEscalation() {
        let e = escalation([.reply("Which printer?"), .reply("Could you restart it?"), .close(resolution: "x")])
        #expect(e?.score == 0)
        #expect(e?.deductions.first?.rule == "escalation:missed")
        #expect(e?.deductions.first?.message.hasPrefix("escalation missed") == true)
    }

    @Test func wrongTarget() {
        let e = escalation([
            .reply("What error does it show? The second line will take it from here."),
            .escalate(target: "L3", note: goodNote),
        ])
        #expect(e?.score == 50)
        #expect(e?.deductions.map(\.message) == ["wrong target: L3, expected L2"])
    }

    @Test func tooEarly() {
        let e = escalation([
            .reply("The second line will take it from here."),
            .escalate(target: "L2", note: goodNote),
        ])
        #expect(e?.score == 80)
        #expect(e?.deductions.map(\.message) == ["escalated before: asked for the error message"])
    }

    @Test func incompleteNote() {
        let e = escalation([
            .reply("What error does it show? The second line will take it from here."),
            .escalate(target: "L2", note: "Printer broken, restarted it."),
        ])
        #expect(e?.score == 90)
        #expect(e?.deductions.map(\.message) == ["hand-off note does not mention: urgency"])
        #expect(e?.evidence.contains { $0.message == "note mentions 2/3" } == true)
    }

    @Test func customerNotTold() {
        let e = escalation([
            .reply("What error does it show?"),
            .escalate(target: "L2", note: goodNote),
        ])
        #expect(e?.score == 85)
        #expect(e?.deductions.map(\.rule) == ["escalation:customer-not-told"])
    }

    @Test func everythingWrongStopsAtZero() {
        let e = escalation([.escalate(target: "L9", note: "help")])
        #expect(e?.score == 0)
        #expect(e?.deductionTotal == 50 + 20 + 30 + 15)
    }

    @Test func forbiddenEscalation() {
        let policy = EscalationPolicy(requirement: .forbidden, reason: "L1 can clear a print queue")
        let handled = escalation([.reply("Could you restart it?"), .close(resolution: "x")], policy: policy)
        #expect(handled?.score == 100)
        #expect(handled?.evidence.first?.message == "correctly handled without escalation: L1 can clear a print queue")
        let escalated = escalation([.escalate(target: "L2", note: "printer")], policy: policy)
        #expect(escalated?.score == 0)
        #expect(escalated?.deductions.first?.message == "unnecessary escalation: L1 can clear a print queue")
        #expect(escalated?.deductions.first?.points == 100)
    }

    @Test func optionalEscalation() {
        let policy = EscalationPolicy(requirement: .optional, targets: ["L2"])
        #expect(escalation([.reply("Could you restart it?"), .close(resolution: "x")], policy: policy) == nil)
        #expect(escalation([.escalate(target: "l2", note: "printer")], policy: policy) == nil)
        let wrong = escalation([.escalate(target: "Sales", note: "printer")], policy: policy)
        #expect(wrong?.score == 50)
        #expect(wrong?.deductions.first?.rule == "escalation:wrong-target")
    }

    @Test func russianEscalationMessages() {
        let scenario = S.printer(language: .ru, escalation: S.l2Policy)
        let e = EscalationScorer().score(S.play(scenario, [.escalate(target: "L3", note: "printer")]), scenario: scenario)
        #expect(e?.deductions.contains { $0.message == "неверная линия: L3, ожидалась L2" } == true)
        #expect(e?.deductions.contains { $0.message == "клиенту не сказали, что будет дальше" } == true)
    }

    @Test func escalationCompletesCorrectnessOutcome() {
        // Given an accepted escalation where the policy requires one
        let scenario = S.printer(escalation: S.l2Policy)
        // When
        let card = S.card(scenario, [.reply("Hello, what error does it show?"), .escalate(target: "L2", note: goodNote)])
        // Then the outcome points are earned
        let correctness = card.score(.correctness)!
        #expect(correctness.evidence.contains { $0.kind == .credit && $0.rule == "outcome" && $0.message == "case routed to L2" })
        #expect(!correctness.deductions.contains { $0.rule == "outcome" })
    }
}
