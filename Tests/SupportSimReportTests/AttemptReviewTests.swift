import Foundation
import SupportSimCore
import SupportSimStore
import Testing
@testable import SupportSimReport

private let start = Date(timeIntervalSince1970: 1_793_000_000)  // 2026-10-26 07:33:20 UTC

private func turn(_ index: Int, number: Int?, _ input: TraineeInput, node: String, after: String?,
                  events: [EngineEvent], retracted: Bool = false, language: Language = .en) -> TurnRecord {
    var record = TurnRecord(
        attemptID: 7,
        turn: Turn(index: index, number: number, input: input, node: node, moodBefore: .irritated, events: events,
                   elapsed: Double(index * 20), nodeAfter: after, arrivals: after.map { $0 == node ? [] : [$0] }),
        recordedAt: start)
    record.retracted = retracted
    return record
}

private func evidence(_ position: Int, _ category: Category?, _ e: Evidence, details: Bool = true) -> EvidenceRecord {
    var record = EvidenceRecord(attemptID: 7, position: position, category: category, evidence: e)
    if !details { record.modelAnswer = nil; record.scale = nil; record.detailsStored = false }
    return record
}

/// A stored attempt at the printer scenario: a good question with a harmful phrase, a turn taken
/// back, a reply not understood (with a model answer), and the close.
private func stored(status: AttemptStatus = .completed, reply: String = "Calm down. Which printer are you using?",
                    details: Bool = true, ru: Bool = false) -> StoredAttempt {
    var record = AttemptRecord(
        id: 7, trainee: ru ? "Иван Петров" : "olga", scenarioID: "printer-before-board-meeting",
        scenarioTitle: ru ? "Презентация не печатается перед советом директоров" : "The presentation that won't print",
        scenarioVersion: 2, language: ru ? .ru : .en, mode: .exam, seed: 3, startedAt: start,
        endedAt: start.addingTimeInterval(250), status: status, ending: status == .completed ? .resolved : .abandoned,
        correctness: 62, politeness: 40, total: 55, passMark: 70, passed: false, turnCount: 4)
    record.finalNode = "wrap_up"
    let turns = [
        turn(1, number: 1, .reply(reply), node: "opening", after: "printer_identified", events: [
            .intentMatched(intent: "ask_printer", description: "asked which printer", points: 15, feedback: nil,
                           matched: ["which printer"]),
            .harmful(rule: "tell_to_calm_down", penalty: 10, feedback: "Do not tell her to calm down.", matched: ["calm down"]),
            .politeness(hits: [StrategyHit(strategy: "reproach", span: "Calm down", weight: -2.5)]),
            .customerSays(ru ? "Простите? Я спокойна." : "Excuse me? I'm perfectly calm."),
            .moodChanged(from: .irritated, to: .furious),
        ]),
        turn(2, number: 2, .reply("Whatever."), node: "printer_identified", after: "printer_identified",
             events: [.fallback(node: "printer_identified"), .customerSays("Sorry?")], retracted: true),
        turn(3, number: 2, .reply("Figure it out yourself."), node: "printer_identified", after: "printer_identified",
             events: [.fallback(node: "printer_identified"), .customerSays("So what do I do?")]),
        turn(4, number: 3, .close(resolution: "printed elsewhere, ticket for hardware"), node: "printer_identified",
             after: "wrap_up", events: [.ended(.resolved)]),
    ]
    let queue = "Could you open the print queue on your laptop and tell me what's in it?"
    let evidence = [
        evidence(1, .correctness, Evidence(.credit, points: 30, turn: 1, quote: reply, rule: "intent:ask_printer",
                                           message: "asked which printer", scale: PointScale(written: 15, possible: 50)), details: details),
        evidence(2, .correctness, Evidence(.deduction, points: 27, rule: "intent:check_queue",
                                           message: "missed: had her check the print queue", modelAnswer: queue,
                                           scale: PointScale(written: 15, possible: 50)), details: details),
        evidence(3, .correctness, Evidence(.deduction, points: 18, turn: 1, quote: reply, rule: "harmful:tell_to_calm_down",
                                           message: "Do not tell her to calm down.", scale: PointScale(written: 10, possible: 50)),
                 details: details),
        evidence(4, .correctness, Evidence(.deduction, points: 9, turn: 2, quote: "Figure it out yourself.", rule: "fallback",
                                           message: "reply did not move the case forward", modelAnswer: queue,
                                           scale: PointScale(written: 5, possible: 50)), details: details),
        evidence(5, .politeness, Evidence(.deduction, points: 15, turn: 1, quote: "Calm down", rule: "politeness:reproach",
                                          message: "rude: reproach"), details: details),
        evidence(6, .politeness, Evidence(.deduction, points: 10, turn: 1, quote: reply, rule: "politeness:no-greeting",
                                          message: "no greeting in the first reply"), details: details),
    ]
    return StoredAttempt(record: record, turns: turns, evidence: evidence,
                         path: AttemptPath(turns: turns, finalNode: record.finalNode))
}

private let opening = AttemptReview.Replay(opening: [.customerSays("My presentation won't print!")])

@Suite("Report: show one attempt")
struct AttemptReviewTests {
    @Test("Given a stored attempt, when it is shown as text at 80 columns in English, then every line fits, the reply's scored parts are marked and each event is annotated with its rule and points")
    func englishTextFitsAndAnnotates() {
        let review = AttemptReview(stored(), replay: opening)
        let text = AttemptReviewRenderer(review, language: .en, width: 80).render(.text)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for line in lines { #expect(DisplayWidth.of(line) <= 80, "too wide: \(line)") }
        #expect(text.contains("Customer: My presentation won't print!"))
        #expect(text.contains("[[Calm down]]. [[Which printer]] are you using?"))
        #expect(text.contains("Correctness +30 (15 of 50 scenario points) · intent:ask_printer"))
        #expect(text.contains("Correctness −18 (10 of 50 scenario points) · harmful:tell_to_calm_down"))
        // an event about something missing marks nothing and quotes nothing
        #expect(text.contains("politeness:no-greeting — no greeting in the first reply\n"))
        // the path, node before and after each turn, the retracted turn and the ending
        #expect(text.contains("opening → printer_identified → wrap_up (resolved)"))
        #expect(text.contains("[1] opening → printer_identified"))
        #expect(text.contains("[×] printer_identified") && text.contains("taken back with /retry"))
        #expect(text.contains("Action: /close printed elsewhere"))
        // the scores and total, and one model answer for the step missed
        #expect(text.contains(" Correctness   62") && text.contains(" Politeness    40"))
        #expect(text.contains("Total 55 / 100 — FAILED (pass mark 70)"))
        #expect(text.contains("── Model answers where points were lost"))
        #expect(text.components(separatedBy: "model answer:").count - 1 >= 2)
        #expect(review.missing.isEmpty)
    }

    @Test("Given a Russian attempt, when it is shown as text at 80 columns in Russian, then Cyrillic lines fit by display width and the words are Russian")
    func russianTextFits() {
        let review = AttemptReview(stored(reply: "Успокойтесь. Какой у Вас принтер? Calm down, which printer", ru: true),
                                   replay: opening)
        let text = AttemptReviewRenderer(review, language: .ru, width: 80).render(.text)
        for line in text.split(separator: "\n") { #expect(DisplayWidth.of(String(line)) <= 80, "too wide: \(line)") }
        #expect(text.contains("Попытка 7 — Презентация"))
        #expect(text.contains("Стажёр") && text.contains("Иван Петров"))
        #expect(text.contains("Корректность +30 (15 из 50 баллов сценария)"))
        #expect(text.contains("Итог 55 / 100 — НЕ СДАНО"))
        #expect(text.contains("пример ответа:"))
    }

    @Test("Given an abandoned attempt with a stored total, when it is shown, then it says abandoned and shows no total in any format")
    func abandonedHasNoTotal() throws {
        let review = AttemptReview(stored(status: .abandoned), replay: opening)
        #expect(review.total == nil && review.passed == nil)
        let text = AttemptReviewRenderer(review).render(.text)
        #expect(text.contains("abandoned — no total"))
        #expect(!text.contains("Total 55"))
        #expect(text.contains("(so far)"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(AttemptReviewRenderer(review).render(.json).utf8)) as? [String: Any])
        let result = try #require(json["result"] as? [String: Any])
        #expect(result["abandoned"] as? Bool == true && result["total"] is NSNull && result["passed"] is NSNull)
        #expect(!AttemptReviewRenderer(review).render(.html).contains("55 / 100"))
    }

    @Test("Given a stored attempt, when it is shown as JSON, then the documented shape holds: keys, nulls and evidence per turn")
    func jsonShape() throws {
        let review = AttemptReview(stored(), replay: opening)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(AttemptReviewRenderer(review).render(.json).utf8)) as? [String: Any])
        #expect(Set(json.keys) == ["format_version", "attempt", "result", "path", "opening", "turns", "model_answers", "missing", "rescoring"])
        #expect(json["format_version"] as? Int == 1)
        let attempt = try #require(json["attempt"] as? [String: Any])
        #expect(Set(attempt.keys) == ["id", "trainee", "scenario_id", "scenario_title", "scenario_version", "language",
                                      "interface_language", "mode", "seed", "started_at", "ended_at", "status", "ending", "retries"])
        #expect(attempt["started_at"] as? String == "2026-10-26T07:33:20Z" && attempt["interface_language"] is NSNull)
        let result = try #require(json["result"] as? [String: Any])
        #expect(result["total"] as? Int == 55 && result["passed"] as? Bool == false && result["pass_mark"] as? Int == 70)
        let categories = try #require(result["categories"] as? [[String: Any]])
        #expect(categories.map { $0["category"] as? String } == ["correctness", "politeness"])
        let path = try #require(json["path"] as? [String: Any])
        #expect(path["nodes"] as? [String] == ["opening", "printer_identified", "wrap_up"] && path["final_node"] as? String == "wrap_up")
        #expect(json["opening"] as? [String] == ["My presentation won't print!"])
        let turns = try #require(json["turns"] as? [[String: Any]])
        #expect(turns.count == 4)
        #expect(Set(turns[0].keys) == ["index", "number", "retracted", "text", "command", "node_before", "node_after",
                                       "mood_before", "elapsed", "customer", "notes", "evidence"])
        #expect(turns[1]["retracted"] as? Bool == true && turns[1]["number"] is NSNull)
        #expect(turns[3]["command"] as? String == "close")
        let first = try #require(turns[0]["evidence"] as? [[String: Any]])
        let harmful = try #require(first.first { $0["rule"] as? String == "harmful:tell_to_calm_down" })
        #expect(Set(harmful.keys) == ["category", "kind", "rule", "message", "points", "scenario_points",
                                      "scenario_points_possible", "turn", "quote", "spans", "model_answer"])
        #expect(harmful["points"] as? Int == 18 && harmful["scenario_points"] as? Int == 10
                && harmful["scenario_points_possible"] as? Int == 50 && harmful["spans"] as? [String] == ["calm down"])
        let notes = try #require(turns[0]["notes"] as? [[String: Any]])
        #expect(notes.first?["type"] as? String == "mood_changed" && notes.first?["to"] as? String == "furious")
        let answers = try #require(json["model_answers"] as? [[String: Any]])
        #expect(answers.count == 2 && answers.allSatisfy { $0["model_answer"] is String })
        #expect(json["missing"] as? [String] == [])
    }

    @Test("Given a trainee reply with <script>, ANSI colour and an OSC hyperlink, when shown as HTML, text and JSON, then nothing active survives")
    func hostileReplyIsEscaped() throws {
        let hostile = "Which printer <script>alert(1)</script> \u{1B}[31mred\u{1B}[0m \u{1B}]8;;http://evil\u{07}link\u{1B}]8;;\u{07} \u{9B}2J done"
        let review = AttemptReview(stored(reply: hostile), replay: opening)
        let html = AttemptReviewRenderer(review).render(.html)
        #expect(!html.contains("<script") && html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.unicodeScalars.contains { TerminalText.isNeutralised($0) && $0 != "\n" })
        #expect(!html.contains("http://evil"))
        #expect(html.contains("<mark>Which printer</mark>"))
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<style>") && !html.contains("<link") && !html.contains("src="))
        let text = AttemptReviewRenderer(review).render(.text)
        #expect(!text.unicodeScalars.contains { TerminalText.isNeutralised($0) && $0 != "\n" })
        #expect(!text.contains("http://evil"))
        let json = AttemptReviewRenderer(review).render(.json)
        #expect(!json.unicodeScalars.contains { TerminalText.isNeutralised($0) && $0 != "\n" })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let turns = try #require(object["turns"] as? [[String: Any]])
        #expect(turns[0]["text"] as? String == hostile)  // JSON keeps the data, escaped
    }

    @Test("Given evidence stored before schema 5, when shown without a replay, then what is missing is named; with a replay, model answers and scenario points are filled in")
    func olderEvidenceIsFilledByReplay() {
        let old = stored(details: false)
        let bare = AttemptReview(old)
        #expect(bare.missing == [.opening, .evidenceDetails])
        #expect(bare.modelAnswers.isEmpty)
        let text = AttemptReviewRenderer(bare).render(.text)
        #expect(text.contains("opening line is not stored") && text.contains("before model answers and scenario points were kept"))

        let full = stored()
        let card = ScoreCard(
            categories: [CategoryScore(category: .correctness, score: 62, evidence: full.evidence.prefix(4).compactMap(\.evidence))],
            total: 55, passMark: 70, critical: [])
        let filled = AttemptReview(old, replay: .init(opening: opening.opening, card: card))
        #expect(filled.missing.isEmpty)
        #expect(filled.modelAnswers.count == 2)
        #expect(filled.categories.first?.annotations.first?.scale == PointScale(written: 15, possible: 50))
    }

    @Test("Given overlapping and repeated spans, when highlighted, then they merge and every occurrence is marked")
    func highlightMerges() {
        let pieces = AttemptReview.highlight("calm down, CALM DOWN now", spans: ["calm down", "down, calm"])
        #expect(pieces.map(\.marked) == [true, false])
        #expect(pieces.first?.text == "calm down, CALM DOWN")
    }
}
