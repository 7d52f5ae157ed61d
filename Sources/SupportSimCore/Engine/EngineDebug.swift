import Foundation

// Trainer debug mode (`supportsim play --debug`): a snapshot of the engine's state, how a reply
// would be read without playing it, and node ids resolved with "did you mean" suggestions.
// Everything here is read-only over the engine (a value type): nothing is played or recorded.

/// What a trainer sees of the engine at one moment (`:where`, `:vars`).
public struct EngineState: Sendable, Equatable {
    public struct Escalation: Sendable, Equatable {
        public var target: String
        public var accepted: Bool
        /// Refused because the scenario forbids escalating (the conversation went on).
        public var refused: Bool

        public init(target: String, accepted: Bool, refused: Bool) {
            self.target = target; self.accepted = accepted; self.refused = refused
        }
    }

    public var nodeID: String
    /// The node's first customer line, as written (its `{female|male}` forms resolved).
    public var nodeLine: String?
    /// The number the next conversation turn gets (1 before the first reply).
    public var turn: Int
    public var mood: Mood
    /// Unhelpful or rude turns not yet made up for, and how many the customer tolerates.
    public var strain: Int
    public var patience: Int
    public var demandedManager: Bool
    public var ending: EndingKind?
    /// The nodes visited, in order.
    public var path: [String]
    /// Every step credited so far (intent ids), in scenario order.
    public var credited: [String]
    /// The node's steps credited, and those not yet credited.
    public var doneHere: [String]
    public var pendingHere: [String]
    public var hintsUsed: Int
    public var escalation: EscalationRequirement
    public var escalations: [Escalation]
    /// Whether `/close` resolves the case here.
    public var closable: Bool
}

/// How the engine reads a reply at its current node, without playing it (`:match`, `supportsim match`).
public struct ReplyExplanation: Sendable {
    public var node: Node
    public var reply: String
    /// The reading of every intent and harmful rule of the node, and the reply's clauses.
    public var reading: NodeReading
    public var critical: [(CriticalRule, MatchEvidence)]
    /// The events the reply would give (played on a copy of the engine).
    public var events: [EngineEvent]
    /// The path from the node on, as the reply would move the conversation.
    public var path: [String]
    public var moodBefore: Mood
    public var moodAfter: Mood

    /// Intents credited, with the node they were credited at (steps given in advance are
    /// credited at later nodes).
    public var creditedSteps: [(intent: String, node: String)] {
        var out: [(String, String)] = []
        var cursor = path.lastIndex(of: node.id) ?? 0
        for e in events {
            guard case .intentMatched(let id, _, _, _, _) = e else { continue }
            var at = node.id
            for i in cursor..<path.count where scenarioNodes[path[i]]?.contains(id) == true {
                at = path[i]; cursor = i
                break
            }
            out.append((id, at))
        }
        return out
    }

    /// The intent ids of each node on the path.
    var scenarioNodes: [String: Set<String>]
}

/// A node id typed by a trainer: found (also with other case or Cyrillic look-alike letters),
/// or not, with the closest ids.
public enum NodeLookup: Sendable, Equatable {
    case found(String)
    case unknown(suggestions: [String])

    public static func resolve(_ typed: String, in scenario: Scenario) -> NodeLookup {
        let id = typed.trimmingCharacters(in: .whitespaces)
        if scenario.node(id) != nil { return .found(id) }
        let key = LookAlike.fold(id).lowercased()
        if let node = scenario.nodes.first(where: { LookAlike.fold($0.id).lowercased() == key }) { return .found(node.id) }
        return .unknown(suggestions: IDSuggestions.closest(to: LookAlike.fold(id), among: scenario.nodes.map(\.id)))
    }
}

extension Engine {
    /// The state a trainer cares about, now.
    public var state: EngineState {
        let here = node?.expect.map(\.id) ?? []
        var escalations: [EngineState.Escalation] = []
        for turn in transcript.turns {
            for case .escalated(let target, _, let accepted) in turn.events {
                escalations.append(.init(target: target, accepted: accepted,
                                         refused: scenario.escalation.requirement == .forbidden))
            }
        }
        return EngineState(
            nodeID: nodeID, nodeLine: node?.customer.first.map(scenario.persona.gender.forms),
            turn: transcript.turns.filter { $0.number != nil }.count + 1,
            mood: mood, strain: strain, patience: scenario.persona.patience, demandedManager: hasDemandedManager,
            ending: transcript.ending, path: transcript.path,
            credited: scenario.allIntents.map(\.id).filter { matchedIntents.contains($0) },
            doneHere: here.filter { matchedIntents.contains($0) },
            pendingHere: here.filter { !matchedIntents.contains($0) },
            hintsUsed: transcript.turns.filter { $0.input == .hint }.count,
            escalation: scenario.escalation.requirement, escalations: escalations,
            closable: node?.closable ?? false)
    }

    /// How this engine would read `reply` at its current node: the reply is played on a copy
    /// (this engine is unchanged), and the node's rules are read with the steps already credited.
    /// Nil after the end of the conversation.
    public func explain(_ reply: String) -> ReplyExplanation? {
        guard !isOver, let node else { return nil }
        var copy = self
        let start = copy.transcript.path.count - 1
        let events = copy.handle(.reply(reply))
        let read = ReadReply(reply)
        let critical = reader.critical(read)
        let reading = reader.read(read, at: node, matched: matchedIntents, vector: reader.meaning?.embed(reply),
                                  criticalFired: !critical.isEmpty)
        let path = Array(copy.transcript.path[max(0, start)...])
        var intents: [String: Set<String>] = [:]
        for id in path { intents[id] = Set(scenario.node(id)?.expect.map(\.id) ?? []) }
        return ReplyExplanation(node: node, reply: reply, reading: reading, critical: critical, events: events,
                                path: path, moodBefore: mood, moodAfter: copy.mood, scenarioNodes: intents)
    }
}
