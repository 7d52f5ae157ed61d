import Foundation
import GRDB
import SupportSimCore
import Testing
@testable import SupportSimStore

private let start = Date(timeIntervalSince1970: 1_793_000_000)

private func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("supportsim-path-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

private func newAttempt() -> NewAttempt {
    NewAttempt(trainee: "olga", scenarioID: "printer", scenarioTitle: "Printer", language: .en, mode: .practice,
               seed: 5, startedAt: start)
}

private func turn(_ index: Int, at node: String, to after: String, via arrivals: [String]) -> Turn {
    Turn(index: index, number: index, input: .reply("reply \(index)"), node: node, moodBefore: .calm, events: [],
         elapsed: Double(index), nodeAfter: after, arrivals: arrivals)
}

/// A database file exactly as SupportSim wrote it at schema 3 (before paths), with one finished
/// attempt of two turns.
private func makeSchema3Database(in dir: URL) throws -> String {
    let path = dir.appendingPathComponent("v3.sqlite").path
    try DatabaseQueue(path: path).write { db in
        try db.execute(sql: """
            CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
            INSERT INTO grdb_migrations VALUES ('v1'), ('v2: spelling category'), ('v3: retries');
            CREATE TABLE attempt (id INTEGER PRIMARY KEY AUTOINCREMENT, trainee TEXT NOT NULL, scenario_id TEXT NOT NULL,
              scenario_title TEXT NOT NULL, scenario_version INTEGER NOT NULL, language TEXT NOT NULL,
              interface_language TEXT, mode TEXT NOT NULL, seed INTEGER NOT NULL, started_at DATETIME NOT NULL,
              ended_at DATETIME, status TEXT NOT NULL, ending TEXT, correctness INTEGER, politeness INTEGER,
              escalation INTEGER, total INTEGER, pass_mark INTEGER, passed BOOLEAN,
              critical_count INTEGER NOT NULL DEFAULT 0, spelling INTEGER, retries INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE turn (attempt_id INTEGER NOT NULL REFERENCES attempt(id) ON DELETE CASCADE,
              turn_index INTEGER NOT NULL, input TEXT NOT NULL, text TEXT NOT NULL, node TEXT NOT NULL,
              mood_before TEXT NOT NULL, events TEXT NOT NULL, elapsed DOUBLE NOT NULL, recorded_at DATETIME NOT NULL,
              number INTEGER, retracted BOOLEAN NOT NULL DEFAULT 0, PRIMARY KEY (attempt_id, turn_index));
            CREATE TABLE evidence (attempt_id INTEGER NOT NULL REFERENCES attempt(id) ON DELETE CASCADE,
              position INTEGER NOT NULL, category TEXT, kind TEXT NOT NULL, points INTEGER NOT NULL, turn INTEGER,
              quote TEXT, rule TEXT NOT NULL, message TEXT NOT NULL, PRIMARY KEY (attempt_id, position));
            INSERT INTO attempt (trainee, scenario_id, scenario_title, scenario_version, language, mode, seed,
              started_at, ended_at, status, ending, total)
              VALUES ('ivan', 'printer', 'Printer', 1, 'en', 'exam', 1, '2026-10-01 10:00:00', '2026-10-01 10:05:00',
                      'completed', 'resolved', 91);
            INSERT INTO turn VALUES (1, 1, '{"reply":{"_0":"which printer?"}}', 'which printer?', 's1', 'calm', '[]', 3,
              '2026-10-01 10:01:00', 1, 0);
            INSERT INTO turn VALUES (1, 2, '{"reply":{"_0":"restart it"}}', 'restart it', 's1', 'calm', '[]', 9,
              '2026-10-01 10:02:00', 2, 0);
            PRAGMA user_version = 3;
            """)
    }
    return path
}

@Suite("Store: paths")
struct AttemptPathStoreTests {
    @Test func schema3DatabaseIsMigratedAndKeepsItsAttemptsWithoutPaths() throws {
        // Given a database written at schema 3, before paths were stored
        let path = try makeSchema3Database(in: try folder())
        // When this version opens it for writing (and so migrates it)
        let database = try AttemptDatabase(path: path)
        // Then the attempt and its turns are still there, with NULL path data
        let attempts = try database.attempts()
        #expect(attempts.map(\.total) == [91])
        #expect(attempts.first?.finalNode == nil)
        let turns = try database.turns(attemptID: 1)
        #expect(turns.map(\.node) == ["s1", "s1"])
        #expect(turns.map(\.nodeAfter) == [nil, nil])
        #expect(turns.map(\.arrivals) == [nil, nil])
        #expect(try database.path(attemptID: 1) == AttemptPath(nodes: nil, finalNode: nil))
        // and the file is at schema 4 with the new columns
        let (version, turnColumns, attemptColumns) = try DatabaseQueue(path: path).read { db in
            (try Int.fetchOne(db, sql: "PRAGMA user_version"), try db.columns(in: "turn").map(\.name),
             try db.columns(in: "attempt").map(\.name))
        }
        #expect(version == AttemptDatabase.schemaVersion && AttemptDatabase.schemaVersion >= 4)
        #expect(turnColumns.contains("node_after") && turnColumns.contains("arrivals"))
        #expect(attemptColumns.contains("final_node"))
    }

    @Test func schema3DatabaseReadsReadOnlyWithoutPaths() throws {
        // Given a schema 3 database
        let path = try makeSchema3Database(in: try folder())
        // When it is read without migrating
        let reader = try AttemptDatabase.openReadOnly(path: path)
        // Then the notice says it is older, and the attempt reads with no path and no final node
        #expect(reader.notice == .olderVersion(found: 3, known: AttemptDatabase.schemaVersion))
        #expect(try reader.turns(attemptID: 1).map(\.nodeAfter) == [nil, nil])
        #expect(try reader.path(attemptID: 1) == AttemptPath(nodes: nil, finalNode: nil))
    }

    @Test func newTurnsRecordTheNodeBeforeAndAfterAndTheFinalNodeIsStored() throws {
        // Given an attempt with a turn that stays, one that moves through two nodes, and one that moves on
        let database = try AttemptDatabase.inMemory()
        let id = try database.startAttempt(newAttempt())
        try database.recordTurn(attemptID: id, turn: turn(1, at: "s1", to: "s1", via: []), at: start)
        try database.recordTurn(attemptID: id, turn: turn(2, at: "s1", to: "s3", via: ["s2", "s3"]), at: start)
        try database.recordTurn(attemptID: id, turn: turn(3, at: "s3", to: "done", via: ["done"]), at: start)
        // When it is finished at the node where it ended
        try database.finishAttempt(id: id, ending: .resolved, card: nil, finalNode: "done", at: start)
        // Then each turn reads back with its node before and after
        let turns = try database.turns(attemptID: id)
        #expect(turns.map(\.node) == ["s1", "s1", "s3"])
        #expect(turns.map(\.nodeAfter) == ["s1", "s3", "done"])
        #expect(turns.map(\.turn) == [turn(1, at: "s1", to: "s1", via: []), turn(2, at: "s1", to: "s3", via: ["s2", "s3"]),
                                      turn(3, at: "s3", to: "done", via: ["done"])])
        // and the path and the final node are known
        #expect(try database.attempt(id: id)?.finalNode == "done")
        #expect(try database.path(attemptID: id) == AttemptPath(nodes: ["s1", "s2", "s3", "done"], finalNode: "done"))
    }

    @Test func importedAttemptKeepsItsPathAndFinalNode() throws {
        // Given an attempt kept in a recovery file, replayed into turns with their nodes
        let database = try AttemptDatabase.inMemory()
        // When it is imported finished
        let result = try database.importAttempt(
            existingID: nil, newAttempt(), turns: [turn(1, at: "s1", to: "s2", via: ["s2"])], ending: .resolved,
            card: nil, finalNode: "s2", at: start)
        // Then its path and final node are stored as a session would store them
        #expect(try database.path(attemptID: result.attemptID) == AttemptPath(nodes: ["s1", "s2"], finalNode: "s2"))
        #expect(try database.attempt(id: result.attemptID)?.finalNode == "s2")
    }

    @Test func turnsTakenBackAreNotPartOfThePathAndAnOpenAttemptEndsAtItsLastTurn() throws {
        // Given an open attempt whose second turn (a move to s2) was taken back and replaced by a move to s4
        let database = try AttemptDatabase.inMemory()
        let id = try database.startAttempt(newAttempt())
        try database.recordTurn(attemptID: id, turn: turn(1, at: "s1", to: "s1", via: []), at: start)
        try database.recordTurn(attemptID: id, turn: turn(2, at: "s1", to: "s2", via: ["s2"]), at: start)
        try database.retractTurns(attemptID: id, fromIndex: 2)
        try database.recordTurn(attemptID: id, turn: turn(3, at: "s1", to: "s4", via: ["s4"]), at: start)
        // When its path is read (it was never finished: the session was killed)
        let path = try database.path(attemptID: id)
        // Then the path leaves the retracted move out and ends at the last turn's node
        #expect(path == AttemptPath(nodes: ["s1", "s4"], finalNode: "s4"))
        // and a reopened attempt forgets its final node until it finishes again
        try database.finishAttempt(id: id, ending: .abandoned, card: nil, finalNode: "s4", at: start)
        try database.reopenAttempt(id: id)
        #expect(try database.attempt(id: id)?.finalNode == nil)
    }
}
