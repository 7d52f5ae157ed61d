import Foundation
import Yams

/// Typed reads of YAML values that report problems instead of failing. Subclassed by the
/// scenario decoder; every read returns nil (or a default) when the value is missing or wrong.
class YAMLValueReader {
    private(set) var diagnostics: [Diagnostic] = []

    func report(_ severity: Diagnostic.Severity = .error, _ code: String, _ message: String,
                at location: SourceLocation, hint: String? = nil) {
        diagnostics.append(Diagnostic(severity, code: code, message, at: location, hint: hint))
    }

    func wrongType(_ what: String, expected: String, found node: YNode, hint: String? = nil) {
        report(.error, ScenarioDiagnosticCode.wrongType, "\(what): expected \(expected), found \(node.kindDescription)",
               at: node.location, hint: hint)
    }

    /// The mapping's fields, or nil (with a diagnostic) when the node is not a mapping.
    func fields(_ node: YNode, _ what: String, context: String, known: [String]?) -> Fields? {
        guard case let .mapping(mapping) = node else {
            wrongType(what, expected: "a mapping", found: node)
            return nil
        }
        return Fields(node: node, context: context, mapping: mapping, known: known) { diagnostics.append($0) }
    }

    func missing(_ key: String, in fields: Fields, hint: String? = nil) {
        report(.error, ScenarioDiagnosticCode.missingKey, "missing required key '\(key)' in \(fields.context)",
               at: fields.location, hint: hint ?? "add `\(key):`")
    }

    // MARK: Scalars

    /// Any scalar as text (numbers and booleans keep their spelling).
    func text(_ node: YNode, _ what: String) -> Located<String>? {
        guard case let .scalar(scalar) = node, !node.isNull else {
            wrongType(what, expected: "a string", found: node, hint: Self.quotingHint(node))
            return nil
        }
        return Located(value: scalar.string, location: node.location)
    }

    func string(_ f: Fields, _ key: String, required: Bool = false, nonEmpty: Bool = false) -> Located<String>? {
        guard let node = f[key] else {
            if required {
                if let present = f.entries[key]?.value {
                    report(.error, ScenarioDiagnosticCode.wrongType, "'\(key)' in \(f.context) has no value",
                           at: present.location, hint: "write a value after `\(key):`")
                } else {
                    missing(key, in: f)
                }
            }
            return nil
        }
        guard let value = text(node, "'\(key)' in \(f.context)") else { return nil }
        if nonEmpty, value.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            report(.error, ScenarioDiagnosticCode.invalidValue, "'\(key)' in \(f.context) is empty",
                   at: value.location, hint: "write some text")
        }
        return value
    }

    /// A whole number written without quotes. Never traps on huge values.
    func integer(_ node: YNode, _ what: String) -> Int? {
        guard case let .scalar(scalar) = node, node.tagName == .int,
              scalar.style == .plain || scalar.style == .any else {
            wrongType(what, expected: "a whole number", found: node,
                      hint: quotedNumber(node) ? "remove the quotes around the number" : nil)
            return nil
        }
        guard let value = Self.parseInteger(scalar.string) else {
            report(.error, ScenarioDiagnosticCode.invalidValue, "\(what): the number \(Self.clip(scalar.string)) is out of range",
                   at: node.location, hint: "use a small whole number")
            return nil
        }
        return value
    }

    func integer(_ f: Fields, _ key: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let node = f[key] else {
            if required { missing(key, in: f) }
            return nil
        }
        guard let value = integer(node, "'\(key)' in \(f.context)") else { return nil }
        guard range.contains(value) else {
            report(.error, ScenarioDiagnosticCode.invalidValue,
                   "'\(key)' in \(f.context) is \(value), outside the allowed range \(Self.describe(range))",
                   at: node.location, hint: "use a value \(Self.describe(range))")
            return nil
        }
        return value
    }

    func number(_ f: Fields, _ key: String, in range: ClosedRange<Double>) -> Double? {
        guard let node = f[key] else { return nil }
        return number(node, "'\(key)' in \(f.context)", in: range)
    }

    func number(_ node: YNode, _ what: String, in range: ClosedRange<Double>) -> Double? {
        guard case let .scalar(scalar) = node, node.tagName == .int || node.tagName == .float,
              scalar.style == .plain || scalar.style == .any else {
            wrongType(what, expected: "a number", found: node,
                      hint: quotedNumber(node) ? "remove the quotes around the number" : nil)
            return nil
        }
        let cleaned = scalar.string.replacingOccurrences(of: "_", with: "")
        let value = Self.parseInteger(cleaned).map(Double.init) ?? Double(cleaned)
        guard let value, value.isFinite else {
            report(.error, ScenarioDiagnosticCode.invalidValue, "\(what): \(Self.clip(scalar.string)) is not a usable number",
                   at: node.location, hint: "use a plain number such as 40")
            return nil
        }
        guard range.contains(value) else {
            report(.error, ScenarioDiagnosticCode.invalidValue,
                   "\(what) is \(Self.clip(scalar.string)), outside the allowed range \(Self.describe(range))",
                   at: node.location, hint: "use a value \(Self.describe(range))")
            return nil
        }
        return value
    }

    func bool(_ f: Fields, _ key: String) -> Bool? {
        guard let node = f[key] else { return nil }
        guard case let .scalar(scalar) = node, node.tagName == .bool,
              let value = YAMLScalarTag.boolValue(scalar.string) else {
            wrongType("'\(key)' in \(f.context)", expected: "true or false", found: node)
            return nil
        }
        return value
    }

    /// One of a fixed set of words.
    func choice<T>(_ f: Fields, _ key: String, allowed: [String], required: Bool = false, _ make: (String) -> T?) -> T? {
        guard let node = f[key] else {
            if required { missing(key, in: f, hint: "add `\(key):` with one of: \(allowed.joined(separator: ", "))") }
            return nil
        }
        guard let word = text(node, "'\(key)' in \(f.context)") else { return nil }
        if let value = make(word.value) { return value }
        let suggestion = Suggest.closest(to: word.value, among: allowed)
        report(.error, ScenarioDiagnosticCode.invalidValue,
               "'\(key)' in \(f.context) is '\(Self.clip(word.value))', which is not one of: \(allowed.joined(separator: ", "))",
               at: word.location,
               hint: suggestion.map { "did you mean '\($0)'?" } ?? "use one of: \(allowed.joined(separator: ", "))")
        return nil
    }

    // MARK: Lists

    /// A list of strings (a single string counts as a list of one when `allowSingle`).
    func stringList(_ node: YNode, _ what: String, allowSingle: Bool = false) -> [Located<String>]? {
        switch node {
        case .sequence(let sequence):
            var out: [Located<String>] = []
            for (i, item) in sequence.enumerated() {
                if let value = text(item, "\(what) item \(i + 1)") { out.append(value) }
            }
            return out
        case .scalar where allowSingle && !node.isNull:
            return text(node, what).map { [$0] }
        default:
            wrongType(what, expected: allowSingle ? "a string or a list of strings" : "a list of strings", found: node)
            return nil
        }
    }

    func stringList(_ f: Fields, _ key: String, allowSingle: Bool = false) -> [Located<String>]? {
        guard let node = f[key] else { return nil }
        return stringList(node, "'\(key)' in \(f.context)", allowSingle: allowSingle)
    }

    /// Customer lines: a string or a list of strings. Warns (SS013) on an empty list.
    func lines(_ f: Fields, _ key: String, warnEmpty: Bool = true) -> [String]? {
        guard let node = f[key] else { return nil }
        let reported = diagnostics.count
        guard let list = stringList(node, "'\(key)' in \(f.context)", allowSingle: true) else { return nil }
        let lines = list.map(\.value).filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        // A line dropped for a type error (SS003) is not also an empty list.
        if lines.isEmpty, warnEmpty, diagnostics.count == reported {
            report(.warning, ScenarioDiagnosticCode.emptyContent, "'\(key)' in \(f.context) has no lines",
                   at: node.location, hint: "write at least one line, or remove the key")
        }
        return lines
    }

    // MARK: Helpers

    /// Text with ": " in it, written without quotes, is read by YAML as a mapping
    /// (`- Баннер: картинки не грузятся`). The hint gives the line with the text quoted.
    static func quotingHint(_ node: YNode) -> String? {
        guard case let .mapping(mapping) = node, mapping.count == 1, let (key, value) = mapping.first,
              case let .scalar(k) = key, case let .scalar(v) = value,
              k.style == .plain || k.style == .any, v.style == .plain || v.style == .any else { return nil }
        let original = "\(k.string): \(v.string)"
        let quoted = "\"" + original.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        return "a colon followed by a space makes YAML read the text as a key and a value; put the text in quotes: \(quoted.count > 100 ? String(quoted.prefix(99)) + "…\"" : quoted)"
    }

    private func quotedNumber(_ node: YNode) -> Bool {
        guard case let .scalar(scalar) = node, scalar.style != .plain, scalar.style != .any else { return false }
        return Double(scalar.string.trimmingCharacters(in: .whitespaces)) != nil
    }

    static func parseInteger(_ raw: String) -> Int? {
        var s = raw.replacingOccurrences(of: "_", with: "")
        var negative = false
        if s.hasPrefix("-") { negative = true; s.removeFirst() } else if s.hasPrefix("+") { s.removeFirst() }
        guard !s.isEmpty, s.count <= 80 else { return nil }
        var magnitude: Int?
        if s.hasPrefix("0x") { magnitude = Int(s.dropFirst(2), radix: 16) }
        else if s.hasPrefix("0b") { magnitude = Int(s.dropFirst(2), radix: 2) }
        else if s.hasPrefix("0o") { magnitude = Int(s.dropFirst(2), radix: 8) }
        else if s.count > 1, s.hasPrefix("0") { magnitude = Int(s.dropFirst(), radix: 8) }
        else if s.allSatisfy({ $0.isASCII && $0.isNumber }) { magnitude = Int(s) }
        guard let magnitude else { return nil }
        return negative ? -magnitude : magnitude
    }

    static func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == Int.max { return ">= \(range.lowerBound)" }
        return "\(range.lowerBound)..\(range.upperBound)"
    }

    static func describe(_ range: ClosedRange<Double>) -> String {
        func f(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d) }
        if range.upperBound == .greatestFiniteMagnitude { return ">= \(f(range.lowerBound))" }
        return "\(f(range.lowerBound))..\(f(range.upperBound))"
    }

    static func clip(_ s: String) -> String { s.count > 40 ? String(s.prefix(40)) + "…" : s }
}
