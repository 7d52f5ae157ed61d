import Foundation
import SupportSimCore
@testable import SupportSimStore
import Testing
@testable import SupportSimReport

// A rescored attempt shows its latest automatic scores with those stored when it was played beside
// them: in the report table (a marker and a note), the HTML report and `show` (text, JSON, HTML).

private let played = Date(timeIntervalSince1970: 1_793_000_000)  // 2026-10-26 07:33:20 UTC
private let rescoredAt = played.addingTimeInterval(86_400 + 3_600)  // 2026-10-27 08:33 UTC

private func attempt(_ id: Int64, trainee: String = "olga") -> AttemptRecord {
    AttemptRecord(
        id: id, trainee: trainee, scenarioID: "printer", scenarioTitle: "Printer", language: .en, mode: .exam,
        seed: 3, startedAt: played, endedAt: played.addingTimeInterval(600), status: .completed, ending: .resolved,
        correctness: 100, politeness: 90, escalation: 100, total: 97, passMark: 80, passed: true,
        criticalCount: 0, turnCount: 4)
}

/// Rescored twice; the latest lowered correctness to 40 and the total to 70 (failed).
private func audit(_ id: Int64, changed: Bool = true) -> AttemptAudit {
    var audit = AttemptAudit()
    audit.rescorings = [
        Rescoring(attemptID: id, at: played.addingTimeInterval(3_600), scorerVersion: 1, scenarioVersion: 1, scenarioHash: nil,
                  correctness: 100, politeness: 90, escalation: 100, spelling: nil, total: 97, passed: true, criticalCount: 0),
        Rescoring(attemptID: id, at: rescoredAt, scorerVersion: 2, scenarioVersion: 3, scenarioHash: "ab12",
                  correctness: changed ? 40 : 100, politeness: 90, escalation: 100, spelling: nil,
                  total: changed ? 70 : 97, passed: !changed, criticalCount: 0),
    ]
    return audit
}

@Suite("Report: rescored attempts keep their scores as played in sight")
struct RescoredOriginalsTests {
    @Test("Given a rescored attempt whose scores changed, when the table is rendered, then its id carries the marker and a note gives when, which scorer and the scores as played")
    func tableMarkerAndNote() {
        // Given
        let report = AttemptsReport(attempts: [attempt(7), attempt(8)], audit: [7: audit(7)])
        // When
        let en = report.render(.table, language: .en)
        let ru = report.render(.table, language: .ru)
        // Then
        #expect(en.contains("\n7*") || en.contains(" 7*"), "\(en)")
        #expect(en.contains("#7* rescored 2026-10-27 08:33 UTC, scorer v2, scenario v3, 2 rescorings (as played in brackets): "
                            + "correctness 40 (100), total 70 (97), result failed (passed)"), "\(en)")
        #expect(!en.contains("8*"))
        #expect(ru.contains("#7* переоценено 2026-10-27 08:33 UTC, оценщик v2, сценарий v3, переоценок: 2 (в скобках — при прохождении): "
                            + "корректность 40 (100), итог 70 (97), результат не сдано (сдано)"), "\(ru)")
        for line in en.split(separator: "\n") where !line.hasPrefix("#") { #expect(DisplayWidth.of(String(line)) <= 80) }
    }

    @Test("Given an attempt rescored without any change, when the table is rendered, then it has no marker and no note")
    func unchangedRescoring() {
        let text = AttemptsReport(attempts: [attempt(7)], audit: [7: audit(7, changed: false)]).render(.table, language: .en)
        #expect(!text.contains("7*") && !text.contains("rescored"), "\(text)")
    }

    @Test("Given a rescored and overridden attempt with a hostile trainee name, when the HTML report is rendered, then the cells show latest (as played) → override, the tooltips and notes say when and which scorer, and everything is escaped")
    func htmlReport() {
        // Given
        var entry = audit(7)
        entry.overrideHistory = [ScoreOverride(id: 1, attemptID: 7, category: .known(.correctness), score: 85,
                                               reason: "<b>fair</b>", by: "anna", at: rescoredAt)]
        let hostile = "<script>alert(1)</script>\u{1B}]8;;http://x\u{7}=HYPERLINK(\"x\")\nname"
        // When
        let page = HTMLReport(attempts: [attempt(7, trainee: hostile), attempt(8)], audit: [7: entry], language: .en).render()
        let ru = HTMLReport(attempts: [attempt(7)], audit: [7: audit(7)], language: .ru).render()
        // Then
        #expect(page.contains("<td class=\"num\">7*</td>"), "\(page)")
        #expect(page.contains("<td class=\"num rescored overridden\"><span title=\"#7* rescored 2026-10-27 08:33 UTC, scorer v2, scenario v3"))
        #expect(page.contains(">40 (100) → 85</span></td>"))
        #expect(page.contains("<td class=\"num rescored\"><span title=\"#7* rescored") && page.contains(">70 (97)</span></td>"))
        #expect(page.contains("<ul class=\"rescorings\">\n<li>#7* rescored 2026-10-27 08:33 UTC"))
        #expect(page.contains("Attempts marked * were rescored"))
        #expect(page.contains("&lt;b&gt;fair&lt;/b&gt;") && !page.contains("<b>fair"))
        #expect(!page.contains("<script>") && !page.contains("\u{1B}") && !page.contains("\u{7}"))
        #expect(page.contains("&lt;script&gt;"))
        // The figures use the latest automatic scores: the one failed attempt and one passed.
        #expect(page.contains("2 attempts, 1 passed"), "\(page)")
        #expect(ru.contains("#7* переоценено 2026-10-27 08:33 UTC, оценщик v2") && ru.contains("Попытки со знаком * переоценены"))
    }

    @Test("Given a rescored attempt, when the HTML report streams rows as stored, then the page equals the one made from the array, and the table's HTML format matches it")
    func htmlStreamedEqualsArray() {
        let attempts = [attempt(7), attempt(8)]
        let audits = [Int64(7): audit(7)]
        let whole = HTMLReport(attempts: attempts, audit: audits).render()
        var streamed = HTMLReport(audit: audits)
        for a in attempts { streamed.add(a) }
        var out = ""
        streamed.write({ out += $0 }, rows: { mode, body in for a in attempts where a.mode.rawValue == mode { body(a) } })
        #expect(out == whole)
        #expect(AttemptsReport(attempts: attempts, audit: audits).render(.html) == whole)
    }

    /// The text with wrapped lines joined again (a line break and the indent become one space).
    static func unwrapped(_ text: String) -> String {
        text.replacingOccurrences(of: "\n +", with: " ", options: .regularExpression)
    }

    static func review(_ language: Language = .en) -> AttemptReview {
        let stored = StoredAttempt(record: attempt(7), turns: [], evidence: [], path: AttemptPath(turns: [], finalNode: nil))
        let entry = audit(7)
        var latest = stored
        latest.record = entry.latestAutomatic(stored.record)
        var review = AttemptReview(latest, replay: .init(opening: []))
        review.audit = entry
        review.originalScores = stored.record
        return review
    }

    @Test("Given a rescored attempt, when shown as text in English and Russian, then a Rescored line gives when, the scorer and scenario versions and the result as played, and each changed category its score as played")
    func showText() {
        let en = AttemptReviewRenderer(Self.review(), language: .en, width: 80).render(.text)
        #expect(Self.unwrapped(en).contains("Rescored  2026-10-27 08:33 UTC, scorer v2, scenario v3 (2 rescorings, the latest shown) — as played: Total 97 / 100 — PASSED (pass mark 80)"), "\(en)")
        #expect(en.contains("rescored; originally 100"))
        for line in en.split(separator: "\n") { #expect(DisplayWidth.of(String(line)) <= 80, "too wide: \(line)") }
        let ru = AttemptReviewRenderer(Self.review(), language: .ru, width: 80).render(.text)
        #expect(Self.unwrapped(ru).contains("Переоценено  2026-10-27 08:33 UTC, оценщик v2, сценарий v3 (переоценок: 2, показана последняя) — при прохождении: Итог 97 / 100"), "\(ru)")
        #expect(ru.contains("переоценено; при прохождении было 100"))
        for line in ru.split(separator: "\n") { #expect(DisplayWidth.of(String(line)) <= 80, "too wide: \(line)") }
    }

    @Test("Given a rescored attempt, when shown as JSON and HTML, then JSON has the rescoring (when, versions, count, total and result as played) and HTML a Rescored row")
    func showJSONAndHTML() throws {
        let json = try #require(try JSONSerialization.jsonObject(
            with: Data(AttemptReviewRenderer(Self.review()).render(.json).utf8)) as? [String: Any])
        let rescoring = try #require(json["rescoring"] as? [String: Any])
        #expect(rescoring["at"] as? String == "2026-10-27T08:33:20Z")
        #expect(rescoring["scorer_version"] as? Int == 2 && rescoring["scenario_version"] as? Int == 3)
        #expect(rescoring["scenario_hash"] as? String == "ab12" && rescoring["count"] as? Int == 2)
        #expect(rescoring["original_total"] as? Int == 97 && rescoring["original_passed"] as? Bool == true)
        let result = try #require(json["result"] as? [String: Any])
        #expect(result["total"] as? Int == 70)
        let html = AttemptReviewRenderer(Self.review(), language: .en).render(.html)
        #expect(html.contains("<tr class=\"rescored\"><th>Rescored</th><td>2026-10-27 08:33 UTC, scorer v2, scenario v3"), "\(html)")
        // Never rescored: the key is there, null.
        let plain = AttemptReview(StoredAttempt(record: attempt(8), turns: [], evidence: [], path: AttemptPath(turns: [], finalNode: nil)))
        let plainJSON = try #require(try JSONSerialization.jsonObject(with: Data(AttemptReviewRenderer(plain).render(.json).utf8)) as? [String: Any])
        #expect(plainJSON["rescoring"] is NSNull)
        #expect(!AttemptReviewRenderer(plain).render(.text).contains("Rescored"))
    }
}
