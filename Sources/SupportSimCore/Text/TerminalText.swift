/// Makes untrusted text (scenario lines, replies, notes) safe to print on a terminal:
/// escape sequences and other control characters are removed, never echoed raw.
public enum TerminalText {
    /// Removes ANSI/VT escape sequences (CSI, OSC, DCS, single-character escapes) and C0/C1
    /// control characters except newline and tab. Tabs become spaces.
    public static func sanitize(_ text: String, keepNewlines: Bool = true) -> String {
        var out = String.UnicodeScalarView()
        var scalars = Array(text.unicodeScalars)[...]
        while let s = scalars.popFirst() {
            switch s.value {
            case 0x1B:  // ESC
                guard let next = scalars.first else { continue }
                switch next {
                case "[":  // CSI: parameters and intermediates, then a final byte 0x40–0x7E
                    scalars.removeFirst()
                    while let c = scalars.popFirst(), !(0x40...0x7E).contains(c.value) {}
                case "]", "P", "X", "^", "_":  // OSC, DCS, SOS, PM, APC: up to BEL or ST (ESC \)
                    scalars.removeFirst()
                    while let c = scalars.popFirst() {
                        if c.value == 0x07 { break }
                        if c.value == 0x1B, scalars.first == "\\" { scalars.removeFirst(); break }
                    }
                default:
                    scalars.removeFirst()
                }
            case 0x9B:  // C1 CSI
                while let c = scalars.popFirst(), !(0x40...0x7E).contains(c.value) {}
            case 0x0A:
                out.append(keepNewlines ? s : " ")
            case 0x09:
                out.append(" ")
            case 0x0D:
                continue
            case 0x00...0x1F, 0x7F, 0x80...0x9F:
                continue
            default:
                out.append(s)
            }
        }
        return String(out)
    }
}
