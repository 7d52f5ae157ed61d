import Foundation

/// What the analyzer knows about the moment a reply was given.
public struct ReplyContext: Sendable, Equatable {
    public var language: Language
    /// 1-based index among the trainee's free-text replies.
    public var replyIndex: Int
    public var customerMood: Mood
    public var customerName: String?
    /// Words in capitals that belong to the scenario (product names, codes): never shouting.
    public var knownTerms: Set<String>

    public init(language: Language, replyIndex: Int = 1, customerMood: Mood = .calm, customerName: String? = nil,
                knownTerms: Set<String> = []) {
        self.language = language; self.replyIndex = replyIndex; self.customerMood = customerMood
        self.customerName = customerName; self.knownTerms = knownTerms
    }
}

/// Finds politeness strategies in one reply (English and Russian): greetings, thanks, apologies,
/// softened requests ... and insults, disguised obscenities, blame, bare commands, shouting, «ты».
///
/// The phrases come from a `PolitenessLexicon`; everything is compiled once in `init`, and a reply
/// is read in one pass plus dictionary look-ups, so analysing is cheap enough for bulk evaluation.
public struct PolitenessAnalyzer: Sendable {
    public let lexicon: PolitenessLexicon
    private let compiled: CompiledPolitenessLexicon

    /// An analyzer for `lexicon` (compiled once here; keep the analyzer and reuse it).
    /// The bundled lexicons are served by `SupportSimLexicons.BundledLexicons`.
    public init(lexicon: PolitenessLexicon) {
        self.lexicon = lexicon
        self.compiled = CompiledPolitenessLexicon(lexicon)
    }

    /// The strategies found, in the order they occur in the reply. Spans are the reply's own text.
    /// Tone cues (strategies with `feedback: false`) are left out; see `analyzeAll`.
    public func analyze(_ text: String, context: ReplyContext) -> [StrategyHit] {
        compiled.analyze(text, context: context).compactMap { $0.feedback ? $0.hit : nil }
    }

    /// Every strategy found, tone cues included: what `replyScore` adds up.
    public func analyzeAll(_ text: String, context: ReplyContext) -> [StrategyHit] {
        compiled.analyze(text, context: context).map(\.hit)
    }

    /// A reply-level politeness score: 0–100, 50 for a neutral reply; a logistic of the summed
    /// weights of all strategies found, tone cues included.
    public func replyScore(_ text: String, context: ReplyContext) -> Double {
        let sum = compiled.analyze(text, context: context).reduce(0) { $0 + $1.weight }
        return 100 / (1 + exp(-0.6 * sum))
    }
}
