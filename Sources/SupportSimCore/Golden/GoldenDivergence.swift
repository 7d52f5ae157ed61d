/// One reply of a golden run as it was played.
public struct GoldenStep: Sendable, Equatable {
    /// 1-based position of the reply in the run's `replies` (the turn a trainer counts in the file).
    public var number: Int
    public var reply: String
    /// The node the reply was typed at.
    public var node: String
    /// The length of the path before and after the reply (the reply added `path[pathBefore..<pathAfter]`).
    public var pathBefore: Int
    public var pathAfter: Int
    public var events: [EngineEvent]
    /// Where the reply is in the transcript file.
    public var location: SourceLocation?

    public init(number: Int, reply: String, node: String, pathBefore: Int, pathAfter: Int,
                events: [EngineEvent], location: SourceLocation? = nil) {
        self.number = number; self.reply = reply; self.node = node; self.pathBefore = pathBefore
        self.pathAfter = pathAfter; self.events = events; self.location = location
    }

    /// What the engine made of the reply: the intents and rules that matched, or that nothing did.
    public var matched: [String] {
        var out: [String] = []
        func phrases(_ m: [String]) -> String { m.isEmpty ? "" : " (" + m.map { "\"\($0)\"" }.joined(separator: ", ") + ")" }
        for event in events {
            switch event {
            case .intentMatched(let id, _, _, _, let m): out.append("intent \(id)\(phrases(m))")
            case .harmful(let rule, _, _, let m): out.append("harmful rule \(rule)\(phrases(m))")
            case .critical(let rule, _, let m): out.append("critical rule \(rule)\(phrases(m))")
            case .wrongFact(let intent, let fact, let value, _):
                out.append("intent \(intent) with key fact \(fact) \(value.map { "wrong ('\($0)')" } ?? "missing")")
            case .fallback(let node): out.append("nothing matched at \(node) (fallback)")
            case .clarify(let node): out.append("nothing matched at \(node) (clarifying question)")
            case .escalated(let target, _, let accepted): out.append("escalation to \(target)\(accepted ? "" : " (not accepted)")")
            case .referred(let target, _, let accepted): out.append("referral to \(target)\(accepted ? "" : " (refused)")")
            case .closedEarly(let node): out.append("/close at \(node) before the problem was solved")
            case .rejected(let reason): out.append("rejected: \(reason)")
            case .ended(let kind): out.append("ended: \(kind.rawValue)")
            default: break
            }
        }
        return out.isEmpty ? ["nothing matched"] : out
    }
}

/// Where a golden run first went another way than its expectations: the reply, the node it was
/// typed at, the node expected next against the node reached, and what the reply matched.
public struct GoldenDivergence: Sendable, Equatable, CustomStringConvertible {
    /// What diverged: "path", "intents" or "ending".
    public var field: String
    /// The reply (1-based in the run) at which it happened; nil when it is before the first reply.
    public var turn: Int?
    public var reply: String?
    public var location: SourceLocation?
    /// The node the reply was typed at.
    public var node: String
    /// The node the expectation says comes next (nil: the path should have ended here).
    public var expectedNode: String?
    /// The node the conversation went to (nil: it stayed at `node` or ended).
    public var actualNode: String?
    /// For `intents`: the intent expected and the intent matched at this position (nil: none).
    public var expectedIntent: String?
    public var actualIntent: String?
    /// What the reply matched (`GoldenStep.matched`).
    public var matched: [String]

    public init(field: String, turn: Int?, reply: String?, location: SourceLocation?, node: String,
                expectedNode: String? = nil, actualNode: String? = nil, expectedIntent: String? = nil,
                actualIntent: String? = nil, matched: [String]) {
        self.field = field; self.turn = turn; self.reply = reply; self.location = location; self.node = node
        self.expectedNode = expectedNode; self.actualNode = actualNode; self.expectedIntent = expectedIntent
        self.actualIntent = actualIntent; self.matched = matched
    }

    /// "Diverged at turn 3 (line 12): "…" at node X: expected node Y, actual node Z; matched: …".
    public var description: String {
        var out = "  Diverged "
        if let turn { out += "at turn \(turn)" + (location.map { " (line \($0.line))" } ?? "") + ": \"\(reply ?? "")\"\n" }
        else { out += "before the first reply\n" }
        out += field == "path" ? "    after node \(node)" : "    at node \(node)"
        switch field {
        case "intents":
            out += ": expected intent \(expectedIntent ?? "(none)"), actual intent \(actualIntent ?? "(none)")\n"
        case "ending":
            out += ": the conversation ended otherwise than expected\n"
        default:
            out += ": expected node \(expectedNode ?? "(end of path)"), actual node \(actualNode ?? "(stayed at \(node))")\n"
        }
        out += "    matched: \(matched.joined(separator: "; "))"
        return out
    }

    /// The first divergence of a run: in the path, else in the intents, else (for a different
    /// ending) the last reply played.
    public static func find(_ expect: GoldenExpectation, path actual: [String], steps: [GoldenStep],
                            matchedIntents: [String], endingDiffers: Bool) -> GoldenDivergence? {
        if let expected = expect.path, expected != actual {
            var k = 0
            while k < expected.count, k < actual.count, expected[k] == actual[k] { k += 1 }
            let expectedNode = k < expected.count ? expected[k] : nil
            let actualNode = k < actual.count ? actual[k] : nil
            // The reply that added actual[k], or (when the path stopped short) the first reply
            // typed after the path reached its end.
            let step = actualNode != nil
                ? steps.first { $0.pathBefore <= k && k < $0.pathAfter }
                : (steps.first { $0.pathBefore >= k } ?? steps.last)
            guard let step else {
                return GoldenDivergence(field: "path", turn: nil, reply: nil, location: nil,
                                        node: k > 0 ? actual[k - 1] : "(start)",
                                        expectedNode: expectedNode, actualNode: actualNode, matched: ["nothing (no reply played)"])
            }
            return GoldenDivergence(field: "path", turn: step.number, reply: step.reply, location: step.location,
                                    node: k > 0 && k - 1 < actual.count ? actual[k - 1] : step.node,
                                    expectedNode: expectedNode, actualNode: actualNode, matched: step.matched)
        }
        if let expected = expect.intents, expected != matchedIntents {
            var k = 0
            while k < expected.count, k < matchedIntents.count, expected[k] == matchedIntents[k] { k += 1 }
            // The reply that matched intent k, else the first reply after intent k-1 was matched.
            var seen = 0
            var hit: GoldenStep?
            var afterPrevious: GoldenStep?
            for step in steps {
                let n = step.events.filter { if case .intentMatched = $0 { true } else { false } }.count
                if hit == nil, seen + n > k { hit = step }
                if afterPrevious == nil, seen >= k, n == 0 || seen + n > k { afterPrevious = step }
                seen += n
            }
            guard let step = hit ?? afterPrevious ?? steps.last else { return nil }
            return GoldenDivergence(field: "intents", turn: step.number, reply: step.reply, location: step.location,
                                    node: step.node, expectedIntent: k < expected.count ? expected[k] : nil,
                                    actualIntent: k < matchedIntents.count ? matchedIntents[k] : nil, matched: step.matched)
        }
        if endingDiffers, let step = steps.last {
            return GoldenDivergence(field: "ending", turn: step.number, reply: step.reply, location: step.location,
                                    node: step.node, matched: step.matched)
        }
        return nil
    }
}
