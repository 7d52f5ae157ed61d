#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CReadline
import Foundation
import SupportSimCore

// Every call into the C shim (CReadline/shim.h) is made from THIS file: the shim's static
// state (the Ctrl-C and hang-up flags) exists once per translation unit that uses it.

// Completion state for the C-callable completion functions below. Readline is single-threaded
// and only one ReadlineLineReader is active at a time.
nonisolated(unsafe) private var completionCommands: [String] = []
nonisolated(unsafe) private var completionWords: [String] = []
nonisolated(unsafe) private var completionEnabled = true
nonisolated(unsafe) private var completionMatches: [String] = []
nonisolated(unsafe) private var completionNext = 0
nonisolated(unsafe) private var completionAtLineStart = true

/// Readline's generator: called with state 0 first, then until it returns NULL.
private func supportSimCompletionGenerator(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
    if state == 0 {
        completionNext = 0
        completionMatches = []
        let prefix = text.map { String(cString: $0) } ?? ""
        var candidates = completionWords
        if completionAtLineStart && (prefix.isEmpty || prefix.hasPrefix("/")) {
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
    if let line = supportsim_line_buffer(), start > 0 {
        let before = UnsafeRawBufferPointer(start: line, count: Int(start))
        completionAtLineStart = before.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }
    return rl_completion_matches(text, supportSimCompletionGenerator)
}

/// Interactive input through GNU readline: line editing, history kept in a file, Tab completion
/// of `/commands` and knowledge-base ids, and Ctrl-C that returns `.interrupted` instead of
/// ending the process.
public final class ReadlineLineReader: LineReader {
    private let historyPath: String?
    /// Set after Ctrl-C arrived outside `readLine`; reported by the next read.
    public private(set) var interruptCount = 0

    /// - Parameters:
    ///   - historyPath: the history file; missing on the first run is fine, its folder is created.
    ///   - completions: words Tab completes besides the commands (knowledge-base ids).
    ///   - commands: the commands Tab completes at the start of a line.
    public init(historyPath: String?, completions: [String],
                commands: [String] = CommandParser.commands, applicationName: String = "supportsim") {
        self.historyPath = historyPath
        // Readline takes character handling from the locale; without this Cyrillic is garbled.
        setlocale(LC_ALL, "")
        supportsim_set_readline_name(applicationName)
        supportsim_use_getc()
        supportsim_set_completion(supportSimCompletion)
        _ = supportsim_install_signal_handlers()
        completionCommands = commands
        completionWords = completions
        using_history()
        stifle_history(1000)
        if let historyPath {
            let folder = (historyPath as NSString).deletingLastPathComponent
            if !folder.isEmpty {
                try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            // ENOENT on the first run is not an error; anything else just means no history.
            _ = read_history(historyPath)
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
        if supportsim_hung_up() != 0 { return .endOfInput }
        completionEnabled = remember
        defer { completionEnabled = true }
        let raw = readline(prompt)
        defer { free(raw) }
        if supportsim_take_interrupt() != 0 {
            interruptCount += 1
            return .interrupted
        }
        guard let raw, supportsim_hung_up() == 0 else { return .endOfInput }
        let length = strlen(raw)
        let bytes = UnsafeRawBufferPointer(start: raw, count: length)
        guard let text = decodeUTF8(bytes) else { return .invalidEncoding }
        if remember { addToHistory(line: raw, text: text) }
        return .line(text)
    }

    /// Adds a line to the history (not empty, not a repeat of the last one) and saves the file
    /// at once, so a killed process keeps it.
    private func addToHistory(line raw: UnsafePointer<CChar>, text: String) {
        guard !text.allSatisfy(\.isWhitespace) else { return }
        if let last = supportsim_last_history_line(), strcmp(last, raw) == 0 { return }
        add_history(raw)
        if let historyPath { _ = write_history(historyPath) }
    }

    /// For tests: behaves as if Ctrl-C had been pressed.
    static func simulateInterrupt() { supportsim_raise_interrupt_flag() }
}
