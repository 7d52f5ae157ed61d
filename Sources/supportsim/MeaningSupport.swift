import Foundation
import SupportSimCore
import SupportSimEmbeddings
import SupportSimLexicons
import SupportSimREPL

/// Meaning-based matching for the commands that read replies: the model is loaded once per
/// process; when it cannot be, one note says why and the command goes on with rules alone.
enum MeaningSupport {
    /// The loaded model with its disk cache, or why there is none.
    static let model: Result<CachingEmbedder, EmbeddingsUnavailable> = MeaningModel.load(environment: RunEnvironment.variables)

    nonisolated(unsafe) private static var noted = false

    /// The model, or nil after a one-line note (in `language`) on standard error saying why.
    static func embedder(language: Language) -> (any SentenceEmbedder)? {
        switch model {
        case .success(let embedder): return embedder
        case .failure(let reason): note(reason, language); return nil
        }
    }

    private static func note(_ reason: EmbeddingsUnavailable, _ language: Language) {
        guard !noted else { return }
        noted = true
        let text = UIStrings(language).meaningOff(reason.message(language))
        FileHandle.standardError.write(Data((TerminalText.sanitize(text) + "\n").utf8))
    }

    /// The lexicon with the bundled tone model over the meaning model, or nil (the lexicon alone,
    /// after a one-line note when the model file cannot be used) without the meaning model.
    static func tone(language: Language, lexicon: PolitenessAnalyzer = BundledLexicons.analyzer) -> TonedPolitenessAnalyzer? {
        guard case .success(let embedder) = model else { return nil }
        switch BundledToneModel.model {
        case .success:
            return BundledToneModel.analyzer(embedder: embedder, lexicon: lexicon)
        case .failure(let error):
            if !toneNoted {
                toneNoted = true
                FileHandle.standardError.write(Data((TerminalText.sanitize(error.message(language)) + "\n").utf8))
            }
            return nil
        }
    }

    nonisolated(unsafe) private static var toneNoted = false

    /// A meaning index for a scenario, with the node data built in the background while the
    /// trainee reads the ticket; nil (after a one-line note on standard error) without a model.
    static func index(for scenario: Scenario, language: Language? = nil, prepare: Bool = true) -> MeaningIndex? {
        switch model {
        case .success(let embedder):
            let index = MeaningIndex(scenario: scenario, embedder: embedder)
            if prepare { Thread.detachNewThread { index.prepare() } }
            return index
        case .failure(let reason):
            note(reason, language ?? scenario.language)
            return nil
        }
    }
}
