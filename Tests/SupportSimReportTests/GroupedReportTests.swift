import Foundation
import SupportSimCore
import SupportSimStore
import Testing
@testable import SupportSimReport

private func figures(_ mean: Double?, sd: Double? = 5, trend: Double? = nil, count: Int = 3) -> ScoreFigures {
    ScoreFigures(count: mean == nil ? 0 : count, mean: mean, standardDeviation: mean == nil ? nil : sd, trend: trend)
}

private func group(_ key: String, _ mode: PlayMode, attempts: Int = 4, abandoned: Int = 1, total: Double? = 81.4,
                   trend: Double? = 3.6) -> GroupFigures {
    GroupFigures(
        key: key, mode: .known(mode), attempts: attempts, abandoned: abandoned, completed: attempts - abandoned,
        passed: 2,
        scores: [.correctness: figures(90), .politeness: figures(72.5, sd: 12), .escalation: figures(100, sd: 0),
                 .total: figures(total, trend: trend)])
}

private let longCyrillic = "Александра Константиновна Преображенская-Веселовская"
private let groups = [
    group("olga", .exam),
    group("Иван Петров", .exam, total: nil, trend: nil),
    group(longCyrillic, .exam, attempts: 100_000, abandoned: 12_345),
    group("Иван Петров", .practice, trend: -12),
]
private let skills = [
    SkillGap(rule: "escalation:too-early", mode: .known(.exam), category: .known(.escalation),
             message: "escalated before: ask", attempts: 14, outOf: 31),
    SkillGap(rule: "escalation:note:contact", mode: .known(.exam), category: .known(.escalation),
             message: "hand-off note does not mention: customer contact", attempts: 9, outOf: 12),
    SkillGap(rule: "intent:ask_printer", mode: .known(.practice), category: .known(.correctness),
             message: "missed: ask which printer \u{1B}[31m=HYPERLINK(\"x\")", attempts: 1, outOf: 2),
]
private let proficiency = [
    Proficiency(trainee: longCyrillic, mode: .known(.exam), scores: [.correctness: 88.4, .politeness: 70, .total: 80.6]),
]

@Suite("Report: grouped figures")
struct GroupedReportTests {
    @Test("Given groups with long Cyrillic names, when rendered as a table in English and Russian, then every line fits 80 columns, columns align by display width and long names end with an ellipsis")
    func tableFits80Columns() throws {
        for language in [Language.en, .ru] {
            let report = GroupedReport(grouping: .trainee, groups: groups, proficiency: proficiency, skills: skills)
            let text = report.render(.table, language: language)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for line in lines { #expect(DisplayWidth.of(line) <= 80, "too wide (\(language)): \(line)") }
            #expect(text.contains("Александра Константиновна") && text.contains("…"))
            #expect(!text.contains(longCyrillic))
            // Rows of one table: the attempts column ends at the same display column.
            let heading = try #require(lines.firstIndex { $0.hasPrefix(language == .ru ? "Экзамен — " : "Exam — ") })
            let examRows = Array(lines[(heading + 1)...(heading + 5)])  // header, rule, three rows
            #expect(examRows[4].hasPrefix("Александра"))
            // Every column is padded (the last one is right-aligned): the rows are equally wide.
            let ends = examRows.map { DisplayWidth.of($0) }
            #expect(Set(ends).count == 1, "\(examRows)")
            #expect(!text.contains("\u{1B}"))  // the stored message is sanitised
        }
        let en = GroupedReport(grouping: .trainee, groups: groups, proficiency: proficiency, skills: skills).render(.table)
        #expect(en.contains("Exam — by trainee") && en.contains("Practice — by trainee"))
        #expect(en.contains("81±5") && en.contains("+4") && en.contains("-12"))
        #expect(en.contains("escalated too early") && en.contains("14 of 31") && en.contains("45%"))
        #expect(en.contains("hand-off note missed: customer contact") && en.contains("9 of 12"))
        #expect(en.contains("Recency-weighted proficiency (half-life 14 days)"))
        let ru = GroupedReport(grouping: .trainee, groups: groups, proficiency: proficiency, skills: skills).render(.table, language: .ru)
        #expect(ru.contains("Экзамен — по стажёрам") && ru.contains("Тренировка — по стажёрам"))
        #expect(ru.contains("эскалация слишком рано") && ru.contains("14 из 31"))
        #expect(ru.contains("Среднее±разброс — по завершённым попыткам"))
    }

    @Test("Given category figures, when rendered in both languages, then each category has its mean, spread and trend and the counts line shows the abandoned attempts")
    func categoryTable() throws {
        let report = GroupedReport(grouping: .category, groups: [group("", .exam)])
        let en = report.render(.table)
        #expect(en.contains("Exam — by category") && en.contains("Correctness") && en.contains("Politeness"))
        #expect(en.contains("4 attempts (1 abandoned), pass rate 67%"))
        let ru = report.render(.table, language: .ru)
        #expect(ru.contains("Корректность") && ru.contains("Попыток: 4 (прервано: 1), сдано: 67%"))
        for line in (en + ru).split(separator: "\n") { #expect(DisplayWidth.of(String(line)) <= 80) }
    }

    @Test("Given the weakest skills, when rendered by skill, then every skill of each mode is listed, and with none a sentence says so")
    func skillReport() throws {
        let text = GroupedReport(grouping: .skill, groups: [], skills: skills).render(.table, language: .ru)
        #expect(text.contains("Экзамен — слабые места") && text.contains("Тренировка — слабые места"))
        #expect(text.contains("missed: ask which printer"))
        #expect(GroupedReport(grouping: .skill, groups: []).render(.table).contains("No points lost"))
        #expect(GroupedReport(grouping: .week, groups: []).render(.table).contains("No attempts yet"))
    }

    @Test("Given grouped figures, when rendered as CSV and JSON, then CSV is spreadsheet-safe with one row per group and JSON has null for missing values")
    func csvAndJSON() throws {
        let report = GroupedReport(grouping: .trainee, groups: groups, proficiency: proficiency, skills: skills)
        let csv = report.render(.csv)
        #expect(csv.hasPrefix("\u{FEFF}trainee,mode,attempts,abandoned,completed,passed,pass_rate,correctness_mean"))
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 1 + groups.count)
        #expect(lines[1].hasPrefix("olga,exam,4,1,3,2,0.667,90,5,"))
        let skillCSV = GroupedReport(grouping: .skill, groups: [], skills: skills).render(.csv)
        #expect(skillCSV.contains("'=") == false && !skillCSV.contains("\u{1B}"))
        #expect(skillCSV.contains("practice,intent:ask_printer,correctness,"))

        let json = report.render(.json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["by"] as? String == "trainee" && object["format_version"] as? Int == 1)
        let items = try #require(object["groups"] as? [[String: Any]])
        #expect(items.count == 4 && items[0]["key"] as? String == "olga")
        let scores = try #require(items[1]["scores"] as? [String: Any])
        let total = try #require(scores["total"] as? [String: Any])
        #expect(total["mean"] is NSNull && total["trend"] is NSNull)
        let prof = try #require(items[2]["proficiency"] as? [String: Any])
        #expect(prof["escalation"] is NSNull && prof["total"] as? Double == 80.6)
        let weak = try #require(object["weakest_skills"] as? [[String: Any]])
        #expect(weak.first?["out_of"] as? Int == 31 && weak.first?["skill"] as? String == "escalated too early")
        #expect(!json.contains("\u{1B}"))
    }

    @Test("Given a trainee name with a formula, a newline and escape sequences, when rendered, then the table shows it on one line without escapes and CSV neutralises the formula")
    func hostileNames() throws {
        let name = "=HYPERLINK(\"http://x\")\n\u{1B}[2J\u{1B}]8;;http://x\u{07}ivan"
        let report = GroupedReport(grouping: .trainee, groups: [group(name, .exam)])
        let text = report.render(.table)
        #expect(!text.contains("\u{1B}") && !text.contains("\u{07}"))
        let rows = text.split(separator: "\n").filter { $0.contains("HYPERLINK") }
        #expect(rows.count == 1)
        let csv = report.render(.csv)
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")") && !csv.contains("\u{1B}"))
        let json = report.render(.json)
        #expect(!json.contains("\u{1B}") && json.contains("\\u001b"))
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is [String: Any])
    }
}
