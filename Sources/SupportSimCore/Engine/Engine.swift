import Foundation

/// The conversation as an explicit state machine: an input goes in, events come out.
///
/// The engine never reads a clock or a global random source: the caller passes the elapsed time
/// with each input, and the seed fixes which variant lines are said. Replaying the same inputs
/// with the same seed gives the same events, which is how `resume` and golden transcripts work.
///
/// Every match rule is read with the scenario's vocabulary (`Scenario.matchingVocabulary`) and
/// compiled once per engine, the first time its node is played (`CompiledScenarioRules`).
/// Obscene language found by the politeness analysis (also disguised: «х*р», "f@ck") is a critical
/// error (rule `obscenity`) in every scenario.
public struct Engine: Sendable {
    public let scenario: Scenario
    public private(set) var transcript: Transcript
    /// The node the trainee is answering.
    public private(set) var nodeID: String
    public private(set) var mood: Mood
    /// Unhelpful or rude turns not yet made up for by good ones.
    public private(set) var strain: Int = 0
    public private(set) var matchedIntents: Set<String> = []
    public private(set) var hasDemandedManager = false
    private var replies = 0
    /// The index the next turn gets; it keeps growing when turns are taken back.
    private var nextIndex = 1
    private var rng: SeededRandom
    private let analyzer: PolitenessAnalyzer
    /// Compiled match rules, shared by copies of this engine.
    private let rules: CompiledScenarioRules

    /// The critical rule id for obscene language.
    public static let obscenityRule = "obscenity"

    public init(scenario: Scenario, seed: UInt64, analyzer: PolitenessAnalyzer) {
        self.scenario = scenario
        self.nodeID = scenario.start
        self.mood = scenario.persona.mood
        self.rng = SeededRandom(seed: seed)
        self.analyzer = analyzer
        self.rules = CompiledScenarioRules(scenario)
        self.transcript = Transcript(scenarioID: scenario.id, seed: seed, path: [scenario.start], finalMood: scenario.persona.mood)
    }

    public var isOver: Bool { transcript.ending != nil }
    public var node: Node? { scenario.node(nodeID) }

    /// The opening: the start node's customer line (and its menu, if any).
    public mutating func start() -> [EngineEvent] {
        var events: [EngineEvent] = []
        if let node { events += arrive(at: node, say: true) }
        transcript.opening = events
        return events
    }

    /// Plays one input. Inputs after the end are rejected and change nothing.
    @discardableResult
    public mutating func handle(_ input: TraineeInput, elapsed: Double = 0) -> [EngineEvent] {
        guard !isOver else { return [.rejected(reason: "the conversation has ended")] }
        guard let node else { return [.rejected(reason: "unknown node \(nodeID)")] }
        let moodBefore = mood
        let events: [EngineEvent]
        switch input {
        case .reply(let text):
            guard !text.allSatisfy(\.isWhitespace) else { return [.rejected(reason: "empty reply")] }
            events = reply(text, at: node, forced: nil)
        case .choice(let n):
            guard n >= 1, n <= node.choices.count else {
                return [.rejected(reason: node.choices.isEmpty ? "no numbered choices here" : "choose 1–\(node.choices.count)")]
            }
            events = reply(node.choices[n - 1].text, at: node, forced: node.choices[n - 1])
        case .escalate(let target, let note):
            events = escalate(target: target, note: note)
        case .close:
            events = close(at: node)
        case .hint:
            events = [node.hint.map(EngineEvent.hint) ?? .noHint]
        case .kb(let query):
            events = [.kbResults(searchKB(query))]
        }
        let number = input.isConversationTurn ? transcript.turns.filter { $0.number != nil }.count + 1 : nil
        transcript.turns.append(Turn(index: nextIndex, number: number, input: input, node: node.id,
                                     moodBefore: moodBefore, events: events, elapsed: elapsed))
        nextIndex += 1
        transcript.finalMood = mood
        return events
    }

    /// Takes back turns (`/retry`): the engine becomes `previous`, a copy of itself kept from
    /// before those turns, except that turn indices keep growing, so the turns taken back keep
    /// theirs and the next turn gets a new one.
    public mutating func takeBack(restoring previous: Engine) {
        let next = max(nextIndex, previous.nextIndex)
        self = previous
        nextIndex = next
    }

    /// Replays one stored turn (`resume`): its input with its recorded elapsed time, at its
    /// recorded index (indices of turns taken back are skipped). Returns the events, which equal
    /// the stored ones when the scenario, seed and earlier turns are the same.
    @discardableResult
    public mutating func replay(_ turn: Turn) -> [EngineEvent] {
        replay(turn.input, index: turn.index, elapsed: turn.elapsed)
    }

    /// Replays an input recorded at `index` (a recovery file keeps inputs, not whole turns).
    @discardableResult
    public mutating func replay(_ input: TraineeInput, index: Int, elapsed: Double) -> [EngineEvent] {
        nextIndex = max(nextIndex, index)
        return handle(input, elapsed: elapsed)
    }

    /// Ends the session without an outcome (the trainee quit or the terminal was lost).
    @discardableResult
    public mutating func abandon() -> [EngineEvent] {
        guard !isOver else { return [] }
        transcript.ending = .abandoned
        return [.ended(.abandoned)]
    }

    // MARK: - Replies

    private mutating func reply(_ text: String, at node: Node, forced: Choice?) -> [EngineEvent] {
        replies += 1
        var events: [EngineEvent] = []
        let normalized = TextNormalizer.normalize(text)
        let hits = analyzer.analyze(text, context: ReplyContext(
            language: scenario.language, replyIndex: replies, customerMood: mood, customerName: scenario.persona.name))
        if !hits.isEmpty { events.append(.politeness(hits: hits)) }
        let obscene = hits.filter { $0.strategy == PolitenessStrategy.obscenity }.map(\.span)
        if !obscene.isEmpty {
            events.append(.critical(rule: Self.obscenityRule, reason: scenario.language == .ru
                ? "нецензурная лексика в разговоре с клиентом" : "obscene language with a customer", matched: obscene))
        }
        events += criticalEvents(normalized, raw: text)

        var delta: Int
        var lines: [String]
        var next: String?
        var improved = false
        if let (rule, m) = harmfulMatch(node, normalized, text, forced) {
            events.append(.harmful(rule: rule.id, penalty: rule.penalty, feedback: rule.feedback, matched: m))
            (delta, lines, next) = (rule.mood, rule.customer, rule.next)
        } else if let (intent, m) = intentMatch(node, normalized, text, forced) {
            matchedIntents.insert(intent.id)
            events.append(.intentMatched(intent: intent.id, description: intent.description, points: intent.points,
                                         feedback: intent.feedback, matched: m))
            (delta, lines, next) = (intent.mood, intent.customer, intent.next)
            improved = true
        } else {
            events.append(.fallback(node: node.id))
            (delta, lines, next) = (node.fallback.mood, node.fallback.customer, node.fallback.next)
        }
        if !events.filter({ if case .critical = $0 { true } else { false } }).isEmpty { delta = max(delta, 1) }

        // Tone moves the mood too: rudeness makes things worse even when the content is right;
        // acknowledging an upset customer's feelings calms them.
        let tone = hits.reduce(0) { $0 + $1.weight }
        if tone <= -1.5 { delta += 1; improved = false }
        else if tone >= 1.5, mood.isUpset, delta <= 0 { delta -= 1 }
        delta = max(-2, min(2, delta))

        events += changeMood(by: delta, helpful: improved)
        if isOver { return events }
        if hasDemandedManager, events.contains(.demandsManager) { return events }

        if let next, next != nodeID, let target = scenario.node(next) {
            if !lines.isEmpty { events.append(.customerSays(pick(lines))) }
            events += arrive(at: target, say: lines.isEmpty)
        } else {
            events.append(.customerSays(pick(lines.isEmpty ? defaultFallback : lines)))
        }
        return events
    }

    private func criticalEvents(_ text: NormalizedText, raw: String) -> [EngineEvent] {
        zip(scenario.critical, rules.critical).compactMap { rule, compiled in
            compiled.match(text, raw: raw).map { .critical(rule: rule.id, reason: rule.reason, matched: $0.matched) }
        }
    }

    private func harmfulMatch(_ node: Node, _ text: NormalizedText, _ raw: String, _ forced: Choice?) -> (HarmfulRule, [String])? {
        if let forced {
            guard let id = forced.harmful, let rule = node.harmful.first(where: { $0.id == id }) else { return nil }
            return (rule, [forced.text])
        }
        let compiled = rules.node(node).harmful
        for (rule, c) in zip(node.harmful, compiled) {
            if let m = c.match(text, raw: raw) { return (rule, m.matched) }
        }
        return nil
    }

    private func intentMatch(_ node: Node, _ text: NormalizedText, _ raw: String, _ forced: Choice?) -> (Intent, [String])? {
        if let forced {
            guard let id = forced.intent, let intent = node.expect.first(where: { $0.id == id }),
                  !matchedIntents.contains(id) || intent.next != nil else { return nil }
            return (intent, [forced.text])
        }
        let compiled = rules.node(node).expect
        for (intent, c) in zip(node.expect, compiled) where !matchedIntents.contains(intent.id) || intent.next != nil {
            if let m = c.match(text, raw: raw) { return (intent, m.matched) }
        }
        return nil
    }

    /// Applies a mood change; past the persona's patience the customer demands a manager, then leaves.
    private mutating func changeMood(by delta: Int, helpful: Bool) -> [EngineEvent] {
        var events: [EngineEvent] = []
        let old = mood
        mood = mood.shifted(by: delta)
        if mood != old { events.append(.moodChanged(from: old, to: mood)) }
        if delta > 0 { strain += 1 } else if delta < 0 || helpful { strain = max(0, strain - 1) }
        if strain > scenario.persona.patience {
            if hasDemandedManager {
                events += end(.left)
            } else {
                hasDemandedManager = true
                events.append(.demandsManager)
                events.append(.customerSays(pick(scenario.endings.managerDemand.isEmpty
                    ? DefaultLines.managerDemand(scenario.language) : scenario.endings.managerDemand)))
            }
        }
        return events
    }

    // MARK: - Commands

    private mutating func escalate(target: String, note: String) -> [EngineEvent] {
        let policy = scenario.escalation
        var events = criticalEvents(TextNormalizer.normalize(note), raw: note)
        let accepted = policy.requirement != .forbidden && policy.accepts(target)
        events.append(.escalated(target: target, note: note, accepted: accepted))
        if accepted, let next = policy.next, let node = scenario.node(next) {
            events += arrive(at: node, say: true)
        } else {
            events += end(.escalated)
        }
        return events
    }

    private mutating func close(at node: Node) -> [EngineEvent] {
        if node.closable { return end(.resolved) }
        return [.closedEarly(node: node.id)] + end(.closedUnresolved)
    }

    private func searchKB(_ query: String) -> [KBArticleRef] {
        let q = TextNormalizer.normalize(query)
        let articles = scenario.knowledgeBase.filter { article in
            if q.words.isEmpty { return true }
            let hay = TextNormalizer.normalize(([article.id, article.title] + article.keywords).joined(separator: " "))
            return q.words.contains { w in hay.words.contains { $0.hasPrefix(w) || w.hasPrefix($0) && $0.count >= 4 } }
        }
        return articles.map { KBArticleRef(id: $0.id, title: $0.title, body: $0.body) }
    }

    // MARK: - Movement

    private mutating func arrive(at node: Node, say: Bool) -> [EngineEvent] {
        nodeID = node.id
        transcript.path.append(node.id)
        if transcript.path.count == 2, transcript.path[0] == node.id { transcript.path.removeLast() }
        var events: [EngineEvent] = []
        if say, !node.customer.isEmpty { events.append(.customerSays(pick(node.customer))) }
        if let ending = node.end {
            transcript.ending = ending
            events.append(.ended(ending))
            return events
        }
        if !node.choices.isEmpty { events.append(.choices(node.choices.map(\.text))) }
        return events
    }

    private mutating func end(_ ending: EndingKind) -> [EngineEvent] {
        var events: [EngineEvent] = []
        if let lines = scenario.endings.lines[ending], !lines.isEmpty { events.append(.customerSays(pick(lines))) }
        else if ending == .left { events.append(.customerSays(pick(DefaultLines.leaves(scenario.language)))) }
        transcript.ending = ending
        events.append(.ended(ending))
        return events
    }

    private var defaultFallback: [String] {
        node?.fallback.customer.isEmpty == false ? node!.fallback.customer : DefaultLines.fallback(scenario.language)
    }

    private mutating func pick(_ lines: [String]) -> String {
        lines.count == 1 ? lines[0] : lines[Int.random(in: 0..<lines.count, using: &rng)]
    }
}

/// Customer lines used when a scenario does not give its own.
enum DefaultLines {
    static func fallback(_ l: Language) -> [String] {
        l == .ru ? ["Простите, я не поняла. Что мне делать?", "Это мне не помогает. Что дальше?"]
                 : ["Sorry, I don't follow. What should I do?", "That doesn't help me. What now?"]
    }
    static func managerDemand(_ l: Language) -> [String] {
        l == .ru ? ["Всё, хватит. Соедините меня с Вашим руководителем."]
                 : ["That's it. Put me through to your manager."]
    }
    static func leaves(_ l: Language) -> [String] {
        l == .ru ? ["Я больше не могу тратить на это время. До свидания."]
                 : ["I can't waste any more time on this. Goodbye."]
    }
}

/// The match rules of one scenario compiled with its vocabulary: critical rules at once, each
/// node's harmful rules and intents the first time the node is played. Thread-safe; copies of an
/// engine share one instance.
final class CompiledScenarioRules: @unchecked Sendable {
    struct NodeRules {
        var harmful: [CompiledMatchRule]
        var expect: [CompiledMatchRule]
    }

    let vocabulary: Vocabulary
    let critical: [CompiledMatchRule]
    private let lock = NSLock()
    private var nodes: [String: NodeRules] = [:]

    init(_ scenario: Scenario) {
        let vocabulary = scenario.matchingVocabulary
        self.vocabulary = vocabulary
        self.critical = scenario.critical.map { CompiledMatchRule($0.match, vocabulary: vocabulary) }
    }

    func node(_ node: Node) -> NodeRules {
        lock.lock()
        if let hit = nodes[node.id] { lock.unlock(); return hit }
        lock.unlock()
        let compiled = NodeRules(harmful: node.harmful.map { CompiledMatchRule($0.match, vocabulary: vocabulary) },
                                 expect: node.expect.map { CompiledMatchRule($0.match, vocabulary: vocabulary) })
        lock.lock()
        nodes[node.id] = compiled
        lock.unlock()
        return compiled
    }
}

extension Engine {
    /// Replays stored turns on a new engine (same scenario and seed) and returns the turn (its
    /// number, else its index) from which the events differ from the stored ones, or nil when
    /// the replay ends in the same state. `resume` uses it to refuse continuing an attempt whose
    /// scenario or scoring rules changed in a way that changes the conversation.
    public static func firstReplayDifference(scenario: Scenario, seed: UInt64, analyzer: PolitenessAnalyzer,
                                             turns: [Turn]) -> Int? {
        var engine = Engine(scenario: scenario, seed: seed, analyzer: analyzer)
        _ = engine.start()
        for turn in turns where engine.replay(turn) != turn.events { return turn.number ?? turn.index }
        return nil
    }
}
