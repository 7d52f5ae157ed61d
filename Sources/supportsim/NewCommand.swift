import ArgumentParser
import Foundation
import SupportSimCore

/// `supportsim new`: writes a commented scenario skeleton and its golden transcript.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a commented scenario skeleton ID.yaml and its golden transcript ID.transcript.yaml.",
        discussion: """
        The skeleton is a small, complete support case to edit into your own: it passes \
        `supportsim lint` and its transcript passes `supportsim test`. Comments are in the chosen \
        language; keys stay in English. DIR defaults to Scenarios/ when there is one, else the \
        current folder. Existing files are kept unless --force is given.
        Exit codes: 0 written; 2 a file cannot be written; 64 wrong options, an invalid id, or \
        a file that exists (without --force).
        """
    )

    @Option(name: .long, help: "Language of the scenario and its comments: en or ru.")
    var lang: ScenarioTemplate

    @Argument(help: "The scenario id: lower-case letters a-z, digits and '-' (e.g. outlook-offline).")
    var id: String

    @Option(name: .long, help: "The folder to write to (default: Scenarios/ when it exists, else the current folder).")
    var dir: String?

    @Flag(name: .long, help: "Overwrite existing files.")
    var force = false

    func run() throws {
        guard ScenarioID.isValid(id) else {
            MatchCommand.fail("'\(id)' is not a valid scenario id: use only lower-case letters a-z, digits and '-' (for example outlook-offline).",
                              code: MatchCommand.usageExit)
        }
        var isDir: ObjCBool = false
        let folder = dir ?? (FileManager.default.fileExists(atPath: "Scenarios", isDirectory: &isDir) && isDir.boolValue ? "Scenarios" : ".")
        let folderURL = URL(fileURLWithPath: folder, isDirectory: true)
        let scenarioURL = folderURL.appendingPathComponent("\(id).yaml")
        let transcriptURL = folderURL.appendingPathComponent("\(id).transcript.yaml")
        let shown = { (url: URL) in folder == "." ? url.lastPathComponent : (folder as NSString).appendingPathComponent(url.lastPathComponent) }

        let existing = [scenarioURL, transcriptURL].filter { FileManager.default.fileExists(atPath: $0.path) }
        if !existing.isEmpty && !force {
            MatchCommand.fail("\(existing.map(shown).joined(separator: " and ")) already exist\(existing.count == 1 ? "s" : ""); nothing was written. Choose another id, or add --force to overwrite.",
                              code: MatchCommand.usageExit)
        }
        do {
            try FileManager.default.createDirectory(at: folderURL, withIntermediateDirectories: true)
            let schema = ScenarioTemplate.schemaFolder(from: folderURL)
            try Data(lang.scenario(id: id, schemaFolder: schema).utf8).write(to: scenarioURL, options: .atomic)
            try Data(lang.transcript(id: id, schemaFolder: schema).utf8).write(to: transcriptURL, options: .atomic)
        } catch {
            MatchCommand.fail("cannot write into \(folder): \((error as NSError).localizedDescription)", code: 2)
        }

        let play = folder == "Scenarios" || folder == "Scenarios/" ? "supportsim play \(id)" : "supportsim play \(shown(scenarioURL))"
        print("""
        Created \(shown(scenarioURL))
        Created \(shown(transcriptURL))

        Next steps:
          1. Edit both files into your own case (docs/scenario-format.md, docs/transcripts.md).
          2. supportsim lint \(shown(scenarioURL))
          3. supportsim test \(shown(scenarioURL))
          4. \(play)
        """)
    }
}

extension ScenarioTemplate: ExpressibleByArgument {}
