// SCAFFOLD: replaced by the real analyzer (owned by the scoring work).
/// What the analyzer knows about the moment a reply was given.
public struct ReplyContext: Sendable, Equatable {
    public var language: Language
    /// 1-based index among the trainee's free-text replies.
    public var replyIndex: Int
    public var customerMood: Mood
    public var customerName: String?

    public init(language: Language, replyIndex: Int = 1, customerMood: Mood = .calm, customerName: String? = nil) {
        self.language = language; self.replyIndex = replyIndex; self.customerMood = customerMood
        self.customerName = customerName
    }
}

public struct PolitenessAnalyzer: Sendable {
    public init() {}
    public func analyze(_ text: String, context: ReplyContext) -> [StrategyHit] { [] }
}
