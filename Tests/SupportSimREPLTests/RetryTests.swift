import Foundation
import Testing
import SupportSimCore
@testable import SupportSimREPL

@Suite struct RetryTests {
    @Test func retryTakesBackTheLastReplyAndShowsTheCustomersLineAgain() throws {
        // Given a harmful reply, /retry, then the good run
        let h = Harness(lines: ["Just restart it.", "/retry"] + PlaySessionTests.goodRun)
        // When played
        let outcome = h.session.run()
        // Then the session ends resolved with a clean transcript (the harmful reply is gone)
        #expect(outcome.ending == .resolved)
        #expect(outcome.transcript.turns.map(\.number) == [1, 2])
        #expect(outcome.transcript.turns.map(\.index) == [2, 3])
        let harmful = outcome.card?.score(.correctness)?.evidence.contains { $0.rule == "harmful:dismiss" }
        #expect(harmful == false)
        // and the retracted turn is recorded as taken back, with one retry
        let attempt = try #require(h.recorder.attempts.first)
        #expect(attempt.turns.map(\.index) == [1, 2, 3])
        #expect(attempt.retracted == [1])
        #expect(attempt.retries == 1)
        // and the customer's opening line was shown again after the retry
        let text = h.output.text
        let afterRetry = try #require(text.range(of: "Your last reply was taken back."))
        #expect(text[afterRetry.upperBound...].contains("Olga: My presentation won't print!"))
    }

    @Test func retryRestoresTheMoodBeforeTheReply() {
        // Given a harmful reply that makes the customer angrier, then /retry and a good reply
        let h = Harness(lines: ["Just restart it.", "/retry", "Which printer is it?"])
        // When played
        let outcome = h.session.run()
        // Then the mood before the good reply is the opening mood again
        #expect(outcome.transcript.turns.first?.moodBefore == .irritated)
        #expect(outcome.transcript.turns.count == 1)
    }

    @Test func retryWithNothingToTakeBackSaysSo() throws {
        // Given /retry before any reply
        let h = Harness(lines: ["/retry"])
        // When played
        _ = h.session.run()
        // Then it says so and records nothing
        #expect(h.output.text.contains("There is no reply to take back yet."))
        #expect(try #require(h.recorder.attempts.first).retries == 0)
    }

    @Test func retryIsRefusedInExamMode() throws {
        // Given a reply and /retry in exam mode
        let h = Harness(lines: ["Just restart it.", "/retry"], mode: .exam)
        // When played
        let outcome = h.session.run()
        // Then it is refused and the reply stands
        #expect(h.output.text.contains("/retry is not available in exam mode"))
        #expect(outcome.transcript.turns.count == 1)
        #expect(try #require(h.recorder.attempts.first).retries == 0)
    }

    @Test func retryAfterAHintIsRefused() throws {
        // Given a reply, a hint, and /retry
        let h = Harness(lines: ["Which printer?", "/hint", "/retry"])
        // When played
        let outcome = h.session.run()
        // Then the reply is not taken back
        #expect(h.output.text.contains("A hint was taken after your last reply"))
        #expect(outcome.transcript.turns.count == 2)
    }

    @Test func retryAlsoTakesBackLookupsAfterTheReply() throws {
        // Given a reply, a /kb lookup and /retry
        let h = Harness(lines: ["Just restart it.", "/kb queue", "/retry"])
        // When played
        let outcome = h.session.run()
        // Then both are taken back and stay recorded as retracted
        #expect(outcome.transcript.turns.isEmpty)
        #expect(try #require(h.recorder.attempts.first).retracted == [1, 2])
    }

    @Test func retryIsInHelpAndTabCompletion() {
        // Given the command list
        // Then /retry is a command with a description in both languages
        #expect(CommandParser.commands.contains("/retry"))
        #expect(CommandParser.parse("/retry") == .retry)
        #expect(!UIStrings(.en).describe(command: "/retry").isEmpty)
        #expect(!UIStrings(.ru).describe(command: "/retry").isEmpty)
    }

    @Test func resumeContinuesTheNumberingAfterARetractedTurn() throws {
        // Given stored turns with a gap where a turn was taken back (indices 1 and 3)
        var turns = Fixture.played(["Which printer?"])
        turns[0].index = 1
        let recorder = InMemoryAttemptRecorder(firstID: 3)
        _ = try recorder.begin(AttemptStart(scenarioID: "printer", scenarioTitle: "P", scenarioVersion: 1, language: .en,
                                             mode: .practice, seed: 42, startedAt: Date(), interfaceLanguage: .en))
        try recorder.record(turn: turns[0], attemptID: 3, at: Date())
        // When the attempt is resumed and one more reply is played
        let h = Harness([.line("Could you open the print queue?")], recorder: recorder,
                        resume: ResumePoint(attemptID: 3, turns: turns))
        let outcome = h.session.run()
        // Then the new turn is recorded on the same attempt with the next index and number 2
        #expect(outcome.attemptID == 3)
        #expect(outcome.ending == .resolved)
        #expect(recorder.attempts.first?.turns.map(\.index) == [1, 2])
        #expect(recorder.attempts.first?.turns.last?.number == 2)
    }
}
