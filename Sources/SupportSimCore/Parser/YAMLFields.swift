import Foundation
import Yams

typealias YNode = Yams.Node

/// A value and where it was written.
struct Located<Value> {
    var value: Value
    var location: SourceLocation
}

extension YNode {
    var location: SourceLocation {
        guard let mark else { return SourceLocation(line: 1, column: 1) }
        return SourceLocation(line: max(1, mark.line), column: max(1, mark.column))
    }

    /// The resolved tag's name (`Tag.name` itself is not public). Scenario files are composed with
    /// `Resolver.basic` (every untagged scalar is a string), so an unquoted scalar's YAML 1.1 type
    /// (bool, int, float, null, ...) is resolved here, only when a reader asks for it.
    var tagName: Tag.Name {
        let name = Tag.Name(rawValue: tag.rawValue)
        if case let .scalar(scalar) = self, name == .str, scalar.style == .plain || scalar.style == .any {
            return YAMLScalarTag.resolve(scalar.string)
        }
        return name
    }

    var isNull: Bool {
        if case .scalar = self { return tagName == .null }
        return false
    }

    /// "a mapping", "a list", "a number", ... for "expected X, found Y" messages.
    var kindDescription: String {
        switch self {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case let .scalar(scalar):
            switch tagName {
            case .null: return "an empty value"
            case .bool: return "true/false"
            case .int: return "a whole number"
            case .float: return "a number"
            default:
                if scalar.style == .plain || scalar.style == .any {
                    let text = scalar.string
                    return "the text '\(text.count > 40 ? String(text.prefix(40)) + "…" : text)'"
                }
                return "a string"
            }
        }
    }
}

/// The entries of one YAML mapping, checked against the keys a context allows.
struct Fields {
    let node: YNode
    /// Where the mapping starts (its first key for block mappings).
    let location: SourceLocation
    /// Key text → (key node, value node), for the keys that are known.
    private(set) var entries: [String: (key: YNode, value: YNode)] = [:]
    /// Every string key in file order (known or not).
    private(set) var order: [(key: String, keyNode: YNode, value: YNode)] = []
    let context: String

    init(node: YNode, context: String, mapping: YNode.Mapping, known: [String]?, report: (Diagnostic) -> Void) {
        self.node = node
        self.location = node.location
        self.context = context
        for (key, value) in mapping {
            guard case let .scalar(scalar) = key, !key.isNull else {
                report(Diagnostic(.error, code: ScenarioDiagnosticCode.wrongType,
                                  "expected a key name in \(context), found \(key.kindDescription)",
                                  at: key.location, hint: "keys are plain words such as `title`"))
                continue
            }
            let name = scalar.string
            order.append((name, key, value))
            if let known, !known.contains(name) {
                report(Diagnostic(.error, code: ScenarioDiagnosticCode.unknownKey,
                                  "unknown key '\(name)' in \(context)", at: key.location,
                                  hint: Suggest.hint(for: name, among: known, listing: "allowed keys")))
                continue
            }
            entries[name] = (key, value)
        }
    }

    subscript(_ key: String) -> YNode? {
        guard let value = entries[key]?.value, !value.isNull else { return nil }
        return value
    }

    func keyNode(_ key: String) -> YNode? { entries[key]?.key }

    func has(_ key: String) -> Bool { self[key] != nil }
}

/// "Did you mean" suggestions by edit distance.
enum Suggest {
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// Edit distance when it is at most `k`, else `k + 1`; only a band of width 2k+1 is
    /// computed, so the time is linear in the words' length.
    static func distance(_ a: [Character], _ b: [Character], atMost k: Int) -> Int {
        let n = a.count, m = b.count
        let big = k + 1
        if abs(n - m) > k { return big }
        if n == 0 || m == 0 { return min(big, max(n, m)) }
        var previous = [Int](repeating: big, count: m + 1)
        var current = [Int](repeating: big, count: m + 1)
        for j in 0...min(m, k) { previous[j] = j }
        for i in 1...n {
            let lo = max(1, i - k), hi = min(m, i + k)
            current[lo - 1] = lo == 1 ? min(i, big) : big
            var rowMin = current[lo - 1]
            for j in lo...hi {
                let value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                current[j] = min(value, big)
                rowMin = min(rowMin, current[j])
            }
            if hi + 1 <= m { current[hi + 1] = big }
            if rowMin >= big { return big }
            swap(&previous, &current)
        }
        return min(previous[m], big)
    }

    /// Candidates compared with a word at most; beyond them only the prefix rule applies.
    static let candidateLimit = 5_000

    /// The closest candidate, when it is close enough to be a likely typo (at most three edits,
    /// fewer for short words). Linear in the candidates and in the word's length.
    static func closest(to word: String, among candidates: [String]) -> String? {
        guard word.count <= 200 else { return nil }
        let w = Array(word.lowercased())
        var best: (candidate: String, distance: Int)?
        for candidate in candidates.prefix(candidateLimit) where candidate.count <= 200 {
            let d = distance(w, Array(candidate.lowercased()), atMost: 3)
            if d <= 3, best == nil || d < best!.distance { best = (candidate, d) }
        }
        if let best {
            let limit = max(1, min(3, max(word.count, best.candidate.count) / 3))
            if best.distance <= limit && best.distance < max(word.count, best.candidate.count) { return best.candidate }
        }
        // "sla" for "sla_minutes", "note" for "note_must_mention"
        if word.count >= 3, let prefixed = candidates.first(where: { $0.lowercased().hasPrefix(word.lowercased()) }) {
            return prefixed
        }
        return nil
    }

    /// "did you mean 'x'?" or a list of the candidates.
    static func hint(for word: String, among candidates: [String], listing: String) -> String {
        if let best = closest(to: word, among: candidates) { return "did you mean '\(best)'?" }
        return "\(listing): " + list(candidates)
    }

    static func list(_ items: [String], limit: Int = 12) -> String {
        if items.isEmpty { return "(none)" }
        let shown = items.prefix(limit).joined(separator: ", ")
        return items.count > limit ? shown + ", … (\(items.count) in all)" : shown
    }
}
