import Foundation
import SupportSimCore

// `supportsim-eval support`: support-agent replies labelled polite, neutral or rude by a team lead
// (Data/politeness/), classed by the scorer with `ToneClass(score:)`. Reading and figures only: the
// scorer is passed in, so everything here is pure and testable with made-up scores.

/// One labelled reply of a support data file.
public struct SupportReply: Sendable, Equatable {
    /// The file and the 1-based line where the row starts.
    public var file: String
    public var line: Int
    /// The `id` column, when the file has one.
    public var id: String?
    public var language: Language
    public var label: ToneClass
    /// The `tags` column split at commas (trimmed, empty parts dropped).
    public var tags: [String]
    public var text: String

    public init(file: String, line: Int, id: String? = nil, language: Language, label: ToneClass, tags: [String] = [], text: String) {
        self.file = file; self.line = line; self.id = id; self.language = language
        self.label = label; self.tags = tags; self.text = text
    }
}

/// A mistake in a support data file, with where it is.
public struct SupportDataProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// The 1-based line, or nil for a problem of the whole file (a missing column, an unreadable file).
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) { self.file = file; self.line = line; self.message = message }

    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}

/// Reads the rows of one support data file. Columns are found by name: `text` and `label` are
/// required; `lang` is required unless `language` is given (then a `lang` column, if present,
/// selects the rows of that language); `id` and `tags` are optional. Every problem is collected,
/// not only the first.
public func loadSupportReplies(reader: DelimitedReader, file: String, language: Language?) -> (rows: [SupportReply], problems: [SupportDataProblem]) {
    var rows: [SupportReply] = []
    var problems: [SupportDataProblem] = []
    func problem(_ line: Int?, _ message: String) { problems.append(SupportDataProblem(file: file, line: line, message: message)) }

    let optional = { (name: String) in try? reader.column(named: name) }
    let text: Int, label: Int
    do {
        text = try reader.column(named: "text")
        label = try reader.column(named: "label")
    } catch {
        problem(nil, "\(error)")
        return ([], problems)
    }
    let lang = optional("lang"), id = optional("id"), tags = optional("tags")
    if lang == nil, language == nil {
        problem(nil, "the file has no \"lang\" column; give the language of its rows with --lang en|ru")
        return ([], problems)
    }
    do {
        while let r = try reader.next() {
            let line = reader.rowLine
            let rowLanguage: Language
            if let lang {
                let cell = r[lang].trimmingCharacters(in: .whitespaces)
                guard let parsed = Language(rawValue: cell.lowercased()) else {
                    problem(line, "unknown language \"\(cell)\"; expected one of: \(Language.allCases.map(\.rawValue).joined(separator: ", "))")
                    continue
                }
                if let language, parsed != language { continue }
                rowLanguage = parsed
            } else {
                rowLanguage = language!
            }
            guard let tone = ToneClass(label: r[label]) else {
                problem(line, "unknown label \"\(r[label].trimmingCharacters(in: .whitespaces))\"; expected polite, neutral or rude")
                continue
            }
            guard !r[text].trimmingCharacters(in: .whitespaces).isEmpty else {
                problem(line, "the text is empty")
                continue
            }
            let tagList = tags.map { r[$0].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } } ?? []
            let rowID = id.map { r[$0].trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            rows.append(SupportReply(file: file, line: line, id: rowID, language: rowLanguage, label: tone, tags: tagList, text: r[text]))
        }
    } catch {
        problem(nil, "\(error)")
    }
    return (rows, problems)
}

/// What the scorer made of one reply.
public struct SupportScore: Sendable, Equatable {
    public var score: Double
    /// The strategies found, as the scorer names them (shown for the misclassified replies).
    public var strategies: [String]

    public init(score: Double, strategies: [String] = []) { self.score = score; self.strategies = strategies }

    public var predicted: ToneClass { ToneClass(score: score) }
}

/// A 3×3 confusion matrix: `counts[gold][predicted]`, classes in the order rude, neutral, polite.
public struct ToneConfusion: Sendable, Equatable, Encodable {
    public private(set) var counts: [[Int]] = Array(repeating: [0, 0, 0], count: 3)

    public init() {}

    static let order: [ToneClass] = [.rude, .neutral, .polite]
    private static func index(_ c: ToneClass) -> Int { order.firstIndex(of: c)! }

    public mutating func add(gold: ToneClass, predicted: ToneClass) { counts[Self.index(gold)][Self.index(predicted)] += 1 }

    public subscript(gold: ToneClass, predicted: ToneClass) -> Int { counts[Self.index(gold)][Self.index(predicted)] }

    public var total: Int { counts.joined().reduce(0, +) }
    public func rows(labelled gold: ToneClass) -> Int { counts[Self.index(gold)].reduce(0, +) }

    /// The share of rows classed as labelled, over all three classes.
    public var accuracy: Double? { ratio(ToneClass.allCases.map { self[$0, $0] }.reduce(0, +), total) }
    /// The share of the rows labelled `gold` that are classed `gold`.
    public func recall(_ gold: ToneClass) -> Double? { ratio(self[gold, gold], rows(labelled: gold)) }
    /// The share of the rows classed `predicted` that are labelled so.
    public func precision(_ predicted: ToneClass) -> Double? {
        ratio(self[predicted, predicted], ToneClass.allCases.map { self[$0, predicted] }.reduce(0, +))
    }
    /// Over the rows labelled polite or rude only: the share classed exactly as labelled
    /// (a neutral class counts as wrong). Neutral rows are left out.
    public var politeVsRudeAccuracy: Double? {
        ratio(self[.polite, .polite] + self[.rude, .rude], rows(labelled: .polite) + rows(labelled: .rude))
    }

    /// Keys are `gold` labels, values the counts by predicted class.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: DynamicKey.self)
        for gold in Self.order {
            var inner = c.nestedContainer(keyedBy: DynamicKey.self, forKey: DynamicKey(gold.rawValue))
            for predicted in Self.order { try inner.encode(self[gold, predicted], forKey: DynamicKey(predicted.rawValue)) }
        }
    }

    private func ratio(_ a: Int, _ b: Int) -> Double? { b > 0 ? Double(a) / Double(b) : nil }
}

struct DynamicKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Accuracy over the rows carrying one tag.
public struct SupportTagFigure: Sendable, Equatable, Encodable {
    public var tag: String
    public var n: Int
    public var correct: Int
    public var accuracy: Double? { n > 0 ? Double(correct) / Double(n) : nil }

    enum CodingKeys: String, CodingKey { case tag, n, correct, accuracy }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tag, forKey: .tag); try c.encode(n, forKey: .n)
        try c.encode(correct, forKey: .correct); try c.encode(accuracy, forKey: .accuracy)
    }
}

/// The figures of one language.
public struct SupportFigures: Sendable, Equatable, Encodable {
    public var language: Language
    public var confusion = ToneConfusion()
    /// Per tag, sorted by tag.
    public var tags: [SupportTagFigure] = []
    /// Mean score of the rows of each label (nil when there are none).
    public var meanScore: [ToneClass: Double] = [:]

    public var n: Int { confusion.total }
    public var accuracy: Double? { confusion.accuracy }
    public var rudeRecall: Double? { confusion.recall(.rude) }
    public var politeVsRudeAccuracy: Double? { confusion.politeVsRudeAccuracy }

    enum CodingKeys: String, CodingKey {
        case language, n, accuracy, rudeRecall = "rude_recall", politeVsRudeAccuracy = "polite_vs_rude_accuracy"
        case recall, precision, confusion, tags, meanScore = "mean_score", rows
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(language.rawValue, forKey: .language); try c.encode(n, forKey: .n)
        try c.encode(accuracy, forKey: .accuracy); try c.encode(rudeRecall, forKey: .rudeRecall)
        try c.encode(politeVsRudeAccuracy, forKey: .politeVsRudeAccuracy)
        try c.encode(confusion, forKey: .confusion); try c.encode(tags, forKey: .tags)
        var recall = c.nestedContainer(keyedBy: DynamicKey.self, forKey: .recall)
        var precision = c.nestedContainer(keyedBy: DynamicKey.self, forKey: .precision)
        var mean = c.nestedContainer(keyedBy: DynamicKey.self, forKey: .meanScore)
        var rows = c.nestedContainer(keyedBy: DynamicKey.self, forKey: .rows)
        for tone in ToneClass.allCases {
            try recall.encode(confusion.recall(tone), forKey: DynamicKey(tone.rawValue))
            try precision.encode(confusion.precision(tone), forKey: DynamicKey(tone.rawValue))
            try mean.encode(meanScore[tone], forKey: DynamicKey(tone.rawValue))
            try rows.encode(confusion.rows(labelled: tone), forKey: DynamicKey(tone.rawValue))
        }
    }
}

/// A reply the scorer classes differently from its label.
public struct SupportMiss: Sendable, Equatable, Encodable {
    public var file: String
    public var line: Int
    public var id: String?
    public var language: String
    public var label: ToneClass
    public var predicted: ToneClass
    public var score: Double
    public var strategies: [String]
    public var text: String
}

/// The report of `supportsim-eval support`.
public struct SupportReport: Sendable, Equatable, Encodable {
    /// The files the rows came from, in order of first appearance.
    public var files: [String]
    /// All rows evaluated.
    public var n: Int
    /// Per language present in the rows, in the order en, ru.
    public var languages: [SupportFigures]
    /// Every misclassified reply, in input order.
    public var misses: [SupportMiss]
}

/// Computes the figures from the rows and what the scorer made of each (same order).
public func evaluateSupport(_ rows: [SupportReply], scores: [SupportScore]) -> SupportReport {
    precondition(rows.count == scores.count, "evaluateSupport: one score per row")
    var figures: [Language: SupportFigures] = [:]
    var tagTally: [Language: [String: (n: Int, correct: Int)]] = [:]
    var sums: [Language: [ToneClass: Double]] = [:]
    var misses: [SupportMiss] = []
    for (row, scored) in zip(rows, scores) {
        let predicted = scored.predicted
        figures[row.language, default: SupportFigures(language: row.language)].confusion.add(gold: row.label, predicted: predicted)
        sums[row.language, default: [:]][row.label, default: 0] += scored.score
        for tag in Set(row.tags) {
            let old = tagTally[row.language, default: [:]][tag] ?? (0, 0)
            tagTally[row.language, default: [:]][tag] = (old.n + 1, old.correct + (predicted == row.label ? 1 : 0))
        }
        if predicted != row.label {
            misses.append(SupportMiss(file: row.file, line: row.line, id: row.id, language: row.language.rawValue,
                                      label: row.label, predicted: predicted, score: scored.score,
                                      strategies: scored.strategies, text: row.text))
        }
    }
    let languages = Language.allCases.compactMap { language -> SupportFigures? in
        guard var f = figures[language] else { return nil }
        f.tags = (tagTally[language] ?? [:]).keys.sorted().map { tag in
            let t = tagTally[language]![tag]!
            return SupportTagFigure(tag: tag, n: t.n, correct: t.correct)
        }
        for tone in ToneClass.allCases where f.confusion.rows(labelled: tone) > 0 {
            f.meanScore[tone] = sums[language]![tone, default: 0] / Double(f.confusion.rows(labelled: tone))
        }
        return f
    }
    var files: [String] = []
    for row in rows where !files.contains(row.file) { files.append(row.file) }
    return SupportReport(files: files, n: rows.count, languages: languages, misses: misses)
}

/// Scores every row with `score` and computes the figures.
public func evaluateSupport(_ rows: [SupportReply], score: (SupportReply) -> SupportScore) -> SupportReport {
    evaluateSupport(rows, scores: rows.map(score))
}
