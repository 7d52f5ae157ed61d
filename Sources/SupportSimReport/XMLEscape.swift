/// Escapes text for XML 1.0 element content and double-quoted attribute values.
///
/// Characters XML 1.0 cannot hold at all (C0 controls other than tab, line feed and carriage
/// return; U+FFFE and U+FFFF) are written as the visible text `\u001B`, so that nothing is lost
/// and the document stays well-formed. In attributes, tab, line feed and carriage return become
/// character references so that parsers keep them.
public enum XMLEscape {
    public static func text(_ s: String) -> String { escape(s, attribute: false) }
    public static func attribute(_ s: String) -> String { escape(s, attribute: true) }

    /// Whether XML 1.0 allows the scalar in a document (as itself or as a character reference).
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    private static func escape(_ s: String, attribute: Bool) -> String {
        // Work on scalars: a combining mark after "<" would otherwise hide it inside one Character.
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"" where attribute: out.append(contentsOf: "&quot;".unicodeScalars)
            case "'" where attribute: out.append(contentsOf: "&apos;".unicodeScalars)
            case "\n" where attribute: out.append(contentsOf: "&#10;".unicodeScalars)
            case "\r": out.append(contentsOf: "&#13;".unicodeScalars)
            case "\t" where attribute: out.append(contentsOf: "&#9;".unicodeScalars)
            default:
                if isAllowed(scalar) {
                    // C1 controls are allowed but invisible: keep them as references.
                    if (0x7F...0x9F).contains(scalar.value) {
                        out.append(contentsOf: "&#x\(String(scalar.value, radix: 16, uppercase: true));".unicodeScalars)
                    } else {
                        out.append(scalar)
                    }
                } else {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out.append(contentsOf: ("\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex).unicodeScalars)
                }
            }
        }
        return String(out)
    }
}
