/// The diagnostic codes of golden transcripts (documented in docs/transcripts.md, where a test
/// checks that every code has a row).
public enum GoldenDiagnosticCode {
    /// The text is not valid YAML, or a key appears twice (reading stops here).
    public static let yamlSyntax = "GT001"
    /// A value of the wrong shape or type (a mapping where a list is expected, ...).
    public static let wrongType = "GT002"
    /// A key the transcript format does not know.
    public static let unknownKey = "GT003"
    /// A required key is missing, the file is empty or has no runs.
    public static let missingKey = "GT004"
    /// A value outside the allowed words (ending, mood, band text), a duplicate run name, no replies.
    public static let invalidValue = "GT005"
    /// More values than the reader accepts once YAML aliases are expanded.
    public static let tooLarge = "GT006"
    /// A score band outside 0–100, or with low above high.
    public static let bandOutOfRange = "GT007"
    /// No scenario with the id in `scenario:` is found beside the transcript.
    public static let unknownScenario = "GT008"
    /// A node id in `expect.path` that the scenario does not have.
    public static let unknownNode = "GT009"
    /// An intent id in `expect.intents` that no node of the scenario has.
    public static let unknownIntent = "GT010"
    /// A critical rule id in `expect.critical` that the scenario does not have.
    public static let unknownCriticalRule = "GT011"
    /// Warning: `expect.path` does not begin with the scenario's start node.
    public static let pathStart = "GT012"
    /// Warning: the file name is not `<scenario id>.transcript.yaml`, so a scenario file does not find it.
    public static let fileName = "GT013"
    /// A band for a category the scenario does not score (spelling without `scoring.spelling`).
    public static let categoryNotScored = "GT014"
    /// The file cannot be read, or is not valid UTF-8.
    public static let unreadable = "GT015"
    /// The scenario file of the transcript has errors, so its runs cannot be played or checked.
    public static let scenarioErrors = "GT016"

    /// Every code with a one-line summary, in order.
    public static let all: [(code: String, summary: String)] = [
        (yamlSyntax, "YAML syntax error or duplicate key"),
        (wrongType, "wrong shape or type"),
        (unknownKey, "unknown key"),
        (missingKey, "missing required key"),
        (invalidValue, "invalid value"),
        (tooLarge, "too many values"),
        (bandOutOfRange, "score band out of range"),
        (unknownScenario, "unknown scenario"),
        (unknownNode, "unknown node in the expected path"),
        (unknownIntent, "unknown intent"),
        (unknownCriticalRule, "unknown critical rule"),
        (pathStart, "path does not begin at the start node (warning)"),
        (fileName, "file name does not match the scenario (warning)"),
        (categoryNotScored, "band for a category the scenario does not score"),
        (unreadable, "file cannot be read"),
        (scenarioErrors, "the scenario has errors"),
    ]
}

extension GoldenTranscript {
    /// The file name a transcript of scenario `id` has: `<id>.transcript.yaml`.
    public static func fileName(forScenario id: String) -> String { "\(id).transcript.yaml" }

    /// Whether a file name is a transcript's (`*.transcript.yaml`).
    public static func isTranscriptFile(_ name: String) -> Bool { name.hasSuffix(".transcript.yaml") }

    /// Checks that need the scenario: the ids named in the expectations exist in it, the path
    /// starts where the scenario starts, bands are for categories it scores. `scenario` nil means
    /// none was found (GT008). `fileName` (the transcript's own, without folder) adds GT013.
    public func check(against scenario: Scenario?, fileName: String? = nil) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let top = scenarioLocation ?? SourceLocation(line: 1, column: 1)
        if let fileName, Self.isTranscriptFile(fileName), fileName != Self.fileName(forScenario: self.scenario) {
            out.append(Diagnostic(.warning, code: GoldenDiagnosticCode.fileName,
                                  "the file is named \(fileName) but is the transcript of '\(self.scenario)'", at: top,
                                  hint: "rename it to \(Self.fileName(forScenario: self.scenario)) so that the scenario file finds it"))
        }
        guard let scenario else {
            out.append(Diagnostic(.error, code: GoldenDiagnosticCode.unknownScenario,
                                  "no scenario '\(self.scenario)' found beside the transcript", at: top,
                                  hint: "put \(self.scenario).yaml (a scenario with `id: \(self.scenario)`) in the same folder, or fix the id"))
            return out
        }
        if scenario.id != self.scenario {
            out.append(Diagnostic(.error, code: GoldenDiagnosticCode.unknownScenario,
                                  "the transcript names scenario '\(self.scenario)', but the scenario file beside it has id '\(scenario.id)'",
                                  at: top, hint: "write `scenario: \(scenario.id)`, or fix the scenario's id"))
        }
        let nodeIDs = scenario.nodes.map(\.id)
        let intentIDs = Self.unique(scenario.nodes.flatMap { $0.expect.map(\.id) })
        // The engine's own critical rule (obscene language) applies to every scenario.
        let criticalIDs = scenario.critical.map(\.id) + [Engine.obscenityRule]
        for run in runs {
            let at = run.location ?? top
            func location(_ list: [SourceLocation], _ i: Int) -> SourceLocation { i < list.count ? list[i] : at }
            for (i, id) in (run.expect.path ?? []).enumerated() where !nodeIDs.contains(id) {
                out.append(Diagnostic(.error, code: GoldenDiagnosticCode.unknownNode,
                                      "run '\(run.name)': scenario \(scenario.id) has no node '\(id)'",
                                      at: location(run.locations.path, i), hint: Self.hint(id, among: nodeIDs, kind: "nodes")))
            }
            if let first = run.expect.path?.first, first != scenario.start, nodeIDs.contains(first) {
                out.append(Diagnostic(.warning, code: GoldenDiagnosticCode.pathStart,
                                      "run '\(run.name)': the path begins at '\(first)', but the scenario starts at '\(scenario.start)'",
                                      at: location(run.locations.path, 0),
                                      hint: "a path lists every node visited, beginning with \(scenario.start)"))
            }
            for (i, id) in (run.expect.intents ?? []).enumerated() where !intentIDs.contains(id) {
                out.append(Diagnostic(.error, code: GoldenDiagnosticCode.unknownIntent,
                                      "run '\(run.name)': no node of scenario \(scenario.id) has an intent '\(id)'",
                                      at: location(run.locations.intents, i), hint: Self.hint(id, among: intentIDs, kind: "intents")))
            }
            for (i, id) in (run.expect.critical ?? []).enumerated() where !criticalIDs.contains(id) {
                out.append(Diagnostic(.error, code: GoldenDiagnosticCode.unknownCriticalRule,
                                      "run '\(run.name)': scenario \(scenario.id) has no critical rule '\(id)'",
                                      at: location(run.locations.critical, i),
                                      hint: Self.hint(id, among: criticalIDs, kind: "critical rules")))
            }
            if scenario.scoring.spelling == nil, let band = run.expect.scores[.spelling], band != .notApplicable {
                out.append(Diagnostic(.error, code: GoldenDiagnosticCode.categoryNotScored,
                                      "run '\(run.name)': a spelling band \(band), but scenario \(scenario.id) does not score spelling",
                                      at: run.locations.scores[.spelling] ?? at,
                                      hint: "write `spelling: n/a`, remove the band, or turn spelling on with scoring.spelling"))
            }
        }
        return out.sorted { $0.location < $1.location }
    }

    private static func unique(_ xs: [String]) -> [String] {
        var seen: Set<String> = []
        return xs.filter { seen.insert($0).inserted }
    }

    private static func hint(_ id: String, among ids: [String], kind: String) -> String {
        if let closest = Suggest.closest(to: id, among: ids) { return "did you mean '\(closest)'?" }
        if ids.isEmpty { return "the scenario has no \(kind)" }
        let shown = ids.prefix(20).joined(separator: ", ")
        return "its \(kind): \(shown)\(ids.count > 20 ? ", …" : "")"
    }
}
