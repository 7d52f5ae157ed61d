import Foundation
import Testing

/// `lint` and `list` over folders that hold hostile files next to good ones.
@Suite("supportsim lint and list with hostile files")
struct LintHostileFilesTests {
    static let hostile = "Tests/SupportSimCoreTests/Fixtures/hostile"

    /// A folder with one good scenario, a 30,000-word phrase, a CP1251 file and a folder named like a scenario.
    static func mixedFolder() throws -> URL {
        let dir = try CLI.temporaryDirectory()
        let root = CLI.packageRoot
        try FileManager.default.copyItem(at: root.appendingPathComponent("Scenarios/printer-before-board-meeting.yaml"),
                                         to: dir.appendingPathComponent("b-good.yaml"))
        try FileManager.default.copyItem(at: root.appendingPathComponent("\(hostile)/invalid-utf8.yaml"),
                                         to: dir.appendingPathComponent("c-invalid.yaml"))
        let long = try String(contentsOf: root.appendingPathComponent("\(hostile)/long-phrase.yaml"), encoding: .utf8)
            .replacingOccurrences(of: Array(repeating: "printer", count: 100).joined(separator: " "),
                                  with: Array(repeating: "printer", count: 30_000).joined(separator: " "))
        try long.write(to: dir.appendingPathComponent("a-long.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("d-folder.yaml"), withIntermediateDirectories: false)
        return dir
    }

    @Test func lintOfAFolderReportsEachBadFileAndChecksTheOthers() throws {
        // Given a folder with a huge phrase, a file that is not UTF-8, an unreadable entry and a good scenario
        let dir = try Self.mixedFolder()

        // When it is linted
        let result = try CLI.run(["lint", dir.path])

        // Then every file has its located diagnostics, all four are counted, and the status is 1
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.range(of: #"a-long\.yaml:11:17: error: match phrase too long: 30000 words .*\[SS017\]"#,
                                    options: .regularExpression) != nil, "\(result.stderr)")
        #expect(result.stderr.range(of: #"c-invalid\.yaml:8:41: error: the file is not valid UTF-8 at byte \d+ .*\[SS018\]"#,
                                    options: .regularExpression) != nil, "\(result.stderr)")
        #expect(result.stderr.range(of: #"d-folder\.yaml:1:1: error: the file cannot be read .*\[SS020\]"#,
                                    options: .regularExpression) != nil, "\(result.stderr)")
        #expect(!result.stderr.contains("b-good.yaml:"), "\(result.stderr)")
        #expect(result.stderr.contains("4 file(s) checked"))
    }

    @Test func listOfAFolderWithBadFilesListsTheGoodOnes() throws {
        // Given the same folder
        let dir = try Self.mixedFolder()

        // When its scenarios are listed (only their headers are read)
        let result = try CLI.run(["list", dir.path], environment: ["SUPPORTSIM_CACHE_DIR": dir.appendingPathComponent("cache").path])

        // Then every file whose header reads is listed (the huge phrase and the bad byte are further down),
        // and the entry that cannot be read is named on stderr with its problem
        #expect(result.status == 0, "\(result.stderr)")
        for id in ["printer-before-board-meeting", "hostile-long-phrase", "hostile-invalid-utf8"] {
            #expect(result.stdout.contains(id), "\(result.stdout)")
        }
        #expect(result.stderr.contains("d-folder.yaml has errors and is not listed: d-folder.yaml:1:1: the file cannot be read"),
                "\(result.stderr)")
        #expect(result.stderr.contains("[SS020]"), "\(result.stderr)")
    }

    @Test func lintJSONOnInvalidUTF8AndMissingFilesIsStillJSON() throws {
        // Given a file that is not UTF-8 and a path that does not exist
        let invalid = "\(Self.hostile)/invalid-utf8.yaml"

        // When both are linted with --format json
        let result = try CLI.run(["lint", "--format", "json", invalid, "no/such/file.yaml"])

        // Then stdout is a JSON array with an SS018 entry (with its byte offset) and an SS020 entry, and the status is 1
        #expect(result.status == 1)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let encoding = try #require(entries.first { $0["code"] as? String == "SS018" })
        #expect(encoding["file"] as? String == invalid)
        #expect(encoding["line"] as? Int == 8)
        #expect(encoding["column"] as? Int == 41)
        #expect((encoding["byte_offset"] as? Int ?? 0) > 0)
        #expect(entries.contains { $0["code"] as? String == "SS020" && $0["file"] as? String == "no/such/file.yaml" })
    }

    @Test func lintTextOutputCarriesNoEscapeSequencesFromTheFile() throws {
        // Given a scenario whose `next` names a node with an escape sequence in it
        let dir = try CLI.temporaryDirectory()
        let file = dir.appendingPathComponent("escape.yaml")
        let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent("\(Self.hostile)/long-phrase.yaml"), encoding: .utf8)
            .replacingOccurrences(of: Array(repeating: "printer", count: 100).joined(separator: " "), with: "which printer")
            .replacingOccurrences(of: "next: done", with: "next: \"done\\e]0;owned\\a\\e[2J\"")
        try text.write(to: file, atomically: true, encoding: .utf8)

        // When it is linted
        let result = try CLI.run(["lint", file.path])

        // Then the undefined node is reported (SS005) and the control characters (SS019), without any ESC or BEL byte
        #expect(result.status == 1)
        #expect(result.stderr.contains("[SS005]"), "\(result.stderr)")
        #expect(result.stderr.contains("[SS019]"), "\(result.stderr)")
        #expect(!result.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    }

    @Test func lintOfTheHostileFixturesReportsEveryClass() throws {
        // When the hostile fixtures folder is linted as JSON
        let result = try CLI.run(["lint", "--format", "json", Self.hostile])

        // Then each defect class has its code
        #expect(result.status == 1)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let codes = Set(entries.compactMap { $0["code"] as? String })
        #expect(codes.isSuperset(of: ["SS009", "SS017", "SS018", "SS019"]), "\(codes)")
    }
}
