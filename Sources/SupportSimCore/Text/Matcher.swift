import Foundation

/// The outcome of matching one rule against one reply: the phrases that were found.
public struct MatchEvidence: Sendable, Equatable {
    /// The rule's phrases (or regexes) that matched, for explanations.
    public var matched: [String]
    public init(matched: [String]) { self.matched = matched }
}

/// Applies `MatchRule`s to replies.
///
/// A phrase occurs in a reply when its words occur in a row. A phrase word matches a reply word
/// when
/// - (a) their Snowball stems are equal ("restarted" ~ "restarting");
/// - (b) the phrase word of three or more letters begins the reply word (the stem style that
///   scenarios use: "перезагруз" matches «перезагрузите»), or the phrase word's stem of four or
///   more letters does («перезагрузите» matches «перезагрузку»);
/// - (c) a typo: the reply word has five or more letters and is one edit (insertion, deletion,
///   substitution or swap of neighbours) away from the phrase word, or its stem from the
///   phrase word's stem («перезагрущите» ~ «перезагрузите»).
/// Words with digits (numbers, ids, addresses, versions) match only the identical word.
///
/// An occurrence right after a negation in the same clause («не перезагружайте», "don't restart
/// it") does not count, unless the phrase itself says the negation. With a `Vocabulary`, any
/// synonym of a phrase word or of part of the phrase counts as well.
public enum Matcher {
    public static func match(_ rule: MatchRule, in text: String) -> MatchEvidence? {
        match(rule, in: TextNormalizer.normalize(text), raw: text)
    }

    public static func match(_ rule: MatchRule, in text: String, vocabulary: Vocabulary) -> MatchEvidence? {
        match(rule, in: TextNormalizer.normalize(text), raw: text, vocabulary: vocabulary)
    }

    public static func match(_ rule: MatchRule, in text: NormalizedText, raw: String,
                             vocabulary: Vocabulary = .empty) -> MatchEvidence? {
        if rule.isEmpty { return nil }
        let cache = PhraseCache.shared
        var found: [String] = []
        if !rule.any.isEmpty {
            let hits = rule.any.filter { cache.phrase($0, vocabulary).occurs(in: text) }
            guard !hits.isEmpty else { return nil }
            found += hits
        }
        for group in rule.all {
            guard let hit = group.first(where: { cache.phrase($0, vocabulary).occurs(in: text) }) else { return nil }
            found.append(hit)
        }
        if !rule.regex.isEmpty {
            let hits = rule.regex.filter { RegexCache.shared.matches($0, raw) }
            guard !hits.isEmpty else { return nil }
            found += hits
        }
        if rule.none.contains(where: { cache.phrase($0, vocabulary).occurs(in: text) }) { return nil }
        return MatchEvidence(matched: found)
    }

    public static func contains(phrase: String, in text: NormalizedText, vocabulary: Vocabulary = .empty) -> Bool {
        PhraseCache.shared.phrase(phrase, vocabulary).occurs(in: text)
    }

    /// Checks that a pattern compiles; returns the error text otherwise.
    public static func regexError(_ pattern: String) -> String? {
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

    static func regexMatches(_ pattern: String, _ raw: String) -> Bool {
        RegexCache.shared.matches(pattern, raw)
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

    public init(_ rule: MatchRule, vocabulary: Vocabulary = .empty) {
        self.rule = rule
        self.vocabulary = vocabulary
        let cache = PhraseCache.shared
        any = rule.any.map { cache.phrase($0, vocabulary) }
        all = rule.all.map { $0.map { cache.phrase($0, vocabulary) } }
        none = rule.none.map { cache.phrase($0, vocabulary) }
        for pattern in rule.regex { _ = RegexCache.shared.regex(pattern) }
    }

    public func match(_ text: NormalizedText, raw: String) -> MatchEvidence? {
        if rule.isEmpty { return nil }
        var found: [String] = []
        if !any.isEmpty {
            let hits = any.filter { $0.occurs(in: text) }.map(\.source)
            guard !hits.isEmpty else { return nil }
            found += hits
        }
        for group in all {
            guard let hit = group.first(where: { $0.occurs(in: text) }) else { return nil }
            found.append(hit.source)
        }
        if !rule.regex.isEmpty {
            let hits = rule.regex.filter { RegexCache.shared.matches($0, raw) }
            guard !hits.isEmpty else { return nil }
            found += hits
        }
        if none.contains(where: { $0.occurs(in: text) }) { return nil }
        return MatchEvidence(matched: found)
    }

    public func match(_ text: String) -> MatchEvidence? {
        match(TextNormalizer.normalize(text), raw: text)
    }
}

// MARK: - Phrases

/// One word of a phrase, prepared for comparison with reply words.
struct PhraseWord: Sendable {
    var word: [UInt32]
    var stem: [UInt32]
    var squeezed: [UInt32]
    var hasDigit: Bool

    init(_ token: Token) {
        word = token.word
        stem = token.stem
        squeezed = TextNormalizer.squeeze(token.word)
        hasDigit = token.hasDigit
    }

    /// Whether this phrase word matches a reply word (see `Matcher`).
    @inline(__always)
    func matches(_ r: Token) -> Bool {
        if hasDigit || r.hasDigit { return word == r.word }
        if word == r.word || stem == r.stem { return true }
        if word.count >= 3, hasPrefix(r.word, word) { return true }
        if stem.count >= 4, hasPrefix(r.word, stem) { return true }
        if let sq = r.squeezed, sq == squeezed || (squeezed.count >= 3 && hasPrefix(sq, squeezed)) { return true }
        if r.word.count >= 5, word.count >= 4 {
            if withinOneEdit(word, r.word) { return true }
            if stem.count >= 4, withinOneEdit(stem, r.stem) { return true }
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

    /// Whether the phrase (or a synonym variant) occurs in the text, not negated.
    func occurs(in text: NormalizedText) -> Bool {
        let tokens = text.tokens
        for words in variants where words.count <= tokens.count {
            let first = words[0]
            outer: for start in 0...(tokens.count - words.count) {
                guard first.matches(tokens[start]) else { continue }
                var k = 1
                while k < words.count {
                    if !words[k].matches(tokens[start + k]) { continue outer }
                    k += 1
                }
                if negated || !Negation.precedes(start, in: tokens) { return true }
            }
        }
        return false
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

// MARK: - Negation

enum Negation {
    /// Word sequences that negate what follows (within two words, same clause).
    static let negators: [[[UInt32]]] = [
        "не", "нельзя", "ни в коем случае", "не надо", "не нужно", "не стоит", "не следует", "никогда",
        "don't", "dont", "do not", "never", "not", "no need to", "shouldn't", "shouldnt", "avoid", "avoiding",
        "mustn't",
    ].map { TextNormalizer.normalize($0).tokens.map(\.word) }

    /// Function words that may stand between a negator and what it negates: "don't ever
    /// restart", "don't need to restart", «не нужно ничего перезагружать», «не стоит его сейчас
    /// перезагружать». Any other word in between ends the negation's reach, so the object in
    /// «не перезагружайте компьютер» and the verb in «не волнуйтесь перезагрузите» are not negated.
    static let lightWords: Set<[UInt32]> = Set([
        "ever", "even", "just", "really", "you", "we", "i", "yet", "to", "need", "needs", "try", "want",
        "it", "them", "this", "that", "please", "recommend", "suggest", "advise", "have", "go", "bother",
        "be", "ever", "again", "now", "actually", "immediately", "right", "away", "so", "too",
        "сейчас", "пока", "ничего", "вообще", "больше", "сами", "сам", "это", "его", "ее", "их", "им", "так",
        "еще", "ни", "же", "уж", "вы", "ты", "мы", "тут", "там", "сразу", "лучше", "пожалуйста", "нужно",
        "надо", "стоит", "следует", "советую", "рекомендую", "рекомендуем", "советуем", "пытайтесь",
        "пробуйте", "будем", "буду", "будете", "можно", "снова", "опять", "теперь", "самостоятельно",
    ].map { Array($0.unicodeScalars.map(\.value)) })

    static func contains(_ words: [PhraseWord]) -> Bool {
        let w = words.map(\.word)
        for negator in negators where negator.count <= w.count {
            for start in 0...(w.count - negator.count) where Array(w[start..<(start + negator.count)]) == negator {
                return true
            }
        }
        return false
    }

    /// Whether a negator ends right before `start`, or with at most two function words
    /// (`lightWords`) in between, in the same clause.
    static func precedes(_ start: Int, in tokens: [Token]) -> Bool {
        guard start > 0 else { return false }
        let clause = tokens[start].clause
        for end in stride(from: start - 1, through: max(0, start - 3), by: -1) {
            guard tokens[end].clause == clause else { return false }
            for negator in negators where negator.count <= end + 1 {
                let first = end + 1 - negator.count
                guard tokens[first].clause == clause else { continue }
                var ok = true
                for (k, w) in negator.enumerated() where tokens[first + k].word != w { ok = false; break }
                if ok { return true }
            }
            // the word at `end` is not the end of a negator: it may be skipped only if it is light
            if !lightWords.contains(tokens[end].word) { return false }
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
        let compiled = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
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
