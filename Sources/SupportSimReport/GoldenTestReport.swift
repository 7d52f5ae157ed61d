import Foundation
import SupportSimCore

/// What `supportsim test` found for one transcript file: the runs played, or the problems that
/// kept it from being played.
public struct GoldenFileOutcome: Sendable {
    /// The file as shown to the user (relative to the working folder when inside it).
    public var file: String
    /// The scenario id the transcript names (nil when the file could not be read that far).
    public var scenarioID: String?
    /// Problems in the transcript or its scenario; errors among them mean no run was played.
    public var diagnostics: [Diagnostic]
    public var results: [GoldenRunResult]

    public init(file: String, scenarioID: String?, diagnostics: [Diagnostic] = [], results: [GoldenRunResult] = []) {
        self.file = file; self.scenarioID = scenarioID; self.diagnostics = diagnostics; self.results = results
    }

    /// True when the file could not be played (it, or its scenario, has errors).
    public var isUnplayable: Bool { diagnostics.contains { $0.severity == .error } }
    public var failures: Int { results.filter { !$0.passed }.count }
    public var seconds: Double { results.compactMap(\.seconds).reduce(0, +) }
    /// The JUnit suite and class name: the scenario id, else the file name.
    public var suiteName: String { scenarioID ?? (file as NSString).lastPathComponent }
}

/// The outcome of `supportsim test` and its renderings: text for a terminal, JSON, JUnit XML.
public struct GoldenTestReport: Sendable {
    public var files: [GoldenFileOutcome]

    public init(files: [GoldenFileOutcome]) { self.files = files }

    public var runs: Int { files.reduce(0) { $0 + $1.results.count } }
    public var failed: Int { files.reduce(0) { $0 + $1.failures } }
    public var passed: Int { runs - failed }
    /// Files that could not be played at all.
    public var unplayable: Int { files.filter(\.isUnplayable).count }

    /// 0 every run passed; 1 a run failed; 2 a file could not be read or played (a usage problem).
    public var exitCode: Int32 { unplayable > 0 ? 2 : (failed > 0 ? 1 : 0) }

    // MARK: - Text

    /// One line per run, and for a run that failed: where it diverged, every expectation that
    /// did not hold (with the evidence behind a score), and the path. `dialogue` adds the played
    /// conversation. Everything user-written is sanitised for the terminal here.
    public func text(dialogue: Bool = false) -> String {
        var out = ""
        for f in files {
            out += "\(f.file)" + (f.scenarioID.map { " (\($0))" } ?? "") + "\n"
            if f.isUnplayable {
                let errors = f.diagnostics.filter { $0.severity == .error }.count
                out += "  ✗ not played: \(errors) error(s) (listed above)\n"
                continue
            }
            for r in f.results {
                out += "  \(r.passed ? "✓" : "✗") \(r.name) — \(GoldenEnding(r.transcript.ending)), "
                    + GoldenRunner.scoreLine(r.scoreCard) + "\n"
                guard !r.passed else { continue }
                if let location = r.run.location {
                    out += "    \(f.file):\(location.line):\(location.column): run '\(r.name)' (seed \(r.run.seed))\n"
                }
                if let d = r.divergence {
                    out += "  " + d.description.replacingOccurrences(of: "\n", with: "\n  ") + "\n"
                }
                for m in r.mismatches {
                    out += "    - " + m.description.replacingOccurrences(of: "\n", with: "\n  ") + "\n"
                }
                out += "    path: \(r.transcript.path.joined(separator: " → "))\n"
                if dialogue {
                    out += "    dialogue:\n"
                    out += r.dialogue.split(separator: "\n", omittingEmptySubsequences: false)
                        .map { $0.isEmpty ? "" : "      \($0)" }.joined(separator: "\n")
                }
            }
        }
        out += "\n" + summary + "\n"
        return TerminalText.sanitize(out)
    }

    /// "5 transcript file(s), 21 run(s): 20 passed, 1 failed."
    public var summary: String {
        var s = "\(files.count) transcript file(s), \(runs) run(s): \(passed) passed, \(failed) failed"
        if unplayable > 0 { s += ", \(unplayable) file(s) not played" }
        return s + "."
    }

    // MARK: - JSON

    struct JSONReport: Encodable {
        var summary: JSONSummary
        var files: [JSONFile]
    }
    struct JSONSummary: Encodable { var files: Int; var runs: Int; var passed: Int; var failed: Int; var not_played: Int }
    struct JSONFile: Encodable {
        var file: String
        var scenario: String?
        var played: Bool
        var diagnostics: [JSONDiagnostic]
        var runs: [JSONRun]
    }
    struct JSONDiagnostic: Encodable {
        var line: Int; var column: Int; var severity: String; var code: String; var message: String; var hint: String?
    }
    struct JSONRun: Encodable {
        var name: String
        var line: Int?
        var seed: UInt64
        var passed: Bool
        var ending: String
        var path: [String]
        var intents: [String]
        var final_mood: String
        var scores: JSONScores
        var passed_pass_mark: Bool
        var seconds: Double?
        var divergence: JSONDivergence?
        var mismatches: [JSONMismatch]
    }
    /// Every category with its score, `null` when it does not apply to the scenario.
    struct JSONScores: Encodable {
        var values: [(String, Int?)]
        struct Key: CodingKey {
            var stringValue: String; var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            for (k, v) in values {
                if let v { try c.encode(v, forKey: Key(stringValue: k)) } else { try c.encodeNil(forKey: Key(stringValue: k)) }
            }
        }
    }
    struct JSONDivergence: Encodable {
        var field: String
        var turn: Int?
        var reply: String?
        var line: Int?
        var node: String
        var expected_node: String?
        var actual_node: String?
        var expected_intent: String?
        var actual_intent: String?
        var matched: [String]
    }
    struct JSONMismatch: Encodable { var field: String; var expected: String; var actual: String; var detail: String }

    /// One JSON object: `summary` and `files`, each with its diagnostics and runs (see README).
    /// Control characters stay in the text but are written as `\u00XX` escapes.
    public func json() throws -> String {
        let report = JSONReport(
            summary: JSONSummary(files: files.count, runs: runs, passed: passed, failed: failed, not_played: unplayable),
            files: files.map { f in
                JSONFile(
                    file: f.file, scenario: f.scenarioID, played: !f.isUnplayable,
                    diagnostics: f.diagnostics.map {
                        JSONDiagnostic(line: $0.location.line, column: $0.location.column, severity: $0.severity.rawValue,
                                       code: $0.code, message: $0.message, hint: $0.hint)
                    },
                    runs: f.results.map { r in
                        let scores = JSONScores(values: Category.allCases.map { ($0.rawValue, r.scoreCard.score($0)?.score) }
                            + [("total", r.scoreCard.total)])
                        return JSONRun(
                            name: r.name, line: r.run.location?.line, seed: r.run.seed, passed: r.passed,
                            ending: GoldenEnding(r.transcript.ending).description, path: r.transcript.path,
                            intents: GoldenRunner.matchedIntents(r.transcript), final_mood: r.transcript.finalMood.name,
                            scores: scores, passed_pass_mark: r.scoreCard.passed, seconds: r.seconds,
                            divergence: r.divergence.map { d in
                                JSONDivergence(field: d.field, turn: d.turn, reply: d.reply, line: d.location?.line, node: d.node,
                                               expected_node: d.expectedNode, actual_node: d.actualNode,
                                               expected_intent: d.expectedIntent, actual_intent: d.actualIntent, matched: d.matched)
                            },
                            mismatches: r.mismatches.map {
                                JSONMismatch(field: $0.field, expected: $0.expected, actual: $0.actual, detail: $0.detail)
                            })
                    })
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(report)
        return TerminalText.jsonEscapingControls(String(decoding: data, as: UTF8.self))
    }

    // MARK: - JUnit XML

    /// JUnit XML as CI systems read it: `testsuites` › one `testsuite` per transcript file (named
    /// by the scenario id) › one `testcase` per run, with a `failure` for a run that failed and an
    /// `error` for a file that could not be played. `timestamp` is when the runs started (passed
    /// in: the report reads no clock); times are the runs' `seconds`.
    public func junit(timestamp: Date) -> String {
        func seconds(_ s: Double) -> String { String(format: "%.3f", s) }
        func a(_ s: String) -> String { XMLEscape.attribute(s) }
        func t(_ s: String) -> String { XMLEscape.text(s) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        let stamp = formatter.string(from: timestamp)
        let totalTime = files.reduce(0) { $0 + $1.seconds }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"supportsim test\" tests=\"\(runs + unplayable)\" failures=\"\(failed)\" "
            + "errors=\"\(unplayable)\" skipped=\"0\" time=\"\(seconds(totalTime))\" timestamp=\"\(stamp)\">\n"
        for (i, f) in files.enumerated() {
            let tests = f.isUnplayable ? 1 : f.results.count
            out += "  <testsuite name=\"\(a(f.suiteName))\" id=\"\(i)\" tests=\"\(tests)\" failures=\"\(f.isUnplayable ? 0 : f.failures)\" "
                + "errors=\"\(f.isUnplayable ? 1 : 0)\" skipped=\"0\" time=\"\(seconds(f.seconds))\" timestamp=\"\(stamp)\" "
                + "file=\"\(a(f.file))\">\n"
            if f.isUnplayable {
                let errors = f.diagnostics.filter { $0.severity == .error }
                let first = errors.first.map { "\($0.code) \($0.message)" } ?? "the transcript could not be played"
                out += "    <testcase name=\"\(a((f.file as NSString).lastPathComponent))\" classname=\"\(a(f.suiteName))\" "
                    + "time=\"0.000\" file=\"\(a(f.file))\">\n"
                let body = errors.map { "\(f.file):\($0.location.line):\($0.location.column): \($0.message) [\($0.code)]"
                    + ($0.hint.map { "\n    hint: \($0)" } ?? "") }.joined(separator: "\n")
                out += "      <error message=\"\(a(first))\" type=\"invalid-transcript\">\(t(body))</error>\n"
                out += "    </testcase>\n"
            } else {
                for r in f.results {
                    out += "    <testcase name=\"\(a(r.name))\" classname=\"\(a(f.suiteName))\" "
                        + "time=\"\(seconds(r.seconds ?? 0))\" file=\"\(a(f.file))\""
                        + (r.run.location.map { " line=\"\($0.line)\"" } ?? "")
                    if r.passed {
                        out += "/>\n"
                        continue
                    }
                    out += ">\n"
                    let message = r.mismatches.map { "\($0.field): expected \($0.expected), got \($0.actual)" }
                        .joined(separator: "; ")
                    out += "      <failure message=\"\(a(message))\" type=\"golden-mismatch\">\(t(r.failureMessage))</failure>\n"
                    out += "    </testcase>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }
}
