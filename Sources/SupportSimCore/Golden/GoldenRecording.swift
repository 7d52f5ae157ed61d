/// Turns a played session into a new golden run (`supportsim record`): the lines the trainee
/// typed become `replies`, and the path, intents, ending, scores, pass, critical rules and final
/// mood that replaying them gives become `expect`.
public enum GoldenRecording {
    /// The lines that replay `inputs` (a session's inputs in order); `abandoned` adds `/quit`.
    public static func replies(_ inputs: [TraineeInput], abandoned: Bool) -> [String] {
        inputs.map(\.text) + (abandoned ? ["/quit"] : [])
    }

    /// A run with `replies` whose expectations are exactly what playing them gives (as
    /// `supportsim test` will play them); the result is returned with it.
    public static func run(name: String, seed: UInt64, replies: [String], scenario: Scenario,
                           pipeline: ScoringPipeline, meaning: MeaningIndex? = nil) -> (run: GoldenRun, result: GoldenRunResult) {
        let bare = GoldenRun(name: name, seed: seed, replies: replies, expect: GoldenExpectation())
        let played = GoldenRunner.play(bare, scenario: scenario, pipeline: pipeline, meaning: meaning)
        let t = played.transcript, card = played.scoreCard
        var scores: [GoldenScoreKey: ScoreBand] = [:]
        for key in GoldenScoreKey.allCases {
            if let category = key.category {
                scores[key] = card.score(category).map { .range($0.score...$0.score) } ?? .notApplicable
            } else {
                scores[key] = .range(card.total...card.total)
            }
        }
        var run = bare
        run.expect = GoldenExpectation(path: t.path, ending: GoldenEnding(t.ending), scores: scores, passed: card.passed,
                                       critical: GoldenRunner.criticalRules(t), finalMood: t.finalMood,
                                       intents: GoldenRunner.matchedIntents(t))
        return (run, played)
    }

    /// The YAML of one run as an item of `runs:` (indented by two spaces, like the shipped files).
    public static func yaml(_ run: GoldenRun, comment: String? = nil) -> String {
        var out = ""
        if let comment { out += "  # \(plain(comment))\n" }
        out += "  - name: \(id(run.name))\n"
        out += "    seed: \(run.seed)\n"
        if run.secondsPerReply != 30 { out += "    seconds_per_reply: \(run.secondsPerReply)\n" }
        out += "    replies:\n"
        for reply in run.replies { out += "      - \(quoted(reply))\n" }
        let e = run.expect
        out += "    expect:\n"
        if let path = e.path { out += "      path: [\(path.map(id).joined(separator: ", "))]\n" }
        if let intents = e.intents { out += "      intents: [\(intents.map(id).joined(separator: ", "))]\n" }
        if let ending = e.ending { out += "      ending: \(ending)\n" }
        if !e.scores.isEmpty {
            let bands = e.scores.keys.sorted().map { key -> String in
                switch e.scores[key]! {
                case .notApplicable: "\(key.rawValue): n/a"
                case .range(let r): r.lowerBound == r.upperBound ? "\(key.rawValue): \(r.lowerBound)"
                    : "\(key.rawValue): [\(r.lowerBound), \(r.upperBound)]"
                }
            }
            out += "      scores: {\(bands.joined(separator: ", "))}\n"
        }
        if let passed = e.passed { out += "      passed: \(passed)\n" }
        if let critical = e.critical { out += "      critical: [\(critical.map(id).joined(separator: ", "))]\n" }
        if let mood = e.finalMood { out += "      final_mood: \(mood.name)\n" }
        return out
    }

    /// The file text with `run` appended as its last run, or a new file for `scenarioID` when
    /// `existing` is nil. The result is read back: when the existing file is not laid out so that
    /// a run can be appended at its end (runs not last, in flow style or indented otherwise), or
    /// has errors, the diagnostics say why and nothing is returned.
    public static func appending(_ run: GoldenRun, comment: String? = nil, to existing: String?,
                                 scenarioID: String) -> Result<String, GoldenAppendError> {
        var text: String
        if let existing {
            let before = GoldenTranscript.parse(existing)
            guard let transcript = before.transcript, !before.hasErrors else {
                return .failure(GoldenAppendError(reason: "the transcript file has errors; fix them first",
                                                  diagnostics: before.diagnostics))
            }
            if transcript.runs.contains(where: { $0.name == run.name }) {
                return .failure(GoldenAppendError(reason: "the transcript already has a run named '\(run.name)'; choose another name",
                                                  diagnostics: []))
            }
            text = existing
            if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
            text += "\n" + yaml(run, comment: comment)
            let after = GoldenTranscript.parse(text)
            guard let appended = after.transcript, !after.hasErrors, appended.runs.count == transcript.runs.count + 1,
                  appended.runs.last?.name == run.name, appended.runs.last?.replies == run.replies else {
                return .failure(GoldenAppendError(
                    reason: "a run cannot be appended at the end of this file (`runs:` must be the last key, "
                        + "its items written as `  - name: …` blocks)", diagnostics: after.diagnostics))
            }
        } else {
            text = "# Golden transcript of \(plain(scenarioID)) (see docs/transcripts.md).\n"
                + "scenario: \(id(scenarioID))\nruns:\n" + yaml(run, comment: comment)
        }
        return .success(text)
    }

    /// An id as written in the shipped files (plain when that reads back as the same text), else quoted.
    static func id(_ s: String) -> String {
        let plain = s.unicodeScalars.first.map { ("a"..."z").contains($0) || ("A"..."Z").contains($0) } == true
            && s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
            && !["true", "false", "null", "yes", "no", "on", "off", "y", "n", "na", "none"].contains(s.lowercased())
        return plain ? s : quoted(s)
    }

    /// A YAML double-quoted scalar: backslash, quote and every control character escaped.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
                    || scalar.value == 0xFEFF {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Text for a comment line: one line, no control characters.
    private static func plain(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.filter { $0.value >= 0x20 && !(0x7F...0x9F).contains($0.value) }))
    }
}

/// Why a recorded run could not be appended to a transcript file.
public struct GoldenAppendError: Error, Sendable {
    public var reason: String
    public var diagnostics: [Diagnostic]
}
