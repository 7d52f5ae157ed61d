import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("supportsim command line")
struct CommandLineTests {
    @Test func lintReportsEachBrokenPartWithItsLocation() throws {
        // Given a scenario with an unknown key, a wrong type and an undefined target node,
        // and another with a YAML syntax error
        let fixtures = "Tests/SupportSimCoreTests/Fixtures"

        // When the trainer lints them
        let broken = try CLI.run(["lint", "\(fixtures)/broken-scenario.yaml"])
        let syntax = try CLI.run(["lint", "\(fixtures)/broken-syntax.yaml"])

        // Then each problem is printed as file:line:col with its code, and the exit status is non-zero
        #expect(broken.status != 0)
        #expect(syntax.status != 0)
        let lines = broken.stderr.split(separator: "\n").map(String.init)
        func located(_ code: String) -> Bool {
            lines.contains { $0.range(of: #"^Tests/SupportSimCoreTests/Fixtures/broken-scenario\.yaml:\d+:\d+: error: .*\[\#(code)\]$"#, options: .regularExpression) != nil }
        }
        #expect(located("SS002"), "unknown key:\n\(broken.stderr)")
        #expect(located("SS003"), "wrong type:\n\(broken.stderr)")
        #expect(located("SS005"), "undefined node:\n\(broken.stderr)")
        #expect(syntax.stderr.range(of: #"broken-syntax\.yaml:\d+:\d+: error: .*\[SS001\]"#, options: .regularExpression) != nil,
                "syntax error:\n\(syntax.stderr)")
        // and the offending source line is shown with a caret
        #expect(broken.stderr.contains("^"))
    }

    @Test func bundledScenariosLintCleanAndAreListed() throws {
        // When the shipped scenarios are linted and listed
        let lint = try CLI.run(["lint", "Scenarios"])
        let list = try CLI.run(["list"])

        // Then there are no errors, and all four demo scenarios are listed
        #expect(lint.status == 0, "\(lint.stderr)")
        for id in ["printer-before-board-meeting", "crm-import-repeat-mistake", "deleted-report-boss-needs", "password-reset-no-identity"] {
            #expect(list.stdout.contains(id), "\(id) missing from:\n\(list.stdout)")
        }
    }

    @Test func unknownScenarioIdListsTheAvailableOnes() throws {
        // When a trainee asks for a scenario that does not exist
        let dir = try CLI.temporaryDirectory()
        let result = try CLI.run(["play", "no-such-scenario", "--db", dir.appendingPathComponent("a.sqlite").path])

        // Then the error names it and lists what is available
        #expect(result.status != 0)
        #expect(result.stderr.contains("no-such-scenario"))
        #expect(result.stderr.contains("deleted-report-boss-needs"))
    }

    @Test func killedSessionKeepsCompletedTurnsAndShowsAsAbandoned() throws {
        // Given a session playing with its input on a pipe
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("attempts.sqlite").path
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["play", "deleted-report-boss-needs", "--db", db, "--trainee", "kill-test", "--seed", "3"]
        process.currentDirectoryURL = CLI.packageRoot
        process.environment = CLI.environment(["XDG_DATA_HOME": dir.path])
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        // When three turns are played
        let replies = [
            "Здравствуйте, Ирина! Подскажите, пожалуйста, в какой папке лежал отчёт?",
            "Когда примерно Вы его удалили?",
            "Проверьте, пожалуйста, корзину на рабочем столе.",
        ]
        for reply in replies { input.fileHandleForWriting.write(Data((reply + "\n").utf8)) }
        func storedTurns() throws -> (status: String, turns: Int)? {
            // While the session is still creating the database, a report may fail: that is "nothing yet".
            let report = try CLI.run(["report", "--db", db, "--format", "json"])
            guard let rows = (try? JSONSerialization.jsonObject(with: Data(report.stdout.utf8))) as? [[String: Any]],
                  let row = rows.first else { return nil }
            return (row["status"] as? String ?? "", row["turns"] as? Int ?? -1)
        }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, (try storedTurns()?.turns ?? 0) < 3 { usleep(100_000) }
        #expect(process.isRunning, "the session should still be waiting for the fourth reply")

        // and the process is killed
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        // Then the database holds the three turns and an abandoned attempt
        let stored = try storedTurns()
        #expect(stored?.turns == 3)
        #expect(stored?.status == "abandoned")
    }

    @Test func nonUTF8InputIsRejectedWithAMessage() throws {
        // Given a reply that is not valid UTF-8, then end of input
        let dir = try CLI.temporaryDirectory()
        let bytes = Data([0xFF, 0xFE, 0x41, 0x0A])
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["play", "printer-before-board-meeting", "--db", dir.appendingPathComponent("a.sqlite").path, "--lang", "en"]
        process.currentDirectoryURL = CLI.packageRoot
        process.environment = CLI.environment(["XDG_DATA_HOME": dir.path])
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(bytes)
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        // Then the program says so instead of crashing, and the attempt is kept as abandoned
        #expect(text.contains("UTF-8"), "\(text)")
        #expect(process.terminationReason == .exit)
    }
}
