import Foundation

/// The lexicon and the tone model together.
///
/// - The lexicon's hits always stand.
/// - Each sentence the lexicon found nothing in (no hit's span lies in it) is embedded (at most
///   `ToneModel.maxSentences` of them, each cut to `maxSentenceScalars`) and judged by the model.
/// - Where the model alone is confident (probability at or above the class's threshold), the
///   sentence gets a `tone-rude` or `tone-polite` hit: its span is the sentence, its weight the
///   model's, and its explanation names the nearest labelled examples.
/// - The reply score is the lexicon's score moved by those hits on the same logistic scale:
///   exactly the lexicon's score when the model adds nothing.
public struct TonedPolitenessAnalyzer: Sendable {
    public let analyzer: PolitenessAnalyzer
    public let model: ToneModel
    public let embedder: any SentenceEmbedder

    /// The slope of the lexicon's logistic (`PolitenessAnalyzer.replyScore`): one weight unit moves
    /// the log-odds by this much.
    public static let slope = 0.6

    /// Nil when the embedder's vectors do not fit the model (another model or dimension).
    public init?(analyzer: PolitenessAnalyzer, model: ToneModel, embedder: any SentenceEmbedder) {
        guard model.accepts(embedder) else { return nil }
        self.analyzer = analyzer; self.model = model; self.embedder = embedder
    }

    /// One reply read by both.
    public struct Reading: Sendable {
        /// Every lexicon hit, tone cues included.
        public var lexiconHits: [StrategyHit]
        /// The model's judgements of the sentences the lexicon found nothing in.
        public var judgements: [ToneJudgement]
        /// The hits the model adds on its own.
        public var toneHits: [StrategyHit]
        /// The lexicon's own score and the combined score (0–100, 50 neutral).
        public var lexiconScore: Double
        public var score: Double
    }

    /// The sentences of `text` the model would embed (for embedding many replies in one batch first).
    public func sentencesToEmbed(_ text: String, context: ReplyContext) -> [String] {
        uncovered(text, hits: analyzer.analyzeAll(text, context: context)).map(model.embeddedText)
    }

    public func read(_ text: String, context: ReplyContext) -> Reading {
        let hits = analyzer.analyzeAll(text, context: context)
        let sentences = uncovered(text, hits: hits)
        let vectors = sentences.isEmpty ? [] : embedder.embed(batch: sentences.map(model.embeddedText))
        var judgements: [ToneJudgement] = []
        var toneHits: [StrategyHit] = []
        for (sentence, vector) in zip(sentences, vectors) {
            guard let vector, vector.count == model.dimension else { continue }
            var j = model.judge(sentence: sentence, vector: vector)
            j.probability = (j.probability * 1000).rounded() / 1000
            judgements.append(j)
            switch j.tone {
            case .rude where j.probability >= model.rudeThreshold:
                toneHits.append(StrategyHit(strategy: ToneModel.rudeStrategy, span: sentence, weight: -abs(model.rudeWeight),
                                            explanation: j.explanation))
            case .polite where j.probability >= model.politeThreshold:
                toneHits.append(StrategyHit(strategy: ToneModel.politeStrategy, span: sentence, weight: abs(model.politeWeight),
                                            explanation: j.explanation))
            default:
                break
            }
        }
        let lexiconScore = analyzer.replyScore(text, context: context)
        return Reading(lexiconHits: hits, judgements: judgements, toneHits: toneHits, lexiconScore: lexiconScore,
                       score: Self.combine(lexiconScore: lexiconScore, toneHits: toneHits))
    }

    /// The hits for feedback (`PolitenessAnalyzer.analyze`) with the model's hits, in reply order.
    public func analyze(_ text: String, context: ReplyContext) -> [StrategyHit] {
        let toneHits = read(text, context: context).toneHits
        return Self.ordered(analyzer.analyze(text, context: context) + toneHits, in: text)
    }

    /// The combined 0–100 score.
    public func replyScore(_ text: String, context: ReplyContext) -> Double {
        read(text, context: context).score
    }

    /// The lexicon's score with the model's hits added on its logistic scale.
    public static func combine(lexiconScore: Double, toneHits: [StrategyHit]) -> Double {
        guard !toneHits.isEmpty else { return lexiconScore }
        let p = min(max(lexiconScore / 100, 1e-9), 1 - 1e-9)
        let logit = log(p / (1 - p)) + slope * toneHits.reduce(0) { $0 + $1.weight }
        return 100 / (1 + exp(-logit))
    }

    /// The sentences no hit's span lies in, at most `maxSentences`.
    func uncovered(_ text: String, hits: [StrategyHit]) -> [String] {
        let spans = hits.map(\.span).filter { !$0.isEmpty }
        return Array(ToneModel.sentences(of: text).filter { s in !spans.contains { s.contains($0) } }.prefix(model.maxSentences))
    }

    /// Hits sorted by where their span first occurs in the text (stable for equal positions).
    static func ordered(_ hits: [StrategyHit], in text: String) -> [StrategyHit] {
        func position(_ h: StrategyHit) -> Int {
            guard let r = text.range(of: h.span) else { return Int.max }
            return text.distance(from: text.startIndex, to: r.lowerBound)
        }
        return hits.enumerated().sorted { a, b in
            let (pa, pb) = (position(a.element), position(b.element))
            return pa != pb ? pa < pb : a.offset < b.offset
        }.map(\.element)
    }
}
