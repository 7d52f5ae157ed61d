import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimEmbeddings
import SupportSimEval
import SupportSimLexicons

/// `supportsim-eval intents`: how well the engine reads labelled replies (see docs/scoring.md).
struct IntentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intents",
        abstract: "Recall, false credit, harmful recall and wrong intents on labelled replies (TSV).",
        discussion: """
        FILE has a header with the columns scenario, node, reply and expected (others are ignored). \
        expected is intent ids joined by +, harmful:<id> (a harmful rule of the node or a critical \
        rule of the scenario), a combination of both joined by +, or none. Each reply is played once \
        by a fresh engine (seed 1, exam mode) placed at its node; intents credited at later nodes in \
        the same turn (steps given in advance) count.
        Exit codes: 0 figures printed; 64 usage error; 65 the file or a scenario it names has errors \
        (each reported with its line); 66 the file cannot be read; 69 --meaning on without a model.
        """
    )

    @Argument(help: "The labelled replies: a tab-separated file with a header row.")
    var file: String

    @Flag(help: "Print one JSON object instead of tables.")
    var json = false

    @Option(help: "The scenario folder (default: $SUPPORTSIM_SCENARIOS or ./Scenarios).")
    var scenarios: String?

    @Option(help: "Meaning-based matching: on or off (default: on when a model is available).")
    var meaning: Switch?

    enum Switch: String, ExpressibleByArgument, CaseIterable { case on, off }

    /// How many misses the table shows (JSON has all of them).
    static let missesShown = 40

    /// The sentence-embedding model (with its disk cache), or why there is none.
    static func sentenceEmbedder() -> Result<any SentenceEmbedder, ModelUnavailable> {
        switch MeaningModel.load() {
        case .success(let model): .success(model)
        case .failure(let why): .failure(ModelUnavailable(reason: why.message(.en)))
        }
    }

    struct ModelUnavailable: Error { let reason: String }

    func run() throws {
        let folder = scenarios ?? ProcessInfo.processInfo.environment["SUPPORTSIM_SCENARIOS"] ?? "Scenarios"
        let rows = try Self.readRows(file)
        let library = try Self.loadScenarios(folder: folder, needed: Set(rows.map(\.scenario)))
        let problems = rows.compactMap { row in row.problem(in: library).map { "\(file):\(row.line): \($0)" } }
        guard problems.isEmpty else { Self.fail(problems, code: 65) }

        var embedder: (any SentenceEmbedder)?
        switch (meaning, Self.sentenceEmbedder()) {
        case (.off, _): break
        case (_, .success(let model)): embedder = model
        case (.on, .failure(let why)):
            Self.fail(["--meaning on: meaning-based matching is not available (\(why.reason))."], code: 69)
        case (nil, .failure(let why)):
            FileHandle.standardError.write(Data("note: meaning-based matching is off (\(why.reason)); rules only.\n".utf8))
        }
        let player = IntentPlayer(scenarios: Array(library.values), analyzer: BundledLexicons.analyzer) { scenario in
            embedder.map { MeaningIndex(scenario: scenario, embedder: $0) }
        }
        let report = evaluateIntents(rows, player: player, meaning: embedder != nil)
        if json {
            print(jsonString(report))
        } else {
            print(render(report, model: embedder?.modelID))
        }
    }

    /// Prints every problem to standard error and exits with `code`.
    static func fail(_ problems: [String], code: Int32) -> Never {
        let text = problems.map { "error: " + TerminalText.sanitize($0, keepNewlines: false) }.joined(separator: "\n")
        FileHandle.standardError.write(Data((text + "\n").utf8))
        Foundation.exit(code)
    }

    /// The rows of the file; format errors and malformed labels stop here (all of them reported).
    static func readRows(_ path: String) throws -> [IntentCase] {
        let reader: DelimitedReader
        do { reader = try DelimitedReader(path: path, delimiter: .tab) } catch let error as DelimitedFileError {
            switch error {
            case .fileNotFound, .unreadable: fail(["\(error)"], code: 66)
            default: fail(["\(path): \(error)"], code: 65)
            }
        }
        var rows: [IntentCase] = []
        var problems: [String] = []
        do {
            let columns = try ["scenario", "node", "reply", "expected"].map { try reader.column(named: $0) }
            while let r = try reader.next() {
                let cell = { (i: Int) in r[columns[i]].trimmingCharacters(in: .whitespaces) }
                switch IntentLabel.parse(cell(3)) {
                case .success(let label):
                    rows.append(IntentCase(line: reader.rowLine, scenario: cell(0), node: cell(1),
                                           reply: r[columns[2]], expected: label))
                case .failure(let error):
                    problems.append("\(path):\(reader.rowLine): \(error)")
                }
            }
        } catch {
            problems.append("\(path): \(error)")
        }
        if !problems.isEmpty { fail(problems, code: 65) }
        if rows.isEmpty { fail(["\(path): the file has no data rows"], code: 65) }
        return rows
    }

    /// The scenarios of the folder by id. A file with errors stops the run only when a row names its scenario.
    static func loadScenarios(folder: String, needed: Set<String>) throws -> [String: Scenario] {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            fail(["the scenario folder \(folder) does not exist; run from the project folder or pass --scenarios DIR"], code: 64)
        }
        let names = try fm.contentsOfDirectory(atPath: folder)
            .filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.contains(".transcript.") }.sorted()
        var library: [String: Scenario] = [:]
        var problems: [String] = []
        for name in names {
            let path = (folder as NSString).appendingPathComponent(name)
            guard let data = fm.contents(atPath: path) else { continue }
            // `include:` is read from the scenario's own folder, as lint and play read it.
            let (_, result) = ScenarioParser.parse(bytes: data, includes: FileIncludeResolver(scenario: URL(fileURLWithPath: path)))
            if let scenario = result.scenario {
                library[scenario.id] = scenario
            } else {
                let id = ((name as NSString).deletingPathExtension)
                if needed.contains(id) {
                    let errors = result.diagnostics.filter { $0.severity == .error }.count
                    problems.append("\(path): the scenario has \(errors) error(s); see `supportsim lint \(path)`")
                }
            }
        }
        if !problems.isEmpty { fail(problems, code: 65) }
        return library
    }

    private func render(_ report: IntentReport, model: String?) -> String {
        var out: [String] = []
        let mode = model.map { "meaning on (\($0))" } ?? "meaning off: rules only"
        out.append(TerminalText.sanitize("Intent evaluation: \(file) (\(report.all.n) rows, \(mode))", keepNewlines: false))
        out.append("")
        var table = TextTable(["figure", "value", "counts", "target"], leftAligned: true)
        let t = report.all.tally
        table.add(["n", "\(report.all.n)", "", ""])
        table.add(["recall", Format.percent(report.all.recall), "\(t.expectedCredited)/\(t.expectedIntents) intents", ">= 95%"])
        table.add(["false credit", Format.percent(report.all.falseCredit), "\(t.falseCreditRows)/\(t.noIntentRows) rows", "<= 3%"])
        table.add(["harmful recall", Format.percent(report.all.harmfulRecall), "\(t.harmfulCaught)/\(t.harmfulRows) rows", ">= 95%"])
        table.add(["wrong intent", Format.percent(report.all.wrongIntent), "\(t.wrongIntents)/\(t.creditedIntents) credited", "<= 3%"])
        table.add(["replies/s (1 thread)", Format.grouped(report.repliesPerSecond), "", ""])
        out.append(table.render())
        out.append("")
        var per = TextTable(["scenario", "n", "recall", "false credit", "harmful recall", "wrong intent"])
        for s in report.scenarios {
            per.add([TerminalText.sanitize(s.scenario ?? "", keepNewlines: false), "\(s.n)", Format.percent(s.recall),
                     Format.percent(s.falseCredit), Format.percent(s.harmfulRecall), Format.percent(s.wrongIntent)])
        }
        out.append(per.render())
        out.append("")
        let shown = report.misses.prefix(Self.missesShown)
        out.append("Misses: \(report.misses.count)" + (report.misses.count > shown.count ? " (first \(shown.count); --json lists all)" : ""))
        for m in shown {
            let safe = { (s: String) in TerminalText.sanitize(s, keepNewlines: false) }
            out.append("  line \(m.line)  \(safe(m.scenario)) @ \(safe(m.node))")
            out.append("    expected \(safe(m.expected)), got \(safe(m.got))")
            out.append("    \"\(DisplayWidth.truncate(safe(m.reply), to: 72))\"")
        }
        return out.joined(separator: "\n")
    }
}
