import Foundation
import Yams

/// A golden transcript: scripted trainee replies for one scenario with what must come of them.
///
/// File form (`Scenarios/<scenario-id>.transcript.yaml`):
///
/// ```yaml
/// scenario: deleted-report-boss-needs
/// runs:
///   - name: good
///     seed: 1                 # optional, default 1
///     seconds_per_reply: 30   # optional, default 30: the elapsed time passed to the engine
///     replies:                # exactly what the trainee types, commands included
///       - "Здравствуйте, Ирина! ..."
///       - "/escalate L2-backup ..."
///     expect:                 # every key optional
///       path: [opening, location_known]
///       intents: [ask_location, ask_deletion_time]   # the intents matched, in order (exactly these)
///       ending: escalated     # resolved | escalated | left | closed-unresolved | abandoned | open
///       scores: {correctness: [80, 100], politeness: [80, 100], escalation: [100, 100], total: [80, 100]}
///       passed: true
///       critical: []          # ids of the critical rules that must fire (exactly these)
///       final_mood: calm
/// ```
///
/// A score band is `[low, high]` (inclusive), a single number (exact), or `n/a` (the category
/// must not apply to the scenario).
///
/// The whole format is documented in docs/transcripts.md and described by
/// schema/transcript.schema.json; the diagnostic codes are `GoldenDiagnosticCode`.
public struct GoldenTranscript: Sendable, Equatable {
    public var scenario: String
    public var runs: [GoldenRun]
    /// Where the `scenario` value is in the file (for messages).
    public var scenarioLocation: SourceLocation?

    public init(scenario: String, runs: [GoldenRun], scenarioLocation: SourceLocation? = nil) {
        self.scenario = scenario; self.runs = runs; self.scenarioLocation = scenarioLocation
    }

    /// The keys the decoder accepts at each level (kept in step with the docs and the schema by a test).
    public static let topKeys: Set<String> = GoldenYAML.topKeys
    public static let runKeys: Set<String> = GoldenYAML.runKeys
    public static let expectKeys: Set<String> = GoldenYAML.expectKeys
    public static let scoreKeys: Set<String> = Set(GoldenScoreKey.allCases.map(\.rawValue))

    /// The result of reading a golden transcript: the value when it could be read, and every problem found.
    public struct ParseResult: Sendable {
        public var transcript: GoldenTranscript?
        public var diagnostics: [Diagnostic]
        public var hasErrors: Bool { transcript == nil || diagnostics.contains { $0.severity == .error } }

        public init(transcript: GoldenTranscript?, diagnostics: [Diagnostic]) {
            self.transcript = transcript; self.diagnostics = diagnostics
        }
    }

    /// Reads a golden transcript from YAML text. Never throws: problems come back as diagnostics.
    public static func parse(_ text: String) -> ParseResult {
        let node: Yams.Node
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                return ParseResult(transcript: nil, diagnostics: [
                    Diagnostic(.error, code: "GT004", "the file is empty", at: SourceLocation(line: 1, column: 1),
                               hint: "start with `scenario: <id>` and `runs:`"),
                ])
            }
            node = composed
        } catch {
            return ParseResult(transcript: nil, diagnostics: [GoldenYAML.syntaxDiagnostic(error)])
        }

        // A few anchors can stand for billions of values; decoding them all would never end.
        if YAMLTreeScan(node).tooLarge {
            return ParseResult(transcript: nil, diagnostics: [
                Diagnostic(.error, code: "GT006",
                           "the file holds more than \(YAMLTreeScan.valueLimit) values (counting each use of a YAML alias in full)",
                           at: SourceLocation(line: 1, column: 1), hint: "split the runs into smaller files; use fewer aliases"),
            ])
        }
        var diagnostics = GoldenYAML.checkKeys(node)
        do {
            let file = try YAMLDecoder().decode(GoldenFile.self, from: node)
            let transcript = try file.resolved(root: node)
            diagnostics += GoldenYAML.validate(transcript, root: node)
            diagnostics.sort { $0.location < $1.location }
            return ParseResult(transcript: transcript, diagnostics: diagnostics)
        } catch let d as GoldenYAML.ValueError {
            diagnostics.append(d.diagnostic)
        } catch let error as DecodingError {
            diagnostics.append(GoldenYAML.decodingDiagnostic(error, root: node))
        } catch {
            diagnostics.append(Diagnostic(.error, code: "GT002", "\(error)", at: SourceLocation(line: 1, column: 1)))
        }
        diagnostics.sort { $0.location < $1.location }
        return ParseResult(transcript: nil, diagnostics: diagnostics)
    }
}

/// One scripted attempt.
public struct GoldenRun: Sendable, Equatable {
    public var name: String
    public var seed: UInt64
    /// Exactly what the trainee types, one line per entry, commands included.
    public var replies: [String]
    /// Seconds of session time each reply adds (passed to the engine as `elapsed`).
    public var secondsPerReply: Double
    public var expect: GoldenExpectation
    /// Where the run starts in the file (for messages).
    public var location: SourceLocation?
    /// Where its values are in the file (for messages); empty for a run made in code.
    public var locations: GoldenRunLocations

    public init(name: String, seed: UInt64 = 1, replies: [String], secondsPerReply: Double = 30,
                expect: GoldenExpectation, location: SourceLocation? = nil,
                locations: GoldenRunLocations = GoldenRunLocations()) {
        self.name = name; self.seed = seed; self.replies = replies; self.secondsPerReply = secondsPerReply
        self.expect = expect; self.location = location; self.locations = locations
    }
}

/// Where the values of one run are in its file.
public struct GoldenRunLocations: Sendable, Equatable {
    public var replies: [SourceLocation] = []
    public var path: [SourceLocation] = []
    public var intents: [SourceLocation] = []
    public var critical: [SourceLocation] = []
    public var scores: [GoldenScoreKey: SourceLocation] = [:]
    public var ending: SourceLocation?
    public var finalMood: SourceLocation?
    public init() {}
}

/// What a run must produce; nil fields are not checked.
public struct GoldenExpectation: Sendable, Equatable {
    /// The nodes visited, in order, starting with the start node.
    public var path: [String]?
    public var ending: GoldenEnding?
    /// Bands for `correctness`, `politeness`, `escalation`, `spelling` and `total`.
    public var scores: [GoldenScoreKey: ScoreBand]
    public var passed: Bool?
    /// The critical rules that must fire (exactly this set); `[]` means none may fire.
    public var critical: [String]?
    public var finalMood: Mood?
    /// The intents matched, in the order they were matched (exactly this list).
    public var intents: [String]?

    public init(path: [String]? = nil, ending: GoldenEnding? = nil, scores: [GoldenScoreKey: ScoreBand] = [:],
                passed: Bool? = nil, critical: [String]? = nil, finalMood: Mood? = nil, intents: [String]? = nil) {
        self.path = path; self.ending = ending; self.scores = scores; self.passed = passed
        self.critical = critical; self.finalMood = finalMood; self.intents = intents
    }
}

/// How a run ended: one of the engine's endings, or still open after the last reply.
public enum GoldenEnding: Sendable, Equatable, CustomStringConvertible {
    case ended(EndingKind)
    case open

    public init?(name: String) {
        if name == "open" { self = .open } else if let k = EndingKind(rawValue: name) { self = .ended(k) } else { return nil }
    }

    public init(_ ending: EndingKind?) { self = ending.map(GoldenEnding.ended) ?? .open }

    public var description: String {
        switch self {
        case .ended(let k): k.rawValue
        case .open: "open"
        }
    }

    public static var names: [String] { EndingKind.allCases.map(\.rawValue) + ["open"] }
}

public enum GoldenScoreKey: String, Sendable, Equatable, Hashable, CaseIterable, Comparable {
    case correctness, politeness, escalation, spelling, total

    public var category: Category? { Category(rawValue: rawValue) }

    public static func < (a: GoldenScoreKey, b: GoldenScoreKey) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// An inclusive band of scores, or "the category does not apply".
public enum ScoreBand: Sendable, Equatable, CustomStringConvertible {
    case range(ClosedRange<Int>)
    case notApplicable

    public func contains(_ score: Int?) -> Bool {
        switch (self, score) {
        case (.range(let r), let s?): r.contains(s)
        case (.notApplicable, nil): true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .range(let r): r.lowerBound == r.upperBound ? "\(r.lowerBound)" : "\(r.lowerBound)–\(r.upperBound)"
        case .notApplicable: "n/a"
        }
    }
}

// MARK: - Decoding

/// The raw file shape, decoded with `YAMLDecoder`; turned into the public types by `resolved`.
private struct GoldenFile: Decodable {
    var scenario: String
    var runs: [RawRun]

    struct RawRun: Decodable {
        var name: String
        var seed: UInt64?
        var seconds_per_reply: Double?
        var replies: [String]
        var expect: RawExpect?
    }

    struct RawExpect: Decodable {
        var path: [String]?
        var ending: String?
        var scores: [String: RawBand]?
        var passed: Bool?
        var critical: [String]?
        var final_mood: String?
        var intents: [String]?
    }

    enum RawBand: Decodable {
        case range(Int, Int)
        case exact(Int)
        case text(String)

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let n = try? c.decode(Int.self) { self = .exact(n); return }
            if let s = try? c.decode(String.self) { self = .text(s); return }
            if let pair = try? c.decode([Int].self) {
                guard pair.count == 2 else {
                    throw DecodingError.dataCorruptedError(in: c, debugDescription:
                        "a score band is [low, high], a number, or n/a; this list has \(pair.count) numbers")
                }
                self = .range(pair[0], pair[1]); return
            }
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "a score band is [low, high], a number, or n/a")
        }
    }

    func resolved(root: Yams.Node) throws -> GoldenTranscript {
        var runs: [GoldenRun] = []
        for (i, raw) in self.runs.enumerated() {
            let runNode = root["runs"]?.sequence?[i]
            let at = GoldenYAML.location(runNode)
            var expect = GoldenExpectation()
            var locations = GoldenRunLocations()
            locations.replies = GoldenYAML.itemLocations(runNode?["replies"])
            if let e = raw.expect {
                let eNode = runNode?["expect"]
                locations.path = GoldenYAML.itemLocations(eNode?["path"])
                locations.intents = GoldenYAML.itemLocations(eNode?["intents"])
                locations.critical = GoldenYAML.itemLocations(eNode?["critical"])
                if eNode?["ending"] != nil { locations.ending = GoldenYAML.location(eNode?["ending"]) }
                if eNode?["final_mood"] != nil { locations.finalMood = GoldenYAML.location(eNode?["final_mood"]) }
                expect.path = e.path
                if let name = e.ending {
                    guard let ending = GoldenEnding(name: name) else {
                        throw GoldenYAML.ValueError(Diagnostic(
                            .error, code: "GT005", "unknown ending '\(name)'", at: GoldenYAML.location(eNode?["ending"]),
                            hint: "use one of: \(GoldenEnding.names.joined(separator: ", "))"))
                    }
                    expect.ending = ending
                }
                for (key, band) in e.scores ?? [:] {
                    let bandNode = eNode?["scores"]?[key]
                    guard let k = GoldenScoreKey(rawValue: key) else {
                        throw GoldenYAML.ValueError(Diagnostic(
                            .error, code: "GT003", "unknown score '\(key)'", at: GoldenYAML.keyLocation(eNode?["scores"], key),
                            hint: "use one of: \(GoldenScoreKey.allCases.map(\.rawValue).joined(separator: ", "))"))
                    }
                    locations.scores[k] = GoldenYAML.location(bandNode)
                    switch band {
                    case .exact(let n):
                        guard (0...100).contains(n) else {
                            throw GoldenYAML.ValueError(Diagnostic(
                                .error, code: GoldenDiagnosticCode.bandOutOfRange, "score \(n) for \(key) is not within 0–100",
                                at: GoldenYAML.location(bandNode), hint: "scores run from 0 to 100; write a number or [low, high] in that range"))
                        }
                        expect.scores[k] = .range(n...n)
                    case .range(let lo, let hi):
                        guard lo <= hi, lo >= 0, hi <= 100 else {
                            throw GoldenYAML.ValueError(Diagnostic(
                                .error, code: GoldenDiagnosticCode.bandOutOfRange,
                                "score band [\(lo), \(hi)] for \(key) is not within 0–100 low to high",
                                at: GoldenYAML.location(bandNode), hint: "write [low, high] with 0 ≤ low ≤ high ≤ 100"))
                        }
                        expect.scores[k] = .range(lo...hi)
                    case .text(let s):
                        guard ["n/a", "na", "none"].contains(s.lowercased()) else {
                            throw GoldenYAML.ValueError(Diagnostic(
                                .error, code: "GT005", "score band '\(s)' for \(key) is not understood",
                                at: GoldenYAML.location(bandNode), hint: "write [low, high], a number, or n/a"))
                        }
                        guard k != .total else {
                            throw GoldenYAML.ValueError(Diagnostic(
                                .error, code: "GT005", "the total always applies; n/a is not a band for it",
                                at: GoldenYAML.location(bandNode), hint: "write [low, high] or a number for total"))
                        }
                        expect.scores[k] = .notApplicable
                    }
                }
                expect.passed = e.passed
                expect.critical = e.critical
                expect.intents = e.intents
                if let m = e.final_mood {
                    guard let mood = Mood(name: m) else {
                        throw GoldenYAML.ValueError(Diagnostic(
                            .error, code: "GT005", "unknown mood '\(m)'", at: GoldenYAML.location(eNode?["final_mood"]),
                            hint: "use one of: \(Mood.allCases.map(\.name).joined(separator: ", "))"))
                    }
                    expect.finalMood = mood
                }
            }
            if let seconds = raw.seconds_per_reply, !(seconds >= 0 && seconds.isFinite) {
                throw GoldenYAML.ValueError(Diagnostic(
                    .error, code: "GT005", "seconds_per_reply \(seconds) is not a number of seconds 0 or more",
                    at: GoldenYAML.location(runNode?["seconds_per_reply"]), hint: "write the seconds each reply takes, e.g. 30"))
            }
            runs.append(GoldenRun(name: raw.name, seed: raw.seed ?? 1, replies: raw.replies,
                                  secondsPerReply: raw.seconds_per_reply ?? 30, expect: expect, location: at,
                                  locations: locations))
        }
        return GoldenTranscript(scenario: scenario, runs: runs, scenarioLocation: GoldenYAML.location(root["scenario"]))
    }
}

/// Helpers that turn Yams nodes and errors into located diagnostics.
enum GoldenYAML {
    struct ValueError: Error { var diagnostic: Diagnostic; init(_ d: Diagnostic) { diagnostic = d } }

    static let topKeys: Set<String> = ["scenario", "runs"]
    static let runKeys: Set<String> = ["name", "seed", "seconds_per_reply", "replies", "expect"]
    static let expectKeys: Set<String> = ["path", "ending", "scores", "passed", "critical", "final_mood", "intents"]

    static func location(_ node: Yams.Node?) -> SourceLocation {
        guard let mark = node?.mark else { return SourceLocation(line: 1, column: 1) }
        return SourceLocation(line: mark.line, column: mark.column)
    }

    /// The location of every item of a sequence (empty when the node is not a sequence).
    static func itemLocations(_ node: Yams.Node?) -> [SourceLocation] {
        (node?.sequence.map(Array.init) ?? []).map { location($0) }
    }

    /// The location of a key inside a mapping (falls back to the mapping itself).
    static func keyLocation(_ mapping: Yams.Node?, _ key: String) -> SourceLocation {
        if let m = mapping?.mapping, let k = m.keys.first(where: { $0.string == key }) { return location(k) }
        return location(mapping)
    }

    static func syntaxDiagnostic(_ error: Error) -> Diagnostic {
        if let y = error as? YamlError {
            switch y {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                 .composer(let context, let problem, let mark, _):
                let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
                return Diagnostic(.error, code: "GT001", "YAML syntax error: \(text)",
                                  at: SourceLocation(line: mark.line, column: mark.column))
            case .duplicatedKeysInMapping(let duplicates, let context):
                return Diagnostic(.error, code: "GT001", "duplicated keys: \(duplicates.joined(separator: ", "))",
                                  at: SourceLocation(line: context.mark.line, column: context.mark.column))
            default: break
            }
        }
        return Diagnostic(.error, code: "GT001", "YAML syntax error: \(error)", at: SourceLocation(line: 1, column: 1))
    }

    /// Unknown keys at every level (the decoder would silently ignore them).
    static func checkKeys(_ root: Yams.Node) -> [Diagnostic] {
        var out: [Diagnostic] = []
        func check(_ node: Yams.Node?, _ known: Set<String>, _ place: String) {
            guard let mapping = node?.mapping else { return }
            for key in mapping.keys {
                guard let name = key.string, !known.contains(name) else { continue }
                out.append(Diagnostic(.error, code: "GT003", "unknown key '\(name)' in \(place)", at: location(key),
                                      hint: "known keys: \(known.sorted().joined(separator: ", "))"))
            }
        }
        check(root, topKeys, "the transcript")
        for run in root["runs"]?.sequence ?? [] {
            check(run, runKeys, "a run")
            check(run["expect"], expectKeys, "expect")
        }
        return out
    }

    /// Checks that need the whole value: at least one run, unique names, non-empty replies.
    static func validate(_ t: GoldenTranscript, root: Yams.Node) -> [Diagnostic] {
        var out: [Diagnostic] = []
        if t.runs.isEmpty {
            out.append(Diagnostic(.error, code: "GT004", "the transcript has no runs", at: keyLocation(root, "runs"),
                                  hint: "add at least one run with name, replies and expect"))
        }
        var seen: Set<String> = []
        for (i, run) in t.runs.enumerated() {
            let node = root["runs"]?.sequence?[i]
            if !seen.insert(run.name).inserted {
                out.append(Diagnostic(.error, code: "GT005", "duplicate run name '\(run.name)'", at: location(node?["name"])))
            }
            if run.replies.isEmpty {
                out.append(Diagnostic(.warning, code: "GT005", "run '\(run.name)' has no replies", at: location(node?["replies"])))
            }
        }
        return out
    }

    /// A located diagnostic for a decoding error: walks the coding path to the failing node.
    static func decodingDiagnostic(_ error: DecodingError, root: Yams.Node) -> Diagnostic {
        func walk(_ path: [CodingKey]) -> Yams.Node? {
            var node: Yams.Node? = root
            for key in path {
                if let i = key.intValue { node = node?.sequence.flatMap { i < $0.count ? $0[i] : nil } }
                else { node = node?[key.stringValue] }
            }
            return node
        }
        func name(_ path: [CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        switch error {
        case .keyNotFound(let key, let ctx):
            let parent = walk(ctx.codingPath)
            let place = ctx.codingPath.isEmpty ? "the transcript" : name(ctx.codingPath)
            return Diagnostic(.error, code: "GT004", "missing required key '\(key.stringValue)' in \(place)",
                              at: location(parent))
        case .typeMismatch(let type, let ctx):
            return Diagnostic(.error, code: "GT002", "\(name(ctx.codingPath)) should be \(describe(type))",
                              at: location(walk(ctx.codingPath)))
        case .valueNotFound(let type, let ctx):
            return Diagnostic(.error, code: "GT002", "\(name(ctx.codingPath)) is empty; expected \(describe(type))",
                              at: location(walk(ctx.codingPath)))
        case .dataCorrupted(let ctx):
            return Diagnostic(.error, code: "GT002", "\(name(ctx.codingPath)): \(ctx.debugDescription)",
                              at: location(walk(ctx.codingPath)))
        @unknown default:
            return Diagnostic(.error, code: "GT002", "\(error)", at: SourceLocation(line: 1, column: 1))
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Bool.Type: "true or false"
        case is UInt64.Type, is Int.Type: "a whole number"
        case is Double.Type: "a number"
        case is [String].Type: "a list of texts"
        default:
            "\(type)".hasPrefix("Array") ? "a list" : ("\(type)".hasPrefix("Dictionary") ? "a mapping" : "\(type)")
        }
    }
}
