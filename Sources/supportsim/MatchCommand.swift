import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimLexicons
import SupportSimREPL

/// `supportsim match`: how one reply is read at one node, for scenario authors and trainers.
struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Show how a reply is read at a node: steps credited, harmful rules, clauses, negation, key facts.",
        discussion: """
        The reply is played once, in exam mode, by an engine placed at NODE, so steps given in \
        advance for the next nodes are credited as a session would credit them. --explain adds the \
        reading of every intent and harmful rule of the node: the phrases found, the clause each is \
        in, the negation, condition or safeguard that covers it, key facts with their values, and \
        the closest sample by meaning with its similarity and threshold (when the model is loaded).
        Exit codes: 0 the reply was read; 64 usage error (unknown scenario or node); 65 the \
        scenario file has errors.
        """
    )

    @Argument(help: "A scenario id (see `supportsim list`) or the path to a scenario file.")
    var scenario: String

    @Option(name: .long, help: "The node where the reply is typed (a node id of the scenario).")
    var node: String

    @Argument(help: "The trainee's reply.")
    var reply: String

    @Flag(name: .long, help: "Explain the reading of every intent and harmful rule of the node.")
    var explain = false

    @Option(name: .long, help: "Output format: text or json.")
    var format: MatchFormat = .text

    @Option(name: .long, help: "The scenario folder (default: $SUPPORTSIM_SCENARIOS or ./Scenarios).")
    var scenarios: String?

    enum MatchFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    static let usageExit: Int32 = 64
    static let dataExit: Int32 = 65

    /// The sentence-embedding model for meaning-based matching, or nil for rules alone (after a
    /// one-line note on standard error saying why).
    static func sentenceEmbedder() -> (any SentenceEmbedder)? {
        MeaningSupport.embedder(language: .en)
    }

    func run() throws {
        let scenario: Scenario
        do {
            let loaded = try ScenarioLibrary.resolve(scenarios).find(self.scenario)
            guard let parsed = loaded.result.scenario else {
                printDiagnostics(loaded.result.diagnostics, file: loaded.url.path, source: loaded.source)
                Self.fail("The scenario has errors; fix them (see `supportsim lint \(loaded.url.path)`).", code: Self.dataExit)
            }
            scenario = parsed
        } catch let error as UserError {
            Self.fail(error.description, code: Self.usageExit)
        }
        guard let node = scenario.node(node) else {
            Self.fail(Self.unknownNode(node, in: scenario), code: Self.usageExit)
        }

        let text = ReplyText.clean(reply)
        guard !text.isEmpty else { Self.fail("The reply is empty.", code: Self.usageExit) }
        let embedder = Self.sentenceEmbedder()
        let meaning = embedder.map { MeaningIndex(scenario: scenario, embedder: $0) }
        var engine = Engine(scenario: scenario, seed: 1, analyzer: BundledLexicons.analyzer, mode: .exam, meaning: meaning)
        engine.position(at: node.id)
        guard let explanation = engine.explain(text) else { Self.fail("The reply cannot be read.", code: Self.usageExit) }
        let report = MatchReport(scenario: scenario, explanation: explanation, model: embedder?.modelID)

        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(report.json)
            print(TerminalText.jsonEscapingControls(String(decoding: data, as: UTF8.self)))
        case .text:
            print(report.text(explain: explain, width: 80))
        }
    }

    /// Prints "Error: …" and exits with `code` (the message quotes user input: sanitised).
    static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data(("Error: " + TerminalText.sanitize(message) + "\n").utf8))
        Foundation.exit(code)
    }

    /// "No node 'X'… Did you mean 'Y'?" with the node ids of the scenario.
    static func unknownNode(_ id: String, in scenario: Scenario) -> String {
        let ids = scenario.nodes.map(\.id)
        let closest = ids.min { editDistance(id.lowercased(), $0.lowercased()) < editDistance(id.lowercased(), $1.lowercased()) }
        var message = "Scenario \(scenario.id) has no node '\(id)'."
        if let closest { message += " Did you mean '\(closest)'?" }
        message += "\nNodes: \(ids.joined(separator: ", "))"
        return message
    }

    /// Levenshtein distance over characters.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// What `match` shows: the engine's events for the reply and the reading behind them (the text
/// is `ReplyExplanationView`'s, which `play --debug` shows for `:match` too).
struct MatchReport {
    let scenario: Scenario
    let explanation: ReplyExplanation
    /// The sentence-embedding model, nil when meaning-based matching is off.
    let model: String?

    var node: Node { explanation.node }
    var reply: String { explanation.reply }
    var reading: NodeReading { explanation.reading }
    var critical: [(CriticalRule, MatchEvidence)] { explanation.critical }
    var events: [EngineEvent] { explanation.events }
    var path: [String] { explanation.path }
    var moodBefore: Mood { explanation.moodBefore }
    var moodAfter: Mood { explanation.moodAfter }
    var creditedSteps: [(intent: String, node: String)] { explanation.creditedSteps }

    func text(explain: Bool, width: Int) -> String {
        ReplyExplanationView(scenario: scenario, explanation: explanation, model: model, strings: UIStrings(.en))
            .lines(explain: explain, width: width).joined(separator: "\n")
    }

    // MARK: JSON

    var json: MatchJSON {
        MatchJSON(
            scenario: scenario.id, node: node.id, reply: reply,
            meaning: .init(enabled: model != nil, model: model),
            credited: creditedSteps.map { .init(intent: $0.intent, node: $0.node) },
            harmful: events.compactMap { if case .harmful(let id, _, _, _) = $0 { id } else { nil } },
            critical: events.compactMap { if case .critical(let id, _, _) = $0 { id } else { nil } },
            path: path, moodBefore: moodBefore.name, moodAfter: moodAfter.name,
            customer: events.compactMap { if case .customerSays(let s) = $0 { s } else { nil } },
            clauses: reading.reply.clauses.enumerated().map { i, c in
                .init(index: i, step: c.step + 1, text: reading.reply.clauseText(i), negation: c.negation,
                      condition: c.isCondition, safeguard: c.safeguard, unused: reading.leftover.contains(i))
            },
            reading: .init(credited: reading.credited, moving: reading.moving, usedMeaning: reading.usedMeaning,
                           intents: reading.intents.map(MatchJSON.Rule.init), harmful: reading.harmful.map(MatchJSON.Rule.init),
                           critical: critical.map { .init(id: $0.0.id, phrases: $0.1.matched) }),
            events: events.map(MatchJSON.Event.init))
    }
}

/// The JSON form of `match` (keys are stable; absent values are null).
struct MatchJSON: Encodable {
    struct Meaning: Encodable { var enabled: Bool; var model: String? 
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(enabled, forKey: .enabled); try c.encode(model, forKey: .model)
        }
        enum CodingKeys: String, CodingKey { case enabled, model }
    }
    struct Step: Encodable { var intent: String; var node: String }
    struct Clause: Encodable {
        var index: Int, step: Int, text: String, negation: String?, condition: Bool, safeguard: String?, unused: Bool
        enum CodingKeys: String, CodingKey { case index, step, text, negation, condition, safeguard, unused }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(index, forKey: .index); try c.encode(step, forKey: .step); try c.encode(text, forKey: .text)
            try c.encode(negation, forKey: .negation); try c.encode(condition, forKey: .condition)
            try c.encode(safeguard, forKey: .safeguard); try c.encode(unused, forKey: .unused)
        }
    }
    struct Fact: Encodable {
        var fact: String, status: String, value: String?, feedback: String?
        enum CodingKeys: String, CodingKey { case fact, status, value, feedback }
        init(_ r: FactResult) {
            fact = r.fact
            switch r.status {
            case .accepted(let v): (status, value, feedback) = ("accepted", v, nil)
            case .wrong(let v, let f): (status, value, feedback) = ("wrong", v, f)
            case .missing(let f): (status, value, feedback) = ("missing", nil, f)
            case .absent: (status, value, feedback) = ("absent", nil, nil)
            }
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(fact, forKey: .fact); try c.encode(status, forKey: .status)
            try c.encode(value, forKey: .value); try c.encode(feedback, forKey: .feedback)
        }
    }
    struct Score: Encodable {
        var sample: String, similarity: Double, threshold: Double?, nearestMiss: String?
        enum CodingKeys: String, CodingKey { case sample, similarity, threshold, nearestMiss = "nearest_miss" }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(sample, forKey: .sample); try c.encode(similarity, forKey: .similarity)
            try c.encode(threshold, forKey: .threshold); try c.encode(nearestMiss, forKey: .nearestMiss)
        }
    }
    struct Rule: Encodable {
        var id: String, kind: String, fired: Bool, via: String?, phrases: [String], clauses: [Int]
        var negatedBy: String?, safeguard: String?, facts: [Fact], meaning: Score?, note: String?
        enum CodingKeys: String, CodingKey {
            case id, kind, fired, via, phrases, clauses, negatedBy = "negated_by", safeguard, facts, meaning, note
        }
        init(_ r: RuleReading) {
            id = r.id; kind = r.kind.rawValue; fired = r.fired; via = r.via?.rawValue; phrases = r.phrases
            clauses = r.clauses; negatedBy = r.negatedBy; safeguard = r.safeguard; facts = r.facts.map(Fact.init)
            meaning = r.meaning.map {
                Score(sample: $0.sample, similarity: Self.rounded($0.similarity), threshold: $0.threshold.map(Self.rounded),
                      nearestMiss: $0.nearestMiss)
            }
            note = r.note
        }
        static func rounded(_ f: Float) -> Double { (Double(f) * 10_000).rounded() / 10_000 }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id); try c.encode(kind, forKey: .kind); try c.encode(fired, forKey: .fired)
            try c.encode(via, forKey: .via); try c.encode(phrases, forKey: .phrases); try c.encode(clauses, forKey: .clauses)
            try c.encode(negatedBy, forKey: .negatedBy); try c.encode(safeguard, forKey: .safeguard)
            try c.encode(facts, forKey: .facts); try c.encode(meaning, forKey: .meaning); try c.encode(note, forKey: .note)
        }
    }
    struct Critical: Encodable { var id: String; var phrases: [String] }
    struct Reading: Encodable {
        var credited: [String], moving: String?, usedMeaning: Bool, intents: [Rule], harmful: [Rule], critical: [Critical]
        enum CodingKeys: String, CodingKey { case credited, moving, usedMeaning = "used_meaning", intents, harmful, critical }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(credited, forKey: .credited); try c.encode(moving, forKey: .moving)
            try c.encode(usedMeaning, forKey: .usedMeaning); try c.encode(intents, forKey: .intents)
            try c.encode(harmful, forKey: .harmful); try c.encode(critical, forKey: .critical)
        }
    }
    /// One engine event: `type` and the fields of that type.
    struct Event: Encodable {
        var type: String
        var fields: [String: String] = [:]
        var matched: [String]?
        init(_ e: EngineEvent) {
            switch e {
            case .customerSays(let s): type = "customer_says"; fields = ["text": s]
            case .intentMatched(let id, _, let points, _, let m):
                type = "intent_matched"; fields = ["intent": id, "points": "\(points)"]; matched = m
            case .harmful(let id, let penalty, let feedback, let m):
                type = "harmful"; fields = ["rule": id, "penalty": "\(penalty)", "feedback": feedback]; matched = m
            case .critical(let id, let reason, let m):
                type = "critical"; fields = ["rule": id, "reason": reason]; matched = m
            case .fallback(let node): type = "fallback"; fields = ["node": node]
            case .clarify(let node): type = "clarify"; fields = ["node": node]
            case .wrongFact(let intent, let fact, let value, let feedback):
                type = "wrong_fact"; fields = ["intent": intent, "fact": fact]
                if let value { fields["value"] = value }
                if let feedback { fields["feedback"] = feedback }
            case .politeness(let hits): type = "politeness"; matched = hits.map(\.strategy)
            case .moodChanged(let from, let to): type = "mood_changed"; fields = ["from": from.name, "to": to.name]
            case .demandsManager: type = "demands_manager"
            case .escalated(let target, _, _): type = "escalated"; fields = ["target": target]
            case .referred(let target, _, let accepted):
                type = "referred"; fields = ["target": target, "accepted": accepted ? "true" : "false"]
            case .closedEarly(let node): type = "closed_early"; fields = ["node": node]
            case .hint: type = "hint"
            case .noHint: type = "no_hint"
            case .kbResults: type = "kb_results"
            case .choices(let c): type = "choices"; matched = c
            case .rejected(let reason): type = "rejected"; fields = ["reason": reason]
            case .ended(let ending): type = "ended"; fields = ["ending": ending.rawValue]
            }
        }
        enum CodingKeys: String, CodingKey { case type, fields, matched }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(type, forKey: .type); try c.encode(fields, forKey: .fields)
            try c.encode(matched ?? [], forKey: .matched)
        }
    }

    var scenario: String, node: String, reply: String, meaning: Meaning, credited: [Step], harmful: [String]
    var critical: [String], path: [String], moodBefore: String, moodAfter: String, customer: [String]
    var clauses: [Clause], reading: Reading, events: [Event]

    enum CodingKeys: String, CodingKey {
        case scenario, node, reply, meaning, credited, harmful, critical, path
        case moodBefore = "mood_before", moodAfter = "mood_after", customer, clauses, reading, events
    }
}
