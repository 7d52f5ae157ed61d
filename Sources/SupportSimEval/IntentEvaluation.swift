import Foundation
import SupportSimCore

// MARK: - Labels

/// The `expected` cell of an intents file: intent ids and `harmful:<id>` parts joined by `+`, or `none`.
public struct IntentLabel: Sendable, Equatable, CustomStringConvertible {
    public var intents: Set<String>
    /// Harmful rules of the node or critical rules of the scenario.
    public var harmful: Set<String>

    public init(intents: Set<String> = [], harmful: Set<String> = []) {
        self.intents = intents; self.harmful = harmful
    }

    public var isNone: Bool { intents.isEmpty && harmful.isEmpty }

    /// Parses a label; nil with the reason when it is malformed.
    public static func parse(_ text: String) -> Result<IntentLabel, IntentLabelError> {
        let cell = text.trimmingCharacters(in: .whitespaces)
        if cell.isEmpty { return .failure(.empty) }
        if cell.lowercased() == "none" { return .success(IntentLabel()) }
        var label = IntentLabel()
        for raw in cell.split(separator: "+", omittingEmptySubsequences: false) {
            let part = raw.trimmingCharacters(in: .whitespaces)
            if part.isEmpty { return .failure(.emptyPart(cell)) }
            if part.lowercased() == "none" { return .failure(.noneCombined(cell)) }
            if part.hasPrefix("harmful:") {
                let id = part.dropFirst("harmful:".count).trimmingCharacters(in: .whitespaces)
                if id.isEmpty { return .failure(.emptyPart(cell)) }
                label.harmful.insert(id)
            } else {
                label.intents.insert(part)
            }
        }
        return .success(label)
    }

    /// Intents sorted, then `harmful:` ids sorted, joined by `+`; `none` when empty.
    public var description: String {
        let parts = intents.sorted() + harmful.sorted().map { "harmful:" + $0 }
        return parts.isEmpty ? "none" : parts.joined(separator: "+")
    }
}

public enum IntentLabelError: Error, Equatable, CustomStringConvertible {
    case empty
    case emptyPart(String)
    case noneCombined(String)

    public var description: String {
        switch self {
        case .empty: "the expected label is empty; write intent ids joined by +, harmful:<id>, or none"
        case .emptyPart(let cell): "the expected label \"\(cell)\" has an empty part"
        case .noneCombined(let cell): "the expected label \"\(cell)\" combines none with other ids"
        }
    }
}

// MARK: - Cases and outcomes

/// One labelled reply.
public struct IntentCase: Sendable, Equatable {
    /// The line of the file where the row starts (for errors and misses).
    public var line: Int
    public var scenario: String
    public var node: String
    public var reply: String
    public var expected: IntentLabel

    public init(line: Int, scenario: String, node: String, reply: String, expected: IntentLabel) {
        self.line = line; self.scenario = scenario; self.node = node; self.reply = reply; self.expected = expected
    }

    /// What is wrong with the row for these scenarios (unknown scenario, node, intent or rule), or nil.
    public func problem(in scenarios: [String: Scenario]) -> String? {
        guard let scenario = scenarios[self.scenario] else {
            return "unknown scenario '\(self.scenario)' (scenarios: \(scenarios.keys.sorted().joined(separator: ", ")))"
        }
        guard let node = scenario.node(self.node) else {
            return "scenario \(scenario.id) has no node '\(self.node)'"
        }
        let intents = Set(scenario.allIntents.map(\.id))
        for id in expected.intents.sorted() where !intents.contains(id) {
            return "'\(id)' is not an intent of scenario \(scenario.id)"
        }
        let rules = Set(node.harmful.map(\.id) + scenario.critical.map(\.id) + [Engine.obscenityRule])
        for id in expected.harmful.sorted() where !rules.contains(id) {
            return "'harmful:\(id)' is not a harmful rule of node \(node.id) or a critical rule of scenario \(scenario.id)"
        }
        return nil
    }
}

/// What the engine did with a reply in one turn.
public struct IntentOutcome: Sendable, Equatable {
    /// Intents credited (`.intentMatched`), at the node and at later nodes in the same turn.
    public var credited: Set<String>
    /// Harmful rules (`.harmful`) and critical rules (`.critical`) that fired.
    public var fired: Set<String>

    public init(credited: Set<String> = [], fired: Set<String> = []) { self.credited = credited; self.fired = fired }

    public init(events: [EngineEvent]) {
        self.init()
        for event in events {
            switch event {
            case .intentMatched(let id, _, _, _, _): credited.insert(id)
            case .harmful(let id, _, _, _): fired.insert(id)
            case .critical(let id, _, _): fired.insert(id)
            default: break
            }
        }
    }

    public var label: IntentLabel { IntentLabel(intents: credited, harmful: fired) }
}

/// Plays each labelled reply once on a fresh engine (fixed seed, exam mode) placed at its node.
/// One engine per scenario is built once and copied for every row: the copy has a fresh state and
/// shares the compiled rules (and the meaning index), so a row costs what a turn costs.
public struct IntentPlayer: Sendable {
    public static let seed: UInt64 = 1
    private let engines: [String: Engine]

    /// - meaning: the meaning index of a scenario, or nil for rules alone.
    public init(scenarios: [Scenario], analyzer: PolitenessAnalyzer, meaning: (Scenario) -> MeaningIndex? = { _ in nil }) {
        var engines: [String: Engine] = [:]
        for s in scenarios {
            engines[s.id] = Engine(scenario: s, seed: Self.seed, analyzer: analyzer, mode: .exam, meaning: meaning(s))
        }
        self.engines = engines
    }

    /// The outcome of one row; nil when its scenario is not known.
    public func play(_ row: IntentCase) -> IntentOutcome? {
        guard var engine = engines[row.scenario] else { return nil }
        engine.position(at: row.node)
        return IntentOutcome(events: engine.handle(.reply(ReplyText.clean(row.reply))))
    }
}

// MARK: - Metrics

/// The counts behind the intent figures, for all rows or one scenario.
public struct IntentTally: Sendable, Equatable {
    public var rows = 0
    /// Expected intents (summed over rows), and those credited.
    public var expectedIntents = 0
    public var expectedCredited = 0
    /// Rows labelled `none` or harmful only, and those that got any intent credited.
    public var noIntentRows = 0
    public var falseCreditRows = 0
    /// Rows with a `harmful:` label, and those where every labelled harmful id fired.
    public var harmfulRows = 0
    public var harmfulCaught = 0
    /// Intents credited (summed over rows), and those not expected.
    public var creditedIntents = 0
    public var wrongIntents = 0

    public init() {}

    public mutating func add(expected: IntentLabel, outcome: IntentOutcome) {
        rows += 1
        expectedIntents += expected.intents.count
        expectedCredited += expected.intents.intersection(outcome.credited).count
        if expected.intents.isEmpty {
            noIntentRows += 1
            if !outcome.credited.isEmpty { falseCreditRows += 1 }
        }
        if !expected.harmful.isEmpty {
            harmfulRows += 1
            if expected.harmful.isSubset(of: outcome.fired) { harmfulCaught += 1 }
        }
        creditedIntents += outcome.credited.count
        wrongIntents += outcome.credited.subtracting(expected.intents).count
    }

    static func ratio(_ a: Int, _ b: Int) -> Double? { b > 0 ? Double(a) / Double(b) : nil }

    /// Expected intents credited / expected intents.
    public var recall: Double? { Self.ratio(expectedCredited, expectedIntents) }
    /// Rows labelled none or harmful only that got an intent / such rows.
    public var falseCredit: Double? { Self.ratio(falseCreditRows, noIntentRows) }
    /// Rows with a harmful label whose harmful ids all fired / such rows.
    public var harmfulRecall: Double? { Self.ratio(harmfulCaught, harmfulRows) }
    /// Credited intents not expected / credited intents.
    public var wrongIntent: Double? { Self.ratio(wrongIntents, creditedIntents) }
}

/// A row where the engine's reading differs from the label.
public struct IntentMiss: Sendable, Equatable, Encodable {
    public var line: Int
    public var scenario: String
    public var node: String
    public var reply: String
    public var expected: String
    public var got: String
}

/// The figures of one scenario (or of all rows).
public struct IntentFigures: Sendable, Equatable, Encodable {
    public var scenario: String?
    public var n: Int
    public var recall: Double?
    public var falseCredit: Double?
    public var harmfulRecall: Double?
    public var wrongIntent: Double?
    public var tally: IntentTally

    public init(scenario: String?, tally: IntentTally) {
        self.scenario = scenario; self.tally = tally; n = tally.rows
        recall = tally.recall; falseCredit = tally.falseCredit
        harmfulRecall = tally.harmfulRecall; wrongIntent = tally.wrongIntent
    }

    enum CodingKeys: String, CodingKey {
        case scenario, n, recall, falseCredit = "false_credit", harmfulRecall = "harmful_recall", wrongIntent = "wrong_intent"
        case expectedIntents = "expected_intents", expectedCredited = "expected_credited"
        case noIntentRows = "no_intent_rows", falseCreditRows = "false_credit_rows"
        case harmfulRows = "harmful_rows", harmfulCaught = "harmful_caught"
        case creditedIntents = "credited_intents", wrongIntents = "wrong_intents"
    }

    /// Every key is written; undefined figures are `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if let scenario { try c.encode(scenario, forKey: .scenario) }
        try c.encode(n, forKey: .n); try c.encode(recall, forKey: .recall); try c.encode(falseCredit, forKey: .falseCredit)
        try c.encode(harmfulRecall, forKey: .harmfulRecall); try c.encode(wrongIntent, forKey: .wrongIntent)
        try c.encode(tally.expectedIntents, forKey: .expectedIntents); try c.encode(tally.expectedCredited, forKey: .expectedCredited)
        try c.encode(tally.noIntentRows, forKey: .noIntentRows); try c.encode(tally.falseCreditRows, forKey: .falseCreditRows)
        try c.encode(tally.harmfulRows, forKey: .harmfulRows); try c.encode(tally.harmfulCaught, forKey: .harmfulCaught)
        try c.encode(tally.creditedIntents, forKey: .creditedIntents); try c.encode(tally.wrongIntents, forKey: .wrongIntents)
    }
}

/// The report of `supportsim-eval intents`.
public struct IntentReport: Sendable, Equatable, Encodable {
    public var all: IntentFigures
    /// Per scenario, sorted by id.
    public var scenarios: [IntentFigures]
    /// Every row whose credited intents or fired harmful rules differ from its label, in file order.
    public var misses: [IntentMiss]
    /// Meaning-based matching was on.
    public var meaning: Bool
    public var seconds: Double
    public var repliesPerSecond: Double

    enum CodingKeys: String, CodingKey {
        case n, recall, falseCredit = "false_credit", harmfulRecall = "harmful_recall", wrongIntent = "wrong_intent"
        case repliesPerSecond = "replies_per_second", seconds, meaning, counts, scenarios, misses
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(all.n, forKey: .n); try c.encode(all.recall, forKey: .recall)
        try c.encode(all.falseCredit, forKey: .falseCredit); try c.encode(all.harmfulRecall, forKey: .harmfulRecall)
        try c.encode(all.wrongIntent, forKey: .wrongIntent); try c.encode(repliesPerSecond, forKey: .repliesPerSecond)
        try c.encode(seconds, forKey: .seconds); try c.encode(meaning, forKey: .meaning)
        try c.encode(all, forKey: .counts); try c.encode(scenarios, forKey: .scenarios); try c.encode(misses, forKey: .misses)
    }
}

/// Computes the figures from the rows and what the engine did with each (same order).
public func evaluateIntents(_ rows: [IntentCase], outcomes: [IntentOutcome], seconds: Double, meaning: Bool) -> IntentReport {
    precondition(rows.count == outcomes.count, "evaluateIntents: one outcome per row")
    var all = IntentTally()
    var per: [String: IntentTally] = [:]
    var misses: [IntentMiss] = []
    for (row, outcome) in zip(rows, outcomes) {
        all.add(expected: row.expected, outcome: outcome)
        per[row.scenario, default: IntentTally()].add(expected: row.expected, outcome: outcome)
        if outcome.credited != row.expected.intents || outcome.fired != row.expected.harmful {
            misses.append(IntentMiss(line: row.line, scenario: row.scenario, node: row.node, reply: row.reply,
                                     expected: row.expected.description, got: outcome.label.description))
        }
    }
    return IntentReport(
        all: IntentFigures(scenario: nil, tally: all),
        scenarios: per.keys.sorted().map { IntentFigures(scenario: $0, tally: per[$0]!) },
        misses: misses, meaning: meaning, seconds: seconds,
        repliesPerSecond: seconds > 0 ? Double(rows.count) / seconds : 0)
}

/// Plays every row (timed: the turns only) and computes the figures.
public func evaluateIntents(_ rows: [IntentCase], player: IntentPlayer, meaning: Bool) -> IntentReport {
    let clock = ContinuousClock()
    let start = clock.now
    let outcomes = rows.map { player.play($0) ?? IntentOutcome() }
    let seconds = (clock.now - start).seconds
    return evaluateIntents(rows, outcomes: outcomes, seconds: seconds, meaning: meaning)
}
