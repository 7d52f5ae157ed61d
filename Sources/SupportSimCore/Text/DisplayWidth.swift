/// How many terminal columns text takes: most characters (Latin, Cyrillic) one, East Asian wide
/// characters and emoji two, combining marks and other invisible characters none.
public enum DisplayWidth {
    public static func of(_ text: String) -> Int {
        // Printable ASCII (most ids and many titles): one column a byte, no Unicode lookups.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        // Fast path for mixed text: printable ASCII bytes, Cyrillic letters and a few common
        // one-column signs (—, …, ±, «, ») are one column each, with no grapheme or property lookup.
        // Two such scalars never join into one character, so only where the run stops (a combining
        // mark, an emoji, a wide character) are the characters from the last simple one on measured.
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        var width = 0
        while index != scalars.endIndex, isSimple(scalars[index].value) {
            width += 1
            scalars.formIndex(after: &index)
        }
        if index == scalars.endIndex { return width }
        if index != scalars.startIndex {
            scalars.formIndex(before: &index)
            width -= 1
        }
        return width + text[index...].reduce(0) { $0 + of($1) }
    }

    /// A scalar that is one column on its own and never part of a longer character with the one before.
    @inline(__always)
    private static func isSimple(_ v: UInt32) -> Bool {
        if v < 0x7F { return v >= 0x20 }
        return (0x400..<0x483).contains(v) || (0x48A..<0x530).contains(v) || v == 0x2014 || v == 0x2026
            || v == 0xB1 || v == 0xAB || v == 0xBB
    }

    /// The width of one user-perceived character.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        var iterator = scalars.makeIterator()
        guard let first = iterator.next() else { return 0 }
        // A lone printable ASCII or Cyrillic letter (not a combining mark) is one column.
        if iterator.next() == nil, (0x20..<0x7F).contains(first.value) || (0x400..<0x483).contains(first.value)
            || (0x48A..<0x530).contains(first.value) { return 1 }
        if scalars.contains(where: { isWide($0) }) { return 2 }
        // An emoji made wide by a variation selector (e.g. "❤️").
        if first.properties.isEmoji, scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        if scalars.allSatisfy({ isZeroWidth($0) }) { return 0 }
        return 1
    }

    /// Cuts `text` to at most `maxWidth` columns, ending with "…" when something was removed.
    public static func truncate(_ text: String, to maxWidth: Int) -> String {
        guard of(text) > maxWidth else { return text }
        guard maxWidth > 0 else { return "" }
        // Printable ASCII: one column a byte.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return String(text.prefix(maxWidth - 1)) + "…" }
        var result = ""
        var width = 0
        for character in text {
            let w = of(character)
            if width + w > maxWidth - 1 { break }
            result.append(character)
            width += w
        }
        return result + "…"
    }

    /// `text` followed by spaces (or preceded, when `right` is true) up to `width` columns.
    public static func pad(_ text: String, to width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - of(text)))
        return right ? fill + text : text + fill
    }

    private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.properties.isEmojiPresentation { return true }
        switch scalar.value {
        case 0x1100...0x115F,  // Hangul Jamo initials
            0x2E80...0x303E, 0x3041...0x33FF,  // CJK radicals, punctuation, kana, compatibility
            0x3400...0x4DBF, 0x4E00...0x9FFF,  // CJK ideographs
            0xA000...0xA4CF,  // Yi
            0xAC00...0xD7A3,  // Hangul syllables
            0xF900...0xFAFF,  // CJK compatibility ideographs
            0xFE30...0xFE4F,  // CJK compatibility forms
            0xFF00...0xFF60, 0xFFE0...0xFFE6,  // fullwidth forms
            0x1F300...0x1F64F, 0x1F900...0x1F9FF,  // pictographs and emoji
            0x20000...0x2FFFD, 0x30000...0x3FFFD:  // CJK extensions
            return true
        default:
            return false
        }
    }

    private static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return true
        default: return scalar.value == 0x200B
        }
    }
}
