import Foundation
import Testing
@testable import SupportSimCore

/// Helpers to find diagnostics by code.
extension ParseResult {
    func first(_ code: String) -> Diagnostic? { diagnostics.first { $0.code == code } }
    func all(_ code: String) -> [Diagnostic] { diagnostics.filter { $0.code == code } }
    var codes: [String] { diagnostics.map(\.code) }
}

@Suite("Scenario parser: valid files")
struct ParserValidTests {
    @Test func completeScenarioParsesToExpectedValues() throws {
        // Given
        let text = ParserFixtures.printerScenario

        // When
        let result = ScenarioParser.parse(text)

        // Then
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let s = try #require(result.scenario)
        #expect(s.id == "printer-before-board-meeting")
        #expect(s.version == 2)
        #expect(s.title == "The printer before the board meeting")
        #expect(s.language == .en)
        #expect(s.line == .l1)
        #expect(s.difficulty == 2)
        #expect(s.tags == ["printing", "urgency", "escalation"])
        #expect(s.summary?.hasPrefix("Olga from sales cannot print") == true)
        #expect(s.persona == Persona(name: "Olga Markova", role: "sales manager, Stroymarket LLC", mood: .irritated, patience: 3))
        #expect(s.ticket == Ticket(number: "4512", channel: .phone, priority: .high, slaMinutes: 15))
        #expect(s.scoring.weights == [.correctness: 40, .politeness: 30, .escalation: 30])
        #expect(s.scoring.passMark == 75)
        #expect(s.scoring.hintCost == 3)
        #expect(s.scoring.outcomePoints == 20)
        #expect(s.scoring.fallbackPenalty == 5)
        #expect(s.knowledgeBase.map(\.id) == ["KB-12", "KB-31"])
        #expect(s.knowledgeBase[1].body == "")
        #expect(s.knowledgeBase[1].keywords == ["floor", "another printer"])
        #expect(s.start == "opening")
        #expect(s.nodes.map(\.id) == ["opening", "printer_known", "queue_cleared", "printed", "done"])
    }

    @Test func nodesIntentsAndShorthandForms() throws {
        // Given
        let text = ParserFixtures.printerScenario

        // When
        let s = try #require(ScenarioParser.parse(text).scenario)

        // Then: the opening node
        let opening = try #require(s.node("opening"))
        #expect(opening.customer.count == 2)
        #expect(opening.hint == "Ask which printer she is sending the document to.")
        #expect(opening.closable == false)
        #expect(opening.end == nil)
        let ask = opening.expect[0]
        #expect(ask.id == "ask_printer")
        #expect(ask.description == "asked which printer")
        #expect(ask.match == MatchRule(any: ["which printer", "what printer", "printer name"]))
        #expect(ask.points == 10)
        #expect(ask.mood == -1)
        #expect(ask.next == "printer_known")
        #expect(ask.samples == ["Which printer are you sending it to?"])
        // A plain list is `any`.
        #expect(opening.expect[1].match == MatchRule(any: ["sorry", "apologi"]))
        #expect(opening.expect[1].next == nil)
        #expect(opening.harmful == [HarmfulRule(id: "blame_user", match: MatchRule(any: ["your fault", "you broke"]),
                                                penalty: 15, feedback: "Never blame the customer for a fault.",
                                                customer: ["Excuse me? I did nothing wrong!"], mood: 1)])
        #expect(opening.fallback == Fallback(customer: ["Are you even listening? The meeting is in twenty minutes!"], mood: 1))

        // all-groups, none, a single-string group, regex as one string
        let known = try #require(s.node("printer_known"))
        #expect(known.expect[0].match == MatchRule(all: [["queue"], ["clear", "cancel", "open", "check"]], none: ["don't"]))
        #expect(known.harmful[0].penalty == 10)
        #expect(known.harmful[0].mood == 1)
        #expect(known.choices == [
            Choice(text: "Could you open the print queue and cancel the stuck jobs?", intent: "clear_queue"),
            Choice(text: "Please restart your laptop.", harmful: "restart_laptop"),
            Choice(text: "Let me check something."),
        ])
        let cleared = try #require(s.node("queue_cleared"))
        #expect(cleared.expect[0].match.all == [["turn", "switch", "power"], ["off"]])
        #expect(cleared.expect[0].mood == 0)
        #expect(cleared.expect[1].match.regex == [#"\b(2nd|second|another|other) (floor|printer)\b"#])
        #expect(s.node("printed")?.closable == true)
        #expect(s.node("done")?.end == .resolved)
    }

    @Test func escalationCriticalAndEndings() throws {
        // Given
        let text = ParserFixtures.printerScenario

        // When
        let s = try #require(ScenarioParser.parse(text).scenario)

        // Then
        #expect(s.escalation.requirement == .required)
        #expect(s.escalation.targets == ["L2", "L2-hardware"])
        #expect(s.escalation.after == ["ask_printer", "clear_queue"])
        #expect(s.escalation.noteMustMention.map(\.id) == ["summary", "steps", "urgency"])
        #expect(s.escalation.noteMustMention[1].match == MatchRule(any: ["queue", "power", "restart", "cleared"]))
        #expect(s.escalation.tellCustomer == MatchRule(any: ["engineer", "specialist", "will call", "contact you"]))
        #expect(s.escalation.next == nil)
        #expect(s.escalation.reason == "The printer hardware needs an engineer.")
        #expect(s.critical == [CriticalRule(id: "ask_password", match: MatchRule(any: ["your password", "password is"]),
                                            reason: "Never ask a customer for a password.")])
        #expect(s.endings.lines[.resolved] == ["Thanks, I'll be on time after all."])
        #expect(s.endings.lines[.escalated] == ["All right, I'll wait for the engineer's call."])
        #expect(s.endings.lines[.abandoned] == nil)
        #expect(s.endings.managerDemand == ["This is useless. Put me through to your manager."])
    }

    @Test func minimalScenarioGetsDefaults() throws {
        // Given
        let text = ParserFixtures.minimal

        // When
        let result = ScenarioParser.parse(text)

        // Then
        #expect(!result.hasErrors, "\(result.diagnostics)")
        let s = try #require(result.scenario)
        #expect(s.version == 1)
        #expect(s.language == .ru)
        #expect(s.line == .l1)
        #expect(s.difficulty == 1)
        #expect(s.tags.isEmpty)
        #expect(s.summary == nil)
        #expect(s.persona == Persona(name: "Ирина", mood: .calm, patience: 3))
        #expect(s.ticket == Ticket())
        #expect(s.scoring == ScoringConfig())
        #expect(s.escalation == EscalationPolicy())
        #expect(s.critical.isEmpty)
        #expect(s.endings == Endings())
        #expect(s.nodes[0].fallback == Fallback())
        #expect(s.nodes[0].customer == ["Здравствуйте!"])
    }

    @Test func warningsKeepTheScenario() throws {
        // Given: an unreachable node and a node without expected replies
        let text = ParserFixtures.minimal + """

          orphan:
            customer: Кто я?
            closable: true
        """

        // When
        let result = ScenarioParser.parse(text)

        // Then
        #expect(!result.hasErrors)
        #expect(result.scenario != nil)
        let unreachable = try #require(result.first("SS010"))
        #expect(unreachable.severity == .warning)
        #expect(unreachable.location == SourceLocation(line: 16, column: 3))
        #expect(result.first("SS013")?.location == SourceLocation(line: 16, column: 3))
    }
}

@Suite("Scenario parser: located errors")
struct ParserErrorTests {
    /// Each line below carries one mistake; see the expectations for the columns.
    static let broken = """
    id: Bad_ID
    title: Broken
    language: de
    difficulty: 9
    persona:
      name: Ann
      moood: calm
    tags: {a: 1}
    start: opening
    nodes:
      opening:
        customer: Hello?
        expect:
          - intent: greet
            match: {any: [hello]}
            samples: [good morning]
            next: nowhere
          - intent: greet
            match: {none: [bye]}
        choices:
          - text: Hi
            intent: greeting
    escalation:
      after: [ask_name]
    critical:
      - id: pw
        match: {regex: ["(unclosed"]}
        reason: asks for a password
    """

    @Test func reportsEveryProblemWithItsLocation() throws {
        // Given
        let text = Self.broken

        // When
        let result = ScenarioParser.parse(text)

        // Then
        #expect(result.scenario == nil)
        #expect(result.hasErrors)
        func at(_ code: String, _ line: Int, _ column: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
            let found = result.diagnostics.contains { $0.code == code && $0.location == .init(line: line, column: column) }
            #expect(found, "expected \(code) at \(line):\(column); got \(result.diagnostics.map { "\($0.code)@\($0.location.line):\($0.location.column) \($0.message)" })",
                    sourceLocation: sourceLocation)
        }
        at("SS007", 1, 5)    // id format
        at("SS007", 3, 11)   // language: de
        at("SS007", 4, 13)   // difficulty out of range
        at("SS002", 7, 3)    // moood
        at("SS003", 8, 7)    // tags is a mapping
        at("SS012", 16, 19)  // sample does not match
        at("SS005", 17, 15)  // next: nowhere
        at("SS009", 18, 17)  // duplicate intent id
        at("SS004", 19, 16)  // a rule with only `none`
        at("SS006", 22, 17)  // choice names an unknown intent
        at("SS006", 24, 11)  // escalation.after names an unknown intent
        at("SS008", 27, 21)  // bad regex
        // Sorted by location.
        let locations = result.diagnostics.map(\.location)
        #expect(locations == locations.sorted())
    }

    @Test func unknownKeyHasSuggestion() throws {
        // Given
        let result = ScenarioParser.parse(Self.broken)

        // When
        let d = try #require(result.first("SS002"))

        // Then
        #expect(d.message == "unknown key 'moood' in persona")
        #expect(d.hint == "did you mean 'mood'?")
        #expect(d.severity == .error)
    }

    @Test func wrongTypeSaysWhatWasExpected() throws {
        // Given
        let result = ScenarioParser.parse(Self.broken)

        // When
        let d = try #require(result.first("SS003"))

        // Then
        #expect(d.message == "'tags' in the top level: expected a list of strings, found a mapping")
    }

    @Test func undefinedNodeSuggestsTheClosest() throws {
        // Given
        let text = ParserFixtures.minimal.replacingOccurrences(of: "next: b", with: "next: bb")

        // When
        let result = ScenarioParser.parse(text)

        // Then
        let d = try #require(result.first("SS005"))
        #expect(d.location == SourceLocation(line: 12, column: 15))
        #expect(d.hint == "did you mean 'b'?")
        #expect(result.scenario == nil)
    }

    @Test func missingRequiredKeysAreReportedAtTheParentMapping() throws {
        // Given
        let text = """
        # comment
        id: x
        nodes:
          a:
            expect:
              - intent: i
                samples: [x]
        """

        // When
        let result = ScenarioParser.parse(text)

        // Then
        let missing = result.all("SS004").map { "\($0.location.line):\($0.location.column) \($0.message)" }
        #expect(missing.contains("2:1 missing required key 'title' in the top level"))
        #expect(missing.contains("2:1 missing required key 'language' in the top level"))
        #expect(missing.contains("2:1 missing required key 'persona' in the top level"))
        #expect(missing.contains("2:1 missing required key 'start' in the top level"))
        #expect(missing.contains("5:5 missing required key 'customer' in node 'a'"))
        #expect(missing.contains("6:9 missing required key 'match' in intent 'i' of node 'a'") ||
                missing.contains("6:9 missing required key 'match' in intent 1 of node 'a'"))
    }

    @Test func brokenScenarioFixture() throws {
        // Given
        let text = try ParserFixtures.fixture("broken-scenario.yaml")

        // When
        let result = ScenarioParser.parse(text)

        // Then: exactly the errors listed in the file's header comment
        let errors = result.errors.map { "\($0.location.line):\($0.location.column) \($0.code)" }
        #expect(errors == ["14:3 SS002", "17:7 SS003", "27:15 SS005"])
        let warnings = result.warnings.map { "\($0.location.line):\($0.location.column) \($0.code)" }
        #expect(warnings == ["28:3 SS010"])
        #expect(result.first("SS005")?.hint == "did you mean 'printer_known'?")
        #expect(result.scenario == nil)
    }

    @Test func brokenSyntaxFixture() throws {
        // Given
        let text = try ParserFixtures.fixture("broken-syntax.yaml")

        // When
        let result = ScenarioParser.parse(text)

        // Then
        #expect(result.diagnostics.count == 1)
        let d = try #require(result.first("SS001"))
        #expect(d.location == SourceLocation(line: 5, column: 1))
        #expect(d.message.contains("could not find expected ':'"))
        #expect(result.scenario == nil)
    }
}
