import Foundation
import SupportSimCore
import SupportSimStore

/// `supportsim report --format html`: one self-contained page (inline CSS and SVG, no script, no
/// link to anything outside it) with, for practice and for exam apart: the score distribution of
/// totals, the mean score of each category per trainee, the trend of the mean total per week, the
/// weakest skills (from the stored lost-point evidence) and the attempts table.
///
/// Pure: attempts and the store's weakest skills in, text out. The aggregates are gathered in one
/// pass when the report is made (`init`); `write` then hands the page to a sink piece by piece (one
/// table row at a time), so a caller can stream it to a file.
/// Abandoned attempts have no total: they are counted, but left out of every average and chart of
/// totals.
public struct HTMLReport: Sendable {
    /// The attempts the report was made from, when it was made from an array (its table rows); nil
    /// when they were added one at a time (`add`), and the rows are given to `write(_:rows:)`.
    public let attempts: [AttemptRecord]?
    public let language: Language
    /// When the report was made (shown in the header); nil shows none.
    public let generatedAt: Date?
    /// The filters the report was made with, as label and value (shown in the header).
    public let filters: [(String, String)]

    /// The most trainees the per-category chart and the trend lines show (those with most attempts).
    public static let maxTraineesCharted = 12
    public static let maxTrendTrainees = 6
    public static let maxWeakSkills = 10

    /// The weakest skills, as the store counts them for `report --by skill` (`weakestSkills`).
    public let skills: [SkillGap]
    /// Managers' overrides and rescorings by attempt id. Attempts are given as stored; the figures and
    /// the table use the latest automatic scores (after a rescoring), and a score a rescoring changed
    /// shows the score as played in brackets, "80 (72)", with when and which scorer in its tooltip and
    /// in a note under the table. An overridden score is shown as "automatic → override", with who
    /// and why likewise. The charts and means stay automatic, as the total and result do.
    public let audit: [Int64: AttemptAudit]

    private var sectionByMode: [String: Section] = [:]

    /// The sections, practice first, then exam, then modes a newer version wrote.
    var sections: [Section] {
        sectionByMode.values.sorted { a, b in
            let rank = { (m: String) in m == "practice" ? 0 : m == "exam" ? 1 : 2 }
            return rank(a.mode) != rank(b.mode) ? rank(a.mode) < rank(b.mode) : a.mode < b.mode
        }
    }

    /// A report of `attempts` (aggregated here, in one pass).
    /// - Parameter skills: the store's weakest skills for the same filter (all modes; each section
    ///   shows the first `maxWeakSkills` of its mode, in the store's order).
    public init(attempts: [AttemptRecord], skills: [SkillGap] = [], audit: [Int64: AttemptAudit] = [:], language: Language = .en,
                generatedAt: Date? = nil, filters: [(String, String)] = []) {
        self.init(kept: attempts, skills: skills, audit: audit, language: language, generatedAt: generatedAt, filters: filters)
        for a in attempts { add(a) }
    }

    /// An empty report: `add` each attempt (one pass), then `write(_:rows:)` with the rows again.
    public init(skills: [SkillGap] = [], audit: [Int64: AttemptAudit] = [:], language: Language = .en, generatedAt: Date? = nil,
                filters: [(String, String)] = []) {
        self.init(kept: nil, skills: skills, audit: audit, language: language, generatedAt: generatedAt, filters: filters)
    }

    private init(kept: [AttemptRecord]?, skills: [SkillGap], audit: [Int64: AttemptAudit], language: Language, generatedAt: Date?,
                 filters: [(String, String)]) {
        attempts = kept; self.skills = skills; self.audit = audit; self.language = language; self.generatedAt = generatedAt; self.filters = filters
    }

    /// Counts one attempt (as stored) in the figures of its mode, with its latest automatic scores.
    public mutating func add(_ a: AttemptRecord) {
        sectionByMode[a.mode.rawValue, default: Section(mode: a.mode.rawValue)].add(scored(a))
    }

    /// The attempt with its latest automatic scores (those stored at play time when never rescored).
    func scored(_ a: AttemptRecord) -> AttemptRecord { audit[a.id]?.latestAutomatic(a) ?? a }

    // MARK: - Aggregates

    /// Sums of one trainee in one mode.
    struct TraineeStats: Sendable {
        var attempts = 0, abandoned = 0, completed = 0, passed = 0, totalSum = 0, totals = 0
        var categorySum = [Int](repeating: 0, count: Category.allCases.count)
        var categoryCount = [Int](repeating: 0, count: Category.allCases.count)
    }

    struct Mean: Sendable {
        var sum = 0, count = 0
        mutating func add(_ v: Int) { sum += v; count += 1 }
        var value: Double? { count > 0 ? Double(sum) / Double(count) : nil }
    }

    /// Everything about the attempts of one mode (practice, exam, or a mode a newer version wrote).
    struct Section: Sendable {
        var mode: String
        var count = 0, abandoned = 0, passed = 0
        var totals = Mean()
        /// Completed attempts with a total in 0–9, 10–19, … 90–100.
        var histogram = [Int](repeating: 0, count: 10)
        var trainees: [String: TraineeStats] = [:]
        /// By week (days since 1970-01-01 of its Monday, UTC).
        var weekTeam: [Int: Mean] = [:]
        var weekTrainee: [Int: [String: Mean]] = [:]
        var categoriesSeen = Set<Category>()

        init(mode: String) { self.mode = mode }

        mutating func add(_ a: AttemptRecord) {
            count += 1
            var t = trainees[a.trainee] ?? TraineeStats()
            t.attempts += 1
            guard a.status == .completed else {
                abandoned += 1; t.abandoned += 1; trainees[a.trainee] = t
                return
            }
            t.completed += 1
            if a.passed == true { passed += 1; t.passed += 1 }
            for (i, category) in Category.allCases.enumerated() {
                if let score = a.score(category) {
                    t.categorySum[i] += score; t.categoryCount[i] += 1; categoriesSeen.insert(category)
                }
            }
            if let total = AttemptsReport.countedTotal(a) {
                totals.add(total)
                t.totalSum += total; t.totals += 1
                histogram[min(9, max(0, total / 10))] += 1
                let week = HTMLReport.weekStart(a.startedAt)
                weekTeam[week, default: Mean()].add(total)
                weekTrainee[week, default: [:]][a.trainee, default: Mean()].add(total)
            }
            trainees[a.trainee] = t
        }

        /// Trainees by attempts (most first), then name.
        var traineesByAttempts: [String] {
            trainees.sorted { $0.value.attempts != $1.value.attempts ? $0.value.attempts > $1.value.attempts : $0.key < $1.key }
                .map(\.key)
        }

    }

    /// Days from 1970-01-01 to the Monday (UTC) of the week holding `date`.
    static func weekStart(_ date: Date) -> Int {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        // 1970-01-05 (day 4) was a Monday.
        return days - ((days - 4) % 7 + 7) % 7
    }

    /// YYYY-MM-DD of a day counted from 1970-01-01 (proleptic Gregorian, UTC).
    static func dayString(_ days: Int) -> String {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return String(format: "%04d-%02d-%02d", y, m, d)
    }

    // MARK: - Writing

    /// The whole page as one string (tests and small reports; `write` streams it).
    public func render() -> String {
        var out = ""
        write { out += $0 }
        return out
    }

    /// Hands the page to `sink` in order, a piece at a time (one piece per table row), with the
    /// table rows of the attempts the report was made from.
    public func write(_ sink: (String) -> Void) {
        let kept = attempts ?? []
        write(sink, rows: { mode, body in for a in kept where a.mode.rawValue == mode { body(a) } })
    }

    /// Hands the page to `sink` in order, a piece at a time (one piece per table row). `rows(mode, body)`
    /// gives `body` the attempts of one mode (`mode` as stored, e.g. "practice"), in table order, as
    /// stored (the page applies the rescorings in `audit`).
    public func write(_ sink: (String) -> Void,
                      rows: (String, (AttemptRecord) -> Void) throws -> Void) rethrows {
        let w = HTMLReportWords(language)
        let lang = language == .ru ? "ru" : "en"
        sink("""
            <!DOCTYPE html>
            <html lang="\(lang)">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(h(w.title))</title>
            <style>\(AttemptReviewRenderer.css)\n\(Self.css)</style>
            </head>
            <body>
            <h1>\(h(w.title))</h1>

            """)
        var facts: [(String, String)] = filters
        if let generatedAt { facts.append((w.generated, AttemptsReport.tableDate(generatedAt) + " UTC")) }
        if !facts.isEmpty {
            sink("<table class=\"facts\">\n")
            for (label, value) in facts { sink("<tr><th>\(h(label))</th><td>\(h(value))</td></tr>\n") }
            sink("</table>\n")
        }
        let words = Words(language)
        if sections.isEmpty {
            sink("<p class=\"empty\">\(h(words.empty))</p>\n")
        } else if sections.count > 1 {
            sink("<nav><ul class=\"sections\">\n")
            for s in sections { sink("<li><a href=\"#mode-\(h(s.mode))\">\(h(w.sectionTitle(s.mode)))</a></li>\n") }
            sink("</ul></nav>\n")
        }
        for section in sections { try writeSection(section, sink, w, rows) }
        sink("</body>\n</html>\n")
    }

    private func writeSection(_ s: Section, _ sink: (String) -> Void, _ w: HTMLReportWords,
                              _ rows: (String, (AttemptRecord) -> Void) throws -> Void) rethrows {
        let words = Words(language)
        let average = s.totals.value.map { Int($0.rounded()) }
        sink("<section class=\"mode\" id=\"mode-\(h(s.mode))\">\n<h2>\(h(w.sectionTitle(s.mode)))</h2>\n")
        sink("<p class=\"summary\">\(h(words.summary(count: s.count, passed: s.passed, average: average, abandoned: s.abandoned)))</p>\n")
        if s.abandoned > 0 { sink("<p class=\"note\">\(h(w.abandonedNote))</p>\n") }

        // Score distribution.
        sink("<h3>\(h(w.distribution))</h3>\n<figure class=\"chart distribution\">")
        let bins = s.histogram.enumerated().map { i, n in
            SVGChart.Bar(label: i == 9 ? "90–100" : "\(i * 10)–\(i * 10 + 9)", value: Double(n))
        }
        sink(SVGChart.columns(bins, title: w.distribution, empty: w.noTotals))
        sink("</figure>\n")

        // Categories per trainee.
        let ranked = s.traineesByAttempts
        let charted = Array(ranked.prefix(Self.maxTraineesCharted))
        let categories = Category.allCases.filter(s.categoriesSeen.contains)
        let indices = categories.map { Category.allCases.firstIndex(of: $0)! }
        let groups = charted.map { name -> SVGChart.Group in
            let t = s.trainees[name]!
            return SVGChart.Group(label: name, values: indices.map { i in
                t.categoryCount[i] > 0 ? Double(t.categorySum[i]) / Double(t.categoryCount[i]) : nil
            })
        }
        sink("<h3>\(h(w.categoriesPerTrainee))</h3>\n<figure class=\"chart categories\">")
        sink(SVGChart.groupedColumns(groups, series: categories.map(w.category), title: w.categoriesPerTrainee, empty: w.noTotals))
        if ranked.count > charted.count { sink("<figcaption>\(h(w.showingTrainees(charted.count, of: ranked.count)))</figcaption>") }
        sink("</figure>\n")

        // Trend per week.
        sink("<h3>\(h(w.trend))</h3>\n<figure class=\"chart trend\">")
        if let first = s.weekTeam.keys.min(), let last = s.weekTeam.keys.max() {
            let weeks = Array(stride(from: first, through: last, by: 7))
            var series = [SVGChart.Series(name: w.team, values: weeks.map { s.weekTeam[$0]?.value })]
            let withTotals = ranked.filter { (s.trainees[$0]?.totals ?? 0) > 0 }
            if withTotals.count > 1 {
                for name in withTotals.prefix(Self.maxTrendTrainees) {
                    series.append(SVGChart.Series(name: name, values: weeks.map { s.weekTrainee[$0]?[name]?.value }))
                }
            }
            sink(SVGChart.lines(series, xLabels: weeks.map(Self.dayString), title: w.trend, empty: w.noTotals))
            if withTotals.count > Self.maxTrendTrainees { sink("<figcaption>\(h(w.showingTrainees(Self.maxTrendTrainees, of: withTotals.count)))</figcaption>") }
        } else {
            sink(SVGChart.lines([], xLabels: [], title: w.trend, empty: w.noTotals))
        }
        sink("</figure>\n")

        // Weakest skills: bars as long as the share of attempts that lost them.
        let weak = skills.filter { $0.mode.rawValue == s.mode }.prefix(Self.maxWeakSkills)
        let bars = weak.map { item in
            SVGChart.Bar(label: (item.category.map { w.category($0) + ": " } ?? w.critical + ": ") + item.message,
                         value: item.outOf > 0 ? Double(item.attempts) / Double(item.outOf) : 0,
                         text: w.inAttempts(item.attempts, of: item.outOf))
        }
        sink("<h3>\(h(w.weakest))</h3>\n<figure class=\"chart weakest\">")
        sink(SVGChart.rows(Array(bars), title: w.weakest, empty: w.noLosses, scale: 1))
        sink("</figure>\n")
        if !weak.isEmpty {
            sink("<table class=\"weakest\"><tr><th>\(h(w.skill))</th><th>\(h(w.rule))</th><th class=\"num\">\(h(w.attemptsWord))</th></tr>\n")
            for item in weak {
                sink("<tr><td>\(h(item.message))</td><td><code>\(h(item.rule))</code></td>"
                     + "<td class=\"num\">\(h(w.inAttempts(item.attempts, of: item.outOf)))</td></tr>\n")
            }
            sink("</table>\n")
        }

        // Per trainee.
        sink("<h3>\(h(w.perTrainee))</h3>\n<table class=\"trainees\">\n<tr><th>\(h(words.trainee))</th>"
             + "<th class=\"num\">\(h(w.attemptsWord))</th><th class=\"num\">\(h(w.abandonedWord))</th>"
             + "<th class=\"num\">\(h(w.passedWord))</th><th class=\"num\">\(h(w.meanTotal))</th></tr>\n")
        for name in ranked {
            let t = s.trainees[name]!
            let mean = t.totals > 0 ? String(Int((Double(t.totalSum) / Double(t.totals)).rounded())) : AttemptsReport.missing
            sink("<tr><td>\(h(name))</td><td class=\"num\">\(t.attempts)</td><td class=\"num\">\(t.abandoned)</td>"
                 + "<td class=\"num\">\(t.passed)</td><td class=\"num\">\(mean)</td></tr>\n")
        }
        sink("</table>\n")

        // The attempts, one row at a time.
        sink("<h3>\(h(w.attemptsTitle))</h3>\n<table class=\"attempts\">\n<tr><th class=\"num\">#</th><th>\(h(words.trainee))</th>"
             + "<th>\(h(words.scenario))</th><th>\(h(words.date))</th><th class=\"num\">\(h(words.correct))</th>"
             + "<th class=\"num\">\(h(words.polite))</th><th class=\"num\">\(h(words.escalation))</th>"
             + "<th class=\"num\">\(h(words.total))</th><th>\(h(words.result))</th></tr>\n")
        let number: (Int?) -> String = { $0.map(String.init) ?? AttemptsReport.missing }
        // Overrides and rescorings of the rows written, for the notes under the table (memory grows
        // only with the audited attempts, which are read whole anyway).
        var notes: [String] = []
        var rescoredNotes: [String] = []
        try withoutActuallyEscaping(sink) { sink in try rows(s.mode) { stored in
            let a = scored(stored)
            let entry = audit[a.id]
            // The scores as played, when a rescoring changed them.
            var original: AttemptRecord?
            var rescoredTitle = ""
            if let entry, !entry.rescorings.isEmpty,
               let note = AttemptsReport.rescoringNote(a, original: stored, audit: entry, language: language) {
                original = stored
                rescoredTitle = note
                rescoredNotes.append(note)
            }
            let cls: String
            if a.status == .completed { cls = a.passed == true ? "passed" : a.passed == false ? "failed" : "unknown" }
            else { cls = a.status == .abandoned ? "abandoned" : "unknown" }
            // "80", or "80 (72)" when a rescoring changed it from 72.
            func automatic(_ value: Int?, was: Int?) -> (text: String, rescored: Bool) {
                guard original != nil, was != value else { return (number(value), false) }
                return (number(value) + " (" + number(was) + ")", true)
            }
            let scores = [Category.correctness, .politeness, .escalation].map { c -> String in
                let (shown, rescored) = automatic(a.score(c), was: original?.score(c))
                let o = entry?.override(c)
                var classes = ["num"], titles: [String] = []
                if rescored { classes.append("rescored"); titles.append(rescoredTitle) }
                var text = shown
                if let o {
                    let note = "#\(a.id) " + AttemptsReport.overrideText(c, automatic: a.score(c), o, language: language)
                    notes.append(note)
                    classes.append("overridden"); titles.append(note); text += " → \(o.score)"
                }
                guard !titles.isEmpty else { return "<td class=\"num\">\(h(text))</td>" }
                return "<td class=\"\(classes.joined(separator: " "))\"><span title=\"\(h(titles.joined(separator: "; ")))\">\(h(text))</span></td>"
            }
            let (total, totalRescored) = automatic(AttemptsReport.countedTotal(a), was: original.flatMap(AttemptsReport.countedTotal))
            let totalCell = totalRescored
                ? "<td class=\"num rescored\"><span title=\"\(h(rescoredTitle))\">\(h(total))</span></td>"
                : "<td class=\"num\">\(h(total))</td>"
            let id = original == nil ? "\(a.id)" : "\(a.id)\(AttemptsReport.rescoredMarker)"
            sink("<tr class=\"row-\(cls)\"><td class=\"num\">\(id)</td><td>\(h(a.trainee))</td><td>\(h(a.scenarioID))</td>"
                 + "<td>\(AttemptsReport.tableDate(a.startedAt))</td>" + scores.joined()
                 + totalCell + "<td class=\"\(cls)\">\(h(words.result(a)))</td></tr>\n")
        } }
        sink("</table>\n")
        if !rescoredNotes.isEmpty {
            sink("<p class=\"note\">\(h(w.rescoredNote))</p>\n<ul class=\"rescorings\">\n")
            for note in rescoredNotes { sink("<li>\(h(note))</li>\n") }
            sink("</ul>\n")
        }
        if !notes.isEmpty {
            sink("<p class=\"note\">\(h(w.overridesNote))</p>\n<ul class=\"overrides\">\n")
            for note in notes { sink("<li>\(h(note))</li>\n") }
            sink("</ul>\n")
        }
        sink("</section>\n")
    }

    /// Sanitised (no control or escape sequences, on one line) and escaped for HTML.
    func h(_ s: String) -> String { HTMLEscape.escape(TerminalText.sanitize(s, keepNewlines: false)) }

    static let css = """
        body{max-width:64em}
        h3{font-size:1em;margin:1.4em 0 .3em}
        figure.chart{margin:.4em 0}figure.chart svg{max-width:100%;height:auto;font:11px system-ui,sans-serif}
        svg text.empty{fill:#777;font-size:13px}svg text.legend{fill:#333}svg text.value,svg text.tick{fill:#555}
        figcaption{font-size:.85em;color:#666}
        nav ul.sections{list-style:none;padding:0;display:flex;gap:1.2em}
        table.attempts,table.trainees,table.weakest{border-collapse:collapse;font-size:.85em;margin:.4em 0}
        table.attempts th,table.attempts td,table.trainees th,table.trainees td,table.weakest th,table.weakest td{padding:.15em .5em;border-bottom:1px solid #eee;text-align:left}
        table.attempts td.num,table.attempts th.num,table.trainees .num,table.weakest .num{text-align:right}
        tr.row-abandoned td{color:#888}
        td.overridden span,td.rescored span{text-decoration:underline dotted;cursor:help}ul.overrides,ul.rescorings{font-size:.85em;color:#444}
        p.summary{font-weight:bold}
        section.mode{border-top:2px solid #8ab;margin-top:2em}
        """
}

/// The report's own words in English and Russian (table headers come from `Words`).
struct HTMLReportWords {
    let language: Language
    init(_ language: Language) { self.language = language }
    private func t(_ en: String, _ ru: String) -> String { language == .ru ? ru : en }

    var title: String { t("SupportSim — attempts report", "SupportSim — отчёт о попытках") }
    var generated: String { t("Generated", "Создан") }
    func sectionTitle(_ mode: String) -> String {
        switch mode {
        case "practice": t("Practice", "Тренировка")
        case "exam": t("Exam", "Экзамен")
        default: t("Unknown mode", "Неизвестный режим") + " (" + mode + ")"
        }
    }
    var abandonedNote: String {
        t("Abandoned attempts have no total: they are counted, but left out of the averages and charts of totals.",
          "У прерванных попыток нет итога: они посчитаны, но не входят в средние и графики итогов.")
    }
    var distribution: String { t("Score distribution (totals of completed attempts)", "Распределение итогов (завершённые попытки)") }
    var categoriesPerTrainee: String { t("Mean score per category and trainee", "Средний балл по категориям и стажёрам") }
    var trend: String { t("Mean total per week", "Средний итог по неделям") }
    var weakest: String { t("Weakest skills (points lost)", "Слабые навыки (потерянные баллы)") }
    var perTrainee: String { t("Trainees", "Стажёры") }
    var attemptsTitle: String { t("Attempts", "Попытки") }
    var team: String { t("team", "команда") }
    var overridesNote: String {
        t("Scores overridden by a manager are shown as automatic → override; the total and the result stay automatic.",
          "Оценки, переопределённые руководителем, показаны как «автоматическая → новая»; итог и результат остаются автоматическими.")
    }
    var rescoredNote: String {
        t("Attempts marked * were rescored: the latest automatic score is shown, with the score as played in brackets.",
          "Попытки со знаком * переоценены: показана последняя автоматическая оценка, в скобках — оценка при прохождении.")
    }
    var noTotals: String { t("No completed attempts with a total.", "Нет завершённых попыток с итогом.") }
    var noLosses: String { t("No points lost.", "Баллы не потеряны.") }
    var critical: String { t("critical", "критично") }
    var skill: String { t("Skill", "Навык") }
    var rule: String { t("Rule", "Правило") }
    var attemptsWord: String { t("Attempts", "Попыток") }
    var abandonedWord: String { t("Abandoned", "Прервано") }
    var passedWord: String { t("Passed", "Сдано") }
    var meanTotal: String { t("Mean total", "Средний итог") }
    func inAttempts(_ n: Int, of m: Int) -> String {
        t("in \(n) of \(m) \(m == 1 ? "attempt" : "attempts")", "в \(n) из \(m)")
    }
    func showingTrainees(_ n: Int, of m: Int) -> String {
        t("The \(n) trainees with the most attempts, of \(m).", "\(n) стажёров с наибольшим числом попыток из \(m).")
    }
    /// The debrief's word for a category, as the notes under the table use it (one catalogue: `UIStrings`).
    func category(_ c: Category) -> String { AttemptsReport.categoryName(c, language) }
    func category(_ c: StoredValue<Category>) -> String { c.known.map(category) ?? c.rawValue }
}
