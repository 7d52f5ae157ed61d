import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimLexicons
import SupportSimSpelling
import SupportSimREPL

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score one reply for politeness and spelling, and explain every strategy found.",
        discussion: """
        For trainers tuning scenarios and lexicons. The reply is scored as a trainee's reply to a \
        customer in the given mood, the same way a session scores it: with the tone model over the \
        sentence embeddings when the meaning model is available (SUPPORTSIM_EMBEDDINGS=off for the \
        lexicon alone).
        """
    )

    @Argument(help: "The reply to score.")
    var reply: String

    @Option(name: .long, help: "The reply's language: en or ru.")
    var lang: Language

    @Option(name: .long, help: "The customer's mood: calm, anxious, irritated, angry or furious.")
    var mood: String = "calm"

    @Option(name: .long, help: "The customer's name, to credit addressing them by name.")
    var name: String?

    @Option(name: .long, help: "Which reply of the conversation this is (1 = the first, where a greeting is expected).")
    var replyIndex: Int = 1

    @Flag(name: .long, help: "List every strategy found with its span and weight, and every deduction.")
    var explain = false

    @Flag(name: .long, help: "Skip the spelling check.")
    var noSpelling = false

    @Option(name: .long, help: "A politeness lexicon file (YAML) merged over the bundled one.")
    var lexicon: String?

    func validate() throws {
        guard Mood(name: mood) != nil else {
            throw ValidationError("--mood must be one of: \(Mood.allCases.map(\.name).joined(separator: ", ")).")
        }
        guard replyIndex >= 1 else { throw ValidationError("--reply-index starts at 1.") }
    }

    func run() throws {
        let mood = Mood(name: mood)!
        // Scored as a session would score it: control characters removed first.
        let reply = ReplyText.clean(reply)
        var analyzer = BundledLexicons.analyzer
        if let lexicon {
            let text = try String(contentsOfFile: lexicon, encoding: .utf8)
            analyzer = PolitenessAnalyzer(lexicon: try BundledLexicons.politeness().merging(PolitenessLexicon(yaml: text)))
        }
        let context = ReplyContext(language: lang, replyIndex: replyIndex, customerMood: mood, customerName: name)
        var hits = analyzer.analyze(reply, context: context)
        var cues = analyzer.analyzeAll(reply, context: context)
        var tone = analyzer.replyScore(reply, context: context)
        // As a session reads it: the tone model adds its own judgement of sentences the lexicon
        // found nothing in.
        if let toned = MeaningSupport.tone(language: lang, lexicon: analyzer) {
            let reading = toned.read(reply, context: context)
            hits = toned.analyze(reply, context: context)
            cues = reading.lexiconHits + reading.toneHits
            tone = reading.score
        }

        // One reply played as a one-turn conversation, so the categories are those of a session.
        let scenario = Scenario(
            id: "one-reply", title: "One reply", language: lang,
            persona: Persona(name: name ?? (lang == .ru ? "Клиент" : "Customer"), mood: mood),
            scoring: ScoringConfig(spelling: noSpelling ? nil : SpellingConfig()),
            start: "reply", nodes: [Node(id: "reply", customer: ["…"])])
        let turn = Turn(index: replyIndex, number: replyIndex, input: .reply(reply), node: "reply", moodBefore: mood,
                        events: hits.isEmpty ? [] : [.politeness(hits: hits)], elapsed: 0)
        let transcript = Transcript(scenarioID: scenario.id, seed: 0, turns: [turn], path: ["reply"], finalMood: mood)
        var categories = [PolitenessScorer(analyzer: analyzer, firstReplyNumber: replyIndex).score(transcript, scenario: scenario)]
        if !noSpelling {
            categories.append(SpellingScorer(checker: try HunspellChecker(languages: [lang])).score(transcript, scenario: scenario))
        }

        let safe = TerminalText.sanitize(reply, keepNewlines: false)
        print("\(lang == .ru ? "Ответ" : "Reply"): \(safe.count > 200 ? String(safe.prefix(200)) + "…" : safe)")
        print(String(format: "  tone       %5.1f   (0–100, 50 is neutral)", tone))
        for case let category? in categories {
            print("  \(category.category.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(String(format: "%5d", category.score))")
        }
        guard explain else { return }
        print("Strategies:")
        if cues.isEmpty { print("  (none found)") }
        for hit in cues {
            let shown = hits.contains(hit) ? PolitenessStrategy.label(hit.strategy, language: lang) : "\(hit.strategy) (tone cue)"
            print(String(format: "  %+5.1f  ", hit.weight) + "\(shown): \"\(TerminalText.sanitize(hit.span, keepNewlines: false))\"")
            if let explanation = hit.explanation {
                print("         " + TerminalText.sanitize(UIStrings(lang).toneExplanation(explanation), keepNewlines: false))
            }
        }
        for case let category? in categories where !category.deductions.isEmpty {
            print("Deductions (\(category.category.rawValue)):")
            for d in category.deductions {
                let quote = d.quote.map { " \"\(TerminalText.sanitize($0, keepNewlines: false))\"" } ?? ""
                print("  −\(d.points)\(quote) — \(TerminalText.sanitize(d.message, keepNewlines: false)) [\(d.rule)]")
            }
        }
    }
}
