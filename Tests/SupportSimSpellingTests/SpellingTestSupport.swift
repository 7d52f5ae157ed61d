import SupportSimCore
import SupportSimSpelling

/// The checker and small scenarios shared by the spelling tests.
enum Spelling {
    /// One checker for all tests (loading the Russian dictionary takes a moment).
    static let checker: HunspellChecker = {
        do { return try HunspellChecker() } catch { fatalError("\(error)") }
    }()

    static let scorer = SpellingScorer(checker: checker)

    /// A politeness analyzer with an empty lexicon: the pipeline tests are about spelling only.
    static let analyzer = PolitenessAnalyzer(lexicon: PolitenessLexicon())

    /// A one-node scenario; spelling is on when `spelling` is given.
    static func scenario(language: Language = .en, spelling: SpellingConfig? = SpellingConfig(),
                         weights: [Category: Double] = [.correctness: 40, .politeness: 30, .escalation: 30],
                         persona: String = "Olga Marsh", knowledgeBase: [KBArticle] = []) -> Scenario {
        Scenario(
            id: "spelling", title: "Spelling", language: language,
            persona: Persona(name: persona),
            scoring: ScoringConfig(weights: weights, spelling: spelling),
            knowledgeBase: knowledgeBase,
            start: "s1",
            nodes: [Node(id: "s1", customer: ["Hello"], closable: true)]
        )
    }

    /// A transcript whose turns are the given inputs (no engine events).
    static func transcript(_ inputs: [TraineeInput]) -> Transcript {
        Transcript(scenarioID: "spelling", seed: 1, turns: inputs.enumerated().map { i, input in
            Turn(index: i + 1, number: i + 1, input: input, node: "s1", moodBefore: .calm, events: [], elapsed: Double(i))
        })
    }

    static func replies(_ texts: String...) -> Transcript { transcript(texts.map { .reply($0) }) }

    /// The misspelt words the scorer reports, in order.
    static func misspelt(_ texts: String..., scenario: Scenario = Spelling.scenario()) -> [String] {
        let result = scorer.score(transcript(texts.map { .reply($0) }), scenario: scenario)
        return result?.deductions.compactMap(\.quote) ?? []
    }
}
