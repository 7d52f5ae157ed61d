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

    /// Untrusted items on as few lines as fit, broken between items, never inside a word that fits
    /// on a line (see `TextLayout.wrapItems`).
    public func wrappedItems(_ items: [String], indent: String = "", style: Style? = nil) {
        let clean = items.map { TerminalText.sanitize($0, keepNewlines: false) }
        for l in TextLayout.wrapItems(clean, width: width, first: indent, rest: indent) { sink(paint(l, style) + "\n") }
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

/// Word wrapping for terminal text (widths from `DisplayWidth`, so Cyrillic is one column and
/// wide characters two). Lines break at spaces only; a word is broken only when it is longer
/// than a whole line. Non-breaking spaces (U+00A0) do not break.
public enum TextLayout {
    /// Word-wraps text to `width` columns. The first line starts with `first`, the others with
    /// `rest` (a hanging indent). Newlines in the text start new lines.
    public static func wrap(_ text: String, width: Int, first: String = "", rest: String = "") -> [String] {
        var layout = Builder(width: width, first: first, rest: rest)
        for (p, paragraph) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if p > 0 { layout.newLine() }
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                layout.place(word)
            }
        }
        return layout.finish()
    }

    /// Lays out separate items (e.g. "✓ Greeting", "✓ Empathy") on as few lines as fit, `separator`
    /// between items on a line. A line breaks between items; an item moves whole to the next line
    /// when it fits there, and only an item longer than a line is wrapped at its own spaces, its
    /// continuation lines hanging under its text (after a short marker such as "✓").
    public static func wrapItems(_ items: [String], width: Int, first: String = "", rest: String = "",
                                 separator: String = "  ") -> [String] {
        var layout = Builder(width: width, first: first, rest: rest)
        for item in items {
            let words = item.split(separator: " ", omittingEmptySubsequences: true)
            guard !words.isEmpty else { continue }
            let whole = words.joined(separator: " ")
            let w = DisplayWidth.of(whole)
            if layout.fits(w, joiner: separator) { layout.append(whole, width: w, joiner: separator); continue }
            if layout.hasContent { layout.newLine() }
            if layout.fits(w, joiner: separator) { layout.append(whole, width: w, joiner: separator); continue }
            // Continuation lines of this item hang under the text after its first word (the marker).
            let marker = DisplayWidth.of(String(words[0])) + 1
            let saved = layout.rest
            if words.count > 1, marker <= width / 3 { layout.rest = saved + String(repeating: " ", count: marker) }
            for word in words { layout.place(word) }
            layout.rest = saved
        }
        return layout.finish()
    }

    private struct Builder {
        let width: Int
        var rest: String { didSet { restWidth = DisplayWidth.of(rest) } }
        var restWidth: Int
        var lines: [String] = []
        var current: String
        var currentWidth: Int
        var hasContent = false

        init(width: Int, first: String, rest: String) {
            self.width = width; self.rest = rest; self.restWidth = DisplayWidth.of(rest)
            self.current = first; self.currentWidth = DisplayWidth.of(first)
        }

        mutating func newLine() {
            lines.append(current)
            current = rest; currentWidth = restWidth; hasContent = false
        }

        func fits(_ w: Int, joiner: String) -> Bool {
            currentWidth + (hasContent ? DisplayWidth.of(joiner) : 0) + w <= width
        }

        mutating func append(_ text: String, width w: Int, joiner: String) {
            if hasContent { current += joiner; currentWidth += DisplayWidth.of(joiner) }
            current += text; currentWidth += w; hasContent = true
        }

        /// One word: on this line when it fits, else on the next; broken only when it is longer
        /// than a line.
        mutating func place(_ word: Substring) {
            let w = DisplayWidth.of(String(word))
            if fits(w, joiner: " ") { append(String(word), width: w, joiner: " "); return }
            // Move to a fresh line: after other words, or when a wide first-line label leaves less
            // room than a continuation line has.
            if hasContent || (currentWidth > restWidth && restWidth + w <= width) { newLine() }
            if fits(w, joiner: " ") { append(String(word), width: w, joiner: " "); return }
            // Longer than a line: fill lines with pieces (at least one character each).
            var remaining = word
            while !remaining.isEmpty {
                let room = width - currentWidth - (hasContent ? 1 : 0)
                var piece = "", pieceWidth = 0
                for c in remaining {
                    let cw = DisplayWidth.of(c)
                    if pieceWidth + cw > room, !piece.isEmpty { break }
                    piece.append(c); pieceWidth += cw
                }
                append(piece, width: pieceWidth, joiner: " ")
                remaining = remaining.dropFirst(piece.count)
                if !remaining.isEmpty { newLine() }
            }
        }

        mutating func finish() -> [String] {
            lines.append(current)
            // A label with no text after it ("Olga: ") loses its trailing space; indents stay.
            return lines.map { l in
                var l = l
                while l.hasSuffix(" "), DisplayWidth.of(l) > restWidth { l.removeLast() }
                return l
            }
        }
    }
}
