import Foundation
import Testing
@testable import SupportSimREPL
#if canImport(Glibc)
import Glibc
#endif

/// A session ended by a signal (`LineInput.terminated`): saved like end of input, with the signal
/// reported to the caller for the exit status.
@Suite struct TerminatedSessionTests {
    @Test func givenOneReplyWhenSIGTERMEndsTheReadThenTheAttemptIsAbandonedWithItsTurnAndTheSignalIsReported() throws {
        // Given one reply, then a read ended by SIGTERM
        let h = Harness([.line("Which printer?"), .terminated(signal: SIGTERM), .line("never read")])
        // When played
        let outcome = h.session.run()
        // Then the attempt is finished as abandoned, scored, with the one turn, and the signal is reported
        #expect(outcome.signal == SIGTERM)
        #expect(outcome.abandoned && outcome.ending == .abandoned)
        let attempt = try #require(h.recorder.attempts.first)
        #expect(attempt.turns.map(\.input.text) == ["Which printer?"])
        #expect(attempt.ending == .abandoned)
        #expect(attempt.card != nil && attempt.finishedAt != nil)
        #expect(h.output.text.contains("Attempt 7 saved as abandoned."))
        #expect(h.reader.remaining == [.line("never read")])
    }

    @Test func givenTheQuitQuestionWhenSIGHUPEndsTheAnswerThenTheSessionEndsWithTheSignal() throws {
        // Given Ctrl-C, and the terminal hung up while "Quit?" waits for its answer
        let h = Harness([.line("Which printer?"), .interrupted, .terminated(signal: SIGHUP), .line("n")])
        // When played
        let outcome = h.session.run()
        // Then the session does not continue: it is abandoned and reports SIGHUP
        #expect(outcome.signal == SIGHUP)
        #expect(outcome.abandoned)
        #expect(try #require(h.recorder.attempts.first).turns.count == 1)
        #expect(!h.output.text.contains("Continuing."))
        #expect(h.reader.remaining == [.line("n")])
    }

    @Test func givenEndOfInputOrQuitWhenTheSessionEndsThenNoSignalIsReported() {
        // Given sessions ended by Ctrl-D and by /quit
        let ended = Harness([.line("Which printer?"), .endOfInput]).session.run()
        let quit = Harness([.line("/quit"), .line("y")]).session.run()
        // Then neither reports a signal (the exit status stays 0)
        #expect(ended.abandoned && ended.signal == nil)
        #expect(quit.abandoned && quit.signal == nil)
    }
}
