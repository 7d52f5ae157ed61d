// Interim implementation of the clause API (replaced by the full reader).
public struct Clause: Sendable, Equatable {
    public var tokens: Range<Int>
    public var source: Range<Int>
    public var negated: Range<Int>?
    public var negation: String?
    public var isCondition: Bool
    public var safeguard: String?
    public var step: Int
}

public enum ClauseReader {
    public static func clauses(of raw: String, _ text: NormalizedText) -> [Clause] {
        var out: [Clause] = []
        var start = 0
        let tokens = text.tokens
        var i = 0
        while i <= tokens.count {
            if i == tokens.count || (i > start && tokens[i].clause != tokens[start].clause) {
                if i > start {
                    let range = start..<i
                    let neg = range.contains { k in Negation.negators.contains { $0.count == 1 && $0[0] == tokens[k].word } }
                    out.append(Clause(tokens: range, source: 0..<0, negated: neg ? range : nil, negation: neg ? "not" : nil,
                                      isCondition: false, safeguard: nil, step: out.count))
                }
                start = i
            }
            i += 1
        }
        return out
    }

    public static func clause(containing index: Int, in clauses: [Clause]) -> Clause? {
        clauses.first { $0.tokens.contains(index) }
    }
}
