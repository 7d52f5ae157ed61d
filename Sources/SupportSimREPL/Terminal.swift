#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SupportSimCore

/// Where the session's output goes, how wide it may be, and whether it may use colour.
///
/// Every piece of scenario text, reply or note goes through `TerminalText.sanitize` before it is
/// written (`text(_:)`, `speaker(_:_:)`, `wrapped(_:)` do this), so escape sequences in a scenario
/// file or a pasted reply are never sent to the terminal raw.
public struct TerminalOutput {
    public enum Style: String, Sendable {
        case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", blue = "34", magenta = "35", cyan = "36"
    }

    public let color: Bool
    private let widthProvider: () -> Int
    private let sink: (String) -> Void

    /// - Parameters:
    ///   - width: the fixed width to wrap to (tests), or nil for the terminal's width, asked each time.
    ///   - color: whether ANSI colour may be written.
    ///   - write: receives everything written.
    public init(width: Int? = nil, color: Bool = false, write: @escaping (String) -> Void) {
        self.color = color
        if let width { self.widthProvider = { width } } else { self.widthProvider = { TerminalOutput.terminalWidth() } }
        self.sink = write
    }

    /// Standard output: colour only when it is a terminal and `NO_COLOR` is unset or empty
    /// (and `TERM` is not `dumb`); width from the terminal, 80 when unknown.
    public static func standardOutput(environment: [String: String] = ProcessInfo.processInfo.environment) -> TerminalOutput {
        TerminalOutput(width: nil, color: colorAllowed(isTerminal: isatty(STDOUT_FILENO) != 0, environment: environment),
                       write: writeToStandardOutput)
    }

    public static func colorAllowed(isTerminal: Bool, environment: [String: String]) -> Bool {
        guard isTerminal else { return false }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return true
    }

    /// The width of the terminal on standard output (TIOCGWINSZ), 80 when it is not a terminal.
    public static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// Writes all of `text` to standard output (unbuffered, retrying after signals).
    public static func writeToStandardOutput(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if n > 0 { bytes = bytes.dropFirst(n) } else if n < 0 && errno == EINTR { continue } else { return }
        }
    }

    public var width: Int { max(20, widthProvider()) }

    // MARK: Writing

    /// Writes text that is already safe (built by the program).
    public func raw(_ text: String) { sink(text) }

    /// Writes one line built by the program (no sanitising, no wrapping).
    public func line(_ text: String = "") { sink(text + "\n") }

    /// Wraps untrusted text to the width, with `indent` before every line.
    public func wrapped(_ text: String, indent: String = "", style: Style? = nil) {
        let lines = TextLayout.wrap(TerminalText.sanitize(text), width: width, first: indent, rest: indent)
        for l in lines { sink(paint(l, style) + "\n") }
    }

    /// A speaker line: "Name: text", continuation lines indented under the text.
    public func speaker(_ name: String, _ text: String, nameStyle: Style = .cyan) {
        let label = TerminalText.sanitize(name, keepNewlines: false) + ": "
        let hang = String(repeating: " ", count: DisplayWidth.of(label))
        let lines = TextLayout.wrap(TerminalText.sanitize(text), width: width, first: label, rest: hang)
        for (i, l) in lines.enumerated() {
            if i == 0, color {
                sink(paint(label, nameStyle) + String(l.dropFirst(label.count)) + "\n")
            } else {
                sink(l + "\n")
            }
        }
    }

    /// Applies a style when colour is on.
    public func paint(_ text: String, _ style: Style?) -> String {
        guard color, let style, !text.isEmpty else { return text }
        return "\u{1B}[\(style.rawValue)m" + text + "\u{1B}[0m"
    }
}

/// Word wrapping for terminal text (widths from `DisplayWidth`).
public enum TextLayout {
    /// Word-wraps text to `width` columns. The first line starts with `first`, the others with
    /// `rest`. Newlines in the text start new lines; words longer than a line are broken.
    public static func wrap(_ text: String, width: Int, first: String = "", rest: String = "") -> [String] {
        var lines: [String] = []
        var current = first
        var currentWidth = DisplayWidth.of(first)
        var lineHasWord = false
        let restWidth = DisplayWidth.of(rest)

        func newLine() {
            lines.append(current)
            current = rest; currentWidth = restWidth; lineHasWord = false
        }

        let paragraphs = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (p, paragraph) in paragraphs.enumerated() {
            if p > 0 { newLine() }
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                var word = Substring(word)
                let w = DisplayWidth.of(String(word))
                let needed = lineHasWord ? w + 1 : w
                if currentWidth + needed <= width {
                    if lineHasWord { current += " "; currentWidth += 1 }
                    current += word; currentWidth += w; lineHasWord = true
                    continue
                }
                if lineHasWord { newLine() }
                // Break a word that does not fit on a line of its own.
                while currentWidth + DisplayWidth.of(String(word)) > width {
                    var piece = "", pieceWidth = 0
                    for c in word {
                        let cw = DisplayWidth.of(c)
                        if currentWidth + pieceWidth + cw > width, !piece.isEmpty || lineHasWord { break }
                        piece.append(c); pieceWidth += cw
                        if currentWidth + pieceWidth >= width { break }
                    }
                    if piece.isEmpty { break }
                    current += piece; currentWidth += pieceWidth; lineHasWord = true
                    word = word.dropFirst(piece.count)
                    if word.isEmpty { break }
                    newLine()
                }
                if !word.isEmpty {
                    current += word; currentWidth += DisplayWidth.of(String(word)); lineHasWord = true
                }
            }
        }
        lines.append(current)
        return lines.map { l in
            var l = l
            while l.hasSuffix(" ") && l.count > 0 && DisplayWidth.of(l) > DisplayWidth.of(rest) { l.removeLast() }
            return l
        }
    }
}
