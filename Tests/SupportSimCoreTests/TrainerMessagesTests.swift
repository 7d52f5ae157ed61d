import Foundation
import Testing
@testable import SupportSimCore
import SupportSimLexicons

/// Messages a trainer or trainee met that confused them: a colon in unquoted text, look-alike
/// Cyrillic letters in ids, targets and commands.
@Suite("Messages: quoting and look-alike letters")
struct TrainerMessagesTests {
    @Test func givenAnUnquotedCustomerLineWithAColon_whenParsed_thenSS003SuggestsQuotingAndNoSS013Follows() {
        // Given a customer line «Баннер: картинки не грузятся» written without quotes in a list
        let text = ParserFixtures.minimal.replacingOccurrences(of: "    customer: Здравствуйте!",
                                                               with: "    customer:\n      - Баннер: картинки не грузятся")
        // When
        let result = ScenarioParser.parse(text)
        // Then the type error suggests quoting, with the fixed text
        let error = result.diagnostics.first { $0.code == "SS003" }
        #expect(error != nil)
        #expect(error?.hint?.contains("\"Баннер: картинки не грузятся\"") == true)
        #expect(error?.hint?.contains("quotes") == true)
        // and no confusing "no lines" warning follows
        #expect(!result.diagnostics.contains { $0.code == "SS013" })
    }

    @Test func givenAQuotedLineWithAColon_whenParsed_thenItIsAccepted() {
        let text = ParserFixtures.minimal.replacingOccurrences(of: "    customer: Здравствуйте!",
                                                               with: "    customer:\n      - \"Баннер: картинки не грузятся\"")
        #expect(ScenarioParser.parse(text).diagnostics.isEmpty)
    }

    @Test func givenANodeReferenceWithACyrillicLetter_whenParsed_thenTheErrorNamesTheMixedLetter() {
        // Given `next: b` written with a Cyrillic «в»? No: `next: bо` style — the node is "done", the reference "dоne" has a Cyrillic «о»
        let text = ParserFixtures.minimal
            .replacingOccurrences(of: "next: b", with: "next: dоne")
            .replacingOccurrences(of: "  b:\n", with: "  done:\n")
        // When
        let error = ScenarioParser.parse(text).diagnostics.first { $0.code == "SS005" }
        // Then
        #expect(error?.message.contains("mixes Latin and Cyrillic letters: «о» is Cyrillic") == true)
        #expect(error?.message.contains("the defined id is 'done'") == true)
    }

    @Test func givenAnEscalationTargetTypedWithACyrillicLookAlike_whenEscalating_thenItIsTheScenarioTarget() {
        // Given a policy that accepts the team "1C" (Latin C)
        var scenario = ScoringScenarios.printer()
        scenario.escalation = EscalationPolicy(requirement: .required, targets: ["1C"])
        // When the trainee types «1С» with a Cyrillic С
        var engine = Engine(scenario: scenario, seed: 1, analyzer: BundledLexicons.analyzer)
        _ = engine.start()
        let events = engine.handle(.escalate(target: "1С", note: "printer broken, urgent"))
        // Then it is accepted, recorded as the scenario writes it, and not scored as a wrong target
        #expect(events.contains(.escalated(target: "1C", note: "printer broken, urgent", accepted: true)))
        #expect(scenario.escalation.accepts("1С"))
        #expect(scenario.escalation.accepts("1c"))
        #expect(!scenario.escalation.accepts("1D"))
    }

    @Test func givenACommandTypedWithALookAlike_whenParsed_thenItIsTheCommand() {
        // «/сlose» with a Cyrillic с, «/еscalate» with a Cyrillic е
        #expect(CommandParser.parse("/сlose fixed the printer") == .input(.close(resolution: "fixed the printer")))
        #expect(CommandParser.parse("/еscalate L2 note") == .input(.escalate(target: "L2", note: "note")))
        #expect(CommandParser.parse("/эскалация L2") == .unknownCommand("/эскалация"))
    }

    @Test func lookAlikeFoldingLeavesOrdinaryTextAlone() {
        #expect(LookAlike.fold("L2") == "L2")
        #expect(LookAlike.key("1С") == "1c")
        #expect(!LookAlike.mixesScripts("руководитель"))
        #expect(LookAlike.mixesScripts("dоne"))
        #expect(LookAlike.cyrillicLetters(in: "dоne") == "«о»")
    }
}
