import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimReport

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the scenarios in a folder: id, title, language, support line and difficulty."
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
        // One file at a time: a file that cannot be read or parsed is reported, the others are listed.
        let loaded = try library.files().map(ScenarioLibrary.loadReportingErrors)
        let valid = loaded.compactMap(\.result.scenario)
        let invalid = loaded.filter { $0.result.scenario == nil }.map { $0.url.lastPathComponent }
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
        for name in invalid {
            let shown = TerminalText.sanitize(name, keepNewlines: false)
            let folder = TerminalText.sanitize(library.directory.path, keepNewlines: false)
            FileHandle.standardError.write(Data("warning: \(shown) has errors and is not listed; run `supportsim lint \(folder)/\(shown)`.\n".utf8))
        }
    }
}
