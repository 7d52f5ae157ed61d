import Foundation

/// Turns one line the trainee typed into an engine input or a session command.
public enum ParsedLine: Sendable, Equatable {
    case input(TraineeInput)
    case help
    case quit
    /// `/retry`: take back the last reply (practice mode).
    case retry
    /// `/close` with no resolution: the session asks for one.
    case closeWithoutResolution
    /// Nothing but white space.
    case empty
    /// A `/word` that is not a command.
    case unknownCommand(String)
    /// A known command used without what it needs (e.g. `/escalate` with no target).
    case usage(command: String)
}

public enum CommandParser {
    /// The commands in the order `/help` lists them.
    public static let commands = ["/escalate", "/refer", "/close", "/kb", "/hint", "/retry", "/help", "/quit"]

    /// - Parameter choiceCount: the number of numbered choices offered now; a bare number within
    ///   range is a choice, anything else is a reply.
    ///   The line is cleaned first (`ReplyText.clean`): control characters never reach an input,
    ///   and a line that is empty afterwards (e.g. only NULs) is `.empty`, not a turn.
    public static func parse(_ line: String, choiceCount: Int = 0) -> ParsedLine {
        let trimmed = ReplyText.clean(line)
        if trimmed.isEmpty { return .empty }
        if choiceCount > 0, let n = Int(trimmed), n >= 1, n <= choiceCount { return .input(.choice(n)) }
        guard trimmed.hasPrefix("/") else { return .input(.reply(trimmed)) }
        let parts = trimmed.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        // A command typed with a Cyrillic look-alike («/сlose») is still the command.
        let command = LookAlike.key(String(parts[0]))
        let typed = parts[0].lowercased()
        let rest = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch command {
        case "/escalate", "/esc":
            let words = rest.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard let target = words.first else { return .usage(command: "/escalate") }
            let note = words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : ""
            return .input(.escalate(target: String(target), note: note))
        case "/refer", "/ref":
            let words = rest.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard let target = words.first else { return .usage(command: "/refer") }
            let note = words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : ""
            return .input(.refer(target: String(target), note: note))
        case "/close": return rest.isEmpty ? .closeWithoutResolution : .input(.close(resolution: rest))
        case "/retry": return .retry
        case "/kb": return .input(.kb(query: rest))
        case "/hint": return .input(.hint)
        case "/help", "/?": return .help
        case "/quit", "/exit": return .quit
        default: return .unknownCommand(typed)
        }
    }
}
