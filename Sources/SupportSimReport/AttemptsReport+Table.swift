import Foundation
import SupportSimCore
import SupportSimStore

/// The attempts table, printed a row at a time: the column widths come from `AttemptTableFacts`
/// (read by a few aggregate queries before the rows), so the rows are written as they are read and
/// memory does not grow with the number of attempts. The text is what `AttemptsReport.render(.table)`
/// gives for the same attempts (it renders through this type). Pure: values in, text out.
///
/// Use `header`, then `append` for each attempt in order, then `footer`.
public struct AttemptTableRenderer {
    private let words: Words
    private let language: Language
    private let color: Bool
    private let audit: [Int64: AttemptAudit]
    private let columns: [TextTable.Column]
    private let widths: [Int]
    private let traineeWidth: Int
    private let scenarioWidth: Int
    private let isEmpty: Bool
    private var count = 0, passed = 0, abandoned = 0, totalSum = 0, totals = 0
    private var notes = ""

    /// - Parameters:
    ///   - facts: what sizes the columns, for exactly the attempts that will be appended.
    ///   - audit: overrides and rescorings by attempt id (scores shown are the latest automatic ones).
    ///   - color: bold header and a coloured result column (ANSI).
    public init(facts: AttemptTableFacts, audit: [Int64: AttemptAudit], language: Language, color: Bool) {
        let words = Words(language)
        self.words = words; self.language = language; self.color = color; self.audit = audit
        isEmpty = facts.count == 0
        columns = AttemptsReport.tableColumns(words)
        let titles = columns.map { DisplayWidth.of($0.title) }

        // Cells of the attempts that were overridden or rescored, as they are printed.
        let audited = facts.audited.map { AttemptsReport.tableCells($0, audit: audit[$0.id], words: words) }
        func widest(_ column: Int, _ more: [Int]) -> Int {
            max(titles[column], more.max() ?? 0, audited.map { DisplayWidth.of($0[column]) }.max() ?? 0)
        }
        func digits(_ id: Int64?) -> Int { id.map { String($0).count } ?? 0 }
        func score(_ column: ScoreColumn) -> [Int] {
            let fact = facts.scores[column]
            return [fact?.longest ?? 0, fact?.missing == true ? DisplayWidth.of(AttemptsReport.missing) : 0]
        }
        var widths = Array(repeating: 0, count: columns.count)
        widths[0] = widest(0, [digits(facts.minID), digits(facts.maxID)])
        widths[3] = widest(3, [facts.firstStarted, facts.lastStarted].compactMap { $0 }
            .map { DisplayWidth.of(AttemptsReport.tableDate($0, short: true)) })
        widths[4] = widest(4, facts.modes.map {
            DisplayWidth.of(AttemptsReport.cell(words.shortMode(StoredValue(raw: $0)), max: AttemptsReport.maxModeWidth))
        })
        widths[5] = widest(5, score(.correctness))
        widths[6] = widest(6, score(.politeness))
        widths[7] = widest(7, score(.escalation))
        widths[8] = widest(8, score(.total))
        widths[9] = widest(9, facts.results.map {
            DisplayWidth.of(AttemptsReport.cell(words.result(status: StoredValue(raw: $0.status), passed: $0.passed),
                                                max: AttemptsReport.maxResultWidth))
        })
        let used = columns.indices.filter { $0 != 1 && $0 != 2 }.map { widths[$0] }.reduce(0, +)
            + columns.dropFirst().map(\.gap).reduce(0, +)
        let trainees = facts.trainees.map { TerminalText.sanitize($0, keepNewlines: false) }
        let scenarios = facts.scenarioIDs.map { TerminalText.sanitize($0, keepNewlines: false) }
        let (traineeWidth, scenarioWidth) = AttemptsReport.nameWidths(
            room: AttemptsReport.tableWidth - used,
            trainee: trainees.map(DisplayWidth.of).max() ?? 0, scenario: scenarios.map(DisplayWidth.of).max() ?? 0,
            headers: (titles[1], titles[2]))
        widths[1] = max(titles[1], trainees.map { DisplayWidth.of(DisplayWidth.truncate($0, to: traineeWidth)) }.max() ?? 0)
        widths[2] = max(titles[2], scenarios.map { DisplayWidth.of(DisplayWidth.truncate($0, to: scenarioWidth)) }.max() ?? 0)
        self.widths = widths
        self.traineeWidth = traineeWidth
        self.scenarioWidth = scenarioWidth
    }

    /// The header and its rule; for no attempts, the sentence saying there are none.
    public func header() -> String {
        guard !isEmpty else { return words.empty + "\n" }
        let bold: (Int, String) -> String = color ? { "\u{1B}[1m\($1)\u{1B}[0m" } : { $1 }
        return TextTable.line(columns.map(\.title), columns: columns, widths: widths, style: bold) + "\n"
            + TextTable.rule(columns: columns, widths: widths) + "\n"
    }

    /// One attempt (as stored: the latest rescoring is applied here) as a line of the table.
    public mutating func append(_ stored: AttemptRecord, to out: inout String) {
        var bytes = ReportBytes()
        append(stored, to: &bytes)
        out += bytes.text
    }

    /// A cell and its display width.
    private struct Cell {
        var text: String
        var width: Int
        init(_ text: String) {
            self.text = text
            var ascii = true
            for b in text.utf8 where b >= 0x80 { ascii = false; break }
            width = ascii ? text.utf8.count : DisplayWidth.of(text)
        }
    }

    /// Cells that repeat from row to row (names, modes, results), worked out once each: the cache
    /// grows with the distinct values, never with the number of attempts beyond them.
    private var trainees: [String: Cell] = [:]
    private var scenarios: [String: Cell] = [:]
    private var modes: [String: Cell] = [:]
    private var results: [String: Cell] = [:]

    /// `append`, written into bytes; the line is laid out as `TextTable.line` lays it out.
    public mutating func append(_ stored: AttemptRecord, to out: inout ReportBytes) {
        let entry = audit[stored.id]
        let a = entry?.latestAutomatic(stored) ?? stored
        var cells: [Cell]
        if entry == nil {
            let (tw, sw, w) = (traineeWidth, scenarioWidth, words)
            func cached(_ cache: inout [String: Cell], _ key: String, _ make: () -> String) -> Cell {
                if let cell = cache[key] { return cell }
                let cell = Cell(make())
                cache[key] = cell
                return cell
            }
            let missing = AttemptsReport.missing
            cells = [
                Cell(String(a.id)),
                cached(&trainees, a.trainee) { DisplayWidth.truncate(TerminalText.sanitize(a.trainee, keepNewlines: false), to: tw) },
                cached(&scenarios, a.scenarioID) { DisplayWidth.truncate(TerminalText.sanitize(a.scenarioID, keepNewlines: false), to: sw) },
                Cell(AttemptsReport.tableDate(a.startedAt, short: true)),
                cached(&modes, a.mode.rawValue) { AttemptsReport.cell(w.shortMode(a.mode), max: AttemptsReport.maxModeWidth) },
                Cell(a.correctness.map(String.init) ?? missing), Cell(a.politeness.map(String.init) ?? missing),
                Cell(a.escalation.map(String.init) ?? missing), Cell(AttemptsReport.countedTotal(a).map(String.init) ?? missing),
                cached(&results, a.status.rawValue + (a.passed.map { $0 ? "|1" : "|0" } ?? "|-")) {
                    AttemptsReport.cell(w.result(a), max: AttemptsReport.maxResultWidth)
                },
            ]
        } else {
            var texts = AttemptsReport.tableCells(stored, audit: entry, words: words)
            texts[1] = DisplayWidth.truncate(TerminalText.sanitize(a.trainee, keepNewlines: false), to: traineeWidth)
            texts[2] = DisplayWidth.truncate(TerminalText.sanitize(a.scenarioID, keepNewlines: false), to: scenarioWidth)
            cells = texts.map(Cell.init)
        }
        let code = color ? AttemptsReport.resultColor(a) : nil
        let last = columns.count - 1
        for i in cells.indices {
            if i > 0 { out.appendSpaces(columns[i].gap) }
            let fill = i == last && !columns[i].rightAligned ? 0 : max(0, widths[i] - cells[i].width)
            if columns[i].rightAligned { out.appendSpaces(fill) }
            if i == last, let code {
                out.append("\u{1B}[\(code)m"); out.append(cells[i].text); out.append("\u{1B}[0m")
            } else {
                out.append(cells[i].text)
            }
            if !columns[i].rightAligned { out.appendSpaces(fill) }
        }
        out.append(byte: UInt8(ascii: "\n"))
        count += 1
        if a.passed == true { passed += 1 }
        if a.status != .completed { abandoned += 1 }
        if let total = AttemptsReport.countedTotal(a) { totalSum += total; totals += 1 }
        if let entry { notes += AttemptsReport.auditNote(a, original: entry.rescorings.isEmpty ? nil : stored, entry, language: language) }
    }

    /// The summary line and the notes on overrides and rescorings.
    public func footer() -> String {
        guard !isEmpty else { return "" }
        let average = totals == 0 ? nil : Int((Double(totalSum) / Double(totals)).rounded())
        return words.summary(count: count, passed: passed, average: average, abandoned: abandoned) + "\n" + notes
    }
}

extension AttemptsReport {
    static func tableColumns(_ words: Words) -> [TextTable.Column] {
        [
            // Gaps of one space where the neighbours cannot run together (numbers, a date), two between names.
            .init("#", rightAligned: true), .init(words.trainee, gap: 1), .init(words.scenario), .init(words.date, gap: 1),
            .init(words.mode, gap: 1), .init(words.correct, rightAligned: true, gap: 1), .init(words.polite, rightAligned: true, gap: 1),
            .init(words.escalation, rightAligned: true, gap: 1), .init(words.total, rightAligned: true, gap: 1),
            .init(words.result),
        ]
    }

    /// The cells of an attempt as stored, its latest rescoring and overrides applied; the trainee and
    /// scenario cells (1, 2) are left empty (their width is known only from every attempt).
    static func tableCells(_ stored: AttemptRecord, audit: AttemptAudit?, words: Words) -> [String] {
        let a = audit?.latestAutomatic(stored) ?? stored
        func score(_ category: Category) -> String {
            let automatic = a.score(category).map(String.init) ?? missing
            guard let o = audit?.override(category) else { return automatic }
            return "\(automatic)→\(o.score)"
        }
        return [
            idCell(a, original: audit?.rescorings.isEmpty == false ? stored : nil), "", "",
            tableDate(a.startedAt, short: true),
            cell(words.shortMode(a.mode), max: maxModeWidth),
            score(.correctness), score(.politeness), score(.escalation), countedTotal(a).map(String.init) ?? missing,
            cell(words.result(a), max: maxResultWidth),
        ]
    }

    /// What sizes the table of `stored` attempts (as stored, before any rescoring), as the store's
    /// `AttemptTableFacts` gives it for the same attempts.
    static func tableFacts(_ stored: [AttemptRecord], audit: [Int64: AttemptAudit]) -> AttemptTableFacts {
        var facts = AttemptTableFacts()
        facts.count = stored.count
        facts.minID = stored.map(\.id).min(); facts.maxID = stored.map(\.id).max()
        facts.firstStarted = stored.map(\.startedAt).min(); facts.lastStarted = stored.map(\.startedAt).max()
        facts.trainees = Array(Set(stored.map(\.trainee)))
        facts.scenarioIDs = Array(Set(stored.map(\.scenarioID)))
        facts.modes = Array(Set(stored.map(\.mode.rawValue)))
        let plain = stored.filter { audit[$0.id] == nil }
        facts.audited = stored.filter { audit[$0.id] != nil }
        facts.results = Array(Set(plain.map { AttemptTableFacts.Result(status: $0.status.rawValue, passed: $0.passed) }))
        for column in ScoreColumn.allCases {
            let values: [Int?] = plain.map { a in
                switch column {
                case .correctness: a.correctness
                case .politeness: a.politeness
                case .escalation: a.escalation
                case .total: countedTotal(a)
                }
            }
            facts.scores[column] = AttemptTableFacts.Score(
                longest: values.compactMap { $0.map { String($0).count } }.max(), missing: values.contains { $0 == nil })
        }
        return facts
    }
}
