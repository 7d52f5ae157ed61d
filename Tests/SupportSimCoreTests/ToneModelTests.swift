import Foundation
import Testing
@testable import SupportSimCore
import SupportSimLexicons

/// A deterministic embedder for the tone model's math: three axes, "grr" (rude), "plain"
/// (neutral) and "purr" (polite), counted per word and L2-normalised. It counts its calls.
final class AxisEmbedder: SentenceEmbedder, @unchecked Sendable {
    let modelID: String
    var dimension: Int { 3 }
    private let lock = NSLock()
    private var texts: [String] = []
    init(modelID: String = "axis@1") { self.modelID = modelID }

    var embedded: [String] { lock.withLock { texts } }

    func embed(_ text: String) -> [Float]? {
        lock.withLock { texts.append(text) }
        let words = text.lowercased().split { !$0.isLetter }
        var v: [Float] = [0, 0, 0]
        for w in words {
            if w == "grr" { v[0] += 1 } else if w == "purr" { v[2] += 1 } else { v[1] += 0.25 }
        }
        let norm = (v.reduce(0) { $0 + $1 * $1 }).squareRoot()
        return norm == 0 ? nil : v.map { $0 / norm }
    }
}

enum ToneFixtures {
    /// Class k's weight row picks axis k, so a sentence made of "grr" is rude with high probability.
    static func model(rudeThreshold: Double = 0.8, politeThreshold: Double = 0.8) -> ToneModel {
        ToneModel(
            embeddingModel: "axis", dimension: 3, classes: [.rude, .neutral, .polite],
            weights: [[6, 0, 0], [0, 6, 0], [0, 0, 6]], bias: [0, 0, 0],
            rudeThreshold: rudeThreshold, politeThreshold: politeThreshold, rudeWeight: 2, politeWeight: 1.5,
            maxSentences: 3, maxSentenceScalars: 120,
            exemplars: [
                ToneExemplar(text: "grr grr", label: .rude, vector: [1, 0, 0]),
                ToneExemplar(text: "grr plain", label: .rude, vector: [0.97, 0.24, 0]),
                ToneExemplar(text: "plain words", label: .neutral, vector: [0, 1, 0]),
                ToneExemplar(text: "purr", label: .polite, vector: [0, 0, 1]),
            ])
    }

    static let analyzer = BundledLexicons.analyzer
    static let en = ReplyContext(language: .en)
}

@Suite("The tone model: sentence judgements combined with the lexicon")
struct ToneModelTests {
    @Test func givenAVectorWhenClassifiedThenTheProbabilitiesSumToOneAndTheLargestScoreWins() {
        // Given the hand-made model
        let model = ToneFixtures.model()
        // When a rude-axis vector is classified
        let p = model.probabilities([1, 0, 0])
        let (tone, probability) = model.classify([1, 0, 0])
        // Then the softmax is a distribution and rude wins with exp(6)/(exp(6)+2)
        #expect(abs(p.reduce(0, +) - 1) < 1e-9)
        #expect(tone == .rude)
        #expect(abs(probability - exp(6) / (exp(6) + 2)) < 1e-9)
    }

    @Test func givenExemplarsWhenNearestIsAskedThenOnlyTheJudgedLabelIsNamedClosestFirst() {
        // Given the hand-made model's examples
        let model = ToneFixtures.model()
        // When the nearest rude examples of a vector between "grr grr" and "grr plain" are asked
        let near = model.nearest([1, 0.05, 0], label: .rude)
        // Then both rude examples are named, the closer first, and no example of another label
        #expect(near.map(\.text) == ["grr grr", "grr plain"])
        #expect(near.allSatisfy { $0.label == .rude })
        #expect(near[0].similarity > 0.95)
    }

    @Test func givenAQuantisedExemplarWhenComparedThenItsSimilarityIsTheCosineWithinRounding() {
        // Given a unit vector stored as signed bytes
        let v: [Float] = [0.6, -0.8, 0]
        let e = ToneExemplar(text: "x", label: .neutral, vector: v)
        // When it is compared with itself and with an orthogonal vector
        // Then the similarities are 1 and 0 within the quantisation error
        #expect(abs(e.similarity(v) - 1) < 0.01)
        #expect(abs(e.similarity([0.8, 0.6, 0])) < 0.01)
    }

    @Test func givenAReplyWhenSplitThenTheSentencesAreThoseTheLexiconReads() {
        // Given a reply of three sentences with closing punctuation
        let text = "Hello there. Grr grr!  Is it plain?"
        // When it is split
        // Then each sentence keeps its punctuation, without surrounding spaces
        #expect(ToneModel.sentences(of: text) == ["Hello there.", "Grr grr!", "Is it plain?"])
        #expect(ToneModel.sentences(of: "   ").isEmpty)
    }

    @Test func givenARudeSentenceTheLexiconMissesWhenReadThenTheModelAddsAToneHitWithItsReasons() throws {
        // Given the lexicon with the hand-made model over the axis embedder
        let embedder = AxisEmbedder()
        let toned = try #require(TonedPolitenessAnalyzer(analyzer: ToneFixtures.analyzer, model: ToneFixtures.model(), embedder: embedder))
        let text = "Grr grr grr."
        #expect(ToneFixtures.analyzer.analyzeAll(text, context: ToneFixtures.en).isEmpty)
        // When the reply is read
        let reading = toned.read(text, context: ToneFixtures.en)
        // Then one tone-rude hit spans the sentence, weighs the model's rude weight, and names the rude examples
        let hit = try #require(reading.toneHits.first)
        #expect(reading.toneHits.count == 1)
        #expect(hit.strategy == ToneModel.rudeStrategy)
        #expect(hit.span == "Grr grr grr.")
        #expect(hit.weight == -2)
        #expect(hit.explanation?.tone == .rude)
        #expect(hit.explanation?.neighbours.map(\.text) == ["grr grr", "grr plain"])
        // And the score falls below the lexicon's neutral 50 by the hit's weight on the logistic scale
        #expect(reading.lexiconScore == 50)
        #expect(abs(reading.score - 100 / (1 + exp(0.6 * 2))) < 1e-9)
        #expect(toned.analyze(text, context: ToneFixtures.en).map(\.strategy) == [ToneModel.rudeStrategy])
    }

    @Test func givenASentenceTheLexiconAlreadyReadsWhenReadThenTheModelDoesNotEmbedOrJudgeIt() throws {
        // Given a reply whose first sentence the lexicon finds thanks in, and a second it finds nothing in
        let embedder = AxisEmbedder()
        let toned = try #require(TonedPolitenessAnalyzer(analyzer: ToneFixtures.analyzer, model: ToneFixtures.model(), embedder: embedder))
        let text = "Thank you for waiting. Grr grr."
        #expect(!ToneFixtures.analyzer.analyzeAll("Thank you for waiting.", context: ToneFixtures.en).isEmpty)
        // When it is read
        let reading = toned.read(text, context: ToneFixtures.en)
        // Then only the second sentence is embedded and judged; the lexicon's hits stand
        #expect(embedder.embedded == ["Grr grr."])
        #expect(reading.judgements.map(\.sentence) == ["Grr grr."])
        #expect(reading.lexiconHits == ToneFixtures.analyzer.analyzeAll(text, context: ToneFixtures.en))
        let hits = toned.analyze(text, context: ToneFixtures.en)
        #expect(hits.last?.strategy == ToneModel.rudeStrategy)
        #expect(Array(hits.dropLast()) == ToneFixtures.analyzer.analyze(text, context: ToneFixtures.en))
    }

    @Test func givenAnUnsureModelWhenReadThenNothingIsAddedAndTheScoreIsTheLexiconsExactly() throws {
        // Given thresholds no judgement reaches
        let toned = try #require(TonedPolitenessAnalyzer(
            analyzer: ToneFixtures.analyzer, model: ToneFixtures.model(rudeThreshold: 1.01, politeThreshold: 1.01),
            embedder: AxisEmbedder()))
        for text in ["Grr grr grr.", "Purr purr.", "Please restart the printer, grr."] {
            // When a reply is read
            let reading = toned.read(text, context: ToneFixtures.en)
            // Then the model adds no hit and the score is the lexicon's own
            #expect(reading.toneHits.isEmpty)
            #expect(reading.score == ToneFixtures.analyzer.replyScore(text, context: ToneFixtures.en))
        }
    }

    @Test func givenAPoliteSentenceTheLexiconMissesWhenReadThenAPoliteHitRaisesTheScore() throws {
        // Given the hand-made model
        let toned = try #require(TonedPolitenessAnalyzer(analyzer: ToneFixtures.analyzer, model: ToneFixtures.model(), embedder: AxisEmbedder()))
        // When a sentence made of the polite axis is read
        let reading = toned.read("Purr purr.", context: ToneFixtures.en)
        // Then it gets a tone-polite hit naming the polite example, and the score rises above 50
        #expect(reading.toneHits.map(\.strategy) == [ToneModel.politeStrategy])
        #expect(reading.toneHits.first?.explanation?.neighbours.map(\.text) == ["purr"])
        #expect(reading.score > 50)
    }

    @Test func givenAnEmbedderOfAnotherModelWhenCombinedThenTheToneAnalyzerIsRefused() {
        // Given an embedder whose model id is not the one the weights were trained on
        // When the combination is made / Then there is none (the lexicon works alone)
        #expect(TonedPolitenessAnalyzer(analyzer: ToneFixtures.analyzer, model: ToneFixtures.model(),
                                        embedder: AxisEmbedder(modelID: "other@1")) == nil)
    }

    @Test func givenNoToneAnalyzerWhenTheEngineReadsAReplyThenItsPolitenessHitsAreTheLexiconsAlone() throws {
        // Given two engines on the same scenario, one with the tone model and one without
        let scenario = ReadingScenario.make()
        var plain = Engine(scenario: scenario, seed: 1, analyzer: ToneFixtures.analyzer)
        let toned = TonedPolitenessAnalyzer(analyzer: ToneFixtures.analyzer, model: ToneFixtures.model(), embedder: AxisEmbedder())
        var withTone = Engine(scenario: scenario, seed: 1, analyzer: ToneFixtures.analyzer, tone: toned)
        _ = plain.start(); _ = withTone.start()
        let reply = "Hello. Grr grr, cancel all three jobs."
        // When both read the same reply
        let a = plain.handle(.reply(reply)), b = withTone.handle(.reply(reply))
        // Then without the model the hits are exactly the lexicon's; with it a tone hit with its reasons is recorded
        let lexicon = ToneFixtures.analyzer.analyze(reply, context: ReplyContext(language: scenario.language, replyIndex: 1,
                                                                                customerMood: scenario.persona.mood,
                                                                                customerName: scenario.persona.name))
        #expect(Self.politeness(a) == lexicon)
        #expect(Self.politeness(b).contains { $0.strategy == ToneModel.rudeStrategy && $0.explanation != nil })
    }

    static func politeness(_ events: [EngineEvent]) -> [StrategyHit] {
        events.flatMap { event -> [StrategyHit] in if case .politeness(let hits) = event { hits } else { [] } }
    }
}

@Suite("Tone model files and stored hits")
struct ToneModelFileTests {
    @Test func givenAModelWhenWrittenAndReadThenItIsTheSameModel() throws {
        // Given the hand-made model
        let model = ToneFixtures.model()
        // When it is encoded and decoded
        let data = try ToneModelFile.encode(model)
        // Then it comes back equal, and the encoding is deterministic
        #expect(try ToneModelFile.decode(data).get() == model)
        #expect(try ToneModelFile.encode(model) == data)
    }

    @Test func givenDamagedFilesWhenReadThenEachIsAnErrorValueWithAReason() throws {
        // Given a good file
        let data = try ToneModelFile.encode(ToneFixtures.model())
        var flipped = data
        flipped[flipped.count - 10] ^= 0x01
        // When damaged versions are read / Then each is refused with its own reason
        #expect(ToneModelFile.decode(Data()) == .failure(.empty))
        #expect(ToneModelFile.decode(Data("hello\nworld".utf8)) == .failure(.notAToneModel))
        #expect(ToneModelFile.decode(data.prefix(data.count / 2)) == .failure(.truncated))
        #expect(ToneModelFile.decode(flipped) == .failure(.checksumMismatch))
        let v2 = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"version\":1", with: "\"version\":2")
        #expect(ToneModelFile.decode(Data(v2.utf8)) == .failure(.unsupportedVersion(2)))
        // And the message says what to do, in both languages
        #expect(ToneModelFileError.checksumMismatch.message(.en).contains("Scripts/train-tone.sh"))
        #expect(ToneModelFileError.checksumMismatch.message(.ru).contains("Scripts/train-tone.sh"))
    }

    @Test func givenAModelWithWrongShapesWhenReadThenItIsRefused() throws {
        // Given a model whose weight rows do not have the declared dimension
        var model = ToneFixtures.model()
        model.weights[1] = [1, 2]
        // When it is written and read back / Then it is refused as malformed
        guard case .failure(.malformed) = ToneModelFile.decode(try ToneModelFile.encode(model)) else {
            Issue.record("a malformed model was accepted"); return
        }
    }

    @Test func givenAStoredHitWithoutAnExplanationWhenDecodedThenItHasNone() throws {
        // Given a politeness event as stored before explanations existed
        let json = #"{"politeness":{"hits":[{"strategy":"gratitude","span":"thanks","weight":1.5}]}}"#
        // When it is decoded
        let event = try JSONDecoder().decode(EngineEvent.self, from: Data(json.utf8))
        // Then the hit is read, without an explanation
        #expect(event == .politeness(hits: [StrategyHit(strategy: "gratitude", span: "thanks", weight: 1.5)]))
    }

    @Test func givenAHitWithAnExplanationWhenStoredAndReadThenTheExplanationSurvives() throws {
        // Given a tone hit with its reasons
        let hit = StrategyHit(strategy: ToneModel.rudeStrategy, span: "Whatever.", weight: -2, explanation: ToneExplanation(
            tone: .rude, probability: 0.93, neighbours: [ToneNeighbour(text: "whatever, not my problem", label: .rude, similarity: 0.91)]))
        let event = EngineEvent.politeness(hits: [hit])
        // When it goes through JSON as the store keeps events
        let back = try JSONDecoder().decode(EngineEvent.self, from: JSONEncoder().encode(event))
        // Then it is unchanged
        #expect(back == event)
    }
}

@Suite("The bundled tone model")
struct BundledToneModelTests {
    @Test func givenTheCommittedWeightsWhenLoadedThenTheyAreValidForTheMultilingualE5Model() throws {
        // Given the weights committed in SupportSimLexicons/Models/tone.json
        // When they are loaded (format, version and checksum checked)
        let model = try BundledToneModel.model.get()
        // Then they fit 384-dimensional e5-small vectors, have three classes and labelled examples of each
        #expect(model.embeddingModel.hasPrefix("e5-small-q4"))
        #expect(model.dimension == 384)
        #expect(model.classes == [.rude, .neutral, .polite])
        for label in ToneClass.allCases { #expect(model.exemplars.contains { $0.label == label }) }
        #expect(model.rudeThreshold > 0.5 && model.politeThreshold > 0.5)
    }

    @Test func givenAMissingFileWhenLoadedThenItIsAnErrorValue() {
        // Given a path with no file / When it is loaded / Then the error names the file
        #expect(BundledToneModel.load(path: "/nonexistent/tone.json") == .failure(.missing(path: "/nonexistent/tone.json")))
    }
}
