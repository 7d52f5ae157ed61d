// SCAFFOLD: replaced by the scoring work.
public struct PolitenessScorer: Scorer {
    public var category: Category { .politeness }
    public var analyzer: PolitenessAnalyzer
    public init(analyzer: PolitenessAnalyzer = PolitenessAnalyzer()) { self.analyzer = analyzer }
    public func score(_ transcript: Transcript, scenario: Scenario) -> CategoryScore? { nil }
}
