import Foundation
import SupportSimCore
import SupportSimREPL
import SupportSimStore

public enum ReviewFormat: String, Sendable, CaseIterable {
    /// Wrapped for the terminal (80 columns unless told otherwise).
    case text
    /// One object with stable snake_case keys (docs/reports.md, "supportsim show").
    case json
    /// One self-contained HTML file: inline CSS, no scripts, no external resources.
    case html
}

/// Renders an `AttemptReview`. Everything that came from a trainee or a scenario goes through
/// `TerminalText.sanitize` (text), `TerminalText.jsonEscapingControls` (JSON) or
/// `TerminalText.sanitize` + `HTMLEscape` (HTML).
public struct AttemptReviewRenderer: Sendable {
    public var review: AttemptReview
    public var language: Language
    /// Text only: the width lines are wrapped to.
    public var width: Int

    /// The marker around the parts of a reply that caused a scored event, in text.
    public static let markOpen = "[["
    public static let markClose = "]]"

    public init(_ review: AttemptReview, language: Language = .en, width: Int = 80) {
        self.review = review; self.language = language; self.width = max(40, width)
    }

    /// The text ends with a line break; write it as is.
    public func render(_ format: ReviewFormat) -> String {
        switch format {
        case .text: text()
        case .json: json()
        case .html: html()
        }
    }

    var strings: UIStrings { UIStrings(language) }
    var words: ReviewWords { ReviewWords(language) }

    static func clean(_ s: String) -> String { TerminalText.sanitize(s, keepNewlines: false) }

    // MARK: - Text

    private func text() -> String {
        var out: [String] = []
        let a = review.attempt
        func wrap(_ s: String, _ first: String = "", _ rest: String = "") {
            out += TextLayout.wrap(s, width: width, first: first, rest: rest)
        }
        func rule(_ title: String) {
            out.append("")
            out.append("── " + title + " " + String(repeating: "─", count: max(3, width - 4 - DisplayWidth.of(title))))
        }
        let title = words.attemptTitle(a.id) + " — " + Self.clean(a.scenarioTitle)
        for (i, l) in TextLayout.wrap(title, width: width - 6).enumerated() {
            out.append(i == 0 ? "══ " + l + " " + String(repeating: "═", count: max(3, width - 4 - DisplayWidth.of(l))) : "   " + l)
        }
        let rescored = rescoringLine()
        let labels = [words.trainee, words.scenario, words.mode, words.started, words.status, words.result, words.path]
            + (rescored == nil ? [] : [words.rescored])
        let labelWidth = labels.map(DisplayWidth.of).max() ?? 0
        func field(_ label: String, _ value: String) {
            let head = DisplayWidth.pad(label, to: labelWidth) + "  "
            wrap(value, head, String(repeating: " ", count: labelWidth + 2))
        }
        field(words.trainee, Self.clean(a.trainee))
        field(words.scenario, words.scenarioLine(Self.clean(a.scenarioID), version: a.scenarioVersion,
                                                 language: Self.clean(a.language.rawValue)))
        field(words.mode, words.mode(a.mode) + " · " + words.seed(a.seed))
        field(words.started, words.startedLine(a.startedAt, endedAt: a.endedAt))
        field(words.status, words.statusLine(a, strings: strings))
        field(words.result, resultLine())
        if let rescored { field(words.rescored, rescored) }
        field(words.path, pathLine())
        if !review.missing.isEmpty {
            out.append("")
            for m in review.missing { wrap(words.missing(m, scenarioID: Self.clean(a.scenarioID)), "! ", "  ") }
        }

        rule(words.conversation)
        if let opening = review.opening {
            for line in opening { wrap(Self.clean(line), words.customer + ": ", "    ") }
        } else {
            wrap(words.openingUnknown, "", "")
        }
        for turn in review.turns { textTurn(turn, into: &out) }

        rule(words.scores)
        let nameWidth = review.categories.map { DisplayWidth.of(categoryName($0.category)) }.max() ?? 0
        if review.categories.isEmpty { out.append(" " + strings.noCategories) }
        for c in review.categories {
            let score = c.score.map { String(repeating: " ", count: max(0, 3 - String($0).count)) + String($0) } ?? "  —"
            var line = " " + DisplayWidth.pad(categoryName(c.category), to: nameWidth) + "  " + score
            if review.isAbandoned, c.score != nil { line += "  " + words.soFar }
            out.append(line)
            for note in auditNotes(c) { wrap(note, "     ", "       ") }
            for d in c.annotations where d.isLoss {
                let text = EvidenceText.deductionLine(evidence(d), strings: strings)
                wrap(text, "     ", "       ")
            }
        }
        for c in review.critical {
            var text = strings.criticalError(Self.clean(c.message))
            if let turn = c.turn { text += " (" + strings.turn(turn) + ")" }
            wrap(text, " ", "   ")
        }
        wrap(resultLine(), " ", "   ")

        let answers = review.modelAnswers
        if !answers.isEmpty {
            rule(words.modelAnswersTitle)
            for d in answers {
                var head = d.turn.map { strings.turn($0) + ": " } ?? ""
                head += Self.clean(d.message)
                wrap(head, " • ", "   ")
                wrap(strings.quoted(Self.clean(d.modelAnswer ?? "")), "   " + strings.modelAnswer + " ", "     ")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func textTurn(_ turn: AttemptReview.TurnEntry, into out: inout [String]) {
        func wrap(_ s: String, _ first: String, _ rest: String) {
            out += TextLayout.wrap(s, width: width, first: first, rest: rest)
        }
        out.append("")
        var head = turn.number.map { "[\($0)]" } ?? (turn.retracted ? "[×]" : "[·]")
        head += " " + Self.clean(turn.nodeBefore)
        if let after = turn.nodeAfter, after != turn.nodeBefore { head += " → " + Self.clean(after) }
        head += " · " + strings.mood(turn.moodBefore) + " · " + words.elapsed(turn.elapsed)
        if turn.retracted { head += " · " + words.retracted }
        wrap(head, "", "    ")
        // The reply with its scored parts marked; the markers go in after sanitising each piece.
        let spans = turn.annotations.flatMap(\.spans)
        let marked = AttemptReview.highlight(turn.text, spans: spans).map { piece in
            let clean = Self.clean(piece.text)
            return piece.marked ? Self.markOpen + clean + Self.markClose : clean
        }.joined()
        let who = turn.command == nil ? words.you : words.action
        wrap(marked, "  " + who + ": ", "      ")
        for a in turn.annotations {
            wrap(annotationLine(a), "      " + sign(a) + " ", "        ")
            if a.isLoss, let answer = a.modelAnswer, !answer.isEmpty {
                wrap(strings.quoted(Self.clean(answer)), "        " + strings.modelAnswer + " ", "          ")
            }
        }
        for line in turn.customerLines { wrap(Self.clean(line), "  " + words.customer + ": ", "      ") }
        for note in turn.notes { if let n = noteText(note) { wrap(n, "  · ", "    ") } }
    }

    private func sign(_ a: AttemptReview.Annotation) -> String {
        switch a.kind.known {
        case .credit?: "+"
        case .deduction?: "−"
        case .critical?: "!"
        case nil: "?"
        }
    }

    /// "Correctness −16 (15 of 92 scenario points) · harmful:blame — blames the customer · «…»"
    func annotationLine(_ a: AttemptReview.Annotation) -> String {
        var parts: [String] = []
        let category = a.category.map(categoryName) ?? words.criticalLabel
        // A credit worth no points (a polite strategy noted) shows no number.
        parts.append(a.kind == .credit && a.points == 0 && a.scale == nil ? category : category + " " + words.points(a))
        var what = Self.clean(a.rule)
        if !a.message.isEmpty { what += " — " + Self.clean(a.message) }
        parts.append(what)
        if !a.spans.isEmpty {
            parts.append(a.spans.map { strings.quoted(EvidenceText.shortQuote($0, width: 50)) }.joined(separator: ", "))
        }
        return parts.joined(separator: " · ")
    }

    func categoryName(_ c: StoredValue<Category>) -> String {
        switch c {
        case .known(let known): strings.category(known)
        case .unknown(let raw): words.unknown(raw)
        }
    }

    func resultLine() -> String {
        let a = review.attempt
        if review.isAbandoned { return words.abandonedNoTotal }
        guard let total = review.total, let passMark = a.passMark else { return "—" }
        return strings.total(total, passed: review.passed ?? false, passMark: passMark)
    }

    /// For a rescored attempt: when, with which scorer and scenario version, and the result as played
    /// when the rescoring changed it. Nil for an attempt never rescored.
    func rescoringLine() -> String? {
        guard let audit = review.audit, let latest = audit.rescorings.last else { return nil }
        var text = words.rescoredWhen(latest, count: audit.rescorings.count)
        if let original = review.originalScores {
            let total = { (a: AttemptRecord) in a.status == .completed ? a.total : nil }
            if total(original) != review.total || original.passed != review.passed {
                let was = review.isAbandoned ? words.abandonedNoTotal
                    : total(original).map { t in
                        original.passMark.map { strings.total(t, passed: original.passed ?? false, passMark: $0) } ?? String(t)
                    } ?? "—"
                text += " — " + words.asPlayed(was)
            } else {
                text += " — " + words.resultUnchanged
            }
        }
        return text
    }

    func pathLine() -> String {
        guard let nodes = review.path.nodes else { return words.pathUnknown }
        var text = nodes.map(Self.clean).joined(separator: " → ")
        if let ending = review.attempt.ending {
            text += " (" + (ending.known.map(strings.endingName) ?? words.unknown(ending.rawValue)) + ")"
        }
        return text
    }

    func noteText(_ note: AttemptReview.Note) -> String? {
        switch note {
        case .moodChanged(let from, let to): strings.moodChange(from: from, to: to)
        case .demandsManager: strings.demandsManager
        case .escalated(let target, let note, let accepted):
            // The note itself is in the action line above; only its absence is worth saying.
            (accepted ? strings.escalated(to: Self.clean(target)) : words.escalationNotAccepted(Self.clean(target)))
                + (note.isEmpty ? " " + strings.emptyNote : "")
        case .referred(let target, let note, let accepted):
            (accepted ? strings.referred(to: Self.clean(target)) : strings.referralRefused(to: Self.clean(target), reason: nil))
                + (note.isEmpty ? " " + strings.emptyNote : "")
        case .closedEarly: strings.closedEarly
        case .hint(let text): text.map { words.hint + " " + Self.clean($0) } ?? strings.noHint
        case .knowledgeBase(let titles):
            titles.isEmpty ? strings.kbNoResults : strings.kbTitle + " " + titles.map(Self.clean).joined(separator: "; ")
        case .choices(let items):
            strings.choicesTitle + " " + items.enumerated().map { "\($0.offset + 1). " + Self.clean($0.element) }.joined(separator: "  ")
        case .rejected(let reason): strings.rejected(Self.clean(reason))
        case .noMatch: strings.noMatch
        case .clarify: strings.clarifyFree
        case .wrongFact(let fact, let value):
            value.map { strings.wrongFactValue(fact: Self.clean(fact), value: Self.clean($0)) } ?? strings.missingFact(Self.clean(fact))
        case .ended(let ending): strings.ending(ending)
        }
    }

    func evidence(_ a: AttemptReview.Annotation) -> Evidence {
        Evidence(a.kind.known ?? .deduction, points: a.points, turn: a.turn, quote: a.quote, rule: a.rule,
                 message: a.message, modelAnswer: a.modelAnswer, scale: a.scale)
    }
}

/// Words of the review in its language (the debrief's own words come from `UIStrings`).
struct ReviewWords {
    let language: Language
    init(_ language: Language) { self.language = language }
    private func t(_ en: String, _ ru: String) -> String { language == .ru ? ru : en }

    func attemptTitle(_ id: Int64) -> String { t("Attempt \(id)", "Попытка \(id)") }
    var trainee: String { t("Trainee", "Стажёр") }
    var scenario: String { t("Scenario", "Сценарий") }
    var mode: String { t("Mode", "Режим") }
    var started: String { t("Played", "Время") }
    var status: String { t("Status", "Статус") }
    var result: String { t("Result", "Результат") }
    var path: String { t("Path", "Путь") }
    var conversation: String { t("Conversation", "Разговор") }
    var scores: String { t("Scores", "Оценки") }
    var modelAnswersTitle: String { t("Model answers where points were lost", "Примеры ответов там, где потеряны баллы") }
    var customer: String { t("Customer", "Клиент") }
    var you: String { t("Trainee", "Стажёр") }
    var action: String { t("Action", "Действие") }
    var retracted: String { t("taken back with /retry", "отменено через /retry") }
    var hint: String { t("hint:", "подсказка:") }
    var soFar: String { t("(so far)", "(на момент выхода)") }
    var rescored: String { t("Rescored", "Переоценено") }
    /// "2026-12-01 13:40 UTC, scorer v2, scenario v1 (2 rescorings)". Who ran `rescore` is not stored.
    func rescoredWhen(_ r: Rescoring, count: Int) -> String {
        let when = AttemptsReport.tableDate(r.at) + " UTC"
        return t("\(when), scorer v\(r.scorerVersion), scenario v\(r.scenarioVersion)",
                 "\(when), оценщик v\(r.scorerVersion), сценарий v\(r.scenarioVersion)")
            + (count > 1 ? t(" (\(count) rescorings, the latest shown)", " (переоценок: \(count), показана последняя)") : "")
    }
    func asPlayed(_ result: String) -> String { t("as played: \(result)", "при прохождении: \(result)") }
    var resultUnchanged: String { t("the result as played is unchanged", "результат прохождения не изменился") }
    var criticalLabel: String { t("Critical", "Критично") }
    var abandonedNoTotal: String {
        t("abandoned — no total (the attempt was not finished)", "прервано — итога нет (попытка не завершена)")
    }
    var pathUnknown: String {
        t("not known (stored before paths were recorded)", "неизвестен (попытка сохранена до того, как стали записывать путь)")
    }
    var openingUnknown: String {
        t("(the customer's opening line is not stored; see the note above)", "(первая реплика клиента не сохранена; см. примечание выше)")
    }

    func scenarioLine(_ id: String, version: Int, language: String) -> String {
        t("\(id), version \(version) (\(language))", "\(id), версия \(version) (\(language))")
    }
    func seed(_ seed: UInt64) -> String { t("seed \(seed)", "зерно \(seed)") }
    func mode(_ mode: StoredValue<PlayMode>) -> String { Words(language).mode(mode) }
    func unknown(_ raw: String) -> String { Words(language).unknown(raw) }

    func startedLine(_ start: Date, endedAt end: Date?) -> String {
        var text = AttemptsReport.tableDate(start) + " UTC"
        if let end { text += " · " + duration(end.timeIntervalSince(start)) }
        return text
    }
    func duration(_ seconds: Double) -> String {
        let s = max(0, Int(seconds.rounded()))
        return s >= 60 ? t("\(s / 60) min \(s % 60) s", "\(s / 60) мин \(s % 60) с") : t("\(s) s", "\(s) с")
    }
    func elapsed(_ seconds: Double) -> String { "+" + duration(seconds) }

    func statusLine(_ a: AttemptRecord, strings: UIStrings) -> String {
        let status: String
        switch a.status {
        case .known(.completed): status = t("completed", "завершена")
        case .known(.abandoned): status = t("abandoned", "прервано")
        case .unknown(let raw): status = unknown(raw)
        }
        var text = status
        if let ending = a.ending, ending != .abandoned {
            text += " — " + (ending.known.map(strings.endingName) ?? unknown(ending.rawValue))
        }
        if a.retries > 0 { text += t(" · retries: \(a.retries)", " · отмен: \(a.retries)") }
        return text
    }

    /// "+12 (12 of 92 scenario points)", "−5", "critical".
    func points(_ a: AttemptReview.Annotation) -> String {
        if a.kind == .critical { return t("fails the attempt", "попытка не засчитана") }
        let sign = a.kind == .credit ? "+" : "−"
        var text = sign + String(a.points)
        if let scale = a.scale {
            text += t(" (\(scale.written) of \(scale.possible) scenario points)",
                      " (\(scale.written) из \(scale.possible) \(Plural.russian(scale.possible, one: "балла", few: "баллов", many: "баллов")) сценария)")
        }
        return text
    }

    func escalationNotAccepted(_ target: String) -> String {
        t("Escalated to \(target), which the policy does not accept.", "Передано: \(target) — такой адресат политикой не принимается.")
    }

    func missing(_ m: AttemptReview.Missing, scenarioID: String) -> String {
        switch m {
        case .opening:
            t("The customer's opening line is not stored; it is replayed from the scenario file, and \(scenarioID) at this attempt's version was not found (give --scenarios).",
              "Первая реплика клиента не хранится; её воспроизводят по файлу сценария, а \(scenarioID) нужной версии не найден (укажите --scenarios).")
        case .evidenceDetails:
            t("This attempt was stored before model answers and scenario points were kept; they are filled in by replaying the attempt, which needs the scenario file at this attempt's version (give --scenarios).",
              "Попытка сохранена до того, как стали хранить примеры ответов и баллы сценария; их восстанавливают повтором попытки, для чего нужен файл сценария этой версии (укажите --scenarios).")
        case .path:
            t("The path is not known: the attempt was stored before paths were recorded.",
              "Путь неизвестен: попытка сохранена до того, как стали записывать путь.")
        }
    }
}
