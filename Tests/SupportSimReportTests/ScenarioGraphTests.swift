import Foundation
import SupportSimCore
import Testing
@testable import SupportSimReport

private let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Every shipped scenario (Scenarios/*.yaml, not transcripts), parsed.
private func shippedScenarios() throws -> [(file: String, scenario: Scenario)] {
    let dir = packageRoot.appendingPathComponent("Scenarios")
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        .filter { $0.hasSuffix(".yaml") && !$0.hasSuffix(".transcript.yaml") }.sorted()
    return try files.map { file in
        let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
        return (file, try #require(ScenarioParser.parse(text).scenario, "Scenarios/\(file) does not parse"))
    }
}

/// A small scenario with awkward ids and labels: quotes, backslashes, brackets, Cyrillic, a node
/// nobody can reach, a harmful rule that moves on, a fallback that moves on and a numbered choice.
private func awkwardScenario() -> Scenario {
    Scenario(
        id: "awkward", title: "Принтер \"HP\" [3-й этаж] \\ C:\\temp", language: .ru,
        persona: Persona(name: "Анна"),
        start: "начало",
        nodes: [
            Node(id: "начало", customer: ["Не печатает."],
                 expect: [
                    Intent(id: "ask \"which\"", match: MatchRule(any: ["какой"]), points: 10),
                    Intent(id: "fix[1]", match: MatchRule(any: ["перезагруз"]), points: 15, next: "step-2"),
                 ],
                 harmful: [
                    HarmfulRule(id: "blame", match: MatchRule(any: ["сами"]), penalty: 10, feedback: "no"),
                    HarmfulRule(id: "reinstall", match: MatchRule(any: ["переустанов"]), penalty: 20, feedback: "no",
                                next: "angry|node"),
                 ],
                 fallback: Fallback(next: "angry|node"),
                 choices: [Choice(text: "Перезагрузите", intent: "fix[1]")]),
            Node(id: "step-2", customer: ["Работает!"], closable: true),
            Node(id: "angry|node", customer: ["Всё, я ухожу."], end: .left),
            Node(id: "orphan\\node", customer: ["Меня не видно."], end: .resolved),
        ])
}

/// Checks the subset of Mermaid flowchart syntax that `ScenarioGraph` writes; returns the problems.
func mermaidProblems(_ text: String) -> [String] {
    var problems: [String] = []
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let header = lines.first, header.range(of: #"^(flowchart|graph) (TD|TB|BT|LR|RL)$"#, options: .regularExpression) != nil else {
        return ["the first line is not a flowchart header: \(lines.first ?? "")"]
    }
    let id = #"[A-Za-z_][A-Za-z0-9_]*"#
    let label = #""[^"\n]*""#
    let shapes = [#"\[\#(label)\]"#, #"\(\[\#(label)\]\)"#, #"\{\{\#(label)\}\}"#, #">\#(label)\]"#,
                  #"\[/\#(label)/\]"#, #"\(\#(label)\)"#, #"\(\(\#(label)\)\)"#,
                  #"\[\[\#(label)\]\]"#]
    let nodeLine = "^  (" + id + ")(" + shapes.joined(separator: "|") + ")$"
    let edgeLine = "^  (" + id + ") (-->|==>|-\\.->)(\\|" + label + "\\|)? (" + id + ")$"
    var defined: Set<String> = []
    var edges = 0
    for (number, line) in lines.enumerated().dropFirst() where !line.isEmpty {
        let where_ = "line \(number + 1): \(line)"
        // Inside labels only entity codes may stand for syntax characters.
        var depth: [Character] = []
        var inQuotes = false
        var previous: Character?
        for c in line {
            if c == "\"" { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if c == ">", previous?.isLetter == true || previous?.isNumber == true { depth.append("[") }  // the asymmetric shape
            defer { previous = c }
            switch c {
            case "[", "(", "{": depth.append(c)
            case "]": if depth.popLast() != "[" { problems.append("unbalanced ] at " + where_) }
            case ")": if depth.popLast() != "(" { problems.append("unbalanced ) at " + where_) }
            case "}": if depth.popLast() != "{" { problems.append("unbalanced } at " + where_) }
            default: break
            }
        }
        if inQuotes { problems.append("unbalanced quotes at " + where_) }
        if !depth.isEmpty { problems.append("unclosed brackets at " + where_) }
        if line.hasPrefix("  %% ") { continue }
        if let match = line.firstMatch(of: try! Regex(nodeLine)) {
            defined.insert(String(line[match.range].dropFirst(2).prefix { $0.isLetter || $0.isNumber || $0 == "_" }))
        } else if let match = line.firstMatch(of: try! Regex(edgeLine)) {
            let parts = line[match.range].split(separator: " ")
            let from = String(parts[0]), to = String(parts.last!)
            if !defined.contains(from) { problems.append("edge from undefined \(from) at " + where_) }
            if !defined.contains(to) { problems.append("edge to undefined \(to) at " + where_) }
            edges += 1
        } else if line.range(of: "^  classDef " + id + " [a-z-]+:[^ ]+( [^ ]+)?$", options: .regularExpression) != nil {
            continue
        } else if line.range(of: "^  class " + id + "(," + id + ")* " + id + "$", options: .regularExpression) != nil {
            let ids = line.split(separator: " ")[1].split(separator: ",").map(String.init)
            for i in ids where !defined.contains(i) { problems.append("class of undefined \(i) at " + where_) }
        } else if let match = line.firstMatch(of: #/^  linkStyle (\d+) [a-z-]+:[^ ]+$/#) {
            if Int(match.1)! >= edges { problems.append("linkStyle of a missing edge at " + where_) }
        } else {
            problems.append("not a recognised statement at " + where_)
        }
    }
    return problems
}

@Suite("Report: scenario graph")
struct ScenarioGraphTests {
    @Test func everyShippedScenarioRendersWithGraphviz() throws {
        // Given Graphviz's dot and every shipped scenario
        let dot = try #require(["/usr/bin/dot", "/usr/local/bin/dot"].first { FileManager.default.isExecutableFile(atPath: $0) },
                               "Graphviz is not installed: run `make setup`")
        let scenarios = try shippedScenarios()
        #expect(scenarios.count >= 5)
        for (file, scenario) in scenarios {
            // When its DOT output is rendered to SVG
            let source = ScenarioGraph(scenario: scenario).render(.dot)
            let (status, svg, errors) = try Self.run(dot, ["-Tsvg"], input: source)
            // Then dot succeeds without complaint and produces an SVG that shows the nodes
            #expect(status == 0, "\(file): dot failed: \(errors)")
            #expect(errors.isEmpty, "\(file): dot warned: \(errors)")
            #expect(svg.contains("<svg") && svg.contains("</svg>"), "\(file): no SVG")
            for node in scenario.nodes { #expect(svg.contains(node.id), "\(file): node \(node.id) missing from the SVG") }
        }
    }

    @Test func awkwardLabelsStayValidDOT() throws {
        // Given a scenario whose ids and title hold quotes, backslashes, brackets, a pipe and Cyrillic
        let source = ScenarioGraph(scenario: awkwardScenario()).render(.dot)
        // Then every such character is escaped (no raw quote inside a label ends it early)
        #expect(source.contains(#"\n✓ ask \"which\" +10""#))
        #expect(source.contains(#"orphan\\node"#))
        #expect(source.contains(#"Принтер \"HP\" [3-й этаж] \\ C:\\temp"#))
        // and Graphviz accepts it
        if let dot = ["/usr/bin/dot"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            let (status, svg, errors) = try Self.run(dot, ["-Tsvg"], input: source)
            #expect(status == 0 && errors.isEmpty, "\(errors)")
            #expect(svg.contains("orphan\\node") && svg.contains("Принтер"))
        }
    }

    @Test func everyShippedScenarioIsValidMermaid() throws {
        for (file, scenario) in try shippedScenarios() {
            // Given a shipped scenario, when it is rendered as Mermaid
            let text = ScenarioGraph(scenario: scenario).render(.mermaid)
            // Then every line is a statement of the flowchart syntax, with every id defined
            #expect(mermaidProblems(text) == [], "\(file)")
        }
    }

    @Test func awkwardLabelsStayValidMermaid() {
        // Given the awkward scenario with an attempt's path
        let graph = ScenarioGraph(scenario: awkwardScenario(), path: .init(nodes: ["начало", "angry|node"], ending: .left))
        // When it is rendered as Mermaid
        let text = graph.render(.mermaid)
        // Then it passes the checker, quotes, brackets and pipes are entity codes, and Cyrillic is kept
        #expect(mermaidProblems(text) == [])
        #expect(text.contains("ask #quot;which#quot; +10"))
        #expect(text.contains("fix#91;1#93; +15 #35;1"))
        #expect(text.contains("angry#124;node"))
        #expect(text.contains("начало"))
        // and the checker itself rejects broken lines
        #expect(!mermaidProblems(text + "  n0[\"unclosed]\n").isEmpty)
        #expect(!mermaidProblems(text + "  n0 --> nowhere\n").isEmpty)
        #expect(!mermaidProblems("graph\n").isEmpty)
    }

    @Test func reachabilityMarksOnlyNodesNoMoveLeadsTo() {
        // Given the awkward scenario, where nothing leads to "orphan\node"
        let graph = ScenarioGraph(scenario: awkwardScenario())
        // Then that node alone is unreachable, and every format says so
        #expect(graph.unreachableNodes == ["orphan\\node"])
        #expect(graph.render(.text).contains("orphan\\node [resolved; unreachable]"))
        #expect(graph.render(.dot).contains("(unreachable)"))
        #expect(graph.render(.mermaid).contains("class n3 unreachable"))
        // and no shipped scenario has an unreachable node
        for (file, scenario) in (try? shippedScenarios()) ?? [] {
            #expect(ScenarioGraph(scenario: scenario).unreachableNodes == [], "\(file)")
        }
    }

    @Test func edgesAreLabelledAndStyledByKind() {
        // Given the awkward scenario as DOT
        let dot = ScenarioGraph(scenario: awkwardScenario()).render(.dot)
        // Then a moving step is a labelled edge with its points and its choice number
        #expect(dot.contains(##"n0 -> n1 [label="fix[1] +15 #1"]"##))
        // a staying step is listed in the node's box
        #expect(dot.contains(##"label="начало\n✓ ask \"which\" +10""##))
        // harmful rules are red: a self-loop when they stay, an edge when they move on
        #expect(dot.contains(##"n0 -> n0 [label="✗ blame −10", color="#e03131""##))
        #expect(dot.contains(##"n0 -> n2 [label="✗ reinstall −20", color="#e03131""##))
        // a fallback that moves on is dashed, /close leads to the resolved ending
        #expect(dot.contains(##"n0 -> n2 [label="fallback", style=dashed"##))
        #expect(dot.contains(##"n1 -> term_resolved [label="/close""##))
        // endings are shaped by kind and the start has an arrow from the start dot
        #expect(dot.contains(##"n2 [label="angry|node\n[left]", shape=octagon"##))
        #expect(dot.contains("start -> n0;"))
    }

    @Test func harmfulRulesThatStayShareOneRedLoop() throws {
        // Given the shipped printer scenario, whose opening has three harmful rules that stay
        let scenario = try #require(try shippedScenarios().first { $0.scenario.id == "printer-before-board-meeting" }).scenario
        // When it is drawn
        let graph = ScenarioGraph(scenario: scenario)
        // Then DOT has one red self-loop with a line per rule, and the outline a line per rule
        #expect(graph.render(.dot).contains(
            ##"n0 -> n0 [label="✗ tell_to_calm_down −10\n✗ blame_customer −10\n✗ brush_off −15", color="#e03131""##))
        #expect(graph.render(.text).contains("  ✗ blame_customer −10 (stays)\n  ✗ brush_off −15 (stays)\n"))
    }

    @Test func pathIsHighlightedWithStepNumbers() {
        // Given an attempt that went from the start to step-2 and was closed there
        let path = ScenarioGraph.Path(nodes: ["начало", "step-2"], ending: .resolved, attemptID: 7)
        let graph = ScenarioGraph(scenario: awkwardScenario(), path: path)
        // When it is drawn
        let dot = graph.render(.dot)
        let text = graph.render(.text)
        let mermaid = graph.render(.mermaid)
        // Then the nodes and moves of the path are blue and bold with their step numbers
        #expect(dot.contains(##"n0 -> n1 [label="fix[1] +15 #1\nstep 1", color="#1c7ed6", penwidth=3]"##))
        #expect(dot.contains(##"n1 -> term_resolved [label="/close\nstep 2", color="#1c7ed6", penwidth=3]"##))
        #expect(dot.contains(##"step 0", style="rounded,filled,bold", color="#1c7ed6", penwidth=3]"##))
        #expect(dot.contains("path of attempt #7"))
        // the text outline lists the path, and Mermaid draws thick links
        #expect(text.contains("path of attempt #7: начало → step-2 ⇒ resolved"))
        #expect(mermaid.contains("n0 ==>|\"fix#91;1#93; +15 #35;1<br/>step 1\"| n1"))
        #expect(mermaid.contains("class n0,n1,term_resolved path"))
        // and without a path nothing is highlighted
        #expect(!ScenarioGraph(scenario: awkwardScenario()).render(.dot).contains("#1c7ed6"))
    }

    @Test func onlyTheStepTakenIsHighlightedWhenTwoLeadToTheSameNode() {
        // Given a node with a step and a harmful rule both leading to "angry|node", and a turn that
        // matched the harmful rule and moved there
        let scenario = awkwardScenario()
        let turn = Turn(index: 1, number: 1, input: .reply("переустановите"), node: "начало", moodBefore: .calm,
                        events: [.harmful(rule: "reinstall", penalty: 20, feedback: "no", matched: ["переустанов"])],
                        elapsed: 1, nodeAfter: "angry|node", arrivals: ["angry|node"])
        // When the moves are read from the turn and the path is drawn
        let via = ScenarioGraph.Path.moves(in: scenario, turns: [turn])
        let dot = ScenarioGraph(scenario: scenario, path: .init(nodes: ["начало", "angry|node"], via: [nil] + via)).render(.dot)
        // Then the harmful rule made the move, and only its edge (not the fallback's) is highlighted
        #expect(via == ["reinstall"])
        #expect(dot.contains(##"n0 -> n2 [label="✗ reinstall −20\nstep 1", color="#1c7ed6", penwidth=3]"##))
        #expect(dot.contains(##"n0 -> n2 [label="fallback", style=dashed, color="#868e96""##))
    }

    @Test func pathToAnEndingNoEdgeLeadsToGetsItsOwnMove() {
        // Given an attempt that escalated at the start node (the policy's ending, not a node)
        let graph = ScenarioGraph(scenario: awkwardScenario(), path: .init(nodes: ["начало"], ending: .escalated))
        // Then the move into the escalated ending is drawn and numbered
        #expect(graph.render(.dot).contains(##"n0 -> term_escalated [label="step 1", color="#1c7ed6", penwidth=3]"##))
    }

    @Test func textOutlineFitsEightyColumns() throws {
        for (file, scenario) in try shippedScenarios() {
            // Given a shipped scenario as a text outline
            let text = ScenarioGraph(scenario: scenario).render(.text)
            // Then no line is wider than 80 columns and every node is listed
            for line in text.split(separator: "\n") {
                #expect(DisplayWidth.of(String(line)) <= 80, "\(file): \(line)")
            }
            for node in scenario.nodes { #expect(text.contains("\n" + node.id), "\(file): \(node.id)") }
        }
    }

    @Test func russianWordsForARussianInterface() {
        // Given the graph in Russian
        let text = ScenarioGraph(scenario: awkwardScenario(), language: .ru).render(.text)
        // Then the graph's own words are Russian
        #expect(text.contains("недостижим") && text.contains("Из любого узла"))
    }

    static func run(_ program: String, _ arguments: [String], input: String) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let inPipe = Pipe(), out = Pipe(), err = Pipe()
        process.standardInput = inPipe
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let writer = Thread { inPipe.fileHandleForWriting.write(Data(input.utf8)); try? inPipe.fileHandleForWriting.close() }
        writer.start()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    @Test func givenAForbiddenEscalation_whenDrawn_thenItIsShownAsRefusedAndNotAsAnEnding() throws {
        // Given the shipped scenario whose policy forbids escalating
        let scenario = try #require(try shippedScenarios().first { $0.1.id == "password-reset-no-identity" }?.1)
        // When
        let outline = ScenarioGraph(scenario: scenario).render(.text)
        // Then
        #expect(outline.contains("/escalate (forbidden) ⇒ refused, the conversation goes on"))
    }
}
