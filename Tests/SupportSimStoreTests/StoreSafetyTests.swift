import Foundation
import GRDB
import SupportSimCore
import Testing
@testable import SupportSimStore

#if canImport(Glibc)
import Glibc
#endif

private let start = Date(timeIntervalSince1970: 1_793_000_000)

private func attempt(seed: UInt64 = 5) -> NewAttempt {
    NewAttempt(trainee: "olga", scenarioID: "printer", scenarioTitle: "Printer", scenarioVersion: 1,
               language: .en, mode: .practice, seed: seed, startedAt: start)
}

private func turn(_ index: Int) -> Turn {
    Turn(index: index, input: .reply("reply \(index)"), node: "n\(index)", moodBefore: .calm, events: [],
         elapsed: Double(index))
}

private func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("supportsim-safety-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs a command as the test process would in a shell; true when it exited 0.
@discardableResult
private func shell(_ command: String) -> Bool {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", command]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    do { try p.run() } catch { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
}

/// Mounting a small filesystem needs root (and a system that allows it, not every container does).
let canMount: Bool = {
    guard getuid() == 0, let dir = try? folder() else { return false }
    defer { try? FileManager.default.removeItem(at: dir) }
    guard shell("mount -t tmpfs -o size=64k tmpfs '\(dir.path)'") else { return false }
    shell("umount '\(dir.path)'")
    return true
}()

/// A database file made by this version with one finished attempt, then closed.
private func makeDatabase(in dir: URL) throws -> String {
    let path = dir.appendingPathComponent("attempts.sqlite").path
    let db = try AttemptDatabase(path: path)
    let id = try db.startAttempt(attempt())
    try db.recordTurn(attemptID: id, turn: turn(1), at: start)
    try db.finishAttempt(id: id, ending: .resolved, card: nil, at: start)
    return path
}

@Suite("Store: versions, read-only access and damaged files")
struct StoreSafetyTests {
    @Test func migrationsSetTheSchemaVersionInUserVersion() throws {
        // Given a new database
        let path = try makeDatabase(in: try folder())
        // When its header is read
        let version = try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "PRAGMA user_version") }
        // Then it holds this version's schema number
        #expect(version == AttemptDatabase.schemaVersion)
    }

    @Test func databaseWithAHigherUserVersionIsRefusedForWritingAndReadReadOnly() throws {
        // Given a database whose user_version says a newer SupportSim wrote it
        let path = try makeDatabase(in: try folder())
        try DatabaseQueue(path: path).write { try $0.execute(sql: "PRAGMA user_version = 99") }

        // When it is opened for writing
        // Then it is refused before anything is written, with the versions and what to do
        #expect(throws: StoreError.newerVersion(path: path, found: 99, known: AttemptDatabase.schemaVersion)) {
            try AttemptDatabase(path: path)
        }
        #expect(StoreError.newerVersion(path: path, found: 99, known: 2).description.contains(
            "written by a newer SupportSim (schema 99, this version knows 2); update SupportSim, or use --db to choose another file"))
        // and reading still works, with a notice
        let reader = try AttemptDatabase.openReadOnly(path: path)
        #expect(reader.notice == .newerVersion(found: 99, known: AttemptDatabase.schemaVersion))
        #expect(try reader.attempts().count == 1)
    }

    @Test func databaseWithAnUnknownMigrationIsRefusedForWriting() throws {
        // Given a database where a newer version applied a migration this one does not know,
        // adding a NOT NULL column without a default that this version's inserts would not fill
        let path = try makeDatabase(in: try folder())
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9: retries')")
            try db.execute(sql: "ALTER TABLE turn ADD COLUMN retry INTEGER NOT NULL DEFAULT 0")
            try db.execute(sql: "CREATE TABLE turn_new AS SELECT * FROM turn")  // a change only v9 understands
        }

        // When it is opened for writing, then it is refused up front (not turn after turn)
        #expect {
            try AttemptDatabase(path: path)
        } throws: { error in
            guard case StoreError.newerVersion(_, let found, let known)? = error as? StoreError else { return false }
            return found > known
        }
        // and the rows are still readable
        #expect(try AttemptDatabase.openReadOnly(path: path).attempts().map(\.status) == [.known(.completed)])
    }

    @Test func olderDatabaseWithoutUserVersionIsBroughtUpToDate() throws {
        // Given a database written before user_version was kept (both migrations applied, version 0)
        let path = try makeDatabase(in: try folder())
        try DatabaseQueue(path: path).write { try $0.execute(sql: "PRAGMA user_version = 0") }
        // When it is opened for writing
        _ = try AttemptDatabase(path: path)
        // Then it is accepted and stamped with the schema version
        #expect(try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == AttemptDatabase.schemaVersion)
    }

    @Test func readOnlyOpenNeitherCreatesNorMigrates() throws {
        // Given an old database that has only the first migration (no spelling column)
        let dir = try folder()
        let path = dir.appendingPathComponent("v1.sqlite").path
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: """
                CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                INSERT INTO grdb_migrations VALUES ('v1');
                CREATE TABLE attempt (id INTEGER PRIMARY KEY AUTOINCREMENT, trainee TEXT NOT NULL, scenario_id TEXT NOT NULL,
                  scenario_title TEXT NOT NULL, scenario_version INTEGER NOT NULL, language TEXT NOT NULL,
                  interface_language TEXT, mode TEXT NOT NULL, seed INTEGER NOT NULL, started_at DATETIME NOT NULL,
                  ended_at DATETIME, status TEXT NOT NULL, ending TEXT, correctness INTEGER, politeness INTEGER,
                  escalation INTEGER, total INTEGER, pass_mark INTEGER, passed BOOLEAN, critical_count INTEGER NOT NULL DEFAULT 0);
                CREATE TABLE turn (attempt_id INTEGER NOT NULL, turn_index INTEGER NOT NULL);
                INSERT INTO attempt (trainee, scenario_id, scenario_title, scenario_version, language, mode, seed,
                  started_at, status, total) VALUES ('ivan', 'printer', 'Printer', 1, 'en', 'exam', 1, '2026-10-01 10:00:00', 'completed', 91);
                """)
        }
        // When it is read read-only
        let reader = try AttemptDatabase.openReadOnly(path: path)
        let rows = try reader.attempts()
        // Then the rows read, the notice says what to do, and the file is not migrated
        #expect(rows.map(\.total) == [91] && rows.first?.spelling == nil)
        #expect(reader.notice == .olderVersion(found: 1, known: AttemptDatabase.schemaVersion))
        let applied = try DatabaseQueue(path: path).read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(applied == ["v1"])
        // and a missing file is not created
        let missing = dir.appendingPathComponent("none.sqlite").path
        #expect(throws: StoreError.self) { try AttemptDatabase.openReadOnly(path: missing) }
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test(.enabled(if: canMount, "needs root and permission to mount a filesystem (tmpfs); skipped here"))
    func readOnlyFilesystemStillReads() throws {
        // Given a database on a filesystem remounted read-only (so not even root can write there)
        let dir = try folder()
        #expect(shell("mount -t tmpfs -o size=4m tmpfs '\(dir.path)'"))
        defer { shell("umount '\(dir.path)'") }
        let path = try makeDatabase(in: dir)
        #expect(shell("mount -o remount,ro '\(dir.path)'"))

        // When it is read
        let rows = try AttemptDatabase.openReadOnly(path: path).attempts()
        // Then the attempt is listed
        #expect(rows.count == 1 && rows.first?.turnCount == 1)
        // and opening for writing fails with the reason
        #expect(throws: StoreError.self) { try AttemptDatabase(path: path) }
    }

    @Test func readOnlyFileIsRead() throws {
        // Given a database file with mode 444 in a folder with mode 555
        let dir = try folder()
        let path = try makeDatabase(in: dir)
        chmod(path, 0o444)
        chmod(dir.path, 0o555)
        defer { chmod(dir.path, 0o755) }
        // When it is read, then it works
        #expect(try AttemptDatabase.openReadOnly(path: path).attempts().count == 1)
    }

    @Test func corruptFileIsAnErrorForReadingAndWriting() throws {
        // Given a file of garbage bytes
        let dir = try folder()
        let path = dir.appendingPathComponent("garbage.sqlite").path
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }).write(to: URL(fileURLWithPath: path))
        // When it is opened either way
        // Then a StoreError says that it is not a usable database
        for open in [{ _ = try AttemptDatabase.openReadOnly(path: path) }, { _ = try AttemptDatabase(path: path) }] {
            #expect {
                try open()
            } throws: { error in
                "\(error)".contains("not a usable SupportSim database")
            }
        }
    }

    @Test func unknownValuesInOneRowDoNotHideTheOthers() throws {
        // Given three attempts, one with a status, mode, language and ending this version does not know,
        // and evidence of an unknown kind
        let path = try makeDatabase(in: try folder())
        let db = try AttemptDatabase(path: path)
        let other = try db.startAttempt(attempt(seed: 6))
        let odd = try db.startAttempt(attempt(seed: 7))
        try DatabaseQueue(path: path).write { d in
            try d.execute(sql: "UPDATE attempt SET status = 'paused', mode = 'drill', language = 'de', ending = 'timeout' WHERE id = ?",
                          arguments: [odd])
            try d.execute(sql: "INSERT INTO evidence (attempt_id, position, category, kind, points, rule, message) VALUES (?, 1, 'empathy', 'bonus', 3, 'r', 'm')",
                          arguments: [odd])
        }
        // When they are listed
        let rows = try db.attempts()
        // Then all three are there, the unknown values kept as they are
        #expect(rows.count == 3)
        let row = try #require(rows.first { $0.id == odd })
        #expect(row.status == .unknown("paused") && row.mode == .unknown("drill"))
        #expect(row.language == .unknown("de") && row.ending == .unknown("timeout"))
        #expect(rows.first { $0.id == other }?.status == .abandoned)
        let evidence = try db.evidence(attemptID: odd)
        #expect(evidence.first?.kind == .unknown("bonus") && evidence.first?.category == .unknown("empathy"))
        #expect(evidence.first?.evidence == nil)
    }

    @Test func importCompletesTheOpenAttemptWithoutDuplicating() throws {
        // Given an attempt with one stored turn, whose later turns never reached the database
        let db = try AttemptDatabase.inMemory()
        let id = try db.startAttempt(attempt())
        try db.recordTurn(attemptID: id, turn: turn(1), at: start)
        let card = ScoreCard(categories: [CategoryScore(category: .correctness, score: 70, evidence: [])], total: 70,
                             passMark: 80, critical: [])
        // When the whole session is imported
        let result = try db.importAttempt(existingID: id, attempt(), turns: (1...3).map(turn), ending: .resolved,
                                          card: card, at: start)
        // Then the missing turns are added to that attempt and it is finished
        #expect(result == .init(attemptID: id, created: false, addedTurns: [2, 3], finished: true))
        #expect(try db.attempts().count == 1)
        let stored = try #require(try db.attempt(id: id))
        #expect(stored.turnCount == 3 && stored.status == .completed && stored.total == 70)
        // and importing it again adds nothing
        let again = try db.importAttempt(existingID: id, attempt(), turns: (1...3).map(turn), ending: .resolved,
                                         card: card, at: start)
        #expect(again.addedTurns.isEmpty)
        #expect(try db.attempts().count == 1)
    }

    @Test func importCreatesTheAttemptWhenItNeverStartedAndRefusesAForeignOne() throws {
        // Given an empty database
        let db = try AttemptDatabase.inMemory()
        // When a session that never reached it is imported
        let result = try db.importAttempt(existingID: nil, attempt(), turns: (1...2).map(turn), ending: nil, card: nil, at: start)
        // Then a new open attempt holds its turns
        #expect(result.created && result.addedTurns == [1, 2] && !result.finished)
        #expect(try db.attempt(id: result.attemptID)?.status == .abandoned)
        // and a file that names that attempt but differs in its turns is refused
        #expect(throws: StoreError.self) {
            try db.importAttempt(existingID: result.attemptID, attempt(),
                                 turns: [Turn(index: 1, input: .reply("other"), node: "n1", moodBefore: .calm, events: [], elapsed: 1)],
                                 ending: .resolved, card: nil, at: start)
        }
    }

    @Test(.enabled(if: canMount, "needs root and permission to mount a filesystem (tmpfs); skipped here"))
    func fullDiskMakesWritesFailWithAReadableReason() throws {
        // Given a database with a started attempt on a small filesystem
        let dir = try folder()
        #expect(shell("mount -t tmpfs -o size=1m tmpfs '\(dir.path)'"))
        defer { shell("umount '\(dir.path)'") }
        let db = try AttemptDatabase(path: dir.appendingPathComponent("attempts.sqlite").path)
        let id = try db.startAttempt(attempt())
        try db.recordTurn(attemptID: id, turn: turn(1), at: start)

        // When the disk fills up
        shell("dd if=/dev/zero of='\(dir.path)/fill' bs=4k")

        // Then the next turn fails and says that the disk is full
        #expect {
            try db.recordTurn(attemptID: id, turn: turn(2), at: start)
        } throws: { error in
            "\(error)".contains("the disk is full")
        }
        // and once there is room again, it is saved
        try FileManager.default.removeItem(atPath: dir.path + "/fill")
        try db.recordTurn(attemptID: id, turn: turn(2), at: start)
        #expect(try db.attempt(id: id)?.turnCount == 2)
    }
}
