import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SupportSimCore
import SupportSimStore
import Testing
@testable import SupportSimReport

private let monday = Date(timeIntervalSince1970: 1_792_800_000)  // 2026-10-24 (a Saturday) 11:20 UTC

private func attempt(
    _ id: Int64, _ trainee: String, scenario: String = "printer-offline", mode: PlayMode = .practice,
    status: AttemptStatus = .completed, scores: (Int?, Int?, Int?) = (80, 90, nil), total: Int? = 85,
    passed: Bool? = true, day: Int = 0
) -> AttemptRecord {
    let start = monday.addingTimeInterval(Double(day) * 86_400)
    return AttemptRecord(
        id: id, trainee: trainee, scenarioID: scenario, scenarioTitle: "Printer offline", language: .en, mode: mode,
        seed: 1, startedAt: start, endedAt: status == .completed ? start.addingTimeInterval(600) : nil, status: status,
        ending: status == .completed ? .resolved : nil, correctness: scores.0, politeness: scores.1,
        escalation: scores.2, total: total, passMark: 80, passed: passed, criticalCount: 0, turnCount: 4)
}

/// What a parsed SVG or XHTML document holds: every element with its attributes, and its text.
private final class XMLCollector: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var text = ""
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append((name, attributes))
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    /// Parses `xml`; nil (with the parser's error) when it is not well-formed.
    static func parse(_ xml: String) -> (XMLCollector?, String) {
        let collector = XMLCollector()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = collector
        let ok = parser.parse()
        return (ok ? collector : nil, parser.parserError.map { "\($0)" } ?? "")
    }
}

/// `xmllint --noout` on `text` (the tool of Debian's libxml2-utils, installed by `make setup`).
private func xmllint(_ text: String) throws -> (Int32, String) {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("html-report-\(UUID().uuidString).xml")
    try text.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["xmllint", "--noout", file.path]
    let err = Pipe()
    process.standardError = err
    process.standardOutput = Pipe()
    try process.run()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stderr, as: UTF8.self))
}

private func rects(_ svg: String) throws -> [[String: String]] {
    let (doc, error) = XMLCollector.parse(svg)
    let parsed = try #require(doc, "not well-formed: \(error)\n\(svg)")
    return parsed.elements.filter { $0.name == "rect" && $0.attributes["class"] == "chart-bar" }.map(\.attributes)
}

private func number(_ s: String?) -> Double { s.flatMap(Double.init) ?? .nan }

@Suite("Report: SVG charts")
struct SVGChartTests {
    @Test("Given column values, when drawn, then the SVG is well-formed and bar heights are proportional to the values")
    func columnsAreProportional() throws {
        let svg = SVGChart.columns([.init(label: "a", value: 2), .init(label: "b", value: 4), .init(label: "c", value: 0)],
                                   title: "T", empty: "none")
        let bars = try rects(svg)
        #expect(bars.count == 3)
        let heights = bars.map { number($0["height"]) }
        #expect(abs(heights[1] - 2 * heights[0]) < 0.2)
        #expect(heights[2] == 0)
        #expect(try xmllint(svg).0 == 0)
    }

    @Test("Given row values and a scale, when drawn, then bar lengths are proportional and never pass the scale")
    func rowsAreProportional() throws {
        let svg = SVGChart.rows([.init(label: "x", value: 3, text: "3 of 4"), .init(label: "y", value: 1, text: "1 of 4")],
                                title: "T", empty: "none")
        let widths = try rects(svg).map { number($0["width"]) }
        #expect(widths.count == 2 && abs(widths[0] - 3 * widths[1]) < 0.3)
        let capped = try rects(SVGChart.rows([.init(label: "x", value: 300)], title: "T", empty: "none", scale: 100))
        let full = try rects(SVGChart.rows([.init(label: "x", value: 100)], title: "T", empty: "none", scale: 100))
        #expect(number(capped[0]["width"]) == number(full[0]["width"]))
    }

    @Test("Given groups with gaps, when drawn against 0–100, then a missing value draws nothing and heights follow the scale")
    func groupedColumns() throws {
        let svg = SVGChart.groupedColumns([.init(label: "olga", values: [50, nil]), .init(label: "ivan", values: [100, 25])],
                                          series: ["correctness", "politeness"], title: "T", empty: "none")
        let bars = try rects(svg)
        #expect(bars.count == 3)
        let heights = bars.map { number($0["height"]) }
        #expect(abs(heights[1] - 2 * heights[0]) < 0.2 && abs(heights[1] - 4 * heights[2]) < 0.3)
    }

    @Test("Given a series with a gap and a lone point, when drawn as lines, then each run is a polyline or a dot")
    func linesWithGaps() throws {
        let svg = SVGChart.lines([.init(name: "team", values: [50, 60, nil, 70])], xLabels: ["w1", "w2", "w3", "w4"],
                                 title: "T", empty: "none")
        let (doc, error) = XMLCollector.parse(svg)
        let parsed = try #require(doc, "\(error)")
        #expect(parsed.elements.filter { $0.name == "polyline" }.count == 1)
        #expect(parsed.elements.filter { $0.name == "circle" }.count == 3)
    }

    @Test("Given no data, when each chart is drawn, then it is a small well-formed SVG that says so")
    func emptyData() throws {
        for svg in [
            SVGChart.columns([], title: "T", empty: "Nothing yet"),
            SVGChart.columns([.init(label: "a", value: 0)], title: "T", empty: "Nothing yet"),
            SVGChart.rows([], title: "T", empty: "Nothing yet"),
            SVGChart.groupedColumns([], series: [], title: "T", empty: "Nothing yet"),
            SVGChart.lines([], xLabels: [], title: "T", empty: "Nothing yet"),
        ] {
            let (doc, error) = XMLCollector.parse(svg)
            let parsed = try #require(doc, "\(error)")
            #expect(parsed.text.contains("Nothing yet"))
            #expect(try rects(svg).isEmpty)
        }
    }

    @Test("Given hostile labels, when drawn, then markup, escapes and line breaks are neutralised and the SVG stays well-formed")
    func hostileLabels() throws {
        let hostile = "<script>alert(1)</script> =HYPERLINK(\"http://x\") \u{1B}[31mred\u{1B}]8;;http://x\u{07}\nline"
        let svg = SVGChart.rows([.init(label: hostile, value: 1)], title: hostile, empty: "none")
            + SVGChart.groupedColumns([.init(label: hostile, values: [1])], series: [hostile], title: "T", empty: "none")
        #expect(!svg.contains("<script") && !svg.contains("\u{1B}") && !svg.contains("\u{07}"))
        #expect(svg.contains("&lt;script&gt;"))
        #expect(XMLCollector.parse("<r>" + svg + "</r>").0 != nil)
    }
}

@Suite("Report: HTML")
struct HTMLReportTests {
    static let hostile = "<script>alert(1)</script>\u{1B}]8;;http://evil\u{07}=HYPERLINK(\"x\")\u{1B}[31m\nnext"

    static let sample: [AttemptRecord] = [
        attempt(1, "olga", scores: (80, 90, 100), total: 90, day: 0),
        attempt(2, "olga", scores: (60, 70, nil), total: 64, passed: false, day: 8),
        attempt(3, hostile, scores: (40, 50, nil), total: 44, passed: false, day: 1),
        attempt(4, "ivan", status: .abandoned, scores: (100, 100, 100), total: 100, passed: nil, day: 2),
        attempt(5, "ivan", mode: .exam, scores: (90, 90, 90), total: 90, day: 3),
    ]

    static func report(_ attempts: [AttemptRecord] = sample, skills: [SkillGap] = []) -> String {
        HTMLReport(attempts: attempts, skills: skills, language: .en, generatedAt: monday, filters: [("Trainee", hostile)]).render()
    }

    static func gap(_ mode: PlayMode, _ rule: String, _ message: String, _ n: Int, of m: Int, critical: Bool = false) -> SkillGap {
        SkillGap(rule: rule, mode: .known(mode), category: critical ? nil : .known(.escalation), message: message,
                 attempts: n, outOf: m)
    }

    @Test("Given practice and exam attempts, when the HTML report is made, then it is one well-formed page without script, with each mode in its own section")
    func wellFormedAndSeparated() throws {
        let html = Self.report()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        let body = String(html.dropFirst("<!DOCTYPE html>".count))
        let (doc, error) = XMLCollector.parse(body)
        let parsed = try #require(doc, "\(error)")
        #expect(try xmllint(body).0 == 0)
        #expect(!parsed.elements.contains { $0.name == "script" || $0.name == "link" || $0.name == "img" || $0.name == "iframe" })
        #expect(!html.contains("http://") || !parsed.elements.contains { $0.attributes.values.contains { $0.contains("http://evil") } })
        let sections = parsed.elements.filter { $0.name == "section" }.compactMap { $0.attributes["id"] }
        #expect(sections == ["mode-practice", "mode-exam"])
        #expect(parsed.elements.filter { $0.name == "svg" }.count == 8)
        #expect(!parsed.elements.contains { $0.attributes.keys.contains { $0.lowercased().hasPrefix("on") } })
    }

    @Test("Given an abandoned attempt with scores, when the report is made, then it is counted but its total weighs in no average or histogram")
    func abandonedLeftOutOfAverages() throws {
        let html = Self.report()
        // practice: 4 attempts, 1 abandoned; totals 90, 64, 44 → mean 66 (not 74.5 with the abandoned 100)
        #expect(html.contains("4 attempts (1 abandoned), 1 passed, average total 66"))
        let report = HTMLReport(attempts: Self.sample)
        let practice = report.sections[0]
        #expect(practice.histogram.reduce(0, +) == 3 && practice.histogram[9] == 1)
        #expect(practice.trainees["ivan"]?.abandoned == 1 && practice.trainees["ivan"]?.totals == 0)
        #expect(practice.weekTeam.values.reduce(0) { $0 + $1.count } == 3)
        #expect(html.contains("<tr class=\"row-abandoned\">"))
    }

    @Test("Given hostile trainee names and filters, when the report is made, then no markup, formula prefix or escape sequence gets through")
    func hostileTextEscaped() throws {
        let html = Self.report(skills: [Self.gap(.practice, "intent:<b>", Self.hostile, 1, of: 3)])
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("\u{1B}") && !html.contains("\u{07}"))
        #expect(!html.contains("<b>"))
        // A name's line break does not split a table cell's text onto a raw new line.
        #expect(!html.contains("=HYPERLINK(&quot;x&quot;)\nnext"))
        let body = String(html.dropFirst("<!DOCTYPE html>".count))
        #expect(XMLCollector.parse(body).0 != nil)
    }

    @Test("Given the store's weakest skills, when the report is made, then each mode shows its own, as bars proportional to the share of attempts, with 'in N of M'")
    func weakestSkills() throws {
        let skills = [
            Self.gap(.practice, "escalation:too-early", "Escalated too early", 2, of: 3),
            Self.gap(.practice, "critical:rude", "Was rude", 1, of: 4, critical: true),
        ]
        let html = Self.report(skills: skills)
        #expect(html.contains("in 2 of 3 attempts") && html.contains("in 1 of 4 attempts"))
        #expect(html.contains("critical: Was rude") && html.contains("escalation: Escalated too early"))
        // The practice section's chart has the two bars; the exam section has none.
        let practice = String(html[html.range(of: "id=\"mode-practice\"")!.lowerBound..<html.range(of: "id=\"mode-exam\"")!.lowerBound])
        let chart = String(practice[practice.range(of: "<figure class=\"chart weakest\">")!.upperBound...])
        let svg = String(chart[..<chart.range(of: "</svg>")!.upperBound])
        let widths = try rects(svg).map { number($0["width"]) }
        #expect(widths.count == 2)
        #expect(abs(widths[0] / widths[1] - (2.0 / 3) / (1.0 / 4)) < 0.05)
        let exam = String(html[html.range(of: "id=\"mode-exam\"")!.lowerBound...])
        #expect(exam.contains("No points lost."))
    }

    @Test("Given no attempts, when the report is made, then it is a well-formed page that says there are none")
    func noAttempts() throws {
        let html = HTMLReport(attempts: []).render()
        #expect(html.contains("No attempts yet."))
        #expect(XMLCollector.parse(String(html.dropFirst("<!DOCTYPE html>".count))).0 != nil)
    }

    @Test("Given a week of attempts, when weeks are computed, then they start on Monday (UTC)")
    func weeks() {
        // 2026-10-26 is a Monday.
        let monday = HTMLReport.weekStart(Date(timeIntervalSince1970: 1_793_000_000))
        #expect(HTMLReport.dayString(monday) == "2026-10-26")
        #expect(HTMLReport.weekStart(Date(timeIntervalSince1970: 1_793_000_000 + 6 * 86_400)) == monday)
        #expect(HTMLReport.dayString(0) == "1970-01-01")
    }

    @Test("Given Russian, when the report is made, then headings and table words are Russian")
    func russian() {
        let html = HTMLReport(attempts: Self.sample, language: .ru).render()
        #expect(html.contains("<html lang=\"ru\">") && html.contains("Тренировка") && html.contains("Экзамен"))
        #expect(html.contains("Стажёр") && html.contains("Распределение итогов"))
    }

    @Test("Given a report streamed to a sink, when pieces are joined, then they equal the whole page and rows come one per piece")
    func streamsRows() {
        var pieces: [String] = []
        let report = HTMLReport(attempts: Self.sample)
        report.write { pieces.append($0) }
        #expect(pieces.joined() == report.render())
        #expect(pieces.filter { $0.hasPrefix("<tr class=") }.count == Self.sample.count)
    }

    @Test("Given attempts added one at a time and rows given per mode, when the page is written, then it equals the page made from the array")
    func streamedEqualsArray() {
        var streamed = HTMLReport(language: .en)
        for a in Self.sample { streamed.add(a) }
        var page = ""
        streamed.write({ page += $0 }, rows: { mode, body in
            for a in Self.sample where a.mode.rawValue == mode { body(a) }
        })
        #expect(page == HTMLReport(attempts: Self.sample).render())
    }
}
