/// What the engine reports in answer to one input. The REPL renders these; the store keeps them;
/// the scorers read them.
public enum EngineEvent: Sendable, Equatable, Codable {
    /// The customer speaks.
    case customerSays(String)
    /// The reply did something expected.
    case intentMatched(intent: String, description: String, points: Int, feedback: String?, matched: [String])
    /// The reply was wrong or harmful.
    case harmful(rule: String, penalty: Int, feedback: String, matched: [String])
    /// The reply matched nothing at this node.
    case fallback(node: String)
    /// Practice mode: the first reply not understood at a node; the customer asks to clarify and
    /// nothing is lost.
    case clarify(node: String)
    /// The reply named a step, but a key fact of it is wrong (`value`) or missing (`value` nil).
    case wrongFact(intent: String, fact: String, value: String?, feedback: String?)
    /// The reply hit a critical rule: the attempt fails.
    case critical(rule: String, reason: String, matched: [String])
    /// The politeness strategies found in the reply (for practice-mode feedback and scoring).
    case politeness(hits: [StrategyHit])
    case moodChanged(from: Mood, to: Mood)
    /// The customer has run out of patience and asks for a manager (one step before leaving).
    case demandsManager
    /// The trainee escalated; `accepted` is false when the target is not one the policy accepts.
    case escalated(target: String, note: String, accepted: Bool)
    /// The trainee referred the case (`/refer`) to a scenario's referral target (its id);
    /// `accepted` is false when the referral was refused (a forbidden target) and the conversation goes on.
    case referred(target: String, note: String, accepted: Bool)
    /// `/close` on a node where the problem is not solved yet.
    case closedEarly(node: String)
    case hint(String)
    /// A hint was asked for where the node has none.
    case noHint
    case kbResults([KBArticleRef])
    /// The menu of the node the conversation moved to (numbered from 1).
    case choices([String])
    /// The input was not valid here (e.g. a choice number out of range); nothing changed.
    case rejected(reason: String)
    case ended(EndingKind)
}

/// A knowledge-base search result.
public struct KBArticleRef: Sendable, Equatable, Codable {
    public var id: String
    public var title: String
    public var body: String
    public init(id: String, title: String, body: String) { self.id = id; self.title = title; self.body = body }
}

/// One politeness strategy found in a reply (positive weight: polite; negative: impolite).
public struct StrategyHit: Sendable, Equatable, Codable {
    public var strategy: String
    /// The text that triggered it, as typed.
    public var span: String
    public var weight: Double
    /// Why the hit was found when no lexicon phrase says it (a `ToneModel` judgement: the
    /// sentence's tone and its nearest labelled examples). Absent in events stored before it existed.
    public var explanation: ToneExplanation?

    public init(strategy: String, span: String, weight: Double, explanation: ToneExplanation? = nil) {
        self.strategy = strategy; self.span = span; self.weight = weight; self.explanation = explanation
    }
}

/// One completed turn: what the trainee did, where, and what followed.
public struct Turn: Sendable, Equatable, Codable {
    /// 1-based sequence number of everything the trainee did in the attempt, including `/kb`,
    /// `/hint` and turns taken back with `/retry` (so it only grows; the store's key).
    public var index: Int
    /// The turn number the trainee sees in the debrief and in all evidence: replies and actions
    /// (`/escalate`, `/close`) counted from 1; nil for `/kb` and `/hint`, which are not turns of
    /// the conversation. Turns taken back are not counted.
    public var number: Int?
    public var input: TraineeInput
    /// The node the trainee was answering.
    public var node: String
    /// The customer's mood when the trainee replied.
    public var moodBefore: Mood
    public var events: [EngineEvent]
    /// Seconds since the session started (time is passed in, never read here).
    public var elapsed: Double
    /// The node the conversation is at after the turn (the same as `node` when it stayed); nil when
    /// not known (turns stored by SupportSim before schema 4).
    public var nodeAfter: String?
    /// The nodes the conversation moved to during the turn, in order (the last is `nodeAfter`; empty
    /// when it stayed). More than one when a reply already covered the next node's step. Nil when not known.
    public var arrivals: [String]?

    public init(index: Int, number: Int? = nil, input: TraineeInput, node: String, moodBefore: Mood,
                events: [EngineEvent], elapsed: Double, nodeAfter: String? = nil, arrivals: [String]? = nil) {
        self.index = index; self.number = number; self.input = input; self.node = node; self.moodBefore = moodBefore
        self.events = events; self.elapsed = elapsed; self.nodeAfter = nodeAfter; self.arrivals = arrivals
    }
}

/// Everything the scorers need about one played session.
public struct Transcript: Sendable, Equatable, Codable {
    public var scenarioID: String
    public var seed: UInt64
    /// The opening events (the first customer line).
    public var opening: [EngineEvent]
    public var turns: [Turn]
    /// Nodes visited, in order, starting with the start node.
    public var path: [String]
    public var ending: EndingKind?
    public var finalMood: Mood

    public init(scenarioID: String, seed: UInt64, opening: [EngineEvent] = [], turns: [Turn] = [],
                path: [String] = [], ending: EndingKind? = nil, finalMood: Mood = .calm) {
        self.scenarioID = scenarioID; self.seed = seed; self.opening = opening; self.turns = turns
        self.path = path; self.ending = ending; self.finalMood = finalMood
    }
}
