import Foundation
import Yams

/// Decoding of the `escalation:` section: the policy, its targets, the hand-off note items,
/// ownership and refusal rules.
extension ScenarioYAMLDecoder {
    func decodeEscalation(_ node: YNode) -> EscalationPolicy {
        var policy = EscalationPolicy()
        guard let f = fields(node, "'escalation'", context: "escalation", known: Self.escalationKeys) else { return policy }
        policy.requirement = choice(f, "policy", allowed: EscalationRequirement.allCases.map(\.rawValue)) {
            EscalationRequirement(rawValue: $0)
        } ?? .optional
        let defaultKind: EscalationKind? = choice(f, "kind", allowed: EscalationKind.allCases.map(\.rawValue)) {
            EscalationKind(rawValue: $0)
        }
        if let to = f["to"] { decodeTargets(to, into: &policy, defaultKind: defaultKind) }
        if let defaultKind {
            for target in policy.targets where policy.targetKinds[LookAlike.key(target)] == nil {
                policy.targetKinds[LookAlike.key(target)] = defaultKind
            }
        }
        for item in stringList(f, "after", allowSingle: true) ?? [] {
            policy.after.append(item.value)
            index.intentReferences.append(.init(name: item.value, location: item.location, what: "`escalation.after`"))
        }
        if let notes = f["note_must_mention"] { policy.noteMustMention = decodeNoteItems(notes) }
        if let tell = f["tell_customer"] {
            policy.tellCustomer = matchRule(tell, owner: "'tell_customer' in escalation", node: nil)
        }
        if let frame = f["time_frame"] {
            policy.timeFrame = defaultOrRule(frame, owner: "'time_frame' in escalation") { EscalationDefaults.timeFrame(language) }
        }
        if let ownership = f["ownership"] { policy.ownership = decodeOwnership(ownership) }
        if let refusal = f["refusal"] { policy.refusal = decodeRefusal(refusal) }
        policy.next = nodeReference(f, "next", what: "`escalation.next`")
        policy.reason = string(f, "reason")?.value
        policy.customerIfRefused = lines(f, "customer_if_refused") ?? []
        if let forbidden = f["forbidden_to"] {
            policy.forbiddenTargets = (stringList(forbidden, "'forbidden_to' in escalation", allowSingle: true) ?? []).map(\.value)
            for target in policy.forbiddenTargets where policy.accepts(target) && !policy.targets.isEmpty {
                report(.error, ScenarioDiagnosticCode.invalidValue,
                       "'\(Self.clip(target))' is both an accepted target (`to`) and in `forbidden_to`",
                       at: forbidden.location, hint: "list each target in one of `to` and `forbidden_to`")
            }
        }

        // Settings the policy never reads.
        if policy.requirement != .forbidden, let key = f.keyNode("refusal"), policy.refusal != nil {
            report(.warning, ScenarioDiagnosticCode.noEffect,
                   "'refusal' has no effect unless the escalation policy is `forbidden`", at: key.location,
                   hint: "set `policy: forbidden`, or remove `refusal`")
        }
        if policy.requirement != .forbidden, policy.forbiddenTargets.isEmpty, let key = f.keyNode("customer_if_refused") {
            report(.warning, ScenarioDiagnosticCode.noEffect,
                   "'customer_if_refused' has no effect unless the escalation policy is `forbidden` or `forbidden_to` lists targets", at: key.location,
                   hint: "set `policy: forbidden`, or remove `customer_if_refused`")
        }
        if policy.requirement == .forbidden {
            for key in ["time_frame", "ownership"] where f[key] != nil {
                report(.warning, ScenarioDiagnosticCode.noEffect,
                       "'\(key)' has no effect when the escalation policy is `forbidden`",
                       at: f.keyNode(key)?.location ?? f.location, hint: "remove `\(key)`, or change the policy")
            }
        }
        return policy
    }

    /// `to`: a target, a list of targets, each a name or `{id, kind}`.
    func decodeTargets(_ node: YNode, into policy: inout EscalationPolicy, defaultKind: EscalationKind?) {
        let items: [YNode]
        switch node {
        case let .sequence(list): items = Array(list)
        default: items = [node]
        }
        for (i, item) in items.enumerated() {
            if case .mapping = item {
                guard let t = fields(item, "'to' item \(i + 1) in escalation", context: "escalation target \(i + 1)",
                                     known: Self.targetKeys) else { continue }
                guard let id = string(t, "id", required: true, nonEmpty: true) else { continue }
                policy.targets.append(id.value)
                if let kind = choice(t, "kind", allowed: EscalationKind.allCases.map(\.rawValue), { EscalationKind(rawValue: $0) }) {
                    policy.targetKinds[LookAlike.key(id.value)] = kind
                }
            } else if let name = text(item, "'to' item \(i + 1) in escalation") {
                policy.targets.append(name.value)
            }
        }
    }

    /// `note_must_mention`: a mapping item → rule (`default` or an empty value uses the built-in
    /// phrases of a standard item), a list of standard item names, or (v1) a list of phrases.
    func decodeNoteItems(_ notes: YNode) -> [NoteItem] {
        var items: [NoteItem] = []
        if case let .sequence(list) = notes {
            let names = list.compactMap { $0.scalar.map(\.string) }
            if !names.isEmpty, names.count == list.count, names.allSatisfy(EscalationDefaults.noteItems.contains) {
                var seen: Set<String> = []
                for (name, node) in zip(names, list) {
                    guard seen.insert(name).inserted else {
                        report(.error, ScenarioDiagnosticCode.duplicateID, "note item '\(name)' is listed twice",
                               at: node.location, hint: "list each item once")
                        continue
                    }
                    items.append(NoteItem(id: name, match: EscalationDefaults.noteItem(name, language: language)!))
                }
                return items
            }
            // A plain list is one item whose rule is `any` of the phrases.
            if let rule = matchRule(notes, owner: "'note_must_mention' in escalation", node: nil) {
                items = [NoteItem(id: "note", match: rule)]
            }
            return items
        }
        guard let nf = fields(notes, "'note_must_mention' in escalation", context: "escalation.note_must_mention", known: nil) else {
            return items
        }
        for (key, keyNode, value) in nf.order {
            let isDefault = value.isNull || (value.scalar?.string == "default" && value.tagName == .str)
            if isDefault {
                if let rule = EscalationDefaults.noteItem(key, language: language) {
                    items.append(NoteItem(id: key, match: rule))
                } else {
                    report(.error, ScenarioDiagnosticCode.invalidValue,
                           "note item '\(Self.clip(key))' has no built-in phrases; give it a match rule",
                           at: keyNode.location,
                           hint: Suggest.closest(to: key, among: EscalationDefaults.noteItems).map { "did you mean '\($0)'?" }
                            ?? "built-in items: \(EscalationDefaults.noteItems.joined(separator: ", ")); or write `\(key): [phrases]`")
                }
            } else if let rule = matchRule(value, owner: "note item '\(key)'", node: nil) {
                items.append(NoteItem(id: key, match: rule))
            }
        }
        return items
    }

    /// `true` (or `default`) for the built-in phrases, `false` for none, otherwise a match rule.
    func defaultOrRule(_ node: YNode, owner: String, _ builtIn: () -> MatchRule) -> MatchRule? {
        if case let .scalar(scalar) = node {
            if node.tagName == .bool, let on = YAMLScalarTag.boolValue(scalar.string) { return on ? builtIn() : nil }
            if scalar.string == "default" { return builtIn() }
        }
        return matchRule(node, owner: owner, node: nil)
    }

    /// `ownership: required | credit`, or `{required: true, match: rule}`.
    func decodeOwnership(_ node: YNode) -> OwnershipRule? {
        let builtIn = EscalationDefaults.ownership(language)
        if case .mapping = node {
            guard let f = fields(node, "'ownership' in escalation", context: "escalation.ownership", known: Self.ownershipKeys) else {
                return nil
            }
            let required = bool(f, "required") ?? false
            let rule = f["match"].flatMap { matchRule($0, owner: "'ownership' in escalation", node: nil) }
            return OwnershipRule(required: required, match: rule ?? builtIn)
        }
        let allowed = ["required", "credit"]
        guard let word = text(node, "'ownership' in escalation") else { return nil }
        guard allowed.contains(word.value) else {
            report(.error, ScenarioDiagnosticCode.invalidValue,
                   "'ownership' in escalation is '\(Self.clip(word.value))', which is not one of: required, credit, or a mapping",
                   at: word.location, hint: "write `ownership: required`, or `ownership: {required: true, match: [...]}`")
            return nil
        }
        return OwnershipRule(required: word.value == "required", match: builtIn)
    }

    /// `refusal: {match: rule, alternative: rule}`; either part may be `default` (or left out) for the built-in phrases.
    func decodeRefusal(_ node: YNode) -> RefusalRule? {
        if case let .scalar(scalar) = node, node.tagName == .bool, let on = YAMLScalarTag.boolValue(scalar.string) {
            return on ? RefusalRule(match: EscalationDefaults.refusal(language), alternative: EscalationDefaults.alternative(language)) : nil
        }
        guard let f = fields(node, "'refusal' in escalation", context: "escalation.refusal", known: Self.refusalKeys) else { return nil }
        let refuse = f["match"].flatMap { defaultOrRule($0, owner: "'refusal.match' in escalation") { EscalationDefaults.refusal(language) } }
        let alternative = f["alternative"].flatMap {
            defaultOrRule($0, owner: "'refusal.alternative' in escalation") { EscalationDefaults.alternative(language) }
        }
        return RefusalRule(match: refuse ?? EscalationDefaults.refusal(language),
                           alternative: alternative ?? EscalationDefaults.alternative(language))
    }

}
