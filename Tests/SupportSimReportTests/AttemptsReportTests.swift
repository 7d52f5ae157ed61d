import Foundation
import SupportSimCore
import SupportSimStore
import Testing
@testable import SupportSimReport

private let date = Date(timeIntervalSince1970: 1_793_000_000)  // 2026-10-26 07:33:20 UTC

private func record(
    id: Int64, trainee: String, scenario: String = "printer-offline", title: String = "Printer offline",
    mode: PlayMode = .practice, status: AttemptStatus = .completed, scores: (Int?, Int?, Int?) = (80, 90, nil),
    total: Int? = 85, passed: Bool? = true
) -> AttemptRecord {
    AttemptRecord(
        id: id, trainee: trainee, scenarioID: scenario, scenarioTitle: title, language: .ru, mode: mode,
        seed: 7, startedAt: date, endedAt: status == .completed ? date.addingTimeInterval(600) : nil,
        status: status, ending: status == .completed ? .resolved : nil,
        correctness: scores.0, politeness: scores.1, escalation: scores.2,
        total: total, passMark: status == .completed ? 80 : nil, passed: passed, criticalCount: 0, turnCount: 4)
}

private let sample = [
    record(id: 12, trainee: "Иван Петров"),
    record(id: 3, trainee: "olga.s", mode: .exam, scores: (40, 60, 70), total: 55, passed: false),
    record(id: 1, trainee: "李雷", status: .abandoned, scores: (nil, nil, nil), total: nil, passed: nil),
]

@Suite("Report: attempts")
struct AttemptsReportTests {
    @Test func tableAlignsColumnsByDisplayWidth() throws {
        // Given
        let report = AttemptsReport(attempts: sample)
        // When
        let lines = report.render(.table).split(separator: "\n").map(String.init)
        // Then
        #expect(lines.count == 6)  // header, rule, 3 rows, summary
        let header = lines[0]
        #expect(header.hasPrefix(" # Trainee"))
        let scenarioColumn = DisplayWidth.of(String(header[..<header.range(of: "Scenario")!.lowerBound]))
        let dateColumn = DisplayWidth.of(String(header[..<header.range(of: "Date")!.lowerBound]))
        for row in lines[2...4] {
            let start = DisplayWidth.of(String(row[..<row.range(of: "printer-")!.lowerBound]))
            #expect(start == scenarioColumn, "misaligned row: \(row)")
            let date = DisplayWidth.of(String(row[..<row.range(of: "2026-10-26")!.lowerBound]))
            #expect(date == dateColumn, "misaligned row: \(row)")
            #expect(DisplayWidth.of(row) <= 80)
        }
        #expect(lines[1].allSatisfy { $0 == "─" })
        #expect(DisplayWidth.of(lines[1]) == DisplayWidth.of(header.replacingOccurrences(of: "Result", with: "abandoned")))
        #expect(lines[2].contains("2026-10-26"))
        #expect(lines[2].hasSuffix("PASSED"))
        #expect(lines[3].hasSuffix("FAILED"))
        #expect(lines[4].hasSuffix("abandoned"))
        #expect(lines[4].contains("—"))
        #expect(lines[5] == "3 attempts (1 abandoned), 1 passed, average total 70")
    }

    @Test func russianTableUsesRussianWords() {
        // Given
        let report = AttemptsReport(attempts: sample)
        // When
        let text = report.render(.table, language: .ru)
        // Then
        for word in ["Стажёр", "Сценарий", "Дата", "Режим", "Корр.", "Вежл.", "Эск.", "Итог", "Результат",
                     "сдано", "не сдано", "прервано", "экз.", "трен."] {
            #expect(text.contains(word), "missing \(word)")
        }
        #expect(text.hasSuffix("Попыток: 3 (прервано: 1), сдано: 1, средний итог: 70\n"))
    }

    @Test func escapeSequencesInNamesAreNotEmitted() {
        // Given
        let evil = record(id: 5, trainee: "bob\u{1B}]0;pwned\u{07}\u{1B}[31mred\u{9B}2J\ntail")
        // When
        let table = AttemptsReport(attempts: [evil]).render(.table)
        let csv = AttemptsReport(attempts: [evil]).render(.csv)
        // Then
        #expect(!table.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B })
        #expect(!csv.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B })
        #expect(table.contains("bobred tail"))
    }

    @Test func jsonEscapesEveryControlCharacterButKeepsTheData() throws {
        // Given names and a title with C1 controls (OSC, ST, CSI), DEL, ESC, NUL and a bidi override
        let raw = "Printer \u{9D}0;c1\u{9C}\u{9B}2J\u{7F}\u{1B}[31m\u{0}\u{202E}x"
        let evil = record(id: 5, trainee: "bob\u{90}q\u{9C}", title: raw)
        // When rendered as JSON
        let json = AttemptsReport(attempts: [evil]).render(.json)
        // Then no control character is written raw (only the newlines between values)
        #expect(!json.unicodeScalars.contains { $0.value != 0x0A && TerminalText.isNeutralised($0) }, "\(json.debugDescription)")
        #expect(json.contains("\\u009d0;c1\\u009c\\u009b2J\\u007f"))
        // and the value read back is the stored text, unchanged
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(rows.first?["scenario_title"] as? String == raw)
        #expect(rows.first?["trainee"] as? String == "bob\u{90}q\u{9C}")
    }

    @Test func csvCellsHoldNoControlCharacters() {
        // Given a title with a C1 OSC hyperlink and a DCS string / When rendered as CSV
        let evil = record(id: 5, trainee: "ann", title: "a\u{9D}8;;http://x\u{9C}link\u{90}q\u{9C}\u{9D}8;;\u{9C}")
        let csv = AttemptsReport(attempts: [evil]).render(.csv)
        // Then only the visible text is left, with CRLF line ends
        #expect(csv.contains(",alink,"))
        #expect(!csv.unicodeScalars.contains { $0 != "\r" && $0 != "\n" && TerminalText.isNeutralised($0) })
    }

    @Test func colorOnlyWhenAsked() {
        let plain = AttemptsReport(attempts: sample).render(.table)
        let colored = AttemptsReport(attempts: sample).render(.table, color: true)
        #expect(!plain.contains("\u{1B}"))
        #expect(colored.contains("\u{1B}[32mPASSED\u{1B}[0m"))
        #expect(colored.contains("\u{1B}[31mFAILED\u{1B}[0m"))
    }

    @Test func longNamesAreTruncated() {
        // Given
        let long = record(id: 1, trainee: String(repeating: "Ж", count: 60))
        // When
        let row = String(AttemptsReport(attempts: [long]).render(.table).split(separator: "\n")[2])
        // Then
        #expect(row.contains("ЖЖЖЖЖ…"))
        #expect(!row.contains(String(repeating: "Ж", count: 40)))
        #expect(DisplayWidth.of(row) <= AttemptsReport.tableWidth)
    }

    @Test func emptyListIsFriendlyInBothLanguages() {
        let report = AttemptsReport(attempts: [])
        #expect(report.render(.table) == "No attempts yet. Run `supportsim play` to start one.\n")
        #expect(report.render(.table, language: .ru).hasPrefix("Попыток пока нет."))
        #expect(report.render(.table, language: .ru).contains("supportsim play"))
        #expect(report.render(.json) == "[\n\n]\n" || report.render(.json) == "[]\n")
        #expect(report.render(.csv) == "\u{FEFF}" + AttemptsReport.csvHeader.joined(separator: ",") + "\r\n")
    }

    @Test func csvQuotesAndGuards() throws {
        // Given
        let tricky = [
            record(id: 1, trainee: "Smith, \"Bob\"", title: "Line one\nline two"),
            record(id: 2, trainee: "=HYPERLINK(\"http://x\")", scenario: "-scenario", title: "@title",
                   scores: (nil, 90, nil), total: 90),
            record(id: 3, trainee: "+7 999", title: "Принтер"),
        ]
        // When
        let csv = AttemptsReport(attempts: tricky).render(.csv)
        // Then
        #expect(csv.hasPrefix("\u{FEFF}id,trainee,scenario_id,scenario_title,"))
        #expect(Array(csv.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let lines = csv.dropFirst().components(separatedBy: "\r\n")
        #expect(lines.last == "")
        #expect(lines[1].hasPrefix("1,\"Smith, \"\"Bob\"\"\",printer-offline,\"Line one\nline two\",1,ru,practice,7,"))
        #expect(lines[2].hasPrefix("2,\"'=HYPERLINK(\"\"http://x\"\")\",'-scenario,'@title,"))
        #expect(lines[2].contains(",,90,,90,80,true,0,4"))
        #expect(lines[3].hasPrefix("3,'+7 999,printer-offline,Принтер,"))
        #expect(lines[3].contains("2026-10-26T07:33:20Z,2026-10-26T07:43:20Z,completed,resolved,80,90,,85,80,true,0,4"))
    }

    @Test func jsonGivesEachAttemptsPathAndFinalNode() throws {
        // Given two attempts, one with a known path and one stored before paths were recorded
        let report = AttemptsReport(attempts: [sample[0], sample[1]], paths: [
            12: AttemptPath(nodes: ["opening", "checked", "done"], finalNode: "done"),
            3: AttemptPath(nodes: nil, finalNode: nil),
        ])
        // When it is rendered as JSON
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(report.render(.json).utf8)) as? [[String: Any]])
        // Then the first gives its nodes in order and its final node, the second null for both
        #expect(parsed[0]["path"] as? [String] == ["opening", "checked", "done"])
        #expect(parsed[0]["final_node"] as? String == "done")
        #expect(parsed[1]["path"] is NSNull && parsed[1]["final_node"] is NSNull)
    }

    @Test func jsonHasStableKeysAndNulls() throws {
        // Given
        let report = AttemptsReport(attempts: [sample[2]])
        // When
        let text = report.render(.json)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        // Then
        let object = try #require(parsed.first)
        let expectedKeys: Set = [
            "id", "trainee", "scenario_id", "scenario_title", "scenario_version", "language", "mode", "seed",
            "started_at", "ended_at", "status", "ending", "correctness", "politeness", "escalation", "total",
            "pass_mark", "passed", "critical_count", "turns", "retries", "path", "final_node", "overrides", "original_scores",
        ]
        #expect(Set(object.keys) == expectedKeys)
        #expect(object["ended_at"] is NSNull)
        #expect(object["path"] is NSNull && object["final_node"] is NSNull)
        #expect(object["total"] is NSNull)
        #expect(object["passed"] is NSNull)
        #expect(object["started_at"] as? String == "2026-10-26T07:33:20Z")
        #expect(object["trainee"] as? String == "李雷")
        #expect(object["status"] as? String == "abandoned")
        #expect(object["turns"] as? Int == 4)
        #expect(object["retries"] as? Int == 0)
        #expect(text.contains("\"correctness\" : null"))
        // Sorted keys: "critical_count" comes before "ended_at".
        #expect(text.range(of: "critical_count")!.lowerBound < text.range(of: "ended_at")!.lowerBound)
    }

    @Test func displayWidth() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("Стажёр") == 6)
        #expect(DisplayWidth.of("李雷") == 4)
        #expect(DisplayWidth.of("ok 👍") == 5)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.truncate("abcdef", to: 4) == "abc…")
        #expect(DisplayWidth.truncate("李雷李雷", to: 4) == "李…")
        #expect(DisplayWidth.truncate("abc", to: 3) == "abc")
    }

    @Test func htmlEscape() {
        #expect(HTMLEscape.escape("<a href=\"x\">Tom & 'Jerry'</a>")
            == "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;")
        #expect(HTMLEscape.escape("<\u{301}") == "&lt;\u{301}")
        #expect(HTMLEscape.escape("Привет") == "Привет")
    }

    @Test("Given an abandoned attempt that stored a total for what was played, when listed, then it shows no total in the table, CSV or JSON, is left out of the average, and is counted apart")
    func abandonedAttemptsHaveNoTotalAndStayOutOfTheAverage() throws {
        let attempts = [
            record(id: 2, trainee: "olga", total: 90),
            record(id: 1, trainee: "ivan", status: .abandoned, scores: (nil, nil, 100), total: 56, passed: nil),
        ]
        let report = AttemptsReport(attempts: attempts)
        let table = report.render(.table).split(separator: "\n").map(String.init)
        #expect(!table[3].contains("56") && table[3].hasSuffix("abandoned"))
        #expect(table.last == "2 attempts (1 abandoned), 1 passed, average total 90")
        let csv = report.render(.csv).components(separatedBy: "\r\n")
        let header = csv[0].dropFirst().split(separator: ",", omittingEmptySubsequences: false)
        let totalColumn = try #require(header.firstIndex(of: "total"))
        #expect(csv[2].split(separator: ",", omittingEmptySubsequences: false)[totalColumn] == "")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(report.render(.json).utf8)) as? [[String: Any]])
        #expect(rows[1]["total"] is NSNull && rows[0]["total"] as? Int == 90)
        #expect(AttemptsReport.averageTotal(attempts) == 90)
    }
}
