import Yams

/// Resolves the tag of a plain (unquoted) YAML scalar the way Yams' `Resolver.default` does (the
/// YAML 1.1 rules: bool, int, float, merge, null, timestamp, value, tried in that order), without
/// regular expressions.
///
/// The scenario parser composes with `Resolver.basic`, which leaves every untagged scalar a string,
/// and asks for a scalar's type only where it reads a number or a flag. Yams' default resolver runs
/// up to seven `NSRegularExpression`s on every scalar of the file while composing, which was a third
/// of `lint`'s time. `YAMLScalarTagTests` checks this against `Resolver.default` on many strings.
enum YAMLScalarTag {
    static func resolve(_ string: String) -> Tag.Name {
        var text = string
        return text.withUTF8 { resolve(bytes: $0) }
    }

    static func resolve(bytes s: UnsafeBufferPointer<UInt8>) -> Tag.Name {
        if s.isEmpty { return .null }
        // Every rule starts with one of these bytes; anything else is a string at once.
        switch s[0] {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
            if isInt(s) { return .int }
            if isFloat(s) { return .float }
            if isTimestamp(s) { return .timestamp }
            return .str
        case UInt8(ascii: "~"):
            return s.count == 1 ? .null : .str
        case UInt8(ascii: "<"):
            return s.count == 2 && s[1] == UInt8(ascii: "<") ? .merge : .str
        case UInt8(ascii: "="):
            return s.count == 1 ? .value : .str
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"),
             UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"):
            guard s.count <= 5, let word = String(bytes: s, encoding: .utf8) else { return .str }
            if boolWords.contains(word) { return .bool }
            if nullWords.contains(word) { return .null }
            return .str
        default:
            return .str
        }
    }

    /// The value of a YAML 1.1 bool word (`yes`, `Off`, `TRUE`, ...); nil for any other text.
    /// (Yams' `Bool.construct` answers nil for every scalar tagged as a string, which with
    /// `Resolver.basic` is every untagged one.)
    static func boolValue(_ string: String) -> Bool? {
        guard boolWords.contains(string) else { return nil }
        switch string.lowercased() {
        case "true", "yes", "on": return true
        default: return false
        }
    }

    private static let boolWords: Set<String> = [
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
    ]
    private static let nullWords: Set<String> = ["null", "Null", "NULL"]

    // MARK: - Byte classes

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    private static func isDigitOrUnderscore(_ b: UInt8) -> Bool { isDigit(b) || b == 0x5F }
    private static func isSign(_ b: UInt8) -> Bool { b == 0x2B || b == 0x2D }

    /// Index after an optional sign.
    private static func afterSign(_ s: UnsafeBufferPointer<UInt8>) -> Int { !s.isEmpty && isSign(s[0]) ? 1 : 0 }

    /// True when `s[from..<to]` is non-empty and every byte satisfies `ok`.
    private static func all(_ s: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, _ ok: (UInt8) -> Bool) -> Bool {
        guard from < to else { return false }
        for i in from..<to where !ok(s[i]) { return false }
        return true
    }

    /// `(?::[0-5]?[0-9])+` over `s[from..<to]`: one or more `:` groups of one digit, or two digits
    /// the first of which is 0–5.
    private static func isSexagesimalTail(_ s: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        var i = from, groups = 0
        while i < to {
            guard s[i] == UInt8(ascii: ":") else { return false }
            var j = i + 1
            while j < to, s[j] != UInt8(ascii: ":") { j += 1 }
            let length = j - (i + 1)
            if length == 1 {
                guard isDigit(s[i + 1]) else { return false }
            } else if length == 2 {
                guard s[i + 1] >= 0x30, s[i + 1] <= 0x35, isDigit(s[i + 2]) else { return false }
            } else {
                return false
            }
            groups += 1
            i = j
        }
        return groups > 0
    }

    /// The first index in `s[from..<to]` whose byte fails `ok` (or `to`).
    private static func span(_ s: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, _ ok: (UInt8) -> Bool) -> Int {
        var i = from
        while i < to, ok(s[i]) { i += 1 }
        return i
    }

    // MARK: - Rules

    /// `[-+]?0b[0-1_]+ | [-+]?0o?[0-7_]+ | [-+]?(?:0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+
    ///  | [-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+`
    static func isInt(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = s.count, start = afterSign(s)
        guard start < n else { return false }
        if s[start] == UInt8(ascii: "0") {
            if n == start + 1 { return true }
            let next = s[start + 1]
            if next == UInt8(ascii: "b") { return all(s, start + 2, n) { $0 == 0x30 || $0 == 0x31 || $0 == 0x5F } }
            if next == UInt8(ascii: "x") {
                return all(s, start + 2, n) { isDigitOrUnderscore($0) || ($0 >= 0x61 && $0 <= 0x66) || ($0 >= 0x41 && $0 <= 0x46) }
            }
            let octal: (UInt8) -> Bool = { ($0 >= 0x30 && $0 <= 0x37) || $0 == 0x5F }
            if next == UInt8(ascii: "o") { return all(s, start + 2, n, octal) }
            return all(s, start + 1, n, octal)
        }
        guard s[start] >= UInt8(ascii: "1"), s[start] <= UInt8(ascii: "9") else { return false }
        let end = span(s, start + 1, n, isDigitOrUnderscore)
        if end == n { return true }
        return isSexagesimalTail(s, end, n)
    }

    /// `[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)? | \.[0-9_]+(?:[eE][-+][0-9]+)?
    ///  | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]* | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)`
    static func isFloat(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = s.count
        guard n > 0 else { return false }
        if s[0] == UInt8(ascii: "."), isNaN(s, from: 1) { return true }
        if s[0] == UInt8(ascii: ".") {
            // \.[0-9_]+(?:[eE][-+][0-9]+)?
            let digits = span(s, 1, n, isDigitOrUnderscore)
            if digits > 1 {
                if digits == n { return true }
                if (s[digits] == UInt8(ascii: "e") || s[digits] == UInt8(ascii: "E")), digits + 1 < n, isSign(s[digits + 1]),
                   all(s, digits + 2, n, isDigit) { return true }
            }
        }
        let start = afterSign(s)
        guard start < n else { return false }
        if s[start] == UInt8(ascii: "."), isInfinity(s, from: start + 1) { return true }
        guard isDigit(s[start]) else { return false }
        let mantissaEnd = span(s, start + 1, n, isDigitOrUnderscore)
        // First alternative: optional fraction, optional exponent.
        var i = mantissaEnd
        if i < n, s[i] == UInt8(ascii: ".") { i = span(s, i + 1, n, isDigitOrUnderscore) }
        if i == n { return true }
        if s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") {
            var j = i + 1
            if j < n, isSign(s[j]) { j += 1 }
            if all(s, j, n, isDigit) { return true }
        }
        // Sexagesimal with a fraction.
        if mantissaEnd < n, s[mantissaEnd] == UInt8(ascii: ":") {
            var dot = n - 1
            while dot > mantissaEnd, s[dot] != UInt8(ascii: ".") { dot -= 1 }
            guard s[dot] == UInt8(ascii: "."), span(s, dot + 1, n, isDigitOrUnderscore) == n else { return false }
            return isSexagesimalTail(s, mantissaEnd, dot)
        }
        return false
    }

    private static func matchesWord(_ s: UnsafeBufferPointer<UInt8>, from: Int, _ words: [String]) -> Bool {
        guard s.count - from == 3 else { return false }
        let tail = String(decoding: UnsafeBufferPointer(rebasing: s[from...]), as: UTF8.self)
        return words.contains(tail)
    }

    private static func isInfinity(_ s: UnsafeBufferPointer<UInt8>, from: Int) -> Bool {
        matchesWord(s, from: from, ["inf", "Inf", "INF"])
    }

    private static func isNaN(_ s: UnsafeBufferPointer<UInt8>, from: Int) -> Bool {
        matchesWord(s, from: from, ["nan", "NaN", "NAN"])
    }

    /// `[0-9]{4}-[0-9]{2}-[0-9]{2}` or `[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}
    /// (?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?`
    static func isTimestamp(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = s.count
        guard n >= 8, all(s, 0, 4, isDigit), s[4] == UInt8(ascii: "-") else { return false }
        if n == 10, all(s, 5, 7, isDigit), s[7] == UInt8(ascii: "-"), all(s, 8, 10, isDigit) { return true }
        // Month and day of one or two digits.
        var i = 5
        let monthEnd = span(s, i, min(n, i + 2), isDigit)
        guard monthEnd > i, monthEnd < n, s[monthEnd] == UInt8(ascii: "-") else { return false }
        i = monthEnd + 1
        let dayEnd = span(s, i, min(n, i + 2), isDigit)
        guard dayEnd > i, dayEnd < n else { return false }
        i = dayEnd
        // Separator: T, t, or one or more blanks.
        if s[i] == UInt8(ascii: "T") || s[i] == UInt8(ascii: "t") {
            i += 1
        } else {
            let blanks = span(s, i, n) { $0 == 0x20 || $0 == 0x09 }
            guard blanks > i else { return false }
            i = blanks
        }
        // Hour of one or two digits, then :MM:SS.
        let hourEnd = span(s, i, min(n, i + 2), isDigit)
        guard hourEnd > i, hourEnd + 6 <= n, s[hourEnd] == UInt8(ascii: ":"), all(s, hourEnd + 1, hourEnd + 3, isDigit),
              s[hourEnd + 3] == UInt8(ascii: ":"), all(s, hourEnd + 4, hourEnd + 6, isDigit) else { return false }
        i = hourEnd + 6
        if i < n, s[i] == UInt8(ascii: ".") { i = span(s, i + 1, n, isDigit) }
        if i == n { return true }
        // Time zone, after optional blanks.
        i = span(s, i, n) { $0 == 0x20 || $0 == 0x09 }
        guard i < n else { return false }
        if s[i] == UInt8(ascii: "Z") { return i + 1 == n }
        guard isSign(s[i]) else { return false }
        i += 1
        let zoneHourEnd = span(s, i, min(n, i + 2), isDigit)
        guard zoneHourEnd > i else { return false }
        if zoneHourEnd == n { return true }
        return zoneHourEnd + 3 == n && s[zoneHourEnd] == UInt8(ascii: ":") && all(s, zoneHourEnd + 1, n, isDigit)
    }
}
