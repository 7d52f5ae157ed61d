// Interim implementation of the facts API (replaced by the full finder).
public enum FactType: String, Sendable, Equatable, CaseIterable, Codable { case value, time, number, ticket, email, phone }

public struct FoundFact: Sendable, Equatable {
    public var type: FactType
    public var text: String
    public var source: Range<Int>
    public var tokens: Range<Int>
    public var value: String
    public var number: Double?
    public var time: TimeFrame?
}

public struct TimeFrame: Sendable, Equatable {
    public var minutes: Int?
    public var clock: Int?
    public var days: Int?
    public func bound(now: Int?) -> Int? {
        if let minutes { return minutes }
        if let clock, let now { return clock - now + (days ?? 0) * 1440 }
        return nil
    }
}

public enum FactFinder {
    public static func find(_ type: FactType, in raw: String, _ text: NormalizedText) -> [FoundFact] {
        var out: [FoundFact] = []
        for (i, t) in text.tokens.enumerated() where t.hasDigit {
            let w = TextNormalizer.string(t.word)
            if type == .number, let d = Double(w) {
                out.append(FoundFact(type: .number, text: w, source: 0..<0, tokens: i..<(i + 1), value: w, number: d, time: nil))
            }
        }
        return out
    }
}
