import Testing
@testable import SupportSimCore

/// Escalation scoring v2: kinds of escalation, lateness, standard note items, time frame,
/// ownership and refusals.
@Suite("Scoring: escalation v2")
struct ScoringEscalationV2Tests {
    typealias S = ScoringScenarios

    static let network = EscalationPolicy(
        requirement: .required, targets: ["L2-network"], after: ["ask_error"],
        noteMustMention: ["summary", "tried", "contact"].map { NoteItem(id: $0, match: EscalationDefaults.noteItem($0, language: .en)!) },
        tellCustomer: MatchRule(any: ["network team"]),
        timeFrame: EscalationDefaults.timeFrame(.en),
        ownership: OwnershipRule(required: true, match: EscalationDefaults.ownership(.en)))

    static let goodNote = "Printer error 13.A2; tried restarting, still failing. Call Anna on ext. 4412."

    func score(_ inputs: [TraineeInput], policy: EscalationPolicy = network, language: Language = .en,
               patience: Int = 5) -> CategoryScore? {
        let scenario = S.printer(language: language, patience: patience, escalation: policy)
        return EscalationScorer().score(S.play(scenario, inputs), scenario: scenario)
    }

    @Test func completeEscalationScoresFullWithCredits() {
        let e = score([
            .reply("Hello, what error does it show?"),
            .reply("I'm passing this to our network team; they will call you within 30 minutes. I'll follow up myself."),
            .escalate(target: "l2-network", note: Self.goodNote),
        ])
        #expect(e?.score == 100, "\(e?.deductions ?? [])")
        let rules = Set(e?.evidence.map(\.rule) ?? [])
        #expect(rules.isSuperset(of: ["escalation:time-frame", "escalation:ownership", "escalation:told-customer", "escalation:note"]))
    }

    @Test func hierarchicalInsteadOfFunctionalIsItsOwnError() {
        let e = score([.reply("What error do you see?"), .escalate(target: "manager", note: Self.goodNote)])
        let rules = e?.deductions.map(\.rule) ?? []
        #expect(rules.contains("escalation:wrong-kind"))
        #expect(!rules.contains("escalation:wrong-target"))
        #expect(e?.deductions.first { $0.rule == "escalation:wrong-kind" }?.message.hasPrefix("hierarchical escalation (manager)") == true)
    }

    @Test func functionalInsteadOfHierarchicalIsItsOwnError() {
        let policy = EscalationPolicy(requirement: .required, targets: ["supervisor"])
        let e = score([.escalate(target: "L2", note: "x")], policy: policy)
        #expect(e?.deductions.map(\.rule) == ["escalation:wrong-kind"])
        #expect(e?.score == 50)
    }

    @Test func declaredKindsOverrideTheName() {
        let policy = EscalationPolicy(requirement: .required, targets: ["duty-lead"], targetKinds: ["duty-lead": .functional])
        #expect(policy.kind(of: "Duty-Lead") == .functional)
        #expect(policy.requiredKind == .functional)
        #expect(EscalationKind.infer("руководитель") == .hierarchical)
        #expect(EscalationKind.infer("L2-backup") == .functional)
    }

    @Test func russianWrongKindMessage() {
        let e = score([.reply("Какая ошибка?"), .escalate(target: "руководителю", note: "ошибка")], language: .ru)
        #expect(e?.deductions.contains { $0.rule == "escalation:wrong-kind" && $0.message.hasPrefix("иерархическая эскалация") } == true)
    }

    @Test func earlyEscalationToTheRightTeamLosesTimingOnly() {
        let e = score([
            .reply("Our network team will call you within the hour, and I'll follow up."),
            .escalate(target: "L2-network", note: Self.goodNote),
        ])
        #expect(e?.deductions.map(\.rule) == ["escalation:too-early:ask_error"])
        #expect(e?.score == 80)
    }

    @Test func escalatingAfterTheCustomerDemandedAManagerIsLate() {
        // Patience 0: the first bad reply makes the customer demand a manager.
        let e = score([
            .reply("blah"),
            .reply("What error is it? Our network team will call you within the hour; I'll follow up."),
            .escalate(target: "L2-network", note: Self.goodNote),
        ], patience: 0)
        #expect(e?.deductions.map(\.rule) == ["escalation:too-late"])
        #expect(e?.deductions.first?.message.contains("demanded a manager (turn 1)") == true)
    }

    @Test func missingTimeFrameAndOwnershipCostPoints() {
        let e = score([
            .reply("What error do you see? Our network team will take it from here."),
            .escalate(target: "L2-network", note: Self.goodNote),
        ])
        #expect(Set(e?.deductions.map(\.rule) ?? []) == ["escalation:no-time-frame", "escalation:no-ownership"])
        #expect(e?.score == 80)
    }

    @Test func ownershipIsOnlyCreditedUnlessRequired() {
        var policy = Self.network
        policy.ownership = nil
        let e = score([
            .reply("What error do you see? Our network team will call you within 2 hours."),
            .escalate(target: "L2-network", note: Self.goodNote),
        ], policy: policy)
        #expect(e?.score == 100)
        #expect(e?.evidence.contains { $0.rule == "escalation:ownership" } == false)
    }

    @Test func standardNoteItemsUseBuiltInPhrases() {
        let e = score([
            .reply("What error do you see? Our network team will call you within 2 hours; I'll keep you updated."),
            .escalate(target: "L2-network", note: "Printer broken."),
        ])
        #expect(Set(e?.deductions.map(\.rule) ?? []) == ["escalation:note:tried", "escalation:note:contact"])
        #expect(e?.deductions.first?.message == "hand-off note does not mention: what was tried")
    }

    @Test func timeFrameDefaults() {
        let en = EscalationDefaults.timeFrame(.en), ru = EscalationDefaults.timeFrame(.ru)
        for text in ["within the hour", "by 3 pm", "in 30 minutes", "by tomorrow", "at 11:30"] {
            #expect(Matcher.match(en, in: text) != nil, "\(text)")
        }
        for text in ["в течение часа", "через 2 часа", "до конца дня", "к 15:00"] {
            #expect(Matcher.match(ru, in: text) != nil, "\(text)")
        }
        #expect(Matcher.match(en, in: "someone will contact you") == nil)
    }

    // MARK: - Refusals

    static let refusal = EscalationPolicy(
        requirement: .forbidden, reason: "out of scope",
        refusal: RefusalRule(match: EscalationDefaults.refusal(.en), alternative: EscalationDefaults.alternative(.en)))

    @Test func politeRefusalWithAlternative() {
        let e = score([.reply("I'm sorry, I'm not able to do that. Instead, you can use the self-service portal.")],
                      policy: Self.refusal)
        #expect(e?.score == 100)
        #expect(e?.evidence.contains { $0.rule == "escalation:refusal" } == true)
        #expect(e?.evidence.contains { $0.rule == "escalation:alternative" } == true)
    }

    @Test func refusalWithoutAlternativeLosesPoints() {
        let e = score([.reply("I'm sorry, I'm not able to do that.")], policy: Self.refusal)
        #expect(e?.deductions.map(\.rule) == ["escalation:no-alternative"])
        #expect(e?.score == 70)
    }

    @Test func noRefusalAtAll() {
        let e = score([.reply("Hmm, let me think.")], policy: Self.refusal)
        #expect(Set(e?.deductions.map(\.rule) ?? []) == ["escalation:no-refusal", "escalation:no-alternative"])
        #expect(e?.score == 30)
    }

    @Test func escalatingAnywayIsWrong() {
        let e = score([.reply("I can't do that, but you can use the portal."), .escalate(target: "L2", note: "x")],
                      policy: Self.refusal)
        #expect(e?.score == 0)
        #expect(e?.deductions.first?.rule == "escalation:unnecessary")
    }

    @Test func russianRefusalMessages() {
        let policy = EscalationPolicy(requirement: .forbidden,
                                      refusal: RefusalRule(match: EscalationDefaults.refusal(.ru),
                                                           alternative: EscalationDefaults.alternative(.ru)))
        let e = score([.reply("К сожалению, я не могу этого сделать.")], policy: policy, language: .ru)
        #expect(e?.deductions.first?.message.hasPrefix("отказ без альтернативы") == true)
    }
}
