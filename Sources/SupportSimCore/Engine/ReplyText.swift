import Foundation

/// Cleans a line the trainee typed before it becomes an input (scored, stored, shown).
///
/// Control characters carry no meaning in a reply and break things downstream: a NUL cuts the
/// text where C strings are used (SQLite's text binding), an escape sequence would be replayed
/// to a terminal. `clean` removes them with the same rules as `TerminalText.sanitize` (whole
/// escape sequences, C0/C1 controls including NUL, bidi overrides), turns tabs and line breaks
/// into spaces, and trims white space at both ends. A reply that is empty afterwards is no reply:
/// `CommandParser` treats it like an empty line.
public enum ReplyText {
    public static func clean(_ line: String) -> String {
        TerminalText.sanitize(line, keepNewlines: false).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
