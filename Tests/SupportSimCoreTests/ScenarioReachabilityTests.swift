import Foundation
import SupportSimCore
import Testing

@Suite struct ScenarioReachabilityTests {
    @Test("Given a scenario with a node nothing leads to, when its reachability is computed, then that node, its intent and the node it leads to are unreachable")
    func unreachableNodesAndIntents() throws {
        let reach = ScenarioReachability(scenario: try ExploreFixtures.scenario(ExploreFixtures.unreachable))
        #expect(reach.nodes == ["opening", "fixed"])
        #expect(reach.unreachableNodes == ["orphan", "orphan_end"])
        #expect(reach.intents == ["ask_printer", "say_bye"])
        #expect(reach.unreachableIntents == ["orphan_step"])
        #expect(reach.harmful == [.init(node: "opening", rule: "blame")])
        #expect(reach.unreachableHarmful.isEmpty)
    }

    @Test("Given an escalated ending only on an unreachable node and escalation forbidden, when reachability is computed, then escalated is unreachable and the command endings are reachable")
    func unreachableEnding() throws {
        let reach = ScenarioReachability(scenario: try ExploreFixtures.scenario(ExploreFixtures.unreachable))
        #expect(reach.unreachableEndings == [.escalated])
        #expect(reach.endings == [.resolved, .left, .closedUnresolved, .abandoned])
        #expect(!reach.canReach(ending: .escalated))
    }

    @Test("Given escalation that is not forbidden and a next node only it leads to, when reachability is computed, then that node is reachable")
    func escalationNextIsAMove() throws {
        var scenario = try ExploreFixtures.scenario(ExploreFixtures.unreachable)
        scenario.escalation = EscalationPolicy(requirement: .required, targets: ["L2"], next: "orphan")
        let reach = ScenarioReachability(scenario: scenario)
        #expect(reach.unreachableNodes.isEmpty)
        #expect(reach.canPlay(intent: "orphan_step"))
        // and a wrong target still ends the conversation as escalated
        #expect(reach.canReach(ending: .escalated))
    }

    @Test("Given every target accepted and continued at a next node, when reachability is computed, then /escalate alone gives no escalated ending")
    func acceptedEscalationThatContinues() throws {
        var scenario = try ExploreFixtures.scenario(ExploreFixtures.unreachable)
        scenario.nodes.removeAll { $0.id == "orphan_end" || $0.id == "orphan" }
        scenario.escalation = EscalationPolicy(requirement: .optional, targets: [], next: "fixed")
        #expect(!ScenarioReachability(scenario: scenario).canReach(ending: .escalated))
    }

    @Test("Given a node with end, when reachability is computed, then its steps can never be played")
    func stepsOfAnEndingNode() throws {
        var scenario = try ExploreFixtures.scenario(ExploreFixtures.unreachable)
        scenario.nodes[1].end = .resolved
        let reach = ScenarioReachability(scenario: scenario)
        #expect(reach.canReach(node: "fixed"))
        #expect(!reach.canPlay(intent: "say_bye"))
        #expect(reach.canReach(ending: .resolved))
    }

    @Test("Given every shipped scenario, when reachability is computed, then every node, intent and harmful rule is reachable")
    func shippedScenariosAreReachable() throws {
        let files = ExploreFixtures.shipped
        #expect(files.count >= 5)
        for file in files {
            let scenario = try ExploreFixtures.scenario(try String(contentsOf: file, encoding: .utf8))
            let reach = ScenarioReachability(scenario: scenario)
            #expect(reach.unreachableNodes.isEmpty, "\(file.lastPathComponent)")
            #expect(reach.unreachableIntents.isEmpty, "\(file.lastPathComponent)")
            #expect(reach.unreachableHarmful.isEmpty, "\(file.lastPathComponent)")
        }
    }
}
