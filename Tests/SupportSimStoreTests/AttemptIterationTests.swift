import Foundation
import SupportSimCore
import Testing
@testable import SupportSimStore

private let start = Date(timeIntervalSince1970: 1_793_000_000)

private func newAttempt(_ trainee: String, minutes: Double) -> NewAttempt {
    NewAttempt(trainee: trainee, scenarioID: "printer", scenarioTitle: "Printer", language: .en, mode: .practice,
               seed: 5, startedAt: start.addingTimeInterval(minutes * 60))
}

private func turn(_ index: Int, at node: String, to after: String) -> Turn {
    Turn(index: index, number: index, input: .reply("reply \(index)"), node: node, moodBefore: .calm, events: [],
         elapsed: Double(index), nodeAfter: after, arrivals: [after])
}

/// Three attempts: #1 (ann, finished, two turns), #2 (bob, started later, open with one turn), #3 (ann, no turns).
private func sampleDatabase() throws -> AttemptDatabase {
    let database = try AttemptDatabase.inMemory()
    let first = try database.startAttempt(newAttempt("ann", minutes: 0))
    try database.recordTurn(attemptID: first, turn: turn(1, at: "s1", to: "s2"), at: start.addingTimeInterval(30))
    try database.recordTurn(attemptID: first, turn: turn(2, at: "s2", to: "done"), at: start.addingTimeInterval(90))
    try database.finishAttempt(id: first, ending: .resolved, card: nil, finalNode: "done", at: start.addingTimeInterval(95))
    let second = try database.startAttempt(newAttempt("bob", minutes: 10))
    try database.recordTurn(attemptID: second, turn: turn(1, at: "s1", to: "s1"), at: start.addingTimeInterval(660))
    _ = try database.startAttempt(newAttempt("ann", minutes: 5))
    return database
}

@Suite("Store: iterating attempts")
struct AttemptIterationTests {
    @Test("Given stored attempts, when iterated newest first or by id, then the rows come in that order, as listed")
    func orderAndContent() throws {
        let database = try sampleDatabase()
        var newest: [Int64] = [], byID: [Int64] = []
        try database.forEachAttempt { newest.append($0.record.id) }
        try database.forEachAttempt(order: .byID) { byID.append($0.record.id) }
        #expect(newest == [2, 3, 1])
        #expect(byID == [1, 2, 3])
        var records: [AttemptRecord] = []
        try database.forEachAttempt { records.append($0.record) }
        #expect(records == (try database.attempts()))
    }

    @Test("Given stored attempts, when iterated with a filter and a limit, then only matching rows come, and the count is returned")
    func filterAndLimit() throws {
        let database = try sampleDatabase()
        var ids: [Int64] = []
        let count = try database.forEachAttempt(AttemptFilter(trainee: "ann")) { ids.append($0.record.id) }
        #expect(ids == [3, 1] && count == 2)
        ids = []
        try database.forEachAttempt(AttemptFilter(limit: 1)) { ids.append($0.record.id) }
        #expect(ids == [2])
    }

    @Test("Given attempts with and without turns, when iterated with paths, then each row has its last turn time and path")
    func lastTurnAndPath() throws {
        let database = try sampleDatabase()
        var rows: [Int64: AttemptRow] = [:]
        try database.forEachAttempt(includePaths: true) { rows[$0.record.id] = $0 }
        #expect(rows[1]?.lastTurnAt == start.addingTimeInterval(90))
        #expect(rows[1]?.path == AttemptPath(nodes: ["s1", "s2", "done"], finalNode: "done"))
        #expect(rows[1]?.record.turnCount == 2)
        #expect(rows[2]?.lastTurnAt == start.addingTimeInterval(660))
        #expect(rows[3]?.lastTurnAt == nil)
        for (id, row) in rows { #expect(row.path == (try database.path(attemptID: id)), "attempt \(id)") }
        var withoutPaths: [AttemptPath?] = []
        try database.forEachAttempt { withoutPaths.append($0.path) }
        #expect(withoutPaths.allSatisfy { $0 == nil })
    }

    @Test("Given a body that throws, when iterating, then iteration stops and the body's own error comes out")
    func bodyErrorStops() throws {
        struct Stop: Error, Equatable {}
        let database = try sampleDatabase()
        var seen = 0
        #expect(throws: Stop.self) {
            try database.forEachAttempt { _ in
                seen += 1
                if seen == 2 { throw Stop() }
            }
        }
        #expect(seen == 2)
    }

    @Test("Given a database file read-only, when iterated, then its attempts come as from a writable one")
    func readOnly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("supportsim-iter-\(UUID().uuidString)")
        let path = dir.appendingPathComponent("a.sqlite").path
        let writer = try AttemptDatabase(path: path)
        _ = try writer.startAttempt(newAttempt("ann", minutes: 0))
        var ids: [Int64] = []
        try AttemptDatabase.openReadOnly(path: path).forEachAttempt { ids.append($0.record.id) }
        #expect(ids == [1])
    }
}
