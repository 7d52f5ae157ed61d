import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimEmbeddings
import SupportSimEval
import SupportSimLexicons

/// `supportsim-eval train-tone`: trains the sentence-level tone model on the shared corpora (and the
/// support development set when given) and writes it as a checksummed file. See docs/scoring.md,
/// "The tone model".
struct TrainToneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-tone",
        abstract: "Trains the sentence-level tone model and writes its weights (deterministic).",
        discussion: """
        Rows are split by a hash of their id: 20% held apart (written to --held-apart-dir for \
        `supportsim-eval politeness|pairs`, never used here), 15% validation (hyper-parameters, \
        thresholds and weights), 65% training. Embeddings go through the disk cache.
        """
    )

    @Option(help: "The English Wikipedia requests CSV (Request, Normalized Score).")
    var wikipedia: String

    @Option(help: "The Russian RuParaDetox TSV (toxic_comment, neutral_comment1..3).")
    var paradetox: String

    @Option(help: "Support replies labelled polite/neutral/rude (id, lang, label, text); skipped when the file does not exist. Never the held-out file.")
    var support: String?

    @Option(help: "RuParaDetox training rows used (a deterministic subsample).")
    var ruRows = 1500

    @Option(help: "How many times each support training sentence counts (support replies are the target genre, and far fewer than the corpora's).")
    var supportWeight = 15

    @Option(help: "The RuParaDetox held-apart rows also written as a smaller file (the first N in file order), for a quicker evaluation.")
    var heldApartRuRows = 500

    @Option(help: "Where the weights are written.")
    var out: String

    @Option(help: "Where the held-apart rows are written (wikipedia.held-apart.csv, paradetox.held-apart.csv).")
    var heldApartDir: String = ".build/tone-held-apart"

    func validate() throws {
        if let support, support.contains("heldout") {
            throw ValidationError("--support must be the development file, never the held-out one (\(support))")
        }
    }

    func run() throws {
        let started = Date()
        let embedder = try ToneSupport.loadEmbedder()
        let analyzer = BundledLexicons.analyzer
        let shape = ToneModel(embeddingModel: "", dimension: 1, classes: [.neutral], weights: [[0]], bias: [0],
                              rudeThreshold: 1, politeThreshold: 1, rudeWeight: 0, politeWeight: 0, maxSentences: 3,
                              maxSentenceScalars: 120)
        var train: [ToneExample] = []
        var validationSentences: [ToneExample] = []
        enum ValidationItem { case request(String, polite: Bool), pair(String, [String]), labelled(String, ToneClass, Language) }
        var validation: [ValidationItem] = []
        var counts: [String: Int] = [:]

        func sentences(_ text: String) -> [String] { ToneModel.sentences(of: text).prefix(shape.maxSentences).map(shape.embeddedText) }
        func add(_ text: String, _ label: ToneClass, _ source: String, _ split: ToneSplit) {
            for s in sentences(text) {
                let e = ToneExample(text: s, label: label, source: source)
                if split == .train {
                    train += Array(repeating: e, count: source == "support" ? max(1, supportWeight) : 1)
                } else {
                    validationSentences.append(e)
                }
            }
        }

        // English: quartiles of the whole file; held-apart rows written out.
        let wiki = try DelimitedReader(path: wikipedia)
        let (wid, wtext, wscore) = (try wiki.column(named: "Id"), try wiki.column(named: "Request"), try wiki.column(named: "Normalized Score"))
        let wrows = try wiki.readAll(columns: [wid, wtext, wscore])
        let golds = wrows.compactMap { Double($0[2]) }.sorted()
        let lower = golds[golds.count / 4], upper = golds[(golds.count * 3) / 4]
        var wikiHeld: [[String]] = [], wikiTrain: [[String]] = []
        for row in wrows {
            guard let gold = Double(row[2]) else { continue }
            let split = ToneSplit(key: "wikipedia:\(row[0])")
            if split == .heldApart { wikiHeld.append([row[1], row[2]]); continue }
            if split == .train { wikiTrain.append([row[1], row[2]]) }
            // The middle half is English neutral: without it the neutral class would be Russian
            // only, and the model would learn the language instead of the tone.
            let label: ToneClass = gold >= upper ? .polite : gold <= lower ? .rude : .neutral
            add(row[1], label, "wikipedia", split)
            if split == .validation, label != .neutral { validation.append(.request(row[1], polite: label == .polite)) }
            counts["wikipedia \(split.rawValue)", default: 0] += 1
        }

        // Russian: a deterministic subsample of the training rows; validation rows as pairs.
        let ru = try DelimitedReader(path: paradetox, delimiter: .tab)
        let rcols = try ["index", "toxic_comment", "neutral_comment1", "neutral_comment2", "neutral_comment3"].map { try ru.column(named: $0) }
        let rrows = try ru.readAll(columns: rcols)
        var ruHeld: [[String]] = [], ruTrainRows: [[String]] = []
        var ruTrain: [(UInt64, [String])] = [], ruValidation: [[String]] = []
        for row in rrows {
            switch ToneSplit(key: "paradetox:\(row[0])") {
            case .heldApart: ruHeld.append(Array(row[1...]))   // in file order
            case .validation: ruValidation.append(row)
            case .train: ruTrain.append((Self.hash(row[0]), row))
            }
        }
        for (_, row) in ruTrain.sorted(by: { $0.0 < $1.0 }).prefix(ruRows) {
            ruTrainRows.append(Array(row[1...]))
            add(row[1], .rude, "paradetox", .train)
            if !row[2].allSatisfy(\.isWhitespace) { add(row[2], .neutral, "paradetox", .train) }
            counts["paradetox train", default: 0] += 1
        }
        for row in ruValidation.prefix(400) {
            let neutral = row[2...4].filter { !$0.allSatisfy(\.isWhitespace) }
            add(row[1], .rude, "paradetox", .validation)
            if let first = neutral.first { add(first, .neutral, "paradetox", .validation) }
            validation.append(.pair(row[1], neutral))
            counts["paradetox validation", default: 0] += 1
        }

        // Support replies (development set), when present: 35% for validation (support.heldout.tsv is their held-apart set).
        if let support, FileManager.default.fileExists(atPath: support) {
            let s = try DelimitedReader(path: support, delimiter: .tab)
            let cols = try ["id", "lang", "label", "text"].map { try s.column(named: $0) }
            for row in try s.readAll(columns: cols) {
                guard let label = ToneClass(label: row[2]) else { continue }
                let split: ToneSplit = ToneSplit(key: "support:\(row[0])") == .train ? .train : .validation
                add(row[3], label, "support", split)
                if split == .validation { validation.append(.labelled(row[3], label, Language(rawValue: row[1]) ?? .en)) }
                counts["support \(split.rawValue)", default: 0] += 1
            }
        } else if let support {
            ToneSupport.note("note: \(support) does not exist yet; trained on the shared corpora only")
        }

        // Held-apart rows for the evaluation commands.
        try FileManager.default.createDirectory(atPath: heldApartDir, withIntermediateDirectories: true)
        try Self.writeCSV(["Request", "Normalized Score"], wikiHeld, to: heldApartDir + "/wikipedia.held-apart.csv")
        let ruColumns = ["toxic_comment", "neutral_comment1", "neutral_comment2", "neutral_comment3"]
        try Self.writeCSV(ruColumns, ruHeld, to: heldApartDir + "/paradetox.held-apart.csv")
        try Self.writeCSV(ruColumns, Array(ruHeld.prefix(heldApartRuRows)), to: heldApartDir + "/paradetox.held-apart.first\(heldApartRuRows).csv")
        // The training rows, for in-sample figures.
        try Self.writeCSV(["Request", "Normalized Score"], wikiTrain, to: heldApartDir + "/wikipedia.train.csv")
        try Self.writeCSV(ruColumns, ruTrainRows, to: heldApartDir + "/paradetox.train-sample.csv")

        // Embeddings: training sentences, validation sentences, and the validation replies' uncovered sentences.
        func uncovered(_ text: String, _ language: Language) -> [String] {
            let hits = analyzer.analyzeAll(text, context: ReplyContext(language: language))
            let spans = hits.map(\.span).filter { !$0.isEmpty }
            return Array(ToneModel.sentences(of: text).filter { s in !spans.contains { s.contains($0) } }.prefix(shape.maxSentences))
                .map(shape.embeddedText)
        }
        var validationTexts: [(String, Language)] = []
        for item in validation {
            switch item {
            case .request(let t, _): validationTexts.append((t, .en))
            case .pair(let r, let ns): validationTexts.append((r, .ru)); validationTexts += ns.map { ($0, .ru) }
            case .labelled(let t, _, let l): validationTexts.append((t, l))
            }
        }
        var all = train.map(\.text) + validationSentences.map(\.text)
        for (t, l) in validationTexts { all += uncovered(t, l) }
        let vectors = ToneSupport.embedAll(all, embedder: embedder)
        ToneSupport.note("embedded \(vectors.count) distinct sentences in \(Format.fixed(Date().timeIntervalSince(started), 1)) s")

        func xy(_ examples: [ToneExample]) -> ([[Float]], [Int], [ToneExample]) {
            var x: [[Float]] = [], y: [Int] = [], kept: [ToneExample] = []
            for e in examples { if let v = vectors[e.text] { x.append(v); y.append(Self.classes.firstIndex(of: e.label)!); kept.append(e) } }
            return (x, y, kept)
        }
        let (tx, ty, tkept) = xy(train)
        let (vx, vy, _) = xy(validationSentences)
        let frequency = Self.classes.indices.map { k in Double(max(1, ty.count { $0 == k })) }
        let classWeights = frequency.map { Double(ty.count) / (Double(Self.classes.count) * $0) }

        // Hyper-parameter: the L2 penalty with the best balanced accuracy on validation sentences.
        var best: (l2: Double, fit: SoftmaxRegression.Fit, accuracy: Double)?
        for l2 in [1e-4, 1e-3, 1e-2] {
            let fit = SoftmaxRegression.train(x: tx, y: ty, classes: Self.classes.count, l2: l2, classWeights: classWeights)
            let model = Self.model(fit, shape: shape, embedderID: embedder.modelID, dimension: embedder.dimension)
            let accuracy = Self.balancedAccuracy(model, vx, vy)
            ToneSupport.note("l2 \(l2): validation balanced sentence accuracy \(Format.percent(accuracy))")
            if best == nil || accuracy > best!.accuracy { best = (l2, fit, accuracy) }
        }
        guard let best else { throw ValidationError("no training data") }
        var model = Self.model(best.fit, shape: shape, embedderID: embedder.modelID, dimension: embedder.dimension)

        // The combiner's thresholds and weights, on the validation replies.
        var set = ToneValidationSet()
        func reply(_ text: String, _ language: Language) -> ToneValidationReply {
            let judgements = uncovered(text, language).compactMap { s in vectors[s].map { model.classify($0) } }
                .map { (tone: $0.tone, probability: ($0.probability * 1000).rounded() / 1000) }
            return ToneValidationReply(lexiconScore: analyzer.replyScore(text, context: ReplyContext(language: language)),
                                       judgements: judgements)
        }
        for item in validation {
            switch item {
            case .request(let t, let polite):
                if polite { set.politeRequests.append(reply(t, .en)) } else { set.impoliteRequests.append(reply(t, .en)) }
            case .pair(let r, let ns): set.pairs.append((reply(r, .ru), ns.map { reply($0, .ru) }))
            case .labelled(let t, let label, let l): set.labelled.append((reply(t, l), label))
            }
        }
        let lexiconOnly = set.figures((2, 2, 0, 0))
        let (settings, _) = set.bestSettings()
        let combined = set.figures(settings)
        model.rudeThreshold = settings.rudeThreshold; model.politeThreshold = settings.politeThreshold
        model.rudeWeight = settings.rudeWeight; model.politeWeight = settings.politeWeight

        // Explanations: confidently and correctly classified training texts the lexicon finds nothing in.
        model.exemplars = Self.exemplars(tkept, model: model, vectors: vectors, analyzer: analyzer)

        func f(_ x: Double?) -> String { x.map { Format.percent($0) } ?? "n/a" }
        model.provenance = [
            "data": counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "; "),
            "split": "hash of the row id: 20% held apart, 15% validation, 65% training",
            "training sentences": "\(tx.count)",
            "support weight": "\(supportWeight)",
            "l2": "\(best.l2)",
            "validation balanced sentence accuracy": Format.percent(best.accuracy),
            "validation lexicon only": "requests AUC \(f(lexiconOnly.requests)), pairs \(f(lexiconOnly.pairs)), labelled \(f(lexiconOnly.labelled))",
            "validation combined": "requests AUC \(f(combined.requests)), pairs \(f(combined.pairs)), labelled \(f(combined.labelled))",
            "command": "Scripts/train-tone.sh",
        ]
        let data = try ToneModelFile.encode(model)
        try FileManager.default.createDirectory(atPath: (out as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: out))
        for (k, v) in model.provenance.sorted(by: { $0.key < $1.key }) { print("\(k): \(v)") }
        print("thresholds rude \(model.rudeThreshold) polite \(model.politeThreshold); weights rude \(model.rudeWeight) polite \(model.politeWeight)")
        print("exemplars: \(model.exemplars.count); wrote \(out) (\(data.count) bytes) in \(Format.fixed(Date().timeIntervalSince(started), 1)) s")
    }

    static let classes: [ToneClass] = [.rude, .neutral, .polite]

    static func hash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    static func model(_ fit: SoftmaxRegression.Fit, shape: ToneModel, embedderID: String, dimension: Int) -> ToneModel {
        let family = String(embedderID.prefix { $0 != "@" })
        return ToneModel(embeddingModel: family, dimension: dimension, classes: classes, weights: fit.weights, bias: fit.bias,
                         rudeThreshold: shape.rudeThreshold, politeThreshold: shape.politeThreshold,
                         rudeWeight: shape.rudeWeight, politeWeight: shape.politeWeight,
                         maxSentences: shape.maxSentences, maxSentenceScalars: shape.maxSentenceScalars)
    }

    static func balancedAccuracy(_ model: ToneModel, _ x: [[Float]], _ y: [Int]) -> Double {
        var recalls: [Double] = []
        for k in classes.indices {
            let idx = y.indices.filter { y[$0] == k }
            guard !idx.isEmpty else { continue }
            recalls.append(Double(idx.count { model.classify(x[$0]).tone == classes[k] }) / Double(idx.count))
        }
        return recalls.isEmpty ? 0 : recalls.reduce(0, +) / Double(recalls.count)
    }

    /// Up to 80 examples per class: short, distinct, classified correctly with the highest
    /// probability, with no lexicon hit (so they show what the model adds), support replies first.
    static func exemplars(_ examples: [ToneExample], model: ToneModel, vectors: [String: [Float]],
                          analyzer: PolitenessAnalyzer) -> [ToneExemplar] {
        var out: [ToneExemplar] = []
        for label in classes {
            var seen = Set<String>()
            let candidates = examples.filter { $0.label == label && $0.text.count <= 90 && $0.text.count >= 8 }
                .compactMap { e -> (ToneExample, Double, [Float])? in
                    guard let v = vectors[e.text] else { return nil }
                    let (tone, p) = model.classify(v)
                    return tone == label ? (e, p, v) : nil
                }
                .sorted { a, b in
                    let (sa, sb) = (a.0.source == "support" ? 1 : 0, b.0.source == "support" ? 1 : 0)
                    return sa != sb ? sa > sb : (a.1 != b.1 ? a.1 > b.1 : a.0.text < b.0.text)
                }
            for (e, _, v) in candidates where out.count { $0.label == label } < 80 {
                guard seen.insert(e.text.lowercased()).inserted else { continue }
                let language: Language = e.text.unicodeScalars.contains { $0.value >= 0x400 && $0.value <= 0x4FF } ? .ru : .en
                guard analyzer.analyzeAll(e.text, context: ReplyContext(language: language)).isEmpty else { continue }
                out.append(ToneExemplar(text: e.text, label: label, vector: v))
            }
        }
        return out
    }

    static func writeCSV(_ header: [String], _ rows: [[String]], to path: String) throws {
        func field(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var text = header.map(field).joined(separator: ",") + "\n"
        for row in rows { text += row.map(field).joined(separator: ",") + "\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}

/// The embedder and batch embedding for the tone-model commands.
enum ToneSupport {
    /// The meaning model with its disk cache, using every core for batches (`OMP_NUM_THREADS`,
    /// unless set, becomes the number of cores before the engine is loaded).
    static func loadEmbedder() throws -> CachingEmbedder {
        if ProcessInfo.processInfo.environment["OMP_NUM_THREADS"] == nil {
            setenv("OMP_NUM_THREADS", "\(ProcessInfo.processInfo.activeProcessorCount)", 1)
        }
        switch MeaningModel.load() {
        case .success(let embedder): return embedder
        case .failure(let reason): throw ValidationError(reason.message(.en))
        }
    }

    /// The lexicon with a tone model (the bundled one, or `file`) over the meaning model.
    static func analyzer(lexicon: PolitenessAnalyzer, file: String?) throws -> TonedPolitenessAnalyzer {
        let loaded = file.map { BundledToneModel.load(path: $0) } ?? BundledToneModel.model
        let model: ToneModel
        switch loaded {
        case .success(let m): model = m
        case .failure(let error): throw ValidationError(error.message(.en))
        }
        let embedder = try loadEmbedder()
        guard let toned = TonedPolitenessAnalyzer(analyzer: lexicon, model: model, embedder: embedder) else {
            throw ValidationError("the tone model was trained on \(model.embeddingModel) vectors, but the meaning model is \(embedder.modelID); retrain it with Scripts/train-tone.sh")
        }
        return toned
    }

    /// Embeds distinct texts in batches (progress on standard error); the cache keeps them.
    static func embedAll(_ texts: [String], embedder: any SentenceEmbedder) -> [String: [Float]] {
        var seen = Set<String>()
        let distinct = texts.filter { seen.insert($0).inserted }
        var out: [String: [Float]] = [:]
        let batch = 64
        var done = 0
        while done < distinct.count {
            let chunk = Array(distinct[done..<min(distinct.count, done + batch)])
            for (t, v) in zip(chunk, embedder.embed(batch: chunk)) { if let v { out[t] = v } }
            done += chunk.count
            if done % (batch * 16) == 0 || done == distinct.count { note("embedded \(done)/\(distinct.count)") }
        }
        return out
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((TerminalText.sanitize(text) + "\n").utf8))
    }
}
