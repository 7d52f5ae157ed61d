import Foundation
import Yams

/// The outcome of reading one scenario file: the scenario (when it has no errors) and every
/// problem found, sorted by location.
public struct ParseResult: Sendable {
    /// The scenario, or nil when any error was found. Warnings alone keep it.
    public var scenario: Scenario?
    /// Errors and warnings, sorted by line and column.
    public var diagnostics: [Diagnostic]

    public init(scenario: Scenario?, diagnostics: [Diagnostic]) {
        self.scenario = scenario
        self.diagnostics = diagnostics
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
}

/// The stable diagnostic codes of the scenario format (see docs/scenario-format.md).
public enum ScenarioDiagnosticCode {
    /// The text is not valid YAML (parsing stops here).
    public static let yamlSyntax = "SS001"
    /// A key the format does not know.
    public static let unknownKey = "SS002"
    /// A value of the wrong type (a list where a string is expected, ...).
    public static let wrongType = "SS003"
    /// A required key is missing.
    public static let missingKey = "SS004"
    /// A node id that names no node.
    public static let undefinedNode = "SS005"
    /// An intent or harmful-rule id that names nothing.
    public static let undefinedIntent = "SS006"
    /// A value outside the allowed set or range, or an id in the wrong format.
    public static let invalidValue = "SS007"
    /// A regular expression that does not compile.
    public static let invalidRegex = "SS008"
    /// The same id (or mapping key) twice.
    public static let duplicateID = "SS009"
    /// Warning: a node that cannot be reached from `start`.
    public static let unreachableNode = "SS010"
    /// Warning: a node from which no ending can be reached.
    public static let deadEnd = "SS011"
    /// An intent's sample reply that its own match rule does not match.
    public static let sampleMismatch = "SS012"
    /// Warning: an empty list of customer lines, or a node without expected replies.
    public static let emptyContent = "SS013"
    /// Warning: a sample reply that an earlier rule of the same node catches first.
    public static let sampleShadowed = "SS014"
    /// Warning: a vocabulary group with fewer than two words, or a word repeated in a group.
    public static let vocabulary = "SS015"
    /// Warning: a setting that the rest of the file makes ineffective (`refusal` without
    /// `policy: forbidden`, `weights.spelling` without `scoring.spelling`, ...).
    public static let noEffect = "SS016"
    /// A size limit: a match phrase longer than `Vocabulary.phraseWordLimit` words (error); a
    /// note when a check stopped early on a very large file.
    public static let limitExceeded = "SS017"
    /// The file is not valid UTF-8 (reported by `ScenarioSource.decode` with the byte offset).
    public static let invalidEncoding = "SS018"
    /// Warning: control characters (C0 other than tab and newline, DEL, C1, escape sequences) in text.
    public static let controlCharacters = "SS019"
    /// A file that cannot be read at all (missing, a folder, no permission); reported by the
    /// commands that read files, so that one such file never stops a run over a folder.
    public static let unreadable = "SS020"

    /// Every code with a one-line summary, in order.
    /// A sample does not state a fact its intent requires, or names a wrong value of it.
    public static let sampleFact = "SS021"
    /// A match phrase contains punctuation that matching ignores ("again?", "c++").
    public static let phrasePunctuation = "SS022"
    /// Two referral targets with the same id (case and look-alike letters folded), or a referral
    /// id that is also an escalation target.
    public static let referralClash = "SS023"
    /// A referral id that cannot be typed after `/refer` (several words, no letters or digits).
    public static let referralID = "SS024"
    /// Warning: a referral setting its policy never uses (`customer_if_refused` on a referral that
    /// is never refused, `customer`/`next`/`note_must_mention` on one refused everywhere).
    public static let referralNoEffect = "SS025"
    /// An `include:` path that leads outside the scenario pack (`..`, absolute, a symbolic link out).
    public static let includeEscapes = "SS026"
    /// Files that include each other (a cycle, named in the message).
    public static let includeCycle = "SS027"
    /// An included file that is missing or cannot be read.
    public static let includeUnreadable = "SS028"

    public static let all: [(code: String, summary: String)] = [
        (yamlSyntax, "YAML syntax error"),
        (unknownKey, "unknown key"),
        (wrongType, "wrong type"),
        (missingKey, "missing required key"),
        (undefinedNode, "undefined node"),
        (undefinedIntent, "undefined intent or harmful rule"),
        (invalidValue, "invalid value"),
        (invalidRegex, "invalid regular expression"),
        (duplicateID, "duplicate id or key"),
        (unreachableNode, "unreachable node (warning)"),
        (deadEnd, "dead end (warning)"),
        (sampleMismatch, "sample does not match its intent"),
        (emptyContent, "empty customer lines or node without expected replies (warning)"),
        (sampleShadowed, "sample caught by an earlier rule (warning)"),
        (vocabulary, "vocabulary group without effect or with a repeated word (warning)"),
        (noEffect, "setting without effect (warning)"),
        (limitExceeded, "size limit exceeded: match phrase too long"),
        (invalidEncoding, "file is not valid UTF-8"),
        (controlCharacters, "control characters in text (warning)"),
        (unreadable, "file cannot be read"),
        (sampleFact, "sample does not state its intent's key facts"),
        (phrasePunctuation, "punctuation in a match phrase is ignored (warning)"),
        (referralClash, "referral target clashes with another referral or an escalation target"),
        (referralID, "referral id cannot be typed after /refer"),
        (referralNoEffect, "referral setting without effect for its policy (warning)"),
        (includeEscapes, "include leads outside the scenario pack"),
        (includeCycle, "include cycle"),
        (includeUnreadable, "included file missing or unreadable"),
    ]
}

/// Reads scenario files (format v1, see docs/scenario-format.md). Text in, values out: no file
/// access, no crashes; every problem becomes a located `Diagnostic`.
public enum ScenarioParser {
    /// The format version this parser reads.
    public static let formatVersion = 1

    public static func parse(_ text: String) -> ParseResult {
        parse(text, sampleCheckBudget: ScenarioChecks.sampleCheckBudget)
    }

    /// - includes: reads the files named under `include:` (nil: a scenario with `include:` is an error, SS028).
    public static func parse(_ text: String, includes: IncludeResolver?) -> ParseResult {
        parse(text, sampleCheckBudget: ScenarioChecks.sampleCheckBudget, includes: includes)
    }

    static func parse(_ text: String, sampleCheckBudget: Int, includes: IncludeResolver? = nil) -> ParseResult {
        let root: Yams.Node?
        do {
            root = try Yams.compose(yaml: text, .basic, .default, .utf8)
        } catch {
            return ParseResult(scenario: nil, diagnostics: [YAMLErrorTranslator.diagnostic(for: error, text: text)])
        }
        guard let root else {
            return ParseResult(scenario: nil, diagnostics: [Diagnostic(
                .error, code: ScenarioDiagnosticCode.wrongType,
                "the file is empty; expected a mapping with the scenario keys",
                at: SourceLocation(line: 1, column: 1),
                hint: "start with `id:`, `title:`, `language:`, `persona:`, `start:` and `nodes:` (see docs/scenario-format.md)")])
        }
        let scan = YAMLTreeScan(root)
        if scan.tooLarge { return ParseResult(scenario: nil, diagnostics: scan.diagnostics) }
        let decoder = ScenarioYAMLDecoder()
        decoder.includes = includes
        let scenario = decoder.decodeScenario(root)
        var diagnostics = scan.diagnostics + decoder.diagnostics
        if let scenario {
            diagnostics += ScenarioChecks(scenario: scenario, index: decoder.index, sampleCheckBudget: sampleCheckBudget).run()
        }
        // Stable sort by location; ties keep the order they were found in.
        let sorted = diagnostics.enumerated().sorted { a, b in
            a.element.location != b.element.location ? a.element.location < b.element.location : a.offset < b.offset
        }.map(\.element)
        let hasErrors = sorted.contains { $0.severity == .error }
        return ParseResult(scenario: hasErrors ? nil : scenario, diagnostics: sorted)
    }
}

/// Turns Yams' errors into SS001/SS009 diagnostics.
enum YAMLErrorTranslator {
    static func diagnostic(for error: Error, text: String) -> Diagnostic {
        guard let yamlError = error as? YamlError else {
            return Diagnostic(.error, code: ScenarioDiagnosticCode.yamlSyntax, "YAML syntax error: \(error)",
                              at: SourceLocation(line: 1, column: 1))
        }
        switch yamlError {
        case let .scanner(context, problem, mark, _),
             let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            // A key without its colon, or a quote never closed, is noticed only later (often at the
            // end of the file); the place where the key or the quoted text starts is more useful.
            var at = mark
            if let context, context.text.contains("simple key") || context.text.contains("quoted scalar") {
                at = context.mark
            }
            let location = SourceLocation(line: max(1, at.line), column: max(1, at.column))
            return Diagnostic(.error, code: ScenarioDiagnosticCode.yamlSyntax, message, at: location,
                              hint: hint(problem: problem, context: context?.text, line: lineText(text, location.line)))
        case let .reader(problem, offset, _, _):
            let location = offset.map { locationOf(characterOffset: $0, in: text) } ?? SourceLocation(line: 1, column: 1)
            return Diagnostic(.error, code: ScenarioDiagnosticCode.yamlSyntax, "YAML syntax error: \(problem)",
                              at: location, hint: "remove control characters; save the file as plain UTF-8 text")
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? "?"
            let first = SourceLocation(line: max(1, context.mark.line), column: max(1, context.mark.column))
            let second = secondOccurrence(of: key, after: first, in: text)
            let list = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return Diagnostic(.error, code: ScenarioDiagnosticCode.duplicateID,
                              "duplicate key \(list) in a mapping" + (second != nil ? " (first at line \(first.line))" : ""),
                              at: second ?? first,
                              hint: "each key (and each node id under `nodes`) may appear only once; rename or merge the two")
        default:
            return Diagnostic(.error, code: ScenarioDiagnosticCode.yamlSyntax, "YAML syntax error: \(yamlError)",
                              at: SourceLocation(line: 1, column: 1))
        }
    }

    private static func hint(problem: String, context: String?, line: String?) -> String {
        if let line, line.contains("\t") || problem.contains("\\t") {
            return "indent with spaces, not tabs"
        }
        let p = problem.lowercased()
        if p.contains("mapping values are not allowed") {
            return "put quotes around a value that contains ': ' (title: \"Error: disk full\"), or check the indentation of this line"
        }
        if p.contains("could not find expected ':'") {
            return "each key needs a colon and a space after it (`key: value`)"
        }
        if p.contains("did not find expected key") || p.contains("did not find expected '-'") {
            return "check the indentation: items of one mapping or list must start in the same column"
        }
        if p.contains("found undefined alias") { return "define the anchor (`&name`) before using `*name`" }
        if p.contains("another document") { return "a scenario file holds one document; remove the extra `---`" }
        if p.contains("cannot start any token") {
            return "quote values that start with a special character (@, `, %, |, >)"
        }
        if p.contains("end of stream") || context?.contains("quoted scalar") == true {
            return "a quoted string is not closed"
        }
        if p.contains("expected ',' or ']'") || p.contains("expected ',' or '}'") {
            return "a `[` or `{` is not closed, or an item inside it needs quotes"
        }
        return "fix the YAML syntax at this position"
    }

    static func lineText(_ text: String, _ line: Int) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return nil }
        return String(lines[line - 1])
    }

    /// Line and column (in Unicode scalars, like Yams) of a character offset.
    static func locationOf(characterOffset: Int, in text: String) -> SourceLocation {
        var line = 1, column = 1, count = 0
        for ch in text {
            if count >= characterOffset { break }
            if ch == "\n" || ch == "\r\n" { line += 1; column = 1 } else { column += ch.unicodeScalars.count }
            count += 1
        }
        return SourceLocation(line: line, column: column)
    }

    /// Best effort: the line below `first` where the same key starts in the same column.
    private static func secondOccurrence(of key: String, after first: SourceLocation, in text: String) -> SourceLocation? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line < lines.count else { return nil }
        let candidates = ["\(key):", "\"\(key)\":", "'\(key)':"]
        for index in first.line..<lines.count {
            let scalars = Array(lines[index].unicodeScalars)
            guard first.column - 1 <= scalars.count else { continue }
            var rest = String(String.UnicodeScalarView(scalars[(first.column - 1)...]))
            rest = rest.replacingOccurrences(of: "\r", with: "")
            let prefix = String(String.UnicodeScalarView(scalars[..<(first.column - 1)]))
            guard prefix.allSatisfy({ $0 == " " || $0 == "-" }) else { continue }
            if candidates.contains(where: { rest.hasPrefix($0) }) || rest == key {
                return SourceLocation(line: index + 1, column: first.column)
            }
        }
        return nil
    }
}
