import Foundation
import Yams

/// Groups of interchangeable words or phrases ([компьютер, комп, пк, ноутбук],
/// [restart, reboot, power-cycle, "turn it off and on"]). A rule phrase matches a reply that
/// contains the phrase or the phrase with any of its words (or word sequences) replaced by a
/// synonym from the same group.
///
/// Group members are compared with phrase words by stem, so «перезагрузить» in a group also
/// covers a rule phrase «перезагрузите» or «перезагруз».
public struct Vocabulary: Sendable, Equatable {
    public struct Group: Sendable, Equatable, Hashable {
        /// "ru", "en" or nil; informational (words are matched in their own script anyway).
        public var language: String?
        public var entries: [String]
        public init(language: String? = nil, entries: [String]) {
            self.language = language
            self.entries = entries
        }
    }

    public let groups: [Group]
    /// Per group, per entry: the entry's normalised words.
    let compiled: [[[PhraseWord]]]
    /// Equal vocabularies share an identity; it keys the compiled-phrase cache.
    let identity: Int

    public static let empty = Vocabulary(groups: [Group]())

    public init(groups: [Group]) {
        (self.groups, self.identity, self.compiled) = VocabularyRegistry.shared.register(groups)
    }

    /// Groups of plain strings, all in one language (or nil).
    public init(groups: [[String]], language: String? = nil) {
        self.init(groups: groups.map { Group(language: language, entries: $0) })
    }

    public var isEmpty: Bool { groups.isEmpty }

    public static func == (a: Vocabulary, b: Vocabulary) -> Bool { a.identity == b.identity }

    /// This vocabulary's groups followed by another's (a scenario's own words on top of a shared file).
    public func merging(_ other: Vocabulary) -> Vocabulary {
        if other.isEmpty { return self }
        if isEmpty { return other }
        return Vocabulary(groups: groups + other.groups)
    }

    /// The groups of one language plus those without a language.
    public func filtered(language: String) -> Vocabulary {
        Vocabulary(groups: groups.filter { $0.language == nil || $0.language == language })
    }

    // MARK: - Parsing

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Reads a vocabulary from YAML, either a list of groups or groups per language:
    ///
    ///     ru:
    ///       - [компьютер, комп, пк, ноутбук]
    ///     en:
    ///       - [restart, reboot, power-cycle, turn it off and on]
    ///
    /// A group is a list of strings or one comma-separated string.
    public static func parse(yamlText: String) throws -> Vocabulary {
        let object: Any?
        do { object = try Yams.load(yaml: yamlText) } catch {
            throw ParseError(message: "vocabulary: invalid YAML: \(error)")
        }
        guard let object else { return .empty }
        return try Vocabulary(parsing: object)
    }

    /// Builds a vocabulary from an already-loaded YAML value (a scenario's `vocabulary:` key):
    /// a list of groups, or a mapping from language to a list of groups.
    public init(parsing object: Any) throws {
        var result: [Group] = []
        if let map = object as? [String: Any] {
            for key in map.keys.sorted() {
                let language = key == "any" || key == "all" ? nil : key
                result += try Self.groups(map[key] as Any, language: language, path: "vocabulary.\(key)")
            }
        } else {
            result = try Self.groups(object, language: nil, path: "vocabulary")
        }
        self.init(groups: result)
    }

    private static func groups(_ value: Any, language: String?, path: String) throws -> [Group] {
        guard let list = value as? [Any] else {
            throw ParseError(message: "\(path): expected a list of synonym groups")
        }
        return try list.enumerated().map { index, item in
            if let words = item as? [Any] {
                return Group(language: language, entries: try words.map { word in
                    guard let s = scalarString(word) else {
                        throw ParseError(message: "\(path)[\(index)]: a synonym must be a string")
                    }
                    return s
                })
            }
            if let line = item as? String {
                return Group(language: language, entries: line.split(separator: ",").map(String.init))
            }
            throw ParseError(message: "\(path)[\(index)]: expected a list of synonyms")
        }
    }

    private static func scalarString(_ value: Any) -> String? {
        switch value {
        case let s as String: return s
        case let i as Int: return String(i)
        case let d as Double: return String(d)
        case let b as Bool: return b ? "true" : "false"
        default: return nil
        }
    }

    // MARK: - Expansion

    /// At most this many rewritings of one phrase (the phrase itself included).
    private static let variantLimit = 64
    /// Phrases longer than this many words get no synonym variants (the parser reports them,
    /// SS017); it bounds the work and memory of `variants(of:)` for any input.
    public static let phraseWordLimit = 64

    /// The phrase rewritten with synonyms (the phrase itself excluded), at most `variantLimit`.
    ///
    /// Iterative, from the phrase's end: the rewritings of the suffix that starts at word `i` are
    /// built from those of the shorter suffixes, each list capped at `variantLimit`. Time and
    /// memory are bounded by `phraseWordLimit` × `variantLimit` × `phraseWordLimit` words,
    /// whatever the phrase; a longer phrase gets no variants.
    func variants(of words: [PhraseWord]) -> [[PhraseWord]] {
        let n = words.count
        guard n > 0, n <= Self.phraseWordLimit, !compiled.isEmpty else { return [] }
        let limit = Self.variantLimit
        var suffixes = [[[PhraseWord]]](repeating: [], count: n + 1)
        suffixes[n] = [[]]
        for i in stride(from: n - 1, through: 0, by: -1) {
            var out: [[PhraseWord]] = suffixes[i + 1].map { [words[i]] + $0 }
            groups: for group in compiled {
                for entry in group where !entry.isEmpty && entry.count <= n - i {
                    guard zip(words[i..<(i + entry.count)], entry).allSatisfy({ $0.sameWord($1) }) else { continue }
                    let tails = suffixes[i + entry.count]
                    for other in group where !other.isEmpty {
                        for tail in tails {
                            if out.count >= limit { break groups }
                            out.append(other + tail)
                        }
                    }
                }
            }
            if out.count > limit { out.removeLast(out.count - limit) }
            suffixes[i] = out
        }
        return Array(suffixes[0].dropFirst())
    }
}

/// Gives equal group lists the same small integer, so vocabularies compare and hash cheaply.
final class VocabularyRegistry: @unchecked Sendable {
    typealias Entry = (groups: [Vocabulary.Group], id: Int, compiled: [[[PhraseWord]]])
    static let shared = VocabularyRegistry()
    private let lock = NSLock()
    /// Keyed by the groups as given; the entry holds them cleaned and normalised.
    private var entries: [[Vocabulary.Group]: Entry] = [[]: ([], 0, [])]
    private var ids: [[Vocabulary.Group]: Int] = [[]: 0]

    /// The cleaned groups (trimmed, empty entries and one-entry groups dropped), their identity and
    /// their normalised entries. Equal lists are cleaned and stemmed once, however many engines and
    /// scorers build the same vocabulary; equal cleaned lists share one identity.
    func register(_ groups: [Vocabulary.Group]) -> Entry {
        lock.lock()
        if let hit = entries[groups] { lock.unlock(); return hit }
        lock.unlock()
        let cleaned = groups.map { g in
            Vocabulary.Group(language: g.language, entries: g.entries
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty })
        }.filter { $0.entries.count >= 2 }
        let compiled = cleaned.map { $0.entries.map { TextNormalizer.normalize($0).tokens.map(PhraseWord.init) } }
        lock.lock()
        defer { lock.unlock() }
        if let hit = entries[groups] { return hit }
        let id: Int
        if let known = ids[cleaned] { id = known } else { id = ids.count; ids[cleaned] = id }
        let entry = (groups: cleaned, id: id, compiled: compiled)
        entries[groups] = entry
        return entry
    }
}
