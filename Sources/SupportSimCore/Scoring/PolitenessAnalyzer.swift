import Foundation

/// What the analyzer knows about the moment a reply was given.
public struct ReplyContext: Sendable, Equatable {
    public var language: Language
    /// 1-based index among the trainee's free-text replies.
    public var replyIndex: Int
    public var customerMood: Mood
    public var customerName: String?

    public init(language: Language, replyIndex: Int = 1, customerMood: Mood = .calm, customerName: String? = nil) {
        self.language = language; self.replyIndex = replyIndex; self.customerMood = customerMood
        self.customerName = customerName
    }
}

/// Finds politeness strategies in one reply (English and Russian): greetings, thanks, apologies,
/// softened requests ... and insults, disguised obscenities, blame, bare commands, shouting, «ты».
///
/// The phrases come from a `PolitenessLexicon`; everything is compiled once in `init`, and a reply
/// is read in one pass plus dictionary look-ups, so analysing is cheap enough for bulk evaluation.
public struct PolitenessAnalyzer: Sendable {
    public let lexicon: PolitenessLexicon
    private let compiled: CompiledPolitenessLexicon

    /// An analyzer for `lexicon` (compiled once here; keep the analyzer and reuse it).
    /// The bundled lexicons are served by `SupportSimLexicons.BundledLexicons`.
    public init(lexicon: PolitenessLexicon) {
        self.lexicon = lexicon
        self.compiled = CompiledPolitenessLexicon(lexicon)
    }

    /// The strategies found, in the order they occur in the reply. Spans are the reply's own text.
    /// Tone cues (strategies with `feedback: false`) are left out; see `analyzeAll`.
    public func analyze(_ text: String, context: ReplyContext) -> [StrategyHit] {
        compiled.analyze(text, context: context).compactMap { $0.feedback ? $0.hit : nil }
    }

    /// Every strategy found, tone cues included: what `replyScore` adds up.
    public func analyzeAll(_ text: String, context: ReplyContext) -> [StrategyHit] {
        compiled.analyze(text, context: context).map(\.hit)
    }

    /// A reply-level politeness score: 0–100, 50 for a neutral reply; a logistic of the summed
    /// weights of all strategies found, tone cues included.
    public func replyScore(_ text: String, context: ReplyContext) -> Double {
        let sum = compiled.analyze(text, context: context).reduce(0) { $0 + $1.weight }
        return 100 / (1 + exp(-0.6 * sum))
    }
}

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
    let ruleWeights: [String: Double]
    let softenedStrategies: Set<Int>
    /// For every word of the word lists above and every exact first word of a pattern: which lists
    /// it is in and the patterns it starts, so that a reply word is hashed once, not once per list.
    let wordInfo: [WordKey: WordInfo]

    struct WordInfo: Sendable {
        /// An id for the words of the patterns' word sets (-1 for other words).
        var id: Int32 = -1
        var flags: UInt8 = 0
        var patterns: [Int] = []
    }
    static let negatorFlag: UInt8 = 1, softenerFlag: UInt8 = 2, verbFlag: UInt8 = 4, followerFlag: UInt8 = 8
    static let openerFlag: UInt8 = 16, ruImperativeFlag: UInt8 = 32, ruInformalFlag: UInt8 = 64, ruFormalFlag: UInt8 = 128

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
                                       maxPerReply: max(1, s.maxPerReply ?? 1), feedback: s.feedback ?? true))
            if s.id == PolitenessStrategy.softened || s.id == PolitenessStrategy.please { softened.insert(sIndex) }
            for language in s.patterns.keys.sorted() {
                for text in s.patterns[language] ?? [] {
                    // A hyphen splits words in replies, so it does in patterns too ("по-видимому").
                    var parts = text.replacingOccurrences(of: "-", with: " ").split(separator: " ").map(String.init)
                    let anchored = parts.first == "^"
                    if anchored { parts.removeFirst() }
                    var slots: [Slot] = []
                    for part in parts {
                        if part == "~" { slots.append(.gap(Self.gapLength)) }
                        else if part.hasPrefix("!"), part.count > 1 { slots.append(.notWord(wordSet(String(part.dropFirst())))) }
                        else { slots.append(.word(wordSet(part, excluding: s.exclusions))) }
                    }
                    while case .gap = slots.last { slots.removeLast() }
                    guard case .word(let first) = slots.first else { continue }
                    let pIndex = patterns.count
                    patterns.append(Pattern(strategy: sIndex, anchored: anchored, slots: slots))
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
                            (ruInformal, Self.ruInformalFlag), (ruFormal, Self.ruFormalFlag)] {
            for key in set.keys { info[key, default: WordInfo()].flags |= flag }
        }
        self.wordInfo = info
    }

    // MARK: - Analysis

    struct Found {
        var strategy: String
        var weight: Double
        /// Token range, inclusive; nil for hits that are not words (exclamation marks).
        var from: Int
        var to: Int
        var span: Range<String.Index>
        var hit: StrategyHit
        /// False for tone cues, which only move the reply score.
        var feedback: Bool = true
    }

    func analyze(_ text: String, context: ReplyContext) -> [Found] {
        let scan = PolitenessText(text)
        let toks = scan.tokens
        var found: [(pattern: Int, from: Int, to: Int)] = []
        var candidates: [Int] = []
        var flags = [UInt8](repeating: 0, count: toks.count)
        var ids = [Int32](repeating: -1, count: toks.count)
        var starts = [[Int]](repeating: [], count: toks.count)
        // Every word is looked up once: patterns match words ahead of the one they start at.
        for i in toks.indices {
            if let info = wordInfo[WordKey(toks[i].norm)] {
                flags[i] = info.flags
                ids[i] = info.id
                starts[i] = info.patterns
            }
        }

        for i in toks.indices {
            let t = toks[i]
            candidates.removeAll(keepingCapacity: true)
            candidates += starts[i]
            index.prefixCandidates(t.norm, into: &candidates)
            for f in t.forms {
                if f.utf8.contains(UInt8(ascii: "*")) { candidates += disguisedPatterns } else { disguisedIndex.candidates(f, into: &candidates) }
            }
            if candidates.count > 1 {
                // Sorted, without repeats.
                candidates.sort()
                var kept = 1
                for k in 1..<candidates.count where candidates[k] != candidates[kept - 1] {
                    candidates[kept] = candidates[k]
                    kept += 1
                }
                candidates.removeLast(candidates.count - kept)
            }
            for p in candidates {
                let pattern = patterns[p]
                let strategy = strategies[pattern.strategy]
                if strategy.firstReplyOnly && context.replyIndex != 1 { continue }
                if pattern.anchored && !isSentenceStart(i, toks, flags) { continue }
                guard let end = match(pattern, slot: 0, at: i, sentence: t.sentence, toks, ids, disguised: strategy.disguisable)
                else { continue }
                if strategy.negatable && isNegated(i, toks, flags) { continue }
                found.append((p, i, end))
            }
        }

        // Overlapping phrases of the same polarity: the longer (then the stronger) one wins.
        var accepted: [Found] = []
        for positive in [true, false] {
            let group = found.filter { (strategies[patterns[$0.pattern].strategy].weight >= 0) == positive }
                .sorted { a, b in
                    let la = a.to - a.from, lb = b.to - b.from
                    if la != lb { return la > lb }
                    let wa = abs(strategies[patterns[a.pattern].strategy].weight)
                    let wb = abs(strategies[patterns[b.pattern].strategy].weight)
                    if wa != wb { return wa > wb }
                    return a.from < b.from
                }
            var taken = [Bool](repeating: false, count: toks.count)
            var perStrategy: [Int: [Found]] = [:]
            for f in group where !(f.from...f.to).contains(where: { taken[$0] }) {
                for k in f.from...f.to { taken[k] = true }
                let s = patterns[f.pattern].strategy
                var h = hit(strategies[s].id, strategies[s].weight, f.from, f.to, toks, text)
                h.feedback = strategies[s].feedback
                perStrategy[s, default: []].append(h)
            }
            for (s, hits) in perStrategy {
                accepted += hits.sorted { $0.from < $1.from }.prefix(strategies[s].maxPerReply)
            }
        }

        // The phrase hits, for the imperative rule.
        let phraseHits = accepted.count

        if let name = nameHit(toks, text, context) { accepted.append(name) }
        if let imperative = imperativeHit(toks, flags, text, scan, accepted[..<phraseHits]) { accepted.append(imperative) }
        if let informal = informalHit(toks, flags, text) { accepted.append(informal) }
        if let shouting = shoutingHit(toks, text) { accepted.append(shouting) }
        if let range = scan.exclamations {
            let w = ruleWeights[PolitenessStrategy.exclamations] ?? -1
            accepted.append(Found(strategy: PolitenessStrategy.exclamations, weight: w, from: -1, to: -1, span: range,
                                  hit: StrategyHit(strategy: PolitenessStrategy.exclamations, span: String(text[range]), weight: w)))
        }
        return accepted.sorted { $0.span.lowerBound != $1.span.lowerBound ? $0.span.lowerBound < $1.span.lowerBound : $0.strategy < $1.strategy }
    }

    private func hasSoftening(_ strategy: String) -> Bool {
        strategy == PolitenessStrategy.softened || strategy == PolitenessStrategy.please
    }

    private func hit(_ id: String, _ weight: Double, _ from: Int, _ to: Int, _ toks: [PolitenessText.Token], _ text: String) -> Found {
        let range = toks[from].range.lowerBound..<toks[to].range.upperBound
        return Found(strategy: id, weight: weight, from: from, to: to, span: range,
                     hit: StrategyHit(strategy: id, span: String(text[range]), weight: weight))
    }

    private func matches(_ set: WordSet, _ t: PolitenessText.Token, id: Int32, disguised: Bool) -> Bool {
        if set.contains(id: id, t.norm) { return true }
        return disguised && t.forms.contains { set.contains(reading: $0) }
    }

    private func match(_ p: Pattern, slot s: Int, at i: Int, sentence: Int, _ toks: [PolitenessText.Token],
                       _ ids: [Int32], disguised: Bool) -> Int? {
        if s == p.slots.count { return i - 1 }
        switch p.slots[s] {
        case .word(let set):
            guard i < toks.count, toks[i].sentence == sentence, matches(set, toks[i], id: ids[i], disguised: disguised) else { return nil }
            return match(p, slot: s + 1, at: i + 1, sentence: sentence, toks, ids, disguised: disguised)
        case .notWord(let set):
            guard i < toks.count, toks[i].sentence == sentence, !matches(set, toks[i], id: ids[i], disguised: disguised) else { return nil }
            return match(p, slot: s + 1, at: i + 1, sentence: sentence, toks, ids, disguised: disguised)
        case .gap(let n):
            for k in 0...n {
                let at = i + k
                if k > 0 && (at - 1 >= toks.count || toks[at - 1].sentence != sentence) { break }
                if let end = match(p, slot: s + 1, at: at, sentence: sentence, toks, ids, disguised: disguised) { return end }
            }
            return nil
        }
    }

    private func isSentenceStart(_ i: Int, _ toks: [PolitenessText.Token], _ flags: [UInt8]) -> Bool {
        toks[i].position == 0 || (toks[i].position == 1 && flags[i - 1] & Self.openerFlag != 0)
    }

    /// A negator among the two words before, in the same clause ("not sorry", «не извиняюсь»).
    private func isNegated(_ i: Int, _ toks: [PolitenessText.Token], _ flags: [UInt8]) -> Bool {
        for j in stride(from: i - 1, through: max(0, i - 2), by: -1) {
            guard toks[j].clause == toks[i].clause else { return false }
            if flags[j] & Self.negatorFlag != 0 || toks[j].norm.hasSuffix("n't") { return true }
        }
        return false
    }

    // MARK: Rule-based strategies

    /// The customer's first name, or in Russian any case form of it («Анна», «Анне», «Анной»).
    private func nameHit(_ toks: [PolitenessText.Token], _ text: String, _ context: ReplyContext) -> Found? {
        guard let full = context.customerName, let name = Self.firstName(full) else { return nil }
        guard name.count >= 2 else { return nil }
        var stem: String?
        if name.unicodeScalars.contains(where: { $0.value >= 0x400 && $0.value < 0x530 }), name.count >= 3 {
            var s = name
            if let last = s.last, "аяоеиыуюйь".contains(last) { s.removeLast() }
            if s.count >= 2 { stem = s }
        }
        let possessive = name + "'s"
        let simpleName = Self.isSimple(name)
        for (i, t) in toks.enumerated() {
            // Byte comparison is exact for plain ASCII and Cyrillic words; anything else is compared
            // as `String`s (canonical equivalence), as before.
            let simple = simpleName && t.simple
            var ok = simple ? (t.norm.utf8.elementsEqual(name.utf8) || t.norm.utf8.elementsEqual(possessive.utf8))
                            : (t.norm == name || t.norm == possessive)
            if !ok, let stem, simple ? t.norm.hasBytePrefix(stem) : t.norm.hasPrefix(stem), t.norm.count - stem.count <= 3 {
                ok = text[t.range].first?.isUppercase == true
            }
            if ok {
                let w = ruleWeights[PolitenessStrategy.name] ?? 0.5
                return hit(PolitenessStrategy.name, w, i, i, toks, text)
            }
        }
        return nil
    }

    /// The first word of a customer's name, lower case, «ё» as «е».
    static func firstName(_ full: String) -> String? {
        // The common case: the name is separated by ASCII spaces or commas and is a plain word.
        let u = full.utf8
        var start = u.startIndex
        while start < u.endIndex, let b = Optional(u[start]), b == 0x20 || b == 0x2C || (b >= 0x09 && b <= 0x0D) {
            start = u.index(after: start)
        }
        var end = start
        while end < u.endIndex, let b = Optional(u[end]), !(b == 0x20 || b == 0x2C || (b >= 0x09 && b <= 0x0D)) {
            end = u.index(after: end)
        }
        // (A combining mark after the separator would join it into one character: not the fast case.
        // ASCII and lead bytes 0xD0, 0xD1 (U+0400–U+047F) start no combining mark.)
        let after = end < u.endIndex ? u.index(after: end) : end
        if start < end, after == u.endIndex || u[after] < 0x80 || u[after] == 0xD0 || u[after] == 0xD1, let plain = PolitenessText.plainWord(full[start..<end]) {
            return plain
        }
        guard let firstWord = full.split(whereSeparator: { $0.isWhitespace || $0 == "," }).first else { return nil }
        return String(firstWord.lowercased().map { $0 == "ё" ? "е" : $0 })
    }

    /// Only ASCII and Cyrillic scalars (no combining marks): such strings are equal, or one is a
    /// prefix of the other, exactly when their bytes are.
    @inline(__always)
    static func isSimple(_ s: String) -> Bool {
        for u in s.unicodeScalars {
            let v = u.value
            if v < 0x80 || (v >= 0x400 && v <= 0x482) || (v >= 0x48A && v <= 0x4FF) { continue }
            return false
        }
        return true
    }

    /// A sentence that starts with a bare English command ("Restart it."), or a Russian informal
    /// imperative («перезагрузи»), with no "please" or softened request in the same sentence.
    private func imperativeHit(_ toks: [PolitenessText.Token], _ flags: [UInt8], _ text: String, _ scan: PolitenessText,
                               _ phraseHits: ArraySlice<Found>) -> Found? {
        // Only a Russian imperative or an English verb can make a hit.
        guard flags.contains(where: { $0 & (Self.ruImperativeFlag | Self.verbFlag) != 0 }) else { return nil }
        let w = ruleWeights[PolitenessStrategy.imperative] ?? -1
        // Words of impolite phrases, and sentences with a softened request or "please".
        var negativeTokens = [Bool](repeating: false, count: toks.count)
        for f in phraseHits where f.weight < 0 { for k in f.from...f.to { negativeTokens[k] = true } }
        var softenedSentences = [Bool](repeating: false, count: (toks.last?.sentence ?? 0) + 1)
        for f in phraseHits where f.feedback && hasSoftening(f.strategy) { softenedSentences[toks[f.from].sentence] = true }
        for (i, t) in toks.enumerated() where flags[i] & Self.softenerFlag != 0 { softenedSentences[t.sentence] = true }
        for (i, t) in toks.enumerated() where !t.quoted && !softenedSentences[t.sentence] && !negativeTokens[i] {
            if flags[i] & Self.ruImperativeFlag != 0 { return hit(PolitenessStrategy.imperative, w, i, i, toks, text) }
            guard flags[i] & Self.verbFlag != 0, isSentenceStart(i, toks, flags), !scan.questions.contains(t.sentence) else { continue }
            if i + 1 < toks.count, toks[i + 1].sentence == t.sentence, flags[i + 1] & Self.followerFlag != 0 { continue }
            return hit(PolitenessStrategy.imperative, w, i, i, toks, text)
        }
        return nil
    }

    /// Russian «ты»: its pronouns and markers, or a ты-form imperative when no «Вы» is used. Once per reply.
    private func informalHit(_ toks: [PolitenessText.Token], _ flags: [UInt8], _ text: String) -> Found? {
        let w = ruleWeights[PolitenessStrategy.informal] ?? -2
        if let i = toks.indices.first(where: { flags[$0] & Self.ruInformalFlag != 0 && !toks[$0].quoted }) {
            return hit(PolitenessStrategy.informal, w, i, i, toks, text)
        }
        guard !flags.contains(where: { $0 & Self.ruFormalFlag != 0 }) else { return nil }
        if let i = toks.indices.first(where: { flags[$0] & Self.ruImperativeFlag != 0 && !toks[$0].quoted }) {
            return hit(PolitenessStrategy.informal, w, i, i, toks, text)
        }
        return nil
    }

    /// Words of four or more letters in capitals that are not acronyms, key names or codes.
    /// One hit per reply: the first run of capitalised words starting with such a word.
    private func shoutingHit(_ toks: [PolitenessText.Token], _ text: String) -> Found? {
        func shouted(_ t: PolitenessText.Token) -> Bool {
            guard !t.quoted, !t.joined else { return false }
            let raw = text[t.range]
            var letters = 0, vowels = false
            for u in raw.unicodeScalars {
                guard PolitenessText.isUpperLetter(u) == true else { return false }
                letters += 1
                if Self.vowels.contains(u) { vowels = true }
            }
            return letters >= 4 && vowels && !acronyms.contains(String(raw))
        }
        func capitals(_ t: PolitenessText.Token) -> Bool {
            !t.quoted && !t.joined && text[t.range].unicodeScalars.allSatisfy { PolitenessText.isUpperLetter($0) == true }
        }
        guard let first = toks.indices.first(where: { shouted(toks[$0]) }) else { return nil }
        // The run goes on over shorter capitalised words ("TOLD YOU").
        var last = first
        while last + 1 < toks.count, toks[last + 1].sentence == toks[first].sentence, capitals(toks[last + 1]) { last += 1 }
        return hit(PolitenessStrategy.shouting, ruleWeights[PolitenessStrategy.shouting] ?? -1.5, first, last, toks, text)
    }
}
