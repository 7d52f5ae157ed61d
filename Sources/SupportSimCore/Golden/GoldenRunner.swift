import Foundation

/// One expectation that did not hold.
public struct GoldenMismatch: Sendable, Equatable, CustomStringConvertible {
    /// What was checked: "path", "ending", "score.total", "passed", "critical", "intents", "final_mood", "replies", "scenario".
    public var field: String
    public var expected: String
    public var actual: String
    /// Extra explanation (e.g. the evidence behind a score), may be empty.
    public var detail: String

    public init(field: String, expected: String, actual: String, detail: String = "") {
        self.field = field; self.expected = expected; self.actual = actual; self.detail = detail
    }

    public var description: String {
        var s = "\(field): expected \(expected), got \(actual)"
        if !detail.isEmpty { s += "\n      " + detail.replacingOccurrences(of: "\n", with: "\n      ") }
        return s
    }
}

/// The outcome of playing one golden run.
public struct GoldenRunResult: Sendable {
    public var scenarioID: String
    public var run: GoldenRun
    /// The session as the engine recorded it.
    public var transcript: Transcript
    public var scoreCard: ScoreCard
    public var mismatches: [GoldenMismatch]
    /// The played dialogue, rendered for a trainer to read.
    public var dialogue: String
    /// Every reply as it was played: where it was typed, how far the path went, what the engine said.
    public var steps: [GoldenStep] = []
    /// Where the run first went another way than expected (nil when it passed, or when only
    /// scores or other totals differ).
    public var divergence: GoldenDivergence?
    /// Seconds the run took by the clock passed to `GoldenRunner.run` (nil without a clock).
    public var seconds: Double?

    public var passed: Bool { mismatches.isEmpty }
    public var name: String { run.name }

    /// One line: "✓ deleted-report-boss-needs / good — escalated, total 92 (passed)".
    public var summary: String {
        let ending = GoldenEnding(transcript.ending).description
        return "\(passed ? "✓" : "✗") \(scenarioID) / \(run.name) — \(ending), \(GoldenRunner.scoreLine(scoreCard))"
    }

    /// A readable failure message: the run, each mismatch, the scores with their deductions and the dialogue.
    /// Empty when the run passed.
    public var failureMessage: String {
        guard !passed else { return "" }
        var out = "Golden run '\(run.name)' of \(scenarioID) (seed \(run.seed)) failed:\n"
        if let divergence { out += divergence.description + "\n" }
        for m in mismatches { out += "  - \(m)\n" }
        out += "Scores: \(GoldenRunner.scoreLine(scoreCard))\n"
        out += "Path: \(transcript.path.joined(separator: " → "))\n"
        out += "Transcript:\n" + dialogue
        return out
    }
}

/// Plays golden transcripts through the engine and the scorers. Pure: text in, results out.
public enum GoldenRunner {
    /// Plays every run of `transcript` against `scenario` and compares the outcome with the expectations.
    /// `clock` (seconds from any fixed origin) times each run; Core never reads a clock itself.
    public static func run(scenario: Scenario, transcript: GoldenTranscript,
                           pipeline: ScoringPipeline, meaning: MeaningIndex? = nil,
                           clock: (() -> Double)? = nil) -> [GoldenRunResult] {
        transcript.runs.map { run in
            let started = clock?()
            var result = play(run, scenario: scenario, pipeline: pipeline, meaning: meaning)
            if let clock, let started { result.seconds = max(0, clock() - started) }
            if transcript.scenario != scenario.id {
                result.mismatches.insert(GoldenMismatch(field: "scenario", expected: transcript.scenario,
                                                        actual: scenario.id), at: 0)
            }
            return result
        }
    }

    /// Plays one run.
    /// The engine uses the pipeline's politeness analyzer (an empty lexicon when it has none).
    /// Runs play in exam mode (every reply is scored as typed); `meaning` adds meaning-based matching.
    public static func play(_ run: GoldenRun, scenario: Scenario, pipeline: ScoringPipeline,
                            meaning: MeaningIndex? = nil) -> GoldenRunResult {
        var engine = Engine(scenario: scenario, seed: run.seed,
                            analyzer: pipeline.analyzer ?? PolitenessAnalyzer(lexicon: PolitenessLexicon()),
                            meaning: meaning)
        var mismatches: [GoldenMismatch] = []
        var log = render(engine.start(), scenario: scenario)
        var elapsed = 0.0
        var steps: [GoldenStep] = []

        for (i, line) in run.replies.enumerated() {
            let lineNo = i + 1
            if engine.isOver {
                let rest = run.replies.count - i
                mismatches.append(GoldenMismatch(
                    field: "replies", expected: "all \(run.replies.count) replies to be played",
                    actual: "the conversation ended (\(GoldenEnding(engine.transcript.ending))) before reply \(lineNo); "
                        + "\(rest) repl\(rest == 1 ? "y" : "ies") left over"))
                log += "  (not played: \(run.replies[i...].map { "\"\($0)\"" }.joined(separator: ", ")))\n"
                break
            }
            elapsed += run.secondsPerReply
            log += "you> \(line)\n"
            let nodeBefore = engine.transcript.path.last ?? scenario.start
            let pathBefore = engine.transcript.path.count
            var events: [EngineEvent] = []
            defer {
                steps.append(GoldenStep(number: lineNo, reply: line, node: nodeBefore, pathBefore: pathBefore,
                                        pathAfter: engine.transcript.path.count, events: events,
                                        location: i < run.locations.replies.count ? run.locations.replies[i] : nil))
            }
            switch CommandParser.parse(line, choiceCount: engine.node?.choices.count ?? 0) {
            case .input(let input):
                events = engine.handle(input, elapsed: elapsed)
                log += render(events, scenario: scenario)
                if case .rejected(let reason)? = events.first, events.count == 1 {
                    mismatches.append(GoldenMismatch(field: "reply \(lineNo)", expected: "an input the engine accepts",
                                                     actual: "rejected: \(reason)"))
                }
            case .closeWithoutResolution:
                // A script cannot answer the session's question: a bare /close closes with no resolution text.
                events = engine.handle(.close(resolution: ""), elapsed: elapsed)
                log += render(events, scenario: scenario)
            case .retry:
                mismatches.append(GoldenMismatch(field: "reply \(lineNo)", expected: "a reply or an action",
                                                 actual: "/retry, which golden transcripts do not use"))
                log += "  (/retry is not played in golden transcripts)\n"
            case .quit:
                events = engine.abandon()
                log += render(events, scenario: scenario)
            case .help, .empty:
                log += "  (no effect)\n"
            case .unknownCommand(let c):
                mismatches.append(GoldenMismatch(field: "reply \(lineNo)", expected: "a known command",
                                                 actual: "unknown command \(c)"))
                log += "  (unknown command \(c))\n"
            case .usage(let c):
                mismatches.append(GoldenMismatch(field: "reply \(lineNo)", expected: "\(c) with its arguments",
                                                 actual: "\(c) without what it needs"))
                log += "  (\(c) needs more arguments)\n"
            }
        }

        let played = engine.transcript
        let card = pipeline.score(played, scenario: scenario)
        mismatches += compare(run.expect, transcript: played, card: card)
        let divergence = mismatches.isEmpty ? nil : GoldenDivergence.find(run.expect, path: played.path, steps: steps,
                                                                          matchedIntents: matchedIntents(played),
                                                                          endingDiffers: mismatches.contains { $0.field == "ending" })
        return GoldenRunResult(scenarioID: scenario.id, run: run, transcript: played, scoreCard: card,
                               mismatches: mismatches, dialogue: log, steps: steps, divergence: divergence)
    }

    // MARK: - Comparing

    static func compare(_ e: GoldenExpectation, transcript t: Transcript, card: ScoreCard) -> [GoldenMismatch] {
        var out: [GoldenMismatch] = []
        if let path = e.path, path != t.path {
            out.append(GoldenMismatch(field: "path", expected: path.joined(separator: " → "),
                                      actual: t.path.joined(separator: " → "),
                                      detail: firstDifference(path, t.path)))
        }
        if let ending = e.ending, ending != GoldenEnding(t.ending) {
            out.append(GoldenMismatch(field: "ending", expected: ending.description, actual: GoldenEnding(t.ending).description))
        }
        for key in e.scores.keys.sorted() {
            let band = e.scores[key]!
            let score: Int?
            var detail = ""
            if let category = key.category {
                let c = card.score(category)
                score = c?.score
                if let c { detail = evidenceSummary(c) }
            } else {
                score = card.total
            }
            if !band.contains(score) {
                out.append(GoldenMismatch(field: "score.\(key.rawValue)", expected: band.description,
                                          actual: score.map(String.init) ?? "n/a (category does not apply)", detail: detail))
            }
        }
        if let passed = e.passed, passed != card.passed {
            var why = "total \(card.total), pass mark \(card.passMark)"
            if !card.critical.isEmpty { why += "; critical: " + card.critical.map(\.message).joined(separator: "; ") }
            out.append(GoldenMismatch(field: "passed", expected: "\(passed)", actual: "\(card.passed)", detail: why))
        }
        if let critical = e.critical {
            let fired = criticalRules(t)
            if Set(critical) != Set(fired) {
                out.append(GoldenMismatch(field: "critical", expected: list(critical), actual: list(fired),
                                          detail: card.critical.map { "turn \($0.turn ?? 0): \($0.message) — \"\($0.quote ?? "")\"" }
                                            .joined(separator: "\n")))
            }
        }
        if let intents = e.intents {
            let matched = matchedIntents(t)
            if intents != matched {
                out.append(GoldenMismatch(field: "intents", expected: list(intents), actual: list(matched),
                                          detail: firstDifference(intents, matched)))
            }
        }
        if let mood = e.finalMood, mood != t.finalMood {
            out.append(GoldenMismatch(field: "final_mood", expected: mood.name, actual: t.finalMood.name))
        }
        return out
    }

    /// The ids of the critical rules that fired, in order, without repeats.
    public static func criticalRules(_ t: Transcript) -> [String] {
        var seen: [String] = []
        for turn in t.turns {
            for case .critical(let rule, _, _) in turn.events where !seen.contains(rule) { seen.append(rule) }
        }
        return seen
    }

    /// The ids of the intents matched, in the order they were matched.
    public static func matchedIntents(_ t: Transcript) -> [String] {
        t.turns.flatMap { turn in
            turn.events.compactMap { event -> String? in
                if case .intentMatched(let id, _, _, _, _) = event { id } else { nil }
            }
        }
    }

    private static func list(_ xs: [String]) -> String { xs.isEmpty ? "none" : xs.joined(separator: ", ") }

    private static func firstDifference(_ a: [String], _ b: [String]) -> String {
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? a[i] : "(end)", y = i < b.count ? b[i] : "(end)"
            if x != y { return "first difference at step \(i + 1): expected \(x), got \(y)" }
        }
        return ""
    }

    private static func evidenceSummary(_ c: CategoryScore) -> String {
        c.evidence.filter { $0.kind != .credit }.map { e in
            var s = "−\(e.points) \(e.rule): \(e.message)"
            if let turn = e.turn { s += " (turn \(turn))" }
            return s
        }.joined(separator: "\n")
    }

    // MARK: - Rendering

    /// "correctness 85, politeness 92, escalation n/a, total 88 (pass mark 80, passed)".
    public static func scoreLine(_ card: ScoreCard) -> String {
        var parts = Category.allCases.map { c in "\(c.rawValue) \(card.score(c).map { String($0.score) } ?? "n/a")" }
        parts.append("total \(card.total)")
        var s = parts.joined(separator: ", ") + " (pass mark \(card.passMark), \(card.passed ? "passed" : "failed")"
        if !card.critical.isEmpty { s += ", \(card.critical.count) critical" }
        return s + ")"
    }

    /// The events of one input as indented, human-readable lines.
    public static func render(_ events: [EngineEvent], scenario: Scenario) -> String {
        let who = scenario.persona.shortName
        var out = ""
        for event in events {
            switch event {
            case .customerSays(let line): out += "\(who): \(line)\n"
            case .intentMatched(let id, let description, let points, _, _):
                out += "  ✓ \(id) (+\(points)): \(description)\n"
            case .harmful(let rule, let penalty, let feedback, _): out += "  ✗ \(rule) (−\(penalty)): \(feedback)\n"
            case .fallback(let node): out += "  ? no expected reply matched at \(node)\n"
            case .clarify(let node): out += "  ? not understood at \(node): the customer asks to clarify (no cost)\n"
            case .wrongFact(let intent, let fact, let value, let feedback):
                out += "  ✗ \(intent): \(fact) \(value.map { "'\($0)' is wrong" } ?? "missing")\(feedback.map { ": \($0)" } ?? "")\n"
            case .critical(let rule, let reason, _): out += "  ‼ critical \(rule): \(reason)\n"
            case .politeness(let hits):
                let text = hits.map { "\($0.strategy) \($0.weight >= 0 ? "+" : "")\(String(format: "%g", $0.weight))" }
                out += "  · tone: \(text.joined(separator: ", "))\n"
            case .moodChanged(let from, let to): out += "  · mood \(from.name) → \(to.name)\n"
            case .demandsManager: out += "  · the customer demands a manager\n"
            case .escalated(let target, _, let accepted):
                out += "  → escalated to \(target)\(accepted ? "" : " (target not accepted)")\n"
            case .referred(let target, _, let accepted):
                out += "  → referred to \(target)\(accepted ? "" : " (refused)")\n"
            case .closedEarly(let node): out += "  · closed at \(node) before the problem was solved\n"
            case .hint(let h): out += "  · hint: \(h)\n"
            case .noHint: out += "  · no hint here\n"
            case .kbResults(let refs): out += "  · kb: \(refs.isEmpty ? "nothing found" : refs.map(\.id).joined(separator: ", "))\n"
            case .choices(let items):
                for (i, c) in items.enumerated() { out += "  \(i + 1). \(c)\n" }
            case .rejected(let reason): out += "  · rejected: \(reason)\n"
            case .ended(let ending): out += "  ═ ended: \(ending.rawValue)\n"
            }
        }
        return out
    }
}
