/// What `ScenarioExplorer` found: for every node, intent, harmful rule and ending of a scenario,
/// in how many runs it was reached and whether the graph can reach it at all; the runs that went
/// round without an ending; and every engine error. Plain data: the command renders it as text or
/// JSON.
public struct ExploreResult: Sendable, Equatable, Codable {
    public var scenarioID: String
    public var runs: Int
    public var seed: UInt64
    public var maxTurns: Int
    /// Inputs played over all runs.
    public var turns: Int
    /// Of those, the inputs the engine handled; the others were beginnings shared with an earlier run.
    public var played: Int = 0
    public var nodes: [ExploreCoverage]
    public var intents: [ExploreCoverage]
    public var harmful: [ExploreCoverage]
    public var endings: [ExploreCoverage]
    /// Runs that reached `maxTurns` without an ending (at most `ScenarioExplorer.issueLimit` kept).
    public var loops: [ExploreIssue]
    public var loopRuns: Int
    /// Engine errors: an input that broke one of the engine's promises (at most `issueLimit` kept).
    public var errors: [ExploreIssue]
    public var errorRuns: Int

    public init(scenarioID: String, runs: Int, seed: UInt64, maxTurns: Int, turns: Int = 0,
                nodes: [ExploreCoverage] = [], intents: [ExploreCoverage] = [], harmful: [ExploreCoverage] = [],
                endings: [ExploreCoverage] = [], loops: [ExploreIssue] = [], loopRuns: Int = 0,
                errors: [ExploreIssue] = [], errorRuns: Int = 0) {
        self.scenarioID = scenarioID; self.runs = runs; self.seed = seed; self.maxTurns = maxTurns
        self.turns = turns; self.nodes = nodes; self.intents = intents; self.harmful = harmful
        self.endings = endings; self.loops = loops; self.loopRuns = loopRuns; self.errors = errors
        self.errorRuns = errorRuns
    }

    /// Everything that was never reached, nodes first; endings the scenario cannot have at all
    /// (`resolved` without a closable or resolved node, say) are not missing.
    public var missed: [ExploreCoverage] {
        (nodes + intents + harmful + endings.filter(\.reachable)).filter { $0.hits == 0 }
    }

    /// Every node, intent, harmful rule and ending reached, no loop and no error.
    public var isComplete: Bool { missed.isEmpty && loopRuns == 0 && errorRuns == 0 }

    /// The same result with the places the file writes its nodes and intents.
    public func located(_ locations: ExploreLocations) -> ExploreResult {
        var copy = self
        for i in copy.nodes.indices { copy.nodes[i].at = locations.nodes[copy.nodes[i].id] }
        for i in copy.intents.indices { copy.intents[i].at = locations.intents[copy.intents[i].id] }
        return copy
    }

    enum CodingKeys: String, CodingKey {
        case scenarioID = "scenario", runs, seed, maxTurns = "max_turns", turns, played, nodes, intents, harmful, endings
        case loops, loopRuns = "loop_runs", errors, errorRuns = "error_runs"
    }
}

/// One node, intent, harmful rule or ending and how often runs reached it.
public struct ExploreCoverage: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case node, intent, harmful, ending }
    public var kind: Kind
    /// The node, intent or harmful rule id, or the ending kind (`resolved`, `left`, ...).
    public var id: String
    /// The node an intent or harmful rule belongs to; for a node, its `end:` kind if any.
    public var node: String?
    /// Runs that reached it (a node visited, an intent credited, a rule fired, an ending ended).
    public var hits: Int
    /// Whether the scenario's graph can reach it at all (`ScenarioReachability`).
    public var reachable: Bool
    /// Where the file writes it, when known.
    public var at: SourceLocation?

    public init(kind: Kind, id: String, node: String? = nil, hits: Int = 0, reachable: Bool, at: SourceLocation? = nil) {
        self.kind = kind; self.id = id; self.node = node; self.hits = hits; self.reachable = reachable; self.at = at
    }

    enum CodingKeys: String, CodingKey { case kind, id, node, hits, reachable, line, column }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(Kind.self, forKey: .kind)
        id = try c.decode(String.self, forKey: .id)
        node = try c.decodeIfPresent(String.self, forKey: .node)
        hits = try c.decode(Int.self, forKey: .hits)
        reachable = try c.decode(Bool.self, forKey: .reachable)
        if let line = try c.decodeIfPresent(Int.self, forKey: .line) {
            at = SourceLocation(line: line, column: try c.decodeIfPresent(Int.self, forKey: .column) ?? 1)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(id, forKey: .id)
        try c.encode(node, forKey: .node)
        try c.encode(hits, forKey: .hits)
        try c.encode(reachable, forKey: .reachable)
        try c.encode(at?.line, forKey: .line)
        try c.encode(at?.column, forKey: .column)
    }
}

/// A run that went wrong: where, and the inputs that led there (enough to play it again).
public struct ExploreIssue: Sendable, Equatable, Codable {
    /// The run's number (from 1) and its own seed.
    public var run: Int
    public var runSeed: UInt64
    /// The input (from 1) at which it happened; for a loop, the last one.
    public var turn: Int
    /// What happened (English; an engine error names the broken promise).
    public var message: String
    /// The last nodes of the run's path, oldest first.
    public var path: [String]
    /// The last inputs of the run, as typed, oldest first.
    public var inputs: [String]

    public init(run: Int, runSeed: UInt64, turn: Int, message: String, path: [String], inputs: [String]) {
        self.run = run; self.runSeed = runSeed; self.turn = turn; self.message = message; self.path = path
        self.inputs = inputs
    }

    enum CodingKeys: String, CodingKey { case run, runSeed = "run_seed", turn, message, path, inputs }
}
