/// A key fact an intent's reply must state: which printer, which setting, by when.
///
/// Values of type `value` are phrases matched like `match` phrases; the other types are found by
/// `FactFinder` (a time frame, a number, a ticket id, an e-mail, a phone number) and compared
/// with `accept` (and, for time frames, `maxMinutes`).
public struct FactRequirement: Sendable, Equatable {
    public var name: String
    public var type: FactType
    /// Accepted values; empty accepts any value of the type (any time frame within `maxMinutes`,
    /// any number, any e-mail, …). `value` facts need at least one.
    public var accept: [String]
    /// Values that are known to be wrong, each with the feedback the trainee gets.
    public var wrong: [WrongFactValue]
    /// Time frames: the longest acceptable wait, in minutes.
    public var maxMinutes: Int?
    /// Time frames: the scenario's time of day ("14:10", as minutes since midnight), so that
    /// "by 3 pm" can be compared with `maxMinutes`; without it, noon (`assumedNow`) is assumed.
    public var now: Int?
    /// The time of day assumed when a time fact has no `now`: noon.
    public static let assumedNow = 12 * 60
    /// True (the default): a reply without an accepted value gets no credit. False: only a wrong
    /// value blocks the credit.
    public var required: Bool
    /// Feedback when a required value is missing.
    public var missingFeedback: String?
    /// Feedback for a value of the type that is not accepted and not listed in `wrong`.
    public var feedback: String?

    public init(name: String, type: FactType = .value, accept: [String] = [], wrong: [WrongFactValue] = [],
                maxMinutes: Int? = nil, now: Int? = nil, required: Bool = true, missingFeedback: String? = nil,
                feedback: String? = nil) {
        self.name = name; self.type = type; self.accept = accept; self.wrong = wrong
        self.maxMinutes = maxMinutes; self.now = now; self.required = required
        self.missingFeedback = missingFeedback; self.feedback = feedback
    }
}

/// Wrong values of a fact and what to tell the trainee about them.
public struct WrongFactValue: Sendable, Equatable {
    public var values: [String]
    public var feedback: String

    public init(values: [String], feedback: String) { self.values = values; self.feedback = feedback }
}
