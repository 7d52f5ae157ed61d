/// Politeness over the whole conversation: starts at 100 and deducts for impolite strategies found
/// in the trainee's free-text replies and for missing courtesies (greeting, acknowledging an upset
/// customer, a proper closing). Good behaviour is listed as credit evidence for the debrief.
///
/// Reads the `.politeness(hits:)` events the engine recorded; replies are not analysed again.
/// Does not apply (nil) when the trainee gave no free-text reply.
///
/// Only what the customer reads is judged for tone: the notes of `/close` and `/escalate` are
/// scored as notes (by the correctness and escalation scorers), never here. A closing is
/// expected only when the trainee ends the conversation (`/close`, `/escalate`); when the
/// scenario ends on the customer's own goodbye, there was no turn left to close in.
public struct PolitenessScorer: Scorer {
    public var category: Category { .politeness }
    public var analyzer: PolitenessAnalyzer
    /// Which reply of the conversation the transcript's first reply is (1 = the opening one, where
    /// a greeting is expected). `supportsim score --reply-index N` scores one reply from the middle
    /// of a conversation this way.
    public var firstReplyNumber: Int

    public init(analyzer: PolitenessAnalyzer, firstReplyNumber: Int = 1) {
        self.analyzer = analyzer
        self.firstReplyNumber = firstReplyNumber
    }

    /// Points per hit and the most one strategy can cost in a conversation.
    public static let deductions: [String: (points: Int, cap: Int)] = [
        PolitenessStrategy.insult: (40, 80),
        PolitenessStrategy.obscenity: (40, 80),
        PolitenessStrategy.blame: (20, 40),
        PolitenessStrategy.reproach: (15, 30),
        PolitenessStrategy.challenge: (10, 20),
        PolitenessStrategy.slang: (10, 20),
        // The tone model alone, without a lexicon phrase: the debrief quotes its nearest examples.
        ToneModel.rudeStrategy: (10, 20),
        PolitenessStrategy.dismissive: (15, 30),
        PolitenessStrategy.informal: (15, 30),
        PolitenessStrategy.sarcasm: (15, 30),
        PolitenessStrategy.shouting: (10, 20),
        PolitenessStrategy.exclamations: (5, 10),
        PolitenessStrategy.imperative: (5, 15),
    ]
    /// Strategies reported as "rude" rather than "impolite".
    static let rude: Set<String> = [
        PolitenessStrategy.insult, PolitenessStrategy.obscenity, PolitenessStrategy.blame,
        PolitenessStrategy.dismissive, PolitenessStrategy.sarcasm, PolitenessStrategy.reproach,
    ]
    public static let missingGreeting = 10
    public static let missingEmpathy = 10
    public static let missingClosing = 5

    public func score(_ transcript: Transcript, scenario: Scenario) -> CategoryScore? {
        let language = scenario.language
        let ru = language == .ru
        // Turns the engine counted as replies (free text and numbered choices), in order.
        let replies = transcript.turns.filter {
            switch $0.input { case .reply, .choice: true; default: false }
        }
        func isFreeText(_ turn: Turn) -> Bool { if case .reply = turn.input { true } else { false } }
        guard replies.contains(where: isFreeText) else { return nil }
        func hits(_ turn: Turn) -> [StrategyHit] {
            guard isFreeText(turn) else { return [] }
            return turn.events.flatMap { event -> [StrategyHit] in
                if case .politeness(let hits) = event { hits } else { [] }
            }
        }
        func has(_ turns: ArraySlice<Turn>, _ strategies: Set<String>) -> StrategyHit? {
            turns.lazy.flatMap(hits).first { strategies.contains($0.strategy) }
        }

        var evidence: [Evidence] = []
        var spent: [String: Int] = [:]
        var credited: Set<String> = []
        var sawInformal = false
        for turn in replies where isFreeText(turn) {
            for hit in hits(turn) {
                let label = PolitenessStrategy.label(hit.strategy, language: language)
                if hit.strategy == PolitenessStrategy.informal { sawInformal = true }
                if hit.weight < 0 {
                    let rule = Self.deductions[hit.strategy]
                        ?? (Int((abs(hit.weight) * 5).rounded()), Int((abs(hit.weight) * 10).rounded()))
                    let already = spent[hit.strategy, default: 0]
                    let points = max(0, min(rule.points, rule.cap - already))
                    spent[hit.strategy] = already + points
                    let kind = Self.rude.contains(hit.strategy) ? (ru ? "грубость" : "rude") : (ru ? "невежливо" : "impolite")
                    var message = "\(kind): \(label)"
                    if points < rule.points { message += ru ? " (повтор, лимит снятия исчерпан)" : " (repeated; limit reached)" }
                    evidence.append(Evidence(.deduction, points: points, turn: turn.number, quote: hit.span,
                                             rule: "politeness:\(hit.strategy)", message: message))
                } else if hit.weight > 0, !credited.contains(hit.strategy) {
                    credited.insert(hit.strategy)
                    evidence.append(Evidence(.credit, points: 0, turn: turn.number, quote: hit.span,
                                             rule: "politeness:\(hit.strategy)", message: label))
                }
            }
        }

        // The first reply should greet the customer.
        if firstReplyNumber == 1, let first = replies.first, isFreeText(first),
           has(replies.prefix(1), [PolitenessStrategy.greeting]) == nil {
            evidence.append(Evidence(.deduction, points: Self.missingGreeting, turn: first.number, rule: "politeness:no-greeting",
                                     message: ru ? "нет приветствия в первом ответе" : "no greeting in the first reply"))
        }

        // An upset customer should hear an apology or empathy early on.
        let early = replies.prefix(2)
        if let upset = early.first(where: { $0.moodBefore.isUpset }), early.contains(where: isFreeText) {
            if let hit = has(early, [PolitenessStrategy.apology, PolitenessStrategy.empathy, PolitenessStrategy.reassurance]) {
                evidence.append(Evidence(.credit, points: 0, quote: hit.span, rule: "politeness:acknowledged",
                                         message: ru ? "признал чувства расстроенного клиента" : "acknowledged the upset customer's feelings"))
            } else {
                evidence.append(Evidence(.deduction, points: Self.missingEmpathy, turn: upset.number, rule: "politeness:no-empathy",
                                         message: ru ? "клиент расстроен, но в начале нет ни извинения, ни сочувствия, ни поддержки"
                                                     : "customer was upset, but no apology, empathy or reassurance early on"))
            }
        }

        // A case the trainee closed or escalated should end with a closing or an offer of more
        // help in the last replies the customer read. When the scenario ended on the customer's
        // own line (a goodbye), the trainee had no turn left to close in.
        let endedByTrainee = transcript.turns.last.map { turn -> Bool in
            switch turn.input { case .close, .escalate: true; default: false }
        } ?? false
        let lastCustomerLine = transcript.turns.dropLast().reversed().lazy.compactMap { turn -> String? in
            turn.events.reversed().lazy.compactMap { event -> String? in
                if case .customerSays(let line) = event { line } else { nil }
            }.first
        }.first
        let customerSaidGoodbye = lastCustomerLine.map { line in
            analyzer.analyzeAll(line, context: ReplyContext(language: language, replyIndex: 2))
                .contains { $0.strategy == PolitenessStrategy.closing }
        } ?? false
        if endedByTrainee, !customerSaidGoodbye, transcript.ending == .resolved || transcript.ending == .escalated {
            let last = replies.suffix(2)
            if last.contains(where: isFreeText), has(last, [PolitenessStrategy.closing]) == nil {
                evidence.append(Evidence(.deduction, points: Self.missingClosing, turn: last.last?.number,
                                         rule: "politeness:no-closing",
                                         message: ru ? "нет завершения разговора и предложения дальнейшей помощи"
                                                     : "no closing or offer of further help"))
            }
        }

        if ru && !sawInformal {
            evidence.append(Evidence(.credit, points: 0, rule: "politeness:formal-address",
                                     message: "обращение на «Вы»"))
        }

        let lost = evidence.filter { $0.kind == .deduction }.reduce(0) { $0 + $1.points }
        return CategoryScore(category: .politeness, score: max(0, 100 - lost), evidence: evidence)
    }
}
