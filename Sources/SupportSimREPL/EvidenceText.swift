import SupportSimCore

/// How one line of score evidence reads in the debrief, shared by the end-of-session debrief and
/// `supportsim show` so that a lost point is explained in the same words everywhere.
public enum EvidenceText {
    /// "turn 3: "quote" — message (−16: 15 of 92 scenario points)", sanitised for the terminal.
    public static func deductionLine(_ d: Evidence, strings: UIStrings) -> String {
        var parts = ""
        if let turn = d.turn { parts += strings.turn(turn) + ": " }
        if let q = d.quote, !q.isEmpty { parts += strings.quoted(shortQuote(q)) + " — " }
        parts += TerminalText.sanitize(d.message, keepNewlines: false)
        if let scale = d.scale, scale.written != d.points {
            parts += " (" + strings.scaledPoints(shown: d.points, written: scale.written, possible: scale.possible) + ")"
        } else {
            parts += " (−\(d.points))"
        }
        return parts
    }

    /// A quote on one line, cut to `width` columns.
    public static func shortQuote(_ text: String, width: Int = 60) -> String {
        SessionView.shortQuote(text, width: width)
    }
}
