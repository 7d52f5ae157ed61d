import Foundation
import Testing
import SupportSimCore
@testable import SupportSimREPL

@Suite struct SessionPolishTests {
    // MARK: /close without a resolution

    @Test func closeWithoutResolutionAsksAndAnEmptyAnswerCancels() throws {
        // Given /close with no text, answered with an empty line, then input ends
        let h = Harness([.line("/close"), .line("")])
        // When played
        let outcome = h.session.run()
        // Then the question was asked, nothing was played, and the attempt was not closed
        #expect(h.reader.prompts.contains(UIStrings(.en).resolutionQuestion))
        #expect(h.output.text.contains("The ticket stays open."))
        #expect(outcome.ending == .abandoned)
        #expect(try #require(h.recorder.attempts.first).turns.isEmpty)
    }

    @Test func closeWithoutResolutionCancelledByCtrlCInRussian() throws {
        // Given /close with no text answered with Ctrl-C, in a Russian interface
        let h = Harness([.line("/close"), .interrupted], language: .ru)
        // When played
        _ = h.session.run()
        // Then the question is Russian and nothing was played
        #expect(h.reader.prompts.contains("Как решена проблема? (пустая строка или Ctrl-C — не закрывать) "))
        #expect(h.output.text.contains("Обращение остаётся открытым."))
        #expect(try #require(h.recorder.attempts.first).turns.isEmpty)
    }

    @Test func closeWithoutResolutionUsesTheAnswerAsTheResolution() throws {
        // Given /close with no text, answered with a resolution
        let h = Harness([.line("/close"), .line("Printed on another printer")])
        // When played
        let outcome = h.session.run()
        // Then the ticket was closed with that resolution
        #expect(outcome.ending == .closedUnresolved)
        let turn = try #require(h.recorder.attempts.first?.turns.first)
        #expect(turn.input == .close(resolution: "Printed on another printer"))
    }

    // MARK: Exam mode

    @Test func examModeShowsNoMoodChangesOrManagerDemands() {
        // Given rude and unhelpful replies that change the mood until the customer demands a manager
        let lines = ["Just restart it.", "restart it", "restart it", "restart it", "restart it"]
        // When played in exam and in practice mode
        let exam = Harness(lines: lines, mode: .exam)
        _ = exam.session.run()
        let practice = Harness(lines: lines, mode: .practice)
        _ = practice.session.run()
        // Then practice shows the mood line and the demand, exam shows neither (only the customer's words)
        #expect(practice.output.text.contains("mood: irritated → furious"))
        #expect(practice.output.text.contains("The customer demands a manager."))
        #expect(!exam.output.text.contains("→"))
        #expect(!exam.output.text.contains("mood: irritated →"))
        #expect(!exam.output.text.contains("demands a manager"))
        #expect(!exam.output.text.contains("✓") && !exam.output.text.contains("✗"))
    }

    @Test func examModeDoesNotSayWhetherTheEscalationTargetIsAccepted() {
        // Given an escalation to a target the (empty) policy does not accept
        let lines = ["/escalate Nobody the printer is broken"]
        // When played in exam mode
        let exam = Harness(lines: lines, mode: .exam)
        _ = exam.session.run()
        // Then the escalation is reported without the verdict
        #expect(exam.output.text.contains("Escalated to Nobody."))
        #expect(!exam.output.text.contains("not one the policy accepts"))
    }

    // MARK: Header width

    @Test func headerUsesTheWidthItNeedsOnAWideTerminal() {
        // Given a persona with a long role, on a 160-column terminal
        var scenario = Fixture.printer(language: .ru)
        scenario.persona.role = "руководитель отдела закупок, ООО «Мебель-Профи Северо-Запад»"
        let h = Harness([], scenario: scenario, width: 160)
        // When the session starts
        _ = h.session.run()
        // Then the role is shown whole
        #expect(h.output.text.contains("ООО «Мебель-Профи Северо-Запад»"))
    }

    @Test func headerIsCutOnlyWhenTheTerminalIsTooNarrow() throws {
        // Given the same long role on a 50-column terminal
        var scenario = Fixture.printer(language: .ru)
        scenario.persona.role = "руководитель отдела закупок, ООО «Мебель-Профи Северо-Запад»"
        let h = Harness([], scenario: scenario, width: 50)
        // When the session starts
        _ = h.session.run()
        // Then the box fits in 50 columns and the role is cut with an ellipsis
        let box = h.output.text.split(separator: "\n").filter { $0.hasPrefix("┌") || $0.hasPrefix("│") || $0.hasPrefix("└") }
        #expect(box.count == 3)
        #expect(box.allSatisfy { DisplayWidth.of(String($0)) == 50 })
        #expect(h.output.text.contains("…"))
    }

    // MARK: Wrapping

    @Test func feedbackLinesWrapWithAHangingIndent() throws {
        // Given a harmful reply whose feedback is longer than a 30-column line
        let h = Harness([.line("Just restart it.")], width: 30)
        // When played
        _ = h.session.run()
        // Then the continuation of the ✗ line starts under its text
        let lines = h.output.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let i = try #require(lines.firstIndex { $0.hasPrefix("  ✗ Do not brush") })
        #expect(lines[i + 1].hasPrefix("    ") && !lines[i + 1].hasPrefix("     "))
    }

    // MARK: Debrief turn numbers

    @Test func debriefTurnNumbersCountRepliesNotLookups() {
        // Given two /kb lookups and a /hint before a harmful reply
        let h = Harness(lines: ["/kb printer", "/kb queue", "/hint", "Just restart it.", "/quit", "y"])
        // When played and quit
        _ = h.session.run()
        // Then the deduction for the reply names turn 1
        #expect(h.output.text.contains("turn 1: \"Just restart it.\""))
        #expect(!h.output.text.contains("turn 4:"))
    }

    // MARK: Debrief after quitting

    @Test func quittingShowsAShortDebriefLabelledAbandoned() {
        // Given a harmful reply, then /quit confirmed
        let h = Harness(lines: ["Just restart it.", "/quit", "y"])
        // When played
        _ = h.session.run()
        // Then a debrief of what was played is shown, labelled as abandoned, with the deduction
        let text = h.output.text
        #expect(text.contains("Debrief of an abandoned attempt (what was played so far)"))
        #expect(text.contains("Correctness"))
        #expect(text.contains("Do not brush the customer off."))
        #expect(text.contains("Total so far"))
        #expect(!text.contains("PASSED") && !text.contains("FAILED"))
    }

    @Test func endOfInputShowsTheAbandonedDebriefInRussian() {
        // Given one reply and then Ctrl-D, in a Russian interface
        let h = Harness([.line("Which printer?")], language: .ru)
        // When played
        _ = h.session.run()
        // Then the Russian abandoned debrief is shown
        #expect(h.output.text.contains("Разбор прерванной попытки"))
        #expect(h.output.text.contains("Итог на момент выхода"))
    }

    @Test func quittingBeforeAnyTurnShowsNoDebrief() {
        // Given input that ends at once
        let h = Harness([])
        // When played
        _ = h.session.run()
        // Then there is nothing to debrief
        #expect(!h.output.text.contains("Debrief"))
    }
}
