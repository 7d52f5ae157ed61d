/// Spelling: misspellings per 100 words in the trainee's free-text replies and escalation notes.
///
/// Applies only when the scenario turns it on (`scoring.spelling`) and the trainee wrote something.
/// `score = 100 × max(0, 1 − rate / zeroAt)`, where `rate` is misspellings per 100 words. Every
/// misspelt word is one deduction (its turn, the word as typed, rule `spelling:<word>`); the lost
/// points are shared between the deductions so that they add up to `100 − score`.
///
/// Each word is checked in the language of its script (Cyrillic → Russian, Latin → English), so
/// replies that mix the two work. Not checked (but counted as words):
/// - numbers and words with digits ("10.0.0.12", "INC-0042", "v2"), URLs, e-mail addresses, paths,
///   dotted or underscored ids ("example.com", "user_name", «т.е.»);
/// - acronyms: words in capitals of up to five letters ("VPN", "HDMI", «ОС»);
/// - product-style names with a capital inside ("iPhone", "PowerShell");
/// - the scenario's `spelling.terms`, the persona's name and the knowledge-base article ids and
///   title words, case-insensitively and in any inflected form with the same stem ("Битрикса");
/// - words in other scripts.
/// A single word that mixes Cyrillic and Latin letters («пpинтep» typed with Latin "p") is misspelt.
public struct SpellingScorer: Scorer {
    public var category: Category { .spelling }
    public var checker: any SpellChecker

    public init(checker: any SpellChecker) { self.checker = checker }

    public func score(_ transcript: Transcript, scenario: Scenario) -> CategoryScore? {
        guard let config = scenario.scoring.spelling else { return nil }
        let ru = scenario.language == .ru
        let known = KnownWords(scenario: scenario, config: config)

        // Every word of every free-text reply and escalation note, in order.
        var occurrences: [(turn: Int, word: CheckedWord)] = []
        var wordCount = 0
        var decided: [String: [CheckedWord]] = [:]      // per distinct word as typed
        for turn in transcript.turns {
            let text: String
            switch turn.input {
            case .reply(let t): text = t
            case .escalate(_, let note), .refer(_, let note): text = note
            default: continue
            }
            let split = SpellingTokenizer.words(in: text)
            wordCount += split.count
            for word in split {
                let checked: [CheckedWord]
                if let seen = decided[word.text] {
                    checked = seen
                } else {
                    checked = known.wordsToCheck(word)
                    decided[word.text] = checked
                }
                for c in checked { occurrences.append((turn.number ?? turn.index, c)) }
            }
        }
        guard wordCount > 0 else { return nil }

        // One call per language with the distinct words.
        var misspelt: Set<String> = []
        for language in Language.allCases {
            var seen: Set<String> = []
            var batch: [String] = []
            for o in occurrences {
                guard case .dictionary(let lang) = o.word.check, lang == language else { continue }
                if seen.insert(o.word.text).inserted { batch.append(o.word.text) }
            }
            if !batch.isEmpty { misspelt.formUnion(checker.misspelled(batch, language: language)) }
        }
        let found = occurrences.filter { o in
            switch o.word.check {
            case .misspelt: true
            case .dictionary: misspelt.contains(o.word.text)
            }
        }

        let rate = Double(found.count) * 100 / Double(wordCount)
        let score: Int
        if found.isEmpty {
            score = 100
        } else if config.zeroAt <= 0 {
            score = 0
        } else {
            score = Int((100 * max(0, 1 - rate / config.zeroAt)).rounded())
        }

        guard !found.isEmpty else {
            return CategoryScore(category: .spelling, score: 100, evidence: [
                Evidence(.credit, points: 0, rule: "spelling:clean",
                         message: ru ? "без опечаток (слов: \(wordCount))" : "no misspellings (\(wordCount) words)"),
            ])
        }
        let lost = 100 - score
        let share = lost / found.count, extra = lost % found.count
        let evidence = found.enumerated().map { i, o in
            Evidence(.deduction, points: share + (i < extra ? 1 : 0), turn: o.turn, quote: o.word.text,
                     rule: "spelling:\(o.word.text.lowercased())",
                     message: ru ? "опечатка: \(o.word.text)" : "misspelt: \(o.word.text)")
        }
        return CategoryScore(category: .spelling, score: score, evidence: evidence)
    }
}

/// A word to check, as typed, and how.
struct CheckedWord: Sendable, Equatable {
    enum Check: Sendable, Equatable {
        /// Look it up in this language's dictionary.
        case dictionary(Language)
        /// Misspelt without a look-up (Cyrillic and Latin letters in one word).
        case misspelt
    }

    var text: String
    var check: Check
}

/// Words a scenario lets through: its spelling terms, the persona's name, knowledge-base ids and
/// title words. Compared lower-cased with «ё» read as «е», and by stem for words of four or more
/// letters, so that inflected forms pass too.
struct KnownWords {
    private var words: Set<String> = []
    private var stems: Set<String> = []

    init(scenario: Scenario, config: SpellingConfig) {
        var sources = config.terms
        sources.append(scenario.persona.name)
        for article in scenario.knowledgeBase { sources.append(article.id); sources.append(article.title) }
        for source in sources {
            let folded = Self.fold(source)
            words.insert(folded)                        // multi-word terms and ids as a whole
            for piece in SpellingTokenizer.words(in: source) {
                let word = Self.fold(piece.text)
                words.insert(word)
                for part in word.split(separator: "-") { words.insert(String(part)) }
                if word.unicodeScalars.count >= 4 { stems.insert(SnowballStemmer.shared.stem(word)) }
            }
        }
    }

    func contains(_ word: String) -> Bool {
        let folded = Self.fold(word)
        if words.contains(folded) { return true }
        return folded.unicodeScalars.count >= 4 && stems.contains(SnowballStemmer.shared.stem(folded))
    }

    /// The parts of a word that go to the dictionary (none when the word is skipped).
    func wordsToCheck(_ word: SpellingTokenizer.Word) -> [CheckedWord] {
        guard word.checkable else { return [] }
        if contains(word.text) { return [] }
        let parts = word.text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 1 {
            return [CheckedWord(text: word.text, check: Self.check(SpellingTokenizer.script(of: word.text)))]
        }
        // A hyphenated word: parts that are skipped on their own (terms, acronyms, names) are left
        // out, and the rest goes to the dictionary in runs of one script («Wi-Fi» + «роутер»).
        var runs: [(parts: [String], script: SpellingTokenizer.Script)] = []
        var open = false
        for part in parts {
            let script = SpellingTokenizer.script(of: part)
            if script == .other || SpellingTokenizer.isAcronym(part) || SpellingTokenizer.hasInnerCapital(part)
                || contains(part) {
                open = false
                continue
            }
            if open, let last = runs.last, last.script == script, script != .mixed {
                runs[runs.count - 1].parts.append(part)
            } else {
                runs.append(([part], script))
            }
            open = true
        }
        return runs.map { CheckedWord(text: $0.parts.joined(separator: "-"), check: Self.check($0.script)) }
    }

    private static func check(_ script: SpellingTokenizer.Script) -> CheckedWord.Check {
        switch script {
        case .cyrillic: .dictionary(.ru)
        case .latin: .dictionary(.en)
        case .mixed, .other: .misspelt
        }
    }

    static func fold(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { s -> Unicode.Scalar in
            let v = TextNormalizer.lowercase(s)
            if v == 0x2019 || v == 0x2BC { return "'" }
            return Unicode.Scalar(v) ?? s
        }))
    }
}

/// Splits text into words for spell checking, keeping each word as typed.
enum SpellingTokenizer {
    struct Word: Sendable, Equatable {
        /// As typed, with typographic apostrophes written as "'".
        var text: String
        /// False for numbers, ids, URLs, e-mail addresses, paths, acronyms and similar.
        var checkable: Bool
    }

    enum Script: Sendable, Equatable { case cyrillic, latin, mixed, other }

    /// The words of `text`: whitespace separates chunks; a chunk that is a URL, an e-mail address or
    /// a path is one unchecked word; otherwise letters and digits form words, joined across an inner
    /// hyphen, apostrophe, dot or underscore.
    static func words(in text: String) -> [Word] {
        var out: [Word] = []
        let all = Array(text.unicodeScalars)
        var start = 0
        while start < all.count {
            while start < all.count, isSpace(all[start]) { start += 1 }
            var end = start
            while end < all.count, !isSpace(all[end]) { end += 1 }
            if end > start { chunkWords(all[start..<end], into: &out) }
            start = end
        }
        return out
    }

    private static func chunkWords(_ scalars: ArraySlice<Unicode.Scalar>, into out: inout [Word]) {
        if isAddress(scalars) {
            out.append(Word(text: String(String.UnicodeScalarView(scalars)), checkable: false))
            return
        }
        var current = String.UnicodeScalarView()
        func flush() {
            guard !current.isEmpty else { return }
            let word = String(current)
            out.append(Word(text: word, checkable: isCheckable(word)))
            current = String.UnicodeScalarView()
        }
        for i in scalars.indices {
            let s = scalars[i], v = s.value
            if TextNormalizer.isWordValue(v) || (TextNormalizer.isMarkValue(v) && !current.isEmpty) {
                current.append(s)
            } else if isJoiner(v), !current.isEmpty, i + 1 < scalars.endIndex,
                      TextNormalizer.isWordValue(scalars[i + 1].value) {
                current.append(TextNormalizer.isApostrophe(v) ? "'" : (v == 0x2011 ? "-" : s))
            } else {
                flush()
            }
        }
        flush()
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        return s.properties.isWhitespace
    }

    /// URLs, e-mail addresses, @mentions and file paths.
    static func isAddress(_ chunk: ArraySlice<Unicode.Scalar>) -> Bool {
        let first = chunk.first?.value ?? 0
        if first == 0x2F { return true }                                          // /path
        var previous: UInt32 = 0, beforePrevious: UInt32 = 0
        for s in chunk {
            let v = s.value
            if v == 0x40 || v == 0x5C { return true }                             // @, backslash
            if v == 0x2F, previous == 0x2F, beforePrevious == 0x3A { return true } // ://
            beforePrevious = previous; previous = v
        }
        if chunk.count >= 4 {
            let head = chunk.prefix(4).map { TextNormalizer.lowercase($0) }
            if head == [0x77, 0x77, 0x77, 0x2E] { return true }                   // www.
        }
        return first == 0x7E && chunk.dropFirst().first?.value == 0x2F           // ~/
    }

    static func isJoiner(_ v: UInt32) -> Bool {
        v == 0x2D || v == 0x2011 || v == 0x2E || v == 0x5F || TextNormalizer.isApostrophe(v)
    }

    static func isCheckable(_ word: String) -> Bool {
        for s in word.unicodeScalars {
            let v = s.value
            if v == 0x2E || v == 0x5F || TextNormalizer.isDigitValue(v) { return false }
        }
        if isAcronym(word) || hasInnerCapital(word) { return false }
        return script(of: word) != .other
    }

    /// All letters capital, at most five of them ("VPN", "HDMI", «ОС»; "I" and «Я» too).
    static func isAcronym(_ word: String) -> Bool {
        var letters = 0
        for s in word.unicodeScalars where isLetter(s) {
            guard isUpper(s) else { return false }
            letters += 1
            if letters > 5 { return false }
        }
        return letters > 0
    }

    /// A lower-case letter followed by a capital within one part ("iPhone", "PowerShell").
    static func hasInnerCapital(_ word: String) -> Bool {
        var previousLower = false
        for s in word.unicodeScalars {
            if previousLower, isUpper(s) { return true }
            previousLower = isLower(s)
        }
        return false
    }

    // Letter classes with fast paths for ASCII and the Russian alphabet.

    static func isLetter(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) }
        if (v >= 0x410 && v <= 0x44F) || v == 0x401 || v == 0x451 { return true }
        return s.properties.isAlphabetic
    }

    static func isUpper(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return v >= 0x41 && v <= 0x5A }
        if (v >= 0x410 && v <= 0x42F) || v == 0x401 { return true }
        if (v >= 0x430 && v <= 0x44F) || v == 0x451 { return false }
        return s.properties.isUppercase
    }

    static func isLower(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return v >= 0x61 && v <= 0x7A }
        if (v >= 0x430 && v <= 0x44F) || v == 0x451 { return true }
        if (v >= 0x410 && v <= 0x42F) || v == 0x401 { return false }
        return s.properties.isLowercase
    }

    static func script(of word: String) -> Script {
        var cyrillic = false, latin = false, other = false
        for s in word.unicodeScalars where isLetter(s) {
            let v = s.value
            if v >= 0x400 && v <= 0x52F { cyrillic = true }
            else if (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || (v >= 0xC0 && v <= 0x24F) { latin = true }
            else { other = true }
        }
        if cyrillic && latin { return .mixed }
        if other { return .other }
        return cyrillic ? .cyrillic : latin ? .latin : .other
    }
}
