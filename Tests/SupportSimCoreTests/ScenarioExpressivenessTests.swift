import Foundation
import Testing
@testable import SupportSimCore
import SupportSimLexicons

/// What a scenario can now express: a forbidden escalation that is refused while the conversation
/// goes on, the customer's mood on arriving at a node, and the persona's grammatical gender.
@Suite("Scenario format: refusal, mood on arrival, gender")
struct ScenarioExpressivenessTests {
    func engine(_ scenario: Scenario) -> Engine {
        var e = Engine(scenario: scenario, seed: 1, analyzer: BundledLexicons.analyzer)
        _ = e.start()
        return e
    }

    @Test func givenAForbiddenEscalation_whenTheTraineeEscalates_thenItIsRefusedAndTheConversationGoesOn() {
        // Given a case that must not be escalated, with the customer's line for a refusal
        var scenario = ScoringScenarios.printer()
        scenario.escalation = EscalationPolicy(requirement: .forbidden, reason: "Printers are handled on the first line.")
        scenario.escalation.customerIfRefused = ["So nobody else will look at it? Then please help me."]
        var e = engine(scenario)
        // When
        let events = e.handle(.escalate(target: "L2", note: "printer broken"))
        // Then the attempt is recorded, the customer answers, and nothing ended
        #expect(events.contains(.escalated(target: "L2", note: "printer broken", accepted: false)))
        #expect(events.contains(.customerSays("So nobody else will look at it? Then please help me.")))
        #expect(!e.isOver)
        #expect(e.nodeID == "s1")
        // and the case can still be solved
        e.handle(.reply("Which printer is it? Could you restart it?"))
        e.handle(.close(resolution: "Printer restarted, prints again."))
        #expect(e.transcript.ending == .resolved)
        // while the escalation still scores as the mistake it was
        let card = ScoringPipeline.standard(analyzer: BundledLexicons.analyzer).score(e.transcript, scenario: scenario)
        #expect(card.score(.escalation)?.score == 0)
    }

    @Test func givenAForbiddenEscalationWithoutItsOwnLine_whenRefused_thenABuiltInLineInTheScenarioLanguageIsSaid() {
        var scenario = ScoringScenarios.printer(language: .ru)
        scenario.escalation = EscalationPolicy(requirement: .forbidden)
        var e = engine(scenario)
        let said = e.handle(.escalate(target: "L2", note: "")).compactMap { if case .customerSays(let t) = $0 { t } else { nil } }
        #expect(said.count == 1)
        #expect(said.first?.contains("решим") == true)
    }

    @Test func givenANodeWithAMoodOnArrival_whenTheConversationArrives_thenTheMoodChangesBeforeTheLine() {
        // Given the second node makes the customer come back angry
        var scenario = ScoringScenarios.printer()
        scenario.nodes[1].arrivalMood = .set(.angry)
        var e = engine(scenario)
        // When a reply moves the conversation there
        let events = e.handle(.reply("Please restart the printer."))
        // Then
        let change = events.firstIndex { if case .moodChanged(_, .angry) = $0 { true } else { false } }
        let line = events.firstIndex(of: .customerSays("It works now!"))
        #expect(change != nil && line != nil && change! < line!)
        #expect(e.mood == .angry)
    }

    @Test func givenAShiftOnArrival_whenArriving_thenTheMoodMovesByThatManySteps() {
        var scenario = ScoringScenarios.printer(mood: .calm)
        scenario.nodes[1].arrivalMood = .shift(2)
        var e = engine(scenario)
        e.handle(.reply("Please restart the printer."))
        // The matched intent cannot make a calm customer calmer; then +2 steps on arrival
        #expect(e.mood == .irritated)
    }

    @Test func givenMoodAndGenderInYAML_whenParsed_thenTheyAreRead() throws {
        let text = ParserFixtures.minimal
            .replacingOccurrences(of: "persona: {name: Ирина}", with: "persona: {name: Андрей, gender: male}")
            .replacingOccurrences(of: "    customer: До свидания.", with: "    customer: До свидания.\n    mood: angry")
        let s = try #require(ScenarioParser.parse(text).scenario)
        #expect(s.persona.gender == .male)
        #expect(s.node("b")?.arrivalMood == .set(.angry))
        let shifted = try #require(ScenarioParser.parse(ParserFixtures.minimal.replacingOccurrences(
            of: "    customer: До свидания.", with: "    customer: До свидания.\n    mood: -2")).scenario)
        #expect(shifted.node("b")?.arrivalMood == .shift(-2))
    }

    @Test func givenBadMoodGenderOrARefusalLineWithoutAForbiddenPolicy_whenParsed_thenTheyAreDiagnosed() {
        let badMood = ScenarioParser.parse(ParserFixtures.minimal.replacingOccurrences(
            of: "    customer: До свидания.", with: "    customer: До свидания.\n    mood: grumpy"))
        #expect(badMood.diagnostics.contains { $0.code == "SS007" && $0.message.contains("'mood' in node 'b'") })
        let badGender = ScenarioParser.parse(ParserFixtures.minimal.replacingOccurrences(
            of: "persona: {name: Ирина}", with: "persona: {name: Ирина, gender: f}"))
        #expect(badGender.diagnostics.contains { $0.code == "SS007" })
        let noEffect = ScenarioParser.parse(ParserFixtures.minimal + "\nescalation: {policy: optional, customer_if_refused: [\"Ну ладно.\"]}\n")
        #expect(noEffect.diagnostics.contains { $0.code == "SS016" && $0.message.contains("customer_if_refused") })
    }

    @Test func givenAPersonaGender_whenLinesUseBothForms_thenTheMatchingFormIsSaid() {
        // Given a male customer whose line has both forms
        var scenario = ScoringScenarios.printer(language: .ru)
        scenario.persona = Persona(name: "Андрей Смирнов", gender: .male)
        scenario.nodes[0].customer = ["Я {сделала|сделал} всё по инструкции."]
        // When
        var e = Engine(scenario: scenario, seed: 1, analyzer: BundledLexicons.analyzer)
        let events = e.start()
        // Then
        #expect(events.contains(.customerSays("Я сделал всё по инструкции.")))
        // and the built-in lines agree too
        let fallback = e.handle(.reply("ммм")).compactMap { if case .customerSays(let t) = $0 { t } else { nil } }
        #expect(!fallback.contains { $0.contains("{") })
    }

    @Test func givenARussianNameWithoutADeclaredGender_whenAsked_thenItIsReadFromTheName() {
        #expect(Persona(name: "Андрей Смирнов").gender == .male)
        #expect(Persona(name: "Ирина Волкова").gender == .female)
        #expect(Persona(name: "Никита Орлов").gender == .male)
        #expect(Persona(name: "Olga Markova").gender == .female)
        #expect(Persona(name: "Ирина", gender: .male).gender == .male)
        #expect(Gender.male.forms("Я {поняла|понял}, {a|b|c} {x}") == "Я понял, {a|b|c} {x}")
        #expect(Gender.female.forms("Без скобок") == "Без скобок")
    }

    /// The lines node `a` says when the conversation comes back to it again and again
    /// (`a` → `b` → `a` …).
    func spokenLines(_ variation: LineVariation, times: Int, seed: UInt64 = 1) -> [String] {
        var a = Node(id: "a", customer: ["one", "two", "three"],
                     expect: [Intent(id: "forward", description: "moves on", match: MatchRule(any: ["forward"]), points: 1, next: "b")])
        a.variation = variation
        let b = Node(id: "b", customer: ["at b"],
                     expect: [Intent(id: "backward", description: "goes back", match: MatchRule(any: ["backward"]), points: 1, next: "a")])
        let scenario = Scenario(id: "loop", title: "Loop", language: .en, persona: Persona(name: "Anna"), start: "a", nodes: [a, b])
        var e = Engine(scenario: scenario, seed: seed, analyzer: BundledLexicons.analyzer)
        func lines(_ events: [EngineEvent]) -> [String] {
            events.compactMap { if case .customerSays(let t) = $0, t != "at b" { t } else { nil } }
        }
        var said = lines(e.start())
        for _ in 1..<times {
            said += lines(e.handle(.reply("forward")))
            said += lines(e.handle(.reply("backward")))
        }
        return said
    }

    @Test func givenLineVariations_whenTheNodeSpeaksAgain_thenTheyFollowTheirOrder() {
        // Given a node with three lines; When the conversation arrives there five times; Then
        #expect(spokenLines(.sequence, times: 5) == ["one", "two", "three", "three", "three"])
        #expect(spokenLines(.cycle, times: 5) == ["one", "two", "three", "one", "two"])
        #expect(spokenLines(.once, times: 5) == ["one", "two", "three"])
        let shuffled = spokenLines(.shuffle, times: 3)
        #expect(Set(shuffled) == ["one", "two", "three"])
        #expect(spokenLines(.shuffle, times: 3) == shuffled)   // the same seed gives the same order
    }

    @Test func givenAVariationInYAML_whenParsed_thenItIsReadAndAnUnknownOneIsDiagnosed() throws {
        let text = ParserFixtures.minimal.replacingOccurrences(of: "    customer: До свидания.", with: "    customer: До свидания.\n    variation: cycle")
        #expect(try #require(ScenarioParser.parse(text).scenario).node("b")?.variation == .cycle)
        let bad = ScenarioParser.parse(ParserFixtures.minimal.replacingOccurrences(of: "    customer: До свидания.", with: "    customer: До свидания.\n    variation: sometimes"))
        #expect(bad.diagnostics.contains { $0.code == "SS007" })
    }
}
