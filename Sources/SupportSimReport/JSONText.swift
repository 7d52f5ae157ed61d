import SupportSimCore

/// UTF-8 text gathered into one growing byte array: appending many small pieces (cells, keys,
/// punctuation) to an array of bytes costs far less than appending them to a `String`, which is
/// what a report of a hundred thousand rows spends most of its time on otherwise.
public struct ReportBytes: Sendable {
    public var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    public var count: Int { bytes.count }
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    @inline(__always)
    public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func append(byte: UInt8) { bytes.append(byte) }

    /// An integer in decimal, as `String(value)` writes it.
    mutating func appendDecimal<T: BinaryInteger>(_ value: T) {
        if let small = Int(exactly: value), small >= 0, small < 10 {
            bytes.append(UInt8(truncatingIfNeeded: 48 + small))
            return
        }
        if let v = Int64(exactly: value) {
            var magnitude = v.magnitude
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
                var i = 20
                repeat {
                    i -= 1
                    buffer[i] = UInt8(truncatingIfNeeded: 48 + magnitude % 10)
                    magnitude /= 10
                } while magnitude > 0
                if v < 0 { bytes.append(UInt8(ascii: "-")) }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[i..<20]))
            }
            return
        }
        append(String(value))
    }

    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    mutating func appendSpaces(_ count: Int) {
        if count > 0 { bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count)) }
    }
}

/// Hand-written JSON for the attempt reports: what `JSONEncoder` (sorted keys, no escaped slashes)
/// followed by `TerminalText.jsonEscapingControls` gives, written straight into bytes without an
/// encoder, a `Data` or a second pass per row.
///
/// Strings are escaped as JSON requires (quote, backslash, C0 controls, as `\n`, `\t`… or `\u00XX`),
/// plus every character a terminal would act on (DEL, C1 controls, bidi controls, as
/// `jsonEscapingControls` does) and the line and paragraph separators U+2028/U+2029 (valid raw in
/// JSON, but line breaks in JavaScript before ES2019). A Swift string is always valid Unicode, so
/// no invalid UTF-8 can reach the output.
enum JSONText {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JSON string literal, quotes included.
    static func appendString(_ text: String, to out: inout ReportBytes) {
        out.append(byte: UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { p in
            var run = 0
            var i = 0
            let n = p.count
            func flush(_ end: Int) {
                if end > run { out.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: p[run..<end])) }
            }
            func escape(_ value: Int) {
                out.bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"),
                                              hex[(value >> 12) & 15], hex[(value >> 8) & 15], hex[(value >> 4) & 15], hex[value & 15]])
            }
            while i < n {
                let b = p[i]
                var short: UInt8 = 0
                var code = -1
                var width = 1
                switch b {
                case 0x22: short = UInt8(ascii: "\"")
                case 0x5C: short = UInt8(ascii: "\\")
                case 0x0A: short = UInt8(ascii: "n")
                case 0x0D: short = UInt8(ascii: "r")
                case 0x09: short = UInt8(ascii: "t")
                case 0x08: short = UInt8(ascii: "b")
                case 0x0C: short = UInt8(ascii: "f")
                case 0x00..<0x20, 0x7F: code = Int(b)
                case 0xC2 where i + 1 < n && (0x80...0x9F).contains(p[i + 1]):
                    code = Int(p[i + 1]); width = 2
                case 0xE2 where i + 2 < n && p[i + 1] == 0x80 && (0xA8...0xAE).contains(p[i + 2]):
                    code = 0x2000 + Int(p[i + 2] - 0x80); width = 3
                case 0xE2 where i + 2 < n && p[i + 1] == 0x81 && (0xA6...0xA9).contains(p[i + 2]):
                    code = 0x2040 + Int(p[i + 2] - 0x80); width = 3
                default:
                    i += 1
                    continue
                }
                flush(i)
                if short != 0 {
                    out.bytes.append(UInt8(ascii: "\\")); out.bytes.append(short)
                } else {
                    escape(code)
                }
                i += width
                run = i
            }
            flush(n)
        }
        out.append(byte: UInt8(ascii: "\""))
    }

    static func appendInt<T: BinaryInteger>(_ value: T?, to out: inout ReportBytes) {
        if let value { out.appendDecimal(value) } else { out.append("null") }
    }

    static func appendBool(_ value: Bool?, to out: inout ReportBytes) {
        switch value {
        case true?: out.append("true")
        case false?: out.append("false")
        case nil: out.append("null")
        }
    }

    static func appendString(_ value: String?, to out: inout ReportBytes) {
        if let value { appendString(value, to: &out) } else { out.append("null") }
    }
}

/// Writes JSON objects and arrays laid out as `JSONEncoder` does: compact (`{"a":1,"b":2}`) or
/// pretty-printed (two spaces per level, `"a" : 1`, an empty object or array as its brackets with an
/// empty line between). `baseIndent` starts every line after the first, for an object indented
/// line by line into a streamed array (its empty lines hold the indent too). Keys are written in
/// the order given: give them sorted.
struct JSONObjectWriter {
    let pretty: Bool
    /// Per depth: a line break, the base indent and two spaces per level.
    private let breaks: [[UInt8]]
    private let separator: [UInt8]
    private var depth = 0
    /// Bit d set: nothing written yet at depth d.
    private var empty: UInt64 = 1

    init(pretty: Bool, baseIndent: String = "") {
        self.pretty = pretty
        breaks = baseIndent.isEmpty ? Self.unindented : baseIndent == "  " ? Self.indented : Self.breaks(baseIndent)
        separator = pretty ? Self.prettySeparator : Self.compactSeparator
    }

    private static func breaks(_ baseIndent: String) -> [[UInt8]] {
        (0..<8).map { Array(("\n" + baseIndent + String(repeating: "  ", count: $0)).utf8) }
    }
    private static let unindented = breaks("")
    private static let indented = breaks("  ")
    /// `" : ` and `":`: the closing quote of a key and what follows it.
    private static let prettySeparator: [UInt8] = [0x22, 0x20, 0x3A, 0x20]
    private static let compactSeparator: [UInt8] = [0x22, 0x3A]

    mutating func open(_ bracket: UInt8, _ out: inout ReportBytes) {
        out.append(byte: bracket)
        depth += 1
        empty |= 1 << UInt64(depth)
    }

    mutating func close(_ bracket: UInt8, _ out: inout ReportBytes) {
        let wasEmpty = empty & (1 << UInt64(depth)) != 0
        depth -= 1
        if pretty {
            if wasEmpty { out.bytes.append(contentsOf: breaks[0]) }
            out.bytes.append(contentsOf: breaks[depth])
        }
        out.append(byte: bracket)
    }

    /// Starts a member of the current object: separator, indentation and `"key" : ` (the key is
    /// plain ASCII that needs no escaping).
    mutating func key(_ key: StaticString, _ out: inout ReportBytes) {
        separate(&out)
        out.append(byte: UInt8(ascii: "\""))
        key.withUTF8Buffer { out.bytes.append(contentsOf: $0) }
        out.bytes.append(contentsOf: separator)
    }

    /// `key` for a key known only at run time (plain ASCII).
    mutating func key(text: String, _ out: inout ReportBytes) {
        separate(&out)
        out.append(byte: UInt8(ascii: "\""))
        out.append(text)
        out.bytes.append(contentsOf: separator)
    }

    /// Starts an element of the current array.
    mutating func element(_ out: inout ReportBytes) { separate(&out) }

    private mutating func separate(_ out: inout ReportBytes) {
        let bit: UInt64 = 1 << UInt64(depth)
        if empty & bit != 0 {
            empty &= ~bit
        } else {
            out.append(byte: UInt8(ascii: ","))
        }
        if pretty { out.bytes.append(contentsOf: breaks[depth]) }
    }
}
