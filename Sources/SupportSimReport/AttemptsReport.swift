import Foundation
import SupportSimCore
import SupportSimStore

public enum ReportFormat: String, Sendable, CaseIterable {
    /// Aligned columns for the terminal.
    case table
    /// RFC 4180 with a UTF-8 byte-order mark and CRLF line ends, for spreadsheet programs.
    case csv
    /// An array of objects with stable snake_case keys.
    case json
    /// The same objects as `json`, one per line (newline-delimited JSON).
    case ndjson
    /// One self-contained page with charts (see `HTMLReport`).
    case html
}

/// A list of attempts rendered as a terminal table, CSV or JSON. Pure: values in, text out.
public struct AttemptsReport: Sendable {
    public var attempts: [AttemptRecord]
    /// The path of each attempt, by id, for the JSON format (`path` and `final_node`); an attempt
    /// without one shows `path: null` and its stored final node.
    public var paths: [Int64: AttemptPath]
    /// Overrides and rescorings by attempt id: attempts show their latest automatic scores, with
    /// overrides beside them and the scores stored at play time in JSON (`original_scores`).
    public var audit: [Int64: AttemptAudit]

    public init(attempts: [AttemptRecord], paths: [Int64: AttemptPath] = [:], audit: [Int64: AttemptAudit] = [:]) {
        self.attempts = attempts.map { audit[$0.id]?.latestAutomatic($0) ?? $0 }; self.paths = paths; self.audit = audit
        self.originals = Dictionary(attempts.filter { audit[$0.id]?.rescorings.isEmpty == false }.map { ($0.id, $0) },
                                    uniquingKeysWith: { a, _ in a })
    }

    /// The attempts as stored at play time, for those rescored since.
    var originals: [Int64: AttemptRecord]

    /// The text ends with a line break (CRLF for CSV), so write it as is (`print(text, terminator: "")`).
    /// - Parameters:
    ///   - language: the language of table headers and words (CSV and JSON are always English).
    ///   - color: colour the result column with ANSI escapes (table only).
    public func render(_ format: ReportFormat, language: Language = .en, color: Bool = false) -> String {
        switch format {
        case .table: table(language: language, color: color)
        case .csv: csv()
        case .json: json()
        case .ndjson: AttemptsReport.stream(.ndjson, attempts.map { ($0, paths[$0.id]) })
        // As stored: the page applies the latest rescoring itself and keeps the scores as played beside it.
        case .html: HTMLReport(attempts: attempts.map { originals[$0.id] ?? $0 }, audit: audit, language: language).render()
        }
    }

    // MARK: - Table

    /// The table's width: every line fits a terminal of 80 columns (display width), with the
    /// trainee and scenario columns sharing what the other columns leave.
    static let tableWidth = 80
    /// The narrowest the trainee and scenario columns get before the table would overflow.
    static let minNameWidth = 6
    /// Cut of a mode or result cell: known values are shorter; a value written by a newer version
    /// ("unknown (paused)") is shown as it is stored, up to this width, leaving less room to the names.
    static let maxModeWidth = 12
    static let maxResultWidth = 20
    static let missing = "—"

    private func table(language: Language, color: Bool) -> String {
        let words = Words(language)
        guard !attempts.isEmpty else { return words.empty + "\n" }

        let columns: [TextTable.Column] = [
            // Gaps of one space where the neighbours cannot run together (numbers, a date), two between names.
            .init("#", rightAligned: true), .init(words.trainee, gap: 1), .init(words.scenario), .init(words.date, gap: 1),
            .init(words.mode, gap: 1), .init(words.correct, rightAligned: true, gap: 1), .init(words.polite, rightAligned: true, gap: 1),
            .init(words.escalation, rightAligned: true, gap: 1), .init(words.total, rightAligned: true, gap: 1),
            .init(words.result),
        ]
        let number: (Int?) -> String = { $0.map(String.init) ?? Self.missing }
        // Every column but the trainee (1) and scenario (2) first, to know what is left for those two.
        var rows: [[String]] = attempts.map { a in
            [
                idCell(a), "", "",
                Self.tableDate(a.startedAt, short: true),
                Self.cell(words.shortMode(a.mode), max: Self.maxModeWidth),
                scoreCell(a, .correctness), scoreCell(a, .politeness), scoreCell(a, .escalation), number(Self.countedTotal(a)),
                Self.cell(words.result(a), max: Self.maxResultWidth),
            ]
        }
        let names = attempts.map { (TerminalText.sanitize($0.trainee, keepNewlines: false),
                                    TerminalText.sanitize($0.scenarioID, keepNewlines: false)) }
        let used = columns.indices.filter { $0 != 1 && $0 != 2 }.map { i in
            max(DisplayWidth.of(columns[i].title), rows.map { DisplayWidth.of($0[i]) }.max() ?? 0)
        }.reduce(0, +) + columns.dropFirst().map(\.gap).reduce(0, +)
        let (traineeWidth, scenarioWidth) = Self.nameWidths(
            room: Self.tableWidth - used,
            trainee: names.map { DisplayWidth.of($0.0) }.max() ?? 0, scenario: names.map { DisplayWidth.of($0.1) }.max() ?? 0,
            headers: (DisplayWidth.of(words.trainee), DisplayWidth.of(words.scenario)))
        for i in rows.indices {
            rows[i][1] = DisplayWidth.truncate(names[i].0, to: traineeWidth)
            rows[i][2] = DisplayWidth.truncate(names[i].1, to: scenarioWidth)
        }
        let resultColumn = columns.count - 1
        var out = TextTable(columns: columns, rows: rows).render { row, column, text in
            guard color else { return text }
            guard let row else { return "\u{1B}[1m\(text)\u{1B}[0m" }
            guard column == resultColumn, let code = Self.resultColor(attempts[row]) else { return text }
            return "\u{1B}[\(code)m\(text)\u{1B}[0m"
        }
        out += words.summary(
            count: attempts.count,
            passed: attempts.filter { $0.passed == true }.count,
            average: Self.averageTotal(attempts),
            abandoned: attempts.filter { $0.status != .completed }.count) + "\n"
        out += auditNotes(language: language)
        return out
    }

    /// How wide the trainee and scenario values may be, given the room the other columns leave and the
    /// widest value of each: whole when both fit, else the trainee gets up to half and the scenario the
    /// rest. A column is never narrower than its header (nor `minNameWidth`), so the table can pass 80
    /// columns only when the others are unusually wide (ids of seven digits, three overrides of 100).
    static func nameWidths(room: Int, trainee: Int, scenario: Int, headers: (Int, Int)) -> (Int, Int) {
        let trainee = max(trainee, headers.0), scenario = max(scenario, headers.1)
        if trainee + scenario <= room { return (trainee, scenario) }
        let traineeWidth = max(minNameWidth, headers.0, min(trainee, max(room / 2, room - scenario)))
        return (traineeWidth, max(minNameWidth, headers.1, room - traineeWidth))
    }

    /// Sanitised for the terminal, on one line, and cut to `max` columns.
    static func cell(_ text: String, max: Int) -> String {
        DisplayWidth.truncate(TerminalText.sanitize(text, keepNewlines: false), to: max)
    }

    static func resultColor(_ a: AttemptRecord) -> String? {
        guard a.status == .completed, let passed = a.passed else { return a.status == .abandoned ? "2" : nil }
        return passed ? "32" : "31"
    }

    /// The total as it counts: an attempt that was not completed (abandoned) has none, whatever was
    /// scored of what was played, so it never shows a total or weighs in an average.
    static func countedTotal(_ a: AttemptRecord) -> Int? { a.status == .completed ? a.total : nil }

    /// The mean total of the completed attempts (abandoned ones are left out).
    static func averageTotal(_ attempts: [AttemptRecord]) -> Int? {
        let totals = attempts.compactMap(countedTotal)
        guard !totals.isEmpty else { return nil }
        return Int((Double(totals.reduce(0, +)) / Double(totals.count)).rounded())
    }

    /// `2026-10-26 07:33`, or with `short` only the day (`2026-10-26`), UTC.
    static func tableDate(_ date: Date, short: Bool = false) -> String {
        let c = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        if short { return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!) }
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    static func isoDate(_ date: Date) -> String {
        let c = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    // MARK: - CSV

    static let csvHeader = [
        "id", "trainee", "scenario_id", "scenario_title", "scenario_version", "language", "mode", "seed",
        "started_at", "ended_at", "status", "ending", "correctness", "politeness", "escalation", "total",
        "pass_mark", "passed", "critical_count", "turns", "retries",
        // Added at the end, so that spreadsheets built on the columns above keep working.
        "correctness_override", "politeness_override", "escalation_override", "override_by", "override_reason",
    ]

    /// The categories with an override column in CSV (those with a score column).
    static let csvOverrideCategories: [Category] = [.correctness, .politeness, .escalation]

    private func csv() -> String {
        "\u{FEFF}" + ([Self.csvHeader.joined(separator: ",")] + attempts.map { Self.csvRow($0, audit: audit[$0.id]) }).map { $0 + "\r\n" }.joined()
    }

    /// One attempt as a CSV line (without its line end). Our own numbers (ids, scores, counts) are
    /// written as numbers; every text cell is sanitised, guarded against formulas and quoted as needed.
    /// The scores are the automatic ones; the latest override of each category follows at the end
    /// (empty when there is none), with who overrode and why (several joined by ` | `, in category order).
    static func csvRow(_ a: AttemptRecord, audit: AttemptAudit? = nil) -> String {
        let overrides = csvOverrideCategories.map { audit?.override($0) }
        let given = overrides.compactMap { $0 }
        enum Field { case text(String?), number(String?) }
        var fields: [Field] = [
            .number(String(a.id)), .text(a.trainee), .text(a.scenarioID), .text(a.scenarioTitle),
            .number(String(a.scenarioVersion)), .text(a.language.rawValue), .text(a.mode.rawValue),
            .number(String(a.seed)), .text(Self.isoDate(a.startedAt)), .text(a.endedAt.map(Self.isoDate)),
            .text(a.status.rawValue), .text(a.ending?.rawValue),
            .number(a.correctness.map(String.init)), .number(a.politeness.map(String.init)),
            .number(a.escalation.map(String.init)), .number(Self.countedTotal(a).map(String.init)),
            .number(a.passMark.map(String.init)), .text(a.passed.map { $0 ? "true" : "false" }),
            .number(String(a.criticalCount)), .number(String(a.turnCount)), .number(String(a.retries)),
        ]
        for o in overrides { fields.append(.number(o.map { String($0.score) })) }
        let by: [String] = given.map { TerminalText.sanitize($0.by, keepNewlines: false) }
        let reasons: [String] = given.map { TerminalText.sanitize($0.reason, keepNewlines: false) }
        fields.append(.text(given.isEmpty ? nil : by.joined(separator: " | ")))
        fields.append(.text(given.isEmpty ? nil : reasons.joined(separator: " | ")))
        return fields.map { field in
            switch field {
            case .number(let value): value ?? ""
            case .text(let value): value.map { Self.csvQuote(Self.formulaGuard(TerminalText.sanitize($0))) } ?? ""
            }
        }.joined(separator: ",")
    }

    /// A text cell that a spreadsheet would read as a formula gets a leading apostrophe: one that starts
    /// with `=`, `+`, `-`, `@`, tab or CR, with their full-width forms (`＝＋－＠`, which some spreadsheet
    /// programs convert), or with spaces or line breaks before any of them. Our own numeric fields
    /// never pass through here, so a score stays a number; a text cell such as a trainee named "-5" is
    /// text and gets the apostrophe.
    static func formulaGuard(_ text: String) -> String {
        let triggers = "=+-@\t\r\u{FF1D}\u{FF0B}\u{FF0D}\u{FF20}".unicodeScalars
        guard let first = text.unicodeScalars.first(where: { $0 != " " && $0 != "\n" && $0 != "\u{3000}" }),
            triggers.contains(first)
        else { return text }
        return "'" + text
    }

    /// RFC 4180: fields containing a comma, quote, CR or LF are quoted, with quotes doubled.
    static func csvQuote(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - JSON

    struct JSONAttempt: Encodable {
        let a: AttemptRecord
        let path: AttemptPath?
        var audit: AttemptAudit? = nil
        var original: AttemptRecord? = nil

        enum Key: String, CodingKey {
            case id, trainee, scenario_id, scenario_title, scenario_version, language, mode, seed, started_at,
                ended_at, status, ending, correctness, politeness, escalation, total, pass_mark, passed,
                critical_count, turns, retries, path, final_node, overrides, original_scores
        }

        func encode(to encoder: any Encoder) throws {
            // Optionals are encoded explicitly so that missing values appear as null, never as absent keys.
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(a.id, forKey: .id)
            try c.encode(a.trainee, forKey: .trainee)
            try c.encode(a.scenarioID, forKey: .scenario_id)
            try c.encode(a.scenarioTitle, forKey: .scenario_title)
            try c.encode(a.scenarioVersion, forKey: .scenario_version)
            try c.encode(a.language.rawValue, forKey: .language)
            try c.encode(a.mode.rawValue, forKey: .mode)
            try c.encode(a.seed, forKey: .seed)
            try c.encode(AttemptsReport.isoDate(a.startedAt), forKey: .started_at)
            try c.encode(a.endedAt.map(AttemptsReport.isoDate), forKey: .ended_at)
            try c.encode(a.status.rawValue, forKey: .status)
            try c.encode(a.ending?.rawValue, forKey: .ending)
            try c.encode(a.correctness, forKey: .correctness)
            try c.encode(a.politeness, forKey: .politeness)
            try c.encode(a.escalation, forKey: .escalation)
            try c.encode(AttemptsReport.countedTotal(a), forKey: .total)
            try c.encode(a.passMark, forKey: .pass_mark)
            try c.encode(a.passed, forKey: .passed)
            try c.encode(a.criticalCount, forKey: .critical_count)
            try c.encode(a.turnCount, forKey: .turns)
            try c.encode(a.retries, forKey: .retries)
            try c.encode(path?.nodes, forKey: .path)
            try c.encode(path?.finalNode ?? a.finalNode, forKey: .final_node)
            try c.encode(AttemptsReport.overridesJSON(audit), forKey: .overrides)
            try c.encode(original.map(AttemptsReport.scoresJSON), forKey: .original_scores)
        }
    }

    private func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, numbers and booleans cannot fail.
        let data = (try? encoder.encode(attempts.map { JSONAttempt(a: $0, path: paths[$0.id], audit: audit[$0.id], original: originals[$0.id]) })) ?? Data("[]".utf8)
        // JSONEncoder leaves DEL and C1 controls raw: escape them so the output is safe on a terminal.
        return TerminalText.jsonEscapingControls(String(decoding: data, as: UTF8.self)) + "\n"
    }
}

/// Table headers and words in the report's language.
struct Words {
    let language: Language
    init(_ language: Language) { self.language = language }

    private func t(_ en: String, _ ru: String) -> String { language == .ru ? ru : en }

    var trainee: String { t("Trainee", "Стажёр") }
    var scenario: String { t("Scenario", "Сценарий") }
    var date: String { t("Date", "Дата") }
    var mode: String { t("Mode", "Режим") }
    var correct: String { t("Corr.", "Корр.") }
    var polite: String { t("Pol.", "Вежл.") }
    var escalation: String { t("Esc.", "Эск.") }
    var total: String { t("Total", "Итог") }
    var result: String { t("Result", "Результат") }
    var empty: String {
        t("No attempts yet. Run `supportsim play` to start one.",
          "Попыток пока нет. Запустите `supportsim play`, чтобы начать.")
    }

    func mode(_ mode: StoredValue<PlayMode>) -> String {
        switch mode {
        case .known(.practice): t("practice", "тренировка")
        case .known(.exam): t("exam", "экзамен")
        case .unknown(let raw): unknown(raw)
        }
    }

    /// The mode in the attempts table, short so that the table fits 80 columns.
    func shortMode(_ mode: StoredValue<PlayMode>) -> String {
        switch mode {
        case .known(.practice): t("pract.", "трен.")
        case .known(.exam): t("exam", "экз.")
        case .unknown(let raw): unknown(raw)
        }
    }

    /// A value written by a newer version (or by hand), shown as it is stored.
    func unknown(_ raw: String) -> String {
        t("unknown", "неизвестно") + " (" + AttemptsReport.cell(raw, max: 16) + ")"
    }

    func result(_ a: AttemptRecord) -> String {
        if case .unknown(let raw) = a.status { return unknown(raw) }
        if a.status == .abandoned { return t("abandoned", "прервано") }
        switch a.passed {
        case true?: return t("PASSED", "сдано")
        case false?: return t("FAILED", "не сдано")
        case nil: return AttemptsReport.missing
        }
    }

    /// The average is over completed attempts only; abandoned ones are counted apart.
    func summary(count: Int, passed: Int, average: Int?, abandoned: Int = 0) -> String {
        let avg = average.map(String.init) ?? AttemptsReport.missing
        if language == .ru {
            let cut = abandoned > 0 ? " (прервано: \(abandoned))" : ""
            return "Попыток: \(count)\(cut), сдано: \(passed), средний итог: \(avg)"
        }
        let cut = abandoned > 0 ? " (\(abandoned) abandoned)" : ""
        return "\(count) \(count == 1 ? "attempt" : "attempts")\(cut), \(passed) passed, average total \(avg)"
    }
}
