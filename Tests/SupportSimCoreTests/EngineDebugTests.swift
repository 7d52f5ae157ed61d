import Testing
import SupportSimCore
import SupportSimLexicons

/// Trainer debug mode in the engine: `jump(to:)`, `start(at:)`, `state` and `explain(_:)`.
@Suite struct EngineDebugTests {
    /// The printer scenario (s1 → s2), with a node the customer comes back to angry and an end node.
    static func scenario() -> Scenario {
        var s = ScoringScenarios.printer(escalation: ScoringScenarios.l2Policy)
        s.nodes.append(Node(id: "callback", customer: ["It broke again!"], arrivalMood: .set(.angry)))
        s.nodes.append(Node(id: "done", customer: ["Thanks, bye."], end: .resolved))
        return s
    }

    static func engine(mode: PlayMode = .exam) -> Engine {
        var e = Engine(scenario: scenario(), seed: 1, analyzer: BundledLexicons.analyzer, mode: mode)
        _ = e.start()
        return e
    }

    @Test("Given a session at the start, when it jumps to a node, then the node speaks, its arrival mood applies and no turn is recorded")
    func jumpMovesWithoutATurn() throws {
        var engine = Self.engine()
        let jumped = engine.jump(to: "callback")
        let events = try #require(jumped)
        #expect(engine.nodeID == "callback")
        #expect(events.contains(.customerSays("It broke again!")))
        #expect(events.contains(.moodChanged(from: .calm, to: .angry)))
        #expect(engine.mood == .angry && engine.transcript.finalMood == .angry)
        #expect(engine.transcript.turns.isEmpty)
        #expect(engine.transcript.path == ["s1", "callback"])
    }

    @Test("Given a session, when it jumps to an end node, then the conversation ends with that ending; an unknown node changes nothing")
    func jumpToAnEndAndToNowhere() {
        var engine = Self.engine()
        #expect(engine.jump(to: "nowhere") == nil)
        #expect(engine.nodeID == "s1")
        let events = engine.jump(to: "done")
        #expect(events?.contains(.ended(.resolved)) == true)
        #expect(engine.isOver && engine.transcript.ending == .resolved)
        #expect(engine.jump(to: "s1") == [.rejected(reason: "the conversation has ended")])
    }

    @Test("Given a new engine, when it starts at a node, then the opening is that node's and the path begins there")
    func startAtANode() throws {
        var engine = Engine(scenario: Self.scenario(), seed: 1, analyzer: BundledLexicons.analyzer)
        let started = engine.start(at: "s2")
        let opening = try #require(started)
        #expect(opening == [.customerSays("It works now!")])
        #expect(engine.transcript.opening == opening)
        #expect(engine.transcript.path == ["s2"])
        var other = Engine(scenario: Self.scenario(), seed: 1, analyzer: BundledLexicons.analyzer)
        #expect(other.start(at: "S 2") == nil)
    }

    @Test("Given two replies, a hint and an escalation, when the state is read, then it shows the node, turn, steps done and pending, hints and escalations")
    func stateSnapshot() {
        var engine = Self.engine()
        engine.handle(.reply("Which printer is it?"))
        engine.handle(.hint)
        engine.handle(.reply("What error do you see?"))
        var s = engine.state
        #expect(s.nodeID == "s1")
        #expect(s.nodeLine == "My printer won't print.")
        #expect(s.turn == 3)
        #expect(s.credited == ["ask_printer", "ask_error"])
        #expect(s.doneHere == ["ask_printer", "ask_error"])
        #expect(s.pendingHere == ["fix"])
        #expect(s.hintsUsed == 1)
        #expect(s.escalation == .required && s.escalations.isEmpty)
        #expect(s.ending == nil && !s.closable)
        #expect(s.patience == 5)
        engine.handle(.escalate(target: "L2", note: "printer urgent, restarted"))
        s = engine.state
        #expect(s.escalations == [.init(target: "L2", accepted: true, refused: false)])
        #expect(s.ending == .escalated)
    }

    @Test("Given a session, when a reply is explained, then the reading is the engine's and the engine itself is unchanged")
    func explainDoesNotPlay() throws {
        let engine = Self.engine()
        let before = engine.transcript
        let e = try #require(engine.explain("Please restart the printer."))
        #expect(e.node.id == "s1")
        #expect(e.creditedSteps.map(\.intent) == ["fix"])
        #expect(e.creditedSteps.first?.node == "s1")
        #expect(e.path == ["s1", "s2"])
        #expect(e.reading.intents.first { $0.id == "fix" }?.fired == true)
        #expect(e.events.contains(.customerSays("It works now!")))
        #expect(engine.transcript == before && engine.nodeID == "s1")
    }

    @Test("Given steps already credited, when the same step is explained again, then it is read as already credited and nothing matches")
    func explainKnowsTheCreditedSteps() throws {
        var engine = Self.engine()
        engine.handle(.reply("Which printer is it?"))
        let e = try #require(engine.explain("Which printer was it again?"))
        #expect(e.creditedSteps.isEmpty)
        #expect(e.events.contains(.fallback(node: "s1")))
        #expect(e.path == ["s1"])
        // and a harmful reply is read with its evidence
        let harmful = try #require(engine.explain("Just reinstall Windows."))
        #expect(harmful.events.contains { if case .harmful("reinstall", 15, _, let m) = $0 { !m.isEmpty } else { false } })
    }

    @Test("Given the end of the conversation, when a reply is explained, then there is nothing to explain")
    func explainAfterTheEnd() {
        var engine = Self.engine()
        _ = engine.jump(to: "done")
        #expect(engine.explain("hello") == nil)
    }

    @Test("Given typed node ids, when they are resolved, then case and Cyrillic look-alikes are folded and unknown ids get the closest ids")
    func nodeLookup() {
        let s = Self.scenario()
        #expect(NodeLookup.resolve("s2", in: s) == .found("s2"))
        #expect(NodeLookup.resolve(" S2 ", in: s) == .found("s2"))
        #expect(NodeLookup.resolve("саllback", in: s) == .found("callback"))   // Cyrillic «с», «а»
        #expect(NodeLookup.resolve("calback", in: s) == .unknown(suggestions: ["callback"]))
        guard case .unknown(let none) = NodeLookup.resolve("zzzzzzzz", in: s) else { Issue.record("found"); return }
        #expect(none.isEmpty)
    }
}
