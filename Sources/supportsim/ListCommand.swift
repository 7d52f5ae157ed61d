import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimReport

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the scenarios in a folder: id, title, language, support line and difficulty (from their headers, cached)."
    )

    @Argument(help: "The scenario folder (default: --scenarios, $SUPPORTSIM_SCENARIOS or ./Scenarios).")
    var folder: String?

    @Option(name: .long, help: "The scenario folder (same as the argument).")
    var scenarios: String?

    @Option(name: .long, help: "Output format: table or json.")
    var format: ListFormat = .table

    enum ListFormat: String, ExpressibleByArgument, CaseIterable { case table, json }

    func run() throws {
        let library = ScenarioLibrary.resolve(folder ?? scenarios)
        guard FileManager.default.fileExists(atPath: library.directory.path) else {
            throw UserError("The scenario folder \(library.directory.path) does not exist; pass a folder or --scenarios DIR.")
        }
        // Only the header of each file is read, and only when it changed since the last listing (the
        // index in the cache folder); a file whose header cannot be read is named with its problem.
        let entries = try ScenarioHeaderIndex(library: library).entries()
        let valid = entries.compactMap(\.header)
        let invalid = entries.filter { $0.header == nil }
        switch format {
        case .json:
            let rows: [[String: Any]] = valid.map {
                ["id": $0.id, "title": $0.title, "language": $0.language.rawValue, "line": $0.line.rawValue,
                 "difficulty": $0.difficulty, "tags": $0.tags]
            }
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys])
            print(TerminalText.jsonEscapingControls(String(decoding: data, as: UTF8.self)))
        case .table:
            let rows = valid.map {
                [$0.id, DisplayWidth.truncate(TerminalText.sanitize($0.title, keepNewlines: false), to: 60),
                 $0.language.rawValue, $0.line.rawValue, String($0.difficulty)]
            }
            let columns: [TextTable.Column] = [.init("ID"), .init("Title"), .init("Lang"), .init("Line"),
                                               .init("Difficulty", rightAligned: true)]
            print(TextTable(columns: columns, rows: rows).render(), terminator: "")
            if valid.isEmpty { print(TerminalText.sanitize("No scenarios in \(library.directory.path).")) }
        }
        for entry in invalid {
            let shown = TerminalText.sanitize(entry.name, keepNewlines: false)
            let problem = TerminalText.sanitize(entry.problem ?? "", keepNewlines: false)
            let folder = TerminalText.sanitize(library.directory.path, keepNewlines: false)
            FileHandle.standardError.write(Data("warning: \(shown) has errors and is not listed: \(shown):\(problem); run `supportsim lint \(folder)/\(shown)`.\n".utf8))
        }
    }
}
