import Foundation
import Yams

/// The top-level fields that `supportsim list` prints and that an id is looked up by.
public struct ScenarioHeader: Sendable, Equatable, Codable {
    public var id: String
    public var title: String
    public var language: Language
    public var line: SupportLine
    public var difficulty: Int
    public var tags: [String]

    public init(id: String, title: String, language: Language, line: SupportLine, difficulty: Int, tags: [String]) {
        self.id = id
        self.title = title
        self.language = language
        self.line = line
        self.difficulty = difficulty
        self.tags = tags
    }

    public init(_ scenario: Scenario) {
        self.init(id: scenario.id, title: scenario.title, language: scenario.language, line: scenario.line,
                  difficulty: scenario.difficulty, tags: scenario.tags)
    }
}

/// Reads only the header of a scenario file, without composing the whole YAML tree.
///
/// A cheap scan over the lines keeps the top-level blocks of the header keys (and blank lines in
/// place of the others, so line numbers stay right) and stops once all of them are found, usually
/// well before `nodes:`. Only that text is composed and decoded, with the same reads as the full
/// parser, so for a valid file the values are the ones `ScenarioParser` gives. A file whose top
/// level is not written as plain `key:` lines (flow style, quoted keys, directives, a byte order
/// mark) is composed whole instead, as is one whose header text alone does not compose (an alias
/// to an anchor outside the header): slower, never different.
public enum ScenarioHeaderReader {
    public struct Result: Sendable {
        public var header: ScenarioHeader?
        /// The first error in the header (nil when `header` is set).
        public var problem: Diagnostic?
    }

    static let keys: [String] = ["id", "title", "language", "line", "difficulty", "tags"]

    public static func read<Bytes: Collection>(bytes: Bytes) -> Result where Bytes.Element == UInt8 {
        let all = Array(bytes)
        if let subset = headerLines(all) {
            let source = ScenarioSource.decode(subset)
            if source.diagnostic == nil, let result = decode(source.text), result.header != nil {
                return result
            }
        }
        let source = ScenarioSource.decode(all)
        if let diagnostic = source.diagnostic { return Result(header: nil, problem: diagnostic) }
        return decode(source.text) ?? Result(header: nil, problem: nil)
    }

    /// nil when the text does not compose and the caller should fall back; otherwise the header
    /// or its first problem.
    private static func decode(_ text: String) -> Result? {
        let root: Yams.Node?
        do {
            root = try Yams.compose(yaml: text, .basic, .default, .utf8)
        } catch {
            return Result(header: nil, problem: YAMLErrorTranslator.diagnostic(for: error, text: text))
        }
        guard let root else {
            return Result(header: nil, problem: Diagnostic(
                .error, code: ScenarioDiagnosticCode.wrongType, "the file is empty; expected a mapping with the scenario keys",
                at: SourceLocation(line: 1, column: 1), hint: "start with `id:`, `title:`, `language:` (see docs/scenario-format.md)"))
        }
        let scan = YAMLTreeScan(root)
        let decoder = ScenarioYAMLDecoder()
        let header = decoder.decodeHeader(root)
        let errors = (scan.diagnostics + decoder.diagnostics).filter { $0.severity == .error }
        if let first = errors.min(by: { $0.location < $1.location }) { return Result(header: nil, problem: first) }
        return Result(header: header, problem: nil)
    }

    /// The header keys' top-level blocks, other lines blank; nil when the top level is not plain
    /// `key:` lines (then the whole file is composed).
    static func headerLines(_ bytes: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        var found = Set<String>()
        var keeping = false
        var start = 0
        let n = bytes.count
        while start < n {
            var end = start
            while end < n, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            let lineEnd = end < n ? end + 1 : end
            let first = bytes[start]
            // `- item` at column 0 continues the key above (a block list may start at the key's indentation).
            let item = first == UInt8(ascii: "-") && (start + 1 == end || [UInt8(ascii: " "), UInt8(ascii: "\r")].contains(bytes[start + 1]))
            let topLevel = first != UInt8(ascii: " ") && first != UInt8(ascii: "#") && first != UInt8(ascii: "\n")
                && first != UInt8(ascii: "\r") && !item
            if topLevel {
                guard let key = plainKey(bytes, from: start, to: end) else { return nil }
                if found.count == keys.count, !keys.contains(key) { return out }
                keeping = keys.contains(key)
                if keeping { found.insert(key) }
            }
            if keeping {
                out.append(contentsOf: bytes[start..<lineEnd])
            } else if lineEnd > end {
                out.append(UInt8(ascii: "\n"))
            }
            start = lineEnd
        }
        return out
    }

    /// `word:` followed by a space, a tab or the end of the line, with the word of a-z and `_`.
    private static func plainKey(_ bytes: [UInt8], from start: Int, to end: Int) -> String? {
        var i = start
        while i < end, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[i]) || bytes[i] == UInt8(ascii: "_") { i += 1 }
        guard i > start, i < end, bytes[i] == UInt8(ascii: ":") else { return nil }
        let next = i + 1
        guard next == end || [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r")].contains(bytes[next]) else { return nil }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }
}

extension ScenarioYAMLDecoder {
    /// The header fields, read exactly as `decodeScenario` reads them.
    func decodeHeader(_ root: YNode) -> ScenarioHeader? {
        guard case .mapping = root else {
            report(.error, ScenarioDiagnosticCode.wrongType,
                   "expected a mapping of scenario keys at the top level, found \(root.kindDescription)",
                   at: root.location, hint: "a scenario file starts with `id:`, `title:`, `language:` ... (see docs/scenario-format.md)")
            return nil
        }
        guard let f = fields(root, "the file", context: "the top level", known: nil) else { return nil }
        return headerFields(f)
    }

    /// The header fields of the top level, with their diagnostics: `decodeScenario` reads them
    /// through here too, so `list` and the parser cannot disagree.
    func headerFields(_ f: Fields) -> ScenarioHeader {
        var id = ""
        if let value = string(f, "id", required: true) {
            id = value.value
            if !Self.isScenarioID(id) {
                report(.error, ScenarioDiagnosticCode.invalidValue,
                       "scenario id '\(Self.clip(id))' may contain only lower-case letters a-z, digits and '-'",
                       at: value.location, hint: "for example `id: printer-before-board-meeting`")
            }
        }
        let title = string(f, "title", required: true, nonEmpty: true)?.value ?? ""
        let language: Language = choice(f, "language", allowed: Language.allCases.map(\.rawValue), required: true) {
            Language(rawValue: $0)
        } ?? .en
        let line: SupportLine = choice(f, "line", allowed: SupportLine.allCases.map(\.rawValue)) {
            SupportLine(rawValue: $0)
        } ?? .l1
        let difficulty = integer(f, "difficulty", in: 1...5) ?? 1
        let tags = stringList(f, "tags")?.map(\.value) ?? []
        return ScenarioHeader(id: id, title: title, language: language, line: line, difficulty: difficulty, tags: tags)
    }
}

/// "Did you mean" for ids: the closest candidates by edit distance, and those that begin with
/// the word (or that it begins with), closest first, at most `limit`.
public enum IDSuggestions {
    public static func closest(to word: String, among candidates: [String], limit: Int = 5) -> [String] {
        guard limit > 0, word.count <= 200 else { return [] }
        let lowered = word.lowercased()
        let w = Array(lowered)
        let k = max(2, w.count / 3)
        var scored: [(distance: Int, candidate: String)] = []
        for candidate in candidates.prefix(Suggest.candidateLimit) where candidate.count <= 200 {
            let c = candidate.lowercased()
            var d = Suggest.distance(w, Array(c), atMost: k)
            if d > k, w.count >= 3, c.hasPrefix(lowered) || lowered.hasPrefix(c) { d = k }
            if d <= k { scored.append((d, candidate)) }
        }
        scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.candidate < $1.candidate }
        return scored.prefix(limit).map(\.candidate)
    }
}
