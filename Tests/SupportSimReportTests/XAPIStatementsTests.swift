import Foundation
import SupportSimCore
import SupportSimStore
import Testing
@testable import SupportSimReport

private let start = Date(timeIntervalSince1970: 1_793_000_000)  // 2026-10-26 07:33:20 UTC

private func record(
    id: Int64 = 7, trainee: String = "olga", status: AttemptStatus = .completed, passed: Bool? = true,
    total: Int? = 92, passMark: Int? = 80, critical: Int = 0
) -> AttemptRecord {
    var r = AttemptRecord(
        id: id, trainee: trainee, scenarioID: "printer-before-board-meeting", scenarioTitle: "Printer \"urgent\"",
        scenarioVersion: 2, language: .en, mode: .exam, seed: 5, startedAt: start,
        endedAt: status == .completed ? start.addingTimeInterval(754.5) : nil, status: status,
        ending: status == .completed ? .resolved : nil, correctness: 90, politeness: 95, escalation: nil,
        total: total, passMark: passMark, passed: passed, criticalCount: critical, turnCount: 5)
    r.spelling = 88
    return r
}

/// The statement of `r` as a JSON object.
private func statement(_ r: AttemptRecord, lastTurnAt: Date? = nil, builder: XAPIStatementBuilder = .init()) throws -> [String: Any] {
    let s = try #require(builder.statement(for: AttemptRow(record: r, lastTurnAt: lastTurnAt)))
    #expect(!s.json.contains("\n"))
    return try #require(try JSONSerialization.jsonObject(with: Data(s.json.utf8)) as? [String: Any])
}

private func categories(_ s: [String: Any]) -> [String] {
    let context = s["context"] as? [String: Any]
    let activities = context?["contextActivities"] as? [String: Any]
    return (activities?["category"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
}

@Suite("Report: xAPI statements")
struct XAPIStatementsTests {
    @Test("Given a passed attempt, when built, then it is a cmi5 passed statement with scaled score, success, duration and moveOn")
    func passedShape() throws {
        let s = try statement(record())
        let verb = s["verb"] as? [String: Any]
        #expect(verb?["id"] as? String == "http://adlnet.gov/expapi/verbs/passed")
        let result = try #require(s["result"] as? [String: Any])
        let score = try #require(result["score"] as? [String: Any])
        #expect(score["scaled"] as? Double == 0.92)
        #expect(score["raw"] as? Int == 92 && score["min"] as? Int == 0 && score["max"] as? Int == 100)
        #expect(result["success"] as? Bool == true)
        #expect(result["completion"] == nil)
        #expect(result["duration"] as? String == "PT12M34.5S")
        let extensions = try #require(result["extensions"] as? [String: Any])
        let scores = extensions["https://supportsim.example/xapi/extensions/category-scores"] as? [String: Int]
        #expect(scores == ["correctness": 90, "politeness": 95, "spelling": 88])
        #expect(extensions["https://supportsim.example/xapi/extensions/critical-errors"] as? Int == 0)
        #expect(categories(s) == [XAPIStatementBuilder.moveOnCategory, XAPIStatementBuilder.cmi5Category])
        let context = try #require(s["context"] as? [String: Any])
        let contextExtensions = try #require(context["extensions"] as? [String: Any])
        #expect(contextExtensions[XAPIStatementBuilder.masteryScoreExtension] as? Double == 0.8)
        #expect(contextExtensions[XAPIStatementBuilder.sessionIDExtension] is String)
        #expect(contextExtensions["https://supportsim.example/xapi/extensions/mode"] as? String == "exam")
        #expect(s["timestamp"] as? String == "2026-10-26T07:45:54.500Z")
        let object = try #require(s["object"] as? [String: Any])
        #expect(object["id"] as? String == "https://supportsim.example/xapi/scenarios/printer-before-board-meeting/v2")
        let actor = try #require(s["actor"] as? [String: Any])
        #expect(actor["account"] as? [String: String] == ["homePage": "https://supportsim.example", "name": "olga"])
    }

    @Test("Given a failed attempt, when built, then success is false; one failed for a critical error above the pass mark has no mastery score")
    func failedShape() throws {
        let below = try statement(record(passed: false, total: 55))
        #expect((below["verb"] as? [String: Any])?["id"] as? String == "http://adlnet.gov/expapi/verbs/failed")
        #expect((below["result"] as? [String: Any])?["success"] as? Bool == false)
        let belowExtensions = (below["context"] as? [String: Any])?["extensions"] as? [String: Any]
        #expect(belowExtensions?[XAPIStatementBuilder.masteryScoreExtension] as? Double == 0.8)
        // A critical error fails an attempt whatever its total: cmi5 ties passed/failed to the mastery score.
        let critical = try statement(record(passed: false, total: 90, critical: 1))
        let criticalExtensions = (critical["context"] as? [String: Any])?["extensions"] as? [String: Any]
        #expect(criticalExtensions?[XAPIStatementBuilder.masteryScoreExtension] == nil)
        let result = (critical["result"] as? [String: Any])?["extensions"] as? [String: Any]
        #expect(result?["https://supportsim.example/xapi/extensions/critical-errors"] as? Int == 1)
    }

    @Test("Given an abandoned attempt, when built, then it is an abandoned statement with only a duration and no moveOn")
    func abandonedShape() throws {
        let r = record(status: .abandoned, passed: nil, total: nil, passMark: nil)
        let s = try statement(r, lastTurnAt: start.addingTimeInterval(61))
        #expect((s["verb"] as? [String: Any])?["id"] as? String == "https://w3id.org/xapi/adl/verbs/abandoned")
        #expect(s["result"] as? [String: String] == ["duration": "PT1M1S"])
        #expect(categories(s) == [XAPIStatementBuilder.cmi5Category])
        #expect(s["timestamp"] as? String == "2026-10-26T07:34:21.000Z")
        // Without any turn the attempt lasted no time.
        let empty = try statement(r)
        #expect((empty["result"] as? [String: String])?["duration"] == "PT0S")
    }

    @Test("Given a finished attempt without a result, when built, then it is completed with completion true and no score")
    func completedShape() throws {
        let s = try statement(record(passed: nil, total: nil))
        #expect((s["verb"] as? [String: Any])?["id"] as? String == "http://adlnet.gov/expapi/verbs/completed")
        let result = try #require(s["result"] as? [String: Any])
        #expect(result["completion"] as? Bool == true)
        #expect(result["score"] == nil && result["success"] == nil)
        #expect(categories(s).contains(XAPIStatementBuilder.moveOnCategory))
    }

    @Test("Given an attempt, when built twice, then ids and text are the same; another verb or attempt gives other ids")
    func idsAreStable() throws {
        let builder = XAPIStatementBuilder()
        let a = try #require(builder.statement(for: AttemptRow(record: record())))
        let again = try #require(XAPIStatementBuilder().statement(for: AttemptRow(record: record())))
        #expect(a == again)
        let failed = try #require(builder.statement(for: AttemptRow(record: record(passed: false))))
        let other = try #require(builder.statement(for: AttemptRow(record: record(id: 8))))
        #expect(Set([a.id, failed.id, other.id]).count == 3)
        // The registration belongs to the attempt, whatever its verb.
        let registration = { (s: XAPIStatement) in
            ((try? JSONSerialization.jsonObject(with: Data(s.json.utf8))) as? [String: Any])
                .flatMap { ($0["context"] as? [String: Any])?["registration"] as? String }
        }
        #expect(registration(a) == registration(failed))
        #expect(registration(a) != registration(other))
        // Version 5 UUIDs, lowercase.
        #expect(a.id.uuidString.lowercased().dropFirst(14).first == "5")
        #expect(a.json.contains(a.id.uuidString.lowercased()))
    }

    @Test("Given the RFC 9562 example, when a name-based UUID is made, then it matches")
    func uuidV5KnownAnswer() {
        let dns = UUID(uuidString: "6ba7b810-9dad-11d1-80b4-00c04fd430c8")!
        #expect(NameBasedUUID.v5("www.example.com", namespace: dns).uuidString.lowercased() == "2ed6657d-e927-568b-95e1-2665a8aea6a2")
    }

    @Test("Given hostile names, when built, then the JSON keeps them exactly with every control character escaped")
    func escaping() throws {
        let name = "=HYPERLINK(\"http://x\",\"y\")\n<script>alert(1)</script>\u{1B}[31m\u{9B}2J\u{202E}"
        let builder = XAPIStatementBuilder()
        let s = try #require(builder.statement(for: AttemptRow(record: record(trainee: name))))
        #expect(!s.json.unicodeScalars.contains { TerminalText.isNeutralised($0) }, "\(s.json.debugDescription)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(s.json.utf8)) as? [String: Any])
        #expect(((object["actor"] as? [String: Any])?["account"] as? [String: String])?["name"] == name)
        #expect((object["object"] as? [String: Any]).flatMap { ($0["definition"] as? [String: Any])?["name"] as? [String: String] } == ["en": "Printer \"urgent\""])
    }

    @Test("Given a scenario id with unsafe characters and another base, when built, then the activity id is percent-encoded under that base")
    func activityIDs() {
        let builder = XAPIStatementBuilder(activityBase: "https://lms.example.org/sim/", actorHomePage: "https://lms.example.org")
        #expect(builder.activityID(scenarioID: "vpn ошибка/1?", version: 3)
            == "https://lms.example.org/sim/scenarios/vpn%20%D0%BE%D1%88%D0%B8%D0%B1%D0%BA%D0%B0%2F1%3F/v3")
        #expect(XAPIStatementBuilder.isHTTPIRI("https://lms.example.org"))
        #expect(!XAPIStatementBuilder.isHTTPIRI("lms.example.org"))
        #expect(!XAPIStatementBuilder.isHTTPIRI("https://a b"))
    }

    @Test("Given durations, when formatted, then they are ISO 8601 to the hundredth of a second")
    func durations() {
        #expect(XAPIStatementBuilder.duration(0) == "PT0S")
        #expect(XAPIStatementBuilder.duration(42) == "PT42S")
        #expect(XAPIStatementBuilder.duration(3600 + 120) == "PT1H2M")
        #expect(XAPIStatementBuilder.duration(3723.456) == "PT1H2M3.46S")
        #expect(XAPIStatementBuilder.duration(-5) == "PT0S")
    }

    @Test("Given an attempt whose status a newer version wrote, when built, then there is no statement")
    func unknownStatus() {
        var r = record()
        r.status = .unknown("paused")
        #expect(XAPIStatementBuilder().statement(for: AttemptRow(record: r)) == nil)
    }
}
