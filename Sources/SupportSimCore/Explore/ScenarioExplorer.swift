/// Random playthroughs of a scenario through the real `Engine` (`supportsim explore`).
///
/// Each run copies a started engine (copies share its compiled rules, so a rule is compiled once
/// for all runs) and feeds it random inputs until the conversation ends or `maxTurns` inputs were
/// played. Each input is drawn (see `ExploreInputs`) from what the scenario offers at the current
/// node — its intents' samples (or, without samples, their match phrases), counter-samples, harmful
/// samples, numbered choices — from commands (`/escalate` with every accepted and some wrong
/// targets, `/close`, `/kb`, `/hint`, `/quit`) and from generated off-script replies. Runs differ
/// in how often they pick the node's own steps (a careless trainee to a near-perfect one), in the
/// mode (exam or practice), and one run in four never ends the conversation itself (no `/close`,
/// `/quit` or ending escalation): those show whether the scenario can go round without end.
///
/// Replies are read by the rules alone (no meaning model, no tone model): results do not depend on
/// the machine, and 10,000 runs take seconds.
///
/// Deterministic: run `r` plays with its own seed, made from `seed` and `r`; no clock, no global
/// random source. After every input the engine's promises are checked (`check`); a broken one is
/// an engine error.
public struct ScenarioExplorer: Sendable {
    public let scenario: Scenario
    public let reachability: ScenarioReachability
    private let inputs: ExploreInputs
    private let analyzer: PolitenessAnalyzer
    /// At most this many loops and errors are kept with their inputs (all are counted).
    public static let issueLimit = 20
    /// Inputs and path nodes kept with an issue.
    static let tail = 8

    public struct Options: Sendable, Equatable {
        public var runs: Int
        public var seed: UInt64
        public var maxTurns: Int
        /// Play the beginnings that runs share once (see `PrefixCache`); the result is the same
        /// either way.
        public var sharePrefixes: Bool
        public init(runs: Int = 1000, seed: UInt64 = 1, maxTurns: Int = 200, sharePrefixes: Bool = true) {
            self.runs = runs; self.seed = seed; self.maxTurns = maxTurns; self.sharePrefixes = sharePrefixes
        }
    }

    public init(scenario: Scenario, analyzer: PolitenessAnalyzer) {
        self.scenario = scenario
        self.analyzer = analyzer
        self.reachability = ScenarioReachability(scenario: scenario)
        self.inputs = ExploreInputs(scenario: scenario)
    }

    /// What one run did.
    public struct Run: Sendable, Equatable {
        public var number: Int
        public var seed: UInt64
        /// The inputs, as typed.
        public var inputs: [String] = []
        public var path: [String] = []
        public var ending: EndingKind?
        public var intents: Set<String> = []
        public var harmful: Set<ScenarioReachability.RuleRef> = []
        /// The first broken promise, if any.
        public var error: String?
        public var errorTurn: Int?
        /// Inputs the engine handled (not taken from a shared beginning).
        public var played = 0
        public var isLoop: Bool { ending == nil && error == nil }
    }

    public func explore(_ options: Options) -> ExploreResult {
        let templates = Templates(self, seed: options.seed)
        var nodeHits: [String: Int] = [:], intentHits: [String: Int] = [:]
        var harmfulHits: [ScenarioReachability.RuleRef: Int] = [:], endingHits: [EndingKind: Int] = [:]
        var result = ExploreResult(scenarioID: scenario.id, runs: options.runs, seed: options.seed, maxTurns: options.maxTurns)
        let cache = options.sharePrefixes ? PrefixCache() : nil
        for number in 1...max(1, options.runs) {
            let run = play(number: number, options: options, templates: templates, cache: cache)
            result.turns += run.inputs.count
            result.played += run.played
            for id in Set(run.path) { nodeHits[id, default: 0] += 1 }
            for id in run.intents { intentHits[id, default: 0] += 1 }
            for ref in run.harmful { harmfulHits[ref, default: 0] += 1 }
            if let ending = run.ending { endingHits[ending, default: 0] += 1 }
            if let error = run.error {
                result.errorRuns += 1
                if result.errors.count < Self.issueLimit {
                    result.errors.append(issue(run, turn: run.errorTurn ?? run.inputs.count, message: error))
                }
            } else if run.isLoop {
                result.loopRuns += 1
                if result.loops.count < Self.issueLimit {
                    result.loops.append(issue(run, turn: run.inputs.count,
                                              message: "no ending after \(run.inputs.count) inputs"))
                }
            }
        }
        let reach = reachability
        var seenNodes = Set<String>()
        for node in scenario.nodes where seenNodes.insert(node.id).inserted {
            result.nodes.append(ExploreCoverage(kind: .node, id: node.id, node: node.end?.rawValue,
                                                hits: nodeHits[node.id] ?? 0, reachable: reach.canReach(node: node.id)))
            for intent in node.expect {
                result.intents.append(ExploreCoverage(kind: .intent, id: intent.id, node: node.id,
                                                      hits: intentHits[intent.id] ?? 0,
                                                      reachable: reach.canPlay(intent: intent.id)))
            }
            for rule in node.harmful {
                let ref = ScenarioReachability.RuleRef(node: node.id, rule: rule.id)
                result.harmful.append(ExploreCoverage(kind: .harmful, id: rule.id, node: node.id,
                                                      hits: harmfulHits[ref] ?? 0, reachable: reach.harmful.contains(ref)))
            }
        }
        result.endings = EndingKind.allCases.map {
            ExploreCoverage(kind: .ending, id: $0.rawValue, hits: endingHits[$0] ?? 0, reachable: reach.canReach(ending: $0))
        }
        return result
    }

    private func issue(_ run: Run, turn: Int, message: String) -> ExploreIssue {
        ExploreIssue(run: run.number, runSeed: run.seed, turn: turn, message: message,
                     path: Array(Self.squeezed(run.path).suffix(Self.tail)), inputs: Array(run.inputs.suffix(Self.tail)))
    }

    /// The path without a node repeated right after itself.
    public static func squeezed(_ path: [String]) -> [String] {
        var out: [String] = []
        for id in path where out.last != id { out.append(id) }
        return out
    }

    /// The seed of run `number` (from 1) of an exploration with `seed`.
    public static func runSeed(_ seed: UInt64, run number: Int) -> UInt64 {
        var mixer = SeededRandom(seed: seed ^ (UInt64(number) &* 0xD1B5_4A32_D192_ED03))
        return mixer.next()
    }

    /// Plays run `number` alone (the same run `explore` plays with these options).
    public func play(number: Int, options: Options) -> Run {
        let templates = Templates(self, seed: options.seed)
        return play(number: number, options: options, templates: templates, cache: nil)
    }

    // MARK: - One run

    /// How a run plays: how often it gives the node's own steps, and whether it ends the
    /// conversation itself.
    struct Style {
        var skill: Double
        var mayEnd: Bool
    }

    /// Started engines, one per mode; every run plays on a copy of one.
    struct Templates {
        var exam: Engine
        var practice: Engine
        init(_ explorer: ScenarioExplorer, seed: UInt64) {
            func started(_ mode: PlayMode) -> Engine {
                var engine = Engine(scenario: explorer.scenario, seed: seed, analyzer: explorer.analyzer, mode: mode)
                _ = engine.start()
                return engine
            }
            exam = started(.exam)
            practice = started(.practice)
        }
    }

    /// Engines after the beginnings of runs already played: runs that begin with the same inputs
    /// in the same mode play that beginning once. The engine is deterministic, so a run that
    /// continues from a kept engine plays exactly as if it had played its beginning itself. Kept
    /// for the first `depth` inputs of a run, at most `capacity` engines (each keeps its transcript).
    final class PrefixCache {
        struct Key: Hashable {
            var parent: Int32
            var input: String
        }
        struct Step {
            var engine: Engine
            var intents: [String]
            var harmful: [ScenarioReachability.RuleRef]
            var error: String?
        }
        static let depth = 8
        static let capacity = 25_000
        /// The roots: 0 exam, 1 practice.
        var steps: [Step?] = [nil, nil]
        var children: [Key: Int32] = [:]
    }

    private func play(number: Int, options: Options, templates: Templates, cache: PrefixCache?) -> Run {
        let seed = Self.runSeed(options.seed, run: number)
        var rng = SeededRandom(seed: seed)
        let practice = Int.random(in: 0..<3, using: &rng) == 0
        var engine = practice ? templates.practice : templates.exam
        var at: Int32? = practice ? 1 : 0   // this run's place in the cache while it follows kept beginnings
        let style = Style(skill: [0.25, 0.5, 0.75, 0.9, 0.97][Int.random(in: 0..<5, using: &rng)],
                          mayEnd: Int.random(in: 0..<4, using: &rng) != 0)
        var run = Run(number: number, seed: seed)
        run.inputs.reserveCapacity(32)
        if let error = Self.checkStart(engine, scenario: scenario) {
            run.error = error; run.errorTurn = 0; run.path = engine.transcript.path
            return run
        }
        while !engine.isOver, run.inputs.count < options.maxTurns {
            let (input, quits) = nextInput(engine, style: style, rng: &rng)
            let typed = quits ? "/quit" : input.text
            run.inputs.append(typed)
            let key = at.map { PrefixCache.Key(parent: $0, input: Self.cacheTag(input, quits) + typed) }
            if let cache, let key, let kept = cache.children[key], let step = cache.steps[Int(kept)] {
                engine = step.engine
                run.intents.formUnion(step.intents)
                run.harmful.formUnion(step.harmful)
                at = kept
                if let error = step.error { run.error = error; run.errorTurn = run.inputs.count; break }
                continue
            }
            let before = Snapshot(engine)
            run.played += 1
            let events = quits ? engine.abandon() : engine.handle(input)
            var step = PrefixCache.Step(engine: engine, intents: [], harmful: [], error: nil)
            for event in events {
                switch event {
                case .intentMatched(let id, _, _, _, _): step.intents.append(id)
                case .harmful(let id, _, _, _): step.harmful.append(.init(node: before.nodeID, rule: id))
                default: break
                }
            }
            run.intents.formUnion(step.intents)
            run.harmful.formUnion(step.harmful)
            step.error = check(before: before, after: engine, input: quits ? nil : input, events: events)
            at = nil
            if let cache, let key, run.inputs.count <= PrefixCache.depth, cache.steps.count < PrefixCache.capacity {
                let id = Int32(cache.steps.count)
                cache.steps.append(step)
                cache.children[key] = id
                at = id
            }
            if let broken = step.error {
                run.error = broken
                run.errorTurn = run.inputs.count
                break
            }
        }
        run.path = engine.transcript.path
        run.ending = engine.transcript.ending
        return run
    }

    /// Tells inputs with the same text apart in the cache (a reply "1" and the choice 1).
    private static func cacheTag(_ input: TraineeInput, _ quits: Bool) -> String {
        if quits { return "q" }
        switch input {
        case .reply: return "r"
        case .choice: return "c"
        case .escalate: return "e"
        case .refer: return "f"
        case .close: return "x"
        case .hint: return "h"
        case .kb: return "k"
        }
    }

    /// The next input; `true` for `/quit` (played as `abandon()`).
    private func nextInput(_ engine: Engine, style: Style, rng: inout SeededRandom) -> (TraineeInput, Bool) {
        guard let node = engine.node, let texts = inputs.texts(at: node.id) else {
            return (.reply(inputs.gibberish(using: &rng)), false)
        }
        let policy = scenario.escalation
        let roll = Double.random(in: 0..<1, using: &rng)
        // Commands where they make sense, more often for a careful trainee.
        if style.mayEnd {
            if node.closable, roll < 0.05 + 0.25 * style.skill { return (.close(resolution: inputs.resolution(using: &rng)), false) }
            let ready = Set(policy.after).isSubset(of: engine.matchedIntents)
            if policy.requirement == .required, ready, !inputs.goodTargets.isEmpty, roll < 0.05 + 0.3 * style.skill {
                return (escalation(inputs.goodTargets, engine, &rng), false)
            }
        }
        switch Int.random(in: 0..<100, using: &rng) {
        case 0..<2 where style.mayEnd: return (.close(resolution: inputs.resolution(using: &rng)), false)
        case 2..<4: // an escalation: accepted or wrong targets; without `mayEnd` only one that does not end the conversation
            let targets = (Bool.random(using: &rng) && !inputs.goodTargets.isEmpty ? inputs.goodTargets : inputs.wrongTargets)
                .filter { style.mayEnd || !endsConversation(escalatingTo: $0) }
            return targets.isEmpty ? (.hint, false) : (escalation(targets, engine, &rng), false)
        case 4 where style.mayEnd: return (.hint, true)
        case 5..<7: return (.hint, false)
        case 7..<9: return (.kb(query: inputs.kbQuery(using: &rng)), false)
        case 9..<12 where !scenario.referrals.isEmpty: // a referral (never ends the conversation): a target or an unknown one
            let known = scenario.referrals.map(\.id)
            let target = Int.random(in: 0..<5, using: &rng) == 0 ? (scenario.language == .ru ? "бухгалтерия" : "accounting")
                : explorePick(known, &rng)
            return (.refer(target: target, note: inputs.note(matched: engine.matchedIntents, using: &rng)), false)
        default: break
        }
        if !node.choices.isEmpty, Int.random(in: 0..<4, using: &rng) == 0 {
            return (.choice(Int.random(in: 0...(node.choices.count + 1), using: &rng)), false)
        }
        if Double.random(in: 0..<1, using: &rng) < style.skill {
            // One of the node's steps, those not yet credited first.
            let open = node.expect.indices.filter { !engine.matchedIntents.contains(node.expect[$0].id) && !texts.intents[$0].isEmpty }
            let any = node.expect.indices.filter { !texts.intents[$0].isEmpty }
            if let i = (open.isEmpty ? any : open).randomElement(using: &rng) {
                return (.reply(explorePick(texts.intents[i], &rng)), false)
            }
        }
        switch Int.random(in: 0..<10, using: &rng) {
        case 0...1 where !texts.counterSamples.isEmpty: return (.reply(explorePick(texts.counterSamples, &rng)), false)
        case 2...3 where !texts.harmfulSamples.isEmpty: return (.reply(explorePick(texts.harmfulSamples, &rng)), false)
        case 4 where Int.random(in: 0..<4, using: &rng) == 0: return (.reply(ExploreInputs.blank), false)
        default: return (.reply(inputs.offScript(at: node, using: &rng)), false)
        }
    }

    private func escalation(_ targets: [String], _ engine: Engine, _ rng: inout SeededRandom) -> TraineeInput {
        .escalate(target: explorePick(targets, &rng), note: inputs.note(matched: engine.matchedIntents, using: &rng))
    }

    /// Whether `/escalate target` ends the conversation (it goes on when the escalation is refused,
    /// or accepted and continued at `escalation.next`).
    func endsConversation(escalatingTo target: String) -> Bool {
        let policy = scenario.escalation
        if policy.refuses(target) { return false }
        return !(policy.accepts(target) && policy.next.flatMap(scenario.node) != nil)
    }

    // MARK: - The engine's promises

    /// What the checks need of the engine before an input (a copy of the whole engine would make
    /// the input copy its transcript).
    struct Snapshot {
        var nodeID: String
        var node: Node?
        var turns: Int
        var mood: Mood
        var hasDemandedManager: Bool
        init(_ engine: Engine) {
            nodeID = engine.nodeID; node = engine.node; turns = engine.transcript.turns.count
            mood = engine.mood; hasDemandedManager = engine.hasDemandedManager
        }
    }

    static func checkStart(_ engine: Engine, scenario: Scenario) -> String? {
        guard scenario.node(engine.nodeID) != nil else { return "the conversation starts at unknown node '\(engine.nodeID)'" }
        guard engine.transcript.path.first == scenario.start else { return "the path does not start at '\(scenario.start)'" }
        return nil
    }

    /// The first promise `input` broke, or nil. Promises: an input is rejected only when it is
    /// invalid (a blank reply, a choice out of range); the conversation is always at a node of the
    /// scenario, the last node of its path; an ending is announced exactly when the conversation
    /// ends, with the kind recorded, and only an input that may end it ends it; a look-up (`/kb`,
    /// `/hint`) changes nothing but the turn list; a node with `end:` is never left open; every
    /// credited intent and fired rule belongs to the scenario; each input adds one turn.
    func check(before: Snapshot, after: Engine, input: TraineeInput?, events: [EngineEvent]) -> String? {
        let ended = events.compactMap { if case .ended(let kind) = $0 { kind } else { nil } }
        guard let input else {
            if ended != [.abandoned] || after.transcript.ending != .abandoned { return "/quit did not end the attempt as abandoned" }
            return nil
        }
        let rejected = events.contains { if case .rejected = $0 { true } else { false } }
        let invalid: Bool
        switch input {
        case .reply(let text): invalid = text.allSatisfy(\.isWhitespace)
        case .choice(let n): invalid = n < 1 || n > (before.node?.choices.count ?? 0)
        case .refer(let target, _): invalid = scenario.referral(target) == nil   // an unknown referral target is turned down
        default: invalid = false
        }
        if invalid != rejected {
            return invalid ? "an invalid input was not rejected" : "a valid input was rejected: \(Self.reason(events))"
        }
        if rejected {
            if events.count != 1 { return "a rejected input produced other events too" }
            if after.nodeID != before.nodeID || after.transcript.turns.count != before.turns {
                return "a rejected input changed the conversation"
            }
            return nil
        }
        if after.transcript.turns.count != before.turns + 1 { return "the input did not add exactly one turn" }
        guard let node = scenario.node(after.nodeID) else { return "the conversation is at unknown node '\(after.nodeID)'" }
        if after.transcript.path.last != after.nodeID { return "the path does not end at the current node '\(after.nodeID)'" }
        if ended.count > 1 { return "the conversation ended twice in one input" }
        if after.isOver != (ended.count == 1) {
            return after.isOver ? "the conversation ended without an ending event" : "an ending event left the conversation open"
        }
        if let kind = ended.first, after.transcript.ending != kind { return "the ending event and the recorded ending differ" }
        if node.end != nil, !after.isOver { return "node '\(node.id)' has `end:` but the conversation goes on" }
        if node.end == nil, let kind = ended.first {
            let allowed: Bool
            switch kind {
            case .left: allowed = events.contains(.demandsManager) || before.hasDemandedManager
            case .resolved: allowed = input.closeResolution != nil && before.node?.closable == true
            case .closedUnresolved: allowed = input.closeResolution != nil && before.node?.closable == false
            case .escalated:
                if case .escalate(let target, _) = input { allowed = !scenario.escalation.refuses(target) } else { allowed = false }
            case .abandoned: allowed = false
            }
            if !allowed { return "'\(input.text)' ended the conversation as \(kind.rawValue) at node '\(before.nodeID)'" }
        }
        if !input.isConversationTurn, after.nodeID != before.nodeID || after.mood != before.mood || after.isOver {
            return "a look-up ('\(input.text)') changed the conversation"
        }
        for event in events {
            switch event {
            case .intentMatched(let id, _, _, _, _) where scenario.intent(id) == nil:
                return "an unknown intent '\(id)' was credited"
            case .harmful(let id, _, _, _) where before.node?.harmful.contains(where: { $0.id == id }) != true:
                return "harmful rule '\(id)' fired at node '\(before.nodeID)', which has no such rule"
            default: continue
            }
        }
        return nil
    }

    private static func reason(_ events: [EngineEvent]) -> String {
        for case .rejected(let reason) in events { return reason }
        return "?"
    }
}

private extension TraineeInput {
    var closeResolution: String? { if case .close(let r) = self { r } else { nil } }
}
