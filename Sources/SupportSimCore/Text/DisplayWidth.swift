/// How many terminal columns text takes: most characters (Latin, Cyrillic) one, East Asian wide
/// characters and emoji two, combining marks and other invisible characters none.
public enum DisplayWidth {
    public static func of(_ text: String) -> Int {
        // ASCII fast path: a run of printable ASCII bytes is one column a byte, with no Unicode
        // lookup (most ids, names and numbers are wholly ASCII). Only from the first other byte on
        // are characters measured one by one.
        let utf8 = text.utf8
        var index = utf8.startIndex
        var width = 0
        while index != utf8.endIndex {
            let byte = utf8[index]
            guard byte >= 0x20 && byte < 0x7F else { break }
            width += 1
            utf8.formIndex(after: &index)
        }
        if index == utf8.endIndex { return width }
        // A combining mark after the last ASCII letter belongs to its character: start from that letter.
        if width > 0, utf8[index] >= 0x80 {
            utf8.formIndex(before: &index)
            width -= 1
        }
        for character in text[index...] {
            if let ascii = character.asciiValue, ascii >= 0x20, ascii < 0x7F {
                width += 1
            } else {
                width += of(character)
            }
        }
        return width
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
