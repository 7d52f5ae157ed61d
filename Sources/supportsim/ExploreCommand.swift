import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimLexicons
import SupportSimReport

/// `supportsim explore`: random playthroughs of a scenario that report what was never reached,
/// runs that go round without end, and engine errors.
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Play a scenario many times at random and report what was never reached, loops and engine errors.",
        discussion: """
        Each run plays the scenario through the engine with random inputs: the current node's \
        samples, counter-samples and harmful samples, numbered choices, commands (/escalate with \
        accepted and wrong targets, /close, /kb, /hint, /quit) and generated off-script replies. \
        The report names every node, intent, harmful rule and ending never reached (with file:line \
        where known), saying whether the graph cannot reach it at all or the runs just missed it; \
        runs that reach --max-turns inputs without an ending; and engine errors. --run N shows \
        every input of one run (to reproduce a loop or an error). Replies are read by \
        the rules alone (no meaning model). The same seed gives the same report. See docs/exploration.md.
        Exit codes: 0 full coverage; 1 something was never reached, a run looped or the engine \
        failed; 2 the scenario file cannot be read or has errors; 64 wrong options.
        """
    )

    @Argument(help: "The path to a scenario file, or a scenario id (see `supportsim list`).")
    var file: String

    @Option(name: .long, help: "How many random runs to play.")
    var runs = 1000

    @Option(name: .long, help: "The seed of the random runs (the same seed gives the same report).")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Output format: text or json.")
    var format: ExploreFormat = .text

    @Option(name: .customLong("max-turns"), help: "Inputs a run may play before it counts as a loop.")
    var maxTurns = 200

    @Option(name: .customLong("run"), help: "Play only run N (as the exploration with this seed plays it) and show all its inputs, its path and how it ended.")
    var onlyRun: Int?

    @Option(name: .long, help: "The scenario folder for an id (default: $SUPPORTSIM_SCENARIOS or ./Scenarios).")
    var scenarios: String?

    @Option(name: .long, help: "Language of the report: en or ru (default: from the locale).")
    var lang: Language?

    enum ExploreFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    static let badFileExit: Int32 = 2

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard maxTurns >= 1 else { throw ValidationError("--max-turns must be at least 1") }
        if let onlyRun, onlyRun < 1 { throw ValidationError("--run must be at least 1") }
    }

    func run() throws {
        let loaded: ScenarioLibrary.Loaded
        do {
            loaded = try ScenarioLibrary.resolve(scenarios).find(file)
        } catch let error as UserError {
            MatchCommand.fail(error.description, code: Self.badFileExit)
        } catch {
            MatchCommand.fail(TerminalText.sanitize("\(file): \(error)"), code: Self.badFileExit)
        }
        let cwd = FileManager.default.currentDirectoryPath + "/"
        let shown = loaded.url.path.hasPrefix(cwd) ? String(loaded.url.path.dropFirst(cwd.count)) : loaded.url.path
        guard let scenario = loaded.result.scenario else {
            printDiagnostics(loaded.result.diagnostics, file: shown, source: loaded.source)
            MatchCommand.fail("The scenario has errors; fix them (see `supportsim lint \(shown)`).", code: Self.badFileExit)
        }
        let explorer = ScenarioExplorer(scenario: scenario, analyzer: BundledLexicons.analyzer)
        let language = RunEnvironment.interfaceLanguage(lang, fallback: .en)
        if let onlyRun {
            let played = explorer.play(number: onlyRun, options: .init(runs: runs, seed: seed, maxTurns: maxTurns))
            let view = ExploreRunView(run: played, scenarioID: scenario.id, seed: seed, language: language)
            switch format {
            case .text: print(view.text(), terminator: "")
            case .json: print(try view.json())
            }
            if played.error != nil || played.isLoop { throw ExitCode(1) }
            return
        }
        let result = explorer.explore(.init(runs: runs, seed: seed, maxTurns: maxTurns))
            .located(ExploreLocations(source: loaded.source))
        let report = ExploreReport(result: result, file: shown, language: language)
        switch format {
        case .text: print(report.text(), terminator: "")
        case .json: print(try report.json())
        }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
