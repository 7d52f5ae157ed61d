import Foundation
import SupportSimStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Runs a shell command; true when it exited 0.
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

/// Mounting a small filesystem needs root and a system that allows it (not every container does).
private let canMount: Bool = {
    guard getuid() == 0, let dir = try? CLI.temporaryDirectory() else { return false }
    guard shell("mount -t tmpfs -o size=64k tmpfs '\(dir.path)'") else { return false }
    shell("umount '\(dir.path)'")
    return true
}()

private let mountNote: Comment = "needs root and permission to mount a tmpfs; skipped here"

private let replies = [
    "Здравствуйте, Ирина! Подскажите, пожалуйста, в какой папке лежал отчёт?",
    "Когда примерно Вы его удалили?",
    "Проверьте, пожалуйста, корзину на рабочем столе.",
    "Спасибо за терпение, Ирина!",
]

private func reportRows(_ db: String) throws -> [[String: Any]] {
    let report = try CLI.run(["report", "--db", db, "--format", "json"])
    return (try? JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [[String: Any]]) ?? []
}

/// A database made by a short played session (one turn, then end of input).
private func playedDatabase(in dir: URL) throws -> String {
    let db = dir.appendingPathComponent("attempts.sqlite").path
    let played = try CLI.run(["play", "deleted-report-boss-needs", "--db", db, "--seed", "3", "--lang", "en"],
                             input: replies[0] + "\n", environment: ["XDG_STATE_HOME": dir.path + "/state"])
    #expect(played.status == 0, "\(played.stdout)\(played.stderr)")
    return db
}

@Suite("supportsim when storage fails", .serialized)
struct StorageFailureTests {
    @Test(.enabled(if: canMount, mountNote))
    func diskFullMidSessionIsToldEachTurnKeptInARecoveryFileAndRecovered() throws {
        // Given a database on a 1 MB filesystem and a session playing from a pipe
        let dir = try CLI.temporaryDirectory()
        let mount = dir.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        #expect(shell("mount -t tmpfs -o size=1m tmpfs '\(mount.path)'"))
        defer { shell("umount '\(mount.path)'") }
        let db = mount.appendingPathComponent("attempts.sqlite").path
        let state = dir.appendingPathComponent("state")
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["play", "deleted-report-boss-needs", "--db", db, "--trainee", "disk-full", "--seed", "3", "--lang", "en"]
        process.currentDirectoryURL = CLI.packageRoot
        process.environment = CLI.environment(["XDG_STATE_HOME": state.path])
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        // When the first turn is saved
        input.fileHandleForWriting.write(Data((replies[0] + "\n").utf8))
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, (try reportRows(db).first?["turns"] as? Int ?? 0) < 1 { usleep(100_000) }
        // and the disk fills up, and the trainee plays on to the end
        shell("dd if=/dev/zero of='\(mount.path)/fill' bs=4k")
        for reply in replies.dropFirst() { input.fileHandleForWriting.write(Data((reply + "\n").utf8)) }
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let flat = text.replacingOccurrences(of: "\n", with: " ")

        // Then every unsaved turn was told at once, nothing claims to be saved,
        // and the exit code says "kept in a recovery file"
        for turn in 2...4 { #expect(flat.contains("Turn \(turn) was not saved in the database"), "\(text)") }
        #expect(flat.contains("the disk is full"))
        #expect(!flat.contains("Saved as") && !flat.contains("saved as abandoned"), "\(text)")
        #expect(flat.contains("supportsim recover"), "\(text)")
        #expect(process.terminationStatus == 75)
        // and the recovery file went to $XDG_STATE_HOME, since the disk beside the database is full
        let folder = state.appendingPathComponent("supportsim/recovery")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        #expect(files.count == 1)
        let file = folder.appendingPathComponent(try #require(files.first)).path
        #expect(text.contains("\n  supportsim recover " + file + "\n"), "\(text)")

        // When the disk is freed and the file is recovered
        try FileManager.default.removeItem(atPath: mount.path + "/fill")
        let recovered = try CLI.run(["recover", file])

        // Then the same attempt holds all four turns and its score, and the file is renamed
        #expect(recovered.status == 0, "\(recovered.stdout)\(recovered.stderr)")
        #expect(recovered.stdout.contains("3 missing turn(s) added"), "\(recovered.stdout)")
        let rows = try reportRows(db)
        #expect(rows.count == 1)
        #expect(rows.first?["turns"] as? Int == 4)
        #expect(rows.first?["politeness"] as? Int != nil)  // scored; an abandoned attempt shows no total
        #expect(rows.first?["ended_at"] as? String != nil)
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(FileManager.default.fileExists(atPath: file + ".imported"))
    }

    @Test func corruptDatabaseStopsPlayBeforeTheTicketAndReportSaysWhy() throws {
        // Given a database file of garbage bytes
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("garbage.sqlite").path
        try Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }).write(to: URL(fileURLWithPath: db))

        // When a trainee plays and a manager reports
        let play = try CLI.run(["play", "deleted-report-boss-needs", "--db", db, "--lang", "en"], input: replies[0] + "\n")
        let report = try CLI.run(["report", "--db", db])

        // Then play refuses before showing the ticket: what, where, what to do, and a non-zero code
        #expect(play.status == 73)
        #expect(!play.stdout.contains("Ticket"), "\(play.stdout)")
        #expect(play.stderr.contains("Cannot start the session"))
        #expect(play.stderr.contains(db))
        #expect(play.stderr.contains("not a usable SupportSim database"))
        #expect(play.stderr.contains("--db"))
        // and report fails with the reason
        #expect(report.status != 0)
        #expect(report.stderr.contains("not a usable SupportSim database"), "\(report.stderr)")
    }

    @Test(.enabled(if: canMount, mountNote))
    func readOnlyDatabaseIsReportedButNotPlayedInto() throws {
        // Given a played database on a filesystem remounted read-only
        let dir = try CLI.temporaryDirectory()
        #expect(shell("mount -t tmpfs -o size=4m tmpfs '\(dir.path)'"))
        defer { shell("umount '\(dir.path)'") }
        let db = try playedDatabase(in: dir)
        #expect(shell("mount -o remount,ro '\(dir.path)'"))

        // When a manager reports and a trainee plays
        let report = try CLI.run(["report", "--db", db, "--format", "json"])
        let play = try CLI.run(["play", "deleted-report-boss-needs", "--db", db, "--lang", "en"], input: replies[0] + "\n")

        // Then the report lists the attempt, and play refuses before the ticket with a non-zero code
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("\"turns\" : 1"), "\(report.stdout)")
        #expect(play.status == 73)
        #expect(play.stderr.contains("Cannot start the session"), "\(play.stderr)")
        #expect(!play.stdout.contains("Ticket"))
    }

    @Test func readOnlyFileIsReported() throws {
        // Given a played database whose file and folder are read-only
        let dir = try CLI.temporaryDirectory()
        let db = try playedDatabase(in: dir)
        chmod(db, 0o444)
        chmod(dir.path, 0o555)
        defer { chmod(dir.path, 0o755) }
        // When a manager reports
        let report = try CLI.run(["report", "--db", db])
        // Then it works (it used to fail with "attempt to write a readonly database")
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("deleted-report"), "\(report.stdout)")  // the id may be cut to fit 80 columns
    }

    @Test func newerDatabaseIsReadWithANoteAndRefusedForPlay() throws {
        // Given a database stamped by a newer SupportSim, with an unknown status in its only row
        let dir = try CLI.temporaryDirectory()
        let db = try playedDatabase(in: dir)
        #expect(shell("sqlite3 '\(db)' \"PRAGMA user_version = 99; UPDATE attempt SET status = 'paused'\""),
                "the sqlite3 command is needed (apt-get install sqlite3)")

        // When a manager reports and a trainee plays
        let report = try CLI.run(["report", "--db", db, "--lang", "en"])
        let play = try CLI.run(["play", "deleted-report-boss-needs", "--db", db, "--lang", "en"], input: replies[0] + "\n")

        // Then the report shows the row, the unknown status as such, and a note on stderr
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("unknown (paused)"), "\(report.stdout)")
        #expect(report.stderr.contains("newer SupportSim (schema 99"))
        // and play refuses with the versions and what to do
        #expect(play.status == 73)
        #expect(play.stderr.contains("written by a newer SupportSim (schema 99, this version knows \(AttemptDatabase.schemaVersion)); update SupportSim, or use --db to choose another file"),
                "\(play.stderr)")
    }

    @Test func recoverCreatesAnAttemptThatNeverReachedTheDatabase() throws {
        // Given a recovery file of a finished session whose attempt was never started in the database
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("attempts.sqlite").path
        let file = dir.appendingPathComponent("attempt-20261101T100000Z-1.json").path
        let inputs = replies.prefix(2).enumerated().map { i, reply in
            #"{"turn": \#(i + 1), "input": {"reply": {"_0": \#(String(data: try! JSONEncoder().encode(reply), encoding: .utf8)!)}}, "elapsed": \#(Double(i + 1) * 10)}"#
        }
        try """
            {"format": 1, "trainee": "anna", "scenarioID": "deleted-report-boss-needs",
             "scenarioTitle": "Удалённый отчёт", "scenarioVersion": 2, "language": "ru", "interfaceLanguage": "en",
             "mode": "exam", "seed": 3, "startedAt": "2026-11-01T10:00:00Z", "database": "\(db)",
             "inputs": [\(inputs.joined(separator: ", "))], "ending": "abandoned", "endedAt": "2026-11-01T10:05:00Z"}
            """.write(toFile: file, atomically: true, encoding: .utf8)

        // When it is recovered (the database named in the file is used)
        let recovered = try CLI.run(["recover", file])

        // Then a new attempt holds both turns and its score, and the file is renamed
        #expect(recovered.status == 0, "\(recovered.stdout)\(recovered.stderr)")
        #expect(recovered.stdout.contains("as new attempt 1 with 2 turn(s)"), "\(recovered.stdout)")
        let row = try #require(try reportRows(db).first)
        #expect(row["trainee"] as? String == "anna" && row["turns"] as? Int == 2 && row["mode"] as? String == "exam")
        #expect(row["status"] as? String == "abandoned" && row["total"] is NSNull && row["politeness"] as? Int != nil)
        #expect(FileManager.default.fileExists(atPath: file + ".imported"))

        // and a file that is not a recovery file is refused with a readable error
        let bad = try CLI.run(["recover", dir.appendingPathComponent("missing.json").path])
        #expect(bad.status != 0 && bad.stderr.contains("not a SupportSim recovery file"))
    }
}
