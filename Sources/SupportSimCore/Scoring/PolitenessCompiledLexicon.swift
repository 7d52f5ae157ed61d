import Foundation

// MARK: - Compiled form

/// A word compared by its UTF-8 bytes. Lexicon words and reply words are normalised the same way
/// (lower case, «ё» as «е»), so byte equality is enough, and it avoids the much slower
/// Unicode-equivalence comparison of non-ASCII `String`s in every set look-up.
struct WordKey: Hashable, Sendable {
    let text: String
    init(_ text: String) { self.text = text }

    static func == (a: WordKey, b: WordKey) -> Bool {
        var x = a.text, y = b.text
        return x.withUTF8 { p in
            y.withUTF8 { q in p.count == q.count && (p.count == 0 || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0) }
        }
    }

    func hash(into hasher: inout Hasher) {
        var t = text
        t.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

/// A set of words with byte-wise comparison (see `WordKey`).
struct Words: Sendable, Sequence {
    private(set) var keys: Set<WordKey> = []

    init() {}
    init<S: Sequence>(_ words: S) where S.Element == String { keys = Set(words.map(WordKey.init)) }

    func contains(_ w: String) -> Bool { keys.contains(WordKey(w)) }
    mutating func insert(_ w: String) { keys.insert(WordKey(w)) }
    mutating func formUnion(_ other: Words) { keys.formUnion(other.keys) }
    var isEmpty: Bool { keys.isEmpty }
    func makeIterator() -> LazyMapSequence<Set<WordKey>, String>.Iterator { keys.lazy.map(\.text).makeIterator() }
}

extension String {
    /// A prefix test on UTF-8 bytes (both sides normalised the same way).
    @inline(__always)
    func hasBytePrefix(_ p: String) -> Bool { utf8.starts(with: p.utf8) }
}

final class CompiledPolitenessLexicon: Sendable {
    /// A class, so that reading one out of a pattern's slots costs one retain; it is only changed
    /// while the lexicon is compiled, and read-only afterwards.
    final class WordSet: @unchecked Sendable {
        init() {}
        var exact = Words()
        var prefixes: [String] = []
        /// Words no alternative accepts (the strategy's exclusions).
        var excludedExact = Words()
        var excludedPrefixes: [String] = []
        /// The ids (see `CompiledPolitenessLexicon.wordInfo`) of `exact` and `excludedExact`, sorted.
        var exactIDs: [Int32] = []
        var excludedIDs: [Int32] = []
        /// The words and prefixes as characters, for `contains(reading:)`; nil until `prepareReadings()`.
        var readingWords: ReadingWords?

        /// One reference, so that copying a `WordSet` stays cheap.
        final class ReadingWords: Sendable {
            let exact: [[Character]], prefixes: [[Character]], excludedExact: [[Character]], excludedPrefixes: [[Character]]
            init(_ set: WordSet) {
                exact = set.exact.map { Array($0) }
                prefixes = set.prefixes.map { Array($0) }
                excludedExact = set.excludedExact.map { Array($0) }
                excludedPrefixes = set.excludedPrefixes.map { Array($0) }
            }
        }

        func prepareReadings() { readingWords = ReadingWords(self) }

        /// `contains(w)` for a word whose id is `id` (-1 for a word in no set).
        @inline(__always)
        func contains(id: Int32, _ w: String) -> Bool {
            guard (id >= 0 && Self.has(exactIDs, id)) || prefixes.contains(where: { w.hasBytePrefix($0) }) else { return false }
            if excludedIDs.isEmpty && excludedPrefixes.isEmpty { return true }
            return !((id >= 0 && Self.has(excludedIDs, id)) || excludedPrefixes.contains { w.hasBytePrefix($0) })
        }

        @inline(__always)
        static func has(_ sorted: [Int32], _ id: Int32) -> Bool {
            var lo = 0, hi = sorted.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                if sorted[mid] < id { lo = mid + 1 } else { hi = mid }
            }
            return lo < sorted.count && sorted[lo] == id
        }

        func contains(_ w: String) -> Bool {
            guard exact.contains(w) || prefixes.contains(where: { w.hasBytePrefix($0) }) else { return false }
            return !isExcluded(w)
        }

        func isExcluded(_ w: String) -> Bool {
            if excludedExact.isEmpty && excludedPrefixes.isEmpty { return false }
            return excludedExact.contains(w) || excludedPrefixes.contains { w.hasBytePrefix($0) }
        }

        /// Matching for a look-alike reading where "*" stands for any one letter.
        func contains(reading f: String) -> Bool {
            guard f.utf8.contains(UInt8(ascii: "*")) else { return contains(f) }
            let chars = Array(f)
            if let words = readingWords {
                func fits(_ w: [Character], prefix: Bool) -> Bool {
                    guard prefix ? chars.count >= w.count : chars.count == w.count else { return false }
                    for (a, b) in zip(chars, w) where a != "*" && a != b { return false }
                    return true
                }
                guard words.exact.contains(where: { fits($0, prefix: false) }) || words.prefixes.contains(where: { fits($0, prefix: true) })
                else { return false }
                return !words.excludedExact.contains { fits($0, prefix: false) } && !words.excludedPrefixes.contains { fits($0, prefix: true) }
            }
            func fits(_ word: String, prefix: Bool) -> Bool {
                let w = Array(word)
                guard prefix ? chars.count >= w.count : chars.count == w.count else { return false }
                for (a, b) in zip(chars, w) where a != "*" && a != b { return false }
                return true
            }
            guard exact.contains(where: { fits($0, prefix: false) }) || prefixes.contains(where: { fits($0, prefix: true) })
            else { return false }
            return !excludedExact.contains { fits($0, prefix: false) } && !excludedPrefixes.contains { fits($0, prefix: true) }
        }
    }

    enum Slot: Sendable {
        case word(WordSet)
        case notWord(WordSet)
        case gap(Int)
    }

    struct Pattern: Sendable {
        var strategy: Int
        var anchored: Bool
        /// The last word must end its sentence (`$`).
        var endAnchored = false
        var slots: [Slot]
    }

    struct Strategy: Sendable {
        var id: String
        var weight: Double
        var negatable: Bool
        var firstReplyOnly: Bool
        var disguisable: Bool
        var maxPerReply: Int
        var feedback: Bool
        var cancelledByImpolite = false
    }

    /// Patterns by their first word: exact words, and prefixes keyed by their first (up to) three characters.
    struct Index: Sendable {
        var exact: [WordKey: [Int]] = [:]
        var prefix: [WordKey: [(pattern: Int, prefix: String)]] = [:]
        /// Bit n is set when some key of `prefix` has n characters.
        var keyLengths = 0

        mutating func add(_ pattern: Int, first: WordSet) {
            for w in first.exact { exact[WordKey(w), default: []].append(pattern) }
            for p in first.prefixes {
                let key = String(p.prefix(3))
                prefix[WordKey(key), default: []].append((pattern, p))
                keyLengths |= 1 << key.count
            }
        }

        func candidates(_ w: String, into out: inout [Int]) {
            if let list = exact[WordKey(w)] { out += list }
            prefixCandidates(w, into: &out)
        }

        /// The patterns whose first word is a prefix `w` starts with.
        func prefixCandidates(_ w: String, into out: inout [Int]) {
            if prefix.isEmpty { return }
            var end = w.startIndex
            for length in 1...3 {
                guard end < w.endIndex else { break }
                end = w.index(after: end)
                // No key has this many characters: nothing to look up.
                guard keyLengths & (1 << length) != 0 else { continue }
                if let list = prefix[WordKey(String(w[..<end]))] {
                    for e in list where w.hasBytePrefix(e.prefix) { out.append(e.pattern) }
                }
            }
        }
    }

    let strategies: [Strategy]
    let patterns: [Pattern]
    let index: Index
    /// The same for the patterns of strategies that may be disguised, looked up with look-alike readings.
    let disguisedIndex: Index
    let disguisedPatterns: [Int]
    let negators: Words
    let softeners: Words
    let verbs: Words
    let followers: Words
    let openers: Words
    let ruImperatives: Words
    let ruInformal: Words
    let ruFormal: Words
    let acronyms: Words
    let sequenceWords: Words
    /// Ids of the strategies that count nothing beside an impolite finding (formal address).
    let cancelledByImpolite: Set<String>
    let ruleWeights: [String: Double]
    let softenedStrategies: Set<Int>
    /// For every word of the word lists above and every exact first word of a pattern: which lists
    /// it is in and the patterns it starts, so that a reply word is hashed once, not once per list.
    let wordInfo: [WordKey: WordInfo]

    struct WordInfo: Sendable {
        /// An id for the words of the patterns' word sets (-1 for other words).
        var id: Int32 = -1
        var flags: UInt16 = 0
        var patterns: [Int] = []
    }
    static let negatorFlag: UInt16 = 1, softenerFlag: UInt16 = 2, verbFlag: UInt16 = 4, followerFlag: UInt16 = 8
    static let openerFlag: UInt16 = 16, ruImperativeFlag: UInt16 = 32, ruInformalFlag: UInt16 = 64, ruFormalFlag: UInt16 = 128
    static let sequenceFlag: UInt16 = 256

    static let gapLength = 3
    static let vowels: Set<Unicode.Scalar> = Set("AEIOUYАЕЁИОУЫЭЮЯ".unicodeScalars)

    init(_ lexicon: PolitenessLexicon) {
        func norm(_ s: String) -> String {
            String(s.lowercased().map { $0 == "ё" ? "е" : ($0 == "’" ? "'" : $0) })
        }
        func words(_ list: [String]) -> Words { Words(list.map(norm)) }
        let verbs = words(lexicon.englishImperativeVerbs)
        let ruImperatives = words(lexicon.russianInformalImperatives)
        self.verbs = verbs
        self.ruImperatives = ruImperatives
        negators = words(lexicon.negators)
        softeners = words(lexicon.requestSofteners)
        followers = words(lexicon.englishNonImperativeFollowers)
        openers = words(lexicon.sentenceOpeners)
        ruInformal = words(lexicon.russianInformalWords)
        ruFormal = words(lexicon.russianFormalWords)
        acronyms = Words(lexicon.acronyms.map { $0.uppercased() })
        sequenceWords = words(lexicon.instructionSequenceWords)
        ruleWeights = lexicon.ruleWeights

        func wordSet(_ spec: String, excluding exclusions: [String] = []) -> WordSet {
            let set = WordSet()
            for e in exclusions {
                let a = norm(e)
                if a.hasSuffix("*") { if a.count > 1 { set.excludedPrefixes.append(String(a.dropLast())) } }
                else if !a.isEmpty { set.excludedExact.insert(a) }
            }
            for alt in spec.split(separator: "|") {
                let a = norm(String(alt))
                if a == "{verbs}" { set.exact.formUnion(verbs) }
                else if a == "{imperatives}" { set.exact.formUnion(ruImperatives) }
                else if a.hasSuffix("*") { if a.count > 1 { set.prefixes.append(String(a.dropLast())) } }
                else if !a.isEmpty { set.exact.insert(a) }
            }
            return set
        }

        var strategies: [Strategy] = []
        var patterns: [Pattern] = []
        var index = Index(), disguisedIndex = Index()
        var disguisedPatterns: [Int] = []
        var softened: Set<Int> = []
        for s in lexicon.phraseStrategies {
            let sIndex = strategies.count
            strategies.append(Strategy(id: s.id, weight: s.weight ?? 0, negatable: s.negatable ?? false,
                                       firstReplyOnly: s.firstReplyOnly ?? false, disguisable: s.disguisable ?? false,
                                       maxPerReply: max(1, s.maxPerReply ?? 1), feedback: s.feedback ?? true,
                                       cancelledByImpolite: s.cancelledByImpolite ?? false))
            if s.id == PolitenessStrategy.softened || s.id == PolitenessStrategy.please { softened.insert(sIndex) }
            for language in s.patterns.keys.sorted() {
                for text in s.patterns[language] ?? [] {
                    // A hyphen splits words in replies, so it does in patterns too ("по-видимому").
                    var parts = text.replacingOccurrences(of: "-", with: " ").split(separator: " ").map(String.init)
                    let anchored = parts.first == "^"
                    if anchored { parts.removeFirst() }
                    let endAnchored = parts.last == "$"
                    if endAnchored { parts.removeLast() }
                    var slots: [Slot] = []
                    for part in parts {
                        if part == "~" { slots.append(.gap(Self.gapLength)) }
                        else if part.hasPrefix("!"), part.count > 1 { slots.append(.notWord(wordSet(String(part.dropFirst())))) }
                        else { slots.append(.word(wordSet(part, excluding: s.exclusions))) }
                    }
                    while case .gap = slots.last { slots.removeLast() }
                    guard case .word(let first) = slots.first else { continue }
                    let pIndex = patterns.count
                    patterns.append(Pattern(strategy: sIndex, anchored: anchored, endAnchored: endAnchored, slots: slots))
                    index.add(pIndex, first: first)
                    if s.disguisable == true {
                        disguisedIndex.add(pIndex, first: first)
                        disguisedPatterns.append(pIndex)
                    }
                }
            }
        }
        // Every exact word of the patterns gets an id, so that a reply word is hashed once and
        // then checked against word sets by id.
        var ids: [WordKey: Int32] = [:]
        func id(_ w: String) -> Int32 {
            let key = WordKey(w)
            if let known = ids[key] { return known }
            let new = Int32(ids.count)
            ids[key] = new
            return new
        }
        func withIDs(_ set: WordSet) -> WordSet {
            set.exactIDs = set.exact.map(id).sorted()
            set.excludedIDs = set.excludedExact.map(id).sorted()
            set.prepareReadings()
            return set
        }
        for p in patterns.indices {
            patterns[p].slots = patterns[p].slots.map { slot in
                switch slot {
                case .word(let set): .word(withIDs(set))
                case .notWord(let set): .notWord(withIDs(set))
                case .gap: slot
                }
            }
        }
        self.strategies = strategies
        self.cancelledByImpolite = Set(strategies.filter(\.cancelledByImpolite).map(\.id))
        self.patterns = patterns
        self.index = index
        self.disguisedIndex = disguisedIndex
        self.disguisedPatterns = disguisedPatterns
        self.softenedStrategies = softened

        var info: [WordKey: WordInfo] = [:]
        for (key, list) in index.exact { info[key, default: WordInfo()].patterns = list }
        for (key, value) in ids { info[key, default: WordInfo()].id = value }
        for (set, flag) in [(negators, Self.negatorFlag), (softeners, Self.softenerFlag), (verbs, Self.verbFlag),
                            (followers, Self.followerFlag), (openers, Self.openerFlag), (ruImperatives, Self.ruImperativeFlag),
                            (ruInformal, Self.ruInformalFlag), (ruFormal, Self.ruFormalFlag), (sequenceWords, Self.sequenceFlag)] {
            for key in set.keys { info[key, default: WordInfo()].flags |= flag }
        }
        self.wordInfo = info
    }

}
