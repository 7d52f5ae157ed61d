import Foundation

/// Tells which words are not in a language's dictionary.
///
/// The core package has no dictionaries of its own: the spelling category is scored with a checker
/// passed in (`SupportSimSpelling.HunspellChecker` in the application, a word list in tests).
/// Implementations must be safe to call from several threads at once.
public protocol SpellChecker: Sendable {
    /// The words of `words` that are misspelt in `language`, in the order given (a word given
    /// twice and misspelt is returned twice).
    ///
    /// Words are passed as typed: capitalised at the start of a sentence, in ALL CAPS when shouted,
    /// possibly with an inner hyphen («что-нибудь», "e-mail") or apostrophe ("don't").
    func misspelled(_ words: [String], language: Language) -> [String]
}

/// A checker backed by word lists, for tests and for tools that have no dictionaries installed.
///
/// A word is correct when its lower-cased form (with «ё» read as «е») is in the language's list;
/// an inner hyphen splits a word into parts that are checked one by one.
public struct WordListSpellChecker: SpellChecker {
    private let words: [Language: Set<String>]

    public init(_ words: [Language: [String]]) {
        self.words = words.mapValues { Set($0.map(Self.fold)) }
    }

    public func misspelled(_ words: [String], language: Language) -> [String] {
        let known = self.words[language] ?? []
        return words.filter { word in
            let folded = Self.fold(word)
            if known.contains(folded) { return false }
            let parts = folded.split(separator: "-")
            return parts.isEmpty || !parts.allSatisfy { known.contains(String($0)) }
        }
    }

    static func fold(_ word: String) -> String {
        word.lowercased().replacingOccurrences(of: "ё", with: "е")
    }
}
