#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSupportSimTerminal
import Foundation
import SupportSimCore

/// What one attempt to read a line produced.
public enum LineInput: Sendable, Equatable {
    /// A line, without its line terminator.
    case line(String)
    /// Ctrl-D on an empty line, end of a pipe, or the terminal went away.
    case endOfInput
    /// Ctrl-C while reading; whatever was typed on the line is discarded.
    case interrupted
    /// The bytes read were not valid UTF-8.
    case invalidEncoding
    /// A signal ended the session (SIGTERM, SIGHUP, SIGQUIT; SIGINT when reading from a pipe):
    /// like end of input, with the terminal already restored; the caller exits with 128 + signal.
    case terminated(signal: Int32)
}

/// A source of input lines for the session loop.
public protocol LineReader {
    /// Reads one line of the conversation (kept in history, with completion where supported).
    mutating func readLine(prompt: String) -> LineInput
    /// Reads a short answer to a question such as "Quit? [y/N]" (not kept in history).
    mutating func readAnswer(prompt: String) -> LineInput
}

extension LineReader {
    public mutating func readAnswer(prompt: String) -> LineInput { readLine(prompt: prompt) }
}

/// Decodes bytes as strict UTF-8; nil when they are not valid.
func decodeUTF8<C: Collection>(_ bytes: C) -> String? where C.Element == UInt8 {
    String(validating: bytes, as: UTF8.self)
}

// MARK: - Scripted

/// Plays back a fixed list of inputs (for tests); after the last one it reports `.endOfInput`.
/// It can echo "prompt + line" to an output so a captured session reads like a terminal.
public final class ScriptedLineReader: LineReader {
    public private(set) var remaining: [LineInput]
    /// Every prompt asked for, in order.
    public private(set) var prompts: [String] = []
    private let echo: ((String) -> Void)?

    public init(_ inputs: [LineInput], echo: ((String) -> Void)? = nil) {
        self.remaining = inputs
        self.echo = echo
    }

    public convenience init(lines: [String], echo: ((String) -> Void)? = nil) {
        self.init(lines.map(LineInput.line), echo: echo)
    }

    public func readLine(prompt: String) -> LineInput {
        prompts.append(prompt)
        let next = remaining.isEmpty ? LineInput.endOfInput : remaining.removeFirst()
        if let echo {
            switch next {
            case .line(let text): echo(prompt + TerminalText.sanitize(text, keepNewlines: false) + "\n")
            case .interrupted: echo(prompt + "^C\n")
            case .endOfInput, .terminated: echo(prompt + "\n")
            case .invalidEncoding: echo(prompt + "\u{FFFD}\n")
            }
        }
        return next
    }
}

// MARK: - Plain (not a terminal)

/// Reads lines from a file descriptor that is not a terminal (a pipe or a file): raw bytes up to
/// a newline, strictly validated as UTF-8. No line editing, no completion, no prompt before
/// reading; with `echo` set, the prompt and the line are written after the line is read, so a
/// log of the session shows what was answered.
///
/// Once `TerminalSignals.install()` has run, a SIGTERM, SIGHUP or SIGQUIT (or a Ctrl-C, which
/// has no question to answer here) ends reading with `.terminated(signal:)`, also while waiting
/// for a line that does not come.
public final class PlainLineReader: LineReader {
    private let fd: Int32
    private let echo: ((String) -> Void)?
    private var finished = false
    private var stoppedBy: Int32?
    /// Bytes read but not yet returned: `buffer[start...]`.
    private var buffer: [UInt8] = []
    private var start = 0

    /// - Parameters:
    ///   - fileDescriptor: read from a duplicate of this descriptor (standard input by default).
    ///   - echo: where to write "prompt + line" after each line, or nil for nothing.
    public init(fileDescriptor: Int32 = STDIN_FILENO, echo: ((String) -> Void)? = nil) {
        self.fd = dup(fileDescriptor)
        self.echo = echo
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    public func readLine(prompt: String) -> LineInput {
        if let stoppedBy { return .terminated(signal: stoppedBy) }
        guard fd >= 0, !finished else { return .endOfInput }
        let line: ArraySlice<UInt8>
        switch nextLine() {
        case .line(let bytes): line = bytes
        case .end:
            finished = true
            return .endOfInput
        case .signal(let signal):
            stoppedBy = signal
            return .terminated(signal: signal)
        }
        var bytes = line
        if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
        guard let text = decodeUTF8(bytes) else {
            echo?(prompt + "\u{FFFD}\n")
            return .invalidEncoding
        }
        // The echo is output: escape sequences in the line are never written raw.
        echo?(prompt + TerminalText.sanitize(text, keepNewlines: false) + "\n")
        return .line(text)
    }

    private enum Next { case line(ArraySlice<UInt8>), end, signal(Int32) }

    /// The next line without its newline (the last line may have none), the end of input, or
    /// the signal that stopped reading.
    private func nextLine() -> Next {
        var scanned = start
        while true {
            switch Int(supportsim_take_signal_request()) {
            case Int(SUPPORTSIM_INPUT_TERMINATED): return .signal(supportsim_terminating_signal())
            case Int(SUPPORTSIM_INPUT_INTERRUPTED): return .signal(SIGINT)
            default: break
            }
            if let newline = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[start..<newline]
                start = newline + 1
                return .line(line)
            }
            scanned = buffer.count
            switch Int(supportsim_wait_for_input(fd)) {
            case Int(SUPPORTSIM_INPUT_TERMINATED): return .signal(supportsim_terminating_signal())
            case Int(SUPPORTSIM_INPUT_INTERRUPTED): return .signal(SIGINT)
            default: break
            }
            // Keep only the unreturned bytes before reading more.
            if start > 0 {
                buffer.removeFirst(start)
                scanned -= start
                start = 0
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[..<count])
            } else if count < 0, errno == EINTR || errno == EAGAIN {
                continue
            } else {
                // End of input (or an error reading it): what is left is the last line.
                guard start < buffer.count else { return .end }
                let line = buffer[start...]
                start = buffer.count
                return .line(line)
            }
        }
    }
}

// MARK: - Choosing a reader

public enum LineReaderFactory {
    /// GNU readline when standard input is a terminal, plain reading otherwise; either way the
    /// terminal signal handlers are installed (`TerminalSignals.install()`).
    /// - Parameters:
    ///   - historyPath: where readline keeps history between sessions (nil: no history file).
    ///   - completions: words Tab completes besides the `/commands` (knowledge-base ids).
    ///   - echo: for plain reading, where to echo "prompt + line" (standard output by default).
    ///   - debugNodes: in a debug session, the node ids: Tab then completes the `:` commands too,
    ///     and node ids after `:goto`.
    public static func make(
        historyPath: String?, completions: [String],
        echo: ((String) -> Void)? = { TerminalOutput.writeToStandardOutput($0) },
        debugNodes: [String]? = nil
    ) -> any LineReader {
        TerminalSignals.install()
        if isatty(STDIN_FILENO) != 0 {
            if let debugNodes {
                return ReadlineLineReader(historyPath: historyPath, completions: completions,
                                          commands: CommandParser.commands + DebugCommandParser.commands,
                                          arguments: [":goto": debugNodes, ":g": debugNodes, ":go": debugNodes])
            }
            return ReadlineLineReader(historyPath: historyPath, completions: completions)
        }
        return PlainLineReader(echo: echo)
    }

    /// The folder for the program's data: `$XDG_DATA_HOME/supportsim` when that variable is an
    /// absolute path (the XDG rule), else `~/.local/share/supportsim`; nil with neither.
    /// The one policy for data locations (the attempts database and the history files).
    public static func dataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty, data.hasPrefix("/") {
            return data + "/supportsim"
        }
        if let home = environment["HOME"], !home.isEmpty {
            return home + "/.local/share/supportsim"
        }
        return nil
    }

    /// The environment variable that turns on per-scenario history, like `--history-per-scenario`.
    public static let perScenarioVariable = "SUPPORTSIM_HISTORY_PER_SCENARIO"

    /// Where readline keeps the up-arrow history: one file per interface language,
    /// `<data>/history-<lang>`, and with `perScenario` (or `SUPPORTSIM_HISTORY_PER_SCENARIO` set
    /// to 1, true or yes) one per scenario too, `<data>/history-<lang>-<scenario id>`; characters
    /// other than letters, digits, `.`, `_` and `-` in the id become `_`.
    public static func defaultHistoryPath(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        language: Language, scenarioID: String, perScenario: Bool = false
    ) -> String? {
        guard let directory = dataDirectory(environment: environment) else { return nil }
        let flag = (environment[perScenarioVariable] ?? "").lowercased()
        var name = "history-" + language.rawValue
        if perScenario || ["1", "true", "yes"].contains(flag) {
            let safe = String(scenarioID.unicodeScalars.map { s -> Character in
                s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || "._-".unicodeScalars.contains(s))
                    ? Character(s) : "_"
            })
            name += "-" + (safe.isEmpty ? "_" : safe)
        }
        return directory + "/" + name
    }
}
