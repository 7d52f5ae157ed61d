import Foundation
import Testing

/// A store written by a newer SupportSim, and a damaged store: every command that writes refuses with
/// a clear message, every command that only reads says what it can, and the file is left byte for byte.
@Suite struct BadStoreFilesTests {
    static let env = ["SUPPORTSIM_EMBEDDINGS": "off"]
    static let scenario = "printer-before-board-meeting"

    static func sqlite(_ db: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [db, sql]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "the sqlite3 command is needed (apt-get install sqlite3)")
    }

    /// A store with two attempts (one finished, one abandoned) of the golden run "good".
    static func store(in dir: URL) throws -> String {
        let db = dir.appendingPathComponent("a.sqlite").path
        _ = try ShowCommandTests.play(scenario, run: "good", seed: 1, db: db, trainee: "olga")
        let first = try ShowCommandTests.goldenReplies(scenario, run: "good").prefix(1)
        let cut = try CLI.run(["play", scenario, "--db", db, "--trainee", "ivan", "--seed", "2", "--lang", "en"],
                              input: first.joined(separator: "\n") + "\n", environment: env)
        #expect(cut.status == 0, "\(cut.stderr)")
        return db
    }

    /// The `version:` of the shipped scenario file.
    static func scenarioVersion() throws -> Int {
        let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Scenarios/\(scenario).yaml"), encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("version:") })
        return try #require(Int(line.dropFirst("version:".count).trimmingCharacters(in: .whitespaces)))
    }

    /// A recovery file of a session whose attempt never reached `db`.
    static func recoveryFile(in dir: URL, db: String) throws -> String {
        let file = dir.appendingPathComponent("attempt-20261101T100000Z-1.json").path
        try """
            {"format": 1, "trainee": "anna", "scenarioID": "\(scenario)", "scenarioTitle": "Printer", "scenarioVersion": \(try scenarioVersion()),
             "language": "en", "interfaceLanguage": "en", "mode": "exam", "seed": 3, "startedAt": "2026-11-01T10:00:00Z",
             "database": "\(db)", "inputs": [{"turn": 1, "input": {"reply": {"_0": "Hello"}}, "elapsed": 10}],
             "ending": "abandoned", "endedAt": "2026-11-01T10:05:00Z"}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    static let readers: [[String]] = [
        ["report"], ["report", "--format", "csv"], ["report", "--format", "json"], ["report", "--format", "ndjson"],
        ["report", "--format", "html"], ["report", "--by", "trainee"], ["report", "--by", "skill"], ["show", "1"],
        ["show", "1", "--format", "html"], ["verify"], ["export", "xapi"], ["export", "xapi", "--ndjson"],
        ["rescore", "--dry-run"],
    ]
    static let writers: [[String]] = [
        ["override", "1", "--category", "politeness", "--score", "50", "--reason", "check"], ["rescore"],
        ["play", scenario, "--trainee", "anna", "--seed", "1"],
    ]

    @Test("Given a store stamped by a newer SupportSim, when every writing command runs on it, then each refuses naming both schema versions, and neither they nor the reading commands change a byte of it")
    func newerStoreIsRefusedAndLeftAlone() throws {
        // Given
        let dir = try CLI.temporaryDirectory()
        let db = try Self.store(in: dir)
        try Self.sqlite(db, "PRAGMA user_version = 99")
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        let refusal = "written by a newer SupportSim (schema 99, this version knows"

        // When / Then: writers refuse
        for command in Self.writers {
            let result = try CLI.run(command + ["--db", db, "--lang", "en"], input: "Hello\n", environment: Self.env)
            #expect(result.status != 0, "\(command)")
            #expect(result.stderr.contains(refusal), "\(command): \(result.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before, "\(command) changed the file")
        }
        let recover = try CLI.run(["recover", try Self.recoveryFile(in: dir, db: db)], environment: Self.env)
        #expect(recover.status != 0)
        #expect((recover.stdout + recover.stderr).contains(refusal), "\(recover.stdout)\(recover.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before, "recover changed the file")

        // and readers read, with a note, and write nothing
        for command in Self.readers {
            let result = try CLI.run(command + ["--db", db], environment: Self.env)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("newer SupportSim (schema 99"), "\(command): \(result.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before, "\(command) changed the file")
        }
    }

    /// Garbage bytes, and a real store whose pages after the first were overwritten (its header and
    /// schema still read).
    static func damagedStores() throws -> [(String, String)] {
        let dir = try CLI.temporaryDirectory()
        let garbage = dir.appendingPathComponent("garbage.sqlite").path
        try Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }).write(to: URL(fileURLWithPath: garbage))
        let damaged = try Self.store(in: dir)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: damaged))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: Data((0..<Int(size) - 4096).map { UInt8(truncatingIfNeeded: $0 &* 7) }))
        try handle.close()
        return [("garbage", garbage), ("damaged pages", damaged)]
    }

    @Test("Given a corrupt database file (garbage, or damaged pages behind a valid header), when report, show, override, rescore, verify and export run on it, then each fails saying the file is not a usable SupportSim database and the file is never overwritten")
    func corruptStoreIsNamedAndNeverOverwritten() throws {
        for (kind, db) in try Self.damagedStores() {
            // Given
            let before = try Data(contentsOf: URL(fileURLWithPath: db))
            for command in Self.readers + Self.writers.dropLast() {
                // When
                let result = try CLI.run(command + ["--db", db], environment: Self.env)
                // Then
                #expect(result.status != 0, "\(kind): \(command)")
                #expect(result.stderr.contains("not a usable SupportSim database"), "\(kind): \(command): \(result.stderr)")
                #expect(!result.stderr.contains("\u{1B}"))
                #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before, "\(kind): \(command) changed the file")
            }
        }
    }
}
