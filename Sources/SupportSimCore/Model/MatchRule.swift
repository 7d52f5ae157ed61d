/// How a reply is recognised. Every listed part must hold:
/// - `any`: at least one of the phrases occurs;
/// - `all`: each group has at least one phrase that occurs;
/// - `regex`: at least one regular expression matches (case-insensitive);
/// - `none`: none of these phrases occurs.
/// A rule with no positive part (`any`, `all`, `regex`) never matches.
///
/// Phrases are compared on normalised text (see `TextNormalizer`): lower case, «ё» as «е»,
/// punctuation as spaces; a phrase matches at the start of a word, so "корзин" matches «корзину».
public struct MatchRule: Sendable, Equatable {
    public var any: [String]
    public var all: [[String]]
    public var regex: [String]
    public var none: [String]

    public init(any: [String] = [], all: [[String]] = [], regex: [String] = [], none: [String] = []) {
        self.any = any; self.all = all; self.regex = regex; self.none = none
    }

    public var isEmpty: Bool { any.isEmpty && all.isEmpty && regex.isEmpty }
}
