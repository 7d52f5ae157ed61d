import Foundation
import SupportSimCore
import Testing
@testable import SupportSimReport

@Suite("Report: referral edges in the scenario graph")
struct ReferralGraphTests {
    static let yaml = """
    id: licence-renewal
    title: Licence renewal discount
    language: en
    persona: {name: Maria Lopez}
    start: opening
    nodes:
      opening:
        customer: Our licence expires on Friday.
        expect:
          - {intent: ask_seats, match: [how many seats], next: seats_known}
      seats_known:
        customer: Forty seats.
        expect:
          - {intent: explain, match: [price]}
        closable: true
      manager_call:
        customer: I'll wait for the manager's call.
        end: resolved
    escalation: {policy: optional, forbidden_to: [L3]}
    refer:
      - {id: manager, label: the account manager, policy: required, at: [seats_known], next: manager_call}
      - {id: security, policy: forbidden}

    """

    func graph() throws -> ScenarioGraph {
        let result = ScenarioParser.parse(Self.yaml)
        return ScenarioGraph(scenario: try #require(result.scenario, "\(result.diagnostics)"))
    }

    @Test("Given referrals with at and next, when drawn as DOT, then each referral is a violet note reached by dotted violet edges, apart from the escalation, and dot renders it")
    func dot() throws {
        let source = try graph().render(.dot)
        #expect(source.contains("refer_0 [label=\"/refer manager — the account manager (required)"))
        #expect(source.contains("shape=note"))
        #expect(source.contains("n1 -> refer_0 [label=\"/refer manager\", style=dotted, color=\"#7048e8\""))
        #expect(source.contains("refer_0 -> n2 [label=\"referred: continues\", style=dotted"))
        #expect(source.contains("/refer security — security (forbidden) from any node: refused, the conversation goes on"))
        #expect(source.contains("not to L3"))
        // manager_call is reached only through the referral: not marked unreachable.
        #expect(!source.contains("unreachable"))
        if let dot = ["/usr/bin/dot", "/usr/local/bin/dot"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            let (status, svg, errors) = try ScenarioGraphTests.run(dot, ["-Tsvg"], input: source)
            #expect(status == 0 && errors.isEmpty, "\(errors)")
            #expect(svg.contains("<svg"))
        }
    }

    @Test("Given referrals, when drawn as Mermaid, then referral boxes are subroutines of class referral with dotted violet links, and the syntax checks pass")
    func mermaid() throws {
        let text = try graph().render(.mermaid)
        #expect(text.contains("refer_0[[\""))
        #expect(text.contains("n1 -.->|\"/refer manager\"| refer_0"))
        #expect(text.contains("classDef referral fill:#e5dbff,stroke:#7048e8"))
        #expect(text.contains("class refer_0,refer_1 referral"))
        #expect(text.contains("stroke:#7048e8,color:#7048e8,stroke-dasharray:3"))
        #expect(mermaidProblems(text) == [])
    }

    @Test("Given referrals, when drawn as text, then the node lists its referral with ↪ and the anywhere section lists the refused one")
    func text() throws {
        let text = try graph().render(.text)
        #expect(text.contains("↪ /refer manager — the account manager (required) → manager_call"))
        #expect(text.contains("↪ /refer security — security (forbidden) ⇒ refused, the conversation goes on"))
        #expect(text.contains("not to L3 ⇒ refused, the conversation goes on"))
    }
}
