#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSupportSimTerminal
import Foundation
import SupportSimCore

// Completion state for the C-callable completion functions below. Readline is single-threaded
// and only one ReadlineLineReader is active at a time.
nonisolated(unsafe) private var completionCommands: [String] = []
nonisolated(unsafe) private var completionWords: [String] = []
nonisolated(unsafe) private var completionEnabled = true
nonisolated(unsafe) private var completionMatches: [String] = []
nonisolated(unsafe) private var completionNext = 0
nonisolated(unsafe) private var completionAtLineStart = true
/// Words completed after a given first word (`:goto` → node ids), and the first word of the line now.
nonisolated(unsafe) private var completionArguments: [String: [String]] = [:]
nonisolated(unsafe) private var completionFirstWord = ""

/// Readline's generator: called with state 0 first, then until it returns NULL.
private func supportSimCompletionGenerator(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
    if state == 0 {
        completionNext = 0
        completionMatches = []
        let prefix = text.map { String(cString: $0) } ?? ""
        var candidates = completionWords
        if !completionAtLineStart, let words = completionArguments[completionFirstWord] {
            candidates = words
        } else if completionAtLineStart && (prefix.isEmpty || prefix.hasPrefix("/") || prefix.hasPrefix(":")) {
            candidates = completionCommands + completionWords
        }
        let lower = prefix.lowercased()
        completionMatches = candidates.filter { $0.lowercased().hasPrefix(lower) }
    }
    guard completionNext < completionMatches.count else { return nil }
    defer { completionNext += 1 }
    return strdup(completionMatches[completionNext])
}

/// Readline's attempted-completion function: our words only, never file names.
private func supportSimCompletion(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
{
    supportsim_set_completion_over(1)
    guard completionEnabled else { return nil }
    // Commands complete only as the first word of the line.
    completionAtLineStart = true
    completionFirstWord = ""
    if let line = supportsim_line_buffer(), start > 0 {
        let before = UnsafeRawBufferPointer(start: line, count: Int(start))
        completionAtLineStart = before.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        let words = String(decoding: before, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" })
        completionFirstWord = words.first.map { $0.lowercased() } ?? ""
    }
    return supportsim_completion_matches(text, supportSimCompletionGenerator)
}

/// Interactive input through GNU readline: line editing, history kept in a file, Tab completion
/// of `/commands` and knowledge-base ids, and terminal signals handled on readline's terms
/// (see CSupportSimTerminal): Ctrl-C returns `.interrupted` with the half-typed line discarded;
/// SIGTERM, SIGHUP and Ctrl-\ (SIGQUIT) return `.terminated(signal:)` with the terminal restored;
/// Ctrl-Z stops with the terminal restored and redraws the prompt and the line after `fg`;
/// a resized window re-wraps the line.
public final class ReadlineLineReader: LineReader {
    private let historyPath: String?

    /// - Parameters:
    ///   - historyPath: the history file; missing on the first run is fine, its folder is created.
    ///   - completions: words Tab completes besides the commands (knowledge-base ids).
    ///   - commands: the commands Tab completes at the start of a line.
    ///   - arguments: words Tab completes after a given first word (`:goto` → the node ids).
    public init(historyPath: String?, completions: [String],
                commands: [String] = CommandParser.commands, arguments: [String: [String]] = [:],
                applicationName: String = "supportsim") {
        self.historyPath = historyPath
        // Readline takes character handling from the locale; without this Cyrillic is garbled.
        setlocale(LC_ALL, "")
        supportsim_readline_setup(applicationName, supportSimCompletion)
        completionCommands = commands
        completionWords = completions
        completionArguments = arguments
        supportsim_history_start(1000)
        if let historyPath {
            let folder = (historyPath as NSString).deletingLastPathComponent
            if !folder.isEmpty {
                try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            // ENOENT on the first run is not an error; anything else just means no history.
            _ = supportsim_history_load(historyPath)
        }
    }

    /// Replaces the words Tab completes besides the commands.
    public func setCompletions(_ words: [String]) { completionWords = words }

    public func readLine(prompt: String) -> LineInput {
        read(prompt: prompt, remember: true)
    }

    public func readAnswer(prompt: String) -> LineInput {
        read(prompt: prompt, remember: false)
    }

    private func read(prompt: String, remember: Bool) -> LineInput {
        completionEnabled = remember
        defer { completionEnabled = true }
        var raw: UnsafeMutablePointer<CChar>?
        let result = supportsim_readline(prompt, &raw)
        defer { free(raw) }
        switch Int(result) {
        case Int(SUPPORTSIM_INPUT_INTERRUPTED):
            return .interrupted
        case Int(SUPPORTSIM_INPUT_TERMINATED):
            return .terminated(signal: supportsim_terminating_signal())
        default:
            break
        }
        guard let raw else { return .endOfInput }
        let bytes = UnsafeRawBufferPointer(start: raw, count: strlen(raw))
        guard let text = decodeUTF8(bytes) else { return .invalidEncoding }
        // Not empty; a repeat of the last line is skipped; the file is saved at once, so a killed
        // process keeps it.
        if remember, !text.allSatisfy(\.isWhitespace) { supportsim_history_add(raw, historyPath) }
        return .line(text)
    }
}
