import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimEval
import SupportSimLexicons

/// `supportsim-eval support`: three-class accuracy on support-agent replies labelled by a team lead
/// (Data/politeness/, see docs/scoring.md).
struct SupportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "support",
        abstract: "Polite/neutral/rude accuracy on support replies labelled by a team lead (TSV or CSV).",
        discussion: """
        Each FILE has a header with the columns text and label (polite, neutral or rude), and lang (en \
        or ru) unless --lang is given; id and tags are optional, other columns are ignored. With a lang \
        column, --lang keeps only the rows of that language. Each reply is scored as a later reply of \
        the conversation (not the first) to a calm customer, and classed with the score bands of the \
        debrief (ToneClass). Figures are printed per language.
        Exit codes: 0 figures printed; 64 usage error; 65 a file has errors (each reported with its \
        file and line); 66 a file cannot be read.
        """
    )

    @Argument(help: "The labelled replies: one or more tab- or comma-separated files with a header row.")
    var files: [String]

    @Option(help: "The language: required when a file has no lang column; otherwise keeps only that language.")
    var lang: String?

    /// The language given with --lang (validated).
    var language: Language? { lang.flatMap { Language(rawValue: $0) } }

    @Flag(help: "Print one JSON object instead of tables.")
    var json = false

    @Flag(name: [.long, .customLong("errors")], help: "List every misclassified reply with its score and the strategies found.")
    var verbose = false

    @OptionGroup var scoring: ScorerOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one data file") }
        if let lang, Language(rawValue: lang) == nil {
            throw ValidationError("unknown language '\(lang)'; expected one of: \(Language.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        var rows: [SupportReply] = []
        var problems: [String] = []
        for file in files {
            let reader: DelimitedReader
            do { reader = try DelimitedReader(path: file) } catch let error as DelimitedFileError {
                switch error {
                case .fileNotFound, .unreadable: IntentsCommand.fail(["\(error)"], code: 66)
                default: problems.append("\(file): \(error)"); continue
                }
            }
            let read = loadSupportReplies(reader: reader, file: file, language: language)
            rows += read.rows
            problems += read.problems.map(\.description)
        }
        if !problems.isEmpty { IntentsCommand.fail(problems, code: 65) }
        if rows.isEmpty {
            IntentsCommand.fail(["no data rows" + (lang.map { " in \($0)" } ?? "") + " in \(files.joined(separator: ", "))"], code: 65)
        }

        let reader = try scoring.reader(preparing: rows.map { ($0.text, Self.context($0.language)) })
        let report = evaluateSupport(rows) { row in
            let scored = reader.read(row.text, context: Self.context(row.language))
            return SupportScore(
                score: scored.score,
                strategies: scored.hits.map {
                    "\($0.strategy) \(String(format: "%+.1f", $0.weight)) \"\($0.span)\""
                })
        }
        print(json ? jsonString(report) : render(report))
    }

    /// How each reply is scored: one reply on its own (a greeting counts as a courtesy; a missing
    /// one costs nothing in the reply score), calm customer, no name.
    static func context(_ language: Language) -> ReplyContext {
        ReplyContext(language: language, replyIndex: 1, customerMood: .calm, customerName: nil)
    }

    private func render(_ report: SupportReport) -> String {
        let safe = { (s: String) in TerminalText.sanitize(s, keepNewlines: false) }
        var out = [safe("Support replies: \(files.joined(separator: ", ")) (\(report.n) rows)"),
                   "Classes: score < \(Format.fixed(ToneClass.rudeBelow, 0)) rude, > \(Format.fixed(ToneClass.politeAbove, 0)) polite, otherwise neutral."]
        for f in report.languages {
            let c = f.confusion
            out.append("")
            out.append("\(f.language == .en ? "English" : "Russian") (\(f.language.rawValue)): \(f.n) rows")
            var table = TextTable(["figure", "value", "counts"], leftAligned: true)
            let diagonal = ToneClass.allCases.map { c[$0, $0] }.reduce(0, +)
            table.add(["accuracy (3 classes)", Format.percent(f.accuracy), "\(diagonal)/\(f.n)"])
            table.add(["rude recall", Format.percent(f.rudeRecall), "\(c[.rude, .rude])/\(c.rows(labelled: .rude))"])
            table.add(["polite-vs-rude accuracy", Format.percent(f.politeVsRudeAccuracy),
                       "\(c[.polite, .polite] + c[.rude, .rude])/\(c.rows(labelled: .polite) + c.rows(labelled: .rude))"])
            for tone in [ToneClass.neutral, .polite] {
                table.add(["\(tone.rawValue) recall", Format.percent(c.recall(tone)), "\(c[tone, tone])/\(c.rows(labelled: tone))"])
            }
            out.append(table.render())
            let means = [ToneClass.rude, .neutral, .polite].map { Format.fixed(f.meanScore[$0], 1) }.joined(separator: " / ")
            out.append("mean score of the rows labelled rude / neutral / polite: \(means)")
            out.append("")
            var matrix = TextTable(["label \\ scorer", "rude", "neutral", "polite"])
            for gold in [ToneClass.rude, .neutral, .polite] {
                matrix.add([gold.rawValue] + [ToneClass.rude, .neutral, .polite].map { "\(c[gold, $0])" })
            }
            out.append(matrix.render())
            if !f.tags.isEmpty {
                out.append("")
                var tags = TextTable(["tag", "n", "accuracy"])
                for t in f.tags { tags.add([safe(t.tag), "\(t.n)", Format.percent(t.accuracy)]) }
                out.append(tags.render())
            }
        }
        out.append("")
        out.append("Misclassified: \(report.misses.count)" + (verbose || report.misses.isEmpty ? "" : " (--verbose lists them)"))
        if verbose {
            for m in report.misses {
                let where_ = files.count > 1 ? "\(m.file):\(m.line)" : "line \(m.line)"
                out.append(safe("  \(where_)\(m.id.map { " \($0)" } ?? "")  \(m.language)  \(m.label.rawValue) -> \(m.predicted.rawValue)  score \(Format.fixed(m.score, 1))"))
                out.append(safe("    \"\(m.text)\""))
                out.append(safe("    strategies: \(m.strategies.isEmpty ? "(none)" : m.strategies.joined(separator: "; "))"))
            }
        }
        return out.joined(separator: "\n")
    }
}
