import Foundation
import SupportSimStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Runs `sqlite3 DB SQL`; true when it exited 0.
@discardableResult
private func sqlite(_ db: String, _ sql: String) -> Bool {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["sqlite3", db, sql]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    do { try p.run() } catch { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
}

private let replies = [
    "Здравствуйте, Ирина! Подскажите, пожалуйста, в какой папке лежал отчёт?",
    "Когда примерно Вы его удалили?",
    "Проверьте, пожалуйста, корзину на рабочем столе.",
    "Спасибо за терпение, Ирина!",
]

/// The store "goes away" for writes: its turn table is renamed by another process, so every turn the
/// session writes fails ("no such table"), as a lost server does; renaming it back brings it back.
/// (A permission change would not do: the session keeps the database open, and the tests run as root.)
private func storeGone(_ db: String) -> Bool { sqlite(db, "ALTER TABLE turn RENAME TO turn_gone") }
private func storeBack(_ db: String) -> Bool { sqlite(db, "ALTER TABLE turn_gone RENAME TO turn") }

/// A `supportsim play` reading its replies from a pipe.
private final class PipedSession {
    let process = Process()
    let input = Pipe(), output = Pipe()

    init(db: String, environment: [String: String]) throws {
        process.executableURL = CLI.binary
        process.arguments = ["play", "deleted-report-boss-needs", "--db", db, "--trainee", "journal-test", "--seed", "3",
                             "--lang", "en", "--new"]
        process.currentDirectoryURL = CLI.packageRoot
        process.environment = CLI.environment(environment)
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    func send(_ line: String) { input.fileHandleForWriting.write(Data((line + "\n").utf8)) }

    /// Closes the input and returns everything the session wrote.
    func finish() throws -> String {
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text
    }
}

/// Polls `condition` until it holds (the session works at its own pace); false after a generous limit.
private func eventually(_ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
        if try condition() { return true }
        usleep(100_000)
    }
    return false
}

private func storedTurns(_ db: String) throws -> Int {
    let report = try CLI.run(["report", "--db", db, "--format", "json"])
    let rows = (try? JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [[String: Any]]) ?? []
    return rows.first?["turns"] as? Int ?? 0
}

private func journalInputs(_ path: String) -> [Int] {
    guard FileManager.default.fileExists(atPath: path), let journal = try? SessionJournal(path: path),
        let entry = try? journal.entries().first
    else { return [] }
    return entry.inputs.map(\.turn)
}

/// The text with every run of spaces and line breaks as one space (lines are wrapped and indented).
private func words(_ text: String) -> String {
    text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
}

@Suite("supportsim with the session journal", .serialized)
struct SessionJournalEndToEndTests {
    @Test("Given SUPPORTSIM_JOURNAL=1 and a store that goes away after turn 1, when the session is played to its end, then it goes on, the turns are kept in the journal, and recover --journal delivers them once the store is back")
    func storeGoneForTheRestOfTheSession() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("attempts.sqlite").path
        let state = dir.appendingPathComponent("state")
        let env = ["XDG_STATE_HOME": state.path, "SUPPORTSIM_JOURNAL": "1", "SUPPORTSIM_EMBEDDINGS": "off"]
        let journalPath = state.appendingPathComponent("supportsim/journal.sqlite").path
        let session = try PipedSession(db: db, environment: env)

        // Given turn 1 in the store
        session.send(replies[0])
        #expect(try eventually { try storedTurns(db) >= 1 })
        // When the store goes away and the trainee plays on to the end
        #expect(storeGone(db), "the sqlite3 command is needed (apt-get install sqlite3)")
        for reply in replies.dropFirst() { session.send(reply) }
        let text = try session.finish()
        let flat = words(text)

        // Then every turn the store missed was told as kept locally, nothing claims to be saved,
        // the last lines say how many turns are kept and the command, and the exit code is 75
        for turn in 2...4 {
            #expect(flat.contains("Turn \(turn) was not saved in the store"), "\(text)")
        }
        #expect(flat.contains("kept in the local journal on this computer and will be delivered when the store is back"))
        #expect(!flat.contains("Saved as") && !flat.contains("saved as abandoned"), "\(text)")
        #expect(flat.contains("The store holds 1 of 4 turn(s) of attempt 1."), "\(text)")
        #expect(flat.contains("3 turn(s) and the result are kept locally in the journal"), "\(text)")
        #expect(text.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == "supportsim recover --journal" },
                "\(text)")
        #expect(session.process.terminationStatus == 75)
        // and the journal holds the whole session, with no recovery file written
        #expect(journalInputs(journalPath) == [1, 2, 3, 4])
        #expect(!FileManager.default.fileExists(atPath: db + ".recovery"))

        // When the entries are listed
        let list = try CLI.run(["recover", "--list"], environment: env)
        // Then the entry shows its trainee, scenario, turns and target
        #expect(list.status == 0, "\(list.stderr)")
        let row = try #require(list.stdout.split(separator: "\n").last.map(String.init))
        #expect(words(row).hasPrefix("1 journal-test deleted-report-boss-needs 4 "), "\(list.stdout)")
        #expect(row.hasSuffix("  " + db), "\(list.stdout)")

        // When delivery is tried while the store is still gone
        let early = try CLI.run(["recover", "--journal"], environment: env)
        // Then the entry is kept, with the reason, and the exit code says so
        #expect(early.status == 75, "\(early.stdout)\(early.stderr)")
        #expect(early.stdout.contains("Entry 1 is kept in the journal: "), "\(early.stdout)")
        #expect(early.stdout.contains("no such table: turn"), "\(early.stdout)")
        #expect(journalInputs(journalPath) == [1, 2, 3, 4])

        // When the store is back and the journal is delivered
        #expect(storeBack(db))
        let delivered = try CLI.run(["recover", "--journal"], environment: env)

        // Then the attempt gets its three missing turns and its result, and the entry is removed
        #expect(delivered.status == 0, "\(delivered.stdout)\(delivered.stderr)")
        #expect(delivered.stdout.contains("Entry 1 delivered to \(db) into attempt 1: 3 missing turn(s) added, with its result; removed from the journal."),
                "\(delivered.stdout)")
        #expect(journalInputs(journalPath).isEmpty)
        #expect(try CLI.run(["recover", "--list"], environment: env).stdout.contains("holds no session"))
        // and the report shows the attempt with all its turns, ended and scored
        let report = try CLI.run(["report", "--db", db, "--format", "json"])
        let rows = (try? JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [[String: Any]]) ?? []
        #expect(rows.count == 1)
        #expect(rows.first?["turns"] as? Int == 4, "\(report.stdout)")
        #expect(rows.first?["trainee"] as? String == "journal-test")
        #expect(rows.first?["ended_at"] as? String != nil)
        #expect(rows.first?["politeness"] as? Int != nil)
    }

    @Test("Given SUPPORTSIM_JOURNAL=1 and a store gone for turns 2 and 3, when it is back for turn 4, then the session delivers them itself and says it saved everything")
    func storeBackMidSession() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("attempts.sqlite").path
        let state = dir.appendingPathComponent("state")
        let env = ["XDG_STATE_HOME": state.path, "SUPPORTSIM_JOURNAL": "1", "SUPPORTSIM_EMBEDDINGS": "off"]
        let journalPath = state.appendingPathComponent("supportsim/journal.sqlite").path
        let session = try PipedSession(db: db, environment: env)

        session.send(replies[0])
        #expect(try eventually { try storedTurns(db) >= 1 })
        #expect(storeGone(db))
        session.send(replies[1])
        session.send(replies[2])
        #expect(eventually { journalInputs(journalPath) == [1, 2, 3] })
        #expect(storeBack(db))
        session.send(replies[3])
        let text = try session.finish()

        #expect(text.contains("Turn 2 was not saved in the store"), "\(text)")
        #expect(words(text).contains("The store is back: the 2 turn(s) kept locally have reached it, in order."), "\(text)")
        #expect(!words(text).contains("kept locally in the journal"), "\(text)")
        #expect(session.process.terminationStatus == 0, "\(text)")
        #expect(try storedTurns(db) == 4)
        #expect(journalInputs(journalPath).isEmpty)
    }

    @Test("Given a session whose turns are in the journal, when its process is killed with SIGKILL, then recover --journal delivers every turn it had played")
    func killedSessionLosesNoTurn() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("attempts.sqlite").path
        let state = dir.appendingPathComponent("state")
        let env = ["XDG_STATE_HOME": state.path, "SUPPORTSIM_JOURNAL": "1", "SUPPORTSIM_EMBEDDINGS": "off"]
        let journalPath = state.appendingPathComponent("supportsim/journal.sqlite").path
        let session = try PipedSession(db: db, environment: env)

        session.send(replies[0])
        #expect(try eventually { try storedTurns(db) >= 1 })
        #expect(storeGone(db))
        session.send(replies[1])
        session.send(replies[2])
        #expect(eventually { journalInputs(journalPath) == [1, 2, 3] })

        kill(session.process.processIdentifier, SIGKILL)
        session.process.waitUntilExit()
        #expect(storeBack(db))
        let delivered = try CLI.run(["recover", "--journal"], environment: env)

        #expect(delivered.status == 0, "\(delivered.stdout)\(delivered.stderr)")
        #expect(delivered.stdout.contains("2 missing turn(s) added; the session had not ended"), "\(delivered.stdout)")
        #expect(try storedTurns(db) == 3)
    }

    @Test("Given a session kept in the journal, when the trainee plays again once the store is back, then the kept session is delivered first; a session on another store only hears that it waits")
    func nextSessionDeliversKeptSessions() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("attempts.sqlite").path
        let other = dir.appendingPathComponent("other.sqlite").path
        let state = dir.appendingPathComponent("state")
        let env = ["XDG_STATE_HOME": state.path, "SUPPORTSIM_JOURNAL": "1", "SUPPORTSIM_EMBEDDINGS": "off"]
        let journalPath = state.appendingPathComponent("supportsim/journal.sqlite").path
        let session = try PipedSession(db: db, environment: env)
        session.send(replies[0])
        #expect(try eventually { try storedTurns(db) >= 1 })
        #expect(storeGone(db))
        session.send(replies[1])
        _ = try session.finish()
        #expect(session.process.terminationStatus == 75)
        #expect(storeBack(db))

        // When a session is played on another store, then the entry stays and the trainee is told it waits
        let elsewhere = try CLI.run(["play", "deleted-report-boss-needs", "--db", other, "--lang", "en", "--new"],
                                    input: replies[0] + "\n", environment: env)
        #expect(elsewhere.status == 0, "\(elsewhere.stdout)\(elsewhere.stderr)")
        #expect(words(elsewhere.stdout).contains("1 earlier session(s) are still kept in the local journal; deliver them with: supportsim recover --journal"),
                "\(elsewhere.stdout)")
        #expect(journalInputs(journalPath) == [1, 2])

        // When a session is played on the store the entry belongs to
        let again = try CLI.run(["play", "deleted-report-boss-needs", "--db", db, "--lang", "en", "--new"],
                                input: replies[0] + "\n", environment: env)

        // Then the entry is delivered before the ticket, and the store has both attempts whole
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        let delivered = try #require(again.stdout.range(of: "Entry 1 delivered to \(db) into attempt 1: 1 missing turn(s) added"),
                                     "\(again.stdout)")
        let ticket = try #require(again.stdout.range(of: "Ticket"))
        #expect(delivered.lowerBound < ticket.lowerBound)
        #expect(journalInputs(journalPath).isEmpty)
        let report = try CLI.run(["report", "--db", db, "--format", "json"])
        let rows = (try? JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [[String: Any]]) ?? []
        #expect(rows.compactMap { $0["turns"] as? Int }.sorted() == [1, 2], "\(report.stdout)")
    }

    @Test("Given a corrupt journal file, when the store goes away mid-session, then the journal is left as it is and the session is kept in a recovery file")
    func corruptJournalFallsBackToRecoveryFile() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("attempts.sqlite").path
        let state = dir.appendingPathComponent("state")
        let env = ["XDG_STATE_HOME": state.path, "SUPPORTSIM_JOURNAL": "1", "SUPPORTSIM_EMBEDDINGS": "off"]
        let journalPath = state.appendingPathComponent("supportsim/journal.sqlite").path
        try FileManager.default.createDirectory(atPath: state.path + "/supportsim", withIntermediateDirectories: true)
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) })
        try garbage.write(to: URL(fileURLWithPath: journalPath))
        let session = try PipedSession(db: db, environment: env)

        session.send(replies[0])
        #expect(try eventually { try storedTurns(db) >= 1 })
        #expect(storeGone(db))
        session.send(replies[1])
        let text = try session.finish()
        let flat = words(text)

        #expect(flat.contains("The local journal cannot be used"), "\(text)")
        #expect(flat.contains("is not a usable SupportSim journal"), "\(text)")
        #expect(flat.contains("It is kept in the recovery file"), "\(text)")
        #expect(text.contains("\n  supportsim recover " + db + ".recovery/"), "\(text)")
        #expect(session.process.terminationStatus == 75)
        #expect(try Data(contentsOf: URL(fileURLWithPath: journalPath)) == garbage)
        // and recover --journal says what is wrong with the journal
        let recover = try CLI.run(["recover", "--journal"], environment: env)
        #expect(recover.status != 0 && recover.stderr.contains("is not a usable SupportSim journal"), "\(recover.stderr)")
    }
}

@Suite("supportsim recover: journal options")
struct RecoverJournalOptionsTests {
    @Test("Given no journal yet, when the entries are listed or delivered, then it says there is nothing, and exits 0")
    func noJournal() throws {
        let dir = try CLI.temporaryDirectory()
        let env = ["XDG_STATE_HOME": dir.path]
        let list = try CLI.run(["recover", "--list"], environment: env)
        let deliver = try CLI.run(["recover", "--journal"], environment: env)
        #expect(list.status == 0 && list.stdout.contains("holds no session"), "\(list.stdout)\(list.stderr)")
        #expect(deliver.status == 0 && deliver.stdout.contains("nothing to deliver"), "\(deliver.stdout)\(deliver.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/supportsim/journal.sqlite"))
    }

    @Test("Given recover without a file or a journal option, or --db with --journal, when it runs, then it says what to give")
    func optionsChecked() throws {
        let none = try CLI.run(["recover"])
        let both = try CLI.run(["recover", "--journal", "--db", "/tmp/x.sqlite"])
        #expect(none.status != 0 && none.stderr.contains("Give a recovery FILE, or --journal, or --list"), "\(none.stderr)")
        #expect(both.status != 0 && both.stderr.contains("--db goes with a recovery FILE"), "\(both.stderr)")
    }

    @Test("Given a journal written by a newer SupportSim, when it is delivered, then it is refused with the versions and left as it is")
    func newerJournalRefused() throws {
        let dir = try CLI.temporaryDirectory()
        let path = dir.path + "/supportsim/journal.sqlite"
        _ = try SessionJournal(path: path)
        #expect(sqlite(path, "PRAGMA user_version = 5"), "the sqlite3 command is needed (apt-get install sqlite3)")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let deliver = try CLI.run(["recover", "--journal"], environment: ["XDG_STATE_HOME": dir.path])
        #expect(deliver.status != 0)
        #expect(deliver.stderr.contains("written by a newer SupportSim (journal schema 5, this version knows 1)"), "\(deliver.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }
}
