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
        case .json, .ndjson: streamed(format)
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
        // The rows as stored (before any rescoring), through the same renderer the streamed table uses.
        let stored = attempts.map { originals[$0.id] ?? $0 }
        var renderer = AttemptTableRenderer(facts: Self.tableFacts(stored, audit: audit), audit: audit, language: language, color: color)
        var out = ReportBytes()
        out.append(renderer.header())
        for a in stored { renderer.append(a, to: &out) }
        out.append(renderer.footer())
        return out.text
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
        if let c = UTCFields(date) {
            return c.text(time: short ? .none : .minutes)
        }
        let c = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        if short { return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!) }
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    static func isoDate(_ date: Date) -> String {
        var out = ReportBytes()
        appendISODate(date, to: &out)
        return out.text
    }

    /// `2026-10-26T07:33:05Z` (UTC, whole seconds) appended to `out`.
    static func appendISODate(_ date: Date, to out: inout ReportBytes) {
        if let c = UTCFields(date) {
            c.append(time: .iso, to: &out)
            return
        }
        let c = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        out.append(String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!))
    }

    /// The UTC calendar fields of a moment from 1970 to 9999, worked out arithmetically (the
    /// proleptic Gregorian calendar, as `utcCalendar` gives for those years) instead of through
    /// `Calendar`, which is slow enough to dominate a large CSV or JSON report. Other moments
    /// (nil) go through `Calendar`.
    struct UTCFields {
        var year, month, day, hour, minute, second: Int

        init?(_ date: Date) {
            let t = date.timeIntervalSince1970
            guard t >= 0, t < 253_402_300_800 else { return nil }  // 1970-01-01 ..< 10000-01-01
            let seconds = Int(t.rounded(.down))
            let days = seconds / 86_400
            let rest = seconds - days * 86_400
            hour = rest / 3600; minute = rest / 60 % 60; second = rest % 60
            // Days to civil date (H. Hinnant's algorithm), for days >= 0 since 1970-01-01.
            let z = days + 719_468
            let era = z / 146_097
            let doe = z - era * 146_097
            let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
            let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
            let mp = (5 * doy + 2) / 153
            day = doy - (153 * mp + 2) / 5 + 1
            month = mp < 10 ? mp + 3 : mp - 9
            year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        }

        enum Time { case none, minutes, iso }

        func text(time: Time) -> String {
            var out = ReportBytes(capacity: 20)
            append(time: time, to: &out)
            return out.text
        }

        func append(time: Time, to out: inout ReportBytes) {
            func put(_ value: Int, _ digits: Int) {
                var divisor = digits == 4 ? 1000 : 10
                while divisor > 0 {
                    out.bytes.append(UInt8(truncatingIfNeeded: 48 + value / divisor % 10))
                    divisor /= 10
                }
            }
            put(year, 4); out.bytes.append(UInt8(ascii: "-")); put(month, 2); out.bytes.append(UInt8(ascii: "-")); put(day, 2)
            guard time != .none else { return }
            out.bytes.append(UInt8(ascii: time == .iso ? "T" : " "))
            put(hour, 2); out.bytes.append(UInt8(ascii: ":")); put(minute, 2)
            guard time == .iso else { return }
            out.bytes.append(UInt8(ascii: ":")); put(second, 2); out.bytes.append(UInt8(ascii: "Z"))
        }
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
        var out = ReportBytes()
        appendCSVRow(a, audit: audit, to: &out)
        return out.text
    }

    /// `csvRow`, appended to `out`.
    static func appendCSVRow(_ a: AttemptRecord, audit: AttemptAudit? = nil, to out: inout ReportBytes) {
        let comma = UInt8(ascii: ",")
        func number<T: BinaryInteger>(_ value: T?) { if let value { out.appendDecimal(value) }; out.append(byte: comma) }
        func text(_ value: String?) { if let value { appendCSVText(value, to: &out) }; out.append(byte: comma) }
        number(a.id); text(a.trainee); text(a.scenarioID); text(a.scenarioTitle)
        number(a.scenarioVersion); text(a.language.rawValue); text(a.mode.rawValue)
        number(a.seed)
        appendISODate(a.startedAt, to: &out); out.append(byte: comma)   // digits, dashes and colons: nothing to guard or quote
        if let ended = a.endedAt { appendISODate(ended, to: &out) }
        out.append(byte: comma)
        text(a.status.rawValue); text(a.ending?.rawValue)
        number(a.correctness); number(a.politeness); number(a.escalation); number(countedTotal(a))
        number(a.passMark); text(a.passed.map { $0 ? "true" : "false" })
        number(a.criticalCount); number(a.turnCount); number(a.retries)
        guard let audit, !audit.overrideHistory.isEmpty else {
            out.append(",,,,")   // no override: five empty cells
            return
        }
        let overrides = csvOverrideCategories.map { audit.override($0) }
        let given = overrides.compactMap { $0 }
        for o in overrides { number(o.map(\.score)) }
        let by: [String] = given.map { TerminalText.sanitize($0.by, keepNewlines: false) }
        let reasons: [String] = given.map { TerminalText.sanitize($0.reason, keepNewlines: false) }
        if !given.isEmpty { appendCSVText(by.joined(separator: " | "), to: &out) }
        out.append(byte: comma)
        if !given.isEmpty { appendCSVText(reasons.joined(separator: " | "), to: &out) }
    }

    /// A text cell: sanitised, guarded against formulas and quoted as needed. Printable ASCII with
    /// nothing to guard or quote (most cells) is appended as it is, in one pass over its bytes.
    static func appendCSVText(_ value: String, to out: inout ReportBytes) {
        var value = value
        let plain = value.withUTF8 { bytes -> Bool in
            guard let first = bytes.first else { return true }
            if first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
                || first == UInt8(ascii: "@") || first == UInt8(ascii: " ") { return false }
            for b in bytes where b < 0x20 || b == 0x7F || b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") { return false }
            // Non-ASCII text may hold C1 or bidi controls (sanitised) or a full-width formula sign
            // first (guarded): those go the long way.
            if first >= 0x80 { return false }
            for b in bytes where b == 0xC2 || b == 0xE2 || b == 0xEF { return false }
            return true
        }
        if plain {
            out.bytes.append(contentsOf: value.utf8)
        } else {
            out.append(csvQuote(formulaGuard(TerminalText.sanitize(value))))
        }
    }

    static func appendCSVText(_ value: String, to out: inout String) {
        var bytes = ReportBytes()
        appendCSVText(value, to: &bytes)
        out += bytes.text
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
        guard text.utf8.contains(UInt8(ascii: "\"")) else { return "\"" + text + "\"" }
        return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    // MARK: - JSON

    /// An attempt as `JSONEncoder` encodes it: the reference the hand-written writer (`appendJSON`)
    /// follows key for key; tests compare the two.
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

    /// JSON or NDJSON through the streamed writer (`AttemptRowRenderer`), so a list rendered whole is
    /// the text `report` streams, overrides and original scores included.
    private func streamed(_ format: ReportFormat) -> String {
        var renderer = AttemptRowRenderer(format)
        var out = ReportBytes()
        out.append(renderer.header())
        for a in attempts { renderer.append(originals[a.id] ?? a, path: paths[a.id], audit: audit[a.id], to: &out) }
        out.append(renderer.footer())
        return out.text
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

    func result(_ a: AttemptRecord) -> String { result(status: a.status, passed: a.passed) }

    func result(status: StoredValue<AttemptStatus>, passed: Bool?) -> String {
        if case .unknown(let raw) = status { return unknown(raw) }
        if status == .abandoned { return t("abandoned", "прервано") }
        switch passed {
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
