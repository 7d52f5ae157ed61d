import Foundation
import Testing
import SupportSimCore
import SupportSimLexicons
@testable import SupportSimREPL

/// A two-axis embedder: "grr" words point one way, every other word the other.
private struct GrrEmbedder: SentenceEmbedder {
    var modelID: String { "grr@1" }
    var dimension: Int { 2 }
    func embed(_ text: String) -> [Float]? {
        let words = text.lowercased().split { !$0.isLetter }
        let grr = Float(words.count { $0 == "grr" }), other = Float(words.count) - grr
        let norm = (grr * grr + other * other).squareRoot()
        return norm == 0 ? nil : [grr / norm, other / norm]
    }
}

/// How the tone model's own judgements are shown: practice feedback and the debrief name the
/// sentence and the nearest labelled examples.
@Suite("Tone model feedback in the session and the debrief")
struct ToneFeedbackTests {
    static func tone() throws -> TonedPolitenessAnalyzer {
        let model = ToneModel(
            embeddingModel: "grr", dimension: 2, classes: [.rude, .neutral], weights: [[8, 0], [0, 8]], bias: [0, 0],
            rudeThreshold: 0.9, politeThreshold: 0.9, rudeWeight: 3, politeWeight: 1,
            exemplars: [ToneExemplar(text: "grr grr grr", label: .rude, vector: [1, 0]),
                        ToneExemplar(text: "plain words", label: .neutral, vector: [0, 1])])
        return try #require(TonedPolitenessAnalyzer(analyzer: BundledLexicons.analyzer, model: model, embedder: GrrEmbedder()))
    }

    @Test func givenARudeSentenceOnlyTheModelFindsWhenPlayedInPracticeThenTheFeedbackSaysWhy() throws {
        // Given a practice session with the tone model
        let h = Harness([.line("Grr grr grr."), .endOfInput], mode: .practice, tone: try Self.tone())
        // When the trainee sends a sentence only the model judges rude
        _ = h.session.run()
        // Then the feedback names the model's judgement, quotes the sentence and the nearest labelled example
        let text = h.output.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("✗ rude tone (tone model) \"Grr grr grr.\""), "\(h.output.text)")
        #expect(text.contains("tone model: rude (100%), like the labelled examples \"grr grr grr\""), "\(h.output.text)")
    }

    @Test func givenARudeSentenceOnlyTheModelFindsWhenTheDebriefIsShownInRussianThenTheDeductionSaysWhy() throws {
        // Given an exam with the tone model and a Russian interface
        let h = Harness([.line("Grr grr grr."), .endOfInput], mode: .exam, language: .ru, tone: try Self.tone())
        // When played to the debrief
        _ = h.session.run()
        // Then the politeness deduction for the sentence is followed by the model's reasons
        let text = h.output.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("«Grr grr grr.»"), "\(h.output.text)")
        #expect(text.contains("модель тона: грубо (100%), как размеченные примеры «grr grr grr»"), "\(h.output.text)")
    }

    @Test func givenNoToneModelWhenTheSameReplyIsPlayedThenNoToneFeedbackIsShown() {
        // Given a practice session with the lexicon alone
        let h = Harness([.line("Grr grr grr."), .endOfInput], mode: .practice)
        // When the same reply is sent
        _ = h.session.run()
        // Then nothing about a tone model is shown
        #expect(!h.output.text.contains("tone model"), "\(h.output.text)")
    }
}
