import Foundation
import GRDB
import SupportSimCore
import Testing
@testable import SupportSimStore

private let started = Date(timeIntervalSince1970: 1_793_000_000)

private func journalPath() -> String {
    FileManager.default.temporaryDirectory
        .appendingPathComponent("supportsim-journal-\(UUID().uuidString)/state/journal.sqlite").path
}

private func entry(target: String = "/data/attempts.sqlite", inputs: Int = 0) -> SessionJournal.Entry {
    SessionJournal.Entry(
        trainee: "olga", scenarioID: "printer", scenarioTitle: "Printer", scenarioVersion: 2, language: .ru,
        interfaceLanguage: .en, mode: .exam, seed: UInt64.max - 3, startedAt: started, attemptID: 17, target: target,
        inputs: (0..<inputs).map { SessionJournal.Input(turn: $0 + 1, input: .reply("reply \($0 + 1)"), elapsed: Double($0)) },
        processID: 4242)
}

@Suite struct SessionJournalTests {
    @Test("Given no journal file, when a session is kept, then the folders and file are made and the entry reads back whole")
    func createAndReadBack() throws {
        let path = journalPath()
        let journal = try SessionJournal(path: path)
        var kept = entry(inputs: 2)
        kept.inputs.append(.init(turn: 4, input: .escalate(target: "L2", note: "printer 3F"), elapsed: 9.5))
        kept.ending = .escalated
        kept.endedAt = started.addingTimeInterval(60)

        let id = try journal.save(kept, at: started.addingTimeInterval(61))

        #expect(FileManager.default.fileExists(atPath: path))
        var expected = kept
        expected.id = id
        expected.updatedAt = started.addingTimeInterval(61)
        #expect(try journal.entry(id: id) == expected)
        #expect(try journal.entries() == [expected])
        // and the file is in WAL mode with a busy timeout, like the attempts database
        let mode = try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let version = try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "PRAGMA user_version") }
        #expect(version == SessionJournal.schemaVersion)
    }

    @Test("Given an entry, when each turn saves it again, then the same entry holds every turn so far, in order")
    func updatePerTurn() throws {
        let journal = try SessionJournal(path: journalPath())
        var kept = entry()
        kept.id = try journal.save(kept)
        for turn in 1...5 {
            kept.inputs.append(.init(turn: turn, input: .reply("turn \(turn)"), elapsed: Double(turn)))
            let id = try journal.save(kept)
            #expect(id == kept.id)
            #expect(try journal.entry(id: id)?.inputs.map(\.turn) == Array(1...turn))
        }
        // and a turn taken back (/retry) leaves the entry with the standing turns only
        kept.inputs.removeLast(2)
        try journal.save(kept)
        #expect(try journal.entry(id: kept.id!)?.inputs.map(\.turn) == [1, 2, 3])
        #expect(try journal.entries().count == 1)
    }

    @Test("Given two entries, when one is removed, then only the other is left, and the journal reopens with it")
    func removeEntry() throws {
        let path = journalPath()
        let journal = try SessionJournal(path: path)
        let first = try journal.save(entry(inputs: 1))
        let second = try journal.save(entry(inputs: 3))

        try journal.remove(id: first)
        try journal.remove(id: 999)  // not there: nothing happens

        #expect(try journal.entries().map(\.id) == [second])
        #expect(try SessionJournal(path: path).entries().map(\.inputs.count) == [3])
    }

    @Test("Given a journal written by a newer SupportSim, when it is opened, then it is refused with both versions and not altered")
    func newerSchemaRefused() throws {
        let path = journalPath()
        try SessionJournal(path: path).save(entry(inputs: 1))
        try DatabaseQueue(path: path).write { try $0.execute(sql: "PRAGMA user_version = 9") }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        #expect(throws: SessionJournal.JournalError.newerVersion(path: path, found: 9, known: SessionJournal.schemaVersion)) {
            try SessionJournal(path: path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        let message = String(describing: SessionJournal.JournalError.newerVersion(path: path, found: 9, known: 1))
        #expect(message.contains("newer SupportSim (journal schema 9, this version knows 1)"))
        #expect(message.contains("left as it is"))
    }

    @Test("Given a journal with a migration this version does not know, when it is opened, then it is refused")
    func unknownMigrationRefused() throws {
        let path = journalPath()
        try SessionJournal(path: path).save(entry())
        try DatabaseQueue(path: path).write {
            try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('journal v2: from the future')")
        }
        #expect {
            try SessionJournal(path: path)
        } throws: { error in
            if case .newerVersion = error as? SessionJournal.JournalError { return true }
            return false
        }
    }

    @Test("Given a corrupt journal file, when it is opened, then a clear error says so and the file is not overwritten")
    func corruptFileNotOverwritten() throws {
        let path = journalPath()
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try garbage.write(to: URL(fileURLWithPath: path))

        #expect {
            try SessionJournal(path: path)
        } throws: { error in
            guard case .unusable(let p, _) = error as? SessionJournal.JournalError else { return false }
            return p == path && String(describing: error).contains("is not a usable SupportSim journal")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test("Given another SQLite database at the journal's path, when it is opened, then it is refused and left alone")
    func otherDatabaseRefused() throws {
        let path = journalPath()
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        try DatabaseQueue(path: path).write { try $0.execute(sql: "CREATE TABLE attempt (id INTEGER)") }
        #expect {
            try SessionJournal(path: path)
        } throws: { error in
            String(describing: error).contains("it is another SQLite database")
        }
    }

    @Test("Given a server URL with a password, when an entry for it is saved, then the password is nowhere in the file")
    func passwordNeverStored() throws {
        let path = journalPath()
        let journal = try SessionJournal(path: path)
        // The caller should redact; the journal redacts again, so a slip cannot store a password.
        let id = try journal.save(entry(target: "postgres://trainer:s3cret-pw@db.example:5432/team?sslmode=require&password=s3cret-pw",
                                        inputs: 2))

        #expect(try journal.entry(id: id)?.target == "postgres://trainer@db.example:5432/team?sslmode=require")
        try DatabaseQueue(path: path).writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        for suffix in ["", "-wal"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: path + suffix))) ?? Data()
            #expect(bytes.range(of: Data("s3cret-pw".utf8)) == nil)
        }
    }

    @Test("Given store descriptions, when they are redacted, then passwords go and everything else stays",
          arguments: [
              ("postgres://user:pass@host/db", "postgres://user@host/db"),
              ("postgresql://user@host/db", "postgresql://user@host/db"),
              ("postgres://user:p%40ss@host:5433/db?sslmode=verify-full", "postgres://user@host:5433/db?sslmode=verify-full"),
              ("postgres://:pass@host/db", "postgres://host/db"),
              ("postgres://host/db?password=x&user=u", "postgres://host/db?user=u"),
              ("postgres://u:a@b@host/db", "postgres://u@host/db"),
              ("/var/lib/supportsim/attempts.sqlite", "/var/lib/supportsim/attempts.sqlite"),
              ("data/user:pass@x.sqlite", "data/user:pass@x.sqlite"),
          ])
    func redaction(_ given: String, _ expected: String) {
        #expect(SessionJournal.redactedTarget(given) == expected)
    }
}
