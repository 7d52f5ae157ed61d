import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimEval
import SupportSimLexicons

@main
struct SupportSimEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supportsim-eval",
        abstract: "Measures the politeness scorer and the reading of replies against human-labelled text.",
        discussion: """
        The data files are read from the paths given; nothing is copied or cached.
        See docs/scoring.md for the protocol and the current figures.
        """,
        subcommands: [PolitenessCommand.self, PairsCommand.self, IntentsCommand.self, SupportCommand.self, TrainToneCommand.self]
    )
}

/// Options shared by the subcommands.
struct InputOptions: ParsableArguments {
    @Argument(help: "The data file (.csv is read as comma-separated, .tsv as tab-separated).")
    var file: String

    @Option(help: "The language of the texts: en or ru.")
    var lang: String

    @Option(help: "Field separator, overriding the file extension: a single character, 'tab' or 'comma'.")
    var delimiter: String?

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @OptionGroup var scoring: ScorerOptions

    var toneModel: Bool { scoring.toneModel }

    func validate() throws {
        guard Language(rawValue: lang) != nil else {
            throw ValidationError("unknown language '\(lang)'; expected one of: \(Language.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let delimiter, Delimiter(argument: delimiter) == nil {
            throw ValidationError("invalid delimiter '\(delimiter)'; give a single ASCII character, 'tab' or 'comma'")
        }
    }

    var language: Language { Language(rawValue: lang) ?? .en }
    var parsedDelimiter: Delimiter? { delimiter.flatMap(Delimiter.init(argument:)) }

    /// The scorer under test: one reply, first in the conversation, calm customer, no name.
    /// With `--tone-model`, the sentences of `texts` the model will read are embedded first, in
    /// batches over every core (see `ToneSupport`).
    func scorer(texts: [String] = []) throws -> (String) -> Double {
        let context = ReplyContext(language: language, replyIndex: 1, customerMood: .calm, customerName: nil)
        let reader = try scoring.reader(preparing: texts.map { ($0, context) })
        return { reader.read($0, context: context).score }
    }
}

/// How replies are scored in every evaluation: the bundled lexicon (plus `--lexicon`), and with
/// `--tone-model` the tone model over the sentence embeddings. The one place this is set up.
struct ScorerOptions: ParsableArguments {
    @Option(help: "A politeness lexicon file (YAML, the format of the bundled Lexicons/politeness.*.yaml) merged over the bundled lexicon.")
    var lexicon: String?

    @Flag(help: "Score with the lexicon and the tone model (the bundled Models/tone.json over the sentence embeddings; needs the meaning model).")
    var toneModel = false

    @Option(help: "With --tone-model: a tone model file instead of the bundled one.")
    var toneModelFile: String?

    /// What scoring one reply gives: the score and every strategy found (tone cues and the
    /// model's own hits included).
    struct Scored {
        var score: Double
        var hits: [StrategyHit]
    }

    /// Scores replies. With the tone model, `texts` (each with its context) are read first so
    /// that their sentences are embedded in batches over every core.
    struct Reader {
        let analyzer: PolitenessAnalyzer
        let toned: TonedPolitenessAnalyzer?

        func read(_ text: String, context: ReplyContext) -> Scored {
            if let toned {
                let r = toned.read(text, context: context)
                return Scored(score: r.score, hits: r.lexiconHits + r.toneHits)
            }
            return Scored(score: analyzer.replyScore(text, context: context), hits: analyzer.analyzeAll(text, context: context))
        }
    }

    /// The bundled lexicon with `--lexicon` merged in.
    func analyzer() throws -> PolitenessAnalyzer {
        guard let lexicon else { return BundledLexicons.analyzer }
        let text: String
        do { text = try String(contentsOfFile: lexicon, encoding: .utf8) } catch {
            throw ValidationError("cannot read the lexicon file \(lexicon): \(error.localizedDescription)")
        }
        do { return PolitenessAnalyzer(lexicon: try BundledLexicons.politeness().merging(try PolitenessLexicon(yaml: text))) }
        catch var error as PolitenessLexiconError {
            error.file = lexicon
            throw ValidationError("\(error)")
        }
    }

    func reader(preparing texts: [(String, ReplyContext)] = []) throws -> Reader {
        let analyzer = try analyzer()
        guard toneModel else { return Reader(analyzer: analyzer, toned: nil) }
        let toned = try ToneSupport.analyzer(lexicon: analyzer, file: toneModelFile)
        _ = ToneSupport.embedAll(texts.flatMap { toned.sentencesToEmbed($0.0, context: $0.1) }, embedder: toned.embedder)
        return Reader(analyzer: analyzer, toned: toned)
    }
}

struct PolitenessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "politeness",
        abstract: "Rank correlation and two-class accuracy against a continuous politeness label."
    )

    @OptionGroup var input: InputOptions

    @Option(help: "The column holding the text to score.")
    var text: String

    @Option(help: "The column holding the gold politeness label (higher = more polite).")
    var score: String

    @Option(help: "How gold labels become classes: quartile (top vs bottom quartile) or sign (above vs below 0).")
    var classes: GoldClasses = .quartile

    func run() throws {
        let started = Date()
        let rows = try loadGradedTexts(path: input.file, delimiter: input.parsedDelimiter, text: text, score: score)
        let report = evaluatePoliteness(rows, classes: classes, score: try input.scorer(texts: rows.map(\.text)))
        let elapsed = Date().timeIntervalSince(started)
        if input.json {
            print(jsonString(report))
            return
        }
        print(TerminalText.sanitize("Politeness evaluation: \(input.file) (\(input.lang), text \"\(text)\", gold \"\(score)\")"))
        var table = TextTable(["figure", "value"], leftAligned: true)
        table.add(["rows (n)", "\(report.n)"])
        table.add(["Spearman rho (all rows)", Format.fixed(report.spearman)])
        switch classes {
        case .quartile:
            table.add(["classes", "gold quartiles: >= \(Format.fixed(report.goldUpperCut)) polite, <= \(Format.fixed(report.goldLowerCut)) impolite"])
        case .sign:
            table.add(["classes", "gold sign: > 0 polite, < 0 impolite"])
        }
        table.add(["evaluated rows", "\(report.evaluated) (\(report.polite) polite, \(report.impolite) impolite)"])
        table.add(["accuracy", Format.percent(report.accuracy)])
        table.add(["  threshold", "score > \(Format.fixed(report.threshold, 2)): \(report.thresholdRule)"])
        table.add(["  rows at the threshold", "\(report.tiedAtThreshold) (counted as impolite)"])
        table.add(["accuracy at neutral 50", Format.percent(report.accuracyAtNeutral)])
        table.add(["mean score polite / impolite", "\(Format.fixed(report.meanScorePolite, 1)) / \(Format.fixed(report.meanScoreImpolite, 1))"])
        table.add(["replies/s (1 thread, scoring only)", Format.grouped(report.repliesPerSecond)])
        table.add(["elapsed (reading, embedding, scoring)", "\(Format.fixed(elapsed, 1)) s" + (input.toneModel ? " (tone model)" : "")])
        print(table.render())
    }
}

struct PairsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pairs",
        abstract: "Rude texts against their neutral rewrites: pairwise and rude-versus-neutral accuracy."
    )

    @OptionGroup var input: InputOptions

    @Option(help: "The column holding the rude text.")
    var rude: String

    @Option(help: "The columns holding neutral rewrites, comma-separated; empty cells are skipped.")
    var neutral: String

    func validate() throws {
        guard !neutralColumns.isEmpty else { throw ValidationError("--neutral needs at least one column name") }
    }

    var neutralColumns: [String] {
        neutral.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func run() throws {
        let started = Date()
        let rows = try loadRewritePairs(path: input.file, delimiter: input.parsedDelimiter, rude: rude, neutral: neutralColumns)
        let report = evaluatePairs(rows, score: try input.scorer(texts: rows.flatMap { [$0.rude] + $0.neutral }))
        let elapsed = Date().timeIntervalSince(started)
        if input.json {
            print(jsonString(report))
            return
        }
        print(TerminalText.sanitize("Rude/neutral evaluation: \(input.file) (\(input.lang), rude \"\(rude)\", neutral \(neutralColumns.map { "\"\($0)\"" }.joined(separator: ", ")))"))
        var table = TextTable(["figure", "value"], leftAligned: true)
        table.add(["rows", "\(report.rows)"])
        table.add(["pairs (n)", "\(report.n)"])
        table.add(["pairwise accuracy (rude strictly lower)", Format.percent(report.pairwiseAccuracy)])
        table.add(["  ties (counted as misses)", "\(report.ties)"])
        table.add(["  rude scored higher", "\(report.inverted)"])
        table.add(["texts classified", "\(report.texts)"])
        table.add(["rude-vs-neutral accuracy (rude when < 50)", Format.percent(report.accuracy)])
        table.add(["  rude texts below 50", Format.percent(report.rudeRecall)])
        table.add(["  neutral texts at or above 50", Format.percent(report.neutralRecall)])
        table.add(["mean score rude / neutral", "\(Format.fixed(report.meanScoreRude, 1)) / \(Format.fixed(report.meanScoreNeutral, 1))"])
        table.add(["replies/s (1 thread, scoring only)", Format.grouped(report.repliesPerSecond)])
        table.add(["elapsed (reading, embedding, scoring)", "\(Format.fixed(elapsed, 1)) s" + (input.toneModel ? " (tone model)" : "")])
        print(table.render())
    }
}

extension GoldClasses: ExpressibleByArgument {}
