/// Correctness: did the trainee do what each visited step expected, avoid harmful advice, and reach
/// a proper outcome?
///
/// Possible points: for each distinct node visited, the points of its intents without `next` plus the
/// highest points among its intents with `next` (only one branch can be taken), plus
/// `scoring.outcomePoints`. Earned: each matched intent once, plus the outcome points when the case
/// was resolved, or escalated to an accepted target where escalating is not forbidden.
/// Deducted (same scale): harmful replies (their penalty), replies that matched nothing
/// (`fallbackPenalty`), hints (`hintCost`), closing the ticket unresolved (`closedEarlyPenalty`),
/// and a `/close` note too short to tell the next reader what was done (`unclearNotePenalty`: fewer
/// than `clearNoteWords` words). The note is judged as a note, for clarity, never for tone.
/// Score = round(100 × max(0, earned − deducted) / possible). Deduction evidence is expressed on the
/// 0–100 scale and adds up to 100 − score.
public struct CorrectnessScorer: Scorer {
    public var category: Category { .correctness }
    /// Points (on the scenario's scale) lost for `/close` before the problem is solved.
    public var closedEarlyPenalty: Int
    /// Points (on the scenario's scale) lost for a `/close` note that does not say what was done.
    public var unclearNotePenalty: Int
    /// The fewest words a `/close` note needs to say what was done ("printer restarted, prints again").
    public static let clearNoteWords = 3

    public init(closedEarlyPenalty: Int = 10, unclearNotePenalty: Int = 5) {
        self.closedEarlyPenalty = closedEarlyPenalty
        self.unclearNotePenalty = unclearNotePenalty
    }

    /// Words of a note: runs of letters or digits.
    static func wordCount(_ note: String) -> Int {
        note.split { !($0.isLetter || $0.isNumber) }.count
    }

    public func score(_ transcript: Transcript, scenario: Scenario) -> CategoryScore? {
        let ru = scenario.language == .ru
        let scoring = scenario.scoring

        // What was matched, with the turn and the words.
        var matched: [String: (turn: Int?, quote: String)] = [:]
        for turn in transcript.turns {
            for case .intentMatched(let id, _, _, _, _) in turn.events where matched[id] == nil {
                matched[id] = (turn.number, turn.input.text)
            }
        }

        var possible = 0, earned = 0
        var credits: [(intent: Intent, turn: Int?, quote: String, points: Int)] = []
        var losses: [(raw: Int, evidence: Evidence)] = []
        var visited: [String] = []
        for id in transcript.path where !visited.contains(id) { visited.append(id) }
        for id in visited {
            guard let node = scenario.node(id) else { continue }
            let plain = node.expect.filter { $0.next == nil }
            let branches = node.expect.filter { $0.next != nil }
            possible += plain.reduce(0) { $0 + $1.points } + (branches.map(\.points).max() ?? 0)
            for intent in plain {
                if let m = matched[intent.id] {
                    earned += intent.points
                    credits.append((intent, m.turn, m.quote, intent.points))
                } else if intent.points > 0 {
                    losses.append((intent.points, missed(intent, ru)))
                }
            }
            let taken = branches.filter { matched[$0.id] != nil }
            if let best = taken.max(by: { $0.points < $1.points }) {
                earned += best.points
                for intent in taken {
                    let m = matched[intent.id]!
                    credits.append((intent, m.turn, m.quote, intent.id == best.id ? intent.points : 0))
                }
            } else if let best = branches.max(by: { $0.points < $1.points }), best.points > 0 {
                losses.append((best.points, missed(best, ru)))
            }
        }

        possible += scoring.outcomePoints
        guard possible > 0 else { return nil }
        var escalation: (target: String, accepted: Bool)?
        for turn in transcript.turns {
            // (an escalation refused for a `forbidden_to` target did not route the case)
            for case .escalated(let target, _, let accepted) in turn.events
                where escalation == nil && !scenario.escalation.refuses(target) {
                escalation = (target, accepted)
            }
        }
        let routed = transcript.ending == .escalated && scenario.escalation.requirement != .forbidden
            && escalation?.accepted == true
        var outcomeCredit: Evidence?
        if transcript.ending == .resolved || routed {
            earned += scoring.outcomePoints
            let message = transcript.ending == .resolved
                ? (ru ? "проблема решена" : "issue resolved")
                : (ru ? "заявка передана: \(escalation!.target)" : "case routed to \(escalation!.target)")
            outcomeCredit = Evidence(.credit, points: 0, rule: "outcome", message: message)
        } else if scoring.outcomePoints > 0 {
            losses.append((scoring.outcomePoints, Evidence(.deduction, points: 0, rule: "outcome",
                message: ru ? "проблема не решена и не передана дальше" : "issue not resolved or routed")))
        }

        var deducted = 0
        for turn in transcript.turns {
            for event in turn.events {
                var raw = 0
                var item: Evidence?
                switch event {
                case .harmful(let rule, let penalty, let feedback, _):
                    raw = penalty
                    item = Evidence(.deduction, points: 0, turn: turn.number, quote: turn.input.text,
                                    rule: "harmful:\(rule)", message: feedback)
                case .fallback(let nodeID):
                    raw = scoring.fallbackPenalty
                    // What was expected here: the best step still open at the node, with a model answer.
                    let open = scenario.node(nodeID)?.expect
                        .filter { matched[$0.id] == nil || $0.next != nil }
                        .max { $0.points < $1.points }
                    var message = ru ? "ответ не продвинул решение" : "reply did not move the case forward"
                    if let open { message += (ru ? "; ожидалось: " : "; expected: ") + open.description }
                    item = Evidence(.deduction, points: 0, turn: turn.number, quote: turn.input.text, rule: "fallback",
                                    message: message, modelAnswer: open?.samples.first)
                case .hint:
                    raw = scoring.hintCost
                    item = Evidence(.deduction, points: 0, turn: turn.number, rule: "hint",
                                    message: ru ? "использована подсказка" : "hint used")
                case .closedEarly:
                    raw = closedEarlyPenalty
                    item = Evidence(.deduction, points: 0, turn: turn.number, quote: turn.input.text, rule: "closed-unresolved",
                                    message: ru ? "заявка закрыта до решения проблемы" : "ticket closed before the issue was solved")
                default:
                    break
                }
                if case .ended = event, case .close(let note) = turn.input,
                   Self.wordCount(note) < Self.clearNoteWords {
                    raw = unclearNotePenalty
                    item = Evidence(.deduction, points: 0, turn: turn.number, quote: note.isEmpty ? nil : note, rule: "close:note-unclear",
                                    message: ru ? "записка при закрытии не говорит, что сделано (нужно хотя бы \(Self.clearNoteWords) слова)"
                                                : "the closing note does not say what was done (at least \(Self.clearNoteWords) words)")
                }
                if let item, raw > 0 {
                    deducted += raw
                    losses.append((raw, item))
                }
            }
        }

        let score = Int((100 * Double(max(0, earned - deducted)) / Double(possible)).rounded())
        // Spread exactly 100 − score over the losses, in proportion to their raw points.
        let shares = apportion(100 - score, by: losses.map(\.raw))
        var evidence: [Evidence] = credits.sorted { ($0.turn ?? 0) < ($1.turn ?? 0) }.map { c in
            Evidence(.credit, points: Int((100 * Double(c.points) / Double(possible)).rounded()), turn: c.turn,
                     quote: c.quote, rule: "intent:\(c.intent.id)", message: c.intent.description,
                     scale: PointScale(written: c.points, possible: possible))
        }
        if let outcomeCredit {
            var credit = outcomeCredit
            credit.points = Int((100 * Double(scoring.outcomePoints) / Double(possible)).rounded())
            credit.scale = PointScale(written: scoring.outcomePoints, possible: possible)
            evidence.append(credit)
        }
        for (loss, share) in zip(losses, shares) {
            var item = loss.evidence
            item.points = share
            item.scale = PointScale(written: loss.raw, possible: possible)
            evidence.append(item)
        }
        return CategoryScore(category: .correctness, score: score, evidence: evidence)
    }

    private func missed(_ intent: Intent, _ ru: Bool) -> Evidence {
        Evidence(.deduction, points: 0, rule: "intent:\(intent.id)",
                 message: (ru ? "пропущено: " : "missed: ") + intent.description, modelAnswer: intent.samples.first)
    }
}

/// Splits `total` into whole numbers proportional to `weights` (largest remainder), so that they add up to `total`.
private func apportion(_ total: Int, by weights: [Int]) -> [Int] {
    let sum = weights.reduce(0, +)
    guard total > 0, sum > 0 else { return weights.map { _ in 0 } }
    let exact = weights.map { Double(total) * Double($0) / Double(sum) }
    var shares = exact.map { Int($0.rounded(.down)) }
    var left = total - shares.reduce(0, +)
    let order = exact.indices.sorted { (exact[$0] - Double(shares[$0])) > (exact[$1] - Double(shares[$1])) }
    for i in order where left > 0 { shares[i] += 1; left -= 1 }
    return shares
}
