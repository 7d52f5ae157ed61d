/// Runs every scorer over a transcript and combines the categories into a `ScoreCard`.
public struct ScoringPipeline: Sendable {
    public var scorers: [any Scorer]

    public init(scorers: [any Scorer]) { self.scorers = scorers }

    /// The analyzer of the pipeline's politeness scorer (nil without one), for the engine that plays the session.
    public var analyzer: PolitenessAnalyzer? { scorers.lazy.compactMap { ($0 as? PolitenessScorer)?.analyzer }.first }

    /// Correctness, politeness and escalation with the default analyzers; spelling too when a
    /// `spellChecker` is given (the category still applies only to scenarios that turn it on).
    public static func standard(analyzer: PolitenessAnalyzer,
                                spellChecker: (any SpellChecker)? = nil) -> ScoringPipeline {
        var scorers: [any Scorer] = [
            CorrectnessScorer(),
            PolitenessScorer(analyzer: analyzer),
            EscalationScorer(),
        ]
        if let spellChecker { scorers.append(SpellingScorer(checker: spellChecker)) }
        return ScoringPipeline(scorers: scorers)
    }

    /// The weight of spelling when the scenario turns it on without giving one.
    public static let defaultSpellingWeight = 10.0

    public func score(_ transcript: Transcript, scenario: Scenario) -> ScoreCard {
        let categories = scorers.compactMap { $0.score(transcript, scenario: scenario) }
        var weighted = 0.0, weights = 0.0
        for c in categories {
            let w = scenario.scoring.weights[c.category]
                ?? (c.category == .spelling ? Self.defaultSpellingWeight : 0)
            weighted += w * Double(c.score)
            weights += w
        }
        let total = weights > 0 ? Int((weighted / weights).rounded()) : 0
        return ScoreCard(
            categories: categories, total: total, passMark: Int(scenario.scoring.passMark.rounded()),
            critical: CriticalErrors.find(in: transcript)
        )
    }
}

/// Critical errors recorded by the engine during the session.
public enum CriticalErrors {
    public static func find(in transcript: Transcript) -> [Evidence] {
        transcript.turns.flatMap { turn in
            turn.events.compactMap { event -> Evidence? in
                guard case .critical(let rule, let reason, _) = event else { return nil }
                return Evidence(.critical, points: 0, turn: turn.number, quote: turn.input.text,
                                rule: "critical:\(rule)", message: reason)
            }
        }
    }
}
