// SCAFFOLD: replaced by the scoring work.
public struct CorrectnessScorer: Scorer {
    public var category: Category { .correctness }
    public init() {}
    public func score(_ transcript: Transcript, scenario: Scenario) -> CategoryScore? { nil }
}
