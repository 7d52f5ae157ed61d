/// One line of an explanation: a point gained or lost, with the turn and the text that caused it.
public struct Evidence: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable {
        /// Points gained (or a good behaviour noted).
        case credit
        /// Points lost.
        case deduction
        /// A critical error: the attempt fails whatever the scores.
        case critical
    }

    public var kind: Kind
    /// Points on the category's 0–100 scale (always non-negative; `kind` says which way).
    public var points: Int
    /// The 1-based turn, when the evidence comes from one turn.
    public var turn: Int?
    /// The trainee's words that caused it, as typed.
    public var quote: String?
    /// The rule that fired: an intent, strategy or policy id ("intent:ask_printer", "politeness:insult").
    public var rule: String
    /// A human explanation in the scenario's language or English.
    public var message: String
    /// For a step missed or not recognised: a model answer (one of the expected intent's samples).
    public var modelAnswer: String?
    /// When `points` were scaled from points written in the scenario (correctness): the points as
    /// written and the scenario points possible in this attempt, so the debrief can show the
    /// scaling ("−16: 15 of 92 scenario points").
    public var scale: PointScale?

    public init(_ kind: Kind, points: Int, turn: Int? = nil, quote: String? = nil, rule: String, message: String,
                modelAnswer: String? = nil, scale: PointScale? = nil) {
        self.kind = kind; self.points = points; self.turn = turn; self.quote = quote; self.rule = rule; self.message = message
        self.modelAnswer = modelAnswer; self.scale = scale
    }
}

/// Points as a scenario writes them, and the scenario points possible in the attempt they were
/// scaled against: shown points = round(100 × written / possible), adjusted so that the losses
/// add up exactly to 100 − score.
public struct PointScale: Sendable, Equatable, Codable {
    public var written: Int
    public var possible: Int
    public init(written: Int, possible: Int) { self.written = written; self.possible = possible }
}

public struct CategoryScore: Sendable, Equatable, Codable {
    public var category: Category
    /// 0–100.
    public var score: Int
    public var evidence: [Evidence]

    public init(category: Category, score: Int, evidence: [Evidence]) {
        self.category = category; self.score = max(0, min(100, score)); self.evidence = evidence
    }

    public var deductions: [Evidence] { evidence.filter { $0.kind == .deduction } }
}

/// Scores one category of a played session. One scorer per file, each explainable from its evidence.
public protocol Scorer: Sendable {
    var category: Category { get }
    /// The category's score, or nil when the category does not apply to this scenario.
    func score(_ transcript: Transcript, scenario: Scenario) -> CategoryScore?
}

/// The result of scoring one attempt.
public struct ScoreCard: Sendable, Equatable, Codable {
    public var categories: [CategoryScore]
    /// Weighted mean of the categories that apply, 0–100.
    public var total: Int
    public var passMark: Int
    /// Critical errors; any of them fails the attempt.
    public var critical: [Evidence]
    public var passed: Bool

    public init(categories: [CategoryScore], total: Int, passMark: Int, critical: [Evidence]) {
        self.categories = categories; self.total = total; self.passMark = passMark; self.critical = critical
        self.passed = critical.isEmpty && total >= passMark
    }

    public func score(_ category: Category) -> CategoryScore? { categories.first { $0.category == category } }
}
