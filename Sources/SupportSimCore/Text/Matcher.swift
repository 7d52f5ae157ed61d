import Foundation

/// The outcome of matching one rule against one reply: the phrases that were found.
public struct MatchEvidence: Sendable, Equatable {
    /// The rule's phrases (or regexes) that matched, for explanations.
    public var matched: [String]
    /// The clauses (indices into the reply's clauses) where the phrases were found; empty for
    /// regex-only matches.
    public var clauses: Set<Int>
    /// The words (token indices) of the phrases found in those clauses.
    public var tokens: Set<Int>
    public init(matched: [String], clauses: Set<Int> = [], tokens: Set<Int> = []) {
        self.matched = matched; self.clauses = clauses; self.tokens = tokens
    }
}

/// A reply read once for matching: its normalised words, its clauses, and which words a
/// negation or a safeguard condition covers. Every rule of a turn is matched against one value.
public struct ReadReply: Sendable {
    public let raw: String
    public let text: NormalizedText
    public let clauses: [Clause]
    /// Per token: the index of its clause.
    let clauseOf: [Int]
    /// Per token: a negation or refusal covers it.
    let negated: [Bool]
    /// Per token: a condition that asks for a confirmation governs it (the action is made safe).
    let safeguarded: [Bool]
    /// Some clause is negated or made safe by a condition (otherwise rules need no second look).
    public let hasNegationOrSafeguard: Bool

    public init(_ raw: String) {
        self.init(raw: raw, text: TextNormalizer.normalize(raw))
    }

    public init(raw: String, text: NormalizedText) {
        self.raw = raw
        self.text = text
        let clauses = ClauseReader.clauses(of: raw, text)
        self.clauses = clauses
        let n = text.tokens.count
        var clauseOf = [Int](repeating: 0, count: n)
        var negated = [Bool](repeating: false, count: n)
        var safeguarded = [Bool](repeating: false, count: n)
        for (c, clause) in clauses.enumerated() {
            for k in clause.tokens where k < n {
                clauseOf[k] = c
                if clause.safeguard != nil { safeguarded[k] = true }
            }
            if let range = clause.negated { for k in range where k < n { negated[k] = true } }
        }
        self.clauseOf = clauseOf
        self.negated = negated
        self.safeguarded = safeguarded
        self.hasNegationOrSafeguard = clauses.contains { $0.negated != nil || $0.safeguard != nil }
    }

    /// The clause as typed (its words when the source range is not known).
    public func clauseText(_ index: Int) -> String {
        let clause = clauses[index]
        let typed = RawText.slice(raw, clause.source).trimmingCharacters(in: .whitespacesAndNewlines)
        return typed.isEmpty ? clause.tokens.map { text.words[$0] }.joined(separator: " ") : typed
    }
}

/// Applies `MatchRule`s to replies.
///
/// A phrase occurs in a reply when its words occur in a row. A phrase word matches a reply word
/// when
/// - (a) their Snowball stems are equal ("restarted" ~ "restarting");
/// - (b) the phrase word of three or more letters begins the reply word (the stem style that
///   scenarios use: "перезагруз" matches «перезагрузите»), or the phrase word's stem of four or
///   more letters does («перезагрузите» matches «перезагрузку»), except that a Russian verb form
///   in a phrase («установить») does not match a noun made from it («установку»);
/// - (c) a typo: the reply word has five or more letters and is one edit (insertion, deletion,
///   substitution or swap of neighbours) away from the phrase word, or its stem from the
///   phrase word's stem («перезагрущите» ~ «перезагрузите»).
/// Words with digits (numbers, ids, addresses, versions) match only the identical word.
///
/// An occurrence inside a clause that a negation or refusal covers («не перезагружайте», "I'm
/// afraid there's no other printer") does not count (see `ClauseReader`), unless the phrase
/// itself says the negation or the rule is not negatable. With a `Vocabulary`, any synonym of a
/// phrase word or of part of the phrase counts as well.
public enum Matcher {
    public static func match(_ rule: MatchRule, in text: String) -> MatchEvidence? {
        CompiledMatchRule(rule).match(ReadReply(text))
    }

    public static func match(_ rule: MatchRule, in text: String, vocabulary: Vocabulary) -> MatchEvidence? {
        CompiledMatchRule(rule, vocabulary: vocabulary).match(ReadReply(text))
    }

    public static func match(_ rule: MatchRule, in text: NormalizedText, raw: String,
                             vocabulary: Vocabulary = .empty) -> MatchEvidence? {
        CompiledMatchRule(rule, vocabulary: vocabulary).match(ReadReply(raw: raw, text: text))
    }

    public static func contains(phrase: String, in text: NormalizedText, vocabulary: Vocabulary = .empty) -> Bool {
        !PhraseCache.shared.phrase(phrase, vocabulary).occurrences(in: text, blocked: nil).isEmpty
    }

    /// Checks that a pattern compiles; returns the error text otherwise.
    public static func regexError(_ pattern: String) -> String? {
        if let tooLong = regexLengthError(pattern) { return tooLong }
        do { _ = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive]); return nil }
        catch { return "\(error.localizedDescription)" }
    }

    /// Flags a pattern that can backtrack catastrophically (nested unbounded quantifiers such as
    /// `(a+)+`, `(.*)*`, or a repeated alternation whose branches overlap such as `(a|a)*`);
    /// returns an explanation, or nil when the pattern looks safe.
    public static func regexRisk(_ pattern: String) -> String? {
        RegexSafety.risk(pattern)
    }

    /// Regular expressions see only this many characters of a reply, which bounds their time.
    public static let regexInputLimit = 2_000

    /// The longest pattern (in UTF-16 units) that is compiled. A match pattern is a few dozen
    /// characters; longer ones are refused before they reach the regex engine (Foundation on Linux
    /// loses the memory of every pattern longer than 256 UTF-16 units that it compiles).
    public static let regexPatternLimit = 256

    /// Why a pattern is too long to be compiled, or nil.
    static func regexLengthError(_ pattern: String) -> String? {
        let length = pattern.utf16.count
        guard length > regexPatternLimit else { return nil }
        return "the pattern is \(length) characters long; at most \(regexPatternLimit) are allowed"
    }
}

/// A rule whose phrases are normalised, stemmed and expanded with synonyms once; match many
/// replies against it without any per-call preparation.
public struct CompiledMatchRule: Sendable {
    public let rule: MatchRule
    public let vocabulary: Vocabulary
    let any: [CompiledPhrase]
    let all: [[CompiledPhrase]]
    let none: [CompiledPhrase]
    /// The rule recognises a refusal or a negative statement itself (a group of its `all` lists negative phrases: the
    /// negation: "not able", «не могу»): negation then never blocks it.
    public let saysNegation: Bool

    public init(_ rule: MatchRule, vocabulary: Vocabulary = .empty) {
        self.rule = rule
        self.vocabulary = vocabulary
        let cache = PhraseCache.shared
        any = rule.any.map { cache.phrase($0, vocabulary) }
        all = rule.all.map { $0.map { cache.phrase($0, vocabulary) } }
        none = rule.none.map { cache.phrase($0, vocabulary) }
        saysNegation = all.contains { group in group.contains(where: \.negated) }
        for pattern in rule.regex { _ = RegexCache.shared.regex(pattern) }
    }

    /// Matches the rule against a read reply.
    /// - negatable: false lets phrases count inside negated clauses.
    /// - safeguardBlocks: true ignores phrases in clauses a safeguard condition governs (harmful
    ///   and critical rules: "I'll reset it as soon as he confirms" is not a reset without checks).
    /// - within: only these clauses are read (remembered steps); nil reads all.
    public func match(_ reply: ReadReply, negatable: Bool = true, safeguardBlocks: Bool = false,
                      within: Set<Int>? = nil) -> MatchEvidence? {
        if rule.isEmpty { return nil }
        let negatable = negatable && !saysNegation
        let blocked: (CompiledPhrase, Int) -> Bool = { phrase, k in
            if let within, !within.contains(reply.clauseOf[k]) { return true }
            if negatable, !phrase.negated, reply.negated[k] { return true }
            if safeguardBlocks, reply.safeguarded[k] { return true }
            return false
        }
        var found: [String] = []
        // Every occurrence (its token range) of each phrase, so that the rule uses as few clauses
        // as it needs: the other clauses stay free for other steps.
        func occurrences(_ phrase: CompiledPhrase) -> [Range<Int>] {
            phrase.occurrences(in: reply.text, blocked: { blocked(phrase, $0) }, limit: 2)
        }
        var pieces: [[Range<Int>]] = []
        if !any.isEmpty {
            var ranges: [Range<Int>] = []
            for phrase in any {
                let o = occurrences(phrase)
                if !o.isEmpty { found.append(phrase.source); ranges += o }
            }
            guard !ranges.isEmpty else { return nil }
            pieces.append(ranges)
        }
        for group in all {
            var ranges: [Range<Int>] = []
            for phrase in group {
                let o = occurrences(phrase)
                if !o.isEmpty { if ranges.isEmpty { found.append(phrase.source) }; ranges += o }
            }
            guard !ranges.isEmpty else { return nil }
            pieces.append(ranges)
        }
        // The clause of the first occurrence of the first part, then for each other part an
        // occurrence in a clause already used when there is one.
        var clauses = Set<Int>()
        var tokens = Set<Int>()
        for ranges in pieces {
            let pick = ranges.first { clauses.contains(reply.clauseOf[$0.lowerBound]) }
                ?? ranges.min { $0.lowerBound < $1.lowerBound }!
            clauses.insert(reply.clauseOf[pick.lowerBound])
            // the words of every occurrence in the chosen clauses are the evidence
            for r in ranges where clauses.contains(reply.clauseOf[r.lowerBound]) { tokens.formUnion(r) }
        }
        if !rule.regex.isEmpty {
            let hits = rule.regex.filter { RegexCache.shared.matches($0, reply.raw) }
            guard !hits.isEmpty else { return nil }
            found += hits
        }
        // `none` honours negation: "don't cancel anything" does not exclude a rule with `none: [cancel]`.
        if none.contains(where: { phrase in
            !phrase.occurrences(in: reply.text, blocked: { !phrase.negated && reply.negated[$0] }, limit: 1).isEmpty
        }) { return nil }
        return MatchEvidence(matched: found, clauses: clauses, tokens: tokens)
    }

    public func match(_ text: NormalizedText, raw: String) -> MatchEvidence? {
        match(ReadReply(raw: raw, text: text))
    }

    public func match(_ text: String) -> MatchEvidence? {
        match(ReadReply(text))
    }
}

/// Where phrases occur in a reply (value facts: the token ranges of each phrase).
public struct CompiledPhraseList: Sendable {
    let phrases: [CompiledPhrase]
    public init(_ phrases: [String], vocabulary: Vocabulary = .empty) {
        self.phrases = phrases.map { PhraseCache.shared.phrase($0, vocabulary) }
    }

    /// Each occurrence (token range) with the phrase that was found, longest first.
    public func occurrences(in reply: ReadReply, skipNegated: Bool = true) -> [(phrase: String, tokens: Range<Int>)] {
        var out: [(String, Range<Int>)] = []
        for p in phrases {
            for r in p.occurrences(in: reply.text, blocked: { skipNegated && !p.negated && reply.negated[$0] }) {
                out.append((p.source, r))
            }
        }
        return out.sorted { $0.1.count > $1.1.count }
    }
}

// MARK: - Phrases

/// One word of a phrase, prepared for comparison with reply words.
struct PhraseWord: Sendable {
    var word: [UInt32]
    var stem: [UInt32]
    var squeezed: [UInt32]
    var hasDigit: Bool
    /// A Russian verb form (infinitive, imperative, first person: «установить», «установите»,
    /// «установлю»): its stem does not reach nouns made from it («установку», «установление»).
    var isVerb: Bool
    /// The bit of the first letter (`NormalizedText.letterBit`), nil for a word that starts with a
    /// digit or another sign (it may match a part of an id: "1251" in "windows-1251").
    var firstBit: UInt64?

    init(_ token: Token) {
        word = token.word
        stem = token.stem
        squeezed = TextNormalizer.squeeze(token.word)
        hasDigit = token.hasDigit
        isVerb = RussianVerbForms.isVerb(token.word)
        if let f = token.word.first, !token.hasDigit {
            let bit = NormalizedText.letterBit(f)
            firstBit = bit == 1 << 63 ? nil : bit
        }
    }

    /// Whether this phrase word matches a reply word (see `Matcher`).
    @inline(__always)
    func matches(_ r: Token) -> Bool {
        if hasDigit || r.hasDigit { return word == r.word || (hasDigit && isPart(of: r.word)) }
        if word == r.word || stem == r.stem { return true }
        if word.count >= 3, hasPrefix(r.word, word) { return true }
        let nounOfVerb = isVerb && RussianVerbForms.isNoun(r.word, madeFrom: stem)
        if stem.count >= 4, !nounOfVerb, hasPrefix(r.word, stem) { return true }
        if let sq = r.squeezed, sq == squeezed || (squeezed.count >= 3 && hasPrefix(sq, squeezed)) { return true }
        // a doubled letter typed once: "of" for "off", "al" for "all"
        if word.count >= 3, squeezed.count < word.count, r.word == squeezed { return true }
        // (a typo never changes the first letter: that keeps the first-letter filter exact)
        if r.word.count >= 5, word.count >= 4, !nounOfVerb, r.word.first == word.first {
            if withinOneEdit(word, r.word) { return true }
            if stem.count >= 4, withinOneEdit(stem, r.stem) { return true }
        }
        return false
    }

    /// A number or id that is a hyphen-separated part of a reply word: "1251" in "windows-1251",
    /// "2f" in "stm-2f-mfp" (not "12" in "1251").
    func isPart(of other: [UInt32]) -> Bool {
        guard other.count > word.count else { return false }
        var start = 0
        for i in 0...other.count where i == other.count || other[i] == 0x2D {
            if i - start == word.count, Array(other[start..<i]) == word { return true }
            start = i + 1
        }
        return false
    }

    /// Plain comparison used for synonym lookup and negation: equal words or stems, or a
    /// stem-style prefix.
    func sameWord(_ r: PhraseWord) -> Bool {
        if hasDigit || r.hasDigit { return word == r.word }
        if word == r.word || stem == r.stem { return true }
        return word.count >= 4 && hasPrefix(r.word, word)
    }
}

@inline(__always)
func hasPrefix(_ a: [UInt32], _ prefix: [UInt32]) -> Bool {
    let n = prefix.count
    if n > a.count { return false }
    return a.withUnsafeBufferPointer { ab in
        prefix.withUnsafeBufferPointer { pb in
            for i in 0..<n where ab[i] != pb[i] { return false }
            return true
        }
    }
}

/// Whether two words are at most one edit apart (optimal string alignment: insertion, deletion,
/// substitution, or a swap of neighbouring letters), in linear time.
func withinOneEdit(_ a: [UInt32], _ b: [UInt32]) -> Bool {
    let la = a.count, lb = b.count
    if la == lb {
        var i = 0
        while i < la, a[i] == b[i] { i += 1 }
        if i == la { return true }
        // substitution at i
        var j = i + 1
        while j < la, a[j] == b[j] { j += 1 }
        if j == la { return true }
        // swap of i and i+1
        if i + 1 < la, a[i] == b[i + 1], a[i + 1] == b[i] {
            var k = i + 2
            while k < la, a[k] == b[k] { k += 1 }
            return k == la
        }
        return false
    }
    if abs(la - lb) != 1 { return false }
    let (short, long) = la < lb ? (a, b) : (b, a)
    var i = 0
    while i < short.count, short[i] == long[i] { i += 1 }
    while i < short.count, short[i] == long[i + 1] { i += 1 }
    return i == short.count
}

/// A phrase ready for matching: its word sequence and those of its synonym variants.
struct CompiledPhrase: Sendable {
    /// The phrase as written in the rule.
    let source: String
    /// The phrase's own words, then its synonym variants.
    let variants: [[PhraseWord]]
    /// The phrase itself says a negation («не перезагружайте»): negation before it is not checked.
    let negated: Bool

    init(_ source: String, vocabulary: Vocabulary) {
        self.source = source
        let words = TextNormalizer.normalize(source).tokens.map(PhraseWord.init)
        self.negated = Negation.contains(words)
        var variants = words.isEmpty ? [] : [words]
        if !words.isEmpty, !vocabulary.isEmpty {
            for v in vocabulary.variants(of: words) where !v.isEmpty {
                if !variants.contains(where: { Self.same($0, v) }) { variants.append(v) }
            }
        }
        self.variants = variants
    }

    private static func same(_ a: [PhraseWord], _ b: [PhraseWord]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.word == $1.word }
    }

    /// Where the phrase (or a synonym variant) occurs: token ranges whose first token is not
    /// `blocked`, at most `limit` of them.
    func occurrences(in text: NormalizedText, blocked: ((Int) -> Bool)?, limit: Int = .max) -> [Range<Int>] {
        // Tokens are read in place (a buffer, not array subscripts), so no token is copied.
        text.tokens.withUnsafeBufferPointer { tokens in
            var out: [Range<Int>] = []
            for words in variants where words.count <= tokens.count {
                let first = words[0]
                if let bit = first.firstBit, text.firstLetters & bit == 0 { continue }
                outer: for start in 0...(tokens.count - words.count) {
                    guard first.matches(tokens[start]) else { continue }
                    var k = 1
                    while k < words.count {
                        if !words[k].matches(tokens[start + k]) { continue outer }
                        k += 1
                    }
                    if let blocked, blocked(start) { continue }
                    out.append(start..<(start + words.count))
                    if out.count >= limit { return out }
                }
            }
            return out
        }
    }
}

/// Lock-protected cache of compiled phrases, keyed by phrase text and vocabulary.
final class PhraseCache: @unchecked Sendable {
    static let shared = PhraseCache()
    private static let limit = 20_000

    private struct Key: Hashable {
        let phrase: String
        let vocabulary: Int
    }

    private let lock = NSLock()
    private var entries: [Key: CompiledPhrase] = [:]

    func phrase(_ phrase: String, _ vocabulary: Vocabulary) -> CompiledPhrase {
        let key = Key(phrase: phrase, vocabulary: vocabulary.identity)
        lock.lock()
        if let hit = entries[key] { lock.unlock(); return hit }
        lock.unlock()
        let compiled = CompiledPhrase(phrase, vocabulary: vocabulary)
        lock.lock()
        if entries.count >= Self.limit { entries.removeAll(keepingCapacity: true) }
        entries[key] = compiled
        lock.unlock()
        return compiled
    }
}

// MARK: - Verb forms

/// Tells Russian verb forms from the nouns made from the same stem, so that a rule naming the
/// action («установить») does not match the noun («установку»).
enum RussianVerbForms {
    private static let verbEndings: [[UInt32]] = ["ть", "ться", "тись", "ти", "чь", "ите", "йте", "ите", "лю", "ю"]
        .map { Array($0.unicodeScalars.map(\.value)) }
    /// What follows a verb stem in a noun made from it: «установ|ка», «установ|ку», «установ|ление».
    private static let nounSuffixes: [[UInt32]] = ["к", "ни", "ени", "ани", "лени", "щик", "тель"]
        .map { Array($0.unicodeScalars.map(\.value)) }

    static func isCyrillic(_ w: [UInt32]) -> Bool { w.first.map { $0 >= 0x430 && $0 <= 0x44F } ?? false }

    static func isVerb(_ w: [UInt32]) -> Bool {
        guard w.count >= 5, isCyrillic(w) else { return false }
        return verbEndings.contains { w.count > $0.count + 2 && Array(w.suffix($0.count)) == $0 }
    }

    static func isNoun(_ w: [UInt32], madeFrom stem: [UInt32]) -> Bool {
        guard isCyrillic(w), w.count > stem.count, hasPrefix(w, stem) else { return false }
        let rest = Array(w[stem.count...])
        return nounSuffixes.contains { rest.count >= $0.count && Array(rest.prefix($0.count)) == $0 }
    }
}

// MARK: - Negation

enum Negation {
    /// Word sequences that make a phrase itself negative («не перезагружайте», "don't share",
    /// "unable"): the clause reader's negators (one list, `ClauseLexicon`).
    static let negators: [[[UInt32]]] = (ClauseLexicon.negators + ClauseLexicon.partialNegators
        + ["unable", "avoiding", "shouldnt", "mustnt", "невозможно"])
        .map { TextNormalizer.normalize($0).tokens.map(\.word) }

    static func contains(_ words: [PhraseWord]) -> Bool {
        let w = words.map(\.word)
        for negator in negators where negator.count <= w.count {
            for start in 0...(w.count - negator.count) where Array(w[start..<(start + negator.count)]) == negator {
                return true
            }
        }
        return false
    }

}

// MARK: - Regular expressions

/// Compiled regular expressions, cached by pattern; a pattern that does not compile never matches.
final class RegexCache: @unchecked Sendable {
    static let shared = RegexCache()
    private static let limit = 5_000

    private let lock = NSLock()
    private var entries: [String: NSRegularExpression?] = [:]

    func regex(_ pattern: String) -> NSRegularExpression? {
        lock.lock()
        if let hit = entries[pattern] { lock.unlock(); return hit }
        lock.unlock()
        let compiled = Matcher.regexLengthError(pattern) == nil
            ? try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) : nil
        lock.lock()
        if entries.count >= Self.limit { entries.removeAll(keepingCapacity: true) }
        entries[pattern] = .some(compiled)
        lock.unlock()
        return compiled
    }

    /// Matches against the first `Matcher.regexInputLimit` characters of the reply only.
    func matches(_ pattern: String, _ raw: String) -> Bool {
        guard let re = regex(pattern) else { return false }
        let text = raw.utf8.count <= Matcher.regexInputLimit ? raw : String(raw.prefix(Matcher.regexInputLimit))
        return re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
