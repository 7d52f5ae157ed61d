import Foundation

/// Cross-reference and graph checks that need the whole decoded scenario:
/// undefined nodes and intents, unreachable nodes, dead ends, nodes without expected replies,
/// and samples caught by an earlier rule.
struct ScenarioChecks {
    let scenario: Scenario
    let index: ScenarioIndex
    private var diagnostics: [Diagnostic] = []
    /// Node ids, for constant-time lookups (`Scenario.node` is a linear search).
    private let defined: Set<String>
    /// "Did you mean" hints compare a name with every candidate; after this many distinct names
    /// the hint lists the candidates instead, which bounds the work on files with thousands of
    /// undefined references.
    static let suggestionLimit = 50
    /// SS014 compares every sample with the rules before it; the work (sample words × rules) is
    /// capped at this, and a note (SS017) says where the check stopped.
    static let sampleCheckBudget = 2_000_000
    private let sampleBudget: Int

    init(scenario: Scenario, index: ScenarioIndex, sampleCheckBudget: Int = ScenarioChecks.sampleCheckBudget) {
        self.scenario = scenario
        self.index = index
        self.sampleBudget = sampleCheckBudget
        self.defined = Set(scenario.nodes.map(\.id))
    }

    func run() -> [Diagnostic] {
        var checks = self
        checks.checkNodeReferences()
        checks.checkIntentReferences()
        checks.checkGraph()
        checks.checkSamples()
        return checks.diagnostics
    }

    private mutating func report(_ severity: Diagnostic.Severity, _ code: String, _ message: String,
                                 at location: SourceLocation, hint: String?) {
        diagnostics.append(Diagnostic(severity, code: code, message, at: location, hint: hint))
    }

    private var nodeIDs: [String] { scenario.nodes.map(\.id) }

    // MARK: References

    private mutating func checkNodeReferences() {
        let ids = nodeIDs
        var hints = BoundedHints(among: ids, listing: "defined nodes")
        for ref in index.nodeReferences where !defined.contains(ref.name) {
            report(.error, ScenarioDiagnosticCode.undefinedNode,
                   "\(ref.what) names node '\(YAMLValueReader.clip(ref.name))', which is not defined"
                       + Self.mixedScripts(ref.name, among: ids),
                   at: ref.location, hint: hints.hint(for: ref.name))
        }
    }

    private mutating func checkIntentReferences() {
        let ids = scenario.allIntents.map(\.id).filter { !$0.isEmpty }
        let defined = Set(ids)
        var hints = BoundedHints(among: ids, listing: "defined intents")
        for ref in index.intentReferences where !defined.contains(ref.name) {
            report(.error, ScenarioDiagnosticCode.undefinedIntent,
                   "\(ref.what) names intent '\(YAMLValueReader.clip(ref.name))', which no node expects"
                       + Self.mixedScripts(ref.name, among: ids),
                   at: ref.location, hint: hints.hint(for: ref.name))
        }
    }

    /// When an id that is not found mixes Latin and Cyrillic letters, names them (and the id they
    /// probably stand for): "; it mixes scripts: «о» is Cyrillic (did you mean 'node2'?)".
    static func mixedScripts(_ name: String, among ids: [String]) -> String {
        let written = ids.first { LookAlike.key($0) == LookAlike.key(name) }
        guard let letters = LookAlike.cyrillicLetters(in: name) ?? written.flatMap(LookAlike.cyrillicLetters(in:)) else { return "" }
        var text = "; it mixes Latin and Cyrillic letters: \(letters) \(letters.contains(",") ? "are" : "is") Cyrillic"
        if let written { text += " (the defined id is '\(YAMLValueReader.clip(written))')" }
        return text
    }

    /// `Suggest.hint`, remembered per name and computed for at most `suggestionLimit` names.
    private struct BoundedHints {
        let among: [String]
        let listing: String
        var known: [String: String] = [:]

        init(among: [String], listing: String) { self.among = among; self.listing = listing }

        mutating func hint(for name: String) -> String {
            if let hit = known[name] { return hit }
            if known.count >= ScenarioChecks.suggestionLimit { return "\(listing): " + Suggest.list(among) }
            let hint = Suggest.hint(for: name, among: among, listing: listing)
            known[name] = hint
            return hint
        }
    }

    // MARK: Graph

    /// Nodes a node can move to by a reply (intent, harmful rule or fallback).
    private func successors(_ node: Node) -> [String] {
        var out = node.expect.compactMap(\.next) + node.harmful.compactMap(\.next)
        if let next = node.fallback.next { out.append(next) }
        return out.filter { $0 != node.id && defined.contains($0) }
    }

    private mutating func checkGraph() {
        guard !scenario.nodes.isEmpty else { return }
        let policy = scenario.escalation
        // A correct escalation can lead on to `escalation.next` from anywhere.
        let escalationTarget = policy.requirement != .forbidden ? policy.next.flatMap { defined.contains($0) ? $0 : nil } : nil
        var edges: [String: [String]] = [:]
        for node in scenario.nodes where node.end == nil {
            // An accepted referral with `next` leads on from the nodes where it is not refused.
            let referred = scenario.referrals.compactMap { r in
                r.next.flatMap { defined.contains($0) && !r.refuses(at: node.id) && $0 != node.id ? $0 : nil }
            }
            edges[node.id] = successors(node) + (escalationTarget.map { [$0] } ?? []) + referred
        }

        // SS010: reachable from start.
        var reachable = Set<String>()
        if defined.contains(scenario.start) {
            var queue = [scenario.start]
            while let id = queue.popLast() {
                guard reachable.insert(id).inserted else { continue }
                queue += edges[id] ?? []
            }
            for node in scenario.nodes where !reachable.contains(node.id) {
                report(.warning, ScenarioDiagnosticCode.unreachableNode,
                       "node '\(node.id)' cannot be reached from the start node '\(scenario.start)'",
                       at: location(of: node.id),
                       hint: "point a `next` at it, or remove it")
            }
        }

        // SS011: dead ends. When escalation is required, escalating is the proper way out of any node.
        var deadEnds = Set<String>()
        if policy.requirement != .required {
            let goals = Set(scenario.nodes.filter { $0.end != nil || $0.closable }.map(\.id))
            // Nodes from which a goal is reachable: walk the edges backwards from the goals.
            var reverse: [String: [String]] = [:]
            for (from, tos) in edges { for to in tos { reverse[to, default: []].append(from) } }
            var canFinish = Set<String>()
            var queue = Array(goals)
            while let id = queue.popLast() {
                guard canFinish.insert(id).inserted else { continue }
                queue += reverse[id] ?? []
            }
            for node in scenario.nodes where node.end == nil && !canFinish.contains(node.id)
                && (reachable.isEmpty || reachable.contains(node.id)) && !namesUndefinedNode(node) {
                deadEnds.insert(node.id)
                if successors(node).isEmpty {
                    report(.warning, ScenarioDiagnosticCode.deadEnd,
                           "node '\(node.id)' is a dead end: no reply leads on from it, it is not `closable` and has no `end`",
                           at: location(of: node.id),
                           hint: "give an intent or the fallback a `next`, mark the node `closable: true`, or give it `end:`")
                } else {
                    report(.warning, ScenarioDiagnosticCode.deadEnd,
                           "node '\(node.id)' is a dead end: no ending can be reached from it",
                           at: location(of: node.id),
                           hint: "lead some path from it to a node with `end:` or `closable: true`")
                }
            }
        }

        // SS013: a conversation node with nothing to expect.
        for node in scenario.nodes where node.end == nil && node.expect.isEmpty && !deadEnds.contains(node.id) {
            report(.warning, ScenarioDiagnosticCode.emptyContent,
                   "node '\(node.id)' has no expected replies (`expect`), so every reply falls back",
                   at: location(of: node.id), hint: "add `expect:` with the intents the trainee should show here")
        }
    }

    /// A node with a `next` naming no node already has an SS005 error; no dead-end warning on top.
    private func namesUndefinedNode(_ node: Node) -> Bool {
        let names = node.expect.compactMap(\.next) + node.harmful.compactMap(\.next) + [node.fallback.next].compactMap { $0 }
        return names.contains { !defined.contains($0) }
    }

    private func location(of nodeID: String) -> SourceLocation {
        index.nodeLocations[nodeID] ?? SourceLocation(line: 1, column: 1)
    }

    // MARK: Samples

    /// SS014: a sample that a harmful rule, an earlier intent of the same node, or a critical rule catches.
    private mutating func checkSamples() {
        let vocabulary = scenario.matchingVocabulary
        var spent = 0
        var normalized = NormalizedText(tokens: [])
        var raw = ""
        /// Whether the rule matches the current sample (`normalized`, `raw`).
        func hits(_ rule: MatchRule) -> Bool {
            spent += normalized.tokens.count + 1
            return Matcher.match(rule, in: normalized, raw: raw, vocabulary: vocabulary) != nil
        }
        for node in scenario.nodes {
            guard let samplesByIntent = index.samples[node.id] else { continue }
            for (i, intent) in node.expect.enumerated() where i < samplesByIntent.count {
                for sample in samplesByIntent[i] {
                    if spent > sampleBudget {
                        report(.note, ScenarioDiagnosticCode.limitExceeded,
                               "samples from here on were not checked against earlier rules (SS014): the file has too many samples and rules",
                               at: sample.location, hint: "split the scenario into smaller ones to have every sample checked")
                        return
                    }
                    normalized = TextNormalizer.normalize(sample.value)
                    raw = sample.value
                    if let rule = scenario.critical.first(where: { hits($0.match) }) {
                        report(.warning, ScenarioDiagnosticCode.sampleShadowed,
                               "sample \"\(YAMLValueReader.clip(sample.value))\" of intent '\(intent.id)' triggers critical rule '\(rule.id)'",
                               at: sample.location, hint: "reword the sample or narrow the critical rule")
                    }
                    if let rule = node.harmful.first(where: { hits($0.match) }) {
                        report(.warning, ScenarioDiagnosticCode.sampleShadowed,
                               "sample \"\(YAMLValueReader.clip(sample.value))\" of intent '\(intent.id)' is caught first by harmful rule '\(rule.id)'",
                               at: sample.location, hint: "harmful rules are checked before intents; narrow the harmful rule (e.g. with `none`)")
                    } else if let earlier = node.expect[..<i].first(where: { hits($0.match) }) {
                        report(.warning, ScenarioDiagnosticCode.sampleShadowed,
                               "sample \"\(YAMLValueReader.clip(sample.value))\" of intent '\(intent.id)' is caught first by the earlier intent '\(earlier.id)'",
                               at: sample.location, hint: "intents are tried in file order; reorder them or narrow '\(earlier.id)' with `none`")
                    }
                }
            }
        }
    }
}
