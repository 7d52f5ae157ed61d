import Foundation
import SupportSimCore
import SupportSimStore

/// `supportsim report --by …`: figures per group (computed by the store in SQL), the trainees'
/// recency-weighted proficiency and the team's weakest skills, as a table that fits 80 columns,
/// CSV or JSON. Pure: values in, text out. Practice and exam are always in separate groups.
public struct GroupedReport: Sendable {
    public var grouping: AttemptGrouping
    public var groups: [GroupFigures]
    /// Per trainee and mode (shown with `--by trainee`).
    public var proficiency: [Proficiency]
    /// The weakest skills, worst first within each mode.
    public var skills: [SkillGap]
    /// Days in each trend window for trainees, scenarios and categories.
    public var trendWindow: Int
    /// The half-life of the proficiency weights, in days.
    public var halfLife: Double
    /// The width the text table fits (80 by default).
    public var width: Int

    public init(grouping: AttemptGrouping, groups: [GroupFigures], proficiency: [Proficiency] = [],
                skills: [SkillGap] = [], trendWindow: Int = 30, halfLife: Double = 14, width: Int = 80) {
        self.grouping = grouping; self.groups = groups; self.proficiency = proficiency; self.skills = skills
        self.trendWindow = trendWindow; self.halfLife = halfLife; self.width = width
    }

    /// The text ends with a line break (CRLF for CSV).
    public func render(_ format: ReportFormat, language: Language = .en) -> String {
        switch format {
        case .table: text(GroupWords(language))
        case .csv: csv()
        case .json: json()
        case .ndjson: ndjson()
        // `report` refuses --by with --format html (the HTML page has figures of its own); this is
        // the text form in a page, for other callers.
        case .html:
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"/></head><body><pre>"
                + HTMLEscape.escape(TerminalText.sanitize(text(GroupWords(language)))) + "</pre></body></html>\n"
        }
    }

    /// The modes present, practice first.
    private var modes: [StoredValue<PlayMode>] {
        var seen: [StoredValue<PlayMode>] = []
        for mode in groups.map(\.mode) + skills.map(\.mode) where !seen.contains(mode) { seen.append(mode) }
        return seen.sorted { $0.rawValue < $1.rawValue }.sorted { a, _ in a == .practice }
    }

    // MARK: - Text

    private func text(_ w: GroupWords) -> String {
        if grouping == .skill {
            guard !skills.isEmpty else { return w.noSkills + "\n" }
            return modes.map { skillTable($0, w, all: true) }.joined(separator: "\n")
        }
        guard !groups.isEmpty else { return Words(w.language).empty + "\n" }
        var sections: [String] = []
        for mode in modes {
            let rows = groups.filter { $0.mode == mode }
            guard !rows.isEmpty else { continue }
            sections.append(grouping == .category ? categoryTable(mode, rows, w) : groupTable(mode, rows, w))
        }
        if grouping == .trainee, !proficiency.isEmpty { sections.append(proficiencyTable(w)) }
        let weak = modes.map { skillTable($0, w, all: false) }.filter { !$0.isEmpty }
        sections += weak
        return sections.joined(separator: "\n") + "\n" + w.notes(grouping, window: trendWindow).map { $0 + "\n" }.joined()
    }

    private func groupTable(_ mode: StoredValue<PlayMode>, _ rows: [GroupFigures], _ w: GroupWords) -> String {
        let columns: [TextTable.Column] = [
            .init(w.groupTitle(grouping)), .init(w.attempts, rightAligned: true), .init(w.abandoned, rightAligned: true),
            .init(w.pass, rightAligned: true), .init(w.total, rightAligned: true), .init(w.correct, rightAligned: true),
            .init(w.polite, rightAligned: true), .init(w.escalation, rightAligned: true), .init(w.trend, rightAligned: true),
        ]
        let cells: [[String]] = rows.map { g in
            [
                Self.clean(g.key), String(g.attempts), String(g.abandoned), Self.percent(g.passRate),
                Self.meanSpread(g.scores[.total]), Self.meanSpread(g.scores[.correctness]),
                Self.meanSpread(g.scores[.politeness]), Self.meanSpread(g.scores[.escalation]),
                Self.signed(g.scores[.total]?.trend),
            ]
        }
        return w.heading(mode, grouping) + "\n" + fitted(columns, cells, flexible: 0).render()
    }

    private func categoryTable(_ mode: StoredValue<PlayMode>, _ rows: [GroupFigures], _ w: GroupWords) -> String {
        let columns: [TextTable.Column] = [
            .init(w.category), .init(w.scored, rightAligned: true), .init(w.mean, rightAligned: true),
            .init(w.spread, rightAligned: true), .init(w.trend, rightAligned: true),
        ]
        var out = w.heading(mode, grouping) + "\n"
        for g in rows {
            let cells = ScoreColumn.allCases.map { score -> [String] in
                let f = g.scores[score]
                return [w.score(score), String(f?.count ?? 0), Self.whole(f?.mean), Self.whole(f?.standardDeviation),
                        Self.signed(f?.trend)]
            }
            out += fitted(columns, cells, flexible: 0).render()
            out += w.counts(attempts: g.attempts, abandoned: g.abandoned, passRate: Self.percent(g.passRate)) + "\n"
        }
        return out
    }

    private func proficiencyTable(_ w: GroupWords) -> String {
        let columns: [TextTable.Column] = [
            .init(w.groupTitle(.trainee)), .init(Words(w.language).mode), .init(w.correct, rightAligned: true),
            .init(w.polite, rightAligned: true), .init(w.escalation, rightAligned: true), .init(w.total, rightAligned: true),
        ]
        let cells = proficiency.map { p in
            [Self.clean(p.trainee), Words(w.language).mode(p.mode), Self.whole(p.scores[.correctness] ?? nil),
             Self.whole(p.scores[.politeness] ?? nil), Self.whole(p.scores[.escalation] ?? nil),
             Self.whole(p.scores[.total] ?? nil)]
        }
        return w.proficiencyHeading(halfLife) + "\n" + fitted(columns, cells, flexible: 0).render()
    }

    /// The weakest skills of one mode (all of them, or the first five under a grouped report).
    private func skillTable(_ mode: StoredValue<PlayMode>, _ w: GroupWords, all: Bool) -> String {
        var gaps = skills.filter { $0.mode == mode }
        if !all { gaps = Array(gaps.prefix(5)) }
        guard !gaps.isEmpty else { return "" }
        let columns: [TextTable.Column] = [
            .init(w.skill), .init(w.lostIn, rightAligned: true), .init(w.share, rightAligned: true),
        ]
        let cells = gaps.map { g in
            [Self.clean(SkillWords.describe(g, language: w.language)), w.outOf(g.attempts, g.outOf),
             Self.percent(g.outOf == 0 ? nil : Double(g.attempts) / Double(g.outOf))]
        }
        return w.skillsHeading(mode) + "\n" + fitted(columns, cells, flexible: 0).render()
    }

    /// The table with the `flexible` column cut (with an ellipsis) so that every line fits `width`.
    private func fitted(_ columns: [TextTable.Column], _ rows: [[String]], flexible: Int) -> TextTable {
        let widths = columns.indices.map { i in
            max(DisplayWidth.of(columns[i].title), rows.map { DisplayWidth.of($0[i]) }.max() ?? 0)
        }
        let others = widths.enumerated().filter { $0.offset != flexible }.map(\.element).reduce(0, +)
        let room = max(DisplayWidth.of(columns[flexible].title), 8, width - others - 2 * (columns.count - 1))
        let cut = rows.map { row in
            var row = row
            row[flexible] = DisplayWidth.truncate(row[flexible], to: room)
            return row
        }
        return TextTable(columns: columns, rows: cut)
    }

    /// Sanitised for the terminal, on one line.
    static func clean(_ text: String) -> String { TerminalText.sanitize(text, keepNewlines: false) }

    static func whole(_ value: Double?) -> String {
        value.map { String(Int($0.rounded())) } ?? AttemptsReport.missing
    }

    static func meanSpread(_ f: ScoreFigures?) -> String {
        guard let f, let mean = f.mean else { return AttemptsReport.missing }
        return whole(mean) + "±" + whole(f.standardDeviation ?? 0)
    }

    static func percent(_ rate: Double?) -> String {
        rate.map { String(Int(($0 * 100).rounded())) + "%" } ?? AttemptsReport.missing
    }

    static func signed(_ value: Double?) -> String {
        guard let value else { return AttemptsReport.missing }
        let n = Int(value.rounded())
        return n > 0 ? "+\(n)" : String(n)
    }

    static func rounded(_ value: Double?) -> Double? { value.map { ($0 * 10).rounded() / 10 } }

    // MARK: - CSV

    private func csv() -> String {
        var lines: [[String?]] = []
        switch grouping {
        case .skill:
            lines.append(["mode", "rule", "category", "skill", "message", "attempts", "out_of", "share"])
            for g in skills {
                lines.append([g.mode.rawValue, g.rule, g.category?.rawValue, SkillWords.describe(g, language: .en),
                              g.message, String(g.attempts), String(g.outOf),
                              Self.number(g.outOf == 0 ? nil : Double(g.attempts) / Double(g.outOf), digits: 3)])
            }
        case .category:
            lines.append(["mode", "category", "attempts", "abandoned", "scored", "mean", "sd", "trend"])
            for g in groups {
                for score in ScoreColumn.allCases {
                    let f = g.scores[score]
                    lines.append([g.mode.rawValue, score.rawValue, String(g.attempts), String(g.abandoned),
                                  String(f?.count ?? 0), Self.number(f?.mean), Self.number(f?.standardDeviation),
                                  Self.number(f?.trend)])
                }
            }
        default:
            var header: [String?] = [grouping.rawValue, "mode", "attempts", "abandoned", "completed", "passed", "pass_rate"]
            for score in ScoreColumn.allCases {
                header += ["\(score.rawValue)_mean", "\(score.rawValue)_sd", "\(score.rawValue)_trend"]
            }
            if grouping == .trainee { header += ScoreColumn.allCases.map { "\($0.rawValue)_proficiency" } }
            lines.append(header)
            for g in groups {
                var row: [String?] = [g.key, g.mode.rawValue, String(g.attempts), String(g.abandoned), String(g.completed),
                                      String(g.passed), Self.number(g.passRate, digits: 3)]
                for score in ScoreColumn.allCases {
                    let f = g.scores[score]
                    row += [Self.number(f?.mean), Self.number(f?.standardDeviation), Self.number(f?.trend)]
                }
                if grouping == .trainee {
                    let p = proficiency.first { $0.trainee == g.key && $0.mode == g.mode }
                    row += ScoreColumn.allCases.map { Self.number(p?.scores[$0] ?? nil) }
                }
                lines.append(row)
            }
        }
        let body = lines.map { row in
            row.map { $0.map { AttemptsReport.csvQuote(AttemptsReport.formulaGuard(TerminalText.sanitize($0))) } ?? "" }
                .joined(separator: ",") + "\r\n"
        }
        return "\u{FEFF}" + body.joined()
    }

    static func number(_ value: Double?, digits: Int = 1) -> String? {
        guard let value else { return nil }
        let scale = pow(10, Double(digits))
        let r = (value * scale).rounded() / scale
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    // MARK: - JSON

    /// The groups and the weakest skills as JSON values (shared by JSON and NDJSON).
    private func jsonValues() -> (groups: [JSONValue], skills: [JSONValue]) {
        func score(_ f: ScoreFigures?) -> JSONValue {
            .object([
                ("count", .int(f?.count ?? 0)), ("mean", .number(Self.rounded(f?.mean))),
                ("sd", .number(Self.rounded(f?.standardDeviation))), ("trend", .number(Self.rounded(f?.trend))),
            ])
        }
        let groupValues: [JSONValue] = groups.map { g in
            var fields: [(String, JSONValue)] = [
                ("key", .string(g.key)), ("mode", .string(g.mode.rawValue)), ("attempts", .int(g.attempts)),
                ("abandoned", .int(g.abandoned)), ("completed", .int(g.completed)), ("passed", .int(g.passed)),
                ("pass_rate", .number(g.passRate.map { ($0 * 1000).rounded() / 1000 })),
                ("scores", .object(ScoreColumn.allCases.map { ($0.rawValue, score(g.scores[$0])) })),
            ]
            if grouping == .trainee {
                let p = proficiency.first { $0.trainee == g.key && $0.mode == g.mode }
                fields.append(("proficiency", p.map { p in
                    .object(ScoreColumn.allCases.map { ($0.rawValue, .number(Self.rounded(p.scores[$0] ?? nil))) })
                } ?? .null))
            }
            return .object(fields)
        }
        let skillValues: [JSONValue] = skills.map { g in
            .object([
                ("rule", .string(g.rule)), ("mode", .string(g.mode.rawValue)),
                ("category", g.category.map { .string($0.rawValue) } ?? .null),
                ("skill", .string(SkillWords.describe(g, language: .en))), ("message", .string(g.message)),
                ("attempts", .int(g.attempts)), ("out_of", .int(g.outOf)),
            ])
        }
        return (groupValues, skillValues)
    }

    private func json() -> String {
        let (groupValues, skillValues) = jsonValues()
        let root = JSONValue.object([
            ("format_version", .int(1)), ("by", .string(grouping.rawValue)),
            ("trend_window_days", .int(trendWindow)), ("half_life_days", .number(halfLife)),
            ("groups", .array(groupValues)), ("weakest_skills", .array(skillValues)),
        ])
        var out = ""
        root.write(to: &out, indent: 0)
        return TerminalText.jsonEscapingControls(out) + "\n"
    }

    /// NDJSON: one line per group (`"record": "group"`) and per weakest skill (`"record": "weakest_skill"`).
    private func ndjson() -> String {
        let (groupValues, skillValues) = jsonValues()
        var out = ""
        for (kind, values) in [("group", groupValues), ("weakest_skill", skillValues)] {
            for value in values {
                guard case .object(let fields) = value else { continue }
                var line = ""
                JSONValue.object([("record", .string(kind)), ("by", .string(grouping.rawValue))] + fields).writeCompact(to: &line)
                out += TerminalText.jsonEscapingControls(line) + "\n"
            }
        }
        return out
    }
}

/// A small JSON writer that keeps key order and writes nil as `null`.
enum JSONValue {
    case null, int(Int), number(Double?), string(String), array([JSONValue]), object([(String, JSONValue)])

    /// On one line, without spaces (for NDJSON).
    func writeCompact(to out: inout String) {
        switch self {
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() { if i > 0 { out += "," }; item.writeCompact(to: &out) }
            out += "]"
        case .object(let fields):
            out += "{"
            for (i, (key, value)) in fields.enumerated() {
                if i > 0 { out += "," }
                out += Self.quote(key) + ":"
                value.writeCompact(to: &out)
            }
            out += "}"
        default:
            write(to: &out, indent: 0)
        }
    }

    func write(to out: inout String, indent: Int) {
        let pad = String(repeating: "  ", count: indent + 1)
        let end = String(repeating: "  ", count: indent)
        switch self {
        case .null: out += "null"
        case .int(let n): out += String(n)
        case .number(let d):
            guard let d, d.isFinite else { out += "null"; return }
            out += d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .string(let s): out += Self.quote(s)
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                item.write(to: &out, indent: indent + 1)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += end + "]"
        case .object(let fields):
            guard !fields.isEmpty else { out += "{}"; return }
            out += "{\n"
            for (i, (key, value)) in fields.enumerated() {
                out += pad + Self.quote(key) + ": "
                value.write(to: &out, indent: indent + 1)
                out += i == fields.count - 1 ? "\n" : ",\n"
            }
            out += end + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
