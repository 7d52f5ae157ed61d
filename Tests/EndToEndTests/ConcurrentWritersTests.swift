import Foundation
import Testing

/// Many trainees on one training server write to the same SQLite file at once: every attempt and
/// every turn must arrive, none twice, and no trainee may see "database is locked".
/// `SUPPORTSIM_WRITERS` sets the number of concurrent sessions (50 by default).
@Suite(.serialized) struct ConcurrentWritersTests {
    static let scenario = "vpn-error-after-update"
    static let replies = [
        "Здравствуйте, Андрей! Понимаю, время поджимает, давайте разберёмся. Что именно пишет VPN-клиент — какой код ошибки?",
        "Спасибо. Пока не перезагружайте компьютер — сначала сохраните, пожалуйста, все открытые документы.",
        "Отлично. Теперь перезагрузите, пожалуйста, компьютер: обновление могло не завершиться.",
        "/close Перезагрузка не помогла, клиент перезвонит после обеда",
    ]

    @Test func givenFiftySessionsWritingOneDatabaseAtOnce_whenAllEnd_thenEveryAttemptAndTurnIsStoredOnceAndNoneSawALock() throws {
        // Given one database file and many sessions started together, each with piped replies
        let writers = Int(ProcessInfo.processInfo.environment["SUPPORTSIM_WRITERS"] ?? "") ?? 50
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("team.sqlite").path
        let input = Self.replies.joined(separator: "\n") + "\n"
        var running: [(name: String, process: Process, out: URL, err: URL)] = []
        for writer in 1...writers {
            let name = "writer-\(writer)"
            let out = dir.appendingPathComponent("\(name).out"), err = dir.appendingPathComponent("\(name).err")
            FileManager.default.createFile(atPath: out.path, contents: nil)
            FileManager.default.createFile(atPath: err.path, contents: nil)
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["play", Self.scenario, "--db", db, "--trainee", name, "--seed", "\(writer)", "--lang", "en"]
            process.currentDirectoryURL = CLI.packageRoot
            // Without the meaning model each session starts in a fraction of a second, so they overlap.
            process.environment = CLI.environment(["XDG_DATA_HOME": dir.path, "SUPPORTSIM_EMBEDDINGS": "off"])
            let stdin = Pipe()
            process.standardInput = stdin
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = try FileHandle(forWritingTo: err)
            try process.run()
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
            running.append((name, process, out, err))
        }

        // When every session has ended
        for session in running { session.process.waitUntilExit() }

        // Then each ended cleanly, said it saved everything, and never showed a lock
        for session in running {
            let stdout = try String(contentsOf: session.out, encoding: .utf8)
            let stderr = try String(contentsOf: session.err, encoding: .utf8)
            #expect(session.process.terminationStatus == 0, "\(session.name): exit \(session.process.terminationStatus)\n\(stderr)")
            #expect(!(stdout + stderr).lowercased().contains("locked"), "\(session.name) saw a lock:\n\(stderr)")
            #expect(stdout.contains("Saved as attempt"), "\(session.name):\n\(stdout.suffix(400))\n\(stderr)")
        }
        // and the store holds exactly one finished attempt per session, with all its turns
        let report = try CLI.run(["report", "--db", db, "--format", "json"])
        #expect(report.status == 0, "\(report.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [[String: Any]])
        let trainees = rows.compactMap { $0["trainee"] as? String }
        #expect(rows.count == writers)
        #expect(Set(trainees) == Set(running.map(\.name)))
        #expect(Set(rows.compactMap { $0["id"] as? Int }).count == writers)
        for row in rows {
            #expect(row["turns"] as? Int == Self.replies.count, "\(row["trainee"] ?? "?"): \(row["turns"] ?? "?") turns")
            #expect(row["status"] as? String == "completed", "\(row["trainee"] ?? "?"): \(row["status"] ?? "?")")
        }
        // and the hash chain, linked inside each write transaction, holds across all of them
        let verify = try CLI.run(["verify", "--db", db])
        #expect(verify.status == 0 && verify.stdout.contains("Chain intact: \(writers) attempts"), "\(verify.stdout)")
    }
}
