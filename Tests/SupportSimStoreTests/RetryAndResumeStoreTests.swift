import Foundation
import GRDB
import SupportSimCore
import Testing
@testable import SupportSimStore

@Suite struct RetryAndResumeStoreTests {
    private let start = Date(timeIntervalSince1970: 1_793_000_000)

    private func newAttempt(trainee: String = "ivan", scenario: String = "printer") -> NewAttempt {
        NewAttempt(trainee: trainee, scenarioID: scenario, scenarioTitle: "Printer", scenarioVersion: 2,
                   language: .en, mode: .practice, seed: 42, startedAt: start)
    }

    private func turn(_ index: Int, number: Int?, _ input: TraineeInput = .reply("hello")) -> Turn {
        Turn(index: index, number: number, input: input, node: "n", moodBefore: .calm,
             events: [.customerSays("ok \(index)")], elapsed: Double(index))
    }

    @Test func retractedTurnsAreKeptMarkedAndCountedAsARetry() throws {
        // Given an attempt with three stored turns
        let db = try AttemptDatabase.inMemory()
        let id = try db.startAttempt(newAttempt())
        for i in 1...3 { try db.recordTurn(attemptID: id, turn: turn(i, number: i), at: start) }
        // When the last turn is taken back and a new one is stored with the next index
        try db.retractTurns(attemptID: id, fromIndex: 3)
        try db.recordTurn(attemptID: id, turn: turn(4, number: 3), at: start)
        // Then all four turns are kept, the third marked retracted, and the attempt counts one retry
        let turns = try db.turns(attemptID: id)
        #expect(turns.map(\.index) == [1, 2, 3, 4])
        #expect(turns.map(\.retracted) == [false, false, true, false])
        #expect(turns.map(\.number) == [1, 2, 3, 3])
        #expect(try db.attempt(id: id)?.retries == 1)
    }

    @Test func retractingWhenNothingIsStoredFails() throws {
        // Given an attempt with no turns
        let db = try AttemptDatabase.inMemory()
        let id = try db.startAttempt(newAttempt())
        // When / Then taking back a turn fails and no retry is counted
        #expect(throws: StoreError.self) { try db.retractTurns(attemptID: id, fromIndex: 1) }
        #expect(try db.attempt(id: id)?.retries == 0)
    }

    @Test func reopeningAnAbandonedAttemptClearsItsEndSoTurnsCanBeAddedAndItCanComplete() throws {
        // Given an attempt that was finished as abandoned with a score
        let db = try AttemptDatabase.inMemory()
        let id = try db.startAttempt(newAttempt())
        try db.recordTurn(attemptID: id, turn: turn(1, number: 1), at: start)
        let card = ScoreCard(categories: [CategoryScore(category: .correctness, score: 40, evidence: [
            Evidence(.deduction, points: 60, turn: 1, rule: "outcome", message: "not solved")])],
            total: 40, passMark: 80, critical: [])
        try db.finishAttempt(id: id, ending: .abandoned, card: card, at: start)
        #expect(throws: StoreError.attemptAlreadyEnded(id)) { try db.recordTurn(attemptID: id, turn: turn(2, number: 2), at: start) }
        // When it is reopened
        try db.reopenAttempt(id: id)
        // Then its end and scores are cleared, more turns can be stored, and finishing completes it
        let reopened = try #require(try db.attempt(id: id))
        #expect(reopened.endedAt == nil && reopened.ending == nil && reopened.total == nil)
        #expect(try db.evidence(attemptID: id).isEmpty)
        try db.recordTurn(attemptID: id, turn: turn(2, number: 2), at: start)
        try db.finishAttempt(id: id, ending: .resolved, card: card, at: start)
        let done = try #require(try db.attempt(id: id))
        #expect(done.status == .completed && done.ending == .resolved && done.turnCount == 2)
    }

    @Test func aCompletedAttemptCannotBeReopened() throws {
        // Given a completed attempt
        let db = try AttemptDatabase.inMemory()
        let id = try db.startAttempt(newAttempt())
        try db.finishAttempt(id: id, ending: .resolved, card: nil, at: start)
        // When / Then reopening it is refused
        #expect(throws: StoreError.attemptCompleted(id)) { try db.reopenAttempt(id: id) }
    }

    @Test func latestAbandonedAttemptIsTheTraineesNewestAtTheScenario() throws {
        // Given two abandoned attempts of one trainee, one completed, and another trainee's
        let db = try AttemptDatabase.inMemory()
        let a = try db.startAttempt(newAttempt())
        let b = try db.startAttempt(newAttempt())
        let c = try db.startAttempt(newAttempt())
        try db.finishAttempt(id: c, ending: .resolved, card: nil, at: start)
        _ = try db.startAttempt(newAttempt(trainee: "olga"))
        _ = try db.startAttempt(newAttempt(scenario: "vpn"))
        // When / Then the newest abandoned one at the scenario is found
        #expect(try db.latestAbandonedAttempt(trainee: "ivan", scenarioID: "printer")?.id == b)
        #expect(a < b)
        #expect(try db.latestAbandonedAttempt(trainee: "nobody") == nil)
    }

    @Test func migrationNumbersTurnsStoredBeforeWithoutLookups() throws {
        // Given a database at schema v2 with a reply, a /kb lookup and another reply
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("v2-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                INSERT INTO grdb_migrations VALUES ('v1'), ('v2: spelling category');
                CREATE TABLE attempt (id INTEGER PRIMARY KEY AUTOINCREMENT, trainee TEXT NOT NULL, scenario_id TEXT NOT NULL,
                    scenario_title TEXT NOT NULL, scenario_version INTEGER NOT NULL, language TEXT NOT NULL,
                    interface_language TEXT, mode TEXT NOT NULL, seed INTEGER NOT NULL, started_at DATETIME NOT NULL,
                    ended_at DATETIME, status TEXT NOT NULL, ending TEXT, correctness INTEGER, politeness INTEGER,
                    escalation INTEGER, total INTEGER, pass_mark INTEGER, passed BOOLEAN,
                    critical_count INTEGER NOT NULL DEFAULT 0, spelling INTEGER);
                CREATE TABLE turn (attempt_id INTEGER NOT NULL REFERENCES attempt(id) ON DELETE CASCADE,
                    turn_index INTEGER NOT NULL, input TEXT NOT NULL, text TEXT NOT NULL, node TEXT NOT NULL,
                    mood_before TEXT NOT NULL, events TEXT NOT NULL, elapsed DOUBLE NOT NULL,
                    recorded_at DATETIME NOT NULL, PRIMARY KEY (attempt_id, turn_index));
                CREATE TABLE evidence (attempt_id INTEGER NOT NULL, position INTEGER NOT NULL, category TEXT,
                    kind TEXT NOT NULL, points INTEGER NOT NULL, turn INTEGER, quote TEXT, rule TEXT NOT NULL,
                    message TEXT NOT NULL, PRIMARY KEY (attempt_id, position));
                INSERT INTO attempt (trainee, scenario_id, scenario_title, scenario_version, language, mode, seed,
                    started_at, status) VALUES ('ivan', 'printer', 'Printer', 1, 'en', 'practice', 1, '2026-01-01 10:00:00', 'abandoned');
                INSERT INTO turn VALUES (1, 1, '{"reply":{"_0":"hi"}}', 'hi', 'n', 'calm', '[]', 1, '2026-01-01 10:00:01');
                INSERT INTO turn VALUES (1, 2, '{"kb":{"query":"x"}}', '/kb x', 'n', 'calm', '[]', 2, '2026-01-01 10:00:02');
                INSERT INTO turn VALUES (1, 3, '{"reply":{"_0":"ok"}}', 'ok', 'n', 'calm', '[]', 3, '2026-01-01 10:00:03');
                """)
        }
        try queue.close()
        // When it is opened (and migrated)
        let db = try AttemptDatabase(path: path)
        // Then the replies are numbered 1 and 2, the lookup has no number, and nothing is retracted
        let turns = try db.turns(attemptID: 1)
        #expect(turns.map(\.number) == [1, nil, 2])
        #expect(turns.allSatisfy { !$0.retracted })
        #expect(try db.attempt(id: 1)?.retries == 0)
    }
}
