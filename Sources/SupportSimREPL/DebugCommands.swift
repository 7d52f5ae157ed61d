import Foundation
import SupportSimCore

/// Trainer debug mode of a play session (`supportsim play --debug [--start NODE]`).
public struct DebugOptions: Sendable, Equatable {
    /// The node the session starts at instead of the scenario's start (already validated).
    public var startNode: String?

    public init(startNode: String? = nil) { self.startNode = startNode }
}

/// A debug command typed at the prompt (`:where`, `:vars`, `:goto NODE`, `:match "reply"`, `:help`).
public enum DebugCommand: Sendable, Equatable {
    case whereAmI
    case vars
    case goto(node: String)
    case match(reply: String)
    case help
    /// A known command without what it needs (`:goto` with no node).
    case usage(command: String)
    case unknown(command: String, suggestion: String?)
}

public enum DebugCommandParser {
    /// The commands in the order `:help` lists them (also what Tab completes).
    public static let commands = [":where", ":vars", ":goto", ":match", ":help"]

    /// The debug command on a line, or nil when the line is not one: a debug command starts with
    /// `:` and a letter (so a reply such as ":)" is still a reply).
    public static func parse(_ line: String) -> DebugCommand? {
        let trimmed = ReplyText.clean(line)
        guard trimmed.hasPrefix(":"), let second = trimmed.dropFirst().first, second.isLetter else { return nil }
        let parts = trimmed.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        // Typed with Cyrillic look-alike letters or in capitals, the command is still the command.
        let command = LookAlike.fold(String(parts[0])).lowercased()
        let rest = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch command {
        case ":where", ":w": return .whereAmI
        case ":vars", ":v": return .vars
        case ":help", ":h", ":?": return .help
        case ":goto", ":g", ":go":
            return rest.isEmpty ? .usage(command: ":goto") : .goto(node: rest)
        case ":match", ":m":
            let reply = unquoted(rest)
            return reply.isEmpty ? .usage(command: ":match") : .match(reply: reply)
        default:
            let typed = String(parts[0]).lowercased()
            return .unknown(command: typed, suggestion: CommandSuggestion.suggest(typed, among: commands))
        }
    }

    /// The reply without one pair of surrounding quotes: "…", '…', «…», “…” or „…“.
    static func unquoted(_ text: String) -> String {
        let pairs: [(Character, Character)] = [("\"", "\""), ("'", "'"), ("«", "»"), ("“", "”"), ("„", "“"), ("„", "”")]
        for (open, close) in pairs where text.count >= 2 && text.first == open && text.last == close {
            return String(text.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
        }
        return text
    }
}

/// Carries out debug commands over a session's engine and shows their results. It never plays a
/// turn: `:match` reads on a copy of the engine, and `:goto` moves it without a turn.
struct DebugConsole {
    let scenario: Scenario
    let strings: UIStrings
    let out: TerminalOutput
    let scoring: ScoringPipeline
    /// The sentence-embedding model for `:match` (nil: rules only).
    let model: String?

    /// What a command did to the conversation.
    enum Effect: Equatable {
        /// Only shown something.
        case shown
        /// Moved the conversation (`:goto`); the events are the node's arrival.
        case moved([EngineEvent])
    }

    func run(_ command: DebugCommand, engine: inout Engine) -> Effect {
        switch command {
        case .whereAmI:
            showWhere(engine.state)
        case .vars:
            showVars(engine.state, card: scoring.score(engine.transcript, scenario: scenario))
        case .help:
            showHelp()
        case .usage(let command):
            out.wrapped(strings.debugUsage(command), style: .yellow)
        case .unknown(let command, let suggestion):
            out.wrapped(strings.debugUnknownCommand(command, suggestion: suggestion), style: .yellow)
        case .match(let reply):
            guard let explanation = engine.explain(reply) else {
                out.wrapped(strings.debugOver, style: .yellow)
                return .shown
            }
            let view = ReplyExplanationView(scenario: scenario, explanation: explanation, model: model, strings: strings)
            for line in view.lines(explain: true, width: out.width, header: false, hint: false) { out.line(line) }
        case .goto(let typed):
            switch NodeLookup.resolve(typed, in: scenario) {
            case .unknown(let suggestions):
                out.wrapped(strings.unknownNode(typed, suggestions: suggestions, nodes: scenario.nodes.map(\.id)),
                            style: .yellow)
            case .found(let id):
                guard let events = engine.jump(to: id) else { return .shown }
                out.wrapped(strings.jumped(to: id), style: .dim)
                return .moved(events)
            }
        }
        return .shown
    }

    func showHelp() {
        out.line(strings.debugHelpTitle)
        let width = DebugCommandParser.commands.map(\.count).max() ?? 0
        for c in DebugCommandParser.commands {
            out.wrapped(DisplayWidth.pad(c, to: width) + "  " + strings.describe(debugCommand: c), indent: "  ")
        }
        out.wrapped(strings.debugHelpFooter, indent: "  ")
    }

    func showWhere(_ s: EngineState) {
        out.wrapped(strings.whereNode(s.nodeID, turn: s.turn))
        if let line = s.nodeLine { out.wrapped(strings.quoted(SessionView.shortQuote(line, width: 120)), indent: "  ", style: .dim) }
        var mood = strings.mood(s.mood, gender: scenario.persona.gender) + " · " + strings.strain(s.strain, patience: s.patience)
        if s.demandedManager { mood += " · " + strings.managerDemanded }
        out.wrapped(mood)
        out.wrapped(s.ending.map(strings.ending) ?? strings.stillOpen)
    }

    func showVars(_ s: EngineState, card: ScoreCard) {
        out.wrapped(strings.credited(s.credited))
        out.wrapped(strings.atThisNode(done: s.doneHere, pending: s.pendingHere))
        out.wrapped(strings.hintsUsed(s.hintsUsed))
        out.wrapped(strings.escalationState(s.escalation, s.escalations))
        out.wrapped(strings.closable(s.closable))
        out.wrapped(strings.path(s.path))
        let categories = card.categories.map { strings.category($0.category) + " \($0.score)" }
        out.wrapped(([strings.scoreSoFarTitle] + categories).joined(separator: " ") + " · "
                    + strings.totalNow(card.total, passMark: card.passMark))
    }
}
