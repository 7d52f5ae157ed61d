import Foundation
import SupportSimCore
import SupportSimLexicons

/// How a played session ended, for the caller (which decides the exit code).
public struct SessionOutcome: Sendable, Equatable {
    /// The saved attempt, or nil when saving failed.
    public var attemptID: Int64?
    public var ending: EndingKind
    /// The score of what was played (also for an abandoned attempt).
    public var card: ScoreCard?
    /// The trainee quit, or input ended (Ctrl-D, a closed terminal).
    public var abandoned: Bool
    public var transcript: Transcript
}

/// Where a resumed attempt starts: the attempt and the inputs already played (replayed with the
/// same seed, not recorded again).
public struct ResumePoint: Sendable, Equatable {
    public var attemptID: Int64
    public var inputs: [TraineeInput]
    /// Seconds since the start at each of those inputs (same count as `inputs`, or empty).
    public var elapsed: [Double]

    public init(attemptID: Int64, inputs: [TraineeInput], elapsed: [Double] = []) {
        self.attemptID = attemptID; self.inputs = inputs; self.elapsed = elapsed
    }
}

/// The interactive loop of one attempt: shows the ticket, reads the trainee's lines, plays them
/// on the engine, records every turn as soon as it is played, and ends with the debrief.
/// It never exits the process; the caller turns the outcome into an exit code.
public final class PlaySession {
    public let scenario: Scenario
    public let seed: UInt64
    public let mode: PlayMode
    public let strings: UIStrings
    private var reader: any LineReader
    private let out: TerminalOutput
    private let recorder: any AttemptRecorder
    private let clock: () -> Date
    private let scoring: ScoringPipeline
    private let resume: ResumePoint?

    private var engine: Engine
    private var attemptID: Int64?
    private var startedAt = Date(timeIntervalSince1970: 0)
    private var saveWarningShown = false

    public init(
        scenario: Scenario, seed: UInt64, mode: PlayMode, interfaceLanguage: InterfaceLanguage,
        reader: any LineReader, output: TerminalOutput, recorder: any AttemptRecorder,
        clock: @escaping () -> Date = Date.init, scoring: ScoringPipeline = .standard(analyzer: BundledLexicons.analyzer),
        resume: ResumePoint? = nil
    ) {
        self.scenario = scenario; self.seed = seed; self.mode = mode
        self.strings = UIStrings(interfaceLanguage)
        self.reader = reader; self.out = output; self.recorder = recorder
        self.clock = clock; self.scoring = scoring; self.resume = resume
        self.engine = Engine(scenario: scenario, seed: seed, analyzer: scoring.analyzer ?? BundledLexicons.analyzer)
    }

    /// Plays the session to its end (or until it is abandoned) and returns the outcome.
    public func run() -> SessionOutcome {
        startedAt = clock()
        showHeader()
        let opening = engine.start()
        if let resume {
            attemptID = resume.attemptID
            out.wrapped(strings.resumed(attempt: resume.attemptID, turns: resume.inputs.count), style: .dim)
            replay(opening: opening, resume)
        } else {
            beginAttempt()
            show(opening, input: nil)
        }
        if engine.isOver { return finishNormally() }

        while true {
            switch reader.readLine(prompt: strings.prompt) {
            case .endOfInput:
                return abandon()
            case .interrupted:
                if confirmQuit() { return abandon() }
            case .invalidEncoding:
                out.wrapped(strings.invalidEncoding, style: .yellow)
            case .line(let text):
                switch CommandParser.parse(text, choiceCount: engine.node?.choices.count ?? 0) {
                case .empty:
                    continue
                case .help:
                    showHelp()
                case .quit:
                    if confirmQuit() { return abandon() }
                case .unknownCommand(let command):
                    out.wrapped(strings.unknownCommand(command, suggestion: Self.suggest(command)), style: .yellow)
                case .usage(let command):
                    out.wrapped(strings.usage(command), style: .yellow)
                case .input(let input):
                    play(input)
                    if engine.isOver { return finishNormally() }
                }
            }
        }
    }

    // MARK: - Playing

    private var elapsed: Double { max(0, clock().timeIntervalSince(startedAt)) }

    private func beginAttempt() {
        let start = AttemptStart(
            scenarioID: scenario.id, scenarioTitle: scenario.title, scenarioVersion: scenario.version,
            language: scenario.language, mode: mode, seed: seed, startedAt: startedAt,
            interfaceLanguage: strings.language)
        do { attemptID = try recorder.begin(start) } catch { warnSaveFailed(error) }
    }

    private func play(_ input: TraineeInput) {
        let before = engine.transcript.turns.count
        let events = engine.handle(input, elapsed: elapsed)
        if engine.transcript.turns.count > before, let turn = engine.transcript.turns.last, let attemptID {
            do { try recorder.record(turn: turn, attemptID: attemptID, at: clock()) } catch { warnSaveFailed(error) }
        }
        show(events, input: input)
    }

    private func replay(opening: [EngineEvent], _ resume: ResumePoint) {
        show(opening, input: nil)
        var last = 0.0
        for (i, input) in resume.inputs.enumerated() {
            if engine.isOver { break }
            last = i < resume.elapsed.count ? resume.elapsed[i] : last
            out.wrapped(strings.prompt + input.text, style: .dim)
            show(engine.handle(input, elapsed: last), input: input)
        }
        // Time goes on from where the attempt stopped.
        startedAt = clock().addingTimeInterval(-last)
    }

    /// Asks before quitting; true when the trainee confirms (or input ends while asking).
    private func confirmQuit() -> Bool {
        switch reader.readAnswer(prompt: strings.quitQuestion) {
        case .line(let answer) where strings.isYes(answer):
            return true
        case .endOfInput:
            return true
        default:
            out.wrapped(strings.continuing, style: .dim)
            return false
        }
    }

    private func abandon() -> SessionOutcome {
        engine.abandon()
        let card = scoring.score(engine.transcript, scenario: scenario)
        if let attemptID {
            do { try recorder.finish(attemptID: attemptID, ending: .abandoned, card: card, at: clock()) }
            catch { warnSaveFailed(error) }
        }
        out.line()
        out.wrapped(strings.abandonedNote(attempt: attemptID), style: .dim)
        return SessionOutcome(attemptID: attemptID, ending: .abandoned, card: card, abandoned: true,
                              transcript: engine.transcript)
    }

    private func finishNormally() -> SessionOutcome {
        let ending = engine.transcript.ending ?? .abandoned
        let card = scoring.score(engine.transcript, scenario: scenario)
        if let attemptID {
            do { try recorder.finish(attemptID: attemptID, ending: ending, card: card, at: clock()) }
            catch { warnSaveFailed(error) }
        }
        showDebrief(card, ending: ending)
        return SessionOutcome(attemptID: attemptID, ending: ending, card: card, abandoned: ending == .abandoned,
                              transcript: engine.transcript)
    }

    private func warnSaveFailed(_ error: any Error) {
        guard !saveWarningShown else { return }
        saveWarningShown = true
        out.wrapped(strings.saveFailed(String(describing: error)), style: .red)
    }

    /// The closest command to a mistyped one, if any is close.
    static func suggest(_ command: String) -> String? {
        let typed = command.lowercased()
        var best: (String, Int)?
        for c in CommandParser.commands {
            let d = editDistance(typed, c)
            let prefix = c.hasPrefix(typed) && typed.count >= 2
            let score = prefix ? 0 : d
            if score <= max(1, c.count / 3), best == nil || score < best!.1 { best = (c, score) }
        }
        return best?.0
    }

    /// Edit distance where swapping two neighbouring letters counts as one edit ("/hnit" → "/hint").
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }

    // MARK: - Showing

    private var boxWidth: Int { max(30, min(out.width, 78)) }

    private func showHeader() {
        let w = boxWidth, inner = w - 4
        var info = [strings.ticket(number: scenario.ticket.number.map { TerminalText.sanitize($0, keepNewlines: false) }),
                    strings.channel(scenario.ticket.channel), strings.priority(scenario.ticket.priority)]
        if let sla = scenario.ticket.slaMinutes { info.append(strings.sla(minutes: sla)) }
        let title = DisplayWidth.truncate(info.joined(separator: " · "), to: w - 5)
        out.line("┌ " + out.paint(title, .bold) + " " + String(repeating: "─", count: max(0, w - 4 - DisplayWidth.of(title))) + "┐")

        let persona = scenario.persona
        var who = TerminalText.sanitize(persona.name, keepNewlines: false)
        if let role = persona.role { who += " — " + TerminalText.sanitize(role, keepNewlines: false) }
        let mood = strings.mood(persona.mood)
        let room = max(1, inner - DisplayWidth.of(mood) - 2)
        who = DisplayWidth.truncate(who, to: room)
        let gap = max(1, inner - DisplayWidth.of(who) - DisplayWidth.of(mood))
        out.line("│ " + who + String(repeating: " ", count: gap) + mood + " │")
        out.line("└" + String(repeating: "─", count: w - 2) + "┘")
        if let summary = scenario.summary, !summary.isEmpty { out.wrapped(summary) }
        out.wrapped((mode == .practice ? strings.practiceModeNote : strings.examModeNote) + " " + strings.helpHint,
                    style: .dim)
    }

    private func showHelp() {
        out.line(strings.helpTitle)
        let width = CommandParser.commands.map(\.count).max() ?? 0
        for c in CommandParser.commands {
            out.wrapped(DisplayWidth.pad(c, to: width) + "  " + strings.describe(command: c), indent: "  ")
        }
        out.wrapped(strings.helpReplies, indent: "  ")
    }

    private func show(_ events: [EngineEvent], input: TraineeInput?) {
        if mode == .practice { showFeedback(events) }
        for event in events {
            switch event {
            case .customerSays(let text):
                out.line()
                out.speaker(scenario.persona.shortName, text)
            case .moodChanged(let from, let to):
                out.wrapped(strings.moodChange(from: from, to: to), indent: "  ", style: to > from ? .red : .green)
            case .demandsManager:
                out.wrapped("! " + strings.demandsManager, indent: "  ", style: .red)
            case .escalated(let target, let note, let accepted):
                var line = "→ " + strings.escalated(to: target)
                if mode == .practice, !accepted { line += " " + strings.escalationNotAccepted }
                out.wrapped(line, indent: "  ")
                if mode == .practice { showNoteCheck(note) }
            case .closedEarly:
                if mode == .practice { out.wrapped(strings.closedEarly, indent: "  ", style: .yellow) }
            case .hint(let text):
                out.wrapped(strings.hint(cost: scenario.scoring.hintCost) + " " + text, indent: "  ", style: .yellow)
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
            case .intentMatched, .harmful, .fallback, .critical, .politeness, .ended:
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
                lines.append(("· " + strings.noMatch, .yellow))
            case .critical(_, let reason, _):
                lines.append(("✗ " + strings.critical(reason), .red))
            case .politeness(let hits):
                var seen = Set<String>()
                for hit in hits where hit.weight > 0 && seen.insert(hit.strategy).inserted {
                    good.append("✓ " + strings.strategy(hit.strategy))
                }
                for hit in hits where hit.weight < 0 {
                    lines.append(("✗ " + strings.strategy(hit.strategy) + " " + strings.quoted(Self.shortQuote(hit.span)), .red))
                }
            default:
                break
            }
        }
        // Program text around untrusted parts: the whole line is sanitised by `wrapped`.
        // The items wrap between items, never mid-word.
        if !good.isEmpty { out.wrappedItems(good, indent: "  ", style: .green) }
        for (text, style) in lines { out.wrapped(text, indent: "  ", style: style) }
    }

    private func showNoteCheck(_ note: String) {
        if note.trimmingCharacters(in: .whitespaces).isEmpty {
            out.line(out.paint("  " + strings.handOffNote + " " + strings.emptyNote, .yellow))
            return
        }
        let coverage = EscalationScorer.noteCoverage(note, scenario: scenario)
        guard !coverage.isEmpty else { return }
        let marks = coverage.map { ($0.mentioned ? "✓ " : "✗ ") + $0.item.id }
        let allThere = marks.allSatisfy { $0.hasPrefix("✓") }
        out.wrapped(strings.handOffNote + " " + marks.joined(separator: " "), indent: "  ", style: allThere ? .green : .yellow)
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

    static func shortQuote(_ text: String, width: Int = 60) -> String {
        let flat = TerminalText.sanitize(text, keepNewlines: false)
            .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return DisplayWidth.truncate(flat, to: width)
    }

    private func showDebrief(_ card: ScoreCard, ending: EndingKind) {
        let w = boxWidth
        let title = strings.debriefTitle
        out.line()
        out.line(out.paint("═══ " + title + " " + String(repeating: "═", count: max(3, w - 5 - DisplayWidth.of(title))), .bold))
        let nameWidth = Category.allCases.map { DisplayWidth.of(strings.category($0)) }.max() ?? 0
        if card.categories.isEmpty { out.line(" " + strings.noCategories) }
        for category in card.categories {
            let filled = min(20, max(0, Int((Double(category.score) / 5).rounded())))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 20 - filled)
            let score = String(repeating: " ", count: max(0, 3 - String(category.score).count)) + String(category.score)
            out.line(" " + DisplayWidth.pad(strings.category(category.category), to: nameWidth) + "  " + score + "  "
                     + out.paint(bar, category.score >= card.passMark ? .green : .yellow))
            for d in category.deductions {
                out.wrapped(deductionLine(d), indent: "     ")
            }
        }
        let total = strings.total(card.total, passed: card.passed, passMark: card.passMark)
        out.wrapped(total, indent: " ", style: card.passed ? .green : .red)
        for c in card.critical {
            var text = strings.criticalError(TerminalText.sanitize(c.message, keepNewlines: false))
            if let turn = c.turn {
                text += " (" + strings.turn(turn)
                if let q = c.quote { text += ": " + strings.quoted(Self.shortQuote(q)) }
                text += ")"
            }
            out.wrapped(text, indent: " ", style: .red)
        }
        out.wrapped(strings.ending(ending), indent: " ")
        out.wrapped(attemptID.map { strings.saved(attempt: $0) } ?? strings.notSaved, indent: " ")
        out.line(out.paint(String(repeating: "═", count: w), .bold))
    }

    private func deductionLine(_ d: Evidence) -> String {
        var parts = ""
        if let turn = d.turn { parts += strings.turn(turn) + ": " }
        if let q = d.quote, !q.isEmpty { parts += strings.quoted(Self.shortQuote(q)) + " — " }
        parts += TerminalText.sanitize(d.message, keepNewlines: false)
        parts += " (−\(d.points))"
        return parts
    }
}
