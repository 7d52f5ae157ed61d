import Foundation
import SupportSimCore

/// Shows what happens during a session: the engine's events, practice-mode feedback, the
/// knowledge base and the list of commands. Every line goes through `TerminalOutput`, which
/// sanitises and wraps it.
struct SessionView {
    let scenario: Scenario
    let mode: PlayMode
    let strings: UIStrings
    let out: TerminalOutput

    func showHelp() {
        out.line(strings.helpTitle)
        let width = CommandParser.commands.map(\.count).max() ?? 0
        for c in CommandParser.commands {
            out.wrapped(DisplayWidth.pad(c, to: width) + "  " + strings.describe(command: c), indent: "  ")
        }
        out.wrapped(strings.helpReplies, indent: "  ")
    }

    func show(_ events: [EngineEvent], input: TraineeInput?) {
        if mode == .practice { showFeedback(events) }
        for event in events {
            switch event {
            case .customerSays(let text):
                out.line()
                out.speaker(scenario.persona.shortName, text)
            // Exam mode shows the customer's words only: nothing that reveals how the reply scored.
            case .moodChanged(let from, let to):
                if mode == .practice {
                    out.wrapped(strings.moodChange(from: from, to: to, gender: scenario.persona.gender), indent: "  ",
                                style: to > from ? .red : .green)
                }
            case .demandsManager:
                if mode == .practice { marked("! ", strings.demandsManager, style: .red) }
            case .escalated(let target, _, _) where scenario.escalation.refuses(target):
                let shown = TerminalText.sanitize(target, keepNewlines: false)
                marked("✗ ", scenario.escalation.requirement == .forbidden
                    ? strings.escalationRefused(to: shown, reason: scenario.escalation.reason)
                    : strings.escalationTargetRefused(to: shown, reason: scenario.escalation.reason), style: .yellow)
            case .escalated(let target, let note, let accepted):
                var line = strings.escalated(to: target)
                if mode == .practice, !accepted { line += " " + strings.escalationNotAccepted }
                marked("→ ", line)
                if mode == .practice { showNoteCheck(note) }
            case .referred(let target, let note, let accepted):
                let referral = scenario.referral(target)
                let label = TerminalText.sanitize(referral?.label(strings.language) ?? target, keepNewlines: false)
                if accepted {
                    marked("→ ", strings.referred(to: label))
                    if mode == .practice, let referral { showReferralNoteCheck(note, referral) }
                } else {
                    marked("✗ ", strings.referralRefused(to: label, reason: referral?.reason), style: .yellow)
                }
            case .closedEarly:
                if mode == .practice { out.wrapped(strings.closedEarly, indent: "  ", style: .yellow) }
            case .hint(let text):
                marked(strings.hint(cost: scenario.scoring.hintCost) + " ", text, style: .yellow)
            case .noHint:
                out.wrapped(strings.noHint, indent: "  ", style: .dim)
            case .kbResults(let articles):
                showKB(articles)
            case .choices(let choices):
                out.wrapped(strings.choicesTitle, indent: "  ", style: .dim)
                for (i, choice) in choices.enumerated() {
                    let label = "  \(i + 1)) "
                    let lines = TextLayout.wrap(TerminalText.sanitize(choice), width: out.width, first: label,
                                                rest: String(repeating: " ", count: label.count))
                    lines.forEach { out.line($0) }
                }
            case .rejected(let reason):
                out.wrapped(strings.rejected(reason), indent: "  ", style: .yellow)
            case .intentMatched, .harmful, .fallback, .critical, .politeness, .ended, .clarify, .wrongFact:
                break
            }
        }
    }

    /// Practice mode: what the reply did, right after it.
    private func showFeedback(_ events: [EngineEvent]) {
        var good: [String] = []
        var lines: [(String, TerminalOutput.Style)] = []
        for event in events {
            switch event {
            case .intentMatched(_, let description, _, let feedback, _):
                if let feedback, !feedback.isEmpty {
                    lines.append(("✓ " + description + " — " + feedback, .green))
                } else {
                    good.append("✓ " + description)
                }
            case .harmful(_, let penalty, let feedback, _):
                lines.append(("✗ " + feedback + " (−\(penalty))", .red))
            case .fallback:
                // (after a wrong key fact, the fact's line already says why nothing was credited)
                let wrongFact = events.contains { if case .wrongFact = $0 { true } else { false } }
                if !wrongFact { lines.append(("· " + strings.noMatch, .yellow)) }
            case .clarify:
                lines.append(("· " + strings.clarifyFree, .yellow))
            case .wrongFact(let intent, let fact, let value, let feedback):
                let what = scenario.intent(intent)?.description ?? intent
                // The author's feedback says what is wrong in the scenario's words; without it, the fact's name does.
                let problem: String
                if let feedback, !feedback.isEmpty {
                    problem = (value.map { strings.quoted($0) + " — " } ?? "") + feedback
                } else {
                    problem = value.map { strings.wrongFactValue(fact: fact, value: $0) } ?? strings.missingFact(fact)
                }
                lines.append(("✗ " + what + ": " + problem, .red))
            case .critical(_, let reason, _):
                lines.append(("✗ " + strings.critical(reason), .red))
            case .politeness(let hits):
                var seen = Set<String>()
                for hit in hits where hit.weight > 0 && seen.insert(hit.strategy).inserted {
                    good.append("✓ " + strings.strategy(hit.strategy))
                }
                for hit in hits where hit.weight < 0 {
                    lines.append(("✗ " + strings.strategy(hit.strategy) + " " + strings.quoted(Self.shortQuote(hit.span)), .red))
                    if let e = hit.explanation { lines.append(("  " + strings.toneExplanation(e), .dim)) }
                }
            default:
                break
            }
        }
        // Program text around untrusted parts: the whole line is sanitised by `wrapped`.
        // The items wrap between items, never mid-word.
        if !good.isEmpty { out.wrappedItems(good, indent: "  ", style: .green) }
        for (text, style) in lines { marked(String(text.prefix(2)), String(text.dropFirst(2)), style: style) }
    }

    private func showNoteCheck(_ note: String) {
        if note.trimmingCharacters(in: .whitespaces).isEmpty {
            out.line(out.paint("  " + strings.handOffNote + " " + strings.emptyNote, .yellow))
            return
        }
        let coverage = EscalationScorer.noteCoverage(note, scenario: scenario)
        guard !coverage.isEmpty else { return }
        let marks = coverage.map { ($0.mentioned ? "✓ " : "✗ ") + EscalationDefaults.label($0.item.id, language: strings.language) }
        let allThere = marks.allSatisfy { $0.hasPrefix("✓") }
        marked(strings.handOffNote + " ", marks.joined(separator: " "), style: allThere ? .green : .yellow)
    }

    private func showReferralNoteCheck(_ note: String, _ referral: Referral) {
        let coverage = EscalationScorer.noteCoverage(note, referral: referral, scenario: scenario)
        guard !coverage.isEmpty else { return }
        let marks = coverage.map { ($0.mentioned ? "✓ " : "✗ ") + EscalationDefaults.label($0.item.id, language: strings.language) }
        marked(strings.handOffNote + " ", marks.joined(separator: " "), style: marks.allSatisfy { $0.hasPrefix("✓") } ? .green : .yellow)
    }

    private func showKB(_ articles: [KBArticleRef]) {
        guard !articles.isEmpty else {
            out.wrapped(strings.kbNoResults, indent: "  ", style: .dim)
            return
        }
        let idWidth = articles.map { DisplayWidth.of(TerminalText.sanitize($0.id, keepNewlines: false)) }.max() ?? 0
        for a in articles {
            let id = DisplayWidth.pad(TerminalText.sanitize(a.id, keepNewlines: false), to: idWidth)
            let lines = TextLayout.wrap(TerminalText.sanitize(a.title, keepNewlines: false), width: out.width,
                                        first: "  " + id + "  ", rest: String(repeating: " ", count: idWidth + 4))
            for (i, l) in lines.enumerated() { out.line(i == 0 ? out.paint(l, .bold) : l) }
        }
        // One article found: show its text too.
        if articles.count == 1, !articles[0].body.isEmpty {
            out.wrapped(articles[0].body, indent: "    ")
        }
    }

    /// After `/retry`: the customer's last words again, and the numbered choices if the node has them.
    func showLastCustomerLine(_ transcript: Transcript, node: Node?) {
        let events = transcript.turns.reversed().map(\.events) + [transcript.opening]
        for list in events {
            if let said = list.last(where: { if case .customerSays = $0 { true } else { false } }),
               case .customerSays(let text) = said {
                out.line()
                out.speaker(scenario.persona.shortName, text)
                break
            }
        }
        if let node, !node.choices.isEmpty { show([.choices(node.choices.map(\.text))], input: nil) }
    }

    /// A line that starts with a marker ("✓ ", "→ ", "hint: "), wrapped with a hanging indent:
    /// continuation lines start under the text after the marker.
    private func marked(_ marker: String, _ text: String, indent: String = "  ", style: TerminalOutput.Style? = nil) {
        let hang = indent + String(repeating: " ", count: min(DisplayWidth.of(marker), max(0, out.width / 3)))
        let lines = TextLayout.wrap(TerminalText.sanitize(marker + text), width: out.width, first: indent, rest: hang)
        for l in lines { out.line(out.paint(l, style)) }
    }

    static func shortQuote(_ text: String, width: Int = 60) -> String {
        let flat = TerminalText.sanitize(text, keepNewlines: false)
            .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return DisplayWidth.truncate(flat, to: width)
    }

}
