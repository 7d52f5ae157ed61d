import Foundation
import SupportSimCore

/// `supportsim explore` results as text (English or Russian) or JSON. Pure: the result in, text out.
/// Everything from the scenario or the generated inputs is made safe for a terminal here.
public struct ExploreReport: Sendable {
    public let result: ExploreResult
    /// The scenario file as the user named it (for `file:line:col`).
    public let file: String
    public let language: Language

    public init(result: ExploreResult, file: String, language: Language = .en) {
        self.result = result; self.file = file; self.language = language
    }

    /// 0 full coverage; 1 something never reached, a loop or an engine error.
    public var exitCode: Int32 { result.isComplete ? 0 : 1 }

    // MARK: Text

    public func text() -> String {
        let w = ExploreWords(language)
        let r = result
        var out: [String] = []
        out.append(w.header(r.scenarioID, runs: r.runs, seed: r.seed, maxTurns: r.maxTurns, turns: r.turns))
        out.append("")
        section(&out, w.nodes, r.nodes, w)
        section(&out, w.intents, r.intents, w)
        if !r.harmful.isEmpty { section(&out, w.harmful, r.harmful, w) }
        section(&out, w.endings, r.endings.filter { $0.reachable || $0.hits > 0 }, w, listAll: true)
        let impossible = r.endings.filter { !$0.reachable && $0.hits == 0 }
        if !impossible.isEmpty {
            out.append("  " + w.impossibleEndings + ": " + impossible.map { w.ending($0.id) }.joined(separator: ", "))
        }
        out.append("")
        if r.loopRuns == 0 {
            out.append(w.loops + ": " + w.none)
        } else {
            out.append(w.loops + ": " + w.loopRuns(r.loopRuns, maxTurns: r.maxTurns))
            for issue in r.loops { out += lines(issue, w) }
            if r.loopRuns > r.loops.count { out.append("  " + w.more(r.loopRuns - r.loops.count)) }
        }
        if r.errorRuns == 0 {
            out.append(w.errors + ": " + w.none)
        } else {
            out.append(w.errors + ": " + w.errorRuns(r.errorRuns))
            for issue in r.errors { out += lines(issue, w, message: true) }
            if r.errorRuns > r.errors.count { out.append("  " + w.more(r.errorRuns - r.errors.count)) }
        }
        out.append("")
        let missed = r.missed
        if r.isComplete {
            out.append(w.complete)
        } else {
            out.append(w.incomplete(unreachable: missed.filter { !$0.reachable }.count,
                                    neverHit: missed.filter(\.reachable).count, loops: r.loopRuns, errors: r.errorRuns))
        }
        return TerminalText.sanitize(out.joined(separator: "\n") + "\n")
    }

    private func section(_ out: inout [String], _ title: String, _ items: [ExploreCoverage], _ w: ExploreWords,
                         listAll: Bool = false) {
        let hit = items.filter { $0.hits > 0 }.count
        out.append("\(title): " + w.reached(hit, of: items.count))
        if listAll {
            let counts = items.map { "\(w.ending($0.id)) \(ExploreNumber.count($0.hits))" }
            if !counts.isEmpty { out.append("  " + counts.joined(separator: ", ")) }
        }
        for item in items where item.hits == 0 {
            var line = "  ✗ "
            if let at = item.at { line += "\(file):\(at.line):\(at.column): " }
            line += w.item(item) + " — " + (item.reachable ? w.neverHit(result.runs) : w.unreachable)
            out.append(line)
        }
    }

    private func lines(_ issue: ExploreIssue, _ w: ExploreWords, message: Bool = false) -> [String] {
        var out = ["  " + w.run(issue.run, seed: issue.runSeed, turn: issue.turn) + (message ? ": " + issue.message : "")]
        if !issue.path.isEmpty { out.append("    " + w.lastNodes + ": " + issue.path.joined(separator: " → ")) }
        if !issue.inputs.isEmpty {
            out.append("    " + w.lastInputs + ": " + issue.inputs.map { "\"" + Self.clip($0) + "\"" }.joined(separator: ", "))
        }
        return out
    }

    static func clip(_ text: String, _ limit: Int = 60) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= limit ? flat : String(flat.prefix(limit - 1)) + "…"
    }

    // MARK: JSON

    /// One JSON object: the result's fields, the file, `complete`, and `meaning: "off"` (replies are
    /// read by the rules alone). Control characters in texts are written as `\u00XX` escapes.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        let data = try encoder.encode(result)
        guard var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return "{}" }
        object["file"] = file
        object["complete"] = result.isComplete
        object["meaning"] = "off"
        let out = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return TerminalText.jsonEscapingControls(String(decoding: out, as: UTF8.self))
    }
}

/// One run of an exploration (`supportsim explore --run N`): every input, the path and the end.
public struct ExploreRunView: Sendable {
    public let run: ScenarioExplorer.Run
    public let scenarioID: String
    public let seed: UInt64
    public let language: Language

    public init(run: ScenarioExplorer.Run, scenarioID: String, seed: UInt64, language: Language = .en) {
        self.run = run; self.scenarioID = scenarioID; self.seed = seed; self.language = language
    }

    public func text() -> String {
        let ru = language == .ru
        let graph = GraphWords(language)
        let end: String
        if let error = run.error {
            end = (ru ? "ошибка движка на вводе \(run.errorTurn ?? 0): " : "engine error at input \(run.errorTurn ?? 0): ") + error
        } else if let ending = run.ending {
            end = (ru ? "исход: " : "ending: ") + graph.ending(ending)
        } else {
            end = ru ? "без исхода" : "no ending"
        }
        var out = [ru ? "Прогон \(run.number) сценария \(scenarioID) (seed \(seed), seed прогона \(run.seed)): вводов \(run.inputs.count), \(end)"
                      : "Run \(run.number) of \(scenarioID) (seed \(seed), run seed \(run.seed)): \(run.inputs.count) inputs, \(end)"]
        out.append((ru ? "Путь: " : "Path: ") + ScenarioExplorer.squeezed(run.path).joined(separator: " → "))
        out.append(ru ? "Вводы:" : "Inputs:")
        for (i, input) in run.inputs.enumerated() {
            out.append(String(format: "%4d. ", i + 1) + "\"" + input.replacingOccurrences(of: "\n", with: " ") + "\"")
        }
        return TerminalText.sanitize(out.joined(separator: "\n") + "\n")
    }

    public func json() throws -> String {
        var object: [String: Any] = [
            "scenario": scenarioID, "seed": seed, "run": run.number, "run_seed": run.seed, "inputs": run.inputs,
            "path": run.path, "ending": run.ending?.rawValue ?? NSNull(), "error": run.error ?? NSNull(),
        ]
        object["error_turn"] = run.errorTurn ?? NSNull()
        let out = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return TerminalText.jsonEscapingControls(String(decoding: out, as: UTF8.self))
    }
}

/// Small number formatting shared by the explore text.
private enum ExploreNumber {
    static func count(_ n: Int) -> String {
        let s = String(n)
        guard n >= 10_000 else { return s }
        var out = ""
        for (i, c) in s.reversed().enumerated() {
            if i > 0, i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }
}

/// The words of `supportsim explore` in English and Russian.
struct ExploreWords: Sendable {
    let language: Language
    private let graph: GraphWords
    init(_ language: Language) { self.language = language; graph = GraphWords(language) }
    private func t(_ en: String, _ ru: String) -> String { language == .ru ? ru : en }
    private var ru: Bool { language == .ru }

    func runsWord(_ n: Int) -> String {
        ru ? Plural.russian(n, one: "прогон", few: "прогона", many: "прогонов") : Plural.english(n, one: "run", other: "runs")
    }

    func header(_ id: String, runs: Int, seed: UInt64, maxTurns: Int, turns: Int) -> String {
        ru ? "Исследование \(id): \(runs) \(runsWord(runs)), seed \(seed), не больше \(maxTurns) "
                + Plural.russian(maxTurns, one: "ввода", few: "вводов", many: "вводов") + " за прогон (всего вводов: \(turns)); "
                + "ответы читаются только правилами"
           : "Exploring \(id): \(runs) \(runsWord(runs)), seed \(seed), at most \(maxTurns) inputs a run "
                + "(\(turns) inputs in all); replies read by the rules alone"
    }

    var nodes: String { t("Nodes", "Узлы") }
    var intents: String { t("Intents", "Шаги (intents)") }
    var harmful: String { t("Harmful rules", "Вредные ответы") }
    var endings: String { t("Endings", "Исходы") }
    var loops: String { t("Loops", "Зацикливания") }
    var errors: String { t("Engine errors", "Ошибки движка") }
    var none: String { t("none", "нет") }
    var lastNodes: String { t("last nodes", "последние узлы") }
    var lastInputs: String { t("last inputs", "последние вводы") }
    var unreachable: String { t("unreachable in the graph", "недостижим в графе") }
    var impossibleEndings: String { t("impossible in this scenario", "невозможны в этом сценарии") }
    var complete: String { t("Full coverage: every node, intent, harmful rule and ending was reached; no loops, no engine errors.",
                             "Полное покрытие: достигнуты все узлы, шаги, вредные ответы и исходы; зацикливаний и ошибок движка нет.") }

    func reached(_ hit: Int, of total: Int) -> String { ru ? "достигнуто \(hit) из \(total)" : "\(hit) of \(total) reached" }

    func neverHit(_ runs: Int) -> String {
        ru ? "достижим, но не встретился за \(runs) \(runsWord(runs))" : "reachable but never hit in \(runs) \(runsWord(runs))"
    }

    func ending(_ id: String) -> String { EndingKind(rawValue: id).map(graph.ending) ?? id }

    func item(_ c: ExploreCoverage) -> String {
        switch c.kind {
        case .node:
            let end = c.node.flatMap(EndingKind.init(rawValue:)).map { " (end: \(graph.ending($0)))" } ?? ""
            return t("node", "узел") + " '\(c.id)'" + end
        case .intent: return t("intent", "шаг") + " '\(c.id)' " + t("at node", "в узле") + " '\(c.node ?? "?")'"
        case .harmful: return t("harmful rule", "вредный ответ") + " '\(c.id)' " + t("at node", "в узле") + " '\(c.node ?? "?")'"
        case .ending: return t("ending", "исход") + " " + ending(c.id)
        }
    }

    func loopRuns(_ n: Int, maxTurns: Int) -> String {
        ru ? "\(n) \(runsWord(n)) без исхода после \(maxTurns) вводов"
           : "\(n) \(runsWord(n)) reached \(maxTurns) inputs without an ending"
    }

    func errorRuns(_ n: Int) -> String {
        ru ? "\(n) \(runsWord(n)) с ошибкой" : "\(n) \(runsWord(n)) broke an engine promise"
    }

    func run(_ n: Int, seed: UInt64, turn: Int) -> String {
        ru ? "прогон \(n) (seed \(seed)), ввод \(turn)" : "run \(n) (seed \(seed)), input \(turn)"
    }

    func more(_ n: Int) -> String { ru ? "… и ещё \(n)" : "… and \(n) more" }

    func incomplete(unreachable: Int, neverHit: Int, loops: Int, errors: Int) -> String {
        var parts: [String] = []
        if unreachable > 0 { parts.append(ru ? "недостижимо в графе: \(unreachable)" : "\(unreachable) unreachable in the graph") }
        if neverHit > 0 { parts.append(ru ? "достижимо, но не встретилось: \(neverHit)" : "\(neverHit) reachable but never hit") }
        if loops > 0 { parts.append(ru ? "зацикливаний: \(loops)" : "\(loops) looping \(runsWord(loops))") }
        if errors > 0 { parts.append(ru ? "ошибок движка: \(errors)" : "\(errors) engine \(errors == 1 ? "error" : "errors")") }
        return (ru ? "Покрытие неполное: " : "Coverage not complete: ") + parts.joined(separator: "; ") + "."
    }
}
