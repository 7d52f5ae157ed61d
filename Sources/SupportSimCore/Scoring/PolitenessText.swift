/// Splits a reply into words with their positions, sentences and clauses, and the look-alike
/// readings of disguised words. Used by `PolitenessAnalyzer`; one pass over the text.
struct PolitenessText {
    struct Token {
        /// Where the word is in the reply, as typed.
        var range: Range<String.Index>
        /// Lower case, «ё» as «е», masking characters at the edges removed.
        var norm: String
        /// Readings of a disguised word ("sh1t" → "shit", "пиzд" → "пизд"); "*" stands for any letter.
        var forms: [String]
        var sentence: Int
        var clause: Int
        /// 0-based position in its sentence.
        var position: Int
        /// Inside quotation marks.
        var quoted: Bool
        /// A character from "-_./:" joins the word to a neighbouring letter or digit ("ERR_TIMEOUT", "X-Ray").
        var joined: Bool
        /// `norm` has only Latin or only Cyrillic letters and apostrophes, so comparing its bytes
        /// is the same as comparing it as a `String`.
        var simple: Bool = false
    }

    var tokens: [Token] = []
    /// Sentences that end with a question mark.
    var questions: Set<Int> = []
    /// The first run of two or more exclamation marks ("!!!", "?!!").
    var exclamations: Range<String.Index>?

    static let masks: Set<Unicode.Scalar> = ["*", "@", "$", "#", "%"]

    init(_ text: String) {
        let u = text.unicodeScalars
        var i = u.startIndex
        var start: String.Index?
        var sentence = 0, clause = 0, position = 0
        var sentenceBreak = false, clauseBreak = false, sentenceHasWords = false
        var quoted = false
        var prev: Unicode.Scalar = " ", prev2: Unicode.Scalar = " "
        var runStart: String.Index?, runBangs = 0
        var joinedBefore = false

        func isWord(_ s: Unicode.Scalar) -> Bool { PolitenessText.isLetter(s) || (s.value >= 48 && s.value <= 57) }
        func isJoiner(_ s: Unicode.Scalar) -> Bool { s == "-" || s == "_" || s == "." || s == "/" || s == ":" }

        func emit(_ range: Range<String.Index>, joinedAfter: Bool) {
            if sentenceBreak && sentenceHasWords { sentence += 1; position = 0; sentenceHasWords = false }
            if clauseBreak || sentenceBreak { clause += 1 }
            sentenceBreak = false; clauseBreak = false
            let raw = text[range]
            let plain = PolitenessText.plainWord(raw)
            let (norm, forms) = plain.map { ($0, []) } ?? PolitenessText.readings(of: raw)
            tokens.append(Token(range: range, norm: norm, forms: forms, sentence: sentence, clause: clause,
                                position: position, quoted: quoted, joined: joinedBefore || joinedAfter,
                                simple: plain != nil))
            position += 1
            sentenceHasWords = true
        }

        while i < u.endIndex {
            let s = u[i]
            let j = u.index(after: i)
            let next: Unicode.Scalar? = j < u.endIndex ? u[j] : nil
            let nextIsWord = next.map(isWord) ?? false

            var inWord = isWord(s)
            if !inWord, start != nil, s == "'" || s == "’" || s == "ʼ", let n = next, Self.isLetter(n) {
                inWord = true
            } else if !inWord, Self.isMask(s), start != nil || nextIsWord {
                inWord = true
            } else if !inWord, s == "!", start != nil, Self.isLetter(prev), next.map(Self.isLetter) == true {
                inWord = true
            }

            if s == "!" || s == "?" {
                if !inWord {
                    if runStart == nil { runStart = i; runBangs = 0 }
                    if s == "!" { runBangs += 1 }
                }
            } else if let rs = runStart {
                if runBangs >= 2, exclamations == nil { exclamations = rs..<i }
                runStart = nil
            }

            if inWord {
                if start == nil { start = i; joinedBefore = isJoiner(prev) && isWord(prev2) }
            } else {
                if let st = start {
                    emit(st..<i, joinedAfter: isJoiner(s) && nextIsWord)
                    start = nil
                }
                switch s {
                case "?":
                    if sentenceHasWords && !sentenceBreak { questions.insert(sentence) }
                    sentenceBreak = true
                case "!", ";", "…", "\n", "\r":
                    sentenceBreak = true
                case ".":
                    if !nextIsWord { sentenceBreak = true }
                case ",", ":", "—", "–", "(", ")", "[", "]":
                    clauseBreak = true
                case "-":
                    if prev == " " || next == " " { clauseBreak = true }
                case "\"":
                    quoted.toggle(); clauseBreak = true
                case "«", "“", "„":
                    quoted = true; clauseBreak = true
                case "»", "”":
                    quoted = false; clauseBreak = true
                default:
                    break
                }
            }
            prev2 = prev
            prev = s
            i = j
        }
        if let st = start { emit(st..<u.endIndex, joinedAfter: false) }
        if let rs = runStart, runBangs >= 2, exclamations == nil { exclamations = rs..<u.endIndex }
    }

    /// One of `masks`, without hashing.
    @inline(__always)
    static func isMask(_ s: Unicode.Scalar) -> Bool {
        s == "*" || s == "@" || s == "$" || s == "#" || s == "%"
    }

    /// A letter, with fast paths for ASCII and Cyrillic.
    @inline(__always)
    static func isLetter(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return (v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A }
        if v >= 0x400 && v <= 0x4FF { return v <= 0x481 || v >= 0x48A }
        return s.properties.isAlphabetic
    }

    /// An upper-case letter (nil when the scalar is not a letter), with fast paths for ASCII and Cyrillic.
    @inline(__always)
    static func isUpperLetter(_ s: Unicode.Scalar) -> Bool? {
        let v = s.value
        if v < 0x80 { return v >= 0x41 && v <= 0x5A ? true : (v >= 0x61 && v <= 0x7A ? false : nil) }
        if v >= 0x400 && v <= 0x42F { return true }
        if v >= 0x430 && v <= 0x45F { return false }
        guard s.properties.isAlphabetic else { return nil }
        return s.properties.isUppercase
    }

    // MARK: - Readings

    /// The normal form of a word and, when it looks disguised (digits, masking characters, or
    /// Latin and Cyrillic letters mixed), its Latin and Cyrillic look-alike readings.
    static func readings(of raw: Substring) -> (String, [String]) {
        if let plain = plainWord(raw) { return (plain, []) }
        var lower = raw.lowercased()
        if lower.unicodeScalars.contains(where: { $0 == "ё" || $0 == "’" || $0 == "ʼ" }) {
            lower = String(lower.map { c -> Character in
                switch c { case "ё": "е"; case "’", "ʼ": "'"; default: c }
            })
        }
        var hasLatin = false, hasCyrillic = false, hasOther = false, letters = 0
        for s in lower.unicodeScalars {
            if isLetter(s) {
                letters += 1
                if s.value < 0x250 { hasLatin = true } else if s.value >= 0x400 && s.value < 0x530 { hasCyrillic = true }
            } else if s != "'" {
                hasOther = true
            }
        }
        var norm = lower
        if hasOther {
            let trimmed = lower.unicodeScalars.drop { masks.contains($0) }
            var view = String.UnicodeScalarView(trimmed)
            while let last = view.last, masks.contains(last) { view.removeLast() }
            norm = String(view)
        }
        guard letters > 0, hasOther || (hasLatin && hasCyrillic) else { return (norm, []) }
        var forms: [String] = []
        let variants = lower.utf8.contains(UInt8(ascii: "@")) ? [Character("a"), Character("*")] : [Character("a")]
        for at in variants {
            for table in [latin, cyrillic] {
                var out = ""
                for c in lower {
                    if c == "@" { out.append(table === latin ? at : (at == "a" ? "а" : "*")) }
                    else if let m = table.map[c] { out.append(m) }
                    else { out.append(c) }
                }
                while out.first == "*" { out.removeFirst() }
                if !out.isEmpty, out != norm || out.utf8.contains(UInt8(ascii: "*")), !forms.contains(out) { forms.append(out) }
            }
        }
        return (norm, forms)
    }

    /// The common case: a word of only Latin or only Cyrillic (А–я, Ё, ё) letters, with apostrophes,
    /// lower-cased (Ё, ё → е) byte by byte; it has no masking characters to trim and no look-alike
    /// readings. Nil for any other word. Lower-casing these letters keeps their UTF-8 length.
    @inline(__always)
    static func plainWord(_ raw: Substring) -> String? {
        var hasLatin = false, hasCyrillic = false
        var it = raw.utf8.makeIterator()
        while let b = it.next() {
            if b < 0x80 {
                if (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A { hasLatin = true } else if b != 0x27 { return nil }
            } else if b == 0xD0 || b == 0xD1 {
                guard let c = it.next(), c & 0xC0 == 0x80 else { return nil }
                let v = (UInt32(b & 0x1F) << 6) | UInt32(c & 0x3F)
                guard (v >= 0x410 && v <= 0x44F) || v == 0x401 || v == 0x451 else { return nil }
                hasCyrillic = true
            } else {
                return nil
            }
        }
        if hasLatin && hasCyrillic { return nil }
        let n = raw.utf8.count
        return String(unsafeUninitializedCapacity: n) { out in
            var k = 0
            var it = raw.utf8.makeIterator()
            while let b = it.next() {
                if b < 0x80 {
                    out[k] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
                    k += 1
                } else {
                    let c = it.next()!
                    var v = (UInt32(b & 0x1F) << 6) | UInt32(c & 0x3F)
                    if v == 0x401 || v == 0x451 { v = 0x435 } else if v <= 0x42F { v += 0x20 }
                    out[k] = UInt8(0xC0 | (v >> 6)); out[k + 1] = UInt8(0x80 | (v & 0x3F))
                    k += 2
                }
            }
            return k
        }
    }

    final class LookAlikes: Sendable {
        let map: [Character: Character]
        init(_ map: [Character: Character]) { self.map = map }
    }

    /// Cyrillic letters, digits and signs that look like (or stand for) Latin letters.
    static let latin = LookAlikes([
        "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
        "у": "y", "х": "x", "і": "i", "ѕ": "s", "ј": "j",
        "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "$": "s", "!": "i",
        "*": "*", "#": "*", "%": "*",
    ])
    /// Latin letters, digits and signs that look like (or are typed for) Cyrillic letters.
    static let cyrillic = LookAlikes([
        "a": "а", "b": "б", "c": "с", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "н", "i": "и", "k": "к",
        "l": "л", "m": "м", "n": "н", "o": "о", "p": "р", "r": "р", "s": "с", "t": "т", "u": "у", "v": "в",
        "x": "х", "y": "у", "z": "з",
        "0": "о", "3": "з", "4": "ч", "6": "б", "$": "с", "!": "и",
        "*": "*", "#": "*", "%": "*",
    ])
}
