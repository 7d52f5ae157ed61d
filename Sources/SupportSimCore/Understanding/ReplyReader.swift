import Foundation

/// How a reply was read against one intent or harmful rule of a node: what fired it or kept it
/// from firing. `supportsim match --explain` prints these.
public struct RuleReading: Sendable, Equatable {
    public enum Via: String, Sendable, Equatable, Codable { case phrases, meaning }
    public var id: String
    public var kind: MeaningIndex.Target.Kind
    public var fired: Bool
    public var via: Via?
    /// The rule's phrases found (outside negated clauses).
    public var phrases: [String]
    /// The clauses the phrases were found in.
    public var clauses: [Int]
    /// The words (token indices) the phrases covered.
    public var tokens: Set<Int> = []
    /// The rule's phrases occur, but only in a clause that this negation covers.
    public var negatedBy: String?
    /// Harmful and critical rules: the phrases occur only in an action that this condition makes safe.
    public var safeguard: String?
    /// Key facts, for intents that declare them.
    public var facts: [FactResult]
    /// The closest sample by meaning and the rule's threshold (when the model is loaded).
    public var meaning: MeaningScore?
    /// Why a rule that matched was not credited: "already credited", "part of clear_and_restart", …
    public var note: String?
}

public struct MeaningScore: Sendable, Equatable {
    public var sample: String
    public var similarity: Float
    /// Nil when the rule is not matched by meaning (its samples are too close to its near misses).
    public var threshold: Float?
    public var nearestMiss: String?
}

/// The reading of one reply at one node.
public struct NodeReading: Sendable {
    public var reply: ReadReply
    public var intents: [RuleReading]
    public var harmful: [RuleReading]
    /// Intents credited, in the order they act: steps that keep the node first, then the one that moves.
    public var credited: [String]
    /// The credited intent with a `next` that moves the conversation.
    public var moving: String?
    /// Clauses that no credited intent or harmful rule used: steps the trainee may have given in
    /// advance, remembered for the next nodes.
    public var leftover: Set<Int>
    /// Meaning-based matching was used for this reading.
    public var usedMeaning: Bool
}

/// Reads replies against a scenario's nodes: phrases with clause-wide negation and safeguard
/// conditions, key facts, and (with a model) meaning, which only adds recall: it never credits an
/// intent in a reply with a negation, a missing or wrong key fact, or a harmful match.
public struct ReplyReader: Sendable {
    public let scenario: Scenario
    let rules: CompiledScenarioRules
    public let meaning: MeaningIndex?

    public init(scenario: Scenario, meaning: MeaningIndex? = nil) {
        self.scenario = scenario
        self.rules = CompiledScenarioRules(scenario)
        self.meaning = meaning
    }

    /// Critical rules that the reply hits (with the phrases).
    public func critical(_ reply: ReadReply) -> [(CriticalRule, MatchEvidence)] {
        zip(scenario.critical, rules.critical).compactMap { rule, compiled in
            compiled.match(reply, negatable: rule.negatable, safeguardBlocks: true).map { (rule, $0) }
        }
    }

    /// Reads a reply at a node.
    /// - matched: intents already credited (those without `next` are not credited twice).
    /// - vector: the reply's embedding, or nil for rules only.
    /// - within: read only these clauses (remembered steps), phrases only.
    /// - criticalFired: whether a critical rule fired on the reply, when the caller already knows
    ///   (meaning never credits an intent then); nil reads the critical rules here if needed.
    public func read(_ reply: ReadReply, at node: Node, matched: Set<String> = [], vector: [Float]? = nil,
                     within: Set<Int>? = nil, criticalFired: Bool? = nil) -> NodeReading {
        let compiled = rules.node(node)
        var harmful: [RuleReading] = []
        if within == nil {
            for (rule, c) in zip(node.harmful, compiled.harmful) {
                var r = RuleReading(id: rule.id, kind: .harmful, fired: false, phrases: [], clauses: [], facts: [])
                if let m = c.match(reply, negatable: rule.negatable, safeguardBlocks: true) {
                    r.fired = true; r.via = .phrases; r.phrases = m.matched; r.clauses = m.clauses.sorted()
                    r.tokens = m.tokens
                } else if reply.hasNegationOrSafeguard, let m = c.match(reply, negatable: false, safeguardBlocks: false) {
                    if c.match(reply, negatable: false, safeguardBlocks: true) == nil {
                        r.safeguard = m.clauses.compactMap { reply.clauses[$0].safeguard }.first
                    } else {
                        r.negatedBy = m.clauses.compactMap { reply.clauses[$0].negation }.first ?? "negation"
                    }
                }
                harmful.append(r)
            }
        }
        var intents: [RuleReading] = []
        for (intent, c) in zip(node.expect, compiled.expect) {
            var r = RuleReading(id: intent.id, kind: .intent, fired: false, phrases: [], clauses: [], facts: [])
            if let m = c.rule.match(reply, negatable: intent.negatable, within: within) {
                r.phrases = m.matched; r.clauses = m.clauses.sorted(); r.via = .phrases; r.tokens = m.tokens
            } else if intent.negatable, reply.hasNegationOrSafeguard, let m = c.rule.match(reply, negatable: false, within: within) {
                r.negatedBy = m.clauses.compactMap { reply.clauses[$0].negation }.first ?? "negation"
            }
            r.facts = c.facts.map { $0.check(reply) }
            r.fired = r.via != nil && r.facts.allSatisfy { $0.status.allowsCredit }
            if r.via != nil, !r.fired { r.note = "key fact" }
            // Words that a harmful rule reads as a harmful step are not also a good step
            // ("restart your laptop" is not restarting the printer).
            if r.fired, !r.tokens.isEmpty,
               let h = harmful.first(where: { $0.fired && r.tokens.isSubset(of: $0.tokens) }) {
                r.fired = false
                r.note = "the same words are the harmful step \(h.id)"
            }
            intents.append(r)
        }

        // Meaning: one candidate at most, the rule furthest above its threshold.
        var usedMeaning = false
        if within == nil, let meaning, let vector {
            usedMeaning = true
            let targets = meaning.targets(for: node)
            var best: (index: Int, kind: MeaningIndex.Target.Kind, lead: Float)?
            var ranked: [(index: Int, kind: MeaningIndex.Target.Kind, similarity: Float)] = []
            for target in targets {
                guard let (sample, sim) = MeaningIndex.best(vector, target) else { continue }
                let score = MeaningScore(sample: sample, similarity: sim, threshold: target.threshold,
                                         nearestMiss: target.nearestMiss)
                let index: Int
                switch target.kind {
                case .intent:
                    guard let i = intents.firstIndex(where: { $0.id == target.id }) else { continue }
                    intents[i].meaning = score; index = i
                case .harmful:
                    guard let i = harmful.firstIndex(where: { $0.id == target.id }) else { continue }
                    harmful[i].meaning = score; index = i
                }
                ranked.append((index, target.kind, sim))
                if let t = target.threshold, sim >= t, best == nil || sim - t > best!.lead {
                    best = (index, target.kind, sim - t)
                }
            }
            // Otherwise, a reply clearly closer to one rule than to every other rule of the node
            // and to every generic reply (in either language) counts for that rule: similarities
            // across languages are lower, but their order holds.
            ranked.sort { $0.similarity > $1.similarity }
            var relative: Float?
            // (Only for short replies: the embedding of several steps is a blend of them.)
            if best == nil, reply.clauses.count <= MeaningIndex.relativeClauses, let top = ranked.first {
                let next = ranked.count > 1 ? ranked[1].similarity : -1
                let generic = meaning.genericSimilarity(vector)
                let lead = min(top.similarity - next, top.similarity - generic)
                if lead >= MeaningIndex.relativeLead, top.similarity >= MeaningIndex.relativeFloor {
                    best = (top.index, top.kind, 0)
                    relative = lead
                }
            }
            let negated = reply.clauses.contains { $0.negated != nil }
            let safeguarded = reply.clauses.contains { $0.safeguard != nil }
            if let best {
                switch best.kind {
                case .harmful:
                    let rule = node.harmful[best.index]
                    if !harmful[best.index].fired, (!negated || !rule.negatable), !safeguarded {
                        harmful[best.index].fired = true; harmful[best.index].via = .meaning
                        if let relative { harmful[best.index].note = Self.relativeNote(relative) }
                    }
                case .intent:
                    let intent = node.expect[best.index]
                    var r = intents[best.index]
                    let anyHarmful = harmful.contains(where: \.fired) || (criticalFired ?? !critical(reply).isEmpty)
                    if !r.fired, r.via == nil, r.negatedBy == nil, !negated || !intent.negatable, !anyHarmful,
                       r.facts.allSatisfy({ $0.status.allowsCredit }) {
                        // A meaning match uses no particular clause: the words stay available
                        // as advance steps for the next nodes (read there by phrases only).
                        r.fired = true; r.via = .meaning
                        if let relative { r.note = Self.relativeNote(relative) }
                        intents[best.index] = r
                    }
                }
            }
        }

        // Intents without `next` are credited once; of those with `next`, the one that covers the
        // most clauses (then the most points, then the first) moves; others it covers are part of it.
        for i in intents.indices where intents[i].fired && matched.contains(intents[i].id) && node.expect[i].next == nil {
            intents[i].fired = false; intents[i].note = "already credited"
        }
        var credited: [String] = []
        var moving: String?
        let branches = intents.indices.filter { intents[$0].fired && node.expect[$0].next != nil }
        if let top = branches.max(by: { a, b in
            let ka = (intents[a].clauses.count, intents[a].phrases.count, node.expect[a].points, -a)
            let kb = (intents[b].clauses.count, intents[b].phrases.count, node.expect[b].points, -b)
            return ka < kb
        }) {
            moving = intents[top].id
            for i in branches where i != top {
                intents[i].fired = false
                intents[i].note = Set(intents[i].clauses).isSubset(of: Set(intents[top].clauses))
                    ? "part of \(intents[top].id)" : "another branch (\(intents[top].id)) was taken"
            }
        }
        // A 0-point step that keeps the node (a reasonable detour: "check door C") is credited,
        // but when the reply also moves on, its words stay free for the next nodes.
        var detours = Set<Int>()
        if moving != nil {
            for i in intents.indices where intents[i].fired && node.expect[i].next == nil && node.expect[i].points == 0 {
                detours.insert(i)
                intents[i].note = "a detour: its words stay for the next nodes"
            }
        }
        for i in intents.indices where intents[i].fired && node.expect[i].next == nil { credited.append(intents[i].id) }
        if let moving { credited.append(moving) }

        var used = Set<Int>()
        for (i, r) in intents.enumerated() where r.fired && !detours.contains(i) { used.formUnion(r.clauses) }
        for r in harmful where r.fired { used.formUnion(r.clauses) }
        for r in intents where r.note?.hasPrefix("part of") == true { used.formUnion(r.clauses) }
        let leftover = Set(reply.clauses.indices.filter { c in
            !used.contains(c) && reply.clauses[c].negated == nil && !reply.clauses[c].isCondition
                && (within == nil || within!.contains(c))
        })
        return NodeReading(reply: reply, intents: intents, harmful: harmful, credited: credited, moving: moving,
                           leftover: leftover, usedMeaning: usedMeaning)
    }
}

extension ReplyReader {
    static func relativeNote(_ lead: Float) -> String {
        "closest by meaning: \(String(format: "%.2f", lead)) above every other rule and generic reply"
    }
}

/// The match rules and key facts of one scenario compiled with its vocabulary: critical rules at
/// once, each node's rules the first time the node is read. Thread-safe; copies of an engine
/// share one instance.
final class CompiledScenarioRules: @unchecked Sendable {
    struct IntentRules {
        var rule: CompiledMatchRule
        var facts: [CompiledFact]
    }
    struct NodeRules {
        var harmful: [CompiledMatchRule]
        var expect: [IntentRules]
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
        let compiled = NodeRules(
            harmful: node.harmful.map { CompiledMatchRule($0.match, vocabulary: vocabulary) },
            expect: node.expect.map { intent in
                IntentRules(rule: CompiledMatchRule(intent.match, vocabulary: vocabulary),
                            facts: intent.facts.map { CompiledFact($0, vocabulary: vocabulary) })
            })
        lock.lock()
        nodes[node.id] = compiled
        lock.unlock()
        return compiled
    }
}
