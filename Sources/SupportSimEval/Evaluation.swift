import Foundation
import SupportSimCore

/// Why an evaluation could not run.
public enum EvaluationError: Error, Equatable, CustomStringConvertible, LocalizedError {
    case notANumber(column: String, row: Int, value: String)
    case noRows

    public var description: String {
        switch self {
        case .notANumber(let column, let row, let value):
            "row \(row): column \"\(column)\" holds \"\(value)\", not a number"
        case .noRows:
            "the file has no data rows"
        }
    }

    public var errorDescription: String? { description }
}

/// How the continuous gold label is turned into two classes.
public enum GoldClasses: String, Sendable, CaseIterable, Codable {
    /// Top quartile polite, bottom quartile impolite, middle half left out.
    case quartile
    /// Above zero polite, below zero impolite, zero left out.
    case sign
}

/// Scores texts one after the other on the calling thread and measures the scoring time only.
public func scoreTimed(_ texts: [String], _ score: (String) -> Double) -> (scores: [Double], seconds: Double) {
    var scores = [Double](repeating: 0, count: texts.count)
    let clock = ContinuousClock()
    let start = clock.now
    for i in texts.indices { scores[i] = score(texts[i]) }
    return (scores, (clock.now - start).seconds)
}

extension Duration {
    /// The duration in seconds.
    public var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }
}

// MARK: - Graded texts (one text, one continuous politeness label)

public struct GradedText: Sendable, Equatable {
    public var text: String
    public var gold: Double
    public init(text: String, gold: Double) { self.text = text; self.gold = gold }
}

/// Reads the text and gold-score columns of a delimited file.
public func loadGradedTexts(path: String, delimiter: Delimiter? = nil, text: String, score: String) throws -> [GradedText] {
    try loadGradedTexts(reader: DelimitedReader(path: path, delimiter: delimiter), text: text, score: score)
}

public func loadGradedTexts(reader: DelimitedReader, text: String, score: String) throws -> [GradedText] {
    let t = try reader.column(named: text), s = try reader.column(named: score)
    var rows: [GradedText] = []
    while let r = try reader.next() {
        let raw = r[s].trimmingCharacters(in: .whitespaces)
        guard let g = Double(raw), g.isFinite else {
            throw EvaluationError.notANumber(column: reader.header[s], row: reader.rowNumber, value: raw)
        }
        rows.append(GradedText(text: r[t], gold: g))
    }
    guard !rows.isEmpty else { throw EvaluationError.noRows }
    return rows
}

/// The figures of a politeness evaluation against a continuous gold label.
public struct PolitenessReport: Sendable, Equatable, Encodable {
    public var n: Int
    public var classes: GoldClasses
    /// Rows in the two classes (the rows the accuracies are computed on).
    public var evaluated: Int
    public var polite: Int
    public var impolite: Int
    /// The gold cut points of the class split.
    public var goldLowerCut: Double
    public var goldUpperCut: Double
    /// Spearman correlation of score and gold over all rows; nil when undefined (constant scores).
    public var spearman: Double?
    /// The decision threshold of `accuracy`: predicted polite when score > threshold.
    public var threshold: Double
    public var thresholdRule: String
    public var accuracy: Double?
    /// Evaluated rows whose score equals `threshold` exactly (they count as predicted impolite).
    public var tiedAtThreshold: Int
    /// Accuracy at the scorer's neutral point 50 (predicted polite when score > 50).
    public var accuracyAtNeutral: Double?
    /// Mean score of each class.
    public var meanScorePolite: Double?
    public var meanScoreImpolite: Double?
    public var scoringSeconds: Double
    public var repliesPerSecond: Double

    enum CodingKeys: String, CodingKey {
        case n, classes, evaluated, polite, impolite
        case goldLowerCut = "gold_lower_cut", goldUpperCut = "gold_upper_cut"
        case spearman, threshold, thresholdRule = "threshold_rule", accuracy
        case tiedAtThreshold = "tied_at_threshold", accuracyAtNeutral = "accuracy_at_neutral"
        case meanScorePolite = "mean_score_polite", meanScoreImpolite = "mean_score_impolite"
        case scoringSeconds = "scoring_seconds", repliesPerSecond = "replies_per_second"
    }

    /// Every key is written; undefined figures are `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(n, forKey: .n); try c.encode(classes, forKey: .classes); try c.encode(evaluated, forKey: .evaluated)
        try c.encode(polite, forKey: .polite); try c.encode(impolite, forKey: .impolite)
        try c.encode(goldLowerCut, forKey: .goldLowerCut); try c.encode(goldUpperCut, forKey: .goldUpperCut)
        try c.encode(spearman, forKey: .spearman); try c.encode(threshold, forKey: .threshold)
        try c.encode(thresholdRule, forKey: .thresholdRule); try c.encode(accuracy, forKey: .accuracy)
        try c.encode(tiedAtThreshold, forKey: .tiedAtThreshold); try c.encode(accuracyAtNeutral, forKey: .accuracyAtNeutral)
        try c.encode(meanScorePolite, forKey: .meanScorePolite); try c.encode(meanScoreImpolite, forKey: .meanScoreImpolite)
        try c.encode(scoringSeconds, forKey: .scoringSeconds); try c.encode(repliesPerSecond, forKey: .repliesPerSecond)
    }
}

/// The neutral point of the 0–100 politeness scale.
public let neutralScore = 50.0

/// Evaluates already computed scores against the gold labels.
///
/// - quartile: the threshold is the median of the scorer's own values over the evaluated rows.
///   It uses no gold label, only the fact that the two quartiles are the same size, so nothing is
///   fitted to the data; the accuracy at the neutral point 50 is reported as well.
/// - sign: the threshold is the neutral point 50.
public func evaluatePoliteness(gold: [Double], scores: [Double], classes: GoldClasses, scoringSeconds: Double) -> PolitenessReport {
    precondition(gold.count == scores.count)
    let split = classes == .quartile ? ClassSplit.quartiles(gold) : ClassSplit.sign(gold)
    let selectedScores = split.selected.map { scores[$0] }
    let threshold: Double
    let rule: String
    switch classes {
    case .quartile:
        threshold = Metrics.median(selectedScores) ?? neutralScore
        rule = "median of the scores over the evaluated rows (no gold labels used)"
    case .sign:
        threshold = neutralScore
        rule = "neutral point 50"
    }
    func mean(_ idx: [Int]) -> Double? { idx.isEmpty ? nil : idx.reduce(0) { $0 + scores[$1] } / Double(idx.count) }
    return PolitenessReport(
        n: gold.count, classes: classes, evaluated: split.count,
        polite: split.polite.count, impolite: split.impolite.count,
        goldLowerCut: split.lowerCut, goldUpperCut: split.upperCut,
        spearman: Metrics.spearman(scores, gold),
        threshold: threshold, thresholdRule: rule,
        accuracy: split.accuracy(predicted: scores, threshold: threshold),
        tiedAtThreshold: selectedScores.count { $0 == threshold },
        accuracyAtNeutral: split.accuracy(predicted: scores, threshold: neutralScore),
        meanScorePolite: mean(split.polite), meanScoreImpolite: mean(split.impolite),
        scoringSeconds: scoringSeconds,
        repliesPerSecond: scoringSeconds > 0 ? Double(gold.count) / scoringSeconds : 0
    )
}

/// Scores every text and evaluates.
public func evaluatePoliteness(_ rows: [GradedText], classes: GoldClasses, score: (String) -> Double) -> PolitenessReport {
    let (scores, seconds) = scoreTimed(rows.map(\.text), score)
    return evaluatePoliteness(gold: rows.map(\.gold), scores: scores, classes: classes, scoringSeconds: seconds)
}

// MARK: - Paired texts (a rude text and its neutral rewrites)

public struct RewritePair: Sendable, Equatable {
    public var rude: String
    /// The non-empty rewrites.
    public var neutral: [String]
    public init(rude: String, neutral: [String]) { self.rude = rude; self.neutral = neutral }
}

/// Reads a rude column and one or more neutral columns; empty (or blank) neutral cells are skipped.
public func loadRewritePairs(path: String, delimiter: Delimiter? = nil, rude: String, neutral: [String]) throws -> [RewritePair] {
    try loadRewritePairs(reader: DelimitedReader(path: path, delimiter: delimiter), rude: rude, neutral: neutral)
}

public func loadRewritePairs(reader: DelimitedReader, rude: String, neutral: [String]) throws -> [RewritePair] {
    let r = try reader.column(named: rude)
    let ns = try neutral.map { try reader.column(named: $0) }
    var rows: [RewritePair] = []
    while let row = try reader.next() {
        let rewrites = ns.map { row[$0] }.filter { !$0.allSatisfy(\.isWhitespace) }
        rows.append(RewritePair(rude: row[r], neutral: rewrites))
    }
    guard !rows.isEmpty else { throw EvaluationError.noRows }
    return rows
}

/// The figures of a rude-versus-rewrite evaluation.
public struct PairsReport: Sendable, Equatable, Encodable {
    /// Pairs compared (one per non-empty rewrite).
    public var n: Int
    public var rows: Int
    /// Pairs where the rude text scored strictly lower than the rewrite.
    public var pairwiseAccuracy: Double?
    public var ties: Int
    public var inverted: Int
    /// Rude-versus-neutral classification over all texts: rude when score < threshold.
    public var accuracy: Double?
    public var threshold: Double
    public var texts: Int
    /// Share of rude texts scored below the threshold.
    public var rudeRecall: Double?
    /// Share of neutral texts scored at or above the threshold.
    public var neutralRecall: Double?
    public var meanScoreRude: Double?
    public var meanScoreNeutral: Double?
    public var scoringSeconds: Double
    public var repliesPerSecond: Double

    enum CodingKeys: String, CodingKey {
        case n, rows, pairwiseAccuracy = "pairwise_accuracy", ties, inverted, accuracy, threshold, texts
        case rudeRecall = "rude_recall", neutralRecall = "neutral_recall"
        case meanScoreRude = "mean_score_rude", meanScoreNeutral = "mean_score_neutral"
        case scoringSeconds = "scoring_seconds", repliesPerSecond = "replies_per_second"
    }

    /// Every key is written; undefined figures are `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(n, forKey: .n); try c.encode(rows, forKey: .rows)
        try c.encode(pairwiseAccuracy, forKey: .pairwiseAccuracy); try c.encode(ties, forKey: .ties)
        try c.encode(inverted, forKey: .inverted); try c.encode(accuracy, forKey: .accuracy)
        try c.encode(threshold, forKey: .threshold); try c.encode(texts, forKey: .texts)
        try c.encode(rudeRecall, forKey: .rudeRecall); try c.encode(neutralRecall, forKey: .neutralRecall)
        try c.encode(meanScoreRude, forKey: .meanScoreRude); try c.encode(meanScoreNeutral, forKey: .meanScoreNeutral)
        try c.encode(scoringSeconds, forKey: .scoringSeconds); try c.encode(repliesPerSecond, forKey: .repliesPerSecond)
    }
}

/// Evaluates scores already computed: `rude[i]` is the score of row i's rude text, `neutral[i]` those of its rewrites.
public func evaluatePairs(rude: [Double], neutral: [[Double]], threshold: Double = neutralScore, scoringSeconds: Double) -> PairsReport {
    precondition(rude.count == neutral.count)
    var pairs = PairwiseResult()
    var tally = BinaryTally()
    var sumRude = 0.0, sumNeutral = 0.0, neutralCount = 0
    for (r, ns) in zip(rude, neutral) {
        tally.add(isPositive: true, predictedPositive: r < threshold)
        sumRude += r
        for s in ns {
            pairs.add(lower: r, higher: s)
            tally.add(isPositive: false, predictedPositive: s < threshold)
            sumNeutral += s
            neutralCount += 1
        }
    }
    return PairsReport(
        n: pairs.pairs, rows: rude.count, pairwiseAccuracy: pairs.accuracy, ties: pairs.ties, inverted: pairs.inverted,
        accuracy: tally.accuracy, threshold: threshold, texts: tally.count,
        rudeRecall: tally.recall, neutralRecall: tally.specificity,
        meanScoreRude: rude.isEmpty ? nil : sumRude / Double(rude.count),
        meanScoreNeutral: neutralCount == 0 ? nil : sumNeutral / Double(neutralCount),
        scoringSeconds: scoringSeconds,
        repliesPerSecond: scoringSeconds > 0 ? Double(tally.count) / scoringSeconds : 0
    )
}

/// Scores every rude text and rewrite once and evaluates.
public func evaluatePairs(_ rows: [RewritePair], score: (String) -> Double) -> PairsReport {
    var texts: [String] = []
    texts.reserveCapacity(rows.count * 3)
    for row in rows { texts.append(row.rude); texts.append(contentsOf: row.neutral) }
    let (scores, seconds) = scoreTimed(texts, score)
    var rude: [Double] = [], neutral: [[Double]] = []
    var i = 0
    for row in rows {
        rude.append(scores[i])
        neutral.append(Array(scores[(i + 1)..<(i + 1 + row.neutral.count)]))
        i += 1 + row.neutral.count
    }
    return evaluatePairs(rude: rude, neutral: neutral, scoringSeconds: seconds)
}

/// One JSON object, keys sorted.
public func jsonString<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    guard let data = try? encoder.encode(value) else { return "{}" }
    // JSONEncoder leaves DEL and C1 controls raw: escape them like every JSON writer does.
    return TerminalText.jsonEscapingControls(String(decoding: data, as: UTF8.self))
}
