import Foundation

/// The outcome of matching one rule against one reply: the phrases that were found.
public struct MatchEvidence: Sendable, Equatable {
    /// The rule's phrases (or regexes) that matched, for explanations.
    public var matched: [String]
    public init(matched: [String]) { self.matched = matched }
}

/// Applies `MatchRule`s to replies. Phrases match at word starts: each phrase word of three or
/// more letters matches a reply word that begins with it ("перезагруз" matches «перезагрузите»);
/// shorter phrase words must match a whole word.
public enum Matcher {
    public static func match(_ rule: MatchRule, in text: String) -> MatchEvidence? {
        match(rule, in: TextNormalizer.normalize(text), raw: text)
    }

    public static func match(_ rule: MatchRule, in text: NormalizedText, raw: String) -> MatchEvidence? {
        if rule.isEmpty { return nil }
        var found: [String] = []
        if !rule.any.isEmpty {
            let hits = rule.any.filter { contains(phrase: $0, in: text) }
            guard !hits.isEmpty else { return nil }
            found += hits
        }
        for group in rule.all {
            guard let hit = group.first(where: { contains(phrase: $0, in: text) }) else { return nil }
            found.append(hit)
        }
        if !rule.regex.isEmpty {
            let hits = rule.regex.filter { regexMatches($0, raw) }
            guard !hits.isEmpty else { return nil }
            found += hits
        }
        if rule.none.contains(where: { contains(phrase: $0, in: text) }) { return nil }
        return MatchEvidence(matched: found)
    }

    public static func contains(phrase: String, in text: NormalizedText) -> Bool {
        let p = TextNormalizer.normalize(phrase).words
        guard !p.isEmpty, p.count <= text.words.count else { return false }
        let w = text.words
        outer: for start in 0...(w.count - p.count) {
            for (k, pw) in p.enumerated() {
                let rw = w[start + k]
                if pw.count >= 3 ? !rw.hasPrefix(pw) : rw != pw { continue outer }
            }
            return true
        }
        return false
    }

    /// Checks that a pattern compiles; returns the error text otherwise.
    public static func regexError(_ pattern: String) -> String? {
        do { _ = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive]); return nil }
        catch { return "\(error.localizedDescription)" }
    }

    static func regexMatches(_ pattern: String, _ raw: String) -> Bool {
        guard let re = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return false }
        return re.firstMatch(in: raw, range: NSRange(raw.startIndex..., in: raw)) != nil
    }
}
