import Foundation

/// Escalation: escalated when the policy requires it and not when it forbids it; to an accepted
/// target of the right kind; at the right time; with a hand-off note the next line can act on; with
/// the customer told what happens next (and when); with ownership kept; and, where the request is
/// out of scope, refused politely with an alternative.
///
/// - `required`: no escalation scores 0. Otherwise from 100:
///   - wrong target −50 (`escalation:wrong-target`), or −50 as `escalation:wrong-kind` when the
///     target is of the other kind (a manager where a specialist team was needed, or the reverse);
///   - each `after` intent not matched before the escalation −20 (`escalation:too-early:<id>`);
///   - escalating only after the customer demanded a manager −20 (`escalation:too-late`);
///   - the note's missing items share 30 points (`escalation:note:<item>`);
///   - customer not told what happens next −15 (`escalation:customer-not-told`);
///   - with `time_frame`: no time frame given −10 (`escalation:no-time-frame`);
///   - with `ownership: required`: no follow-up promise −10 (`escalation:no-ownership`); otherwise a
///     follow-up promise is only noted as credit.
/// - `forbidden`: 0 with an escalation. Without one 100, and with a `refusal` block: no refusal −40
///   (`escalation:no-refusal`), no alternative −30 (`escalation:no-alternative`), a rude refusal −15
///   (`escalation:impolite-refusal`).
/// - `optional`: does not apply (nil) unless the escalation went to a target outside the accepted
///   ones, which scores 50.
///
/// All phrases are matched with the scenario's vocabulary. Messages are in the scenario's language.
public struct EscalationScorer: Scorer {
    public var category: Category { .escalation }

    public static let wrongTarget = 50
    public static let tooEarly = 20
    public static let tooLate = 20
    public static let notePoints = 30
    public static let customerNotTold = 15
    public static let noTimeFrame = 10
    public static let noOwnership = 10
    public static let noRefusal = 40
    public static let noAlternative = 30
    public static let impoliteRefusal = 15
    /// An escalation to a `forbidden_to` target (refused; the conversation went on).
    public static let forbiddenTarget = 30
    /// A required referral never made.
    public static let referralMissed = 50
    /// A forbidden referral attempted (refused).
    public static let referralForbidden = 30
    /// A referral made at a node outside its `at`.
    public static let referralWrongNode = 20
    /// Shared among the note items a referral's note must mention.
    public static let referralNotePoints = 30

    public init() {}

    /// Which of the scenario's `note_must_mention` items a hand-off note mentions, matched the way
    /// the score matches them (with the scenario's vocabulary). Used for the debrief and for the
    /// feedback shown right after `/escalate`.
    public static func noteCoverage(_ note: String, scenario: Scenario) -> [(item: NoteItem, mentioned: Bool)] {
        let vocabulary = scenario.matchingVocabulary
        return scenario.escalation.noteMustMention.map { item in
            (item, Matcher.match(item.match, in: note, vocabulary: vocabulary) != nil)
        }
    }

    /// The escalation part of the category (referrals are added by `score`, see ReferralScoring.swift).
    func escalationScore(_ transcript: Transcript, scenario: Scenario) -> CategoryScore? {
        let ru = scenario.language == .ru
        let policy = scenario.escalation
        let vocabulary = scenario.matchingVocabulary
        func matches(_ rule: MatchRule, _ text: String) -> Bool {
            Matcher.match(rule, in: text, vocabulary: vocabulary) != nil
        }
        /// The first free-text reply matching the rule.
        func firstReply(_ rule: MatchRule) -> Turn? {
            transcript.turns.first { turn in
                if case .reply(let text) = turn.input { matches(rule, text) } else { false }
            }
        }

        var escalation: (turn: Turn, target: String, note: String, accepted: Bool)?
        // Escalations to a `forbidden_to` target were refused and the conversation went on: each
        // is a mistake of its own, and the escalation that counts is the first one not refused.
        var refused: [(turn: Turn, target: String)] = []
        for turn in transcript.turns {
            for case .escalated(let target, let note, let accepted) in turn.events {
                if policy.requirement != .forbidden, policy.isForbiddenTarget(target) {
                    refused.append((turn, target))
                } else if escalation == nil {
                    escalation = (turn, target, note, accepted)
                }
            }
        }
        let expected = policy.targets.joined(separator: ru ? " или " : " or ")
        let refusedEvidence = refused.prefix(1).map { r in
            Evidence(.deduction, points: Self.forbiddenTarget, turn: r.turn.number, quote: r.turn.input.text,
                     rule: "escalation:forbidden-target",
                     message: (ru ? "эскалация на \(r.target) отклонена: туда передавать нельзя" : "escalation to \(r.target) refused: a target this case must not go to")
                        + (policy.reason.map { ": \($0)" } ?? ""))
        }

        switch policy.requirement {
        case .optional:
            guard let e = escalation, !e.accepted else {
                guard !refusedEvidence.isEmpty else { return nil }
                return CategoryScore(category: .escalation, score: 100 - Self.forbiddenTarget, evidence: refusedEvidence)
            }
            let evidence = refusedEvidence + [wrongTarget(e.turn, e.target, policy, expected, ru)]
            let lost = evidence.reduce(0) { $0 + $1.points }
            return CategoryScore(category: .escalation, score: max(0, 100 - lost), evidence: evidence)

        case .forbidden:
            let reason = policy.reason.map { ": \($0)" } ?? ""
            if let e = escalation {
                return CategoryScore(category: .escalation, score: 0, evidence: [
                    Evidence(.deduction, points: 100, turn: e.turn.number, quote: e.turn.input.text, rule: "escalation:unnecessary",
                             message: (ru ? "лишняя эскалация" : "unnecessary escalation") + reason),
                ])
            }
            var evidence = [
                Evidence(.credit, points: 0, rule: "escalation:not-needed",
                         message: (ru ? "правильно решено без эскалации" : "correctly handled without escalation") + reason),
            ]
            if let refusal = policy.refusal {
                evidence += refusalEvidence(refusal, transcript: transcript, firstReply: firstReply, ru: ru)
            }
            let lost = evidence.filter { $0.kind == .deduction }.reduce(0) { $0 + $1.points }
            return CategoryScore(category: .escalation, score: max(0, 100 - lost), evidence: evidence)

        case .required:
            guard let e = escalation else {
                return CategoryScore(category: .escalation, score: 0, evidence: refusedEvidence + [
                    Evidence(.deduction, points: 100, rule: "escalation:missed",
                             message: ru ? "эскалация пропущена" + (expected.isEmpty ? "" : " (нужно передать: \(expected))")
                                         : "escalation missed" + (expected.isEmpty ? "" : " (expected \(expected))")),
                ])
            }
            var evidence: [Evidence] = refusedEvidence

            // Decision and target.
            if e.accepted {
                evidence.append(Evidence(.credit, points: 0, turn: e.turn.number, rule: "escalation:target",
                                         message: ru ? "передано на \(e.target)" : "escalated to \(e.target)"))
            } else {
                evidence.append(wrongTarget(e.turn, e.target, policy, expected, ru))
            }

            // Timing: the required diagnostics before the escalation...
            var before: Set<String> = []
            for turn in transcript.turns where turn.index < e.turn.index {
                for case .intentMatched(let id, _, _, _, _) in turn.events { before.insert(id) }
            }
            let early = policy.after.filter { !before.contains($0) }
            for id in early {
                let description = scenario.intent(id)?.description ?? id
                evidence.append(Evidence(.deduction, points: Self.tooEarly, turn: e.turn.number, quote: e.turn.input.text,
                                         rule: "escalation:too-early:\(id)",
                                         message: (ru ? "эскалация до шага: " : "escalated before: ") + description))
            }
            // ...and before the customer gave up.
            let demanded = transcript.turns.first { $0.events.contains(.demandsManager) }
            if let demanded, demanded.index <= e.turn.index {
                evidence.append(Evidence(.deduction, points: Self.tooLate, turn: e.turn.number, quote: e.turn.input.text,
                                         rule: "escalation:too-late",
                                         message: ru ? "эскалация только после того, как клиент потребовал руководителя (ход \(demanded.number ?? demanded.index))"
                                                     : "escalated only after the customer demanded a manager (turn \(demanded.number ?? demanded.index))"))
            }
            if !policy.after.isEmpty && early.isEmpty {
                evidence.append(Evidence(.credit, points: 0, turn: e.turn.number, rule: "escalation:timing",
                                         message: ru ? "\(e.target) после диагностики" : "\(e.target) after diagnosis"))
            }

            // The hand-off note: 30 points shared among the items it must mention.
            let items = Self.noteCoverage(e.note, scenario: scenario)
            if !items.isEmpty {
                let share = Self.notePoints / items.count, extra = Self.notePoints % items.count
                var mentioned = 0
                for (k, (item, found)) in items.enumerated() {
                    if found {
                        mentioned += 1
                    } else {
                        evidence.append(Evidence(.deduction, points: share + (k < extra ? 1 : 0), turn: e.turn.number,
                                                 quote: e.note, rule: "escalation:note:\(item.id)",
                                                 message: (ru ? "в записке для передачи не указано: " : "hand-off note does not mention: ")
                                                    + EscalationDefaults.label(item.id, ru: ru)))
                    }
                }
                evidence.append(Evidence(.credit, points: 0, turn: e.turn.number, rule: "escalation:note",
                                         message: mentioned == items.count
                                            ? (ru ? "записка полная \(mentioned)/\(items.count)" : "note complete \(mentioned)/\(items.count)")
                                            : (ru ? "записка: \(mentioned)/\(items.count)" : "note mentions \(mentioned)/\(items.count)")))
            }

            // The customer told what happens next, in any free-text reply...
            if let rule = policy.tellCustomer {
                if let told = firstReply(rule) {
                    evidence.append(Evidence(.credit, points: 0, turn: told.number, quote: told.input.text,
                                             rule: "escalation:told-customer",
                                             message: ru ? "клиенту сказали, что будет дальше" : "customer told what happens next"))
                } else {
                    evidence.append(Evidence(.deduction, points: Self.customerNotTold, turn: e.turn.number,
                                             rule: "escalation:customer-not-told",
                                             message: ru ? "клиенту не сказали, что будет дальше" : "customer not told what happens next"))
                }
            }
            // ...and when.
            if let rule = policy.timeFrame {
                if let told = firstReply(rule) {
                    evidence.append(Evidence(.credit, points: 0, turn: told.number, quote: told.input.text,
                                             rule: "escalation:time-frame",
                                             message: ru ? "клиенту назвали срок" : "customer given a time frame"))
                } else {
                    evidence.append(Evidence(.deduction, points: Self.noTimeFrame, turn: e.turn.number,
                                             rule: "escalation:no-time-frame",
                                             message: ru ? "клиенту не назвали срок (например, «в течение часа»)"
                                                         : "customer not given a time frame (e.g. \"within the hour\")"))
                }
            }

            // Ownership: the trainee keeps following the case.
            let ownership = policy.ownership ?? OwnershipRule(required: false, match: EscalationDefaults.ownership(scenario.language))
            if let owned = firstReply(ownership.match) {
                evidence.append(Evidence(.credit, points: 0, turn: owned.number, quote: owned.input.text,
                                         rule: "escalation:ownership",
                                         message: ru ? "обещал(а) проследить за заявкой" : "kept ownership: promised to follow up"))
            } else if ownership.required {
                evidence.append(Evidence(.deduction, points: Self.noOwnership, turn: e.turn.number,
                                         rule: "escalation:no-ownership",
                                         message: ru ? "не сказано, что Вы проследите за заявкой (например, «я прослежу и сообщу Вам»)"
                                                     : "no promise to follow up (e.g. \"I'll keep you updated\")"))
            }

            let lost = evidence.filter { $0.kind == .deduction }.reduce(0) { $0 + $1.points }
            return CategoryScore(category: .escalation, score: max(0, 100 - lost), evidence: evidence)
        }
    }

    /// A refusal and an alternative in the replies, and no rudeness in the refusal.
    private func refusalEvidence(_ refusal: RefusalRule, transcript: Transcript, firstReply: (MatchRule) -> Turn?,
                                 ru: Bool) -> [Evidence] {
        var evidence: [Evidence] = []
        if let refused = firstReply(refusal.match) {
            let rude = refused.events.flatMap { event -> [StrategyHit] in
                if case .politeness(let hits) = event { hits.filter { $0.weight <= -2 } } else { [] }
            }
            if let hit = rude.first {
                evidence.append(Evidence(.deduction, points: Self.impoliteRefusal, turn: refused.number, quote: hit.span,
                                         rule: "escalation:impolite-refusal",
                                         message: ru ? "отказ прозвучал грубо" : "the refusal was impolite"))
            } else {
                evidence.append(Evidence(.credit, points: 0, turn: refused.number, quote: refused.input.text,
                                         rule: "escalation:refusal",
                                         message: ru ? "вежливо отказал(а) в просьбе вне регламента" : "politely refused the out-of-scope request"))
            }
        } else {
            evidence.append(Evidence(.deduction, points: Self.noRefusal, rule: "escalation:no-refusal",
                                     message: ru ? "нет ясного вежливого отказа в просьбе вне регламента"
                                                 : "no clear, polite refusal of the out-of-scope request"))
        }
        if let offered = firstReply(refusal.alternative) {
            evidence.append(Evidence(.credit, points: 0, turn: offered.number, quote: offered.input.text,
                                     rule: "escalation:alternative",
                                     message: ru ? "предложена альтернатива" : "offered an alternative"))
        } else {
            evidence.append(Evidence(.deduction, points: Self.noAlternative, rule: "escalation:no-alternative",
                                     message: ru ? "отказ без альтернативы: клиенту не предложили, что можно сделать вместо этого"
                                                 : "refusal without an alternative: the customer was not offered another way"))
        }
        return evidence
    }

    private func wrongTarget(_ turn: Turn, _ target: String, _ policy: EscalationPolicy, _ expected: String, _ ru: Bool) -> Evidence {
        let attempted = policy.kind(of: target)
        if let needed = policy.requiredKind, needed != attempted {
            let message: String
            switch (attempted, ru) {
            case (.hierarchical, true):
                message = "иерархическая эскалация (\(target)) вместо функциональной: нужна передача специалистам \(expected)"
            case (.hierarchical, false):
                message = "hierarchical escalation (\(target)) where a functional one was needed: hand it to \(expected)"
            case (.functional, true):
                message = "функциональная эскалация (\(target)) вместо иерархической: нужно подключить \(expected)"
            case (.functional, false):
                message = "functional escalation (\(target)) where a hierarchical one was needed: involve \(expected)"
            }
            return Evidence(.deduction, points: Self.wrongTarget, turn: turn.number, quote: turn.input.text,
                            rule: "escalation:wrong-kind", message: message)
        }
        return Evidence(.deduction, points: Self.wrongTarget, turn: turn.number, quote: turn.input.text, rule: "escalation:wrong-target",
                        message: ru ? "неверная линия: \(target), ожидалась \(expected)" : "wrong target: \(target), expected \(expected)")
    }
}

/// Built-in phrase sets for the escalation checks, so that scenarios can say
/// `note_must_mention: [summary, urgency, tried]` or `time_frame: true` without writing rules.
public enum EscalationDefaults {
    /// The standard hand-off note items, in the order the docs list them.
    public static let noteItems = ["summary", "impact", "urgency", "tried", "contact", "told"]

    /// The built-in rule for a standard note item, or nil for another id.
    public static func noteItem(_ id: String, language: Language) -> MatchRule? {
        let en = language == .en
        switch id {
        case "summary":
            return en
                ? MatchRule(any: ["problem", "issue", "error", "fail", "not working", "doesn't work", "does not work",
                                  "broken", "can't", "cannot", "unable", "won't", "stuck", "locked out", "deleted", "lost"])
                : MatchRule(any: ["проблем", "ошибк", "не работает", "не печатает", "не открывается", "не запускается",
                                  "не удается", "не может", "не могут", "сломал", "удален", "удалил", "пропал", "завис",
                                  "не подключается", "сбой"])
        case "impact", "urgency":
            return en
                ? MatchRule(any: ["urgent", "asap", "today", "deadline", "meeting", "blocked", "blocking", "can't work",
                                  "cannot work", "several users", "everyone", "whole team", "all users", "high priority",
                                  "critical", "impact", "affects", "affected"])
                : MatchRule(any: ["срочн", "сегодня", "к обеду", "до обеда", "дедлайн", "горит", "блокир",
                                  "не может работать", "не могут работать", "весь отдел", "всего отдела", "все сотрудники",
                                  "высокий приоритет", "критичн", "директор", "руководител", "влияет", "затрагивает"])
        case "tried":
            return en
                ? MatchRule(any: ["tried", "checked", "restarted", "rebooted", "cleared", "cancelled", "canceled",
                                  "power cycled", "power-cycled", "reinstalled", "reset", "verified", "no luck",
                                  "didn't help", "did not help", "still"])
                : MatchRule(any: ["провер", "пробовал", "пробовали", "перезагруж", "перезагрузил", "перезапуст",
                                  "очистил", "очищен", "переустанов", "не помогл", "не помогает", "безрезультатно",
                                  "по-прежнему", "все равно"])
        case "contact":
            // Regular expressions only: a phone number or an e-mail address counts as much as a word.
            return MatchRule(regex: [
                #"\+?\d[\d\s()-]{5,}\d"#, #"[\w.+-]+@[\w-]+\.[\w.]+"#,
                en ? #"\b(call|phone|mobile|e-?mail|ext|extension|contact|reach)"#
                   : #"(звонить|телефон|тел\.|почт|e-?mail|добавочн|связаться|контакт|мобильн|ждет звонка|ждёт звонка)"#,
            ])
        case "told":
            return en
                ? MatchRule(any: ["customer told", "told the customer", "user told", "told the user", "informed",
                                  "was told", "expects a call", "expecting a call", "waiting for a call", "promised",
                                  "customer knows", "user knows", "advised"])
                : MatchRule(any: ["сказано", "сказали", "сообщил", "сообщили", "проинформирован", "предупрежден",
                                  "ждет звонка", "ждет ответа", "обещал", "обещали", "в курсе", "знает, что"])
        default:
            return nil
        }
    }

    /// "within", "by 3 pm", «в течение», digits with hours or minutes.
    public static func timeFrame(_ language: Language) -> MatchRule {
        // Regular expressions only, so that any one of them is enough (parts of a rule must all hold).
        let common = [
            #"\d+\s*(-|–|to|до)?\s*\d*\s*(min|mins|minutes?|hours?|hrs?|h\b|days?|мин|час|ч\b|дн|дня|дней|сут)"#,
            #"\d{1,2}[:.]\d{2}"#,
        ]
        return language == .en
            ? MatchRule(regex: common + [
                #"\b(by|before|until)\s+(\d|noon|midday|tonight|tomorrow|today|the end|end of|monday|tuesday|wednesday|thursday|friday|lunch)"#,
                #"\b(within|in the next|end of (the )?day|this (afternoon|morning|evening)|later today|tomorrow|half an hour|an hour|the hour)\b"#,
            ])
            : MatchRule(regex: common + [
                #"(в течени[ея]|до конца (рабочего )?дня|к концу дня|сегодня|завтра|к обеду|до обеда|через (пол)?часа?|полчаса|до вечера|к \d)"#,
            ])
    }

    /// «я прослежу», "I'll keep you updated", "I'll follow up".
    public static func ownership(_ language: Language) -> MatchRule {
        language == .en
            ? MatchRule(any: ["i'll follow up", "i will follow up", "follow up on", "follow it up", "keep you updated",
                              "keep you posted", "keep you informed", "i'll keep an eye", "i will keep an eye",
                              "i'll check back", "i will check back", "i'll call you back", "i will call you back",
                              "i'll get back to you", "i will get back to you", "i'll make sure", "i will make sure",
                              "i'll keep the ticket", "keep the ticket open", "i'll stay on", "i'll check in"])
            : MatchRule(any: ["прослежу", "проконтролирую", "буду держать Вас в курсе", "держать Вас в курсе",
                              "буду держать в курсе", "сообщу Вам", "я Вам сообщу", "перезвоню", "я свяжусь", "свяжусь с Вами",
                              "заявка остается у меня", "остаюсь на связи", "буду на связи", "лично проверю",
                              "я проверю, что", "держу на контроле", "на контроле"])
    }

    /// «к сожалению, не могу», "I'm not able to".
    public static func refusal(_ language: Language) -> MatchRule {
        language == .en
            ? MatchRule(any: ["can't", "cannot", "can not", "not able", "unable", "not allowed", "won't be able",
                              "isn't possible", "is not possible", "isn't something i can", "is not something i can"])
            : MatchRule(any: ["не могу", "не можем", "не получится", "не имею права", "не имеем права", "нельзя",
                              "не положено", "невозможно", "не разрешается", "не допускается"])
    }

    /// "instead", "you can", «могу предложить».
    public static func alternative(_ language: Language) -> MatchRule {
        language == .en
            ? MatchRule(any: ["instead", "alternatively", "what i can do", "you can", "he can", "she can", "they can",
                              "the quickest way", "another way", "other option", "another option", "the best way"])
            : MatchRule(any: ["вместо", "зато", "могу предложить", "предлагаю", "можно", "Вы можете", "он может",
                              "она может", "альтернатив", "другой способ", "другой вариант", "самый быстрый способ"])
    }

    /// A readable name for a note item in `language`: the standard items have names in both
    /// languages; a scenario's own item id is shown as the trainer wrote it.
    public static func label(_ id: String, language: Language) -> String { label(id, ru: language == .ru) }

    /// A readable name for a note item.
    static func label(_ id: String, ru: Bool) -> String {
        guard ru else {
            switch id {
            case "summary": return "summary of the problem"
            case "impact": return "impact"
            case "urgency": return "urgency"
            case "tried": return "what was tried"
            case "contact": return "customer contact"
            case "told": return "what the customer was told"
            default: return id
            }
        }
        switch id {
        case "summary": return "суть проблемы"
        case "impact": return "влияние на работу"
        case "urgency": return "срочность"
        case "tried": return "что уже сделано"
        case "contact": return "контакт клиента"
        case "told": return "что сказали клиенту"
        default: return id
        }
    }
}
