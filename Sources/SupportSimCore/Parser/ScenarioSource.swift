import Foundation

/// The bytes of a scenario (or transcript) file turned into text, or the place where they stop
/// being UTF-8. No file access here: the caller reads the bytes.
public struct ScenarioSource: Sendable, Equatable {
    /// The text. For invalid UTF-8, the bytes decoded with U+FFFD for each bad sequence, so lines
    /// keep their numbers and a diagnostic can still show its line.
    public var text: String
    /// SS018 when the bytes are not valid UTF-8; nil otherwise.
    public var diagnostic: Diagnostic?
    /// The offset (0-based) of the first byte that is not valid UTF-8.
    public var invalidByteOffset: Int?

    public var isValid: Bool { diagnostic == nil }

    /// Decodes the bytes in one pass. An invalid file gets one located diagnostic: the byte
    /// offset of the first bad byte and the line and column (in Unicode scalars) where it stands.
    public static func decode<Bytes: Collection>(_ bytes: Bytes) -> ScenarioSource where Bytes.Element == UInt8 {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0, line = 1, column = 1
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput:
                break decoding
            case .error:
                let lossy = String(decoding: bytes, as: UTF8.self)
                return ScenarioSource(text: lossy, diagnostic: invalid(at: offset, line: line, column: column, bytes: bytes),
                                      invalidByteOffset: offset)
            }
        }
        return ScenarioSource(text: String(decoding: bytes, as: UTF8.self), diagnostic: nil, invalidByteOffset: nil)
    }

    private static func invalid<Bytes: Collection>(at offset: Int, line: Int, column: Int, bytes: Bytes) -> Diagnostic
        where Bytes.Element == UInt8 {
        let head = Array(bytes.prefix(2))
        let utf16 = head == [0xFF, 0xFE] || head == [0xFE, 0xFF]
        let where_ = line == 1 && column == 1 ? "at its start" : "after line \(line), column \(column - 1)"
        return Diagnostic(
            .error, code: ScenarioDiagnosticCode.invalidEncoding,
            "the file is not valid UTF-8 at byte \(offset) (\(where_)); it cannot be read",
            at: SourceLocation(line: line, column: column),
            hint: utf16 ? "the file looks like UTF-16; save it as UTF-8"
                        : "save the file as UTF-8 (for example with `iconv -f CP1251 -t UTF-8`), or retype the text at this place")
    }
}

extension ScenarioParser {
    /// Reads a scenario from the bytes of a file: SS018 when they are not UTF-8, otherwise `parse(_:)`.
    public static func parse<Bytes: Collection>(bytes: Bytes, includes: IncludeResolver? = nil)
        -> (source: ScenarioSource, result: ParseResult) where Bytes.Element == UInt8 {
        let source = ScenarioSource.decode(bytes)
        if let diagnostic = source.diagnostic {
            return (source, ParseResult(scenario: nil, diagnostics: [diagnostic]))
        }
        return (source, parse(source.text, includes: includes))
    }
}

/// One bounded, iterative walk over a composed YAML tree before decoding: it counts the values
/// the tree holds once aliases are expanded (a few anchors can stand for billions of values) and
/// finds scalars with control characters.
struct YAMLTreeScan {
    /// More values than this (after alias expansion) and the file is not decoded (SS017).
    static let valueLimit = 250_000

    private(set) var diagnostics: [Diagnostic] = []
    private(set) var tooLarge = false

    init(_ root: YNode) {
        var stack: [YNode] = [root]
        var visited = 0
        var warned = Set<SourceLocation>()
        while let node = stack.popLast() {
            visited += 1
            if visited > Self.valueLimit {
                tooLarge = true
                diagnostics.append(Diagnostic(
                    .error, code: ScenarioDiagnosticCode.limitExceeded,
                    "the file holds more than \(Self.valueLimit) values (counting each use of a YAML alias `*name` in full)",
                    at: root.location,
                    hint: "split the scenario, or use fewer aliases of large lists"))
                return
            }
            switch node {
            case .scalar(let scalar):
                if let found = Self.controlCharacter(in: scalar.string), warned.insert(node.location).inserted {
                    diagnostics.append(Diagnostic(
                        .warning, code: ScenarioDiagnosticCode.controlCharacters,
                        "the text contains the control character \(found); terminals may act on it (colours, cursor moves, bells)",
                        at: node.location,
                        hint: "remove it; write plain text (an escape such as \"\\e[31m\" or \"\\x07\" in a double-quoted string is a control character)"))
                }
            case .mapping(let mapping):
                for (key, value) in mapping.reversed() { stack.append(value); stack.append(key) }
            case .sequence(let sequence):
                stack.append(contentsOf: sequence.reversed())
            case .alias:
                break
            }
        }
    }

    /// The first control character (C0 other than tab and newline, DEL, C1) as `U+001B (ESC)`.
    static func controlCharacter(in text: String) -> String? {
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let isC0 = v < 0x20 && v != 0x09 && v != 0x0A
            if isC0 || v == 0x7F || (0x80...0x9F).contains(v) {
                let hex = String(v, radix: 16, uppercase: true)
                let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                let names: [UInt32: String] = [0x1B: "ESC", 0x07: "BEL", 0x08: "BS", 0x0D: "CR", 0x00: "NUL",
                                               0x7F: "DEL", 0x9B: "CSI", 0x0C: "FF", 0x0B: "VT"]
                return names[v].map { "\(code) (\($0))" } ?? code
            }
        }
        return nil
    }
}
