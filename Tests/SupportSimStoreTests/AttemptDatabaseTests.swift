import Foundation
import GRDB
import SupportSimCore
import Testing
@testable import SupportSimStore

private let start = Date(timeIntervalSince1970: 1_793_000_000)  // a whole second

private func newAttempt(
    trainee: String = "ivan.petrov", scenario: String = "printer-offline", mode: PlayMode = .practice,
    seed: UInt64 = 42, startedAt: Date = start
) -> NewAttempt {
    NewAttempt(
        trainee: trainee, scenarioID: scenario, scenarioTitle: "Printer offline", scenarioVersion: 2,
        language: .ru, mode: mode, seed: seed, startedAt: startedAt, interfaceLanguage: .en)
}

private func sampleTurn(_ index: Int) -> Turn {
    Turn(
        index: index,
        input: index == 3 ? .escalate(target: "L2", note: "Принтер «HP-4» не печатает") : .reply("Здравствуйте, \(index)"),
        node: "n\(index)", moodBefore: .irritated,
        events: [
            .intentMatched(intent: "greet", description: "greeted", points: 10, feedback: nil, matched: ["здравствуйте"]),
            .politeness(hits: [StrategyHit(strategy: "greeting", span: "Здравствуйте", weight: 1)]),
            .moodChanged(from: .irritated, to: .anxious),
            .customerSays("Спасибо"),
        ],
        elapsed: Double(index) * 12.5)
}

private func sampleCard() -> ScoreCard {
    ScoreCard(
        categories: [
            CategoryScore(category: .correctness, score: 85, evidence: [
                Evidence(.credit, points: 10, turn: 1, quote: "Здравствуйте", rule: "intent:greet", message: "greeted"),
                Evidence(.deduction, points: 5, turn: 2, rule: "fallback", message: "reply matched nothing"),
            ]),
            CategoryScore(category: .politeness, score: 90, evidence: [
                Evidence(.credit, points: 10, turn: 1, quote: "Здравствуйте", rule: "politeness:greeting", message: "greeting"),
            ]),
        ],
        total: 87, passMark: 80, critical: [])
}

private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("supportsim-store-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite("Store: attempt database")
struct AttemptDatabaseTests {
    @Test func migrationsCreateTheTables() throws {
        // Given / When
        let db = try AttemptDatabase.inMemory()
        // Then
        let tables = try db.tableNames()
        #expect(tables.isSuperset(of: ["attempt", "turn", "evidence"]))
    }

    @Test func unfinishedAttemptStaysAbandonedWithItsTurns() throws {
        // Given
        let db = try AttemptDatabase.inMemory()
        let id = try db.startAttempt(newAttempt())
        // When
        for i in 1...3 { try db.recordTurn(attemptID: id, turn: sampleTurn(i), at: start.addingTimeInterval(Double(i))) }
        // Then
        let record = try #require(try db.attempt(id: id))
        #expect(record.status == .abandoned)
        #expect(record.endedAt == nil)
        #expect(record.turnCount == 3)
        #expect(record.total == nil && record.passed == nil && record.correctness == nil)
        #expect(try db.turns(attemptID: id).map(\.index) == [1, 2, 3])
    }

    @Test func finishingCompletesWithScoresAndEvidence() throws {
        // Given
        let db = try AttemptDatabase.inMemory()
        let id = try db.startAttempt(newAttempt())
        try db.recordTurn(attemptID: id, turn: sampleTurn(1), at: start)
        // When
        try db.finishAttempt(id: id, ending: .resolved, card: sampleCard(), at: start.addingTimeInterval(300))
        // Then
        let record = try #require(try db.attempt(id: id))
        #expect(record.status == .completed)
        #expect(record.ending == .resolved)
        #expect(record.endedAt == start.addingTimeInterval(300))
        #expect(record.correctness == 85)
        #expect(record.politeness == 90)
        #expect(record.escalation == nil)
        #expect(record.total == 87 && record.passMark == 80 && record.passed == true)
        #expect(record.criticalCount == 0)
        let evidence = try db.evidence(attemptID: id)
        #expect(evidence.map(\.position) == [1, 2, 3])
        #expect(evidence.map { $0.category?.known } == [.correctness, .correctness, .politeness])
        #expect(evidence.compactMap(\.evidence) == sampleCard().categories.flatMap(\.evidence))
    }

    @Test func criticalEvidenceIsStoredWithoutCategory() throws {
        // Given
        let db = try AttemptDatabase.inMemory()
        let id = try db.startAttempt(newAttempt(mode: .exam))
        let critical = Evidence(.critical, points: 0, turn: 2, quote: "your password?", rule: "critical:password",
                                message: "asked for a password")
        let card = ScoreCard(categories: [CategoryScore(category: .escalation, score: 100, evidence: [])],
                             total: 100, passMark: 80, critical: [critical])
        // When
        try db.finishAttempt(id: id, ending: .closedUnresolved, card: card, at: start)
        // Then
        let record = try #require(try db.attempt(id: id))
        #expect(record.passed == false)
        #expect(record.criticalCount == 1)
        #expect(record.escalation == 100)
        let evidence = try db.evidence(attemptID: id)
        #expect(evidence.count == 1)
        #expect(evidence.first?.category == nil)
        #expect(evidence.first?.evidence == critical)
    }

    @Test func quittingKeepsTheAttemptAbandonedAndRejectsLaterTurns() throws {
        // Given
        let db = try AttemptDatabase.inMemory()
        let id = try db.startAttempt(newAttempt())
        // When
        try db.finishAttempt(id: id, ending: .abandoned, card: nil, at: start)
        // Then
        let record = try #require(try db.attempt(id: id))
        #expect(record.status == .abandoned)
        #expect(record.ending == .abandoned)
        #expect(record.endedAt == start)
        #expect(throws: StoreError.attemptAlreadyEnded(id)) {
            try db.recordTurn(attemptID: id, turn: sampleTurn(1), at: start)
        }
    }

    @Test func unknownAttemptGivesReadableErrors() throws {
        // Given
        let db = try AttemptDatabase.inMemory()
        // When / Then
        #expect(throws: StoreError.attemptNotFound(99)) {
            try db.recordTurn(attemptID: 99, turn: sampleTurn(1), at: start)
        }
        #expect(throws: StoreError.attemptNotFound(99)) {
            try db.finishAttempt(id: 99, ending: .resolved, card: nil, at: start)
        }
        #expect(try db.attempt(id: 99) == nil)
        #expect(StoreError.attemptNotFound(99).description == "there is no attempt #99 in the database")
    }

    @Test func anotherTurnWithTheSameIndexIsRejected() throws {
        // Given
        let db = try AttemptDatabase.inMemory()
        let id = try db.startAttempt(newAttempt())
        try db.recordTurn(attemptID: id, turn: sampleTurn(1), at: start)
        var other = sampleTurn(1)
        other.input = .reply("another reply")
        // When / Then
        let error = #expect(throws: StoreError.self) { try db.recordTurn(attemptID: id, turn: other, at: start) }
        #expect(error?.description.contains("already stored") == true)
        #expect(try db.turns(attemptID: id).count == 1)
    }

    @Test func inputsAndEventsRoundTrip() throws {
        // Given
        let db = try AttemptDatabase.inMemory()
        let id = try db.startAttempt(newAttempt(seed: .max))
        let turns = (1...3).map(sampleTurn)
        // When
        for turn in turns { try db.recordTurn(attemptID: id, turn: turn, at: start) }
        // Then
        let stored = try db.turns(attemptID: id)
        #expect(stored.map(\.turn) == turns)
        #expect(stored[2].text == "/escalate L2 Принтер «HP-4» не печатает")
        #expect(stored.allSatisfy { $0.recordedAt == start && $0.attemptID == id })
        let record = try #require(try db.attempt(id: id))
        #expect(record.seed == .max)
        #expect(record.language == .ru && record.interfaceLanguage == .en)
        #expect(record.scenarioVersion == 2 && record.scenarioTitle == "Printer offline")
        #expect(record.startedAt == start)
    }

    @Test func filtersAndOrdersNewestFirst() throws {
        // Given
        let db = try AttemptDatabase.inMemory()
        let a = try db.startAttempt(newAttempt(trainee: "ivan", scenario: "s1", mode: .practice, startedAt: start))
        let b = try db.startAttempt(newAttempt(trainee: "olga", scenario: "s1", mode: .exam,
                                               startedAt: start.addingTimeInterval(3600)))
        let c = try db.startAttempt(newAttempt(trainee: "ivan", scenario: "s2", mode: .exam,
                                               startedAt: start.addingTimeInterval(7200)))
        try db.finishAttempt(id: b, ending: .resolved, card: sampleCard(), at: start.addingTimeInterval(4000))
        // When / Then
        #expect(try db.attempts().map(\.id) == [c, b, a])
        #expect(try db.attempts(.init(trainee: "ivan")).map(\.id) == [c, a])
        #expect(try db.attempts(.init(scenarioID: "s1")).map(\.id) == [b, a])
        #expect(try db.attempts(.init(since: start.addingTimeInterval(3600))).map(\.id) == [c, b])
        #expect(try db.attempts(.init(mode: .exam)).map(\.id) == [c, b])
        #expect(try db.attempts(.init(status: .completed)).map(\.id) == [b])
        #expect(try db.attempts(.init(status: .abandoned)).map(\.id) == [c, a])
        #expect(try db.attempts(.init(trainee: "ivan", mode: .exam)).map(\.id) == [c])
        #expect(try db.attempts(.init(limit: 2)).map(\.id) == [c, b])
    }

    @Test func fileDatabaseReopensWithDataIntact() throws {
        // Given
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("nested/deeper/supportsim.sqlite").path
        let id: Int64
        do {
            let db = try AttemptDatabase(path: path)
            id = try db.startAttempt(newAttempt())
            try db.recordTurn(attemptID: id, turn: sampleTurn(1), at: start)
            try db.recordTurn(attemptID: id, turn: sampleTurn(2), at: start)
            try db.finishAttempt(id: id, ending: .escalated, card: sampleCard(), at: start.addingTimeInterval(60))
        }
        // When
        let reopened = try AttemptDatabase(path: path)
        // Then
        #expect(FileManager.default.fileExists(atPath: path))
        let record = try #require(try reopened.attempt(id: id))
        #expect(record.status == .completed && record.ending == .escalated && record.total == 87)
        #expect(record.turnCount == 2)
        #expect(try reopened.turns(attemptID: id).map(\.turn) == [sampleTurn(1), sampleTurn(2)])
        #expect(try reopened.evidence(attemptID: id).count == 3)
    }

    @Test func twoConnectionsToOneFileBothWrite() throws {
        // Given
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("shared.sqlite").path
        let first = try AttemptDatabase(path: path)
        let second = try AttemptDatabase(path: path)
        // When
        let a = try first.startAttempt(newAttempt(trainee: "ivan"))
        let b = try second.startAttempt(newAttempt(trainee: "olga"))
        try first.recordTurn(attemptID: b, turn: sampleTurn(1), at: start)
        try second.recordTurn(attemptID: a, turn: sampleTurn(1), at: start)
        // Then
        #expect(Set(try first.attempts().map(\.id)) == [a, b])
        #expect(try second.attempts().allSatisfy { $0.turnCount == 1 })
    }

    @Test func concurrentWritersThroughSeparateConnectionsAllSucceed() throws {
        // Given: two connections to one file, as two trainees' sessions would have
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("busy.sqlite").path
        let databases = [try AttemptDatabase(path: path), try AttemptDatabase(path: path)]
        let ids = try databases.map { try $0.startAttempt(newAttempt()) }
        // When
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            for n in 1...40 { try! databases[i].recordTurn(attemptID: ids[i], turn: sampleTurn(n), at: start) }
        }
        // Then
        #expect(try databases[0].attempts().map(\.turnCount) == [40, 40])
    }

    @Test func unwritableParentGivesReadableError() throws {
        // Given: the parent "directory" is a regular file, so it cannot be created
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let blocker = dir.appendingPathComponent("not-a-directory")
        try Data("x".utf8).write(to: blocker)
        let path = blocker.appendingPathComponent("sub/supportsim.sqlite").path
        // When
        let error = #expect(throws: StoreError.self) { try AttemptDatabase(path: path) }
        // Then
        let message = try #require(error?.description)
        #expect(message.hasPrefix("cannot open the database at \(path): "))
        #expect(message.contains("directory cannot be created"))
    }

    @Test func fileThatIsNotADatabaseGivesReadableError() throws {
        // Given
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("notes.sqlite").path
        try Data(String(repeating: "not a database\n", count: 200).utf8).write(to: URL(fileURLWithPath: path))
        // When
        let error = #expect(throws: StoreError.self) { try AttemptDatabase(path: path) }
        // Then
        #expect(error?.description.hasPrefix("cannot open the database at \(path): ") == true)
    }

    @Test func defaultPathFollowsXDG() {
        #expect(AttemptDatabase.defaultPath(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/u"])
            == "/data/supportsim/supportsim.sqlite")
        #expect(AttemptDatabase.defaultPath(environment: ["HOME": "/home/u"])
            == "/home/u/.local/share/supportsim/supportsim.sqlite")
        #expect(AttemptDatabase.defaultPath(environment: ["XDG_DATA_HOME": "relative", "HOME": "/home/u"])
            == "/home/u/.local/share/supportsim/supportsim.sqlite")
    }
}
