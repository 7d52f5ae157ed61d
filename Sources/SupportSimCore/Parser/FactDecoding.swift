import Yams

/// Decoding of an intent's `facts:` and the check that samples state them (SS021).
extension ScenarioYAMLDecoder {
    static let factKeys = ["type", "accept", "wrong", "max_minutes", "now", "required", "feedback", "missing_feedback"]
    static let wrongFactKeys = ["values", "feedback"]

    /// `facts:` is a mapping from a fact name to its requirement.
    func decodeFacts(_ node: YNode, owner: String) -> [FactRequirement] {
        let what = "'facts' of \(owner)"
        guard let f = fields(node, what, context: what, known: nil) else { return [] }
        var out: [FactRequirement] = []
        for (name, keyNode, value) in f.order {
            let context = "fact '\(name)' of \(owner)"
            guard let ff = fields(value, context, context: context, known: Self.factKeys) else { continue }
            var fact = FactRequirement(name: name)
            fact.type = choice(ff, "type", allowed: FactType.allCases.map(\.rawValue)) { FactType(rawValue: $0) } ?? .value
            fact.accept = (stringList(ff, "accept", allowSingle: true) ?? []).map(\.value).filter { !$0.isEmpty }
            fact.required = bool(ff, "required") ?? true
            fact.feedback = string(ff, "feedback")?.value
            fact.missingFeedback = string(ff, "missing_feedback")?.value
            fact.maxMinutes = integer(ff, "max_minutes", in: 1...1_000_000)
            if let now = string(ff, "now") {
                if let minutes = Self.clockMinutes(now.value) { fact.now = minutes } else {
                    report(.error, ScenarioDiagnosticCode.invalidValue,
                           "'now' in \(context) is '\(Self.clip(now.value))', not a time of day",
                           at: now.location, hint: "write the scenario's time as \"HH:MM\", e.g. \"14:10\"")
                }
            }
            if let wrong = ff["wrong"] {
                if case let .sequence(items) = wrong {
                    for (i, item) in items.enumerated() {
                        let wc = "'wrong' item \(i + 1) of \(context)"
                        guard let wf = fields(item, wc, context: wc, known: Self.wrongFactKeys) else { continue }
                        let values = (stringList(wf, "values", allowSingle: true) ?? []).map(\.value).filter { !$0.isEmpty }
                        if values.isEmpty { missing("values", in: wf, hint: "list the wrong values, e.g. `values: [comma]`") }
                        let feedback = string(wf, "feedback", required: true, nonEmpty: true)?.value ?? ""
                        fact.wrong.append(WrongFactValue(values: values, feedback: feedback))
                    }
                } else {
                    wrongType("'wrong' in \(context)", expected: "a list of {values, feedback}", found: wrong)
                }
            }
            if fact.type == .value, fact.accept.isEmpty {
                report(.error, ScenarioDiagnosticCode.missingKey, "\(context) has no accepted values",
                       at: keyNode.location, hint: "add `accept:` with the phrases that name the right value")
            }
            if fact.type != .time, fact.maxMinutes != nil || fact.now != nil {
                report(.warning, ScenarioDiagnosticCode.noEffect,
                       "'max_minutes' and 'now' apply only to facts of type time (\(context))",
                       at: keyNode.location, hint: "remove them or set `type: time`")
            }
            out.append(fact)
        }
        return out
    }

    /// Every sample of an intent must state its facts with accepted values (SS021).
    func checkSampleFacts(_ sample: Located<String>, _ reply: ReadReply, facts: [FactRequirement], owner: String) {
        for fact in facts {
            let result = CompiledFact(fact, vocabulary: matchingVocabulary).check(reply)
            switch result.status {
            case .accepted, .absent:
                continue
            case .missing:
                report(.error, ScenarioDiagnosticCode.sampleFact,
                       "sample \"\(Self.clip(sample.value))\" of \(owner) does not state the fact '\(fact.name)'",
                       at: sample.location, hint: "name an accepted value in the sample, or add the sample's wording to `accept`")
            case .wrong(let value, _):
                report(.error, ScenarioDiagnosticCode.sampleFact,
                       "sample \"\(Self.clip(sample.value))\" of \(owner) names '\(Self.clip(value))', a wrong value of the fact '\(fact.name)'",
                       at: sample.location, hint: "fix the sample, or the fact's `accept` and `wrong` values")
            }
        }
    }

    /// "14:10" → 850.
    static func clockMinutes(_ s: String) -> Int? {
        let parts = s.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else {
            return nil
        }
        return h * 60 + m
    }
}
