/// Normalised, tokenised form of a reply used by match rules.
public struct NormalizedText: Sendable, Equatable {
    /// Lower-cased words, «ё» folded to «е», punctuation removed.
    public var words: [String]
    /// The words joined by single spaces, with a leading and trailing space, so that
    /// " phrase" searches start at a word boundary.
    public var padded: String

    public init(words: [String]) {
        self.words = words
        self.padded = " " + words.joined(separator: " ") + " "
    }
}

public enum TextNormalizer {
    /// Case folding, «ё»→«е», letters and digits kept, everything else a word break.
    /// Dots, colons and hyphens inside a token of digits or letters are kept ("10.0.0.1", "e-mail", "0x80070005").
    public static func normalize(_ text: String) -> NormalizedText {
        var words: [String] = []
        var current = ""
        let scalars = Array(text.lowercased().unicodeScalars)
        for (i, s) in scalars.enumerated() {
            var c = s
            if c == "ё" { c = "е" }
            if c.properties.isAlphabetic || c.properties.numericType != nil {
                current.unicodeScalars.append(c)
            } else if (c == "." || c == "-" || c == ":" || c == "_" || c == "/"), !current.isEmpty,
                      i + 1 < scalars.count,
                      scalars[i + 1].properties.isAlphabetic || scalars[i + 1].properties.numericType != nil {
                current.unicodeScalars.append(c)
            } else if c == "'" || c == "’" {
                // "don't", "I'm": keep the apostrophe inside a word
                if !current.isEmpty, i + 1 < scalars.count, scalars[i + 1].properties.isAlphabetic {
                    current.unicodeScalars.append("'")
                }
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return NormalizedText(words: words)
    }
}
