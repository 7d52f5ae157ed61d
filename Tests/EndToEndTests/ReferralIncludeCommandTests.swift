import Foundation
import Testing

/// `/refer` played on the built binary with piped input, and `include:` read by lint, play, graph
/// and test from the scenario's folder.
@Suite struct ReferralIncludeCommandTests {
    static let scenario = """
    id: licence-renewal
    title: Licence renewal discount
    language: en
    include: [shared/pack.yaml]
    persona: {name: Maria Lopez, mood: calm, patience: 5}
    start: opening
    nodes:
      opening:
        customer: Our licence expires on Friday and I want a discount.
        expect:
          - intent: ask_seats
            match: [how many seats, how many licences]
            samples: ["How many seats do you need?"]
            next: seats_known
      seats_known:
        customer: Forty seats. Can you give us twenty percent off?
        expect:
          - {intent: explain, match: [can't change the price], samples: ["I can't change the price myself."]}
        closable: true
    escalation: {policy: optional, forbidden_to: [L3], customer_if_refused: "No, L3 doesn't handle discounts."}
    refer:
      - id: manager
        label: {en: the account manager, ru: менеджер по работе с клиентами}
        policy: required
        at: [seats_known]
        note_must_mention: {seats: [seats], discount: [discount]}
        customer: Thank you, I'll wait for the account manager's call.
      - {id: security, policy: forbidden, customer_if_refused: "Security? This is about money."}

    """

    static let pack = """
    kb:
      - {id: KB-7, title: Licence pricing, keywords: [price, discount]}
    vocabulary:
      - [seats, licences]

    """

    func pack(scenario: String = Self.scenario, shared: String = Self.pack) throws -> URL {
        let dir = try CLI.temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("shared"), withIntermediateDirectories: true)
        try scenario.write(to: dir.appendingPathComponent("renewal.yaml"), atomically: true, encoding: .utf8)
        try shared.write(to: dir.appendingPathComponent("shared/pack.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test("Given a scenario with referrals and an include, when /refer is played through piped stdin, then refusals and the referral are shown, the conversation goes on and the debrief scores them")
    func playsRefer() throws {
        let dir = try pack()
        let input = [
            "Hello Maria, how many licences do you need?",
            "/escalate L3 wants discount",
            "/refer security",
            "/kb pricing",
            "/refer manager 40 seats, asks for a twenty percent discount",
            "/close Referred to the account manager",
        ].joined(separator: "\n") + "\n"
        let result = try CLI.run(["play", dir.appendingPathComponent("renewal.yaml").path, "--db", dir.appendingPathComponent("a.sqlite").path,
                                  "--lang", "en", "--seed", "1"],
                                 input: input, environment: ["XDG_DATA_HOME": dir.path, "SUPPORTSIM_EMBEDDINGS": "off"])
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("No, L3 doesn't handle discounts."), "\(out)")
        #expect(out.contains("Escalation to L3 refused: this case must not go there;"))
        #expect(out.contains("Security? This is about money."))
        #expect(out.contains("Referral to security refused"))
        #expect(out.contains("KB-7"))            // the included knowledge base
        #expect(out.contains("Referred to the account manager."))
        #expect(out.contains("Thank you, I'll wait for the account manager's call."))
        #expect(out.contains("referral to security refused"))   // the debrief explains the cost
        #expect(out.contains("escalation to L3 refused"))
    }

    @Test("Given /help in a session, when it is typed, then /refer is listed in English and in Russian")
    func helpListsRefer() throws {
        let dir = try pack()
        for (lang, words) in [("en", "refer the customer elsewhere"), ("ru", "направить клиента")] {
            let result = try CLI.run(["play", dir.appendingPathComponent("renewal.yaml").path, "--db", dir.appendingPathComponent("a.sqlite").path,
                                      "--lang", lang],
                                     input: "/help\n/quit\ny\n", environment: ["XDG_DATA_HOME": dir.path, "SUPPORTSIM_EMBEDDINGS": "off"])
            #expect(result.stdout.contains("/refer") && result.stdout.contains(words), "\(result.stdout)")
        }
    }

    @Test("Given an include that escapes the pack, a cycle and a missing file, when linted, then each is reported as file:line:col with its code")
    func lintLocatesIncludeProblems() throws {
        let bad = Self.scenario.replacingOccurrences(of: "include: [shared/pack.yaml]",
                                                     with: "include: [../outside.yaml, shared/pack.yaml, shared/none.yaml]")
        let dir = try pack(scenario: bad, shared: "include: ../renewal.yaml\n")
        let result = try CLI.run(["lint", dir.appendingPathComponent("renewal.yaml").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("renewal.yaml:4:11: error: include '../outside.yaml' leads outside the scenario pack"), "\(result.stderr)")
        #expect(result.stderr.contains("renewal.yaml:4:28: error: in shared/pack.yaml:1:10: include cycle: renewal.yaml → shared/pack.yaml → renewal.yaml [SS027]"))
        #expect(result.stderr.contains("renewal.yaml:4:46: error: included file 'shared/none.yaml' cannot be read (no such file) [SS028]"))
    }

    @Test("Given an include through a symbolic link that leads outside the pack, when linted, then SS026 names the link")
    func symlinkOut() throws {
        let dir = try pack()
        let outside = try CLI.temporaryDirectory()
        try Self.pack.write(to: outside.appendingPathComponent("kb.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("shared/pack.yaml"))
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("shared/pack.yaml"),
                                                   withDestinationURL: outside.appendingPathComponent("kb.yaml"))
        let result = try CLI.run(["lint", dir.appendingPathComponent("renewal.yaml").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("renewal.yaml:4:11: error: include 'shared/pack.yaml' leads outside the scenario pack (a symbolic link leads to"), "\(result.stderr)")
        #expect(result.stderr.contains("[SS026]"))
    }

    @Test("Given a scenario with an include and referrals, when graph and lint run on its folder, then both read the included file")
    func graphAndLintReadIncludes() throws {
        let dir = try pack()
        let lint = try CLI.run(["lint", dir.path])
        #expect(lint.status == 0, "\(lint.stderr)")
        let graph = try CLI.run(["graph", dir.appendingPathComponent("renewal.yaml").path, "--format", "text"])
        #expect(graph.status == 0, "\(graph.stderr)")
        #expect(graph.stdout.contains("↪ /refer manager"))
    }
}
