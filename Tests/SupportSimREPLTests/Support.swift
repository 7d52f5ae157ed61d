import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SupportSimCore
@testable import SupportSimREPL
import SupportSimLexicons

/// Collects everything a session writes.
final class Capture {
    var text = ""
    func write(_ s: String) { text += s }
}

/// A clock that moves one second per reading.
final class StepClock {
    var now = Date(timeIntervalSince1970: 1_800_000_000)
    func read() -> Date { defer { now.addTimeInterval(1) }; return now }
}

/// A scorer that returns fixed evidence, so the debrief can be checked without the real scorers.
struct FixedScorer: Scorer {
    var category: SupportSimCore.Category
    var score: Int
    var evidence: [Evidence]
    func score(_ transcript: Transcript, scenario: Scenario) -> CategoryScore? {
        CategoryScore(category: category, score: score, evidence: evidence)
    }
}

/// A recorder that always fails.
struct FailingRecorder: AttemptRecorder {
    struct Failure: Error {}
    func begin(_ attempt: AttemptStart) throws -> Int64 { throw Failure() }
    func record(turn: Turn, attemptID: Int64, at: Date) throws { throw Failure() }
    func retract(attemptID: Int64, fromIndex: Int) throws { throw Failure() }
    func finish(attemptID: Int64, ending: EndingKind, card: ScoreCard?, at: Date) throws { throw Failure() }
}

enum Fixture {
    /// The turns an engine records for these replies (seed 42, 12 seconds apart), as a store would keep them.
    static func played(_ replies: [String], scenario: Scenario = Fixture.printer()) -> [Turn] {
        var engine = Engine(scenario: scenario, seed: 42, analyzer: BundledLexicons.analyzer)
        _ = engine.start()
        for (i, r) in replies.enumerated() { engine.handle(.reply(r), elapsed: Double(i + 1) * 12) }
        return engine.transcript.turns
    }

    /// Three nodes: which printer → print queue → printed (resolved).
    static func printer(language: Language = .en) -> Scenario {
        Scenario(
            id: "printer", title: "Printer before the board meeting", language: language,
            summary: "The presentation must be printed in twenty minutes.\u{1B}[2J",
            persona: Persona(name: "Olga Markova", role: "sales manager", mood: .irritated, patience: 3),
            ticket: Ticket(number: "4512", channel: .phone, priority: .high, slaMinutes: 15),
            knowledgeBase: [
                KBArticle(id: "KB-12", title: "Clearing a stuck print queue", body: "Open the queue and cancel the stuck job.",
                          keywords: ["printer", "queue"]),
                KBArticle(id: "KB-31", title: "Printing to another floor's printer", keywords: ["printer", "floor"]),
            ],
            start: "opening",
            nodes: [
                Node(id: "opening", customer: ["My presentation won't print! \u{1B}[31mNEVER\u{1B}[0m works."],
                     expect: [Intent(id: "ask_printer", description: "asked which printer",
                                     match: MatchRule(any: ["which printer"]), next: "queue")],
                     harmful: [HarmfulRule(id: "dismiss", match: MatchRule(any: ["restart it"]),
                                           feedback: "Do not brush the customer off.")],
                     fallback: Fallback(customer: ["What? \u{1B}]0;owned\u{07}Just help me."]),
                     hint: "Ask which printer she uses."),
                Node(id: "queue", customer: ["The big one on the third floor."],
                     expect: [Intent(id: "queue", description: "asked about the print queue",
                                     match: MatchRule(any: ["print queue"]), next: "done")],
                     choices: [Choice(text: "Could you open the print queue?", intent: "queue"),
                               Choice(text: "Buy a new printer.")]),
                Node(id: "done", customer: ["It printed, thank you!"], end: .resolved),
            ],
            critical: [CriticalRule(id: "password", match: MatchRule(any: ["your password"]), reason: "asked for a password")]
        )
    }
}

/// One session wired to captured output, an in-memory recorder and a stepping clock.
struct Harness {
    let output = Capture()
    let recorder = InMemoryAttemptRecorder(firstID: 7)
    let reader: ScriptedLineReader
    let session: PlaySession

    init(_ inputs: [LineInput], mode: PlayMode = .practice, language: InterfaceLanguage = .en,
         scenario: Scenario = Fixture.printer(), scoring: ScoringPipeline = .standard(analyzer: BundledLexicons.analyzer),
         recorder customRecorder: (any AttemptRecorder)? = nil, width: Int = 80, resume: ResumePoint? = nil,
         tone: TonedPolitenessAnalyzer? = nil) {
        let output = self.output
        reader = ScriptedLineReader(inputs, echo: { output.write($0) })
        let clock = StepClock()
        session = PlaySession(
            scenario: scenario, seed: 42, mode: mode, interfaceLanguage: language, reader: reader,
            output: TerminalOutput(width: width, color: false, write: { output.write($0) }),
            recorder: customRecorder ?? recorder, clock: { clock.read() }, scoring: scoring, resume: resume,
            tone: tone)
    }

    init(lines: [String], mode: PlayMode = .practice, language: InterfaceLanguage = .en) {
        self.init(lines.map(LineInput.line), mode: mode, language: language)
    }
}

/// A pipe holding `bytes`, closed for writing; returns the read end (for the plain line reader).
func pipeHolding(_ bytes: [UInt8]) -> Int32 {
    var fds: [Int32] = [0, 0]
    _ = Glibc.pipe(&fds)
    _ = bytes.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
    close(fds[1])
    return fds[0]
}
