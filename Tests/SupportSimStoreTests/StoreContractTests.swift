import Foundation
import SupportSimCore
import Testing
@testable import SupportSimStore

// The same checks against every store backend (`StoreBackend.all`): what a session writes, what
// reports, `show` and `override` read, and what each refuses.

private let t0 = Date(timeIntervalSince1970: 1_793_000_000)  // whole seconds: both backends keep them exactly
private let day: TimeInterval = 86_400

private func attempt(
    _ trainee: String = "ivan.petrov", scenario: String = "printer-offline", mode: PlayMode = .practice,
    seed: UInt64 = 42, at: Date = t0, line: SupportLine? = .l1, tags: [String] = ["printer", "angry"]
) -> NewAttempt {
    NewAttempt(trainee: trainee, scenarioID: scenario, scenarioTitle: "Принтер «HP» offline", scenarioVersion: 2,
               language: .ru, mode: mode, seed: seed, startedAt: at, interfaceLanguage: .en, line: line, tags: tags,
               scenarioHash: String(repeating: "ab", count: 32), scorerVersion: ScorerVersion.current)
}

private func turn(_ index: Int, node: String = "n", after: String? = nil) -> Turn {
    Turn(index: index, number: index,
         input: index == 3 ? .escalate(target: "L2", note: "Принтер «HP-4»\nне печатает") : .reply("Здравствуйте, \(index) ' \" \\ %"),
         node: "\(node)\(index)", moodBefore: .irritated,
         events: [.intentMatched(intent: "greet", description: "greeted", points: 10, feedback: nil, matched: ["здравствуйте"]),
                  .customerSays("Спасибо")],
         elapsed: Double(index) * 12.5, nodeAfter: after ?? "\(node)\(index + 1)", arrivals: nil)
}

private func card(total: Int, correctness: Int = 80, politeness: Int = 90, escalation: Int = 70, critical: Bool = false) -> ScoreCard {
    ScoreCard(
        categories: [
            CategoryScore(category: .correctness, score: correctness, evidence: [
                Evidence(.credit, points: 10, turn: 1, quote: "Здравствуйте", rule: "intent:greet", message: "greeted"),
                Evidence(.deduction, points: 5, turn: 2, rule: "escalation:too-early:diagnose", message: "escalated too early",
                         modelAnswer: "Ask for the error code first", scale: PointScale(written: 5, possible: 40)),
            ]),
            CategoryScore(category: .politeness, score: politeness, evidence: []),
            CategoryScore(category: .escalation, score: escalation, evidence: []),
        ],
        total: total, passMark: 75,
        critical: critical ? [Evidence(.critical, points: 0, turn: 2, quote: "пароль", rule: "harmful:password", message: "asked for a password")] : [])
}

/// Runs `body` with a fresh store of `backend`, removed afterwards.
private func withStore(_ backend: StoreBackend, _ body: (any AttemptStore) throws -> Void) throws {
    let (store, cleanUp) = try backend.make()
    defer { cleanUp() }
    try body(store)
}

@Suite("Store contract: every backend")
struct StoreContractTests {
    @Test("Given CI asks for PostgreSQL, when the backends are listed, then PostgreSQL is among them")
    func postgresPresentWhenRequired() {
        if TestPostgres.required {
            #expect(StoreBackend.all.contains { $0.kind == .postgres },
                    "SUPPORTSIM_REQUIRE_POSTGRES=1 but no PostgreSQL backend: build with --traits Postgres and set SUPPORTSIM_TEST_POSTGRES")
        }
    }

    @Test("Given a session, when its turns and ending are stored, then they read back exactly", arguments: StoreBackend.all)
    func sessionRoundTrip(backend: StoreBackend) throws {
        try withStore(backend) { store in
            // Given
            let id = try store.startAttempt(attempt())
            // When
            for i in 1...3 { try store.recordTurn(attemptID: id, turn: turn(i), at: t0.addingTimeInterval(Double(i))) }
            let open = try #require(try store.attempt(id: id))
            try store.finishAttempt(id: id, ending: .resolved, card: card(total: 81, critical: true), finalNode: "n4",
                                    at: t0.addingTimeInterval(60))
            // Then
            #expect(open.status == .abandoned && open.endedAt == nil && open.turnCount == 3)
            let record = try #require(try store.attempt(id: id))
            #expect(record.trainee == "ivan.petrov" && record.scenarioTitle == "Принтер «HP» offline")
            #expect(record.status == .completed && record.ending == .resolved && record.total == 81 && record.passed == false)
            #expect(record.correctness == 80 && record.politeness == 90 && record.escalation == 70 && record.spelling == nil)
            #expect(record.criticalCount == 1 && record.finalNode == "n4" && record.seed == 42)
            #expect(record.startedAt == t0 && record.endedAt == t0.addingTimeInterval(60))
            #expect(record.language == .ru && record.interfaceLanguage == .en && record.mode == .practice)
            let turns = try store.turns(attemptID: id)
            #expect(turns.map(\.turn) == (1...3).map { turn($0) })
            #expect(turns.map(\.recordedAt) == (1...3).map { t0.addingTimeInterval(Double($0)) })
            let evidence = try store.evidence(attemptID: id)
            #expect(evidence.map(\.position) == [1, 2, 3])
            #expect(evidence.compactMap(\.evidence) == card(total: 81, critical: true).categories[0].evidence
                    + card(total: 81, critical: true).critical)
            #expect(evidence[2].category == nil && evidence[0].category == .correctness)
            let stored = try #require(try store.storedAttempt(id: id))
            #expect(stored.path.nodes == ["n1", "n2", "n3", "n4"] && stored.path.finalNode == "n4")
            #expect(try store.attempt(id: id + 1000) == nil)
        }
    }

    @Test("Given an attempt, when a turn is stored again, differently, or after the end, then only the same turn again is accepted, once", arguments: StoreBackend.all)
    func refusedWrites(backend: StoreBackend) throws {
        try withStore(backend) { store in
            let id = try store.startAttempt(attempt())
            try store.recordTurn(attemptID: id, turn: turn(1), at: t0)
            // The same turn again (a retry whose first answer was lost) is kept once; another turn 1 is refused.
            try store.recordTurn(attemptID: id, turn: turn(1), at: t0)
            var other = turn(1)
            other.input = .reply("something else")
            #expect(throws: StoreError.self) { try store.recordTurn(attemptID: id, turn: other, at: t0) }
            #expect(throws: StoreError.attemptNotFound(id + 99)) { try store.recordTurn(attemptID: id + 99, turn: turn(1), at: t0) }
            try store.finishAttempt(id: id, ending: .resolved, card: nil, finalNode: nil, at: t0)
            #expect(throws: StoreError.attemptAlreadyEnded(id)) { try store.recordTurn(attemptID: id, turn: turn(2), at: t0) }
            #expect(throws: StoreError.attemptCompleted(id)) { try store.reopenAttempt(id: id) }
            #expect(try store.turns(attemptID: id).count == 1)
        }
    }

    @Test("Given stored turns, when some are taken back and the attempt is resumed, then they stay marked and scores clear",
          arguments: StoreBackend.all)
    func retractAndReopen(backend: StoreBackend) throws {
        try withStore(backend) { store in
            // Given
            let id = try store.startAttempt(attempt())
            for i in 1...3 { try store.recordTurn(attemptID: id, turn: turn(i), at: t0) }
            // When
            try store.retractTurns(attemptID: id, fromIndex: 2)
            // Then
            #expect(try store.turns(attemptID: id).map(\.retracted) == [false, true, true])
            #expect(try store.attempt(id: id)?.retries == 1)
            #expect(throws: StoreError.self) { try store.retractTurns(attemptID: id, fromIndex: 9) }
            // When: abandoned with a score, then reopened
            try store.finishAttempt(id: id, ending: .abandoned, card: card(total: 40), finalNode: "n2", at: t0)
            #expect(try store.evidence(attemptID: id).count == 2)
            try store.reopenAttempt(id: id)
            let reopened = try #require(try store.attempt(id: id))
            #expect(reopened.endedAt == nil && reopened.total == nil && reopened.ending == nil && reopened.finalNode == nil)
            #expect(try store.evidence(attemptID: id).isEmpty)
            try store.recordTurn(attemptID: id, turn: turn(4), at: t0)
            #expect(try store.latestAbandonedAttempt(trainee: "ivan.petrov")?.id == id)
        }
    }

    @Test("Given a session kept elsewhere, when it is imported, then missing turns are added once and a stranger's file is refused",
          arguments: StoreBackend.all)
    func importing(backend: StoreBackend) throws {
        try withStore(backend) { store in
            // Given: the store got turn 1 only
            let id = try store.startAttempt(attempt())
            try store.recordTurn(attemptID: id, turn: turn(1), at: t0)
            // When
            let result = try store.importAttempt(existingID: id, attempt(), turns: (1...3).map { turn($0) }, ending: .resolved,
                                                 card: card(total: 90), finalNode: "n4", at: t0)
            // Then
            #expect(result == ImportResult(attemptID: id, created: false, addedTurns: [2, 3], finished: true))
            #expect(try store.turns(attemptID: id).map(\.index) == [1, 2, 3])
            #expect(try store.attempt(id: id)?.total == 90)
            // Importing the same again adds nothing; another seed is refused.
            let again = try store.importAttempt(existingID: id, attempt(), turns: (1...3).map { turn($0) }, ending: .resolved,
                                                card: card(total: 90), finalNode: "n4", at: t0)
            #expect(again.addedTurns.isEmpty && again.finished)
            #expect(throws: StoreError.self) {
                try store.importAttempt(existingID: id, attempt(seed: 7), turns: [], ending: nil, card: nil, finalNode: nil, at: t0)
            }
            // A session that never reached the store becomes a new attempt.
            let created = try store.importAttempt(existingID: nil, attempt(), turns: [turn(1)], ending: nil, card: nil,
                                                  finalNode: nil, at: t0)
            #expect(created.created && created.attemptID != id && !created.finished)
        }
    }

    @Test("Given attempts of several trainees, when they are listed with filters, then each filter selects as documented",
          arguments: StoreBackend.all)
    func filters(backend: StoreBackend) throws {
        try withStore(backend) { store in
            // Given
            let a = try store.startAttempt(attempt("anna", at: t0))
            let b = try store.startAttempt(attempt("boris", scenario: "vpn", mode: .exam, at: t0.addingTimeInterval(day),
                                                   line: .l2, tags: ["vpn"]))
            let c = try store.startAttempt(attempt("anna", scenario: "vpn", at: t0.addingTimeInterval(2 * day), line: nil, tags: []))
            try store.finishAttempt(id: a, ending: .resolved, card: card(total: 80), finalNode: nil, at: t0)
            // When / Then
            func ids(_ filter: AttemptFilter) throws -> [Int64] { try store.attempts(filter).map(\.id) }
            #expect(try ids(.init()) == [c, b, a])
            #expect(try ids(.init(trainee: "anna")) == [c, a])
            #expect(try ids(.init(scenarioID: "vpn")) == [c, b])
            #expect(try ids(.init(since: t0.addingTimeInterval(day))) == [c, b])
            #expect(try ids(.init(until: t0.addingTimeInterval(day))) == [a])
            #expect(try ids(.init(mode: .exam)) == [b])
            #expect(try ids(.init(status: .completed)) == [a])
            #expect(try ids(.init(tag: "vpn")) == [b])
            #expect(try ids(.init(line: .l1)) == [a])
            #expect(try ids(.init(limit: 2)) == [c, b])
            var streamed: [Int64] = []
            let count = try store.forEachAttempt(.init(trainee: "anna"), order: .byID, includePaths: true) { row in
                streamed.append(row.record.id)
            }
            #expect(streamed == [a, c] && count == 2)
            // An error thrown by the caller stops the listing and comes out as it is.
            struct Stop: Error {}
            #expect(throws: Stop.self) {
                try store.forEachAttempt(.init(), order: .byID, includePaths: false) { _ in throw Stop() }
            }
        }
    }

    @Test("Given a completed attempt, when managers override it, then the history is kept beside the automatic score",
          arguments: StoreBackend.all)
    func overrides(backend: StoreBackend) throws {
        try withStore(backend) { store in
            // Given
            let id = try store.startAttempt(attempt())
            try store.finishAttempt(id: id, ending: .resolved, card: card(total: 70), finalNode: nil, at: t0)
            // When
            try store.addOverride(attemptID: id, category: .escalation, score: 90, reason: " right to escalate ",
                                  by: "maria", at: t0.addingTimeInterval(10))
            try store.addOverride(attemptID: id, category: .escalation, score: 85, reason: "<script>x</script>",
                                  by: "oleg", at: t0.addingTimeInterval(20))
            // Then
            let history = try store.overrides(attemptID: id)
            #expect(history.map(\.score) == [90, 85] && history.map(\.by) == ["maria", "oleg"])
            #expect(history[0].reason == "right to escalate" && history[1].at == t0.addingTimeInterval(20))
            #expect(try store.audit(attemptIDs: [id])[id]?.override(.escalation)?.score == 85)
            #expect(try store.attempt(id: id)?.escalation == 70)
            #expect(try store.auditedAttemptIDs() == [id])
            #expect(throws: StoreError.self) {
                try store.addOverride(attemptID: id, category: .politeness, score: 101, reason: "x", by: "m", at: t0)
            }
            #expect(throws: StoreError.self) {
                try store.addOverride(attemptID: id, category: .politeness, score: 50, reason: "  ", by: "m", at: t0)
            }
            #expect(throws: StoreError.attemptNotFound(id + 5)) {
                try store.addOverride(attemptID: id + 5, category: .politeness, score: 50, reason: "r", by: "m", at: t0)
            }
        }
    }

    @Test("Given a team's attempts, when they are grouped, then counts, means, spread, trends and skills are the same figures",
          arguments: StoreBackend.all)
    func groupedFigures(backend: StoreBackend) throws {
        try withStore(backend) { store in
            // Given: anna 60 then 80 (practice), boris 90 (exam), an abandoned attempt of anna
            let reference = t0.addingTimeInterval(40 * day)
            let a1 = try store.startAttempt(attempt("anna", at: t0))                         // prior window
            let a2 = try store.startAttempt(attempt("anna", at: t0.addingTimeInterval(20 * day)))  // recent window
            let b1 = try store.startAttempt(attempt("boris", mode: .exam, at: t0.addingTimeInterval(21 * day)))
            let a3 = try store.startAttempt(attempt("anna", at: t0.addingTimeInterval(22 * day)))
            try store.finishAttempt(id: a1, ending: .resolved, card: card(total: 60, critical: true), finalNode: nil, at: t0)
            try store.finishAttempt(id: a2, ending: .resolved, card: card(total: 80), finalNode: nil, at: t0)
            try store.finishAttempt(id: b1, ending: .resolved, card: card(total: 90), finalNode: nil, at: t0)
            try store.finishAttempt(id: a3, ending: .abandoned, card: card(total: 10), finalNode: nil, at: t0)
            // When
            let byTrainee = try store.groupFigures(.init(), by: .trainee, reference: reference, trendWindow: 30)
            // Then
            #expect(byTrainee.map(\.key) == ["anna", "boris"])
            let anna = byTrainee[0]
            #expect(anna.mode == .practice && anna.attempts == 3 && anna.abandoned == 1 && anna.completed == 2 && anna.passed == 1)
            #expect(anna.scores[.total]?.count == 2 && anna.scores[.total]?.mean == 70)
            #expect(anna.scores[.total]?.standardDeviation == 10)
            #expect(anna.scores[.total]?.trend == 20)
            #expect(byTrainee[1].mode == .exam && byTrainee[1].scores[.total]?.mean == 90)
            let byMonth = try store.groupFigures(.init(mode: .practice), by: .month, reference: reference, trendWindow: 30)
            let monthKeys = byMonth.map(\.key)
            #expect(monthKeys == Array(Set(monthKeys)).sorted() && byMonth.reduce(0) { $0 + $1.attempts } == 3)
            let byWeek = try store.groupFigures(.init(), by: .week, reference: reference, trendWindow: 30)
            let weekday = Calendar(identifier: .iso8601)
            for key in byWeek.map(\.key) {
                let parts = key.split(separator: "-").compactMap { Int($0) }
                var components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
                components.timeZone = TimeZone(identifier: "UTC")
                let date = try #require(weekday.date(from: components))
                var utc = weekday
                utc.timeZone = TimeZone(identifier: "UTC")!
                #expect(utc.component(.weekday, from: date) == 2, "week \(key) starts on a Monday")
            }
            let byCategory = try store.groupFigures(.init(), by: .category, reference: reference, trendWindow: 30)
            #expect(byCategory.map(\.key) == ["", ""] && byCategory.map(\.completed) == [1, 2])
            // Proficiency: the recent attempt weighs more than the old one.
            let proficiency = try store.proficiency(.init(trainee: "anna"), reference: reference, halfLife: 14)
            let weighted = try #require(proficiency.first?.scores[.total])
            let w1 = pow(0.5, 40.0 / 14), w2 = pow(0.5, 20.0 / 14)
            #expect(abs(weighted - (60 * w1 + 80 * w2) / (w1 + w2)) < 1e-9)
            // Skills: escalated too early in both completed practice attempts, the critical error in one.
            let skills = try store.weakestSkills(.init(mode: .practice), limit: nil)
            #expect(skills.map(\.rule) == ["escalation:too-early", "harmful:password"])
            #expect(skills.map(\.attempts) == [2, 1] && skills.map(\.outOf) == [2, 2])
            #expect(skills[1].category == nil && skills[0].category == .correctness)
            #expect(try store.weakestSkills(.init(), limit: 1).count == 2)  // one per mode
        }
    }
}
