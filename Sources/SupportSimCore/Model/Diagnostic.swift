/// A position in a source file, 1-based.
public struct SourceLocation: Sendable, Equatable, Hashable, Comparable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) { self.line = line; self.column = column }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// A problem found in a user's file. Mistakes are values, never crashes.
public struct Diagnostic: Sendable, Equatable {
    public enum Severity: String, Sendable, Equatable, Codable { case error, warning, note }

    public var severity: Severity
    /// A stable code, e.g. "SS001"; documented in docs/scenario-format.md.
    public var code: String
    public var message: String
    public var location: SourceLocation
    /// What to do about it.
    public var hint: String?

    public init(_ severity: Severity, code: String, _ message: String, at location: SourceLocation, hint: String? = nil) {
        self.severity = severity; self.code = code; self.message = message; self.location = location; self.hint = hint
    }

    /// `file:line:col: error: message [code]`, then the source line and a caret, then the hint.
    public func rendered(file: String, source: String?) -> String {
        rendered(file: file, lines: source.map(SourceLines.init))
    }

    /// The same, with the file's lines indexed once: rendering many diagnostics of one file
    /// costs time linear in their number (plus the file's length once).
    public func rendered(file: String, lines: SourceLines?) -> String {
        // Messages and hints quote the user's values (e.g. a `next:` target): sanitised here, at output.
        let file = TerminalText.sanitize(file, keepNewlines: false)
        var out = "\(file):\(location.line):\(location.column): \(severity.rawValue): "
            + "\(TerminalText.sanitize(message, keepNewlines: false)) [\(code)]"
        if let lines, let (text, caret) = lines.excerpt(line: location.line, column: location.column) {
            out += "\n    " + TerminalText.sanitize(text)
            out += "\n    " + String(repeating: " ", count: caret) + "^"
        }
        if let hint { out += "\n    hint: \(TerminalText.sanitize(hint, keepNewlines: false))" }
        return out
    }
}

/// A source text with the start of every line found once, for showing the line of a diagnostic.
public struct SourceLines: Sendable {
    /// Lines wider than this are shown as a window of this many Unicode scalars around the column.
    public static let excerptWidth = 120

    private let scalars: [Unicode.Scalar]
    /// Index in `scalars` where each line starts (line 1 at index 0).
    private let starts: [Int]

    public init(_ source: String) {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(source.utf8.count)
        var starts = [0]
        for scalar in source.unicodeScalars {
            scalars.append(scalar)
            if scalar == "\n" { starts.append(scalars.count) }
        }
        self.scalars = scalars
        self.starts = starts
    }

    public var count: Int { starts.count }

    /// The line's text (without its line break and carriage returns), clipped around `column`
    /// when it is wide, and the caret's offset within it; nil when there is no such line.
    public func excerpt(line: Int, column: Int) -> (text: String, caret: Int)? {
        guard line >= 1, line <= starts.count else { return nil }
        let start = starts[line - 1]
        var end = line < starts.count ? starts[line] - 1 : scalars.count
        if end > start, scalars[end - 1] == "\r" { end -= 1 }
        let length = end - start
        let col = max(0, column - 1)
        var from = 0, to = length
        if length > Self.excerptWidth {
            from = max(0, min(col - Self.excerptWidth / 2, length - Self.excerptWidth))
            to = from + Self.excerptWidth
        }
        var text = String.UnicodeScalarView()
        if from > 0 { text.append("…") }
        for scalar in scalars[(start + from)..<(start + to)] where scalar != "\r" { text.append(scalar) }
        if to < length { text.append("…") }
        return (String(text), col - from + (from > 0 ? 1 : 0))
    }
}
