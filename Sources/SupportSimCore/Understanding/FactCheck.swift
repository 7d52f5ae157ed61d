/// What a reply says about one key fact of an intent.
public enum FactStatus: Sendable, Equatable {
    /// An accepted value was named (as typed).
    case accepted(String)
    /// A wrong value was named (as typed), with the feedback for it.
    case wrong(String, feedback: String?)
    /// A required fact was not stated.
    case missing(feedback: String?)
    /// Not stated, and not required.
    case absent

    /// Whether the fact lets the intent be credited.
    public var allowsCredit: Bool {
        switch self {
        case .accepted, .absent: true
        case .wrong, .missing: false
        }
    }
}

public struct FactResult: Sendable, Equatable {
    public var fact: String
    public var status: FactStatus
    public init(fact: String, status: FactStatus) { self.fact = fact; self.status = status }
}

/// A fact requirement prepared for checking many replies: value phrases compiled once.
public struct CompiledFact: Sendable {
    public let requirement: FactRequirement
    let accepted: CompiledPhraseList
    let wrong: [(CompiledPhraseList, String)]

    public init(_ requirement: FactRequirement, vocabulary: Vocabulary = .empty) {
        self.requirement = requirement
        accepted = CompiledPhraseList(requirement.type == .value ? requirement.accept : [], vocabulary: vocabulary)
        wrong = requirement.type == .value
            ? requirement.wrong.map { (CompiledPhraseList($0.values, vocabulary: vocabulary), $0.feedback) } : []
    }

    /// Reads the fact in a reply. Values in negated clauses do not count ("not the comma").
    /// A wrong value wins over an accepted one: "comma or semicolon" is not the right setting.
    public func check(_ reply: ReadReply) -> FactResult {
        let r = requirement
        func done(_ s: FactStatus) -> FactResult { FactResult(fact: r.name, status: s) }
        func typed(_ range: Range<Int>) -> String {
            range.isEmpty ? "" : range.map { reply.text.words[$0] }.joined(separator: " ")
        }
        if r.type == .value {
            let good = accepted.occurrences(in: reply)
            var taken = Set<Int>()
            for g in good { taken.formUnion(g.tokens) }
            for (list, feedback) in wrong {
                if let bad = list.occurrences(in: reply).first(where: { !$0.tokens.contains(where: taken.contains) }) {
                    return done(.wrong(typed(bad.tokens), feedback: feedback))
                }
            }
            if let first = good.first { return done(.accepted(typed(first.tokens))) }
            return done(r.required ? .missing(feedback: r.missingFeedback) : .absent)
        }
        let found = FactFinder.find(r.type, in: reply.raw, reply.text).filter { fact in
            guard let first = fact.tokens.first, first < reply.negated.count else { return true }
            return !reply.negated[first]
        }
        var firstAccepted: String?
        for fact in found {
            if let entry = r.wrong.first(where: { $0.values.contains { Self.same($0, fact, type: r.type) } }) {
                return done(.wrong(fact.text, feedback: entry.feedback))
            }
            if !r.accept.isEmpty, !r.accept.contains(where: { Self.same($0, fact, type: r.type) }) {
                return done(.wrong(fact.text, feedback: r.feedback))
            }
            if r.type == .time, let max = r.maxMinutes, let time = fact.time,
               let bound = time.bound(now: r.now ?? FactRequirement.assumedNow), bound > max {
                return done(.wrong(fact.text, feedback: r.feedback))
            }
            if firstAccepted == nil { firstAccepted = fact.text }
        }
        if let firstAccepted { return done(.accepted(firstAccepted)) }
        return done(r.required ? .missing(feedback: r.missingFeedback) : .absent)
    }

    /// Compares an author's value with a found fact of the same type.
    static func same(_ value: String, _ fact: FoundFact, type: FactType) -> Bool {
        switch type {
        case .number:
            if let n = Double(value.replacingOccurrences(of: ",", with: ".")), let f = fact.number { return n == f }
            return value.lowercased() == fact.value.lowercased()
        case .phone:
            let digits = { (s: String) in s.filter(\.isNumber) }
            return digits(value) == digits(fact.value) && !digits(value).isEmpty
        case .ticket, .email, .value, .time:
            let a = value.lowercased().filter { !$0.isWhitespace }
            return a == fact.value.lowercased().filter { !$0.isWhitespace }
                || a == fact.text.lowercased().filter { !$0.isWhitespace }
        }
    }
}
