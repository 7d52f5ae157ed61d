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
        // Messages and hints quote the user's values (e.g. a `next:` target): sanitised here, at output.
        let file = TerminalText.sanitize(file, keepNewlines: false)
        var out = "\(file):\(location.line):\(location.column): \(severity.rawValue): "
            + "\(TerminalText.sanitize(message, keepNewlines: false)) [\(code)]"
        if let source {
            let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
            if location.line >= 1, location.line <= lines.count {
                let text = String(lines[location.line - 1]).replacingOccurrences(of: "\r", with: "")
                out += "\n    " + TerminalText.sanitize(text)
                out += "\n    " + String(repeating: " ", count: max(0, location.column - 1)) + "^"
            }
        }
        if let hint { out += "\n    hint: \(TerminalText.sanitize(hint, keepNewlines: false))" }
        return out
    }
}
