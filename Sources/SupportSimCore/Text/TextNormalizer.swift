import Foundation

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

    init(word: [UInt32], clause: Int, elongated: Bool = false, stemmer: SnowballStemmer = .shared) {
        self.init(word: word, text: nil, clause: clause, elongated: elongated, stemmer: stemmer)
    }

    /// `text`, when given, is `word` as a `String` (so that it is built only once).
    init(word: [UInt32], text: String?, clause: Int, elongated: Bool = false, stemmer: SnowballStemmer = .shared) {
        self.word = word
        self.clause = clause
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
    var tokens: [Token]

    /// The Snowball stem of each word, in order (numbers and ids are their own stems).
    public var stems: [String] { tokens.map { TextNormalizer.string($0.stem) } }

    /// Builds a text from words that are already normalised; all words are in one clause.
    public init(words: [String]) {
        self.words = words
        self.padded = " " + words.joined(separator: " ") + " "
        self.tokens = words.map { Token(word: $0.unicodeScalars.map(\.value), clause: 0) }
    }

    init(tokens: [Token]) {
        self.init(tokens: tokens, words: tokens.map { TextNormalizer.string($0.word) })
    }

    /// `words` are the tokens' words as `String`s.
    init(tokens: [Token], words: [String]) {
        self.words = words
        self.padded = " " + words.joined(separator: " ") + " "
        self.tokens = tokens
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
///   words they separate ("power-cycle" → "power cycle"), the same way in replies and phrases.
public enum TextNormalizer {
    public static func normalize(_ text: String) -> NormalizedText {
        normalize(text, stemmer: .shared)
    }

    static func normalize(_ text: String, stemmer: SnowballStemmer) -> NormalizedText {
        // Decomposed accents (U+0300–U+036F, lead bytes 0xCC/0xCD) are composed first, so that
        // «й» typed as «и» + combining breve equals «й».
        var source = text
        if text.utf8.contains(where: { $0 == 0xCC || $0 == 0xCD }) {
            source = text.precomposedStringWithCanonicalMapping
        }
        var scalars: [UInt32] = []
        scalars.reserveCapacity(source.utf8.count)
        for s in source.unicodeScalars { scalars.append(lowercase(s)) }

        var tokens: [Token] = []
        var words: [String] = []
        var current: [UInt32] = []
        var currentHasDigit = false
        var elongated = false
        var clause = 0
        var run = 0

        func flush() {
            guard !current.isEmpty else { return }
            var word = current
            if elongated && !currentHasDigit { word = collapseRuns(word) }
            let text = string(word)
            words.append(text)
            tokens.append(Token(word: word, text: text, clause: clause, elongated: elongated && !currentHasDigit,
                                stemmer: stemmer))
            current.removeAll(keepingCapacity: true)
            currentHasDigit = false
            elongated = false
            run = 0
        }

        let n = scalars.count
        var i = 0
        while i < n {
            let c = scalars[i]
            let next: UInt32 = i + 1 < n ? scalars[i + 1] : 0
            if isWordValue(c) {
                if let last = current.last, last == c { run += 1; if run >= 3 { elongated = true } } else { run = 1 }
                if isDigitValue(c) { currentHasDigit = true }
                current.append(c)
            } else if isMarkValue(c), !current.isEmpty {
                current.append(c)
            } else if (c == 0x23 || c == 0x2116), current.isEmpty, isDigitValue(next) {
                // "#4512", "№4512": the sign is dropped, the number stays
            } else if isJoiner(c), !current.isEmpty, isWordValue(next),
                      c == 0x2C ? (isDigitValue(current.last ?? 0) && isDigitValue(next))
                                : (currentHasDigit || isDigitValue(next)) {
                current.append(c)
                run = 0
            } else if isApostrophe(c), !current.isEmpty, isLetterValue(next), !currentHasDigit {
                current.append(0x27)
                run = 0
            } else {
                flush()
                if isClauseBreak(c) { clause += 1 }
            }
            i += 1
        }
        flush()
        return NormalizedText(tokens: tokens, words: words)
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
