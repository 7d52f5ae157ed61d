import Foundation

/// A sentence-level tone classifier over sentence embeddings: multinomial logistic regression
/// (rude / neutral / polite) on the embedding of one sentence, plus a small set of labelled
/// examples with quantised vectors, so that every judgement can name the nearest of them.
///
/// The weights are data (trained by `supportsim-eval train-tone`, committed as
/// `SupportSimLexicons/Models/tone.json`, read with `ToneModelFile`). This type is pure: the
/// embeddings come from a `SentenceEmbedder`.
public struct ToneModel: Sendable, Equatable, Codable {
    /// The embedding model the weights were trained on (a prefix of `SentenceEmbedder.modelID`,
    /// e.g. `e5-small-q4`): vectors of another model mean nothing to them.
    public var embeddingModel: String
    public var dimension: Int
    /// The classes, in the order of `weights` and `bias`.
    public var classes: [ToneClass]
    /// One row of `dimension` weights per class.
    public var weights: [[Float]]
    public var bias: [Float]
    /// The probability the model needs to add a `tone-rude` / `tone-polite` hit on its own.
    public var rudeThreshold: Double
    public var politeThreshold: Double
    /// The weight of such a hit, in the units of the lexicon's strategy weights (negative for rude).
    public var rudeWeight: Double
    public var politeWeight: Double
    /// Bounded work per reply: at most this many sentences are embedded, each cut to this many
    /// Unicode scalars (the engine caps tokens too).
    public var maxSentences: Int
    public var maxSentenceScalars: Int
    /// Labelled examples for explanations.
    public var exemplars: [ToneExemplar]
    /// How the weights were made (data, split, figures); shown by nothing, kept for people.
    public var provenance: [String: String]

    public init(embeddingModel: String, dimension: Int, classes: [ToneClass], weights: [[Float]], bias: [Float],
                rudeThreshold: Double, politeThreshold: Double, rudeWeight: Double, politeWeight: Double,
                maxSentences: Int = 4, maxSentenceScalars: Int = 120, exemplars: [ToneExemplar] = [],
                provenance: [String: String] = [:]) {
        self.embeddingModel = embeddingModel; self.dimension = dimension; self.classes = classes
        self.weights = weights; self.bias = bias
        self.rudeThreshold = rudeThreshold; self.politeThreshold = politeThreshold
        self.rudeWeight = rudeWeight; self.politeWeight = politeWeight
        self.maxSentences = maxSentences; self.maxSentenceScalars = maxSentenceScalars
        self.exemplars = exemplars; self.provenance = provenance
    }

    /// The strategy ids of hits the model adds on its own.
    public static let rudeStrategy = "tone-rude"
    public static let politeStrategy = "tone-polite"
    /// How many labelled examples an explanation names.
    public static let neighbourCount = 2

    /// A model with the right shapes (checked when a file is read).
    public var isWellFormed: Bool {
        dimension > 0 && !classes.isEmpty && Set(classes).count == classes.count && weights.count == classes.count
            && bias.count == classes.count && weights.allSatisfy { $0.count == dimension }
            && (weights.joined().allSatisfy(\.isFinite)) && bias.allSatisfy(\.isFinite)
            && exemplars.allSatisfy { $0.codes.count == dimension && $0.scale.isFinite }
            && maxSentences > 0 && maxSentenceScalars > 0
    }

    /// Whether vectors of the embedder `modelID` fit these weights.
    public func accepts(_ embedder: any SentenceEmbedder) -> Bool {
        embedder.dimension == dimension && embedder.modelID.hasPrefix(embeddingModel)
    }

    /// Class probabilities (softmax of the linear scores), in the order of `classes`.
    public func probabilities(_ vector: [Float]) -> [Double] {
        guard vector.count == dimension else { return classes.map { _ in 1 / Double(classes.count) } }
        let logits = zip(weights, bias).map { Double(dot($0, vector) + $1) }
        let top = logits.max() ?? 0
        let e = logits.map { exp($0 - top) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }

    /// The most probable class and its probability.
    public func classify(_ vector: [Float]) -> (tone: ToneClass, probability: Double) {
        let p = probabilities(vector)
        let i = p.indices.max { p[$0] < p[$1] } ?? 0
        return (classes[i], p[i])
    }

    /// The labelled examples with `label` closest to `vector` (cosine), closest first.
    public func nearest(_ vector: [Float], label: ToneClass, count: Int = ToneModel.neighbourCount) -> [ToneNeighbour] {
        var scored: [(Int, Float)] = []
        for (i, e) in exemplars.enumerated() where e.label == label { scored.append((i, e.similarity(vector))) }
        scored.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        return scored.prefix(count).map {
            ToneNeighbour(text: exemplars[$0.0].text, label: label, similarity: (Double($0.1) * 1000).rounded() / 1000)
        }
    }

    /// The judgement of one sentence's vector, with its explanation.
    public func judge(sentence: String, vector: [Float]) -> ToneJudgement {
        let (tone, p) = classify(vector)
        return ToneJudgement(sentence: sentence, tone: tone, probability: p,
                             neighbours: nearest(vector, label: tone))
    }

    /// The sentences of a reply as the lexicon reads them (the politeness tokenizer's sentences),
    /// each with its text as typed (closing punctuation included).
    public static func sentences(of text: String) -> [String] {
        let tokens = PolitenessText(text).tokens
        guard !tokens.isEmpty else { return [] }
        var result: [String] = []
        var start = tokens[0].range.lowerBound
        var current = tokens[0].sentence
        for t in tokens.dropFirst() where t.sentence != current {
            result.append(String(text[start..<t.range.lowerBound]))
            start = t.range.lowerBound
            current = t.sentence
        }
        result.append(String(text[start...]))
        return result.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// The text embedded for a sentence: its first `maxSentenceScalars` scalars.
    public func embeddedText(_ sentence: String) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: sentence.unicodeScalars.prefix(maxSentenceScalars))
        return String(view)
    }

    private func dot(_ a: [Float], _ b: [Float]) -> Float {
        var s: Float = 0
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in for i in 0..<pa.count { s += pa[i] * pb[i] } } }
        return s
    }
}

/// A labelled example: a text and its embedding quantised to signed bytes (`codes * scale`).
public struct ToneExemplar: Sendable, Equatable, Codable {
    public var text: String
    public var label: ToneClass
    public var codes: [Int8]
    public var scale: Float

    public init(text: String, label: ToneClass, vector: [Float]) {
        self.text = text
        self.label = label
        let top = vector.map { abs($0) }.max() ?? 0
        let scale: Float = top > 0 ? top / 127 : 1
        self.scale = scale
        codes = vector.map { Int8(clamping: Int(($0 / scale).rounded())) }
    }

    /// Cosine similarity with a unit vector (the stored vector is a unit vector up to rounding).
    public func similarity(_ vector: [Float]) -> Float {
        guard vector.count == codes.count else { return -1 }
        var s: Float = 0
        for i in 0..<codes.count { s += Float(codes[i]) * vector[i] }
        return s * scale
    }

    enum CodingKeys: String, CodingKey { case text, label, vector, scale }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        text = try c.decode(String.self, forKey: .text)
        label = try c.decode(ToneClass.self, forKey: .label)
        scale = try c.decode(Float.self, forKey: .scale)
        guard let data = Data(base64Encoded: try c.decode(String.self, forKey: .vector)) else {
            throw DecodingError.dataCorruptedError(forKey: .vector, in: c, debugDescription: "not base64")
        }
        codes = data.map { Int8(bitPattern: $0) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(text, forKey: .text)
        try c.encode(label, forKey: .label)
        try c.encode(scale, forKey: .scale)
        try c.encode(Data(codes.map { UInt8(bitPattern: $0) }).base64EncodedString(), forKey: .vector)
    }
}

/// A labelled example close to a judged sentence.
public struct ToneNeighbour: Sendable, Equatable, Codable {
    public var text: String
    public var label: ToneClass
    public var similarity: Double
    public init(text: String, label: ToneClass, similarity: Double) {
        self.text = text; self.label = label; self.similarity = similarity
    }
}

/// Why the tone model judged a sentence as it did (kept with the hit it adds, for the debrief).
public struct ToneExplanation: Sendable, Equatable, Codable {
    public var tone: ToneClass
    public var probability: Double
    /// The nearest labelled examples with the same label, closest first.
    public var neighbours: [ToneNeighbour]
    public init(tone: ToneClass, probability: Double, neighbours: [ToneNeighbour]) {
        self.tone = tone; self.probability = probability; self.neighbours = neighbours
    }
}

/// The model's judgement of one sentence.
public struct ToneJudgement: Sendable, Equatable {
    public var sentence: String
    public var tone: ToneClass
    public var probability: Double
    public var neighbours: [ToneNeighbour]

    public var explanation: ToneExplanation { ToneExplanation(tone: tone, probability: probability, neighbours: neighbours) }
}
