import Testing
import SupportSimCore
import SupportSimLexicons

@Suite struct EnginePathTests {
    @Test func eachTurnKnowsTheNodeBeforeAndAfterIt() {
        // Given the printer scenario (s1 → s2 by "restart")
        let scenario = ScoringScenarios.printer()
        // When a reply that stays, a /hint and a reply that moves on are played
        let t = ScoringScenarios.play(scenario, [.reply("Which printer is it?"), .hint, .reply("Please restart it.")])
        // Then the turns record where they started and ended, and which nodes they moved to
        #expect(t.turns.map(\.node) == ["s1", "s1", "s1"])
        #expect(t.turns.map(\.nodeAfter) == ["s1", "s1", "s2"])
        #expect(t.turns.map(\.arrivals) == [[], [], ["s2"]])
        // and the moves add up to the engine's path
        #expect(["s1"] + t.turns.flatMap { $0.arrivals ?? [] } == t.path)
    }
}
