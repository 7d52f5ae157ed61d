import Foundation
import Yams

/// Decoding of the `refer:` section: referral targets that are not escalations (a manager,
/// procurement, security), with their policy, the nodes it applies at, the note items and the
/// customer's lines. Lint codes SS023 (clashing ids), SS024 (an id `/refer` cannot take) and
/// SS025 (a setting the referral's policy never uses).
extension ScenarioYAMLDecoder {
    static let referralKeys = ["id", "label", "policy", "at", "note_must_mention", "customer", "customer_if_refused",
                               "reason", "next"]

    /// - escalationTargets: `escalation.to` and `forbidden_to`, which a referral id must not repeat.
    func decodeReferrals(_ node: YNode, escalationTargets: [String]) -> [Referral] {
        guard case let .sequence(items) = node else {
            wrongType("'refer'", expected: "a list of referral targets", found: node,
                      hint: "for example `refer: [{id: manager, label: {en: the team manager, ru: руководитель группы}, policy: required}]`")
            return []
        }
        var referrals: [Referral] = []
        var seen: [String: (id: String, line: Int)] = [:]
        let escalationKeys = Dictionary(escalationTargets.map { (LookAlike.key($0), $0) }, uniquingKeysWith: { a, _ in a })
        for (i, item) in items.enumerated() {
            let context = "referral \(i + 1)"
            guard let f = fields(item, "'refer' item \(i + 1)", context: context, known: Self.referralKeys) else { continue }
            guard let id = string(f, "id", required: true, nonEmpty: true) else { continue }
            let name = "referral '\(Self.clip(id.value))'"
            var referral = Referral(id: id.value)

            // SS024: the id is the word typed after `/refer`.
            let trimmed = id.value.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty, trimmed.contains(where: \.isWhitespace) || trimmed.hasPrefix("/")
                || !trimmed.contains(where: { $0.isLetter || $0.isNumber }) {
                report(.error, ScenarioDiagnosticCode.referralID,
                       "\(name) cannot be typed after /refer: an id is one word of letters or digits (and '-', '_', '.')",
                       at: id.location, hint: "use one word such as `manager` or `procurement`, and put the readable name in `label`")
            }
            // SS023: ids fold look-alike letters and case, as `/refer` does.
            let key = LookAlike.key(id.value)
            if let first = seen[key] {
                report(.error, ScenarioDiagnosticCode.referralClash,
                       "\(name) is the same target as referral '\(Self.clip(first.id))' (line \(first.line))"
                           + (first.id == id.value ? "" : " once case and look-alike Latin/Cyrillic letters are folded"),
                       at: id.location, hint: "give each referral target its own id")
            } else {
                seen[key] = (id.value, id.location.line)
            }
            if let target = escalationKeys[key] {
                report(.error, ScenarioDiagnosticCode.referralClash,
                       "\(name) is also the escalation target '\(Self.clip(target))': `/escalate` and `/refer` would name the same team",
                       at: id.location, hint: "a referral is not an escalation: remove it from `escalation`, or rename the referral")
            }

            if let label = f["label"] { referral.labels = decodeLabel(label, owner: name) }
            referral.policy = choice(f, "policy", allowed: ReferralPolicy.allCases.map(\.rawValue)) {
                ReferralPolicy(rawValue: $0)
            } ?? .optional
            for node in stringList(f, "at", allowSingle: true) ?? [] {
                referral.at.append(node.value)
                index.nodeReferences.append(.init(name: node.value, location: node.location, what: "`at` of \(name)"))
            }
            if let notes = f["note_must_mention"] { referral.noteMustMention = decodeNoteItems(notes) }
            referral.customer = lines(f, "customer") ?? []
            referral.customerIfRefused = lines(f, "customer_if_refused") ?? []
            referral.reason = string(f, "reason")?.value
            referral.next = nodeReference(f, "next", what: "`next` of \(name)")

            // SS025: settings the referral's policy never reads.
            if referral.policy != .forbidden, let key = f.keyNode("customer_if_refused") {
                report(.warning, ScenarioDiagnosticCode.referralNoEffect,
                       "'customer_if_refused' of \(name) has no effect: only a `forbidden` referral is refused",
                       at: key.location, hint: "set `policy: forbidden`, or remove `customer_if_refused`")
            }
            if referral.policy == .forbidden, referral.at.isEmpty {
                for k in ["customer", "next", "note_must_mention"] {
                    guard let key = f.keyNode(k) else { continue }
                    report(.warning, ScenarioDiagnosticCode.referralNoEffect,
                           "'\(k)' of \(name) has no effect: a `forbidden` referral without `at` is refused at every node",
                           at: key.location, hint: "remove `\(k)`, or limit the refusal to some nodes with `at`")
                }
            }
            referrals.append(referral)
        }
        return referrals
    }

    /// `label: text` (both languages) or `label: {en: ..., ru: ...}`.
    func decodeLabel(_ node: YNode, owner: String) -> [Language: String] {
        if case .mapping = node {
            guard let f = fields(node, "'label' of \(owner)", context: "the label of \(owner)",
                                 known: Language.allCases.map(\.rawValue)) else { return [:] }
            var labels: [Language: String] = [:]
            for language in Language.allCases {
                if let text = string(f, language.rawValue, nonEmpty: true) { labels[language] = text.value }
            }
            return labels
        }
        guard let text = text(node, "'label' of \(owner)") else { return [:] }
        return Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, text.value) })
    }
}
