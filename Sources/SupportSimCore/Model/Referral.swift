/// How a referral target is treated (`refer:` items, `policy`).
public enum ReferralPolicy: String, Sendable, Equatable, CaseIterable, Codable {
    /// The case must be referred there (at one of the `at` nodes when given).
    case required
    /// Referring there is refused (at the `at` nodes when given, else everywhere); the customer
    /// answers and the conversation goes on.
    case forbidden
    /// Referring there is acceptable (at the `at` nodes when given).
    case optional
}

/// A person or team the case can be referred to that is not an escalation (a manager,
/// procurement, security): `/refer TARGET [note]`. Scored by the escalation policy.
public struct Referral: Sendable, Equatable {
    /// The word typed after `/refer` (look-alike letters and case folded).
    public var id: String
    /// Readable names by language (`label: {en: ..., ru: ...}` or one string for both).
    public var labels: [Language: String]
    public var policy: ReferralPolicy
    /// Nodes where the policy applies; empty: everywhere.
    public var at: [String]
    /// What the note must mention (as `escalation.note_must_mention`).
    public var noteMustMention: [NoteItem]
    /// What the customer says when the referral is accepted (empty: a built-in line).
    public var customer: [String]
    /// What the customer says when the referral is refused (empty: a built-in line).
    public var customerIfRefused: [String]
    /// Why the referral is wrong (forbidden) or needed (required); shown in the session and the debrief.
    public var reason: String?
    /// Where the conversation continues after an accepted referral; nil: it stays at the node.
    public var next: String?

    public init(id: String, labels: [Language: String] = [:], policy: ReferralPolicy = .optional, at: [String] = [],
                noteMustMention: [NoteItem] = [], customer: [String] = [], customerIfRefused: [String] = [],
                reason: String? = nil, next: String? = nil) {
        self.id = id; self.labels = labels; self.policy = policy; self.at = at
        self.noteMustMention = noteMustMention; self.customer = customer; self.customerIfRefused = customerIfRefused
        self.reason = reason; self.next = next
    }

    /// The label in `language`, else the other label, else the id.
    public func label(_ language: Language) -> String {
        labels[language] ?? labels.values.sorted().first ?? id
    }

    /// Whether the policy applies at the node (`at` empty: everywhere).
    public func applies(at node: String) -> Bool { at.isEmpty || at.contains(node) }

    /// Whether a `/refer` at the node is refused.
    public func refuses(at node: String) -> Bool { policy == .forbidden && applies(at: node) }
}

extension Scenario {
    /// The referral target `typed` names: case and Cyrillic/Latin look-alike letters folded as for
    /// escalation targets (`1С` is `1C`).
    public func referral(_ typed: String) -> Referral? {
        let key = LookAlike.key(typed)
        return referrals.first { LookAlike.key($0.id) == key }
    }
}

extension EscalationPolicy {
    /// Whether an escalation to `target` is refused (the conversation goes on): every escalation
    /// when the policy is `forbidden`, else a target listed in `forbidden_to` (look-alikes folded).
    public func refuses(_ target: String) -> Bool {
        requirement == .forbidden || isForbiddenTarget(target)
    }

    /// Whether `target` is one of `forbidden_to` (case and look-alike letters folded).
    public func isForbiddenTarget(_ target: String) -> Bool {
        let key = LookAlike.key(target)
        return forbiddenTargets.contains { LookAlike.key($0) == key }
    }
}
