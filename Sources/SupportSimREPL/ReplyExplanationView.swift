import Foundation
import SupportSimCore

/// How a reply is read at a node, as text: what `supportsim match` prints and what `:match`
/// shows in a debug session. Every piece from the scenario or the reply is sanitised here.
public struct ReplyExplanationView {
    public let scenario: Scenario
    public let explanation: ReplyExplanation
    /// The sentence-embedding model, nil when meaning-based matching is off.
    public let model: String?
    public let strings: UIStrings

    public init(scenario: Scenario, explanation: ReplyExplanation, model: String?, strings: UIStrings) {
        self.scenario = scenario; self.explanation = explanation; self.model = model; self.strings = strings
    }

    private static func safe(_ s: String) -> String { TerminalText.sanitize(s, keepNewlines: false) }
    private func quoted(_ s: String) -> String { strings.quoted(Self.safe(s)) }

    /// - header: the scenario, node, reply and meaning lines (`match` shows them; `:match` does not
    ///   need them, the trainer typed the reply at the node).
    /// - explain: the clauses and the reading of every rule; without it, a line saying how to get them
    ///   (when `hint` is set).
    public func lines(explain: Bool, width: Int, header: Bool = true, hint: Bool = true) -> [String] {
        let e = explanation
        let node = e.node
        var out: [String] = []
        func wrap(_ s: String, _ first: String = "", _ rest: String = "    ") {
            out += TextLayout.wrap(s, width: width, first: first, rest: rest)
        }
        if header {
            wrap("\(Self.safe(scenario.id)) @ \(Self.safe(node.id))")
            let reply = strings.explainReply + " "
            wrap(quoted(e.reply), reply, String(repeating: " ", count: DisplayWidth.of(reply)))
            wrap(model.map { strings.explainMeaningOn(Self.safe($0)) } ?? strings.explainMeaningOff, strings.explainMeaning + " ")
            out.append("")
        }

        // The labels of the result, in one column.
        let labels = [strings.labelCredited, strings.labelHarmful, strings.labelCritical, strings.labelKeyFact,
                      strings.labelPath, strings.labelMood, strings.labelCustomer]
        let column = (labels.map(DisplayWidth.of).max() ?? 0) + 1
        let first = { (label: String) in "  " + DisplayWidth.pad(label, to: column) }
        let rest = String(repeating: " ", count: column + 2)

        out.append(strings.explainResult)
        let steps = e.creditedSteps
        if steps.isEmpty { out.append(first(strings.labelCredited) + strings.creditedNothing) }
        for step in steps {
            wrap(step.intent + (step.node == node.id ? "" : strings.givenInAdvance(at: Self.safe(step.node))),
                 first(strings.labelCredited), rest)
        }
        for event in e.events {
            switch event {
            case .harmful(let rule, let penalty, _, let matched):
                wrap("\(Self.safe(rule)) (−\(penalty))\(evidence(matched))", first(strings.labelHarmful), rest)
            case .critical(let rule, _, let matched):
                wrap("\(Self.safe(rule))\(evidence(matched))", first(strings.labelCritical), rest)
            case .wrongFact(let intent, let fact, let value, let feedback):
                let what = value.map { strings.wrongValue(quoted($0)) } ?? strings.factMissing
                wrap("\(Self.safe(intent)): \(Self.safe(fact)) \(what)" + (feedback.map { " — \(Self.safe($0))" } ?? ""),
                     first(strings.labelKeyFact), rest)
            case .fallback:
                out.append("  " + strings.notRecognisedFallback)
            case .clarify:
                out.append("  " + strings.notRecognisedClarify)
            default:
                break
            }
        }
        if e.path.count > 1 { wrap(e.path.map(Self.safe).joined(separator: " → "), first(strings.labelPath), rest) }
        if e.moodAfter != e.moodBefore {
            let gender = scenario.persona.gender
            out.append(first(strings.labelMood) + strings.moodName(e.moodBefore, gender: gender) + " → "
                       + strings.moodName(e.moodAfter, gender: gender))
        }
        for event in e.events {
            if case .customerSays(let line) = event { wrap(quoted(line), first(strings.labelCustomer), rest) }
        }

        guard explain else {
            if hint { out.append(""); out.append(strings.explainMore) }
            return out
        }

        let reading = e.reading
        out.append("")
        out.append(strings.explainClauses)
        for (i, clause) in reading.reply.clauses.enumerated() {
            var marks: [String] = []
            if let n = clause.negation { marks.append(strings.negatedBy(quoted(n))) }
            if clause.isCondition { marks.append(strings.clauseCondition) }
            if let s = clause.safeguard { marks.append(strings.clauseSafeguard(quoted(s))) }
            if reading.leftover.contains(i) { marks.append(strings.clauseUnused) }
            let label = "  [\(i)] \(strings.clauseStep(clause.step + 1)): "
            wrap(quoted(reading.reply.clauseText(i)) + (marks.isEmpty ? "" : " — " + marks.joined(separator: "; ")),
                 label, String(repeating: " ", count: 6))
        }
        if reading.reply.clauses.isEmpty { out.append("  " + strings.explainNone) }

        out.append("")
        out.append(strings.intentsOf(Self.safe(node.id)))
        for r in reading.intents { explainRule(r, into: &out, width: width) }
        if reading.intents.isEmpty { out.append("  " + strings.explainNone) }
        out.append("")
        out.append(strings.harmfulOf(Self.safe(node.id)))
        for r in reading.harmful { explainRule(r, into: &out, width: width) }
        if reading.harmful.isEmpty { out.append("  " + strings.explainNone) }
        out.append("")
        out.append(strings.criticalOfScenario)
        if e.critical.isEmpty { out.append("  " + strings.noneFired(checked: scenario.critical.count)) }
        for (rule, found) in e.critical {
            wrap("\(Self.safe(rule.id)) \(strings.fired)\(evidence(found.matched))", "  ", "      ")
        }
        return out
    }

    private func evidence(_ matched: [String]) -> String {
        matched.isEmpty ? "" : " — " + matched.map(quoted).joined(separator: ", ")
    }

    private func explainRule(_ r: RuleReading, into out: inout [String], width: Int) {
        let mark = r.fired ? "✓" : (r.via != nil ? "~" : "·")
        var head = "\(mark) \(Self.safe(r.id)) "
        if r.fired { head += r.via == .meaning ? strings.firedByMeaning : strings.fired }
        else if r.via != nil { head += strings.matchedNotCredited }
        else { head += strings.notMatched }
        if let note = r.note { head += " (\(Self.safe(note)))" }
        out += TextLayout.wrap(head, width: width, first: "  ", rest: "      ")
        func line(_ s: String) { out += TextLayout.wrap(s, width: width, first: "      ", rest: "        ") }
        if !r.phrases.isEmpty {
            line(strings.phrases + " " + r.phrases.map(quoted).joined(separator: ", ")
                 + (r.clauses.isEmpty ? "" : " \(strings.inClause) " + r.clauses.map { "[\($0)]" }.joined(separator: " ")))
        }
        if let n = r.negatedBy { line(strings.negatedRule(quoted(n))) }
        if let s = r.safeguard { line(strings.safeguardRule(quoted(s))) }
        for f in r.facts { line(strings.fact(Self.safe(f.fact)) + " " + factText(f.status)) }
        if let m = r.meaning {
            let threshold = m.threshold.map { String(format: "%.3f", $0) } ?? strings.thresholdOff
            line(strings.meaningScore(String(format: "%.3f", m.similarity), sample: quoted(m.sample), threshold: threshold))
            if let miss = m.nearestMiss { line(strings.nearestMiss(quoted(miss))) }
        }
    }

    private func factText(_ status: FactStatus) -> String {
        switch status {
        case .accepted(let v): strings.factAccepted(quoted(v))
        case .wrong(let v, let feedback): strings.wrongValue(quoted(v)) + (feedback.map { " — \(Self.safe($0))" } ?? "")
        case .missing(let feedback): strings.factMissing + (feedback.map { " — \(Self.safe($0))" } ?? "")
        case .absent: strings.factAbsent
        }
    }
}
