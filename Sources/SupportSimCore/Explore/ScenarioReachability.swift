/// What a scenario's graph lets a conversation reach at all, whatever the trainee types: the
/// nodes reachable from `start`, the intents and harmful rules that can be played (they sit on a
/// reachable node that is not an ending), and the endings that can happen. Pure: the parsed
/// scenario in, sets out. `supportsim explore` sets it beside what its random runs reached, to
/// tell "unreachable in the graph" from "reachable but never hit".
///
/// Moves: the `next` of intents, harmful rules and the fallback (a numbered choice counts as the
/// intent or rule it names, and as the fallback when it names neither), and `escalation.next` from
/// any conversation node unless escalation is forbidden. A node with `end:` ends the conversation on
/// arrival: nothing moves on from it, and its steps can never be played.
///
/// Endings: a reachable `end:` node gives its kind; a reachable `closable` node gives `resolved`
/// (`/close`), and a reachable conversation node that is not closable gives `closed-unresolved`;
/// `/escalate` gives `escalated` unless escalation is forbidden, or every target is accepted and
/// continues at `escalation.next`; the customer can run out of patience (`left`) and the trainee
/// can quit (`abandoned`) at any reachable conversation node. This is an upper bound: patience may
/// in practice run out elsewhere first, which only a played run shows.
public struct ScenarioReachability: Sendable, Equatable {
    /// Reachable node ids, in file order.
    public let nodes: [String]
    /// Node ids that cannot be reached from `start`, in file order.
    public let unreachableNodes: [String]
    /// Intent ids that can be played (their node is reachable and not an ending), in file order.
    public let intents: [String]
    public let unreachableIntents: [String]
    /// Harmful rules that can fire, as (node id, rule id), in file order.
    public let harmful: [RuleRef]
    public let unreachableHarmful: [RuleRef]
    /// Ending kinds that can happen, in `EndingKind` order.
    public let endings: [EndingKind]
    public let unreachableEndings: [EndingKind]

    /// A harmful rule (ids are unique within their node only).
    public struct RuleRef: Sendable, Hashable, Codable {
        public var node: String
        public var rule: String
        public init(node: String, rule: String) { self.node = node; self.rule = rule }
    }

    public init(scenario: Scenario) {
        var byID: [String: Node] = [:]
        for node in scenario.nodes where byID[node.id] == nil { byID[node.id] = node }
        let policy = scenario.escalation
        let escalationNext = policy.requirement == .forbidden ? nil : policy.next

        var reached = Set<String>()
        var queue = byID[scenario.start] == nil ? [] : [scenario.start]
        while let id = queue.popLast() {
            guard reached.insert(id).inserted, let node = byID[id], node.end == nil else { continue }
            queue += Self.successors(of: node)
            if let escalationNext { queue.append(escalationNext) }
            // An accepted referral that applies here continues at its `next`.
            for referral in scenario.referrals where !referral.refuses(at: id) && referral.applies(at: id) {
                if let next = referral.next { queue.append(next) }
            }
        }
        reached = reached.filter { byID[$0] != nil }

        nodes = scenario.nodes.map(\.id).filter { reached.contains($0) }
        unreachableNodes = scenario.nodes.map(\.id).filter { !reached.contains($0) }
        let playable = scenario.nodes.filter { reached.contains($0.id) && $0.end == nil }
        let playableIDs = Set(playable.map(\.id))
        var intents: [String] = [], unreachableIntents: [String] = []
        var harmful: [RuleRef] = [], unreachableHarmful: [RuleRef] = []
        for node in scenario.nodes {
            let live = playableIDs.contains(node.id)
            for intent in node.expect {
                if live { intents.append(intent.id) } else { unreachableIntents.append(intent.id) }
            }
            for rule in node.harmful {
                let ref = RuleRef(node: node.id, rule: rule.id)
                if live { harmful.append(ref) } else { unreachableHarmful.append(ref) }
            }
        }
        self.intents = intents; self.unreachableIntents = unreachableIntents
        self.harmful = harmful; self.unreachableHarmful = unreachableHarmful

        var kinds = Set(scenario.nodes.filter { reached.contains($0.id) }.compactMap(\.end))
        if !playable.isEmpty {
            kinds.insert(.left)
            kinds.insert(.abandoned)
            if playable.contains(where: \.closable) { kinds.insert(.resolved) }
            if playable.contains(where: { !$0.closable }) { kinds.insert(.closedUnresolved) }
            // An escalation ends the conversation unless it is accepted and continues at `next`;
            // with targets named, any other target is not accepted.
            let continuesAlways = policy.targets.isEmpty && policy.next.flatMap { byID[$0] } != nil
            if policy.requirement != .forbidden, !continuesAlways { kinds.insert(.escalated) }
        }
        endings = EndingKind.allCases.filter { kinds.contains($0) }
        unreachableEndings = EndingKind.allCases.filter { !kinds.contains($0) }
    }

    /// Where a node's steps, harmful rules and fallback can move the conversation (its own id
    /// when one stays).
    static func successors(of node: Node) -> [String] {
        node.expect.compactMap(\.next) + node.harmful.compactMap(\.next) + [node.fallback.next].compactMap { $0 }
    }

    public func canReach(node id: String) -> Bool { nodes.contains(id) }
    public func canPlay(intent id: String) -> Bool { intents.contains(id) }
    public func canReach(ending kind: EndingKind) -> Bool { endings.contains(kind) }
}
