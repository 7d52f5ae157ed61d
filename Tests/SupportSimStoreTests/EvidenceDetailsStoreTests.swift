import Foundation
import GRDB
import SupportSimCore
import Testing
@testable import SupportSimStore

private let start = Date(timeIntervalSince1970: 1_793_000_000)

private func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("supportsim-details-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A database as SupportSim wrote it at schema 4: one finished attempt with a turn and two lines of
/// evidence (no model answers or scenario points).
private func makeSchema4Database(in dir: URL) throws -> String {
    let path = dir.appendingPathComponent("v4.sqlite").path
    // The current schema without the v5 and v6 migrations: built by this version, then taken back to 4.
    do {
        let database = try AttemptDatabase(path: path)
        let id = try database.startAttempt(NewAttempt(
            trainee: "ivan", scenarioID: "printer", scenarioTitle: "Printer", language: .en, mode: .exam, seed: 1,
            startedAt: start))
        try database.recordTurn(attemptID: id, turn: Turn(index: 1, number: 1, input: .reply("which printer?"), node: "s1",
                                                          moodBefore: .calm, events: [], elapsed: 3, nodeAfter: "s2", arrivals: ["s2"]),
                                at: start)
    }
    try DatabaseQueue(path: path).write { db in
        try db.execute(sql: """
            DROP TABLE score_override; DROP TABLE scoring; DROP TABLE chain_head;
            ALTER TABLE attempt DROP COLUMN scenario_hash; ALTER TABLE attempt DROP COLUMN scorer_version;
            ALTER TABLE attempt DROP COLUMN chain_prev; ALTER TABLE attempt DROP COLUMN chain_hash;
            ALTER TABLE attempt DROP COLUMN chain_turns; ALTER TABLE attempt DROP COLUMN seal_hash;
            ALTER TABLE turn DROP COLUMN chain_prev; ALTER TABLE turn DROP COLUMN chain_hash;
            DROP INDEX attempt_report_by_trainee; DROP INDEX attempt_report_by_scenario; DROP INDEX attempt_report_by_date;
            DROP INDEX evidence_lost_points; DROP INDEX turn_path;
            DELETE FROM grdb_migrations WHERE identifier = 'v8: report indexes';
            DELETE FROM grdb_migrations WHERE identifier = 'v7: audit';
            ALTER TABLE evidence DROP COLUMN model_answer;
            ALTER TABLE evidence DROP COLUMN scale_written;
            ALTER TABLE evidence DROP COLUMN scale_possible;
            ALTER TABLE evidence DROP COLUMN details_stored;
            DELETE FROM grdb_migrations WHERE identifier = 'v5: evidence details';
            DROP TABLE attempt_tag;
            ALTER TABLE attempt DROP COLUMN line;
            DELETE FROM grdb_migrations WHERE identifier = 'v6: scenario line and tags';
            UPDATE attempt SET ended_at = '2026-10-01 10:05:00', status = 'completed', ending = 'resolved', total = 80,
              correctness = 80, pass_mark = 70, passed = 1, final_node = 's2';
            INSERT INTO evidence (attempt_id, position, category, kind, points, turn, quote, rule, message)
              VALUES (1, 1, 'correctness', 'credit', 30, 1, 'which printer?', 'intent:ask_printer', 'asked which printer'),
                     (1, 2, 'correctness', 'deduction', 20, NULL, NULL, 'intent:check_queue', 'missed: check the queue');
            PRAGMA user_version = 4;
            """)
    }
    return path
}

@Suite("Store: evidence details (schema 5)")
struct EvidenceDetailsStoreTests {
    @Test("Given a new database, when an attempt is finished with a model answer and scaled points, then both are read back")
    func detailsRoundTrip() throws {
        let database = try AttemptDatabase.inMemory()
        let id = try database.startAttempt(NewAttempt(
            trainee: "olga", scenarioID: "printer", scenarioTitle: "Printer", language: .en, mode: .exam, seed: 5,
            startedAt: start))
        let missed = Evidence(.deduction, points: 27, rule: "intent:check_queue", message: "missed",
                              modelAnswer: "Could you open the print queue?", scale: PointScale(written: 15, possible: 50))
        let card = ScoreCard(categories: [CategoryScore(category: .correctness, score: 73, evidence: [missed])],
                             total: 73, passMark: 70, critical: [])
        try database.finishAttempt(id: id, ending: .resolved, card: card, at: start)
        let stored = try #require(try database.storedAttempt(id: id))
        #expect(stored.evidence.first?.evidence == missed)
        #expect(stored.evidence.first?.detailsStored == true)
        #expect(!stored.lacksEvidenceDetails)
        #expect(try database.storedAttempt(id: 99) == nil)
    }

    @Test("Given a schema-4 database, when opened read-only, then it reads with an older-version notice and its evidence lacks details")
    func schema4ReadsReadOnly() throws {
        let path = try makeSchema4Database(in: try folder())
        let reader = try AttemptDatabase.openReadOnly(path: path)
        #expect(reader.notice == .olderVersion(found: 4, known: AttemptDatabase.schemaVersion))
        let stored = try #require(try reader.storedAttempt(id: 1))
        #expect(stored.evidence.count == 2 && stored.lacksEvidenceDetails)
        #expect(stored.evidence.allSatisfy { $0.modelAnswer == nil && $0.scale == nil })
        #expect(stored.path.nodes == ["s1", "s2"])
    }

    @Test("Given a schema-4 database, when opened for writing, then it is migrated to schema 5, older evidence is kept and marked without details, and new evidence stores them")
    func schema4IsMigrated() throws {
        let path = try makeSchema4Database(in: try folder())
        let database = try AttemptDatabase(path: path)
        let (version, columns) = try DatabaseQueue(path: path).read { db in
            (try Int.fetchOne(db, sql: "PRAGMA user_version"), try db.columns(in: "evidence").map(\.name))
        }
        #expect(version == AttemptDatabase.schemaVersion && AttemptDatabase.schemaVersion >= 5)
        #expect(Set(["model_answer", "scale_written", "scale_possible", "details_stored"]).isSubset(of: Set(columns)))
        let old = try #require(try database.storedAttempt(id: 1))
        #expect(old.evidence.count == 2 && old.evidence.allSatisfy { !$0.detailsStored })
        #expect(old.record.total == 80)

        let id = try database.startAttempt(NewAttempt(
            trainee: "ivan", scenarioID: "printer", scenarioTitle: "Printer", language: .en, mode: .exam, seed: 2,
            startedAt: start))
        let credit = Evidence(.credit, points: 30, turn: 1, quote: "q", rule: "intent:ask_printer", message: "asked",
                              scale: PointScale(written: 15, possible: 50))
        try database.finishAttempt(id: id, ending: .resolved, card: ScoreCard(
            categories: [CategoryScore(category: .correctness, score: 100, evidence: [credit])], total: 100, passMark: 70,
            critical: []), at: start)
        let new = try #require(try database.storedAttempt(id: id))
        #expect(new.evidence.first?.scale == PointScale(written: 15, possible: 50) && new.evidence.first?.detailsStored == true)
    }

    @Test("Given a database written by a newer version than this one, when opened for writing, then it is refused and left unaltered")
    func newerVersionIsStillRefused() throws {
        let path = try makeSchema4Database(in: try folder())
        _ = try AttemptDatabase(path: path)
        let newer = AttemptDatabase.schemaVersion + 1
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v\(newer): something newer')")
            try db.execute(sql: "PRAGMA user_version = \(newer)")
        }
        func state() throws -> [String] {
            try DatabaseQueue(path: path).read { db in
                try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
                    + String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
                    + [String(try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0)]
            }
        }
        let before = try state()
        #expect(throws: StoreError.newerVersion(path: path, found: newer, known: AttemptDatabase.schemaVersion)) { try AttemptDatabase(path: path) }
        #expect(try state() == before)
        let reader = try AttemptDatabase.openReadOnly(path: path)
        #expect(reader.notice == .newerVersion(found: newer, known: AttemptDatabase.schemaVersion))
        #expect(try reader.storedAttempt(id: 1)?.evidence.count == 2)
    }
}
