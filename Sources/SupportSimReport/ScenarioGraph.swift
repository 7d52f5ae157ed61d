import Foundation
import SupportSimCore

public enum GraphFormat: String, Sendable, CaseIterable {
    /// Graphviz DOT (`dot -Tsvg`).
    case dot
    /// A Mermaid flowchart (Markdown previews, wikis).
    case mermaid
    /// An indented outline for the terminal, at most 80 columns wide.
    case text
}

/// The nodes of a scenario and the ways between them, rendered as DOT, Mermaid or a text outline.
/// Pure: a `Scenario` (and optionally an attempt's path) in, text out.
///
/// - A node's steps that move on (`next`) are labelled edges ("id +points"); steps that keep the
///   conversation at the node are listed inside the node's box, so the drawing shows only real moves.
/// - Harmful rules are red: an edge to their `next`, or a red self-loop when they stay.
/// - A fallback with `next` is a dashed grey edge; numbered choices are marked "#N" on the step or
///   rule they count as.
/// - Endings: a node with `end:` is drawn by its kind (resolved green, escalated orange, left red,
///   closed-unresolved yellow); `/close` on a closable node leads to a "resolved" ending; the
///   escalation policy is an "escalated" ending (or its `next` node) reached from any node.
/// - The start node has an arrow from a start dot; nodes that cannot be reached from it over `next`
///   edges (and the escalation's `next`) are dashed grey and say "unreachable".
/// - Referrals (`refer:`) are violet boxes, reached by dotted violet edges from their `at` nodes
///   (listed under "from any node" without `at`), with a dotted edge on to their `next`; a forbidden
///   referral says it is refused and the conversation goes on.
/// - With a path (a stored attempt), its nodes and moves are blue and bold with their step numbers.
public struct ScenarioGraph: Sendable {
    /// An attempt's way through the scenario.
    public struct Path: Sendable, Equatable {
        /// The node ids in order, starting at the start node.
        public var nodes: [String]
        /// How the attempt ended, when it did (shown as a move into that ending).
        public var ending: EndingKind?
        /// The attempt's number, shown in the title.
        public var attemptID: Int64?
        /// For each node of `nodes`, the step or harmful rule id that moved the conversation there
        /// (nil for the first node and where it is not known): when two steps lead to the same
        /// node, only the one taken is highlighted.
        public var via: [String?]

        public init(nodes: [String], ending: EndingKind? = nil, attemptID: Int64? = nil, via: [String?] = []) {
            self.nodes = nodes; self.ending = ending; self.attemptID = attemptID; self.via = via
        }

        /// Which step or harmful rule made each move of `turns` (turns not taken back, in order),
        /// read from their events: one entry per node the turns arrived at.
        public static func moves(in scenario: Scenario, turns: [Turn]) -> [String?] {
            var moves: [String?] = []
            for turn in turns {
                guard let arrivals = turn.arrivals, !arrivals.isEmpty else { continue }
                var current = turn.node
                var pending = arrivals[...]
                for event in turn.events {
                    guard let target = pending.first, let node = scenario.node(current) else { break }
                    let id: String?
                    switch event {
                    case .intentMatched(let intent, _, _, _, _):
                        id = node.expect.first { $0.id == intent && $0.next == target }?.id
                    case .harmful(let rule, _, _, _):
                        id = node.harmful.first { $0.id == rule && $0.next == target }?.id
                    default:
                        id = nil
                    }
                    guard let id else { continue }
                    moves.append(id)
                    current = target
                    pending = pending.dropFirst()
                }
                moves += pending.map { _ in nil }
            }
            return moves
        }
    }

    public let scenario: Scenario
    public let path: Path?
    public let language: Language

    public init(scenario: Scenario, path: Path? = nil, language: Language = .en) {
        self.scenario = scenario; self.path = path; self.language = language
        model = Model(scenario: scenario, path: path, words: GraphWords(language))
    }

    /// The text ends with a line break.
    public func render(_ format: GraphFormat) -> String {
        switch format {
        case .dot: dot()
        case .mermaid: mermaid()
        case .text: text(width: 80)
        }
    }

    /// Ids of the scenario's nodes that cannot be reached from `start`.
    public var unreachableNodes: [String] { model.nodes.filter { !$0.reachable && !$0.isVirtual }.map(\.id) }

    // MARK: - Model

    private let model: Model

    enum EdgeKind: Sendable, Equatable { case step, harmful, fallback, close, escalate, refer, path }

    struct GraphNode: Sendable {
        var id: String
        var key: String
        /// Lines under the id (steps that stay here, harmful rules listed in text form).
        var title: String
        var staying: [String]
        var ending: EndingKind?
        var isStart = false
        var isVirtual = false
        /// A referral target (`refer:`), drawn apart from the escalation.
        var isReferral = false
        var reachable = true
        var steps: [Int] = []
    }

    struct Edge: Sendable {
        var from: String
        var to: String
        var label: String
        var kind: EdgeKind
        var steps: [Int] = []
        /// The step or harmful rule the edge stands for.
        var rule: String? = nil
    }

    struct Model: Sendable {
        var nodes: [GraphNode] = []
        var edges: [Edge] = []
        var words: GraphWords

        init(scenario: Scenario, path: Path?, words: GraphWords) {
            self.words = words
            var index: [String: Int] = [:]
            for (i, node) in scenario.nodes.enumerated() where index[node.id] == nil {
                index[node.id] = i
                var staying: [String] = []
                for intent in node.expect where intent.next == nil || intent.next == node.id {
                    staying.append("✓ " + intent.id + " " + Self.signed(intent.points) + Self.choiceMark(intent.id, node, intent: true))
                }
                nodes.append(GraphNode(
                    id: node.id, key: "n\(i)", title: node.id, staying: staying, ending: node.end,
                    isStart: node.id == scenario.start))
                for intent in node.expect {
                    guard let next = intent.next, next != node.id else { continue }
                    edges.append(Edge(from: node.id, to: next,
                                      label: intent.id + " " + Self.signed(intent.points) + Self.choiceMark(intent.id, node, intent: true),
                                      kind: .step, rule: intent.id))
                }
                // Harmful rules that stay share one red self-loop (one line each); those that move get their own edge.
                var looping: [String] = []
                for rule in node.harmful {
                    let label = "✗ " + rule.id + " " + Self.signed(-rule.penalty) + Self.choiceMark(rule.id, node, intent: false)
                    if let next = rule.next, next != node.id {
                        edges.append(Edge(from: node.id, to: next, label: label, kind: .harmful, rule: rule.id))
                    } else {
                        looping.append(label)
                    }
                }
                if !looping.isEmpty {
                    edges.append(Edge(from: node.id, to: node.id, label: looping.joined(separator: "\n"), kind: .harmful))
                }
                if let next = node.fallback.next, next != node.id {
                    edges.append(Edge(from: node.id, to: next, label: words.fallback, kind: .fallback))
                }
            }
            // Endings reached by commands rather than by `end:` nodes.
            let closable = scenario.nodes.filter(\.closable)
            if !closable.isEmpty {
                nodes.append(Self.virtual(.resolved, words.closeEnding))
                for node in closable { edges.append(Edge(from: node.id, to: Self.virtualID(.resolved), label: "/close", kind: .close)) }
            }
            let policy = scenario.escalation
            let target = policy.targets.isEmpty ? "" : " " + policy.targets.joined(separator: ", ")
            let escalateLabel = "/escalate" + target + " (" + words.requirement(policy.requirement) + ")"
                + (policy.forbiddenTargets.isEmpty ? "" : "; " + words.forbiddenTargets(policy.forbiddenTargets))
            if policy.requirement == .forbidden {
                // Refused: the conversation goes on where it was; no ending is reached.
                nodes.append(Self.virtual(.escalated, words.escalateAnywhere(escalateLabel) + ": " + words.refusedGoesOn))
            } else if let next = policy.next, index[next] != nil {
                nodes.append(Self.virtual(.escalated, words.escalateAnywhere(escalateLabel)))
                edges.append(Edge(from: Self.virtualID(.escalated), to: next, label: words.continues, kind: .escalate))
            } else {
                nodes.append(Self.virtual(.escalated, words.escalateAnywhere(escalateLabel)))
            }

            // Referrals: a violet box each, dotted violet edges from the nodes where they apply and on to `next`.
            var referralNext: [String] = []
            for (i, referral) in scenario.referrals.enumerated() {
                let id = "@refer:" + referral.id
                let refusedEverywhere = referral.policy == .forbidden && referral.at.isEmpty
                var title = "/refer " + referral.id + " — " + referral.label(words.language)
                    + " (" + words.referralPolicy(referral.policy) + ")"
                if referral.at.isEmpty { title = words.escalateAnywhere(title) }
                if referral.policy == .forbidden { title += ": " + words.refusedGoesOn }
                nodes.append(GraphNode(id: id, key: "refer_\(i)", title: title, staying: [], ending: nil,
                                       isVirtual: true, isReferral: true))
                for node in referral.at where index[node] != nil {
                    edges.append(Edge(from: node, to: id, label: "/refer " + referral.id, kind: .refer))
                }
                if referral.policy != .forbidden, let next = referral.next, index[next] != nil {
                    edges.append(Edge(from: id, to: next, label: words.referralContinues, kind: .refer))
                    if referral.at.isEmpty { referralNext.append(next) }
                } else if !refusedEverywhere, referral.policy == .forbidden, let next = referral.next, index[next] != nil {
                    edges.append(Edge(from: id, to: next, label: words.referralContinues, kind: .refer))
                }
            }

            // Reachability from the start over `next` edges; an accepted escalation's `next` counts.
            var reached: Set<String> = []
            var queue = (index[scenario.start] != nil ? [scenario.start] : []) + referralNext
            if let next = policy.next, index[next] != nil, policy.requirement != .forbidden { queue.append(next) }
            while let id = queue.popLast() {
                guard reached.insert(id).inserted else { continue }
                for edge in edges where edge.from == id && !reached.contains(edge.to) { queue.append(edge.to) }
            }
            for i in nodes.indices where !nodes[i].isVirtual { nodes[i].reachable = reached.contains(nodes[i].id) }

            if let path { highlight(path) }
        }

        static func virtualID(_ kind: EndingKind) -> String { "@" + kind.rawValue }

        static func virtual(_ kind: EndingKind, _ title: String) -> GraphNode {
            GraphNode(id: virtualID(kind), key: "term_" + kind.rawValue.replacingOccurrences(of: "-", with: "_"),
                      title: title, staying: [], ending: kind, isVirtual: true)
        }

        static func signed(_ points: Int) -> String { points < 0 ? "−\(-points)" : "+\(points)" }

        /// " #2" when a numbered choice of the node counts as this intent (or harmful rule).
        static func choiceMark(_ id: String, _ node: Node, intent: Bool) -> String {
            let numbers = node.choices.indices.filter { (intent ? node.choices[$0].intent : node.choices[$0].harmful) == id }
            return numbers.map { " #\($0 + 1)" }.joined()
        }

        mutating func highlight(_ path: Path) {
            guard let first = path.nodes.first else { return }
            mark(first, step: 0)
            var previous = first
            for (i, id) in path.nodes.enumerated().dropFirst() {
                mark(id, step: i)
                markEdge(from: previous, to: id, step: i, via: i < path.via.count ? path.via[i] : nil)
                previous = id
            }
            let last = path.nodes.count
            guard let ending = path.ending, ending != .abandoned else { return }
            if nodes.first(where: { $0.id == previous })?.ending == ending { return }
            let target = Self.virtualID(ending)
            if !nodes.contains(where: { $0.id == target }) {
                nodes.append(Self.virtual(ending, words.ending(ending)))
            }
            mark(target, step: last)
            markEdge(from: previous, to: target, step: last)
        }

        mutating func mark(_ id: String, step: Int) {
            if let i = nodes.firstIndex(where: { $0.id == id }) { nodes[i].steps.append(step) }
        }

        mutating func markEdge(from: String, to: String, step: Int, via: String? = nil) {
            var matching = edges.indices.filter { edges[$0].from == from && edges[$0].to == to && edges[$0].kind != .path }
            if let via, matching.contains(where: { edges[$0].rule == via }) { matching = matching.filter { edges[$0].rule == via } }
            if matching.isEmpty {
                edges.append(Edge(from: from, to: to, label: "", kind: .path, steps: [step]))
            } else {
                for i in matching { edges[i].steps.append(step) }
            }
        }

        func node(_ id: String) -> GraphNode? { nodes.first { $0.id == id } }
    }

    // MARK: - DOT

    private static let endingStyle: [EndingKind: (shape: String, fill: String, mermaidClass: String)] = [
        .resolved: ("doubleoctagon", "#c8f7c5", "resolved"),
        .escalated: ("hexagon", "#ffd8a8", "escalated"),
        .left: ("octagon", "#ffc9c9", "left"),
        .closedUnresolved: ("box", "#fff3bf", "closed"),
        .abandoned: ("box", "#e9ecef", "abandoned"),
    ]

    private func dot() -> String {
        let words = model.words
        var out = "digraph " + Self.dotString(scenario.id) + " {\n"
        var title = scenario.id + ": " + scenario.title
        if let path { title += "\n" + words.pathTitle(path.attemptID) }
        out += "  graph [label=" + Self.dotString(title) + ", labelloc=t, fontname=\"Helvetica\", rankdir=TB];\n"
        out += "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\", fontsize=11];\n"
        out += "  edge [fontname=\"Helvetica\", fontsize=9];\n"
        out += "  start [shape=point, width=0.2, label=\"\"];\n"
        for node in model.nodes {
            var attributes: [String] = []
            var label = node.title
            if !node.staying.isEmpty { label += "\n" + node.staying.joined(separator: "\n") }
            if let ending = node.ending, !node.isVirtual { label += "\n[" + words.ending(ending) + "]" }
            if !node.reachable { label += "\n(" + words.unreachable + ")" }
            if !node.steps.isEmpty { label += "\n" + words.steps(node.steps) }
            attributes.append("label=" + Self.dotString(label))
            if let ending = node.ending, let style = Self.endingStyle[ending] {
                attributes.append("shape=\(style.shape)")
                if node.reachable { attributes.append("fillcolor=\"\(style.fill)\"") }
            }
            if node.isReferral { attributes += ["shape=note", "fillcolor=\"#e5dbff\"", "color=\"#7048e8\""] }
            var styles = node.ending == nil ? ["rounded", "filled"] : ["filled"]
            if !node.reachable {
                styles.append("dashed")
                attributes.append("fillcolor=\"#eeeeee\"")
                attributes.append("fontcolor=\"#777777\"")
            }
            if node.isStart || !node.steps.isEmpty { styles.append("bold") }
            attributes.append("style=\"" + styles.joined(separator: ",") + "\"")
            if !node.steps.isEmpty {
                attributes.append("color=\"#1c7ed6\"")
                attributes.append("penwidth=3")
            }
            out += "  " + node.key + " [" + attributes.joined(separator: ", ") + "];\n"
        }
        if let start = model.node(scenario.start) { out += "  start -> " + start.key + ";\n" }
        for edge in model.edges {
            guard let from = model.node(edge.from), let to = model.node(edge.to) else { continue }
            var attributes: [String] = []
            var label = edge.label
            if !edge.steps.isEmpty { label += (label.isEmpty ? "" : "\n") + words.steps(edge.steps) }
            if !label.isEmpty { attributes.append("label=" + Self.dotString(label)) }
            if edge.kind == .fallback || edge.kind == .escalate { attributes.append("style=dashed") }
            if edge.kind == .refer { attributes.append("style=dotted") }
            if !edge.steps.isEmpty {
                attributes += ["color=\"#1c7ed6\"", "penwidth=3"]
            } else {
                switch edge.kind {
                case .step, .path: break
                case .harmful: attributes += ["color=\"#e03131\"", "fontcolor=\"#e03131\""]
                case .fallback: attributes += ["color=\"#868e96\"", "fontcolor=\"#868e96\""]
                case .close: attributes += ["color=\"#2f9e44\""]
                case .escalate: attributes += ["color=\"#e8590c\""]
                case .refer: attributes += ["color=\"#7048e8\"", "fontcolor=\"#7048e8\""]
                }
            }
            out += "  " + from.key + " -> " + to.key + (attributes.isEmpty ? "" : " [" + attributes.joined(separator: ", ") + "]") + ";\n"
        }
        return out + "}\n"
    }

    /// A DOT quoted string: backslashes and quotes escaped, line breaks as `\n`, other control
    /// characters made visible (the text comes from a scenario file).
    static func dotString(_ text: String) -> String {
        var out = "\""
        for character in TerminalText.sanitize(text) {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n", "\r\n": out += "\\n"
            case "\r": out += "\\n"
            default: out.append(character)
            }
        }
        return out + "\""
    }

    // MARK: - Mermaid

    private func mermaid() -> String {
        let words = model.words
        var out = "flowchart TD\n"
        var title = scenario.id + ": " + scenario.title
        if let path { title += " — " + words.pathTitle(path.attemptID) }
        out += "  %% " + Self.mermaidComment(title) + "\n"
        out += "  start_marker((\" \"))\n"
        var classes: [String: [String]] = [:]
        for node in model.nodes {
            var lines = [node.title] + node.staying
            if let ending = node.ending, !node.isVirtual { lines.append("[" + words.ending(ending) + "]") }
            if !node.reachable { lines.append("(" + words.unreachable + ")") }
            if !node.steps.isEmpty { lines.append(words.steps(node.steps)) }
            let label = "\"" + lines.map(Self.mermaidText).joined(separator: "<br/>") + "\""
            let shaped: String
            switch node.ending {
            case .resolved?: shaped = "([" + label + "])"
            case .escalated?: shaped = "{{" + label + "}}"
            case .left?: shaped = ">" + label + "]"
            case .closedUnresolved?: shaped = "[/" + label + "/]"
            case .abandoned?: shaped = "(" + label + ")"
            case nil: shaped = node.isReferral ? "[[" + label + "]]" : "[" + label + "]"
            }
            out += "  " + node.key + shaped + "\n"
            if let ending = node.ending, let style = Self.endingStyle[ending] { classes[style.mermaidClass, default: []].append(node.key) }
            if !node.reachable { classes["unreachable", default: []].append(node.key) }
            if node.isReferral { classes["referral", default: []].append(node.key) }
            if node.isStart { classes["start", default: []].append(node.key) }
            if !node.steps.isEmpty { classes["path", default: []].append(node.key) }
        }
        var linkStyles: [String] = []
        var linkIndex = 0
        if let start = model.node(scenario.start) {
            out += "  start_marker --> " + start.key + "\n"
            linkIndex += 1
        }
        for edge in model.edges {
            guard let from = model.node(edge.from), let to = model.node(edge.to) else { continue }
            var label = edge.label
            if !edge.steps.isEmpty { label += (label.isEmpty ? "" : "\n") + words.steps(edge.steps) }
            let arrow: String
            switch edge.kind {
            case .fallback, .escalate, .refer: arrow = "-.->"
            default: arrow = edge.steps.isEmpty ? "-->" : "==>"
            }
            let text = label.isEmpty ? "" : "|\"" + label.split(separator: "\n").map { Self.mermaidText(String($0)) }.joined(separator: "<br/>") + "\"|"
            out += "  " + from.key + " " + arrow + text + " " + to.key + "\n"
            if !edge.steps.isEmpty {
                linkStyles.append("  linkStyle \(linkIndex) stroke:#1c7ed6,stroke-width:3px")
            } else if edge.kind == .harmful {
                linkStyles.append("  linkStyle \(linkIndex) stroke:#e03131,color:#e03131")
            } else if edge.kind == .close {
                linkStyles.append("  linkStyle \(linkIndex) stroke:#2f9e44")
            } else if edge.kind == .refer {
                linkStyles.append("  linkStyle \(linkIndex) stroke:#7048e8,color:#7048e8,stroke-dasharray:3")
            }
            linkIndex += 1
        }
        out += "  classDef resolved fill:#c8f7c5,stroke:#2f9e44\n"
        out += "  classDef escalated fill:#ffd8a8,stroke:#e8590c\n"
        out += "  classDef left fill:#ffc9c9,stroke:#e03131\n"
        out += "  classDef closed fill:#fff3bf,stroke:#f08c00\n"
        out += "  classDef abandoned fill:#e9ecef,stroke:#868e96\n"
        out += "  classDef referral fill:#e5dbff,stroke:#7048e8\n"
        out += "  classDef unreachable fill:#eeeeee,stroke:#868e96,stroke-dasharray:5 5,color:#777777\n"
        out += "  classDef start stroke-width:3px\n"
        out += "  classDef path stroke:#1c7ed6,stroke-width:3px\n"
        for name in ["resolved", "escalated", "left", "closed", "abandoned", "referral", "unreachable", "start", "path"] {
            if let keys = classes[name] { out += "  class " + keys.joined(separator: ",") + " " + name + "\n" }
        }
        for line in linkStyles { out += line + "\n" }
        return out
    }

    /// Text inside a quoted Mermaid label: characters Mermaid reads as syntax are entity codes.
    static func mermaidText(_ text: String) -> String {
        var out = ""
        for character in TerminalText.sanitize(text, keepNewlines: false) {
            switch character {
            case "\"": out += "#quot;"
            case "#": out += "#35;"
            case "&": out += "#amp;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "[": out += "#91;"
            case "]": out += "#93;"
            case "{": out += "#123;"
            case "}": out += "#125;"
            case "(": out += "#40;"
            case ")": out += "#41;"
            case "|": out += "#124;"
            case "`": out += "#96;"
            case ";": out += "#59;"
            default: out.append(character)
            }
        }
        return out
    }

    static func mermaidComment(_ text: String) -> String {
        TerminalText.sanitize(text, keepNewlines: false).replacingOccurrences(of: "%%", with: "% %")
    }

    // MARK: - Text

    /// "/refer manager — the team manager (required) → next" for the text outline.
    private func referralLine(_ referral: Referral) -> String {
        let words = model.words
        var line = "/refer " + referral.id + " — " + referral.label(words.language) + " (" + words.referralPolicy(referral.policy) + ")"
        if referral.policy == .forbidden {
            line += " ⇒ " + words.refusedGoesOn
        } else {
            line += referral.next.map { " → " + $0 } ?? "  (" + words.stays + ")"
        }
        return line
    }

    private func text(width: Int) -> String {
        let words = model.words
        var lines: [String] = []
        func add(_ text: String, indent: Int) {
            lines += Self.wrap(TerminalText.sanitize(text, keepNewlines: false), indent: indent, width: width)
        }
        add(scenario.id + ": " + scenario.title, indent: 0)
        add(words.start + ": " + scenario.start, indent: 0)
        if let path {
            let through = path.nodes.joined(separator: " → ") + (path.ending.map { " ⇒ " + words.ending($0) } ?? "")
            add(words.pathTitle(path.attemptID) + ": " + through, indent: 0)
        }
        lines.append("")
        for node in model.nodes where !node.isVirtual {
            var head = node.id
            var marks: [String] = []
            if node.isStart { marks.append(words.start.lowercased()) }
            if let ending = node.ending { marks.append(words.ending(ending)) }
            if !node.reachable { marks.append(words.unreachable) }
            if !node.steps.isEmpty { marks.append(words.steps(node.steps)) }
            if !marks.isEmpty { head += "  [" + marks.joined(separator: "; ") + "]" }
            add(head, indent: 0)
            for staying in node.staying { add(staying + "  (" + words.stays + ")", indent: 2) }
            for edge in model.edges where edge.from == node.id && edge.kind == .refer {
                guard let referral = scenario.referral(String(edge.to.dropFirst("@refer:".count))) else { continue }
                add("↪ " + referralLine(referral), indent: 2)
            }
            for edge in model.edges where edge.from == node.id && edge.kind != .path && edge.kind != .refer {
                let target: String
                if edge.to == node.id {
                    target = "(" + words.stays + ")"
                } else if let to = model.node(edge.to), to.isVirtual, let ending = to.ending {
                    target = "⇒ " + words.ending(ending)
                } else {
                    target = "→ " + edge.to
                }
                let label = edge.kind == .fallback ? words.fallback : edge.label
                let steps = edge.steps.isEmpty ? "" : "  [" + words.steps(edge.steps) + "]"
                for line in label.split(separator: "\n") {
                    add((edge.kind == .step ? "✓ " : "") + line + "  " + target + steps, indent: 2)
                }
            }
            for edge in model.edges where edge.from == node.id && edge.kind == .path {
                add("… " + (model.node(edge.to)?.isVirtual == true ? words.ending(model.node(edge.to)!.ending!) : edge.to)
                    + "  [" + words.steps(edge.steps) + "]", indent: 2)
            }
            if let source = scenario.node(node.id), !source.choices.isEmpty {
                add(words.choices + ": " + source.choices.indices.map { "#\($0 + 1) " + source.choices[$0].text }.joined(separator: "; "), indent: 2)
            }
        }
        lines.append("")
        add(words.anywhere + ":", indent: 0)
        let policy = scenario.escalation
        let targets = policy.targets.isEmpty ? "" : " " + policy.targets.joined(separator: ", ")
        add("/escalate" + targets + " (" + words.requirement(policy.requirement) + ") "
            + (policy.forbiddenTargets.isEmpty ? "" : words.forbiddenTargets(policy.forbiddenTargets) + " ⇒ " + words.refusedGoesOn + "; ")
            + (policy.requirement == .forbidden ? "⇒ " + words.refusedGoesOn
               : policy.next.map { "→ " + $0 } ?? "⇒ " + words.ending(.escalated)), indent: 2)
        for referral in scenario.referrals where referral.at.isEmpty { add("↪ " + referralLine(referral), indent: 2) }
        add(words.patience(scenario.persona.patience), indent: 2)
        add(words.closeElsewhere, indent: 2)
        for rule in scenario.critical { add("‼ " + rule.id + ": " + rule.reason, indent: 2) }
        let unreachable = unreachableNodes
        if !unreachable.isEmpty {
            lines.append("")
            add(words.unreachableList + ": " + unreachable.joined(separator: ", "), indent: 0)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Word-wraps to `width` display columns; continuation lines are indented two more.
    static func wrap(_ text: String, indent: Int, width: Int) -> [String] {
        var lines: [String] = []
        var current = String(repeating: " ", count: indent)
        var currentWidth = indent
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = String(word)
            let w = DisplayWidth.of(word)
            if lineHasWord, currentWidth + 1 + w > width {
                lines.append(current)
                current = String(repeating: " ", count: indent + 2)
                currentWidth = indent + 2
                lineHasWord = false
            }
            if !lineHasWord, currentWidth + w > width { word = DisplayWidth.truncate(word, to: max(1, width - currentWidth)) }
            if lineHasWord { current += " "; currentWidth += 1 }
            current += word
            currentWidth += DisplayWidth.of(word)
            lineHasWord = true
        }
        lines.append(current)
        return lines
    }
}

extension GraphFormat: CustomStringConvertible {
    public var description: String { rawValue }
}

/// The graph's words in English or Russian.
struct GraphWords: Sendable {
    let language: Language
    init(_ language: Language) { self.language = language }
    private func t(_ en: String, _ ru: String) -> String { language == .ru ? ru : en }

    var fallback: String { t("fallback", "не понято") }
    var unreachable: String { t("unreachable", "недостижим") }
    var unreachableList: String { t("Unreachable nodes", "Недостижимые узлы") }
    var start: String { t("Start", "Начало") }
    var stays: String { t("stays", "остаётся") }
    var continues: String { t("accepted: continues", "принята: разговор продолжается") }
    var choices: String { t("choices", "варианты") }
    var anywhere: String { t("From any node", "Из любого узла") }
    var closeEnding: String { t("/close → resolved", "/close → решено") }
    var closeElsewhere: String {
        t("/close where the problem is not solved ⇒ closed-unresolved", "/close, пока проблема не решена ⇒ закрыто без решения")
    }

    func patience(_ n: Int) -> String {
        t("patience \(n): after that many unhelpful replies the customer demands a manager, then leaves ⇒ left",
          "терпение \(n): после стольких бесполезных ответов клиент требует руководителя, затем уходит ⇒ ушёл")
    }

    var referralContinues: String { t("referred: continues", "направлено: разговор продолжается") }
    func forbiddenTargets(_ targets: [String]) -> String { t("not to ", "не на ") + targets.joined(separator: ", ") }
    func referralPolicy(_ p: ReferralPolicy) -> String {
        switch p {
        case .required: t("required", "обязательно")
        case .forbidden: t("forbidden", "запрещено")
        case .optional: t("allowed", "допустимо")
        }
    }
    var refusedGoesOn: String { t("refused, the conversation goes on", "отклоняется, разговор продолжается") }
    func escalateAnywhere(_ label: String) -> String { label + t(" from any node", " из любого узла") }

    func steps(_ steps: [Int]) -> String {
        let list = steps.map(String.init).joined(separator: ", ")
        return steps.count == 1 ? t("step ", "шаг ") + list : t("steps ", "шаги ") + list
    }

    func pathTitle(_ id: Int64?) -> String {
        guard let id else { return t("path", "путь") }
        return t("path of attempt #\(id)", "путь попытки №\(id)")
    }

    func requirement(_ r: EscalationRequirement) -> String {
        switch r {
        case .required: t("required", "обязательна")
        case .forbidden: t("forbidden", "запрещена")
        case .optional: t("optional", "по желанию")
        }
    }

    func ending(_ kind: EndingKind) -> String {
        switch kind {
        case .resolved: t("resolved", "решено")
        case .escalated: t("escalated", "передано выше")
        case .left: t("left", "клиент ушёл")
        case .closedUnresolved: t("closed-unresolved", "закрыто без решения")
        case .abandoned: t("abandoned", "прервано")
        }
    }
}
