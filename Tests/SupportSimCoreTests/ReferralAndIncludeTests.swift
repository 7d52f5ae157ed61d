import Testing
import SupportSimLexicons
@testable import SupportSimCore

/// Referrals that are not escalations (`refer:`, `/refer`), escalation targets that are refused
/// with the conversation going on (`forbidden_to`), and `include:` of shared pack files.
enum ReferralFixtures {
    static let scenario = """
    id: licence-renewal
    title: Licence renewal discount
    language: en
    persona: {name: Maria Lopez, mood: calm, patience: 5}
    start: opening
    nodes:
      opening:
        customer: Our licence expires on Friday and I want a discount.
        expect:
          - intent: ask_seats
            match: [how many seats, how many users]
            samples: ["How many seats do you need?"]
            next: seats_known
      seats_known:
        customer: Forty seats. Can you give us twenty percent off?
        expect:
          - intent: explain
            match: [cannot change the price, can't change the price]
            samples: ["I can't change the price myself."]
        closable: true
    escalation:
      policy: optional
      forbidden_to: [L3]
      customer_if_refused: No, L3 doesn't handle discounts.
      reason: Discounts are not a technical problem.
    refer:
      - id: manager
        label: {en: the account manager, ru: менеджер по работе с клиентами}
        policy: required
        at: [seats_known]
        note_must_mention:
          seats: [seats, users]
          discount: [discount, percent]
        customer: Thank you, I'll wait for the account manager's call.
        reason: Prices and discounts are decided by the account manager.
      - id: security
        label: security team
        policy: forbidden
        customer_if_refused: Security? This is about money, not a breach.
        reason: Nothing here is a security matter.

    """

    static func parsed(_ text: String = scenario) -> Scenario? { ScenarioParser.parse(text).scenario }

    static func play(_ scenario: Scenario, _ inputs: [TraineeInput]) -> (Engine, [[EngineEvent]]) {
        var engine = Engine(scenario: scenario, seed: 1, analyzer: BundledLexicons.analyzer)
        _ = engine.start()
        let events = inputs.map { engine.handle($0) }
        return (engine, events)
    }

    static func customerLines(_ events: [EngineEvent]) -> [String] {
        events.compactMap { if case .customerSays(let s) = $0 { s } else { nil } }
    }

    /// The scenario with `refer:` replaced by `refer` (YAML text).
    static func withReferrals(_ refer: String, escalation: String = "") -> String {
        let head = scenario.components(separatedBy: "escalation:\n")[0]
        return head + escalation + "refer:\n" + refer
    }
}

@Suite("Referrals: parser and lint")
struct ReferralParserTests {
    typealias F = ReferralFixtures

    @Test("Given a scenario with refer targets and forbidden_to, when parsed, then ids, labels, policies, nodes, note items, lines and forbidden targets are read")
    func parsesReferrals() throws {
        let result = ScenarioParser.parse(F.scenario)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let scenario = try #require(result.scenario)
        #expect(scenario.referrals.map(\.id) == ["manager", "security"])
        let manager = scenario.referrals[0]
        #expect(manager.label(.en) == "the account manager")
        #expect(manager.label(.ru) == "менеджер по работе с клиентами")
        #expect(manager.policy == .required && manager.at == ["seats_known"])
        #expect(manager.noteMustMention.map(\.id) == ["seats", "discount"])
        #expect(manager.customer == ["Thank you, I'll wait for the account manager's call."])
        #expect(scenario.referrals[1].label(.ru) == "security team")
        #expect(scenario.referrals[1].policy == .forbidden)
        #expect(scenario.escalation.forbiddenTargets == ["L3"])
        #expect(scenario.escalation.refuses("l3") && !scenario.escalation.refuses("L2"))
    }

    @Test("Given /refer typed with look-alike Cyrillic letters, when the target is looked up, then it folds to the Latin id as escalation targets do")
    func lookAlikesFold() throws {
        let scenario = try #require(F.parsed())
        #expect(scenario.referral("mаnаger")?.id == "manager")     // Cyrillic а
        #expect(scenario.referral("SECURITY")?.id == "security")
        #expect(scenario.referral("procurement") == nil)
        #expect(CommandParser.parse("/refer manager 40 seats") == .input(.refer(target: "manager", note: "40 seats")))
        #expect(CommandParser.parse("/refer") == .usage(command: "/refer"))
        #expect(CommandParser.commands.contains("/refer"))
    }

    @Test("Given two referral ids equal once look-alike letters are folded, when linted, then SS023 is reported at the second id")
    func clashingIDs() {
        let text = F.withReferrals("""
          - id: manager
          - id: mаnager

        """)
        let d = ScenarioParser.parse(text).diagnostics.filter { $0.code == "SS023" }
        #expect(d.count == 1, "\(ScenarioParser.parse(text).diagnostics)")
        let lines = text.components(separatedBy: "\n")
        let line = lines.firstIndex { $0.contains("mаnager") }! + 1
        #expect(d.first?.location == SourceLocation(line: line, column: 9))
        #expect(d.first?.message.contains("look-alike") == true)
    }

    @Test("Given a referral id that is also an escalation target, when linted, then SS023 says /escalate and /refer would name the same team")
    func referralIsAlsoEscalationTarget() {
        let text = F.withReferrals("  - id: L2\n", escalation: "escalation: {policy: optional, to: [L2]}\n")
        let d = ScenarioParser.parse(text).diagnostics.filter { $0.code == "SS023" }
        #expect(d.count == 1)
        #expect(d.first?.message.contains("escalation target 'L2'") == true)
    }

    @Test("Given a referral id of two words, when linted, then SS024 says /refer cannot take it, located at the id")
    func idWithSpace() {
        let text = F.withReferrals("  - id: account manager\n")
        let d = ScenarioParser.parse(text).diagnostics.filter { $0.code == "SS024" }
        let line = text.components(separatedBy: "\n").firstIndex { $0.contains("account manager") }! + 1
        #expect(d.map(\.location) == [SourceLocation(line: line, column: 9)])
    }

    @Test("Given customer_if_refused on an optional referral and customer on one refused everywhere, when linted, then SS025 warns at each key")
    func settingsWithoutEffect() {
        let text = F.withReferrals("""
          - id: procurement
            customer_if_refused: No.
          - id: security
            policy: forbidden
            customer: OK.

        """)
        let result = ScenarioParser.parse(text)
        let d = result.diagnostics.filter { $0.code == "SS025" }
        #expect(d.count == 2, "\(result.diagnostics)")
        #expect(d.allSatisfy { $0.severity == .warning })
        #expect(result.scenario != nil)
    }

    @Test("Given a referral at a node that does not exist, when linted, then SS005 names the node")
    func undefinedAtNode() {
        let text = F.withReferrals("  - {id: manager, at: [nowhere]}\n")
        let d = ScenarioParser.parse(text).diagnostics.filter { $0.code == "SS005" }
        #expect(d.first?.message.contains("'nowhere'") == true)
    }

    @Test("Given the codes table, when the new codes are listed, then SS023 to SS028 each have a summary")
    func codesListed() {
        let codes = ScenarioDiagnosticCode.all.map(\.code)
        for code in ["SS023", "SS024", "SS025", "SS026", "SS027", "SS028"] { #expect(codes.contains(code)) }
    }
}

@Suite("Referrals: engine")
struct ReferralEngineTests {
    typealias F = ReferralFixtures

    @Test("Given forbidden_to: [L3], when the trainee escalates to l3, then it is refused with the customer's line and the conversation goes on to the end")
    func forbiddenEscalationTargetGoesOn() throws {
        let scenario = try #require(F.parsed())
        let (engine, events) = F.play(scenario, [
            .escalate(target: "l3", note: "wants discount"),
            .reply("How many seats do you need?"),
            .close(resolution: "Explained pricing, referred"),
        ])
        #expect(events[0].contains(.escalated(target: "L3", note: "wants discount", accepted: false)))
        #expect(F.customerLines(events[0]) == ["No, L3 doesn't handle discounts."])
        #expect(!events[0].contains { if case .ended = $0 { true } else { false } })
        #expect(events[1].contains { if case .intentMatched("ask_seats", _, _, _, _) = $0 { true } else { false } })
        #expect(engine.transcript.ending == .resolved)
    }

    @Test("Given the escalation policy forbidden, when the trainee escalates, then it is still refused and the conversation goes on")
    func forbiddenPolicyStillRefuses() throws {
        let text = F.scenario.replacingOccurrences(of: "policy: optional\n  forbidden_to: [L3]", with: "policy: forbidden")
        let scenario = try #require(F.parsed(text))
        let (engine, events) = F.play(scenario, [.escalate(target: "L2", note: "x")])
        #expect(events[0].contains(.escalated(target: "L2", note: "x", accepted: false)))
        #expect(!engine.isOver)
    }

    @Test("Given a forbidden referral, when the trainee uses /refer, then it is refused with its customer line and the conversation goes on")
    func forbiddenReferral() throws {
        let scenario = try #require(F.parsed())
        let (engine, events) = F.play(scenario, [.refer(target: "security", note: "")])
        #expect(events[0].contains(.referred(target: "security", note: "", accepted: false)))
        #expect(F.customerLines(events[0]) == ["Security? This is about money, not a breach."])
        #expect(!engine.isOver && engine.nodeID == "opening")
        #expect(engine.transcript.turns.count == 1)
    }

    @Test("Given an allowed referral typed with look-alike letters, when /refer is used, then it is accepted under its id with the customer's line")
    func acceptedReferral() throws {
        let scenario = try #require(F.parsed())
        let (_, events) = F.play(scenario, [.reply("How many seats do you need?"), .refer(target: "mаnager", note: "40 seats, discount")])
        #expect(events[1].contains(.referred(target: "manager", note: "40 seats, discount", accepted: true)))
        #expect(F.customerLines(events[1]) == ["Thank you, I'll wait for the account manager's call."])
    }

    @Test("Given an unknown referral target, when /refer is used, then the input is rejected, naming the targets, and no turn is recorded")
    func unknownTarget() throws {
        let scenario = try #require(F.parsed())
        let (engine, events) = F.play(scenario, [.refer(target: "procurement", note: "")])
        guard case .rejected(let reason) = events[0].first else { Issue.record("\(events)"); return }
        #expect(reason.contains("manager, security"))
        #expect(engine.transcript.turns.isEmpty)
    }

    @Test("Given a referral with next, when accepted, then the conversation moves there")
    func referralNext() throws {
        let text = F.withReferrals("  - {id: manager, next: seats_known}\n")
        let scenario = try #require(F.parsed(text))
        let (engine, events) = F.play(scenario, [.refer(target: "manager", note: "")])
        #expect(engine.nodeID == "seats_known")
        #expect(F.customerLines(events[0]) == ["Forty seats. Can you give us twenty percent off?"])
    }
}

@Suite("Referrals: scoring")
struct ReferralScoringTests {
    typealias F = ReferralFixtures

    func score(_ inputs: [TraineeInput], _ text: String = F.scenario) throws -> CategoryScore? {
        let scenario = try #require(F.parsed(text))
        let (engine, _) = F.play(scenario, inputs)
        return EscalationScorer().score(engine.transcript, scenario: scenario)
    }

    @Test("Given a required referral made at its node with a complete note, when scored, then the escalation category is 100 with a credit")
    func complete() throws {
        let s = try score([.reply("How many seats do you need?"), .refer(target: "manager", note: "40 seats, wants a 20 percent discount")])
        #expect(s?.score == 100, "\(s?.deductions ?? [])")
        #expect(s?.evidence.contains { $0.rule == "referral:manager" && $0.kind == .credit } == true)
    }

    @Test("Given a required referral never made, when scored, then referral:missed costs 50 and names the command")
    func missed() throws {
        let s = try score([.reply("How many seats do you need?"), .close(resolution: "told her the price")])
        #expect(s?.deductions.map(\.rule) == ["referral:missed:manager"])
        #expect(s?.score == 50)
        #expect(s?.deductions.first?.message.contains("/refer manager") == true)
    }

    @Test("Given a forbidden referral attempted, when scored, then referral:forbidden costs 30 with the reason")
    func forbidden() throws {
        let s = try score([.refer(target: "security", note: ""), .reply("How many seats do you need?"),
                           .refer(target: "manager", note: "40 seats, discount")])
        #expect(s?.deductions.map(\.rule) == ["referral:forbidden:security"])
        #expect(s?.score == 70)
        #expect(s?.deductions.first?.message.contains("Nothing here is a security matter.") == true)
    }

    @Test("Given a referral at a node outside its at and a note missing an item, when scored, then wrong-node and the note item cost points")
    func wrongNodeAndNote() throws {
        let s = try score([.refer(target: "manager", note: "they want a discount")])
        #expect(Set(s?.deductions.map(\.rule) ?? []) == ["referral:wrong-node:manager", "referral:note:manager:seats"])
        #expect(s?.score == 100 - 20 - 15)
    }

    @Test("Given an escalation to a forbidden_to target under an optional policy, when scored, then escalation:forbidden-target costs 30 and says it was refused")
    func forbiddenEscalationTarget() throws {
        let s = try score([.escalate(target: "L3", note: "x"), .reply("How many seats do you need?"),
                           .refer(target: "manager", note: "40 seats, discount")])
        #expect(s?.deductions.map(\.rule) == ["escalation:forbidden-target"])
        #expect(s?.score == 70)
        #expect(s?.deductions.first?.message.contains("refused") == true)
    }

    @Test("Given the worked example of docs/scoring.md (escalation forbidden, security refused, the manager's note without the seats), when scored, then the category is 55, or 20 without the manager referral")
    func workedExample() throws {
        let text = F.scenario.replacingOccurrences(of: "policy: optional\n  forbidden_to: [L3]", with: "policy: forbidden")
        let inputs: [TraineeInput] = [.refer(target: "security", note: ""), .reply("How many seats do you need?"),
                                      .refer(target: "manager", note: "wants 20 percent off")]
        let s = try score(inputs, text)
        #expect(Set(s?.deductions.map(\.rule) ?? []) == ["referral:forbidden:security", "referral:note:manager:seats"])
        #expect(s?.score == 55)
        #expect(try score(Array(inputs.prefix(2)), text)?.score == 20)
    }

    @Test("Given an escalation refused for a forbidden_to target and then an accepted one, when scored, then the accepted one routes the case (correctness outcome) and only the refusal costs escalation points")
    func refusedThenAccepted() throws {
        let text = F.scenario.replacingOccurrences(of: "policy: optional\n  forbidden_to: [L3]", with: "policy: required\n  to: [L2]\n  forbidden_to: [L3]")
            .components(separatedBy: "refer:\n")[0]
        let scenario = try #require(F.parsed(text))
        let (engine, _) = F.play(scenario, [.escalate(target: "L3", note: "x"), .escalate(target: "L2", note: "x")])
        #expect(engine.transcript.ending == .escalated)
        let escalation = EscalationScorer().score(engine.transcript, scenario: scenario)
        #expect(escalation?.deductions.map(\.rule) == ["escalation:forbidden-target"])
        #expect(escalation?.evidence.contains { $0.rule == "escalation:target" } == true)
        let correctness = CorrectnessScorer().score(engine.transcript, scenario: scenario)
        #expect(correctness?.evidence.contains { $0.rule == "outcome" && $0.kind == .credit } == true)
    }

    @Test("Given no referrals in a scenario, when scored, then the escalation category is unchanged (optional policy: not applicable)")
    func noReferrals() throws {
        let text = F.scenario.components(separatedBy: "refer:\n")[0]
        #expect(try score([.reply("How many seats do you need?")], text) == nil)
    }
}

@Suite("Include: shared pack files")
struct IncludeTests {
    typealias F = ReferralFixtures

    static let kb = """
    kb:
      - id: KB-7
        title: Licence pricing
        keywords: [price, discount]
    vocabulary:
      - [seats, licences, places]

    """

    func parse(_ include: String, files: [String: String], linksOut: Set<String> = [], scenarioPath: String = "renewal.yaml") -> ParseResult {
        let text = "include: \(include)\n" + F.scenario
        return ScenarioParser.parse(text, includes: InMemoryIncludeResolver(files: files, scenarioPath: scenarioPath, linksOut: linksOut))
    }

    @Test("Given include of a shared file, when parsed, then its kb articles and vocabulary are merged into the scenario")
    func merges() throws {
        let result = parse("[shared/kb.yaml]", files: ["shared/kb.yaml": Self.kb])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let scenario = try #require(result.scenario)
        #expect(scenario.knowledgeBase.map(\.id) == ["KB-7"])
        #expect(scenario.vocabulary.groups.contains { $0.entries == ["seats", "licences", "places"] })
    }

    @Test("Given nested includes with ./ and .. that stay inside the pack, when parsed, then they resolve against the including file's folder")
    func nested() throws {
        let files = ["shared/all.yaml": "include: [./more/../kb.yaml]\n", "shared/kb.yaml": Self.kb]
        let result = parse("shared/all.yaml", files: files)
        #expect(try #require(result.scenario).knowledgeBase.map(\.id) == ["KB-7"], "\(result.diagnostics)")
    }

    @Test("Given include paths that escape the pack (.., absolute, a symbolic link out), when linted, then each is SS026 at its path")
    func escapes() {
        let result = parse("[../other/kb.yaml, /etc/kb.yaml, shared/link.yaml]", files: [:], linksOut: ["shared/link.yaml"])
        let d = result.diagnostics.filter { $0.code == "SS026" }
        #expect(d.count == 3, "\(result.diagnostics)")
        #expect(d.map(\.location.line) == [1, 1, 1])
        #expect(d.map(\.location.column) == [11, 29, 43])
        #expect(d[0].message.contains("outside the scenario pack"))
        #expect(d[1].message.contains("absolute"))
        #expect(d[2].message.contains("symbolic link"))
        #expect(result.scenario == nil)
    }

    @Test("Given a shared file that includes the scenario again, when linted, then SS027 names the cycle")
    func cycle() {
        let result = parse("[shared/a.yaml]", files: ["shared/a.yaml": "include: [b.yaml]\n", "shared/b.yaml": "include: ../renewal.yaml\n"])
        let d = result.diagnostics.filter { $0.code == "SS027" }
        #expect(d.count == 1, "\(result.diagnostics)")
        #expect(d.first?.message.contains("renewal.yaml → shared/a.yaml → shared/b.yaml → renewal.yaml") == true)
        #expect(d.first?.message.hasPrefix("in shared/a.yaml:1:11: in shared/b.yaml:1:10:") == true)
        #expect(d.first?.location == SourceLocation(line: 1, column: 11))
    }

    @Test("Given a file that includes itself, when linted, then SS027 names it twice")
    func selfCycle() {
        let result = parse("[shared/a.yaml]", files: ["shared/a.yaml": "include: a.yaml\n"])
        #expect(result.diagnostics.contains { $0.code == "SS027" && $0.message.contains("shared/a.yaml → shared/a.yaml") })
    }

    @Test("Given two shared files that both include a third (a diamond), when parsed, then the third is merged once without duplicate ids")
    func diamond() throws {
        let files = ["shared/a.yaml": "include: kb.yaml\n", "shared/b.yaml": "include: kb.yaml\n", "shared/kb.yaml": Self.kb]
        let result = parse("[shared/a.yaml, shared/b.yaml]", files: files)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(try #require(result.scenario).knowledgeBase.map(\.id) == ["KB-7"])
    }

    @Test("Given a chain of files each including two others, when parsed, then reading stops at the limit of included files with SS017")
    func fanOutIsBounded() {
        var files: [String: String] = [:]
        for i in 0..<100 { files["shared/f\(i).yaml"] = "include: [f\(i + 1).yaml, g\(i).yaml]\n"; files["shared/g\(i).yaml"] = "kb: []\n" }
        let result = parse("shared/f0.yaml", files: files)
        #expect(result.diagnostics.contains { $0.code == "SS017" && $0.message.contains("more than 64 included files") })
    }

    @Test("Given a missing included file, when linted, then SS028 is located at the path")
    func missing() {
        let result = parse("shared/nope.yaml", files: [:])
        let d = result.diagnostics.filter { $0.code == "SS028" }
        #expect(d.map(\.location) == [SourceLocation(line: 1, column: 10)])
        #expect(d.first?.message.contains("shared/nope.yaml") == true)
    }

    @Test("Given a mistake inside an included file, when linted, then it is reported at the include with the file's own line and column")
    func problemInside() {
        let result = parse("[shared/kb.yaml]", files: ["shared/kb.yaml": "kb:\n  - id: KB-1\n    titel: x\n"])
        #expect(result.diagnostics.contains { $0.code == "SS002" && $0.message.hasPrefix("in shared/kb.yaml:3:5:") }, "\(result.diagnostics)")
    }

    @Test("Given include without a resolver, when parsed, then SS028 says the pack folder is needed")
    func noResolver() {
        let result = ScenarioParser.parse("include: shared/kb.yaml\n" + F.scenario)
        #expect(result.diagnostics.contains { $0.code == "SS028" })
    }

    @Test("Given an included kb id that the scenario also defines, when linted, then SS009 names both places")
    func duplicateKB() {
        let text = "include: shared/kb.yaml\nkb: [{id: KB-7, title: Local}]\n" + F.scenario
        let result = ScenarioParser.parse(text, includes: InMemoryIncludeResolver(files: ["shared/kb.yaml": Self.kb]))
        #expect(result.diagnostics.contains { $0.code == "SS009" && $0.message.contains("KB-7") })
    }
}
