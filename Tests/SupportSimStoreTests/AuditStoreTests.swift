import Foundation
import GRDB
import SupportSimCore
import Testing
@testable import SupportSimStore

private let start = Date(timeIntervalSince1970: 1_793_000_000)

private func newAttempt(_ trainee: String = "ivan", seed: UInt64 = 7) -> NewAttempt {
    NewAttempt(trainee: trainee, scenarioID: "printer-offline", scenarioTitle: "Printer offline", scenarioVersion: 2,
               language: .en, mode: .exam, seed: seed, startedAt: start, scenarioHash: String(repeating: "ab", count: 32))
}

private func turn(_ index: Int) -> Turn {
    Turn(index: index, input: .reply("Hello \(index)"), node: "n\(index)", moodBefore: .calm,
         events: [.customerSays("Thanks \(index)")], elapsed: Double(index), nodeAfter: "n\(index + 1)")
}

private func card(correctness: Int, total: Int) -> ScoreCard {
    ScoreCard(categories: [CategoryScore(category: .correctness, score: correctness, evidence: []),
                           CategoryScore(category: .politeness, score: 90, evidence: [])],
              total: total, passMark: 80, critical: [])
}

/// A finished attempt with `turns` turns.
private func played(_ db: AttemptDatabase, _ trainee: String = "ivan", turns: Int = 3) throws -> Int64 {
    let id = try db.startAttempt(newAttempt(trainee))
    for i in 1...turns { try db.recordTurn(attemptID: id, turn: turn(i), at: start.addingTimeInterval(Double(i))) }
    try db.finishAttempt(id: id, ending: .resolved, card: card(correctness: 72, total: 80), finalNode: "end", at: start)
    return id
}

private func tamper(_ db: AttemptDatabase, _ sql: String) throws {
    try db.writer.writeWithoutTransaction { try $0.execute(sql: sql) }
}

@Suite("Store: overrides, rescoring and the hash chain")
struct AuditStoreTests {
    @Test("Given a scored attempt, when a manager overrides a category twice, then the automatic score is kept and both overrides are kept in order")
    func overrideKeptBesideWithHistory() throws {
        let db = try AttemptDatabase.inMemory()
        let id = try played(db)
        try db.addOverride(attemptID: id, category: .correctness, score: 85, reason: "model answer too strict", by: "anna", at: start)
        try db.addOverride(attemptID: id, category: .correctness, score: 90, reason: "second look", by: "boris", at: start.addingTimeInterval(60))

        #expect(try db.attempt(id: id)?.correctness == 72)
        let history = try db.overrides(attemptID: id)
        #expect(history.map(\.score) == [85, 90] && history.map(\.by) == ["anna", "boris"])
        let audit = try #require(try db.audit(attemptIDs: [id])[id])
        #expect(audit.override(.correctness)?.score == 90 && audit.override(.correctness)?.reason == "second look")
        #expect(audit.override(.politeness) == nil)
    }

    @Test("Given no such attempt, when it is overridden, then the error names the attempt and nothing is stored")
    func overrideOfUnknownAttempt() throws {
        let db = try AttemptDatabase.inMemory()
        #expect(throws: StoreError.attemptNotFound(41)) {
            try db.addOverride(attemptID: 41, category: .politeness, score: 50, reason: "x", by: "anna", at: start)
        }
        let id = try played(db)
        #expect(throws: StoreError.self) {
            try db.addOverride(attemptID: id, category: .politeness, score: 101, reason: "x", by: "anna", at: start)
        }
        #expect(try db.overrides(attemptID: id).isEmpty)
    }

    @Test("Given an attempt rescored twice, when it is read for a report, then the latest automatic score shows and the original is kept")
    func rescoreKeepsOriginals() throws {
        let db = try AttemptDatabase.inMemory()
        let id = try played(db)
        try db.recordRescore(attemptID: id, card: card(correctness: 60, total: 70), scenarioVersion: 3, scenarioHash: "h1", at: start)
        try db.recordRescore(attemptID: id, card: card(correctness: 65, total: 75), scenarioVersion: 3, scenarioHash: "h2", at: start)

        let record = try #require(try db.attempt(id: id))
        #expect(record.correctness == 72 && record.total == 80)
        let audit = try #require(try db.audit(attemptIDs: [id])[id])
        #expect(audit.rescorings.count == 2 && audit.rescorings.last?.scorerVersion == ScorerVersion.current)
        let latest = audit.latestAutomatic(record)
        #expect(latest.correctness == 65 && latest.total == 75 && latest.passed == false)
        let provenance = try db.provenance(attemptID: id)
        #expect(provenance.scenarioHash == String(repeating: "ab", count: 32) && provenance.scorerVersion == ScorerVersion.current)
    }

    @Test("Given attempts played, taken back and finished, when the chain is verified, then it is intact")
    func untouchedChainIsIntact() throws {
        let db = try AttemptDatabase.inMemory()
        _ = try played(db, "a")
        let open = try db.startAttempt(newAttempt("b"))
        for i in 1...3 { try db.recordTurn(attemptID: open, turn: turn(i), at: start) }
        try db.retractTurns(attemptID: open, fromIndex: 3)
        _ = try played(db, "c")
        let report = try db.verifyChain()
        #expect(report.intact, "\(report.breaks)")
        #expect(report.chainedAttempts == 3 && report.chainedTurns == 9 && report.unchainedAttempts.isEmpty)
    }

    @Test("Given a turn's text updated by hand, when the chain is verified, then that attempt and turn are named as edited")
    func updatedTurnIsNamed() throws {
        let db = try AttemptDatabase.inMemory()
        _ = try played(db, "a")
        let id = try played(db, "b")
        try tamper(db, "UPDATE turn SET text = 'I never said that' WHERE attempt_id = \(id) AND turn_index = 2")
        let report = try db.verifyChain()
        #expect(report.breaks == [ChainBreak(kind: .edited, attemptID: id, turn: 2, reason: .turnEdited)])
    }

    @Test("Given a middle turn and a last turn deleted by hand, when the chain is verified, then both deleted turns are named")
    func deletedTurnsAreNamed() throws {
        let db = try AttemptDatabase.inMemory()
        let a = try played(db, "a", turns: 4)
        let b = try played(db, "b", turns: 4)
        try tamper(db, "DELETE FROM turn WHERE attempt_id = \(a) AND turn_index = 2")
        try tamper(db, "DELETE FROM turn WHERE attempt_id = \(b) AND turn_index = 4")
        let breaks = try db.verifyChain().breaks
        #expect(breaks.map(\.kind) == [.deleted, .deleted])
        #expect(breaks.map(\.attemptID) == [a, b] && breaks.map(\.turn) == [2, 4])
        #expect(breaks.map(\.reason) == [.turnsDeleted(from: 2, to: 2, last: false), .turnsDeleted(from: 4, to: 4, last: true)])
    }

    @Test("Given an attempt deleted by hand (with its turns), when the chain is verified, then the deleted attempt is named")
    func deletedAttemptIsNamed() throws {
        let db = try AttemptDatabase.inMemory()
        let ids = try (0..<4).map { try played(db, "t\($0)") }
        try tamper(db, "DELETE FROM attempt WHERE id = \(ids[1])")
        try tamper(db, "DELETE FROM attempt WHERE id = \(ids[3])")
        let breaks = try db.verifyChain().breaks
        #expect(breaks.map(\.kind) == [.deleted, .deleted])
        #expect(breaks.map(\.attemptID) == [ids[1], ids[3]], "\(breaks)")
        #expect(breaks.map(\.reason) == [.attemptsDeleted(from: ids[1], to: ids[1], linkedBy: ids[2]),
                                         .newestAttemptsDeleted(lastLeft: ids[2])])
    }

    @Test("Given a stored score changed by hand, when the chain is verified, then the attempt is named as edited")
    func editedScoreIsNamed() throws {
        let db = try AttemptDatabase.inMemory()
        let id = try played(db)
        try tamper(db, "UPDATE attempt SET correctness = 100 WHERE id = \(id)")
        let breaks = try db.verifyChain().breaks
        #expect(breaks.count == 1 && breaks.first?.attemptID == id && breaks.first?.turn == nil && breaks.first?.kind == .edited)
    }

    @Test("Given attempts stored before the chain existed, when the chain is verified, then they are not chained rather than broken")
    func oldRowsAreNotChained() throws {
        let db = try AttemptDatabase.inMemory()
        let old = try played(db, "old")
        // What a schema-5 store upgraded in place looks like: no chain columns filled, no head.
        try tamper(db, "UPDATE attempt SET chain_prev = NULL, chain_hash = NULL, seal_hash = NULL, chain_turns = NULL")
        try tamper(db, "UPDATE turn SET chain_prev = NULL, chain_hash = NULL")
        try tamper(db, "DELETE FROM chain_head")
        let new = try played(db, "new")
        let report = try db.verifyChain()
        #expect(report.intact, "\(report.breaks)")
        #expect(report.unchainedAttempts == [old] && report.chainedAttempts == 1)
        _ = new
    }

    @Test("Given a database file written by several connections one after another, when verified, then the global chain holds")
    func chainHoldsAcrossConnections() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("supportsim-audit-\(UUID().uuidString)")
        let path = dir.appendingPathComponent("a.sqlite").path
        for i in 0..<3 { _ = try played(try AttemptDatabase(path: path), "w\(i)") }
        let report = try AttemptDatabase.openReadOnly(path: path).verifyChain()
        #expect(report.intact && report.chainedAttempts == 3)
        try? FileManager.default.removeItem(at: dir)
    }
}

@Suite("Store: overrides and rescorings in the hash chain")
struct AuditSealTests {
    @Test("Given an override and a rescoring stored, when the override's score is changed by hand or the rescoring deleted, then verify names the attempt")
    func overridesAndRescoringsAreSealed() throws {
        let db = try AttemptDatabase.inMemory()
        let a = try played(db, "a"), b = try played(db, "b")
        try db.addOverride(attemptID: a, category: .correctness, score: 85, reason: "fair", by: "anna", at: start)
        try db.recordRescore(attemptID: b, card: card(correctness: 60, total: 70), scenarioVersion: 3, scenarioHash: nil, at: start)
        #expect(try db.verifyChain().intact)

        try tamper(db, "UPDATE score_override SET score = 100")
        try tamper(db, "DELETE FROM scoring")
        let breaks = try db.verifyChain().breaks
        #expect(breaks.map(\.attemptID) == [a, b] && breaks.allSatisfy { $0.reason == .attemptStateEdited })
    }
}
