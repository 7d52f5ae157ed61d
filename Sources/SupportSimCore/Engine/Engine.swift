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
    /// Practice mode forgives the first reply not understood at each node (a clarifying question).
    public let mode: PlayMode
    private var replies = 0
    /// Steps given in advance (clauses no rule used), with the number of replies since.
    private var pending: [(text: String, age: Int, instruction: Bool)] = []
    /// Nodes where a clarifying question was already asked.
    private var clarified: Set<String> = []
    /// How many times each node has spoken its own line, and the shuffled order still to say.
    private var spoken: [String: Int] = [:]
    private var shuffled: [String: [Int]] = [:]
    private var lastClarify: String?
    /// The index the next turn gets; it keeps growing when turns are taken back.
    private var nextIndex = 1
    private var rng: SeededRandom
    private let analyzer: PolitenessAnalyzer
    /// The scenario's own words in capitals (product names, codes): not shouting.
    private let knownTerms: Set<String>
    /// The lexicon with the tone model (nil: the lexicon alone).
    private let tone: TonedPolitenessAnalyzer?
    /// Reads replies (compiled rules and the meaning index are shared by copies of this engine).
    public let reader: ReplyReader

    /// The critical rule id for obscene language.
    public static let obscenityRule = "obscenity"

    /// - mode: practice asks a clarifying question the first time a reply is not understood at a node.
    /// - meaning: meaning-based matching (nil: rules only).
    /// - tone: the lexicon with the tone model, used for the politeness hits instead of `analyzer`
    ///   (nil: the lexicon alone).
    public init(scenario: Scenario, seed: UInt64, analyzer: PolitenessAnalyzer, mode: PlayMode = .exam,
                meaning: MeaningIndex? = nil, tone: TonedPolitenessAnalyzer? = nil) {
        self.tone = tone
        self.scenario = scenario
        self.nodeID = scenario.start
        self.mood = scenario.persona.mood
        self.rng = SeededRandom(seed: seed)
        self.analyzer = analyzer
        self.knownTerms = ScenarioTerms.capitalised(in: scenario)
        self.mode = mode
        self.reader = ReplyReader(scenario: scenario, meaning: meaning)
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
        let pathBefore = transcript.path.count
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
        case .refer(let typed, let note):
            guard let referral = scenario.referral(typed) else {
                let ids = scenario.referrals.map(\.id).joined(separator: ", ")
                return [.rejected(reason: ids.isEmpty ? "no referral targets in this scenario" : "unknown referral target \(typed) (targets: \(ids))")]
            }
            events = refer(referral, note: note, at: node)
        case .close:
            events = close(at: node)
        case .hint:
            events = [node.hint.map(EngineEvent.hint) ?? .noHint]
        case .kb(let query):
            events = [.kbResults(searchKB(query))]
        }
        let number = input.isConversationTurn ? transcript.turns.filter { $0.number != nil }.count + 1 : nil
        transcript.turns.append(Turn(index: nextIndex, number: number, input: input, node: node.id,
                                     moodBefore: moodBefore, events: events, elapsed: elapsed, nodeAfter: nodeID,
                                     arrivals: Array(transcript.path.dropFirst(min(pathBefore, transcript.path.count)))))
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
        let read = ReadReply(text)
        let context = ReplyContext(
            language: scenario.language, replyIndex: replies, customerMood: mood, customerName: scenario.persona.name,
            knownTerms: knownTerms)
        let hits = tone?.analyze(text, context: context) ?? analyzer.analyze(text, context: context)
        if !hits.isEmpty { events.append(.politeness(hits: hits)) }
        let obscene = hits.filter { $0.strategy == PolitenessStrategy.obscenity }.map(\.span)
        if !obscene.isEmpty {
            events.append(.critical(rule: Self.obscenityRule, reason: scenario.language == .ru
                ? "нецензурная лексика в разговоре с клиентом" : "obscene language with a customer", matched: obscene))
        }
        let critical = reader.critical(read)
        events += critical.map { .critical(rule: $0.0.id, reason: $0.0.reason, matched: $0.1.matched) }

        // What the reply does: harmful steps and good steps, each scored.
        var harmful: [(HarmfulRule, [String])] = []
        var credited: [(Intent, [String])] = []
        var wrongFacts: [EngineEvent] = []
        var leftover: [(String, Bool)] = []
        if let forced {
            if let id = forced.harmful, let rule = node.harmful.first(where: { $0.id == id }) {
                harmful.append((rule, [forced.text]))
            } else if let id = forced.intent, let intent = node.expect.first(where: { $0.id == id }),
                      !matchedIntents.contains(id) || intent.next != nil {
                credited.append((intent, [forced.text]))
            }
        } else {
            let vector = reader.meaning?.embed(text)
            let reading = reader.read(read, at: node, matched: matchedIntents, vector: vector,
                                      criticalFired: !critical.isEmpty)
            for (rule, r) in zip(node.harmful, reading.harmful) where r.fired {
                harmful.append((rule, Self.evidence(r)))
            }
            for id in reading.credited {
                guard let i = node.expect.firstIndex(where: { $0.id == id }) else { continue }
                credited.append((node.expect[i], Self.evidence(reading.intents[i])))
            }
            for (intent, r) in zip(node.expect, reading.intents) where r.via != nil && r.note == "key fact" {
                for f in r.facts {
                    switch f.status {
                    case .wrong(let value, let feedback):
                        wrongFacts.append(.wrongFact(intent: intent.id, fact: f.fact, value: value, feedback: feedback))
                    case .missing(let feedback):
                        wrongFacts.append(.wrongFact(intent: intent.id, fact: f.fact, value: nil, feedback: feedback))
                    case .accepted, .absent:
                        break
                    }
                }
            }
            leftover = reading.leftover.sorted().map {
                (read.clauseText($0), ClauseReader.isImperative(read.clauses[$0].tokens, read.text.tokens))
            }
        }

        var delta = 0
        var lines: [[String]] = []
        var next: String?
        var improved = false
        for (rule, m) in harmful {
            events.append(.harmful(rule: rule.id, penalty: rule.penalty, feedback: rule.feedback, matched: m))
        }
        for (intent, m) in credited {
            matchedIntents.insert(intent.id)
            events.append(.intentMatched(intent: intent.id, description: intent.description, points: intent.points,
                                         feedback: intent.feedback, matched: m))
        }
        if let (rule, _) = harmful.first {
            delta = rule.mood
            if !rule.customer.isEmpty { lines.append(rule.customer) }
            if credited.isEmpty { next = rule.next }
        }
        if !credited.isEmpty {
            let last = credited[credited.count - 1].0
            delta += harmful.isEmpty ? last.mood : 0
            // (a 0-point detour says nothing when the same reply moves on)
            let moves = last.next != nil
            for (intent, _) in credited where !intent.customer.isEmpty && !(moves && intent.next == nil && intent.points == 0) {
                lines.append(intent.customer)
            }
            next = last.next
            improved = harmful.isEmpty
        } else if harmful.isEmpty {
            events += wrongFacts
            if wrongFacts.isEmpty, mode == .practice, !clarified.contains(node.id) {
                clarified.insert(node.id)
                events.append(.clarify(node: node.id))
                events.append(.customerSays(clarifyLine(node)))
                remember(leftover)
                return events
            }
            events.append(.fallback(node: node.id))
            (delta, next) = (node.fallback.mood, node.fallback.next)
            if !node.fallback.customer.isEmpty { lines.append(node.fallback.customer) }
        }
        remember(leftover)
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
            for group in lines { events.append(.customerSays(pick(group))) }
            events += arrive(at: target, say: lines.isEmpty, acting: true)
        } else if lines.isEmpty {
            events.append(.customerSays(pick(defaultFallback)))
        } else {
            for group in lines { events.append(.customerSays(pick(group))) }
        }
        return events
    }

    /// What a rule's reading shows as evidence: its phrases, or the sample it is closest to.
    static func evidence(_ r: RuleReading) -> [String] {
        if r.via == .meaning, let m = r.meaning {
            return ["≈ \"\(m.sample)\" (\(String(format: "%.2f", m.similarity)))"]
        }
        return r.phrases
    }

    /// Keeps the clauses no rule used, as steps given in advance: all of them while this reply's
    /// steps are acted on, and the instructions among them ("add STM-2F-MFP in Settings") for the
    /// next two replies. Explanations ("CRM expects a comma") are not carried into later turns.
    private mutating func remember(_ clauses: [(String, Bool)]) {
        pending = pending.compactMap { $0.instruction && $0.age < 2 ? (text: $0.text, age: $0.age + 1, instruction: true) : nil }
        pending += clauses.filter { !$0.0.isEmpty }.map { (text: $0.0, age: 0, instruction: $0.1) }
    }

    /// Steps said in advance that the node just reached expects: credited at once, and the
    /// customer acts on them. Returns nil when none applies.
    private mutating func actOnRemembered(at node: Node, depth: Int) -> [EngineEvent]? {
        guard !pending.isEmpty, depth < 8, node.end == nil else { return nil }
        let read = ReadReply(pending.map(\.text).joined(separator: ". "))
        let all = Set(read.clauses.indices)
        let reading = reader.read(read, at: node, matched: matchedIntents, vector: nil, within: all)
        guard !reading.credited.isEmpty else { return nil }
        var events: [EngineEvent] = []
        var lines: [[String]] = []
        var last: Intent?
        for id in reading.credited {
            guard let i = node.expect.firstIndex(where: { $0.id == id }) else { continue }
            let intent = node.expect[i]
            matchedIntents.insert(id)
            events.append(.intentMatched(intent: id, description: intent.description, points: intent.points,
                                         feedback: intent.feedback, matched: Self.evidence(reading.intents[i])))
            if !intent.customer.isEmpty { lines.append(intent.customer) }
            last = intent
        }
        pending = reading.leftover.sorted().map {
            (text: read.clauseText($0), age: 0, instruction: ClauseReader.isImperative(read.clauses[$0].tokens, read.text.tokens))
        }
        events += changeMood(by: last?.mood ?? -1, helpful: true)
        if isOver { return events }
        if let next = last?.next, next != node.id, let target = scenario.node(next) {
            if lines.isEmpty { events.append(.customerSays(nodeLine(node) ?? "")) }
            for group in lines { events.append(.customerSays(pick(group))) }
            events += arrive(at: target, say: lines.isEmpty, acting: true, depth: depth + 1)
        } else {
            if lines.isEmpty, let line = nodeLine(node) { events.append(.customerSays(line)) }
            for group in lines { events.append(.customerSays(pick(group))) }
        }
        return events
    }

    /// A clarifying question for a reply that was not understood (practice mode), never the same
    /// line twice in a row.
    private mutating func clarifyLine(_ node: Node) -> String {
        var lines = node.clarify.isEmpty ? DefaultLines.clarify(scenario.language, mood: mood) : node.clarify
        if lines.count > 1, let last = lastClarify { lines.removeAll { $0 == last } }
        let line = pick(lines)
        lastClarify = line
        return line
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

    private mutating func escalate(target typed: String, note: String) -> [EngineEvent] {
        let policy = scenario.escalation
        // The target as the scenario writes it, when the trainee typed it with other case or
        // Cyrillic look-alike letters (`1С` for `1C`).
        let target = policy.canonicalTarget(typed)
            ?? policy.forbiddenTargets.first { LookAlike.key($0) == LookAlike.key(typed) } ?? typed
        var events: [EngineEvent] = reader.critical(ReadReply(note)).map {
            .critical(rule: $0.0.id, reason: $0.0.reason, matched: $0.1.matched)
        }
        // A case that must not be escalated, or a target it must not go to (`forbidden_to`): the
        // escalation is refused, the customer reacts, and the conversation goes on where it was
        // (the escalation scorer counts the attempt).
        if policy.refuses(target) {
            events.append(.escalated(target: target, note: note, accepted: false))
            events.append(.customerSays(pick(policy.customerIfRefused.isEmpty
                ? DefaultLines.escalationRefused(scenario.language) : policy.customerIfRefused)))
            return events
        }
        let accepted = policy.accepts(target)
        events.append(.escalated(target: target, note: note, accepted: accepted))
        if accepted, let next = policy.next, let node = scenario.node(next) {
            events += arrive(at: node, say: true)
        } else {
            events += end(.escalated)
        }
        return events
    }

    /// `/refer`: a forbidden target is refused (the customer answers, the conversation goes on);
    /// otherwise the customer answers and the conversation continues at `next` or stays.
    private mutating func refer(_ referral: Referral, note: String, at node: Node) -> [EngineEvent] {
        var events: [EngineEvent] = reader.critical(ReadReply(note)).map {
            .critical(rule: $0.0.id, reason: $0.0.reason, matched: $0.1.matched)
        }
        let refused = referral.refuses(at: node.id)
        events.append(.referred(target: referral.id, note: note, accepted: !refused))
        if refused {
            events.append(.customerSays(pick(referral.customerIfRefused.isEmpty
                ? DefaultLines.referralRefused(scenario.language) : referral.customerIfRefused)))
            return events
        }
        if !referral.customer.isEmpty { events.append(.customerSays(pick(referral.customer))) }
        if let next = referral.next, next != nodeID, let target = scenario.node(next) {
            // Without its own line the referral lets the next node speak.
            events += arrive(at: target, say: referral.customer.isEmpty)
        } else if referral.customer.isEmpty {
            events.append(.customerSays(pick(DefaultLines.referralAccepted(scenario.language))))
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

    /// Moves the conversation to a node without playing anything (tools that read a reply at a
    /// given node: `supportsim match`, `supportsim-eval intents`).
    public mutating func position(at id: String) {
        guard let node = scenario.node(id) else { return }
        nodeID = node.id
        if transcript.path.last != node.id { transcript.path.append(node.id) }
    }

    /// Trainer debug mode (`:goto NODE`): moves the conversation to a node as if a step had led
    /// there — its arrival mood, its line, its ending or menu — without recording a turn.
    /// Nil when the scenario has no such node; rejected after the end.
    public mutating func jump(to id: String) -> [EngineEvent]? {
        guard let target = scenario.node(id) else { return nil }
        guard !isOver else { return [.rejected(reason: "the conversation has ended")] }
        let events = arrive(at: target, say: true)
        transcript.finalMood = mood
        return events
    }

    /// Trainer debug mode (`play --start NODE`): the opening at another node than the scenario's
    /// start. Nil when the scenario has no such node.
    public mutating func start(at id: String) -> [EngineEvent]? {
        guard let target = scenario.node(id) else { return nil }
        nodeID = target.id
        transcript.path = [target.id]
        transcript.opening = arrive(at: target, say: true)
        transcript.finalMood = mood
        return transcript.opening
    }

    /// - acting: the conversation moved because of the trainee's steps, so steps given in advance
    ///   for this node are acted on at once.
    private mutating func arrive(at node: Node, say: Bool, acting: Bool = false, depth: Int = 0) -> [EngineEvent] {
        nodeID = node.id
        transcript.path.append(node.id)
        if transcript.path.count == 2, transcript.path[0] == node.id { transcript.path.removeLast() }
        var events: [EngineEvent] = []
        // The customer's mood on arriving here (a narrative turn, not the trainee's doing: it
        // does not count against the persona's patience).
        if let change = node.arrivalMood {
            let old = mood
            switch change {
            case .set(let m): mood = m
            case .shift(let delta): mood = mood.shifted(by: delta)
            }
            if mood != old { events.append(.moodChanged(from: old, to: mood)) }
        }
        if acting, let acted = actOnRemembered(at: node, depth: depth) { return events + acted }
        if say, let line = nodeLine(node) { events.append(.customerSays(line)) }
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

    /// The node's own line this time, by its `variation` (nil: nothing to say, e.g. a `once`
    /// node that said all its lines), with its gender forms.
    private mutating func nodeLine(_ node: Node) -> String? {
        let lines = node.customer
        guard !lines.isEmpty else { return nil }
        let n = spoken[node.id, default: 0]
        spoken[node.id] = n + 1
        let index: Int
        switch node.variation {
        case .random: return pick(lines)
        case .sequence: index = min(n, lines.count - 1)
        case .cycle: index = n % lines.count
        case .once:
            guard n < lines.count else { return nil }
            index = n
        case .shuffle:
            var order = shuffled[node.id] ?? []
            if order.isEmpty { order = Array(lines.indices).shuffled(using: &rng) }
            index = order.removeFirst()
            shuffled[node.id] = order
        }
        return scenario.persona.gender.forms(lines[index])
    }

    /// One of `lines` (seeded), with its `{female|male}` forms agreeing with the persona.
    private mutating func pick(_ lines: [String]) -> String {
        let line = lines.count == 1 ? lines[0] : lines[Int.random(in: 0..<lines.count, using: &rng)]
        return scenario.persona.gender.forms(line)
    }
}

/// Customer lines used when a scenario does not give its own.
enum DefaultLines {
    static func fallback(_ l: Language) -> [String] {
        l == .ru ? ["Простите, я не {поняла|понял}. Что мне делать?", "Это мне не помогает. Что дальше?"]
                 : ["Sorry, I don't follow. What should I do?", "That doesn't help me. What now?"]
    }
    static func managerDemand(_ l: Language) -> [String] {
        l == .ru ? ["Всё, хватит. Соедините меня с Вашим руководителем."]
                 : ["That's it. Put me through to your manager."]
    }
    /// Clarifying questions by language and mood (calm and anxious customers ask politely).
    static func clarify(_ l: Language, mood: Mood) -> [String] {
        switch (l, mood >= .irritated) {
        case (.ru, false): ["Простите, я не совсем {поняла|понял}. Что именно мне сделать?",
                            "Не {уверена|уверен}, что {поняла|понял}. Можете сказать проще, что от меня нужно?"]
        case (.ru, true): ["Я не понимаю, что Вы имеете в виду. Скажите прямо: что мне делать?",
                           "Что? Объясните нормально, что мне сделать."]
        case (.en, false): ["Sorry, I'm not sure I follow. What exactly should I do?",
                            "I didn't quite get that. Could you say it another way?"]
        case (.en, true): ["I don't understand what you mean. Just tell me what to do.",
                           "What? Say it plainly: what do I do?"]
        }
    }
    /// The customer when an escalation that the policy forbids is refused.
    static func escalationRefused(_ l: Language) -> [String] {
        l == .ru ? ["Мне сказали, что туда это передавать не нужно. Давайте всё-таки решим вопрос сейчас, пожалуйста."]
                 : ["I was told this isn't something to pass on. Can we please sort it out now?"]
    }
    /// The customer when a referral the scenario forbids is refused.
    static func referralRefused(_ l: Language) -> [String] {
        l == .ru ? ["Нет, туда мне обращаться не нужно. Давайте решим вопрос с Вами."]
                 : ["No, that's not who I need. Let's sort this out with you."]
    }
    /// The customer when a referral is accepted and the scenario gives no line.
    static func referralAccepted(_ l: Language) -> [String] {
        l == .ru ? ["Хорошо, я туда обращусь."] : ["All right, I'll get in touch with them."]
    }
    static func leaves(_ l: Language) -> [String] {
        l == .ru ? ["Я больше не могу тратить на это время. До свидания."]
                 : ["I can't waste any more time on this. Goodbye."]
    }
}

extension Engine {
    /// Replays stored turns on a new engine (same scenario and seed) and returns the turn (its
    /// number, else its index) from which the events differ from the stored ones, or nil when
    /// the replay ends in the same state. `resume` uses it to refuse continuing an attempt whose
    /// scenario or scoring rules changed in a way that changes the conversation.
    public static func firstReplayDifference(scenario: Scenario, seed: UInt64, analyzer: PolitenessAnalyzer,
                                             mode: PlayMode = .exam, meaning: MeaningIndex? = nil,
                                             tone: TonedPolitenessAnalyzer? = nil, turns: [Turn]) -> Int? {
        var engine = Engine(scenario: scenario, seed: seed, analyzer: analyzer, mode: mode, meaning: meaning, tone: tone)
        _ = engine.start()
        for turn in turns where engine.replay(turn) != turn.events { return turn.number ?? turn.index }
        return nil
    }
}
