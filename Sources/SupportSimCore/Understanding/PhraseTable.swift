/// A small table of word sequences, each with a kind, looked up by the word they start with.
/// Entries are normalised with `TextNormalizer` exactly like replies, so "don't" and «не могу»
/// compare word by word with a reply's tokens.
struct PhraseTable<Kind: Sendable>: Sendable {
    struct Entry: Sendable {
        var words: [[UInt32]]
        var kind: Kind
    }

    /// Entries by their first word, longest first.
    private let byFirst: [[UInt32]: [Entry]]

    init(_ entries: [(String, Kind)]) {
        var map: [[UInt32]: [Entry]] = [:]
        for (text, kind) in entries {
            let words = TextNormalizer.normalize(text).tokens.map(\.word)
            guard let first = words.first else { continue }
            map[first, default: []].append(Entry(words: words, kind: kind))
        }
        for key in map.keys { map[key]?.sort { $0.words.count > $1.words.count } }
        byFirst = map
    }

    /// The entries that occur at token `i` (ending before `end`), longest first.
    func entries(at i: Int, in tokens: [Token], end: Int) -> [Entry] {
        guard i < end, let candidates = byFirst[tokens[i].word] else { return [] }
        return candidates.filter { entry in
            guard i + entry.words.count <= end else { return false }
            for k in 1..<max(1, entry.words.count) where tokens[i + k].word != entry.words[k] { return false }
            return true
        }
    }

    /// The longest entry at token `i` whose kind passes `accept`.
    func longest(at i: Int, in tokens: [Token], end: Int, where accept: (Kind) -> Bool = { _ in true }) -> Entry? {
        guard i < end, let candidates = byFirst[tokens[i].word] else { return nil }
        for entry in candidates where i + entry.words.count <= end && accept(entry.kind) {
            var ok = true
            for k in 1..<max(1, entry.words.count) where tokens[i + k].word != entry.words[k] { ok = false; break }
            if ok { return entry }
        }
        return nil
    }
}

/// Slices of a reply by UTF-8 byte offsets.
enum RawText {
    /// The text of `raw` in a UTF-8 byte range (empty for a range outside the text).
    static func slice(_ raw: String, _ range: Range<Int>) -> String {
        let u = raw.utf8
        guard range.lowerBound >= 0, !range.isEmpty, range.upperBound <= u.count else { return "" }
        let a = u.index(u.startIndex, offsetBy: range.lowerBound)
        let b = u.index(a, offsetBy: range.count)
        return String(decoding: u[a..<b], as: UTF8.self)
    }
}
