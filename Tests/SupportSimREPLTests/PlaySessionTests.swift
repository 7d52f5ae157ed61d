import Foundation
import Testing
import SupportSimCore
@testable import SupportSimREPL

@Suite struct PlaySessionTests {
    static let goodRun = ["Hello Olga, which printer are you sending it to?", "Could you open the print queue?"]

    @Test func goodRunReachesTheEndAndPrintsTheDebrief() throws {
        // Given a session and replies that match every intent
        let h = Harness(lines: Self.goodRun)
        // When it is played
        let outcome = h.session.run()
        // Then it ends resolved, every turn is recorded, and the debrief is shown
        #expect(outcome.ending == .resolved)
        #expect(!outcome.abandoned)
        #expect(outcome.attemptID == 7)
        let attempt = try #require(h.recorder.attempts.first)
        #expect(attempt.turns.count == 2)
        #expect(attempt.ending == .resolved)
        #expect(attempt.card != nil)
        #expect(attempt.start.seed == 42 && attempt.start.mode == .practice && attempt.start.scenarioID == "printer")
        let text = h.output.text
        #expect(text.contains("┌ Ticket #4512 · phone · priority high · SLA 15 min"))
        #expect(text.contains("Olga Markova — sales manager"))
        #expect(text.contains("mood: irritated"))
        #expect(text.contains("Type /help for commands."))
        #expect(text.contains("Olga: My presentation won't print!"))
        #expect(text.contains("you> Hello Olga"))
        #expect(text.contains("Olga: It printed, thank you!"))
        #expect(text.contains("═══ Debrief"))
        #expect(text.contains("Total "))
        #expect(text.contains("ending: resolved"))
        #expect(text.contains("Saved as attempt 7"))
    }

    @Test func practiceShowsFeedbackAndExamDoesNot() {
        // Given the same replies, one of them matching nothing
        let lines = ["Hi, what seems to be wrong?", "Which printer is it?", "restart it"]
        // When played in practice and in exam mode
        let practice = Harness(lines: lines, mode: .practice)
        _ = practice.session.run()
        let exam = Harness(lines: lines, mode: .exam)
        _ = exam.session.run()
        // Then practice shows ✓ / ✗ / not understood after the turns, exam shows none of it
        #expect(practice.output.text.contains("· Not understood; the customer asks you to clarify"))
        #expect(practice.output.text.contains("✓ asked which printer"))
        #expect(!exam.output.text.contains("no match"))
        #expect(!exam.output.text.contains("✓"))
        #expect(!exam.output.text.contains("✗"))
        #expect(exam.output.text.contains("Exam mode"))
    }

    @Test func harmfulReplyShowsItsFeedbackInPractice() {
        let h = Harness(lines: ["Just restart it."])
        _ = h.session.run()
        #expect(h.output.text.contains("✗ Do not brush the customer off. (−10)"))
    }

    @Test func emptyLineRepromptsWithoutATurn() throws {
        // Given an empty and a blank line before a reply
        let h = Harness(lines: ["", "   ", "Which printer?"])
        // When played until input ends
        _ = h.session.run()
        // Then only the reply became a turn, and the prompt was asked again each time
        #expect(try #require(h.recorder.attempts.first).turns.count == 1)
        #expect(h.reader.prompts.filter { $0 == "you> " }.count == 4)
    }

    @Test func ctrlCThenNoContinuesThenYesAbandons() throws {
        // Given Ctrl-C answered "n", a reply, then Ctrl-C answered "y"
        let h = Harness([.interrupted, .line("n"), .line("Which printer?"), .interrupted, .line("y"), .line("never read")])
        // When played
        let outcome = h.session.run()
        // Then the first question continues the session, the second abandons it
        #expect(outcome.abandoned)
        #expect(outcome.ending == .abandoned)
        let attempt = try #require(h.recorder.attempts.first)
        #expect(attempt.turns.count == 1)
        #expect(attempt.ending == .abandoned)
        #expect(attempt.card != nil)
        #expect(h.reader.prompts.filter { $0.hasPrefix("Quit this session?") }.count == 2)
        #expect(h.output.text.contains("Continuing."))
        #expect(h.output.text.contains("Attempt 7 saved as abandoned."))
        #expect(h.reader.remaining == [.line("never read")])
    }

    @Test func quitCommandAsksFirst() {
        let h = Harness(lines: ["/quit", "no", "/exit", "да"], language: .en)
        let outcome = h.session.run()
        #expect(outcome.abandoned)
        #expect(h.reader.prompts.filter { $0.hasPrefix("Quit this session?") }.count == 2)
    }

    @Test func endOfInputAbandonsAndKeepsTheTurnsPlayed() throws {
        // Given two replies and then the end of input (Ctrl-D or a closed terminal)
        let h = Harness([.line("Which printer?"), .line("hm"), .endOfInput])
        // When played
        let outcome = h.session.run()
        // Then the attempt is finished as abandoned with both turns and a score card
        #expect(outcome.abandoned)
        let attempt = try #require(h.recorder.attempts.first)
        #expect(attempt.turns.map(\.index) == [1, 2])
        #expect(attempt.ending == .abandoned)
        #expect(attempt.card != nil)
        #expect(outcome.transcript.turns.count == 2)
        #expect(h.output.text.contains("saved as abandoned"))
    }

    @Test func invalidEncodingAsksToRetype() throws {
        let h = Harness([.invalidEncoding, .line("Which printer?")])
        _ = h.session.run()
        #expect(h.output.text.contains("Input is not valid UTF-8; please retype."))
        #expect(try #require(h.recorder.attempts.first).turns.count == 1)
    }

    @Test func escapeSequencesAreNeverPrintedRaw() {
        // Given escape sequences in the scenario's lines and summary and in the trainee's replies
        let reply = "Which printer \u{1B}[2J\u{1B}]0;title\u{07}is it?"
        let output = Capture()
        let recorder = InMemoryAttemptRecorder()
        let reader = ScriptedLineReader(lines: ["nonsense \u{1B}[31m", "/kb \u{1B}[1mprinter", reply])
        let scoring = ScoringPipeline(scorers: [FixedScorer(category: .politeness, score: 50, evidence: [
            Evidence(.deduction, points: 10, turn: 3, quote: reply, rule: "x", message: "bad \u{1B}[5mthing"),
        ])])
        let session = PlaySession(scenario: Fixture.printer(), seed: 1, mode: .practice, interfaceLanguage: .en,
                                  reader: reader, output: TerminalOutput(width: 80, color: false, write: output.write),
                                  recorder: recorder, scoring: scoring)
        // When played (reader without echo: everything printed comes from the session)
        _ = session.run()
        // Then no escape character reaches the output
        #expect(!output.text.contains("\u{1B}"))
        #expect(output.text.contains("NEVER works."))
        // (the first reply not understood is a clarifying question in practice mode)
        #expect(output.text.contains("Not understood; the customer asks you to clarify"))
    }

    @Test func withColourOnOnlyColourCodesAreWritten() throws {
        // Given colour on and escape sequences in the scenario and the replies
        let output = Capture()
        let reader = ScriptedLineReader(lines: ["nonsense \u{1B}[2J", "Which printer \u{1B}]0;x\u{07}?", "1"])
        let session = PlaySession(scenario: Fixture.printer(), seed: 1, mode: .practice, interfaceLanguage: .en,
                                  reader: reader, output: TerminalOutput(width: 80, color: true, write: output.write),
                                  recorder: InMemoryAttemptRecorder())
        // When played
        _ = session.run()
        // Then every escape character starts a colour code (SGR), nothing else
        let withoutColour = try Regex("\u{1B}\\[[0-9;]*m").wholeMatch(in: "\u{1B}[31m") != nil
        #expect(withoutColour)
        let stripped = output.text.replacing(try Regex("\u{1B}\\[[0-9;]*m"), with: "")
        #expect(!stripped.contains("\u{1B}"))
        #expect(output.text.contains("\u{1B}[32m"))
    }

    @Test func colourIsUsedOnlyWhenAllowed() {
        #expect(!TerminalOutput.colorAllowed(isTerminal: false, environment: [:]))
        #expect(!TerminalOutput.colorAllowed(isTerminal: true, environment: ["NO_COLOR": "1"]))
        #expect(TerminalOutput.colorAllowed(isTerminal: true, environment: ["NO_COLOR": ""]))
        let h = Harness(lines: Self.goodRun)
        _ = h.session.run()
        #expect(!h.output.text.contains("\u{1B}["))
    }

    @Test(arguments: [InterfaceLanguage.en, .ru])
    func helpListsEveryCommand(language: InterfaceLanguage) {
        // Given /help in the interface language
        let h = Harness(lines: ["/help"], language: language)
        // When played
        _ = h.session.run()
        // Then every command is listed with its description in that language
        for command in CommandParser.commands {
            #expect(h.output.text.contains(command))
        }
        let strings = UIStrings(language)
        #expect(h.output.text.contains(strings.describe(command: "/kb")))
        if language == .ru {
            #expect(h.output.text.contains("Команды:"))
            #expect(h.output.text.contains("поиск в базе знаний"))
            #expect(h.reader.prompts.first == "вы> ")
        } else {
            #expect(h.output.text.contains("Commands:"))
            #expect(h.output.text.contains("search the knowledge base"))
        }
    }

    @Test func unknownCommandSuggestsTheClosest() throws {
        let h = Harness(lines: ["/hnit", "/frobnicate", "/escalate"])
        _ = h.session.run()
        #expect(h.output.text.contains("Unknown command /hnit. Did you mean /hint?"))
        #expect(h.output.text.contains("Unknown command /frobnicate. Type /help for the list."))
        #expect(h.output.text.contains("Usage: /escalate <tier or team> <hand-off note>"))
        #expect(try #require(h.recorder.attempts.first).turns.isEmpty)
    }

    @Test func knowledgeBaseHintAndChoices() {
        let h = Harness(lines: ["/kb printer", "/kb zebra", "/kb queue", "/hint", "Which printer?", "3", "1"])
        let outcome = h.session.run()
        let text = h.output.text
        #expect(text.contains("KB-12  Clearing a stuck print queue"))
        #expect(text.contains("KB-31  Printing to another floor's printer"))
        #expect(text.contains("No knowledge-base articles found."))
        #expect(text.contains("Open the queue and cancel the stuck job."))
        #expect(text.contains("hint (costs 5 points): Ask which printer she uses."))
        #expect(text.contains("1) Could you open the print queue?"))
        #expect(text.contains("2) Buy a new printer."))
        #expect(outcome.ending == .resolved)
    }

    @Test func moodChangesAndManagerDemandAreShown() {
        // (practice mode: the first reply not understood at the node is a free clarifying question)
        let h = Harness(lines: ["a", "b", "c", "d", "e", "f"], mode: .practice)
        let outcome = h.session.run()
        #expect(h.output.text.contains("mood: irritated → angry"))
        #expect(h.output.text.contains("The customer demands a manager."))
        #expect(outcome.ending == .left)
        #expect(h.output.text.contains("ending: the customer left"))
    }

    @Test func escalationIsConfirmedWithANoteCheckInPractice() {
        var scenario = Fixture.printer()
        scenario.escalation = EscalationPolicy(requirement: .required, targets: ["L2"], noteMustMention: [
            NoteItem(id: "summary", match: MatchRule(any: ["printer"])),
            NoteItem(id: "urgency", match: MatchRule(any: ["urgent"])),
        ])
        let h = Harness([.line("/escalate L2 Printer 3F shows an error")], scenario: scenario)
        let outcome = h.session.run()
        #expect(outcome.ending == .escalated)
        #expect(h.output.text.contains("→ Escalated to L2."))
        #expect(h.output.text.contains("hand-off note: ✓ summary of the problem ✗ urgency"))
    }

    @Test func givenTheRussianInterface_whenTheNoteIsChecked_thenStandardItemsHaveRussianNames() {
        // Given a Russian interface and standard note items
        var scenario = Fixture.printer()
        scenario.escalation = EscalationPolicy(requirement: .required, targets: ["L2"], noteMustMention: [
            NoteItem(id: "summary", match: MatchRule(any: ["printer"])),
            NoteItem(id: "contact", match: MatchRule(any: ["phone"])),
        ])
        // When
        let h = Harness([.line("/escalate L2 Printer 3F shows an error")], language: .ru, scenario: scenario)
        _ = h.session.run()
        // Then no raw id is shown
        #expect(h.output.text.contains("✓ суть проблемы ✗ контакт клиента"))
        #expect(!h.output.text.contains("✗ contact"))
    }

    @Test func givenAForbiddenEscalation_whenTheTraineeEscalates_thenTheSessionSaysItWasRefusedAndGoesOn() {
        // Given
        var scenario = Fixture.printer()
        scenario.escalation = EscalationPolicy(requirement: .forbidden, reason: "Printers are ours.")
        // When the trainee escalates, then keeps talking
        let h = Harness([.line("/escalate L2 printer"), .line("/quit"), .line("y")], scenario: scenario)
        let outcome = h.session.run()
        // Then the refusal is shown, and the session went on until the trainee quit
        #expect(h.output.text.contains("Escalation to L2 refused"))
        #expect(h.output.text.contains("Printers are ours."))
        #expect(!h.output.text.contains("→ Escalated to L2."))
        #expect(outcome.ending == .abandoned)
    }

    @Test func givenAMaleCustomer_whenTheRussianHeaderShowsTheMood_thenTheLabelAgrees() {
        var scenario = Fixture.printer()
        scenario.persona = Persona(name: "Андрей", mood: .irritated, gender: .male)
        let h = Harness([.line("/quit"), .line("д")], language: .ru, scenario: scenario)
        _ = h.session.run()
        #expect(h.output.text.contains("настроение: раздражён"))
        #expect(!h.output.text.contains("раздражена"))
    }

    @Test func givenAScaledCorrectnessLoss_whenTheDebriefShowsIt_thenThePointsAsWrittenAreShownToo() {
        #expect(UIStrings(.en).scaledPoints(shown: 16, written: 15, possible: 92) == "−16: 15 of 92 scenario points")
        #expect(UIStrings(.ru).scaledPoints(shown: 16, written: 15, possible: 92) == "−16: 15 из 92 баллов сценария")
        #expect(UIStrings(.ru).scaledPoints(shown: 5, written: 1, possible: 21) == "−5: 1 из 21 балла сценария")
    }

    @Test func givenARecorderThatDoesNotStore_whenTheSessionEnds_thenItNeverSaysAnAttemptWasSaved() {
        // Given the recorder `supportsim record` uses: nothing outside the process keeps the attempt
        let h = Harness([.line("Hello!"), .line("/quit"), .line("y")], recorder: InMemoryAttemptRecorder(stores: false))
        // When
        _ = h.session.run()
        // Then
        #expect(h.output.text.contains("This session is not stored as an attempt."))
        #expect(!h.output.text.contains("saved as abandoned"))
    }

    @Test func givenAHintWithACost_whenShownInRussian_thenThePluralFormIsRight() {
        #expect(UIStrings(.ru).hint(cost: 5).contains("5 баллов"))
        #expect(UIStrings(.ru).hint(cost: 2).contains("2 балла"))
        #expect(UIStrings(.ru).hint(cost: 21).contains("21 балл)"))
        #expect(UIStrings(.en).hint(cost: 1).contains("1 point)"))
        #expect(Plural.russian(12, one: "балл", few: "балла", many: "баллов") == "баллов")
    }

    @Test func debriefShowsEveryDeductionAndCriticalErrors() {
        // Given scores with deductions, one with a long quote, and a critical error
        let long = String(repeating: "very long reply ", count: 20)
        let scoring = ScoringPipeline(scorers: [
            FixedScorer(category: .correctness, score: 85, evidence: [
                Evidence(.credit, points: 10, turn: 1, quote: "Which printer?", rule: "intent:ask", message: "asked"),
                Evidence(.deduction, points: 5, turn: 2, quote: long, rule: "fallback", message: "matched nothing"),
                Evidence(.deduction, points: 15, rule: "outcome", message: "missed: ask whether others are affected"),
            ]),
            FixedScorer(category: .politeness, score: 40, evidence: [
                Evidence(.deduction, points: 20, turn: 2, quote: "your password", rule: "p", message: "demanding"),
            ]),
        ])
        let h = Harness([.line("Which printer?"), .line("Tell me your password"), .line("Could you open the print queue?")],
                        scoring: scoring)
        // When the session ends
        let outcome = h.session.run()
        // Then every deduction is listed under its category, with the total, the critical error and the ending
        let text = h.output.text
        #expect(text.contains(" Correctness   85  █████████████████░░░"))
        #expect(text.contains(" Politeness    40  ████████░░░░░░░░░░░░"))
        #expect(text.contains("turn 2: \"very long reply very long reply very long reply very long r…\" —\n       matched nothing (−5)"))
        #expect(text.contains("missed: ask whether others are affected (−15)"))
        #expect(text.contains("turn 2: \"your password\" — demanding (−20)"))
        #expect(text.contains("FAILED (pass mark 80)"))
        #expect(text.contains("FAILED: critical error: asked for a password (turn 2: \"Tell me your password\")"))
        #expect(outcome.card?.passed == false)
    }

    @Test func russianDebrief() {
        let scoring = ScoringPipeline(scorers: [FixedScorer(category: .correctness, score: 90, evidence: [
            Evidence(.deduction, points: 10, turn: 1, quote: "ну", rule: "x", message: "слабо"),
        ])])
        let h = Harness(Self.goodRun.map(LineInput.line), language: .ru, scoring: scoring)
        _ = h.session.run()
        let text = h.output.text
        #expect(text.contains("┌ Заявка №4512 · телефон · приоритет высокий · SLA 15 мин"))
        #expect(text.contains("настроение: раздражена"))
        #expect(text.contains("═══ Разбор"))
        #expect(text.contains(" Корректность   90  ██████████████████░░"))
        #expect(text.contains("ход 1: «ну» — слабо (−10)"))
        #expect(text.contains("Итог 90 / 100 — СДАНО (проходной балл 80)"))
        #expect(text.contains("исход: решено"))
        #expect(text.contains("Сохранено как попытка 7"))
    }

    @Test func veryLongRepliesAreAccepted() throws {
        let reply = "Which printer? " + String(repeating: "а", count: 100_000)
        let h = Harness([.line(reply)], mode: .practice)
        _ = h.session.run()
        let turn = try #require(h.recorder.attempts.first?.turns.first)
        #expect(turn.input == .reply(reply))
    }

    @Test func aFailingRecorderDoesNotStopThePlay() {
        let h = Harness(Self.goodRun.map(LineInput.line), recorder: FailingRecorder())
        let outcome = h.session.run()
        #expect(outcome.ending == .resolved)
        #expect(outcome.attemptID == nil)
        #expect(h.output.text.components(separatedBy: "warning: the attempt could not be saved").count == 2)
        #expect(h.output.text.contains("The attempt was not saved."))
    }

    @Test func resumeReplaysWithoutRecordingAgain() throws {
        let recorder = InMemoryAttemptRecorder()
        let output = Capture()
        let reader = ScriptedLineReader(lines: ["Could you open the print queue?"])
        let session = PlaySession(
            scenario: Fixture.printer(), seed: 42, mode: .practice, interfaceLanguage: .en, reader: reader,
            output: TerminalOutput(width: 80, write: output.write), recorder: recorder,
            resume: ResumePoint(attemptID: 3, turns: Fixture.played(["Which printer?"])))
        let outcome = session.run()
        #expect(outcome.attemptID == 3)
        #expect(outcome.ending == .resolved)
        #expect(outcome.transcript.turns.count == 2)
        #expect(output.text.contains("Resuming attempt 3 after 1 turn(s)."))
    }
}
