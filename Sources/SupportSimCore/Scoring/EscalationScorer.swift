// SCAFFOLD: replaced by the scoring work.
public struct EscalationScorer: Scorer {
    public var category: Category { .escalation }
    public init() {}
    public func score(_ transcript: Transcript, scenario: Scenario) -> CategoryScore? { nil }
}
