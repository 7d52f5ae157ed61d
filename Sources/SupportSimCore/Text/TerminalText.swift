/// Makes untrusted text (scenario lines, replies, notes, names, file paths) safe to print on a
/// terminal: escape sequences and other control characters are removed, never echoed raw.
///
/// This is the one sanitiser every writer uses (the session screen, the piped echo, `lint`,
/// `score`, the report table and CSV); JSON output keeps the data and escapes the same
/// characters instead (`jsonEscapingControls`).
///
/// What is removed:
/// - 7-bit escape sequences: CSI (`ESC [` … final byte), the string sequences OSC (`ESC ]`),
///   DCS (`ESC P`), SOS (`ESC X`), PM (`ESC ^`) and APC (`ESC _`) up to their terminator,
///   `ESC` + intermediates (0x20–0x2F) + a final byte (e.g. `ESC ( B`), and `ESC` + one byte.
/// - 8-bit (C1) forms: 0x9B CSI, and the string introducers 0x90 DCS, 0x9D OSC, 0x98 SOS,
///   0x9E PM and 0x9F APC up to their terminator.
/// - A string sequence ends at BEL, at ST (`ESC \` or 0x9C), or at CAN/SUB; another `ESC` ends it
///   and starts a new sequence. An unterminated sequence runs to the end of the text, as on a
///   terminal, so its parameters (e.g. a hyperlink target) never show up as text.
/// - Every other C0 and C1 control character and DEL. Tabs become spaces, CR is dropped, and a
///   newline stays (or becomes a space with `keepNewlines: false`).
/// - Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069).
///   They are removed rather than balanced: they can reorder what is displayed so that the text
///   on screen differs from the text scored ("Trojan Source"), and the simulator's languages
///   (English, Russian) never need them. Ordinary right-to-left letters are kept.
public enum TerminalText {
    public static func sanitize(_ text: String, keepNewlines: Bool = true) -> String {
        // Fast path: nothing to remove (the usual case for scenario text and replies).
        if !text.unicodeScalars.contains(where: isNeutralised) { return text }
        var out = String.UnicodeScalarView()
        var scalars = Array(text.unicodeScalars)[...]
        while let s = scalars.popFirst() {
            switch s.value {
            case 0x1B:  // ESC
                skipEscape(&scalars)
            case 0x9B:  // C1 CSI
                skipControlSequence(&scalars)
            case 0x90, 0x98, 0x9D, 0x9E, 0x9F:  // C1 DCS, SOS, OSC, PM, APC
                skipString(&scalars)
            case 0x0A:
                out.append(keepNewlines ? s : " ")
            case 0x09:
                out.append(" ")
            case 0x00...0x1F, 0x7F, 0x80...0x9F:
                continue
            case 0x202A...0x202E, 0x2066...0x2069:
                continue
            default:
                out.append(s)
            }
        }
        return String(out)
    }

    /// True for the scalars `sanitize` changes or removes (controls, DEL, C1, bidi controls);
    /// tests use it to check that output is inert.
    @inline(__always)
    public static func isNeutralised(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// After an ESC: removes the rest of the sequence it starts.
    private static func skipEscape(_ scalars: inout ArraySlice<Unicode.Scalar>) {
        guard let next = scalars.first else { return }
        switch next.value {
        case 0x5B:  // "[": CSI
            scalars.removeFirst()
            skipControlSequence(&scalars)
        case 0x5D, 0x50, 0x58, 0x5E, 0x5F:  // "]" OSC, "P" DCS, "X" SOS, "^" PM, "_" APC
            scalars.removeFirst()
            skipString(&scalars)
        case 0x20...0x2F:  // intermediates, then one final byte (e.g. "ESC ( B", "ESC # 8")
            while let c = scalars.first, (0x20...0x2F).contains(c.value) { scalars.removeFirst() }
            if let c = scalars.first, (0x30...0x7E).contains(c.value) { scalars.removeFirst() }
        case 0x30...0x7E:  // a two-character escape (e.g. "ESC c" reset, "ESC 7")
            scalars.removeFirst()
        default:
            // A control character or non-ASCII text after ESC: only the ESC goes; the next
            // scalar is handled on its own (it may start a sequence itself).
            break
        }
    }

    /// After a CSI introducer: parameters (0x30–0x3F) and intermediates (0x20–0x2F), then a final
    /// byte (0x40–0x7E). Anything else (a control, non-ASCII text) ends the sequence and is kept
    /// for normal handling, so a broken sequence cannot swallow the text after it.
    private static func skipControlSequence(_ scalars: inout ArraySlice<Unicode.Scalar>) {
        while let c = scalars.first {
            switch c.value {
            case 0x20...0x3F: scalars.removeFirst()
            case 0x40...0x7E: scalars.removeFirst(); return
            default: return
            }
        }
    }

    /// After a string introducer (OSC, DCS, SOS, PM, APC): everything up to BEL or ST (`ESC \`,
    /// 0x9C); CAN and SUB cancel it; another ESC ends it and is handled as a new sequence;
    /// with no terminator the string runs to the end of the text.
    private static func skipString(_ scalars: inout ArraySlice<Unicode.Scalar>) {
        while let c = scalars.first {
            switch c.value {
            case 0x07, 0x9C, 0x18, 0x1A:
                scalars.removeFirst(); return
            case 0x1B:
                scalars.removeFirst()
                if scalars.first == "\\" { scalars.removeFirst(); return }
                skipEscape(&scalars)
                return
            default:
                scalars.removeFirst()
            }
        }
    }

    /// Escapes, in JSON text produced by an encoder, the characters that encoders leave raw but
    /// a terminal would act on: DEL, C1 controls (0x80–0x9F) and the bidi controls `sanitize`
    /// removes, each as `\u00XX` / `\uXXXX`. C0 controls are already escaped by the encoders;
    /// any left raw are escaped too. These characters can only occur inside JSON strings, so the
    /// result is the same JSON value, with the data kept intact.
    public static func jsonEscapingControls(_ json: String) -> String {
        // JSON white space (tab, LF, CR) outside strings is structure; inside strings encoders
        // have already escaped it.
        func escapes(_ s: Unicode.Scalar) -> Bool { s.value != 0x09 && s.value != 0x0A && s.value != 0x0D && isNeutralised(s) }
        if !json.unicodeScalars.contains(where: escapes) { return json }
        var out = String.UnicodeScalarView()
        for s in json.unicodeScalars {
            if escapes(s) {
                let hex = String(s.value, radix: 16, uppercase: false)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }
}
