import Foundation
import SupportSimCore

/// The ticket header at the start of a session and the scored debrief at its end.
struct DebriefView {
    let scenario: Scenario
    let mode: PlayMode
    let strings: UIStrings
    let out: TerminalOutput

    /// The usual width of the header box and the debrief rules.
    static let usualWidth = 78
    /// The header box grows to show a long name or role, up to this width.
    static let maxBoxWidth = 120

    private var ruleWidth: Int { max(30, min(out.width, Self.usualWidth)) }

    func showHeader() {
        var info = [strings.ticket(number: scenario.ticket.number.map { TerminalText.sanitize($0, keepNewlines: false) }),
                    strings.channel(scenario.ticket.channel), strings.priority(scenario.ticket.priority)]
        if let sla = scenario.ticket.slaMinutes { info.append(strings.sla(minutes: sla)) }
        let persona = scenario.persona
        var who = TerminalText.sanitize(persona.name, keepNewlines: false)
        if let role = persona.role { who += " — " + TerminalText.sanitize(role, keepNewlines: false) }
        let mood = strings.mood(persona.mood, gender: persona.gender)
        // As wide as the content needs (at least the usual width), within the terminal and the cap;
        // text is cut only when it does not fit in that.
        let needed = max(DisplayWidth.of(info.joined(separator: " · ")) + 5,
                         DisplayWidth.of(who) + DisplayWidth.of(mood) + 6)
        let w = max(30, min(out.width, Self.maxBoxWidth, max(Self.usualWidth, needed))), inner = w - 4
        let title = DisplayWidth.truncate(info.joined(separator: " · "), to: w - 5)
        out.line("┌ " + out.paint(title, .bold) + " " + String(repeating: "─", count: max(0, w - 4 - DisplayWidth.of(title))) + "┐")

        let room = max(1, inner - DisplayWidth.of(mood) - 2)
        who = DisplayWidth.truncate(who, to: room)
        let gap = max(1, inner - DisplayWidth.of(who) - DisplayWidth.of(mood))
        out.line("│ " + who + String(repeating: " ", count: gap) + mood + " │")
        out.line("└" + String(repeating: "─", count: w - 2) + "┘")
        if let summary = scenario.summary, !summary.isEmpty { out.wrapped(summary) }
        out.wrapped((mode == .practice ? strings.practiceModeNote : strings.examModeNote) + " " + strings.helpHint,
                    style: .dim)
    }

    /// `saveLine` writes what was saved (the session knows, the view does not).
    /// `explanations`: the tone model's reasons, by the sentence they judged (`toneExplanations`).
    func showDebrief(_ card: ScoreCard, ending: EndingKind, explanations: [String: ToneExplanation] = [:],
                     saveLine: () -> Void) {
        showTitle(strings.debriefTitle)
        showCategories(card, explanations: explanations)
        let total = strings.total(card.total, passed: card.passed, passMark: card.passMark)
        out.wrapped(total, indent: " ", style: card.passed ? .green : .red)
        showCritical(card)
        out.wrapped(strings.ending(ending), indent: " ")
        saveLine()
        out.line(out.paint(String(repeating: "═", count: ruleWidth), .bold))
    }

    /// After `/quit` or Ctrl-D: the categories and deductions of what was played, labelled as an
    /// abandoned attempt (no pass or fail).
    func showAbandonedDebrief(_ card: ScoreCard, explanations: [String: ToneExplanation] = [:]) {
        showTitle(strings.abandonedDebriefTitle)
        showCategories(card, explanations: explanations)
        out.wrapped(strings.totalSoFar(card.total), indent: " ", style: .yellow)
        showCritical(card)
        out.line(out.paint(String(repeating: "═", count: ruleWidth), .bold))
    }

    private func showTitle(_ title: String) {
        let w = ruleWidth
        out.line()
        let lines = TextLayout.wrap(TerminalText.sanitize(title), width: w - 8, first: "", rest: "")
        for (i, l) in lines.enumerated() {
            let fill = i == lines.count - 1 ? " " + String(repeating: "═", count: max(3, w - 5 - DisplayWidth.of(l))) : ""
            out.line(out.paint("═══ " + l + fill, .bold))
        }
    }

    /// The tone model's explanations in a transcript, by the sentence (hit span) they judged.
    static func toneExplanations(_ transcript: Transcript) -> [String: ToneExplanation] {
        var out: [String: ToneExplanation] = [:]
        for turn in transcript.turns {
            for case .politeness(let hits) in turn.events {
                for hit in hits { if let e = hit.explanation { out[hit.span] = e } }
            }
        }
        return out
    }

    private func showCategories(_ card: ScoreCard, explanations: [String: ToneExplanation]) {
        let nameWidth = Category.allCases.map { DisplayWidth.of(strings.category($0)) }.max() ?? 0
        if card.categories.isEmpty { out.line(" " + strings.noCategories) }
        for category in card.categories {
            let filled = min(20, max(0, Int((Double(category.score) / 5).rounded())))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 20 - filled)
            let score = String(repeating: " ", count: max(0, 3 - String(category.score).count)) + String(category.score)
            out.line(" " + DisplayWidth.pad(strings.category(category.category), to: nameWidth) + "  " + score + "  "
                     + out.paint(bar, category.score >= card.passMark ? .green : .yellow))
            for d in category.deductions {
                let lines = TextLayout.wrap(TerminalText.sanitize(deductionLine(d)), width: out.width,
                                            first: "     ", rest: "       ")
                lines.forEach { out.line($0) }
                if d.rule.hasPrefix("politeness:tone-"), let q = d.quote, let e = explanations[q] {
                    TextLayout.wrap(TerminalText.sanitize(strings.toneExplanation(e), keepNewlines: false), width: out.width,
                                    first: "       ", rest: "         ")
                        .forEach { out.line(out.paint($0, .dim)) }
                }
                if let answer = d.modelAnswer, !answer.isEmpty {
                    let text = strings.modelAnswer + " " + strings.quoted(TerminalText.sanitize(answer, keepNewlines: false))
                    TextLayout.wrap(text, width: out.width, first: "       ", rest: "         ")
                        .forEach { out.line(out.paint($0, .dim)) }
                }
            }
        }
    }

    private func showCritical(_ card: ScoreCard) {
        for c in card.critical {
            var text = strings.criticalError(TerminalText.sanitize(c.message, keepNewlines: false))
            if let turn = c.turn {
                text += " (" + strings.turn(turn)
                if let q = c.quote { text += ": " + strings.quoted(SessionView.shortQuote(q)) }
                text += ")"
            }
            let lines = TextLayout.wrap(TerminalText.sanitize(text), width: out.width, first: " ", rest: "   ")
            for l in lines { out.line(out.paint(l, .red)) }
        }
    }

    private func deductionLine(_ d: Evidence) -> String { EvidenceText.deductionLine(d, strings: strings) }
}
