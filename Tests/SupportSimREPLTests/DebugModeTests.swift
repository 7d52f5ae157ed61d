import Foundation
import Testing
import SupportSimCore
import SupportSimLexicons
@testable import SupportSimREPL

/// Trainer debug mode: parsing the `:` commands, what they show, and a debug session.
@Suite struct DebugCommandParsingTests {
    @Test("Given lines typed in a debug session, when they are parsed, then the : commands are recognised with their arguments")
    func parsesTheCommands() {
        #expect(DebugCommandParser.parse(":where") == .whereAmI)
        #expect(DebugCommandParser.parse("  :VARS ") == .vars)
        #expect(DebugCommandParser.parse(":help") == .help)
        #expect(DebugCommandParser.parse(":goto queue") == .goto(node: "queue"))
        #expect(DebugCommandParser.parse(":goto") == .usage(command: ":goto"))
        #expect(DebugCommandParser.parse(":match \"Which printer?\"") == .match(reply: "Which printer?"))
        #expect(DebugCommandParser.parse(":match «Где лежал файл?»") == .match(reply: "Где лежал файл?"))
        #expect(DebugCommandParser.parse(":match which printer") == .match(reply: "which printer"))
        #expect(DebugCommandParser.parse(":match \"\"") == .usage(command: ":match"))
        // a command typed with a Cyrillic look-alike letter is still the command
        #expect(DebugCommandParser.parse(":vаrs") == .vars)
    }

    @Test("Given lines that are not debug commands, when they are parsed, then they are left to the session, and a mistyped command gets a suggestion")
    func leavesRepliesAlone() {
        #expect(DebugCommandParser.parse("Which printer?") == nil)
        #expect(DebugCommandParser.parse(":)") == nil)
        #expect(DebugCommandParser.parse("/hint") == nil)
        #expect(DebugCommandParser.parse(":wehre") == .unknown(command: ":wehre", suggestion: ":where"))
        #expect(DebugCommandParser.parse(":zzz") == .unknown(command: ":zzz", suggestion: nil))
    }
}

@Suite struct DebugConsoleTests {
    struct Run {
        let text: String
        let effect: DebugConsole.Effect
        let engine: Engine
    }

    func run(_ line: String, language: InterfaceLanguage = .en, after replies: [String] = []) throws -> Run {
        let scenario = Fixture.printer(language: .en)
        var engine = Engine(scenario: scenario, seed: 42, analyzer: BundledLexicons.analyzer, mode: .practice)
        _ = engine.start()
        for r in replies { engine.handle(.reply(r)) }
        let capture = Capture()
        let console = DebugConsole(
            scenario: scenario, strings: UIStrings(language),
            out: TerminalOutput(width: 80, color: false, write: { capture.write($0) }),
            scoring: .standard(analyzer: BundledLexicons.analyzer), model: nil)
        let command = try #require(DebugCommandParser.parse(line))
        let effect = console.run(command, engine: &engine)
        return Run(text: capture.text, effect: effect, engine: engine)
    }

    @Test("Given a session after one reply, when :where is typed, then it shows the node, the turn, the mood with patience and no ending")
    func whereShowsThePosition() throws {
        let r = try run(":where", after: ["Which printer is it?"])
        #expect(r.text.contains("node: queue (turn 2)"), "\(r.text)")
        #expect(r.text.contains("\"The big one on the third floor.\""))
        #expect(r.text.contains("mood: "))
        #expect(r.text.contains("of patience 3"))
        #expect(r.text.contains("ending: none yet"))
        #expect(r.effect == .shown)
    }

    @Test("Given a session after one reply, when :vars is typed in Russian, then the steps, hints, escalation and score so far are shown in Russian")
    func varsInRussian() throws {
        let r = try run(":vars", language: .ru, after: ["Which printer is it?"])
        #expect(r.text.contains("засчитанные шаги: ask_printer"), "\(r.text)")
        #expect(r.text.contains("в этом узле: сделано нет; ожидается queue"))
        #expect(r.text.contains("подсказок взято: 0"))
        #expect(r.text.contains("эскалация: по желанию; передано: нет"))
        #expect(r.text.contains("путь: opening → queue"))
        #expect(r.text.contains("баллы на сейчас: Корректность"))
    }

    @Test("Given the opening node, when :match is typed, then the reading is explained with its evidence and nothing is played")
    func matchExplainsWithoutPlaying() throws {
        let r = try run(":match \"Which printer do you use?\"")
        #expect(r.text.contains("credited: ask_printer"), "\(r.text)")
        #expect(r.text.contains("path:     opening → queue"))
        #expect(r.text.contains("✓ ask_printer fired"))
        #expect(r.text.contains("phrases: \"which printer\""))
        #expect(r.text.contains("· dismiss not matched"))
        #expect(r.engine.transcript.turns.isEmpty && r.engine.nodeID == "opening")
    }

    @Test("Given the opening node, when a reply that matches nothing is explained in Russian, then it says so in Russian")
    func matchNothingInRussian() throws {
        let r = try run(":match «погода хорошая»", language: .ru)
        #expect(r.text.contains("засчитано:  ничего"), "\(r.text)")
        #expect(r.text.contains("не распознано (уточняющий вопрос)"))
        #expect(r.text.contains("· ask_printer не найдено"))
    }

    @Test("Given a mistyped node, when :goto is typed, then nothing moves and the closest ids are suggested; a known node is jumped to")
    func gotoSuggestsAndJumps() throws {
        let wrong = try run(":goto queu")
        #expect(wrong.text.contains("No node 'queu' in this scenario. Did you mean: queue?"), "\(wrong.text)")
        #expect(wrong.effect == .shown && wrong.engine.nodeID == "opening")
        let right = try run(":goto queue")
        #expect(right.text.contains("Jumped to node queue."))
        #expect(right.engine.nodeID == "queue")
        guard case .moved(let events) = right.effect else { Issue.record("not moved"); return }
        #expect(events.contains(.customerSays("The big one on the third floor.")))
    }

    @Test("Given a debug session, when :help is typed, then every debug command is listed with its description")
    func helpListsTheCommands() throws {
        let r = try run(":help")
        for c in DebugCommandParser.commands { #expect(r.text.contains(c), "\(c)") }
        #expect(r.text.contains("jump to a node"))
    }
}

@Suite struct DebugSessionTests {
    func session(_ lines: [String], language: InterfaceLanguage = .en, start: String? = nil)
        -> (output: Capture, recorder: InMemoryAttemptRecorder, outcome: SessionOutcome) {
        let output = Capture()
        let recorder = InMemoryAttemptRecorder(firstID: 7)
        let reader = ScriptedLineReader(lines: lines, echo: { output.write($0) })
        let session = PlaySession(
            scenario: Fixture.printer(), seed: 42, mode: .practice, interfaceLanguage: language, reader: reader,
            output: TerminalOutput(width: 80, color: false, write: { output.write($0) }), recorder: recorder,
            debug: DebugOptions(startNode: start))
        return (output, recorder, session.run())
    }

    @Test("Given a debug session, when :where, :match, :goto and a reply are typed, then they are answered, the debrief is shown and no attempt is recorded")
    func debugSessionIsNeverStored() {
        let s = session(["/help", ":where", ":match \"which printer?\"", ":goto queue", ":where", "Could you open the print queue?"])
        let text = s.output.text
        #expect(text.contains("Debug commands:"), "/help lists the debug commands too")
        #expect(text.contains("DEBUG MODE (trainer): this session is NOT stored as an attempt"), "\(text)")
        #expect(text.contains("node: opening (turn 1)"))
        #expect(text.contains("credited: ask_printer"))
        #expect(text.contains("Jumped to node queue."))
        #expect(text.contains("node: queue (turn 1)"))
        #expect(text.contains("Olga: It printed, thank you!"))
        #expect(text.contains("═══ Debrief"))
        #expect(text.contains("Not stored as an attempt (debug mode)."))
        #expect(!text.contains("Saved as attempt"))
        #expect(s.outcome.ending == .resolved)
        #expect(s.outcome.attemptID == nil)
        // Even with a recorder that stores, a debug session begins no attempt and records nothing.
        #expect(s.recorder.attempts.isEmpty)
    }

    @Test("Given a debug session started at a node in Russian, when input ends, then it started there and says it is not stored")
    func startAtANodeInRussian() {
        let s = session([":where"], language: .ru, start: "queue")
        let text = s.output.text
        #expect(text.contains("РЕЖИМ ОТЛАДКИ"), "\(text)")
        #expect(text.contains("Начало с узла queue."))
        #expect(text.contains("узел: queue (ход 1)"))
        #expect(!text.contains("My presentation won't print!"))
        #expect(text.contains("Этот сеанс не сохраняется как попытка"))
        #expect(s.recorder.attempts.isEmpty)
    }

    @Test("Given a normal session, when a : command is typed, then it is a reply to the customer, not a debug command")
    func normalSessionHasNoDebugCommands() throws {
        let h = Harness(lines: [":where"])
        _ = h.session.run()
        #expect(!h.output.text.contains("node: opening"))
        #expect(try #require(h.recorder.attempts.first).turns.first?.input == .reply(":where"))
    }
}

@Suite struct DebugSessionRecorderTests {
    @Test("Given a debug session over a recorder that fails every write, when it is played to the end, then the recorder is never called and no save warning is shown")
    func debugNeverCallsTheRecorder() {
        let output = Capture()
        let reader = ScriptedLineReader(lines: ["Which printer is it?", "Could you open the print queue?"])
        let session = PlaySession(
            scenario: Fixture.printer(), seed: 42, mode: .exam, interfaceLanguage: .en, reader: reader,
            output: TerminalOutput(width: 80, color: false, write: { output.write($0) }), recorder: FailingRecorder(),
            debug: DebugOptions())
        let outcome = session.run()
        #expect(outcome.ending == .resolved)
        #expect(!output.text.contains("could not be saved"), "\(output.text)")
        #expect(!output.text.contains("not saved"))
        #expect(output.text.contains("Not stored as an attempt (debug mode)."))
    }
}
