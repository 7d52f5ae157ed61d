import Foundation

/// What separates a word from the word before it (the strongest separator in between).
/// Ordered by strength: when several separators stand between two words, the strongest counts.
public enum TokenBreak: UInt8, Sendable, Equatable, Comparable, CaseIterable {
    /// Only spaces (or nothing: the first word of a text without a list marker).
    case none
    /// A comma.
    case comma
    /// A bracket: ( ) [ ] { }.
    case bracket
    /// A dash: «—», «–», or a hyphen with spaces around it (" - ") or doubled ("--").
    case dash
    /// A semicolon or a colon.
    case colon
    /// A sentence end: . ! ? … (not the dot of a known abbreviation such as «т.е.», "e.g.").
    case sentence
    /// A line break.
    case newline
    /// A list marker at a line or item start: "1)", "2.", "(3)", "a)", "-", "*", "•".
    case listMarker

    public static func < (a: TokenBreak, b: TokenBreak) -> Bool { a.rawValue < b.rawValue }

    /// The break ends a sentence, a line or a list item.
    public var endsSentence: Bool { self >= .sentence }
}

/// One word of a normalised text, prepared for fast matching: scalar values of the word and of
/// its stem, so that a reply is normalised and stemmed once and then matched against many rules.
struct Token: Sendable, Equatable {
    /// The normalised word.
    var word: [UInt32]
    /// Its Snowball stem (the word itself for numbers, ids and other scripts).
    var stem: [UInt32]
    /// The word with every doubled letter written once; only for words that had a run of three
    /// or more identical letters ("cooool" → "col"), so that "cool" still matches.
    var squeezed: [UInt32]?
    /// The word contains a digit: a number, an id, a version or an address; it matches exactly.
    var hasDigit: Bool
    /// Index of the clause (text between . , ; : ! ? and line breaks) the word belongs to.
    var clause: Int
    /// UTF-8 byte offsets of the word in the string given to `TextNormalizer.normalize`
    /// (empty at 0 for texts built from words).
    var source: Range<Int>
    /// The separator between this word and the one before it.
    var breakBefore: TokenBreak

    init(word: [UInt32], clause: Int, elongated: Bool = false, stemmer: SnowballStemmer = .shared) {
        self.init(word: word, text: nil, clause: clause, elongated: elongated, stemmer: stemmer)
    }

    /// `text`, when given, is `word` as a `String` (so that it is built only once).
    init(word: [UInt32], text: String?, clause: Int, elongated: Bool = false, stemmer: SnowballStemmer = .shared,
         source: Range<Int> = 0..<0, breakBefore: TokenBreak = .none) {
        self.word = word
        self.clause = clause
        self.source = source
        self.breakBefore = breakBefore
        self.hasDigit = word.contains(where: TextNormalizer.isDigitValue)
        if hasDigit {
            self.stem = word
        } else if word.count < 3 || word.count > SnowballStemmer.maxWordLength {
            // The stemmer returns such words unchanged.
            self.stem = word
        } else {
            self.stem = stemmer.stemScalars(text ?? TextNormalizer.string(word), word)
        }
        self.squeezed = elongated ? TextNormalizer.squeeze(word) : nil
    }
}

/// Normalised, tokenised form of a reply used by match rules.
public struct NormalizedText: Sendable, Equatable {
    /// Lower-cased words, «ё» folded to «е», punctuation removed.
    public var words: [String] {
        didSet {
            padded = " " + words.joined(separator: " ") + " "
            tokens = words.map { Token(word: $0.unicodeScalars.map(\.value), clause: 0) }
        }
    }
    /// The words joined by single spaces, with a leading and trailing space, so that
    /// " phrase" searches start at a word boundary.
    public var padded: String
    /// The words prepared for matching (stems computed once per text).
    var tokens: [Token] { didSet { firstLetters = Self.firstLetterMask(tokens) } }
    /// A bit for the first letter of each word (`letterBit`): phrases whose first word starts with
    /// a letter no word starts with are skipped without comparing words.
    var firstLetters: UInt64 = ~0

    /// The Snowball stem of each word, in order (numbers and ids are their own stems).
    public var stems: [String] { tokens.map { TextNormalizer.string($0.stem) } }

    /// UTF-8 byte range of each word in the string given to `TextNormalizer.normalize`, in order
    /// (empty ranges at 0 for a text built from words).
    public var sources: [Range<Int>] { tokens.map(\.source) }

    /// The separator before each word, in order.
    public var breaks: [TokenBreak] { tokens.map(\.breakBefore) }

    /// Builds a text from words that are already normalised; all words are in one clause.
    public init(words: [String]) {
        self.words = words
        self.padded = " " + words.joined(separator: " ") + " "
        self.tokens = words.map { Token(word: $0.unicodeScalars.map(\.value), clause: 0) }
        self.firstLetters = Self.firstLetterMask(tokens)
    }

    init(tokens: [Token]) {
        self.init(tokens: tokens, words: tokens.map { TextNormalizer.string($0.word) })
    }

    /// `words` are the tokens' words as `String`s.
    init(tokens: [Token], words: [String]) {
        self.words = words
        self.padded = " " + words.joined(separator: " ") + " "
        self.tokens = tokens
        self.firstLetters = Self.firstLetterMask(tokens)
    }

    /// The bit of a word's first letter: a–z and а–я have their own bits; anything else shares
    /// the top bit.
    @inline(__always)
    static func letterBit(_ v: UInt32) -> UInt64 {
        if v >= 0x61 && v <= 0x7A { return 1 << UInt64(v - 0x61) }
        if v >= 0x430 && v <= 0x44F { return 1 << UInt64(26 + (v - 0x430)) }
        return 1 << 63
    }

    static func firstLetterMask(_ tokens: [Token]) -> UInt64 {
        var mask: UInt64 = 0
        for t in tokens { if let f = t.word.first { mask |= letterBit(f) } }
        return mask
    }
}

/// Turns free text into `NormalizedText`:
/// - case folding, «ё» → «е»;
/// - letters and digits form words; punctuation, symbols and emoji separate words;
/// - a run of three or more identical letters is shortened ("pleeease" → "please",
///   «спасибоооо» → «спасибо»): vowels to one letter, consonants to two;
/// - numbers and ids stay whole: "10.0.0.12", "INC-0042", "0x80070005", "v2.4.1", "1,5";
///   a leading "#" or "№" before digits is dropped ("#4512" → "4512");
/// - "don't", "I'm" keep their apostrophe;
/// - hyphens, dots, slashes and colons join only pieces of a number or id; between plain
///   words they separate ("power-cycle" → "power cycle"), the same way in replies and phrases;
/// - how people type (`TypedForms`): a word that mixes Latin and Cyrillic look-alike letters is
///   written in one script («пpинтep» → «принтер», "1С" → "1c"), and chat abbreviations are
///   written out ("pls" → "please", «комп» → «компьютер», «ребутните» → «перезагрузите»);
/// - list markers at a line or item start ("1)", "2.", "-", "•") are not words.
///
/// Every word keeps its UTF-8 byte range in the text as given and the separator before it
/// (`TokenBreak`), for clauses, facts and explanations.
public enum TextNormalizer {
    public static func normalize(_ text: String) -> NormalizedText {
        normalize(text, stemmer: .shared)
    }

    static func normalize(_ text: String, stemmer: SnowballStemmer) -> NormalizedText {
        var scalars: [UInt32] = []
        var widths: [UInt8] = []
        let byteCount = text.utf8.count
        scalars.reserveCapacity(byteCount)
        widths.reserveCapacity(byteCount)
        for s in text.unicodeScalars {
            scalars.append(lowercase(s))
            widths.append(UInt8(truncatingIfNeeded: UTF8.width(s)))
        }

        var tokens: [Token] = []
        var words: [String] = []
        var current: [UInt32] = []
        var currentHasDigit = false
        var elongated = false
        var combining = false
        var latin = 0
        var cyrillic = 0
        // The script of the last word: it decides mixed words of look-alikes only.
        var script: TypedForms.Script?
        var clause = 0
        var run = 0
        var pending = TokenBreak.none
        var wordBreak = TokenBreak.none
        var wordStart = 0
        var wordEnd = 0
        var byte = 0
        // Only blanks since the text start or the last line break: a list marker may come.
        var lineStart = true

        func flush() {
            guard !current.isEmpty else { return }
            var word = current
            if combining { word = compose(word) }
            let squeeze = elongated && !currentHasDigit
            if squeeze { word = collapseRuns(word) }
            if cyrillic > 0 && (latin > 0 || currentHasDigit) {
                if let chosen = TypedForms.foldLookalikes(&word, latin: latin, cyrillic: cyrillic,
                                                          hasDigit: currentHasDigit, context: script),
                   latin > 0 {
                    script = chosen
                }
            } else if latin > 0 && cyrillic == 0 {
                script = .latin
            } else if cyrillic > 0 && latin == 0 {
                script = .cyrillic
            }
            if !currentHasDigit { TypedForms.expand(&word) }
            let text = string(word)
            words.append(text)
            tokens.append(Token(word: word, text: text, clause: clause, elongated: squeeze, stemmer: stemmer,
                                source: wordStart..<wordEnd, breakBefore: wordBreak))
            current.removeAll(keepingCapacity: true)
            currentHasDigit = false
            elongated = false
            combining = false
            latin = 0
            cyrillic = 0
            run = 0
        }

        let n = scalars.count
        var i = 0
        while i < n {
            let c = scalars[i]
            let width = Int(widths[i])
            let next: UInt32 = i + 1 < n ? scalars[i + 1] : 0
            if current.isEmpty,
               let length = listMarkerLength(scalars, i, atLineStart: lineStart,
                                             afterBlank: i == 0 || isBlank(scalars[i - 1])) {
                for k in i..<(i + length) {
                    if isClauseBreak(scalars[k]) { clause += 1 }
                    byte += Int(widths[k])
                }
                pending = .listMarker
                lineStart = false
                i += length
                continue
            }
            if isWordValue(c) {
                if current.isEmpty { wordStart = byte; wordBreak = pending; pending = .none }
                if let last = current.last, last == c { run += 1; if run >= 3 { elongated = true } } else { run = 1 }
                if c < 0x80 {
                    if c >= 0x30 && c <= 0x39 { currentHasDigit = true } else { latin += 1 }
                } else if c >= 0x430 && c <= 0x44F {
                    cyrillic += 1
                } else if isDigitValue(c) {
                    currentHasDigit = true
                }
                current.append(c)
                wordEnd = byte + width
            } else if isMarkValue(c), !current.isEmpty {
                if c >= 0x300 && c <= 0x36F { combining = true }
                current.append(c)
                wordEnd = byte + width
            } else if (c == 0x23 || c == 0x2116), current.isEmpty, isDigitValue(next) {
                // "#4512", "№4512": the sign is dropped, the number stays
            } else if isJoiner(c), !current.isEmpty, isWordValue(next),
                      c == 0x2C ? (isDigitValue(current.last ?? 0) && isDigitValue(next))
                                : (currentHasDigit || isDigitValue(next)) {
                current.append(c)
                run = 0
                wordEnd = byte + width
            } else if isApostrophe(c), !current.isEmpty, isLetterValue(next), !currentHasDigit {
                current.append(0x27)
                run = 0
                wordEnd = byte + width
            } else {
                flush()
                if isClauseBreak(c) { clause += 1 }
                let kind = breakKind(c, scalars, i, abbreviationBefore: tokens.last.map {
                    $0.source.upperBound == byte && abbreviations.contains($0.word)
                } ?? false)
                if kind > pending { pending = kind }
            }
            if isNewline(c) { lineStart = true } else if !isBlank(c) { lineStart = false }
            byte += width
            i += 1
        }
        flush()
        return NormalizedText(tokens: tokens, words: words)
    }

    // MARK: - Breaks

    /// Words after which a dot does not end a sentence («т.е.», «т.к.», «и т.д.», "e.g.", "etc.").
    static let abbreviations: Set<[UInt32]> = Set([
        "т", "е", "к", "д", "п", "e", "g", "i", "eg", "ie", "etc", "напр", "mr", "mrs", "ms", "dr", "vs",
        "др", "см", "стр", "тел", "доб", "ext", "tel", "approx", "ул", "прим",
    ].map { Array($0.unicodeScalars.map(\.value)) })

    static func isBlank(_ v: UInt32) -> Bool { v == 0x20 || v == 0x09 || v == 0xA0 || v == 0x202F || v == 0x3000 }

    static func isNewline(_ v: UInt32) -> Bool { v == 0x0A || v == 0x0D || v == 0x2028 || v == 0x2029 || v == 0x85 }

    /// The kind of break a separator character makes.
    static func breakKind(_ c: UInt32, _ scalars: [UInt32], _ i: Int, abbreviationBefore: Bool) -> TokenBreak {
        switch c {
        case 0x2C, 0x3001, 0xFF0C: return .comma
        case 0x3B, 0x3A: return .colon
        case 0x2E: return abbreviationBefore ? .none : .sentence
        case 0x21, 0x3F, 0x2026, 0xA1, 0xBF: return .sentence
        case 0x0A, 0x0D, 0x2028, 0x2029, 0x85: return .newline
        case 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D: return .bracket
        case 0x2012, 0x2013, 0x2014, 0x2015, 0x2212: return .dash
        case 0x2D:
            let before: UInt32 = i > 0 ? scalars[i - 1] : 0x20
            let after: UInt32 = i + 1 < scalars.count ? scalars[i + 1] : 0x20
            if before == 0x2D || after == 0x2D { return .dash }
            return (isBlank(before) || isNewline(before)) && (isBlank(after) || isNewline(after)) ? .dash : .none
        default: return .none
        }
    }

    /// The length in scalars of a list marker starting at `i`, or nil. At a line start: "1)",
    /// "12.", "(3)", "a)", "-", "*", "•" followed by a blank; elsewhere after a blank: "2)" and
    /// "•" followed by a blank.
    static func listMarkerLength(_ s: [UInt32], _ i: Int, atLineStart: Bool, afterBlank: Bool) -> Int? {
        guard atLineStart || afterBlank else { return nil }
        let n = s.count
        func blank(_ k: Int) -> Bool { k < n && isBlank(s[k]) }
        let c = s[i]
        switch c {
        case 0x2022, 0x25E6, 0x2023:                             // • ◦ ‣
            return blank(i + 1) ? 1 : nil
        case 0x2D, 0x2A:                                         // - *
            return atLineStart && blank(i + 1) ? 1 : nil
        case 0x28:                                               // (1)
            guard atLineStart else { return nil }
            var j = i + 1
            while j < n, j - i <= 2, s[j] >= 0x30 && s[j] <= 0x39 { j += 1 }
            guard j > i + 1, j < n, s[j] == 0x29, blank(j + 1) else { return nil }
            return j + 1 - i
        case 0x30...0x39:
            var j = i
            while j < n, j - i < 3, s[j] >= 0x30 && s[j] <= 0x39 { j += 1 }
            guard j - i <= 2, j < n, blank(j + 1) else { return nil }
            if s[j] == 0x29 { return j + 1 - i }
            if s[j] == 0x2E, atLineStart { return j + 1 - i }
            return nil
        default:
            guard atLineStart, i + 1 < n, s[i + 1] == 0x29, blank(i + 2),
                  (c >= 0x61 && c <= 0x7A) || (c >= 0x430 && c <= 0x44F) else { return nil }
            return 2
        }
    }

    /// Composes decomposed accents of one word («и» + combining breve → «й»).
    static func compose(_ word: [UInt32]) -> [UInt32] {
        string(word).precomposedStringWithCanonicalMapping.unicodeScalars.map { lowercase($0) }
    }

    // MARK: - Characters

    static func lowercase(_ s: Unicode.Scalar) -> UInt32 {
        let v = s.value
        if v < 0x80 { return (v >= 0x41 && v <= 0x5A) ? v + 32 : v }
        if v >= 0x410 && v <= 0x42F { return v + 32 }           // А–Я
        if v >= 0x430 && v <= 0x44F { return v }                // а–я
        if v == 0x401 || v == 0x451 { return 0x435 }            // Ё, ё → е
        if v >= 0x400 && v <= 0x40F { return v + 0x50 }         // Ѐ–Џ
        if s.properties.changesWhenLowercased {
            let lower = s.properties.lowercaseMapping.unicodeScalars
            if lower.count == 1, let first = lower.first { return first.value == 0x451 ? 0x435 : first.value }
        }
        return v
    }

    static func isDigitValue(_ v: UInt32) -> Bool {
        if v >= 0x30 && v <= 0x39 { return true }
        if v < 0x80 { return false }
        if v >= 0x410 && v <= 0x44F { return false }           // А–я
        guard let s = Unicode.Scalar(v) else { return false }
        return s.properties.numericType != nil
    }

    static func isLetterValue(_ v: UInt32) -> Bool {
        if v < 0x80 { return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) }
        if v >= 0x430 && v <= 0x44F { return true }
        guard let s = Unicode.Scalar(v) else { return false }
        return s.properties.isAlphabetic
    }

    static func isWordValue(_ v: UInt32) -> Bool {
        if v < 0x80 { return (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) }
        if v >= 0x430 && v <= 0x44F { return true }
        guard let s = Unicode.Scalar(v) else { return false }
        return s.properties.isAlphabetic || s.properties.numericType != nil
    }

    static func isMarkValue(_ v: UInt32) -> Bool {
        // variation selectors (emoji presentation) are not part of a word
        guard v >= 0x300, !(v >= 0xFE00 && v <= 0xFE0F), let s = Unicode.Scalar(v) else { return false }
        switch s.properties.generalCategory {
        case .nonspacingMark, .spacingMark: return true
        default: return false
        }
    }

    static func isJoiner(_ v: UInt32) -> Bool {
        v == 0x2E || v == 0x2D || v == 0x3A || v == 0x5F || v == 0x2F || v == 0x2C
    }

    static func isApostrophe(_ v: UInt32) -> Bool {
        v == 0x27 || v == 0x2019 || v == 0x2BC || v == 0x60
    }

    /// Characters that end a clause for negation: «не волнуйтесь, перезагрузите» is not negated.
    static func isClauseBreak(_ v: UInt32) -> Bool {
        switch v {
        case 0x2E, 0x2C, 0x3B, 0x3A, 0x21, 0x3F, 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x0A, 0x0D,
             0x2026, 0x2014, 0x2013, 0xA1, 0xBF:
            return true
        default:
            return false
        }
    }

    static func isVowelValue(_ v: UInt32) -> Bool {
        switch v {
        case 0x61, 0x65, 0x69, 0x6F, 0x75, 0x79,                                  // a e i o u y
             0x430, 0x435, 0x438, 0x43E, 0x443, 0x44B, 0x44D, 0x44E, 0x44F:       // а е и о у ы э ю я
            return true
        default:
            return false
        }
    }

    /// Shortens runs of three or more identical letters: vowels to one, consonants to two.
    static func collapseRuns(_ word: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(word.count)
        var i = 0
        while i < word.count {
            let c = word[i]
            var j = i + 1
            while j < word.count, word[j] == c { j += 1 }
            let length = j - i
            let keep = length >= 3 ? (isVowelValue(c) ? 1 : 2) : length
            for _ in 0..<keep { out.append(c) }
            i = j
        }
        return out
    }

    /// Writes every run of identical letters once ("cool" → "col").
    static func squeeze(_ word: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(word.count)
        for c in word where out.last != c { out.append(c) }
        return out
    }

    static func string(_ scalars: [UInt32]) -> String {
        // Encoded straight to UTF-8 in one allocation (invalid values are skipped, as before).
        var count = 0
        for v in scalars {
            if v < 0x80 { count += 1 }
            else if let s = Unicode.Scalar(v) { count += UTF8.width(s) }
        }
        return String(unsafeUninitializedCapacity: count) { out in
            var k = 0
            for v in scalars {
                if v < 0x80 {
                    out[k] = UInt8(truncatingIfNeeded: v); k += 1
                } else if let s = Unicode.Scalar(v) {
                    UTF8.encode(s) { out[k] = $0; k += 1 }
                }
            }
            return k
        }
    }
}
