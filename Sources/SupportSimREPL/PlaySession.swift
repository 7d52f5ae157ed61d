import Foundation
import SupportSimCore
import SupportSimLexicons

/// How a played session ended, for the caller (which decides the exit code).
public struct SessionOutcome: Sendable, Equatable {
    /// The saved attempt, or nil when saving failed.
    public var attemptID: Int64?
    public var ending: EndingKind
    /// The score of what was played (also for an abandoned attempt).
    public var card: ScoreCard?
    /// The trainee quit, or input ended (Ctrl-D, a closed terminal).
    public var abandoned: Bool
    public var transcript: Transcript
    /// The signal that ended the session (SIGTERM, SIGHUP, SIGQUIT, ...), or nil; the attempt is
    /// then saved as abandoned and the caller exits with 128 + signal.
    public var signal: Int32? = nil
}

/// Where a resumed attempt starts: the attempt and the turns already played, retracted ones
/// excluded, in order (replayed with the same seed and their recorded elapsed times, not recorded
/// again).
public struct ResumePoint: Sendable, Equatable {
    public var attemptID: Int64
    public var turns: [Turn]

    public init(attemptID: Int64, turns: [Turn]) {
        self.attemptID = attemptID; self.turns = turns
    }

    public var inputs: [TraineeInput] { turns.map(\.input) }
}

/// The interactive loop of one attempt: shows the ticket, reads the trainee's lines, plays them
/// on the engine, records every turn as soon as it is played, and ends with the debrief.
/// It never exits the process; the caller turns the outcome into an exit code.
public final class PlaySession {
    public let scenario: Scenario
    public let seed: UInt64
    public let mode: PlayMode
    public let strings: UIStrings
    private var reader: any LineReader
    private let out: TerminalOutput
    private let clock: () -> Date
    private let scoring: ScoringPipeline
    private let resume: ResumePoint?
    /// Trainer debug mode: `:` commands, never stored as an attempt.
    private let debug: DebugOptions?
    private let console: DebugConsole?

    private var engine: Engine
    /// Begins, records and finishes the attempt, and says what was saved.
    private let keeper: AttemptKeeper
    private var startedAt = Date(timeIntervalSince1970: 0)
    /// The engine as it was before each reply still standing, newest last, for `/retry`.
    private var beforeReplies: [(engine: Engine, turnIndex: Int)] = []
    private let view: SessionView
    private let debrief: DebriefView
    private var terminatedBy: Int32?

    public init(
        scenario: Scenario, seed: UInt64, mode: PlayMode, interfaceLanguage: InterfaceLanguage,
        reader: any LineReader, output: TerminalOutput, recorder: any AttemptRecorder,
        clock: @escaping () -> Date = Date.init, scoring: ScoringPipeline = .standard(analyzer: BundledLexicons.analyzer),
        resume: ResumePoint? = nil, meaning: MeaningIndex? = nil, tone: TonedPolitenessAnalyzer? = nil,
        debug: DebugOptions? = nil
    ) {
        self.scenario = scenario; self.seed = seed; self.mode = mode
        self.strings = UIStrings(interfaceLanguage)
        self.reader = reader; self.out = output
        self.clock = clock; self.scoring = scoring; self.resume = resume
        self.engine = Engine(scenario: scenario, seed: seed, analyzer: scoring.analyzer ?? BundledLexicons.analyzer,
                             mode: mode, meaning: meaning, tone: tone)
        self.view = SessionView(scenario: scenario, mode: mode, strings: strings, out: output)
        self.debrief = DebriefView(scenario: scenario, mode: mode, strings: strings, out: output)
        self.debug = debug
        self.keeper = AttemptKeeper(recorder: recorder, strings: UIStrings(interfaceLanguage), out: output,
                                    debug: debug != nil, clock: clock)
        self.console = debug == nil ? nil : DebugConsole(
            scenario: scenario, strings: UIStrings(interfaceLanguage), out: output, scoring: scoring,
            model: meaning?.embedder.modelID)
    }

    /// Plays the session to its end (or until it is abandoned) and returns the outcome.
    public func run() -> SessionOutcome {
        startedAt = clock()
        debrief.showHeader()
        if let debug {
            out.wrapped(strings.debugBanner(seed: seed), style: .yellow)
            if let node = debug.startNode { out.wrapped(strings.debugStartedAt(node), style: .dim) }
        }
        let opening = debug?.startNode.flatMap { engine.start(at: $0) } ?? engine.start()
        if let resume {
            keeper.resume(attemptID: resume.attemptID)
            out.wrapped(strings.resumed(attempt: resume.attemptID, turns: resume.turns.count), style: .dim)
            replay(opening: opening, resume)
        } else {
            beginAttempt()
            view.show(opening, input: nil)
        }
        if engine.isOver { return finishNormally() }

        while true {
            switch reader.readLine(prompt: strings.prompt) {
            case .endOfInput:
                return abandon()
            case .terminated(let signal):
                terminatedBy = signal
                return abandon()
            case .interrupted:
                if confirmQuit() { return abandon() }
            case .invalidEncoding:
                out.wrapped(strings.invalidEncoding, style: .yellow)
            case .line(let text):
                if let console, let command = DebugCommandParser.parse(text) {
                    if case .moved(let events) = console.run(command, engine: &engine) {
                        // (a jump cannot be taken back with /retry: the replies before it are forgotten)
                        beforeReplies.removeAll()
                        view.show(events, input: nil)
                        if engine.isOver { return finishNormally() }
                    }
                    continue
                }
                switch CommandParser.parse(text, choiceCount: engine.node?.choices.count ?? 0) {
                case .empty:
                    continue
                case .help:
                    view.showHelp()
                    console?.showHelp()
                case .quit:
                    if confirmQuit() { return abandon() }
                case .retry:
                    retry()
                case .closeWithoutResolution:
                    if !askResolutionAndClose() { return abandon() }
                    if engine.isOver { return finishNormally() }
                case .unknownCommand(let command):
                    out.wrapped(strings.unknownCommand(command, suggestion: CommandSuggestion.suggest(command)), style: .yellow)
                case .usage(let command):
                    out.wrapped(strings.usage(command), style: .yellow)
                case .input(let input):
                    play(input)
                    if engine.isOver { return finishNormally() }
                }
            }
        }
    }

    // MARK: - Playing

    private var elapsed: Double { max(0, clock().timeIntervalSince(startedAt)) }

    /// Begins the attempt (in debug mode, none is begun: no turn or ending is ever written).
    private func beginAttempt() {
        keeper.begin(AttemptStart(
            scenarioID: scenario.id, scenarioTitle: scenario.title, scenarioVersion: scenario.version,
            language: scenario.language, mode: mode, seed: seed, startedAt: startedAt,
            interfaceLanguage: strings.language))
    }

    private func play(_ input: TraineeInput) {
        let before = engine.transcript.turns.count
        let previous = engine
        let events = engine.handle(input, elapsed: elapsed)
        if Self.isReply(input), engine.transcript.turns.count > before, let turn = engine.transcript.turns.last {
            beforeReplies.append((previous, turn.index))
        }
        if engine.transcript.turns.count > before, let turn = engine.transcript.turns.last { keeper.record(turn) }
        view.show(events, input: input)
    }

    private func replay(opening: [EngineEvent], _ resume: ResumePoint) {
        view.show(opening, input: nil)
        var last = 0.0
        var firstDifference: Int?
        for turn in resume.turns {
            if engine.isOver { break }
            last = turn.elapsed
            out.wrapped(strings.prompt + turn.input.text, style: .dim)
            let before = engine
            let events = engine.replay(turn)
            if Self.isReply(turn.input) { beforeReplies.append((before, turn.index)) }
            if events != turn.events, firstDifference == nil { firstDifference = turn.number ?? turn.index }
            view.show(events, input: turn.input)
        }
        if let firstDifference { out.wrapped(strings.replayDiffers(turn: firstDifference), style: .yellow) }
        // Time goes on from where the attempt stopped.
        startedAt = clock().addingTimeInterval(-last)
    }

    private static func isReply(_ input: TraineeInput) -> Bool {
        switch input {
        case .reply, .choice: true
        default: false
        }
    }

    /// `/retry`: takes back the last reply (and any lookups after it), restoring the engine as it
    /// was before it, and shows the customer's last words again. Practice mode only.
    private func retry() {
        guard mode == .practice else { return out.wrapped(strings.retryInExam, style: .yellow) }
        guard let last = beforeReplies.last else { return out.wrapped(strings.retryNothing, style: .yellow) }
        let after = engine.transcript.turns.filter { $0.index > last.turnIndex }
        if after.contains(where: { $0.input == .hint }) { return out.wrapped(strings.retryAfterHint, style: .yellow) }
        beforeReplies.removeLast()
        keeper.retract(fromIndex: last.turnIndex)
        engine.takeBack(restoring: last.engine)
        out.wrapped(strings.retryDone, style: .dim)
        view.showLastCustomerLine(engine.transcript, node: engine.node)
    }

    /// `/close` with no resolution: asks for one; an empty answer or Ctrl-C closes nothing.
    /// Returns false when input ended or a signal came while asking (the session then ends).
    private func askResolutionAndClose() -> Bool {
        let answer = reader.readAnswer(prompt: strings.resolutionQuestion)
        if endsSession(answer) { return false }
        if case .line(let text) = answer, !text.trimmingCharacters(in: .whitespaces).isEmpty {
            play(.close(resolution: text.trimmingCharacters(in: .whitespaces)))
        } else {
            out.wrapped(strings.closeCancelled, style: .dim)
        }
        return true
    }

    /// Asks before quitting; true when the trainee confirms (or input ends while asking).
    private func confirmQuit() -> Bool {
        let answer = reader.readAnswer(prompt: (keeper.stores ? strings.quitQuestion : strings.quitQuestionNotStored))
        if endsSession(answer) { return true }
        if case .line(let text) = answer, strings.isYes(text) { return true }
        out.wrapped(strings.continuing, style: .dim)
        return false
    }

    /// True when an answer to a question ends the session: input ended, or a terminating signal
    /// came (remembered for the exit status).
    private func endsSession(_ input: LineInput) -> Bool {
        switch input {
        case .endOfInput: return true
        case .terminated(let signal): terminatedBy = signal; return true
        default: return false
        }
    }

    private func abandon() -> SessionOutcome {
        engine.abandon()
        let card = scoring.score(engine.transcript, scenario: scenario)
        keeper.finish(ending: .abandoned, card: card, finalNode: engine.nodeID)
        if !engine.transcript.turns.isEmpty { debrief.showAbandonedDebrief(card, explanations: DebriefView.toneExplanations(engine.transcript)) }
        out.line()
        keeper.showAbandonedLine()
        return SessionOutcome(attemptID: keeper.attemptID, ending: .abandoned, card: card, abandoned: true,
                              transcript: engine.transcript, signal: terminatedBy)
    }

    private func finishNormally() -> SessionOutcome {
        let ending = engine.transcript.ending ?? .abandoned
        let card = scoring.score(engine.transcript, scenario: scenario)
        keeper.finish(ending: ending, card: card, finalNode: engine.nodeID)
        debrief.showDebrief(card, ending: ending, explanations: DebriefView.toneExplanations(engine.transcript),
                            saveLine: keeper.showSaveLine)
        return SessionOutcome(attemptID: keeper.attemptID, ending: ending, card: card, abandoned: ending == .abandoned,
                              transcript: engine.transcript)
    }
}
