import Foundation
import Testing

/// `supportsim new`: the skeleton lints clean and its transcript passes, in both languages.
@Suite("supportsim new writes a scenario skeleton and its transcript")
struct NewCommandTests {
    /// Rules only: the results do not depend on whether the model is installed.
    static let rulesOnly = ["SUPPORTSIM_EMBEDDINGS": "off"]

    @Test(arguments: ["en", "ru"])
    func givenANewSkeleton_whenLintedAndTested_thenLintReportsNothingAndEveryRunPasses(lang: String) throws {
        // Given a skeleton written into an empty folder
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let made = try CLI.run(["new", "--lang", lang, "--dir", dir.path, "mail-offline"])
        #expect(made.status == 0, "\(made.stdout)\n\(made.stderr)")
        let scenario = dir.appendingPathComponent("mail-offline.yaml").path
        let transcript = dir.appendingPathComponent("mail-offline.transcript.yaml").path
        #expect(made.stdout.contains("Created \(scenario)"))
        #expect(made.stdout.contains("Created \(transcript)"))
        #expect(made.stdout.contains("supportsim lint \(scenario)"))
        #expect(made.stdout.contains("supportsim test \(scenario)"))
        #expect(made.stdout.contains("supportsim play \(scenario)"))

        // When both files are linted strictly, as JSON
        let lint = try CLI.run(["lint", "--strict", "--format", "json", scenario, transcript], environment: Self.rulesOnly)
        // Then there is no diagnostic at all
        #expect(lint.status == 0, "\(lint.stdout)\n\(lint.stderr)")
        let diagnostics = try JSONSerialization.jsonObject(with: Data(lint.stdout.utf8)) as? [Any]
        #expect(diagnostics?.isEmpty == true, "\(lint.stdout)")

        // When its transcript is played
        let test = try CLI.run(["test", scenario], environment: Self.rulesOnly)
        // Then both runs (a good path and a poor one) pass
        #expect(test.status == 0, "\(test.stdout)\n\(test.stderr)")
        #expect(test.stdout.contains("✓ good-path — resolved"))
        #expect(test.stdout.contains("✓ poor-path — closed-unresolved"))
        #expect(test.stdout.contains("2 run(s): 2 passed, 0 failed."))
    }

    @Test func givenTheRussianSkeleton_whenRead_thenItsCommentsAreRussianAndItsKeysEnglish() throws {
        // Given
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // When
        let made = try CLI.run(["new", "--lang", "ru", "--dir", dir.path, "ru-case"])
        // Then
        #expect(made.status == 0, "\(made.stderr)")
        let text = try String(contentsOf: dir.appendingPathComponent("ru-case.yaml"), encoding: .utf8)
        #expect(text.contains("id: ru-case "))
        #expect(text.contains("language: ru"))
        #expect(text.contains("# строчные латинские буквы"))
        #expect(!text.contains("# lower-case letters"))
    }

    @Test func givenAFolderInsideTheRepository_whenNew_thenTheSchemaHeaderPointsAtTheRepositorySchemaRelatively() throws {
        // Given a folder two levels below the package root
        let dir = CLI.packageRoot.appendingPathComponent(".build/e2e-new-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        // When
        let made = try CLI.run(["new", "--lang", "en", "--dir", dir.path, "header-case"])
        // Then
        #expect(made.status == 0, "\(made.stderr)")
        let scenario = try String(contentsOf: dir.appendingPathComponent("header-case.yaml"), encoding: .utf8)
        let transcript = try String(contentsOf: dir.appendingPathComponent("header-case.transcript.yaml"), encoding: .utf8)
        #expect(scenario.hasPrefix("# yaml-language-server: $schema=../../schema/scenario.schema.json\n"))
        #expect(transcript.hasPrefix("# yaml-language-server: $schema=../../schema/transcript.schema.json\n"))
    }

    @Test func givenAFolderOutsideAnyRepository_whenNew_thenTheSchemaHeaderPointsAtThisCheckoutsSchemaAbsolutely() throws {
        // Given a temporary folder, which no repository encloses
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // When
        let made = try CLI.run(["new", "--lang", "ru", "--dir", dir.path, "outside-case"])
        // Then the header names the schema of the checkout the program was built in, and that file exists
        #expect(made.status == 0, "\(made.stderr)")
        let scenario = try String(contentsOf: dir.appendingPathComponent("outside-case.yaml"), encoding: .utf8)
        let transcript = try String(contentsOf: dir.appendingPathComponent("outside-case.transcript.yaml"), encoding: .utf8)
        let schema = CLI.packageRoot.appendingPathComponent("schema").resolvingSymlinksInPath().path
        #expect(scenario.hasPrefix("# yaml-language-server: $schema=\(schema)/scenario.schema.json\n"))
        #expect(transcript.hasPrefix("# yaml-language-server: $schema=\(schema)/transcript.schema.json\n"))
        #expect(FileManager.default.fileExists(atPath: schema + "/scenario.schema.json"))
    }

    @Test func givenAnExistingScenario_whenNewWithoutForce_thenNothingIsOverwrittenAndTheExitCodeIs64() throws {
        // Given a scenario file of that id already in the folder
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let existing = dir.appendingPathComponent("taken.yaml")
        try "my own work\n".write(to: existing, atomically: true, encoding: .utf8)
        // When
        let refused = try CLI.run(["new", "--lang", "en", "--dir", dir.path, "taken"])
        // Then
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("taken.yaml already exists; nothing was written"))
        #expect(refused.stderr.contains("--force"))
        #expect(try String(contentsOf: existing, encoding: .utf8) == "my own work\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("taken.transcript.yaml").path))

        // When forced
        let forced = try CLI.run(["new", "--lang", "en", "--dir", dir.path, "taken", "--force"])
        // Then both files are written
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try String(contentsOf: existing, encoding: .utf8).contains("id: taken "))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("taken.transcript.yaml").path))
    }

    @Test(arguments: ["Mail_Offline", "почта", "a b"])
    func givenAnInvalidID_whenNew_thenItIsRejectedWithExitCode64AndNothingIsWritten(id: String) throws {
        // Given
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // When
        let result = try CLI.run(["new", "--lang", "en", "--dir", dir.path, id])
        // Then
        #expect(result.status == 64)
        #expect(result.stderr.contains("is not a valid scenario id"))
        #expect(result.stderr.contains("lower-case letters a-z, digits and '-'"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
