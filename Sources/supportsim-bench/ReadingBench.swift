import Foundation
import SupportSimCore
import SupportSimEmbeddings
import SupportSimEval
import SupportSimLexicons

/// The "reading" section of the benchmark: how fast replies are read against the shipped
/// scenarios (issue 7's speed targets).
///
/// - Rules-only throughput: `ReadReply` + `ReplyReader.read` + the critical rules, for every reply
///   of a fixed set at every node (with intents or harmful rules) of every scenario in the folder.
/// - Latency per reply through the engine (one turn on a copy of an engine placed at the node),
///   with meaning-based matching when a model is passed in.
/// - Time to the first prompt: read and parse the scenario file, start the engine, and (with a
///   model) build the meaning index of the start node.
enum ReadingBench {
    /// Anchor targets, printed beside the figures.
    static let targetRulesPerSecond = 20_000.0
    static let targetP99Seconds = 0.100
    static let targetFirstPromptSeconds = 1.0

    /// The sentence-embedding model for the latency figures, or nil for rules alone: samples come
    /// from the disk cache (as in a session), but every reply is embedded for real, so the turn
    /// latency includes the embedding.
    static func sentenceEmbedder() -> (any SentenceEmbedder)? {
        (try? MeaningModel.load().get()).map(UncachedReplies.init)
    }

    /// Samples (embedded in batches) through the cache; single replies straight through the model.
    struct UncachedReplies: SentenceEmbedder {
        let cached: CachingEmbedder
        var modelID: String { cached.modelID }
        var dimension: Int { cached.dimension }
        func embed(_ text: String) -> [Float]? { cached.base.embed(text) }
        func embed(batch texts: [String]) -> [[Float]?] { cached.embed(batch: texts) }
    }

    /// The replies read at every node: the built-in replies of both languages (so every scenario
    /// also gets replies in the other language) and replies with several steps, negation and conditions.
    static let replies: [String] = BuiltInReplies.english + BuiltInReplies.russian + [
        "cancel all three jobs, then switch the printer off and on",
        "Please don't switch the printer off",
        "I'll reset it as soon as Mark himself confirms",
        "I'm afraid there's no other printer you can use",
        "ok restart ur laptop and send it again",
        "Сохраните всё открытое и перезагрузите ноутбук",
        "Точное время обещать не могу, но я прослежу",
        "Разделитель поставьте «запятая», кодировку — UTF-8",
        "Скиньте мне файл в чат, я его сам загружу",
        "1) откройте очередь печати 2) отмените все задания 3) выключите и включите принтер",
    ]

    static func measure(folder: String, passes: Int, notes: inout [String]) -> ReadingResult? {
        let embedder = sentenceEmbedder()
        if embedder == nil { notes.append("reading: no sentence-embedding model; latency and first prompt are rules only") }
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: folder)
                .filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.contains(".transcript.") }.sorted()
                .map { (folder as NSString).appendingPathComponent($0) }
        } catch {
            notes.append("reading section skipped: cannot list the scenario folder \(folder) (pass --scenarios DIR)")
            return nil
        }
        let clock = ContinuousClock()
        var scenarios: [Scenario] = []
        var firstPrompt: [FirstPrompt] = []
        for path in files {
            // Time to the first prompt: file, parse, engine, opening line, meaning index of the start node.
            let start = clock.now
            guard let data = FileManager.default.contents(atPath: path),
                  let scenario = ScenarioParser.parse(bytes: data).1.scenario else {
                notes.append("reading: \(path) skipped (it has errors)")
                continue
            }
            let meaning = embedder.map { MeaningIndex(scenario: scenario, embedder: $0) }
            var engine = Engine(scenario: scenario, seed: 1, analyzer: BundledLexicons.analyzer, meaning: meaning)
            let opening = engine.start()
            if let meaning, let node = engine.node { _ = meaning.targets(for: node) }
            firstPrompt.append(FirstPrompt(scenario: scenario.id, seconds: (clock.now - start).seconds))
            blackHole(Double(opening.count))
            scenarios.append(scenario)
        }
        guard !scenarios.isEmpty else {
            notes.append("reading section skipped: no scenario in \(folder) could be read")
            return nil
        }

        // Rules-only throughput: a warm-up pass compiles every node's rules, then `passes` timed passes.
        let work: [(ReplyReader, [Node])] = scenarios.map { s in
            (ReplyReader(scenario: s), s.nodes.filter { !$0.expect.isEmpty || !$0.harmful.isEmpty })
        }
        let nodes = work.reduce(0) { $0 + $1.1.count }
        var sink = 0
        func pass() {
            for (reader, nodes) in work {
                for node in nodes {
                    for reply in replies {
                        let read = ReadReply(reply)
                        sink &+= reader.read(read, at: node).credited.count &+ reader.critical(read).count
                    }
                }
            }
        }
        pass()
        let start = clock.now
        for _ in 0..<passes { pass() }
        let rulesSeconds = (clock.now - start).seconds
        let reads = nodes * replies.count * passes

        // Latency per reply through the engine: one turn on a fresh copy placed at the node.
        let engines = scenarios.map { s in
            Engine(scenario: s, seed: 1, analyzer: BundledLexicons.analyzer, mode: .exam,
                   meaning: embedder.map { MeaningIndex(scenario: s, embedder: $0) })
        }
        var latencies: [Double] = []
        for (engine, (_, nodes)) in zip(engines, work) {
            for node in nodes {
                for (i, reply) in replies.enumerated() {
                    var copy = engine
                    copy.position(at: node.id)
                    let t0 = clock.now
                    sink &+= copy.handle(.reply(reply)).count
                    // The first reply at a node also builds its meaning index: left out (done at session start).
                    if i > 0 || embedder == nil { latencies.append((clock.now - t0).seconds) }
                }
            }
        }
        blackHole(Double(sink))
        let sorted = latencies.sorted()
        return ReadingResult(
            scenarios: scenarios.count, nodes: nodes, repliesPerNode: replies.count,
            rulesRepliesPerSecond: rulesSeconds > 0 ? Double(reads) / rulesSeconds : 0,
            meaning: embedder != nil, model: embedder?.modelID,
            turns: sorted.count,
            p50Seconds: Metrics.percentile(sorted: sorted, 50) ?? 0,
            p95Seconds: Metrics.percentile(sorted: sorted, 95) ?? 0,
            p99Seconds: Metrics.percentile(sorted: sorted, 99) ?? 0,
            maxSeconds: sorted.last ?? 0,
            firstPrompt: firstPrompt)
    }
}

struct FirstPrompt: Encodable {
    var scenario: String
    var seconds: Double
}

struct ReadingResult: Encodable {
    var scenarios: Int
    var nodes: Int
    var repliesPerNode: Int
    var rulesRepliesPerSecond: Double
    var meaning: Bool
    var model: String?
    var turns: Int
    var p50Seconds: Double
    var p95Seconds: Double
    var p99Seconds: Double
    var maxSeconds: Double
    var firstPrompt: [FirstPrompt]

    enum CodingKeys: String, CodingKey {
        case scenarios, nodes, repliesPerNode = "replies_per_node", rulesRepliesPerSecond = "rules_replies_per_second"
        case meaning, model, turns, p50Seconds = "turn_p50_seconds", p95Seconds = "turn_p95_seconds"
        case p99Seconds = "turn_p99_seconds", maxSeconds = "turn_max_seconds", firstPrompt = "first_prompt"
        case targets
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(scenarios, forKey: .scenarios); try c.encode(nodes, forKey: .nodes)
        try c.encode(repliesPerNode, forKey: .repliesPerNode); try c.encode(rulesRepliesPerSecond, forKey: .rulesRepliesPerSecond)
        try c.encode(meaning, forKey: .meaning); try c.encode(model, forKey: .model); try c.encode(turns, forKey: .turns)
        try c.encode(p50Seconds, forKey: .p50Seconds); try c.encode(p95Seconds, forKey: .p95Seconds)
        try c.encode(p99Seconds, forKey: .p99Seconds); try c.encode(maxSeconds, forKey: .maxSeconds)
        try c.encode(firstPrompt, forKey: .firstPrompt)
        try c.encode([
            "rules_replies_per_second_min": ReadingBench.targetRulesPerSecond,
            "turn_p99_seconds_max": ReadingBench.targetP99Seconds,
            "first_prompt_seconds_max": ReadingBench.targetFirstPromptSeconds,
        ], forKey: .targets)
    }

    func rendered() -> String {
        var out: [String] = []
        out.append("Reading replies (\(scenarios) scenarios, \(nodes) nodes, \(repliesPerNode) replies at each node; "
                   + (meaning ? "meaning on: \(TerminalText.sanitize(model ?? "", keepNewlines: false))" : "meaning off: no model") + ")")
        var table = TextTable(["figure", "value", "target"], leftAligned: true)
        table.add(["rules-only reading (ReadReply + ReplyReader)", Format.grouped(rulesRepliesPerSecond) + " replies/s",
                   "> \(Format.grouped(ReadingBench.targetRulesPerSecond)) replies/s"])
        let through = meaning ? "engine turn with meaning" : "engine turn, rules only"
        table.add(["\(through): p50 / p95 / p99 (\(turns) turns)",
                   "\(Format.latency(p50Seconds)) / \(Format.latency(p95Seconds)) / \(Format.latency(p99Seconds))",
                   "p99 <= 100 ms (with meaning)"])
        table.add(["  max", Format.latency(maxSeconds), ""])
        let worst = firstPrompt.max { $0.seconds < $1.seconds }
        table.add(["time to first prompt (slowest scenario)",
                   worst.map { "\(Format.latency($0.seconds)) (\($0.scenario))" } ?? "-",
                   "<= 1 s (with the model loaded)"])
        for f in firstPrompt { table.add(["  \(f.scenario)", Format.latency(f.seconds), ""]) }
        out.append(table.render())
        return out.joined(separator: "\n")
    }
}
