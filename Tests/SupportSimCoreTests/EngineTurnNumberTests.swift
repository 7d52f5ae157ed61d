import Testing
import SupportSimCore
import SupportSimLexicons

@Suite struct EngineTurnNumberTests {
    @Test func knowledgeBaseAndHintLookupsAreNotNumberedAsTurns() {
        // Given a reply, a /kb lookup, a /hint and another reply
        let scenario = ScoringScenarios.printer()
        // When they are played
        let t = ScoringScenarios.play(scenario, [
            .reply("Which printer is it?"), .kb(query: "printer"), .hint, .reply("What error do you see?"),
        ])
        // Then every input has its own index, but only the replies are numbered 1 and 2
        #expect(t.turns.map(\.index) == [1, 2, 3, 4])
        #expect(t.turns.map(\.number) == [1, nil, nil, 2])
    }

    @Test func evidenceNamesTheReplyNumberNotTheLookupCount() throws {
        // Given two /kb lookups before a harmful reply
        let scenario = ScoringScenarios.printer()
        let card = ScoringScenarios.card(scenario, [
            .kb(query: "printer"), .kb(query: "error"), .reply("Please reinstall Windows."),
        ])
        // When it is scored
        let harmful = try #require(card.score(.correctness)?.evidence.first { $0.rule == "harmful:reinstall" })
        // Then the deduction is on turn 1: the first reply
        #expect(harmful.turn == 1)
    }

    @Test func takingBackATurnRestoresTheStateAndKeepsIndicesGrowing() {
        // Given an engine after one reply, and a copy kept before a second (harmful) reply
        var engine = Engine(scenario: ScoringScenarios.printer(), seed: 1, analyzer: BundledLexicons.analyzer)
        _ = engine.start()
        engine.handle(.reply("Which printer is it?"))
        let before = engine
        engine.handle(.reply("Please reinstall Windows."))
        // When the second reply is taken back and another reply is played
        engine.takeBack(restoring: before)
        #expect(engine.transcript == before.transcript)
        #expect(engine.mood == before.mood)
        engine.handle(.reply("What error do you see?"))
        // Then the new turn has a fresh index (3) but is the second numbered turn
        #expect(engine.transcript.turns.map(\.index) == [1, 3])
        #expect(engine.transcript.turns.map(\.number) == [1, 2])
    }

    @Test func replayingStoredTurnsGivesTheSameEventsAndIndices() {
        // Given a played session with a retracted turn (index 2 missing)
        let scenario = ScoringScenarios.printer(mood: .irritated)
        var played = Engine(scenario: scenario, seed: 9, analyzer: BundledLexicons.analyzer)
        _ = played.start()
        played.handle(.reply("Which printer?"), elapsed: 3)
        let kept = played
        played.handle(.reply("whatever"), elapsed: 5)
        played.takeBack(restoring: kept)
        played.handle(.hint, elapsed: 8)
        played.handle(.reply("Any error on the screen?"), elapsed: 12)
        // When a fresh engine with the same seed replays the stored turns
        var replayed = Engine(scenario: scenario, seed: 9, analyzer: BundledLexicons.analyzer)
        _ = replayed.start()
        for turn in played.transcript.turns { replayed.replay(turn) }
        // Then it ends in the same state, and the next turn would continue the numbering
        #expect(replayed.transcript == played.transcript)
        let a = played.handle(.reply("Please restart it."), elapsed: 20)
        let b = replayed.handle(.reply("Please restart it."), elapsed: 20)
        #expect(a == b)
        #expect(replayed.transcript.turns.last?.index == 5)
    }

    @Test func replayingRecordedInputsAtTheirIndicesSkipsTurnsTakenBack() {
        // Given inputs recorded at turns 1 and 3 (turn 2 was taken back with /retry), as a recovery file keeps them
        let scenario = ScoringScenarios.printer()
        var engine = Engine(scenario: scenario, seed: 4, analyzer: BundledLexicons.analyzer)
        _ = engine.start()
        // When they are replayed at their recorded indices
        engine.replay(.reply("Which printer is it?"), index: 1, elapsed: 2)
        engine.replay(.reply("What error do you see?"), index: 3, elapsed: 9)
        // Then the turns keep those indices and are numbered as replies 1 and 2
        #expect(engine.transcript.turns.map(\.index) == [1, 3])
        #expect(engine.transcript.turns.map(\.number) == [1, 2])
        #expect(engine.transcript.turns.map(\.elapsed) == [2, 9])
    }
}
