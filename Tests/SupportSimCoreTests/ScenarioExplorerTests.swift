import Foundation
import SupportSimCore
import SupportSimLexicons
import Testing

@Suite struct ScenarioExplorerTests {
    @Test("Given one scenario and one seed, when it is explored twice, then both reports are the same")
    func sameSeedSameReport() throws {
        let explorer = try ExploreFixtures.explorer(ExploreFixtures.unreachable)
        let options = ScenarioExplorer.Options(runs: 150, seed: 42, maxTurns: 60)
        let first = explorer.explore(options)
        let second = try ExploreFixtures.explorer(ExploreFixtures.unreachable).explore(options)
        #expect(first == second)
        // and one run played alone is the run the exploration played
        let run = explorer.play(number: 7, options: options)
        #expect(run == explorer.play(number: 7, options: options))
        #expect(run.seed == ScenarioExplorer.runSeed(42, run: 7))
    }

    @Test("Given a shipped scenario, when it is explored with and without sharing the runs' common beginnings, then the results are the same")
    func sharedBeginningsChangeNothing() throws {
        let file = try #require(ExploreFixtures.shipped.last)
        let explorer = try ExploreFixtures.explorer(try String(contentsOf: file, encoding: .utf8))
        var shared = explorer.explore(.init(runs: 120, seed: 4, sharePrefixes: true))
        let alone = explorer.explore(.init(runs: 120, seed: 4, sharePrefixes: false))
        #expect(shared.played < alone.played)
        #expect(alone.played == alone.turns)
        shared.played = alone.played
        #expect(shared == alone)
    }

    @Test("Given a shipped scenario, when it is explored with two seeds, then the runs differ")
    func otherSeedOtherRuns() throws {
        let file = try #require(ExploreFixtures.shipped.first)
        let explorer = try ExploreFixtures.explorer(try String(contentsOf: file, encoding: .utf8))
        let a = explorer.play(number: 1, options: .init(runs: 1, seed: 1))
        let b = explorer.play(number: 1, options: .init(runs: 1, seed: 2))
        #expect(a.inputs != b.inputs)
    }

    @Test("Given a scenario with an unreachable node and ending, when it is explored, then they are reported as unreachable, the rest is reached, and coverage is not complete")
    func unreachablePiecesAreReported() throws {
        let result = try ExploreFixtures.explorer(ExploreFixtures.unreachable).explore(.init(runs: 300, seed: 1))
        let missed = result.missed.map { "\($0.kind.rawValue):\($0.id)" }
        #expect(missed == ["node:orphan", "node:orphan_end", "intent:orphan_step"])
        #expect(result.missed.allSatisfy { !$0.reachable })
        let escalated = try #require(result.endings.first { $0.id == "escalated" })
        #expect(escalated.hits == 0 && !escalated.reachable)
        #expect(result.endings.filter(\.reachable).allSatisfy { $0.hits > 0 })
        #expect(result.errorRuns == 0 && result.loopRuns == 0)
        #expect(!result.isComplete)
    }

    @Test("Given a scenario whose nodes send the conversation back and forth without end, when it is explored, then the runs that never end it themselves are reported as loops")
    func loopIsReported() throws {
        let result = try ExploreFixtures.explorer(ExploreFixtures.loop).explore(.init(runs: 80, seed: 3, maxTurns: 40))
        #expect(result.loopRuns > 0)
        #expect(result.loopRuns < 80)
        let loop = try #require(result.loops.first)
        #expect(loop.turn == 40)
        #expect(loop.message.contains("no ending after 40 inputs"))
        #expect(Set(loop.path).isSubset(of: ["ping", "pong"]) && !loop.path.isEmpty)
        #expect(loop.inputs.count == 8)
        #expect(result.errorRuns == 0)
        #expect(!result.isComplete)
    }

    @Test("Given a node with numbered choices, when it is explored, then the choices are played, numbers out of range are rejected without an engine error, and every node is reached")
    func numberedChoices() throws {
        let start = Node(
            id: "start", customer: ["Which one?"],
            expect: [Intent(id: "pick_left", match: MatchRule(any: ["left door"]), next: "left")],
            harmful: [HarmfulRule(id: "rude_pick", match: MatchRule(any: ["whatever"]), feedback: "Be polite.")],
            choices: [Choice(text: "The left door", intent: "pick_left"), Choice(text: "Whatever", harmful: "rude_pick"),
                      Choice(text: "I don't know")])
        let left = Node(id: "left", customer: ["Done, thanks."], end: .resolved)
        let scenario = Scenario(id: "choices", title: "Choices", language: .en, persona: Persona(name: "Olga"),
                                start: "start", nodes: [start, left])
        let result = ScenarioExplorer(scenario: scenario, analyzer: BundledLexicons.analyzer).explore(.init(runs: 200, seed: 2))
        #expect(result.errorRuns == 0, "\(result.errors)")
        #expect(result.nodes.allSatisfy { $0.hits > 0 })
        #expect(result.harmful.first?.hits ?? 0 > 0)
        #expect(result.isComplete, "\(result.missed)")
    }

    @Test("Given a result, when it is located in the file's text, then nodes and intents get the lines where the file writes them")
    func locations() throws {
        let result = try ExploreFixtures.explorer(ExploreFixtures.unreachable).explore(.init(runs: 5, seed: 1))
            .located(ExploreLocations(source: ExploreFixtures.unreachable))
        #expect(result.nodes.first { $0.id == "orphan" }?.at?.line == 26)
        #expect(result.intents.first { $0.id == "orphan_step" }?.at?.line == 29)
        #expect(result.harmful.allSatisfy { $0.at == nil })
    }

    @Test("Given a result, when it is encoded as JSON and decoded, then it is the same")
    func codableRoundTrip() throws {
        let result = try ExploreFixtures.explorer(ExploreFixtures.loop).explore(.init(runs: 20, seed: 3, maxTurns: 30))
            .located(ExploreLocations(source: ExploreFixtures.loop))
        let data = try JSONEncoder().encode(result)
        #expect(try JSONDecoder().decode(ExploreResult.self, from: data) == result)
    }
}
