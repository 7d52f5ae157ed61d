import Foundation
import Testing
import SupportSimCore
import SupportSimEmbeddings
import SupportSimLexicons

/// The committed tone model over the real e5 model (`make setup` installs it; CI runs with it, and
/// a missing model fails these tests).
@Suite("The tone model with the real sentence embeddings")
struct ToneModelRealTests {
    static let meaningModel = MeaningModel.load()

    static func toned() throws -> TonedPolitenessAnalyzer {
        guard case .success(let embedder) = meaningModel else {
            Issue.record("meaning-based matching is not available: \(meaningModel); run `make setup`")
            throw CancellationError()
        }
        return try #require(BundledToneModel.analyzer(embedder: embedder))
    }

    @Test func givenAClearlyRudeSentenceTheLexiconMissesWhenReadThenTheModelJudgesItRudeAndSaysWhy() throws {
        // Given the lexicon with the committed tone model, and a rude sentence the lexicon alone misses
        // (English rudeness the shared corpora do not teach the model: see docs/scoring.md)
        let toned = try Self.toned()
        let context = ReplyContext(language: .ru), text = "Хватит ныть."
        #expect(ToneFixtures.analyzer.analyzeAll(text, context: context).isEmpty)
        // When the reply is read
        let reading = toned.read(text, context: context)
        // Then a tone-rude hit quotes the sentence and names the nearest rude labelled examples
        let hit = try #require(reading.toneHits.first { $0.strategy == ToneModel.rudeStrategy },
                               "judgements: \(reading.judgements)")
        #expect(hit.span == text)
        #expect(hit.explanation?.tone == .rude)
        #expect(hit.explanation?.neighbours.count == ToneModel.neighbourCount)
        #expect(hit.explanation?.neighbours.allSatisfy { $0.label == .rude && !$0.text.isEmpty } == true)
        #expect(reading.score < reading.lexiconScore)
    }

    @Test(arguments: [
        (ToneFixtures.en, "No problem at all, these settings are easy to miss."),
        (ReplyContext(language: .ru), "Ничего страшного, эту настройку легко пропустить."),
    ])
    func givenAPoliteSentenceWhenReadThenTheModelDoesNotCallItRude(_ context: ReplyContext, _ text: String) throws {
        // Given the lexicon with the committed tone model
        let toned = try Self.toned()
        // When a polite, reassuring reply is read
        let reading = toned.read(text, context: context)
        // Then no tone-rude hit is added and the score does not fall below the lexicon's
        #expect(!reading.toneHits.contains { $0.strategy == ToneModel.rudeStrategy }, "judgements: \(reading.judgements)")
        #expect(reading.score >= reading.lexiconScore)
    }

    @Test func givenAWarmWishTheLexiconMissesWhenReadThenTheModelCreditsItAsPoliteAndSaysWhy() throws {
        // Given the lexicon with the committed tone model, and a warm wish in which the lexicon finds nothing
        let toned = try Self.toned()
        let text = "Wishing you a calm rest of the week."
        #expect(ToneFixtures.analyzer.analyzeAll(text, context: ToneFixtures.en).isEmpty)
        // When it is read
        let reading = toned.read(text, context: ToneFixtures.en)
        // Then a tone-polite hit quotes it with polite labelled examples, and the score rises
        let hit = try #require(reading.toneHits.first, "judgements: \(reading.judgements)")
        #expect(hit.strategy == ToneModel.politeStrategy)
        #expect(hit.span == text)
        #expect(hit.explanation?.neighbours.allSatisfy { $0.label == .polite } == true)
        #expect(reading.score > reading.lexiconScore)
    }
}
