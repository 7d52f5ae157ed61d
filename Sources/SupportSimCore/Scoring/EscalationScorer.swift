/// Escalation: escalated when the policy requires it and not when it forbids it; to an accepted
/// target; not before the required diagnostics; with a hand-off note the next line can act on; and
/// with the customer told what happens next.
///
/// - `required`: no escalation scores 0. Otherwise from 100: wrong target −50, each required intent
///   not matched before the escalation −20, the note's missing items share 30 points, customer not
///   told −15.
/// - `forbidden`: 100 without an escalation, 0 with one.
/// - `optional`: does not apply (nil) unless the escalation went to a target outside the accepted
///   ones, which scores 50.
public struct EscalationScorer: Scorer {
    public var category: Category { .escalation }

    public static let wrongTarget = 50
    public static let tooEarly = 20
    public static let notePoints = 30
    public static let customerNotTold = 15

    public init() {}

    public func score(_ transcript: Transcript, scenario: Scenario) -> CategoryScore? {
        let ru = scenario.language == .ru
        let policy = scenario.escalation

        var escalation: (turn: Turn, target: String, note: String, accepted: Bool)?
        for turn in transcript.turns {
            for case .escalated(let target, let note, let accepted) in turn.events where escalation == nil {
                escalation = (turn, target, note, accepted)
            }
        }
        let expected = policy.targets.joined(separator: ru ? " или " : " or ")

        switch policy.requirement {
        case .optional:
            guard let e = escalation, !e.accepted else { return nil }
            return CategoryScore(category: .escalation, score: 100 - Self.wrongTarget, evidence: [
                wrongTarget(e.turn, e.target, expected, ru),
            ])

        case .forbidden:
            let reason = policy.reason.map { ": \($0)" } ?? ""
            guard let e = escalation else {
                return CategoryScore(category: .escalation, score: 100, evidence: [
                    Evidence(.credit, points: 0, rule: "escalation:not-needed",
                             message: (ru ? "правильно решено без эскалации" : "correctly handled without escalation") + reason),
                ])
            }
            return CategoryScore(category: .escalation, score: 0, evidence: [
                Evidence(.deduction, points: 100, turn: e.turn.index, quote: e.turn.input.text, rule: "escalation:unnecessary",
                         message: (ru ? "лишняя эскалация" : "unnecessary escalation") + reason),
            ])

        case .required:
            guard let e = escalation else {
                return CategoryScore(category: .escalation, score: 0, evidence: [
                    Evidence(.deduction, points: 100, rule: "escalation:missed",
                             message: ru ? "эскалация пропущена" + (expected.isEmpty ? "" : " (нужно передать: \(expected))")
                                         : "escalation missed" + (expected.isEmpty ? "" : " (expected \(expected))")),
                ])
            }
            var evidence: [Evidence] = []

            // Target.
            if e.accepted {
                evidence.append(Evidence(.credit, points: 0, turn: e.turn.index, rule: "escalation:target",
                                         message: ru ? "передано на \(e.target)" : "escalated to \(e.target)"))
            } else {
                evidence.append(wrongTarget(e.turn, e.target, expected, ru))
            }

            // Timing: the required diagnostics before the escalation.
            var before: Set<String> = []
            for turn in transcript.turns where turn.index < e.turn.index {
                for case .intentMatched(let id, _, _, _, _) in turn.events { before.insert(id) }
            }
            let early = policy.after.filter { !before.contains($0) }
            for id in early {
                let description = scenario.intent(id)?.description ?? id
                evidence.append(Evidence(.deduction, points: Self.tooEarly, turn: e.turn.index, quote: e.turn.input.text,
                                         rule: "escalation:too-early:\(id)",
                                         message: (ru ? "эскалация до шага: " : "escalated before: ") + description))
            }
            if !policy.after.isEmpty && early.isEmpty {
                evidence.append(Evidence(.credit, points: 0, turn: e.turn.index, rule: "escalation:timing",
                                         message: ru ? "\(e.target) после диагностики" : "\(e.target) after diagnosis"))
            }

            // The hand-off note: 30 points shared among the items it must mention.
            let items = policy.noteMustMention
            if !items.isEmpty {
                let share = Self.notePoints / items.count, extra = Self.notePoints % items.count
                var mentioned = 0
                for (k, item) in items.enumerated() {
                    if Matcher.match(item.match, in: e.note) != nil {
                        mentioned += 1
                    } else {
                        evidence.append(Evidence(.deduction, points: share + (k < extra ? 1 : 0), turn: e.turn.index,
                                                 quote: e.note, rule: "escalation:note:\(item.id)",
                                                 message: (ru ? "в записке для передачи не указано: " : "hand-off note does not mention: ") + item.id))
                    }
                }
                evidence.append(Evidence(.credit, points: 0, turn: e.turn.index, rule: "escalation:note",
                                         message: mentioned == items.count
                                            ? (ru ? "записка полная \(mentioned)/\(items.count)" : "note complete \(mentioned)/\(items.count)")
                                            : (ru ? "записка: \(mentioned)/\(items.count)" : "note mentions \(mentioned)/\(items.count)")))
            }

            // The customer told what happens next, in any free-text reply.
            if let rule = policy.tellCustomer {
                let told = transcript.turns.first { turn in
                    if case .reply(let text) = turn.input { Matcher.match(rule, in: text) != nil } else { false }
                }
                if let told {
                    evidence.append(Evidence(.credit, points: 0, turn: told.index, quote: told.input.text,
                                             rule: "escalation:told-customer",
                                             message: ru ? "клиенту сказали, что будет дальше" : "customer told what happens next"))
                } else {
                    evidence.append(Evidence(.deduction, points: Self.customerNotTold, turn: e.turn.index,
                                             rule: "escalation:customer-not-told",
                                             message: ru ? "клиенту не сказали, что будет дальше" : "customer not told what happens next"))
                }
            }

            let lost = evidence.filter { $0.kind == .deduction }.reduce(0) { $0 + $1.points }
            return CategoryScore(category: .escalation, score: max(0, 100 - lost), evidence: evidence)
        }
    }

    private func wrongTarget(_ turn: Turn, _ target: String, _ expected: String, _ ru: Bool) -> Evidence {
        Evidence(.deduction, points: Self.wrongTarget, turn: turn.index, quote: turn.input.text, rule: "escalation:wrong-target",
                 message: ru ? "неверная линия: \(target), ожидалась \(expected)" : "wrong target: \(target), expected \(expected)")
    }
}
