import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimReport
import SupportSimStore

/// `supportsim graph`: a scenario's nodes and moves as DOT, Mermaid or a text outline.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw a scenario's nodes, steps, harmful rules and endings (DOT, Mermaid or text).",
        discussion: """
        Steps that move on are labelled edges (intent id and points); steps that stay at a node are \
        listed inside it; harmful rules are red; endings are drawn by kind; nodes that cannot be \
        reached from the start are marked. With --attempt N the path of stored attempt N is \
        highlighted with its step numbers. Render DOT with `dot -Tsvg`; paste Mermaid into a \
        Markdown ```mermaid block. See docs/graph.md.
        Exit codes: 0 drawn; 64 usage error (unknown scenario file or id, unknown attempt, an \
        attempt of another scenario); 65 the scenario file has errors.
        """
    )

    @Argument(help: "The path to a scenario file, or a scenario id (see `supportsim list`).")
    var file: String

    @Option(name: .long, help: "Output format: dot, mermaid or text.")
    var format: GraphFormat = .text

    @Option(name: .long, help: "Highlight the path of this stored attempt (see `supportsim report`).")
    var attempt: Int64?

    @Option(name: .long, help: "The attempts store: a SQLite file or postgres://USER@HOST/DATABASE (default: $SUPPORTSIM_DB, else db in ~/.config/supportsim/config, else $XDG_DATA_HOME/supportsim/supportsim.sqlite).")
    var db: String?

    @Option(name: .long, help: "The scenario folder for an id (default: $SUPPORTSIM_SCENARIOS or ./Scenarios).")
    var scenarios: String?

    @Option(name: .long, help: "Language of the graph's own words: en or ru (default: from the locale).")
    var lang: Language?

    func run() throws {
        let scenario: Scenario
        do {
            let loaded = try ScenarioLibrary.resolve(scenarios).find(file)
            guard let parsed = loaded.result.scenario else {
                printDiagnostics(loaded.result.diagnostics, file: loaded.url.path, source: loaded.source)
                MatchCommand.fail("The scenario has errors; fix them (see `supportsim lint \(loaded.url.path)`).",
                                  code: MatchCommand.dataExit)
            }
            scenario = parsed
        } catch let error as UserError {
            MatchCommand.fail(error.description, code: MatchCommand.usageExit)
        }
        let path = try attempt.map { try Self.path(of: $0, scenario: scenario, db: db) }
        let language = RunEnvironment.interfaceLanguage(lang, fallback: .en)
        print(ScenarioGraph(scenario: scenario, path: path, language: language).render(format), terminator: "")
    }

    /// The stored path of attempt `id`, which must be an attempt at `scenario`.
    static func path(of id: Int64, scenario: Scenario, db: String?) throws -> ScenarioGraph.Path {
        let file = PostgresURL.redact(RunEnvironment.databasePath(db))
        guard let database = try StoreAccess.openForReading(RunEnvironment.databasePath(db)) else {
            MatchCommand.fail("There is no attempts database at \(file), so no attempt #\(id); pass --db PATH.",
                              code: MatchCommand.usageExit)
        }
        guard let record = try database.attempt(id: id) else {
            MatchCommand.fail("There is no attempt #\(id) in \(file); see `supportsim report` for the attempts.",
                              code: MatchCommand.usageExit)
        }
        guard record.scenarioID == scenario.id else {
            MatchCommand.fail("""
                Attempt #\(id) was played on scenario \(record.scenarioID), not \(scenario.id); \
                run `supportsim graph \(record.scenarioID) --attempt \(id)`.
                """, code: MatchCommand.usageExit)
        }
        let stored = try database.path(attemptID: id)
        guard let nodes = stored?.nodes else {
            MatchCommand.fail("""
                Attempt #\(id) was stored by an older SupportSim that did not record the path, so it cannot be drawn.
                """, code: MatchCommand.usageExit)
        }
        let standing = try database.turns(attemptID: id).filter { !$0.retracted }.map(\.turn)
        return ScenarioGraph.Path(nodes: nodes.isEmpty ? [scenario.start] : nodes, ending: record.ending?.known,
                                  attemptID: id, via: [nil] + ScenarioGraph.Path.moves(in: scenario, turns: standing))
    }
}

extension GraphFormat: ExpressibleByArgument {}
