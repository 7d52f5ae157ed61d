import Testing
import SupportSimCore
import SupportSimLexicons
@testable import SupportSimREPL

/// What practice mode shows about the reading of a reply: a wrong key fact with the author's
/// feedback, a clarifying question instead of a penalty, and the model answer in the debrief.
@Suite("Practice feedback on the reading of a reply")
struct ReadingFeedbackTests {
    static func scenario() -> Scenario {
        var s = Fixture.printer()
        s.nodes[0].expect[0].facts = [FactRequirement(
            name: "floor", accept: ["second floor"], wrong: [WrongFactValue(values: ["third floor"], feedback: "That one is broken.")],
            required: false)]
        s.nodes[0].expect[0].samples = ["Which printer is it, the one on the second floor?"]
        return s
    }

    @Test func givenAWrongKeyFactWhenPlayedInPracticeThenTheFeedbackQuotesTheValueAndNoNoMatchLine() {
        // Given a step whose key fact names the broken printer
        let h = Harness([.line("Which printer, the third floor one?"), .endOfInput], mode: .practice, scenario: Self.scenario())
        // When played
        _ = h.session.run()
        // Then the feedback quotes the value with the author's words, and says nothing of "no match"
        #expect(h.output.text.contains("✗ asked which printer: \"third floor\" — That one is broken."), "\(h.output.text)")
        #expect(!h.output.text.contains("no match"))
    }

    @Test func givenAReplyNotUnderstoodWhenTheDebriefIsShownThenItGivesTheExpectedStepAndAModelAnswer() {
        // Given an exam where the first reply is not understood and the trainee quits
        let h = Harness([.line("Hello there."), .endOfInput], mode: .exam, scenario: Self.scenario())
        // When played to the debrief
        _ = h.session.run()
        // Then the deduction names what was expected and a model answer (lines joined: the view wraps)
        let text = h.output.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("expected: asked which printer"), "\(h.output.text)")
        #expect(text.contains("model answer: \"Which printer is it, the one on the second floor?\""), "\(h.output.text)")
    }
}
