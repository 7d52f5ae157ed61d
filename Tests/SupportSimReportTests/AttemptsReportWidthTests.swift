import Foundation
import SupportSimCore
@testable import SupportSimStore
import Testing
@testable import SupportSimReport

private let started = Date(timeIntervalSince1970: 1_793_000_000)  // 2026-10-26 07:33:20 UTC

private func attempt(_ id: Int64, trainee: String, scenario: String, mode: PlayMode = .practice,
                     status: AttemptStatus = .completed, passed: Bool? = true) -> AttemptRecord {
    AttemptRecord(
        id: id, trainee: trainee, scenarioID: scenario, scenarioTitle: "Printer", language: .ru, mode: mode,
        seed: 7, startedAt: started, endedAt: status == .completed ? started.addingTimeInterval(600) : nil,
        status: status, ending: status == .completed ? .resolved : nil,
        correctness: 100, politeness: 90, escalation: 100,
        total: 97, passMark: status == .completed ? 80 : nil, passed: status == .completed ? passed : nil,
        criticalCount: 0, turnCount: 4)
}

private func override(_ id: Int64, _ category: Category, _ score: Int, reason: String) -> ScoreOverride {
    ScoreOverride(id: 1, attemptID: id, category: .known(category), score: score, reason: reason, by: "anna",
                  at: started.addingTimeInterval(3600))
}

/// Long Latin and Cyrillic names, a wide character, every result, and overrides making score cells wide.
private let longNames = [
    attempt(123_456, trainee: "Alexandra Konstantinopolskaya-Smithson", scenario: "printer-before-board-meeting-on-friday"),
    attempt(7, trainee: "Иван Александрович Константинопольский", scenario: "принтер-перед-заседанием-совета-директоров",
            mode: .exam, passed: false),
    attempt(42, trainee: "李雷韩梅梅李雷韩梅梅", scenario: "vpn", status: .abandoned),
]
private let wideAudit: [Int64: AttemptAudit] = {
    var audit = AttemptAudit()
    // Two categories overridden on the attempt with a six-digit id: "100→100" is the widest score cell.
    audit.overrideHistory = [override(123_456, .correctness, 100, reason: "fine"), override(123_456, .politeness, 100, reason: "ok")]
    return [123_456: audit]
}()

@Suite("Report: attempts table width")
struct AttemptsReportWidthTests {
    @Test("Given long Latin, Cyrillic and wide names with overrides, when the table is rendered in English or Russian, then every table line fits 80 display columns")
    func tableFitsEightyColumns() {
        for language in [Language.en, .ru] {
            for audit in [[:], wideAudit] {
                let text = AttemptsReport(attempts: longNames, audit: audit).render(.table, language: language)
                let lines = text.split(separator: "\n").map(String.init)
                // header, rule, 3 rows (then the summary and any notes, which are prose)
                for line in lines.prefix(5) {
                    #expect(DisplayWidth.of(line) <= 80, "\(language) too wide (\(DisplayWidth.of(line))): \(line)")
                }
                #expect(lines[2].contains("…") && lines[3].contains("…"), "long names are cut: \(lines[2]) / \(lines[3])")
            }
        }
    }

    @Test("Given long Latin and Cyrillic names, when the table is rendered in either language, then the date and result columns start at the same display column on every line")
    func columnsAreAlignedByDisplayWidth() throws {
        for language in [Language.en, .ru] {
            let lines = AttemptsReport(attempts: longNames, audit: wideAudit).render(.table, language: language)
                .split(separator: "\n").map(String.init)
            let words = Words(language)
            func column(_ line: String, _ text: String) throws -> Int {
                let range = try #require(line.range(of: text), "\(text) not in \(line)")
                return DisplayWidth.of(String(line[..<range.lowerBound]))
            }
            let header = lines[0]
            let dateColumn = try column(header, words.date)
            let resultColumn = try column(header, words.result)
            let results = [words.result(longNames[0]), words.result(longNames[1]), words.result(longNames[2])]
            for (row, result) in zip(lines[2...4], results) {
                #expect(try column(row, "2026-10-26") == dateColumn, "\(language): \(row)")
                #expect(try column(row, result) == resultColumn, "\(language): \(row)")
                #expect(row.hasSuffix(result))
            }
            // Numbers are right-aligned: the total column ends at the same place on every row.
            let totalEnd = try column(header, words.total) + DisplayWidth.of(words.total)
            #expect(try column(lines[2], "97") + 2 == totalEnd)
            #expect(try column(lines[3], "97") + 2 == totalEnd)
        }
    }
}

@Suite("Report: overrides in Russian")
struct AttemptsReportOverrideRussianTests {
    @Test("Given an overridden politeness score, when the table is rendered with --lang ru, then the note names the category in Russian as the debrief does")
    func overrideNoteUsesRussianCategoryNames() {
        var audit = AttemptAudit()
        audit.overrideHistory = [override(7, .politeness, 60, reason: "сухой ответ")]
        let a = attempt(7, trainee: "Иван", scenario: "vpn")
        let ru = AttemptsReport(attempts: [a], audit: [7: audit]).render(.table, language: .ru)
        #expect(ru.contains("#7 вежливость 90 → 60 (переопределил(а) anna: сухой ответ)"), "\(ru)")
        #expect(!ru.contains("politeness"))
        let en = AttemptsReport(attempts: [a], audit: [7: audit]).render(.table, language: .en)
        #expect(en.contains("#7 politeness 90 → 60 (override by anna: сухой ответ)"))
    }

    @Test("Given a rescored attempt, when the table is rendered with --lang ru, then the rescoring note names categories and the total in Russian")
    func rescoringNoteUsesRussianCategoryNames() {
        var audit = AttemptAudit()
        audit.rescorings = [Rescoring(attemptID: 7, at: started, scorerVersion: 2, scenarioVersion: 1, scenarioHash: nil,
                                      correctness: 40, politeness: 90, escalation: 100, spelling: nil, total: 70,
                                      passed: false, criticalCount: 0)]
        let ru = AttemptsReport(attempts: [attempt(7, trainee: "Иван", scenario: "vpn")], audit: [7: audit])
            .render(.table, language: .ru)
        #expect(ru.contains("корректность 40 (100), итог 70 (97)"), "\(ru)")
    }
}

/// The cells of one CSV line (RFC 4180, without line breaks inside cells).
private func csvCells(_ line: String) -> [String] {
    var cells: [String] = [], cell = "", quoted = false
    var chars = Array(line)[...]
    while let c = chars.popFirst() {
        if quoted {
            if c == "\"" { if chars.first == "\"" { cell.append("\""); chars = chars.dropFirst() } else { quoted = false } }
            else { cell.append(c) }
        } else if c == "\"" { quoted = true }
        else if c == "," { cells.append(cell); cell = "" }
        else { cell.append(c) }
    }
    return cells + [cell]
}

@Suite("Report: overrides in CSV and HTML")
struct AttemptsReportOverrideExportTests {
    static let overridden: (AttemptRecord, [Int64: AttemptAudit]) = {
        var audit = AttemptAudit()
        audit.overrideHistory = [
            override(7, .politeness, 50, reason: "first look"),
            override(7, .politeness, 60, reason: "=HYPERLINK(\"http://x\",\"<b>curt</b>\")"),
            override(7, .escalation, 80, reason: "late hand-off"),
        ]
        return (attempt(7, trainee: "Иван", scenario: "vpn"), [7: audit])
    }()

    @Test("Given overridden scores, when written as CSV, then the old columns keep their order and automatic scores, and the latest overrides, who and why follow at the end, guarded against formulas")
    func csvAppendsOverrideColumns() throws {
        let (a, audit) = Self.overridden
        let plain = AttemptsReport(attempts: [a]).render(.csv).dropFirst().components(separatedBy: "\r\n")
        let csv = AttemptsReport(attempts: [a], audit: audit).render(.csv).dropFirst().components(separatedBy: "\r\n")
        let header = csvCells(csv[0])
        #expect(Array(header.prefix(21)) == ["id", "trainee", "scenario_id", "scenario_title", "scenario_version", "language",
                                              "mode", "seed", "started_at", "ended_at", "status", "ending", "correctness",
                                              "politeness", "escalation", "total", "pass_mark", "passed", "critical_count",
                                              "turns", "retries"])
        #expect(Array(header.dropFirst(21)) == ["correctness_override", "politeness_override", "escalation_override",
                                                "override_by", "override_reason"])
        let row = csvCells(csv[1])
        #expect(row.count == header.count)
        let cell = { (name: String) in row[header.firstIndex(of: name)!] }
        #expect(cell("politeness") == "90" && cell("escalation") == "100" && cell("total") == "97")
        #expect(cell("correctness_override") == "" && cell("politeness_override") == "60" && cell("escalation_override") == "80")
        #expect(cell("override_by") == "anna | anna")
        #expect(cell("override_reason") == "'=HYPERLINK(\"http://x\",\"<b>curt</b>\") | late hand-off")
        // Without overrides the old columns are as before and the new ones are empty.
        #expect(csv[1].hasPrefix(String(plain[1].dropLast(5))) && plain[1].hasSuffix(",,,,,"))
        // The streamed CSV is the same.
        var renderer = AttemptRowRenderer(.csv)
        #expect(renderer.header() + renderer.row(a, audit: audit[7]) == AttemptsReport(attempts: [a], audit: audit).render(.csv))
    }

    @Test("Given overridden scores, when the HTML report is written, then the cell shows automatic → override with the reason escaped in its tooltip and in a note")
    func htmlShowsOverrides() {
        let (a, audit) = Self.overridden
        for language in [Language.en, .ru] {
            let page = HTMLReport(attempts: [a], audit: audit, language: language).render()
            #expect(page.contains(">90 → 60</span>") && page.contains(">100 → 80</span>"), "\(language)")
            #expect(!page.contains("<b>curt"))
            #expect(page.contains("&lt;b&gt;curt&lt;/b&gt;"))
            let politeness = AttemptsReport.categoryName(.politeness, language)
            #expect(page.contains("title=\"#7 \(politeness) 90 → 60 ("), "\(language)")
            #expect(page.contains("<li>#7 \(politeness) 90 → 60 ("))
            #expect(page.contains("=HYPERLINK(&quot;http://x&quot;"))
        }
        let plain = HTMLReport(attempts: [a], language: .en).render()
        #expect(!plain.contains("→") && !plain.contains("class=\"overrides\""))
    }
}
