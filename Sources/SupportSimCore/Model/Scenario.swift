import Foundation

/// The in-memory form of one scenario file (format v1, see docs/scenario-format.md).
///
/// Values are produced by `ScenarioParser` from YAML text; they are plain data with no
/// behaviour beyond convenience look-ups, so the engine and the scorers can be tested
/// with scenarios built in code.
public struct Scenario: Sendable, Equatable {
    public var id: String
    public var version: Int
    public var title: String
    public var language: Language
    public var line: SupportLine
    public var difficulty: Int
    public var tags: [String]
    public var summary: String?
    public var persona: Persona
    public var ticket: Ticket
    public var scoring: ScoringConfig
    public var knowledgeBase: [KBArticle]
    public var start: String
    /// Nodes in file order.
    public var nodes: [Node]
    public var escalation: EscalationPolicy
    public var critical: [CriticalRule]
    public var endings: Endings
    /// The scenario's own synonym groups (`vocabulary:`), on top of the shared support vocabulary.
    public var vocabulary: Vocabulary
    /// Referral targets that are not escalations (`refer:`), in file order.
    public var referrals: [Referral] = []

    public init(
        id: String, version: Int = 1, title: String, language: Language, line: SupportLine = .l1,
        difficulty: Int = 1, tags: [String] = [], summary: String? = nil, persona: Persona,
        ticket: Ticket = Ticket(), scoring: ScoringConfig = ScoringConfig(), knowledgeBase: [KBArticle] = [],
        start: String, nodes: [Node], escalation: EscalationPolicy = EscalationPolicy(),
        critical: [CriticalRule] = [], endings: Endings = Endings(), vocabulary: Vocabulary = .empty
    ) {
        self.id = id; self.version = version; self.title = title; self.language = language
        self.line = line; self.difficulty = difficulty; self.tags = tags; self.summary = summary
        self.persona = persona; self.ticket = ticket; self.scoring = scoring
        self.knowledgeBase = knowledgeBase; self.start = start; self.nodes = nodes
        self.escalation = escalation; self.critical = critical; self.endings = endings
        self.vocabulary = vocabulary
    }

    /// The vocabulary every match rule of this scenario is read with: the shared support vocabulary
    /// (groups of the scenario's language) followed by the scenario's own groups.
    public var matchingVocabulary: Vocabulary {
        SupportVocabulary.shared(for: language).merging(vocabulary)
    }

    public func node(_ id: String) -> Node? { nodes.first { $0.id == id } }

    /// Every intent declared anywhere in the scenario, in file order.
    public var allIntents: [Intent] { nodes.flatMap(\.expect) }

    public func intent(_ id: String) -> Intent? { allIntents.first { $0.id == id } }
}

public enum Language: String, Sendable, Equatable, CaseIterable, Codable {
    case en, ru
}

public enum SupportLine: String, Sendable, Equatable, CaseIterable, Codable {
    case l1 = "L1", l2 = "L2", l3 = "L3"
}

/// The customer's mood, from best to worst. Raw values are the levels the engine counts in.
public enum Mood: Int, Sendable, Equatable, Comparable, CaseIterable, Codable {
    case calm = 0, anxious = 1, irritated = 2, angry = 3, furious = 4

    public static func < (a: Mood, b: Mood) -> Bool { a.rawValue < b.rawValue }

    public init?(name: String) {
        switch name {
        case "calm": self = .calm
        case "anxious": self = .anxious
        case "irritated": self = .irritated
        case "angry": self = .angry
        case "furious": self = .furious
        default: return nil
        }
    }

    public var name: String {
        switch self {
        case .calm: "calm"
        case .anxious: "anxious"
        case .irritated: "irritated"
        case .angry: "angry"
        case .furious: "furious"
        }
    }

    /// True when a good agent is expected to acknowledge the customer's feelings.
    public var isUpset: Bool { self >= .anxious }

    public func shifted(by delta: Int) -> Mood {
        Mood(rawValue: min(Mood.furious.rawValue, max(Mood.calm.rawValue, rawValue + delta)))!
    }
}

public struct Persona: Sendable, Equatable {
    public var name: String
    public var role: String?
    public var mood: Mood
    /// How many unhelpful or rude turns the customer tolerates before demanding a manager;
    /// one more after that and the customer leaves.
    public var patience: Int
    /// The customer's grammatical gender, as written (`persona.gender`); see `gender`.
    public var declaredGender: Gender?

    public init(name: String, role: String? = nil, mood: Mood = .calm, patience: Int = 3, gender: Gender? = nil) {
        self.name = name; self.role = role; self.mood = mood; self.patience = patience; self.declaredGender = gender
    }

    /// The gender Russian forms agree with (mood labels, built-in customer lines, `{female|male}`
    /// forms in the scenario's own lines): `persona.gender` when written, otherwise read from a
    /// Russian first name (ending in «а»/«я» is female, except the male names that end so),
    /// otherwise female.
    public var gender: Gender {
        if let declaredGender { return declaredGender }
        let first = shortName.lowercased()
        guard first.unicodeScalars.contains(where: { $0.value >= 0x400 && $0.value < 0x530 }) else { return .female }
        if Self.maleNamesEndingInA.contains(first) { return .male }
        return first.hasSuffix("а") || first.hasSuffix("я") ? .female : .male
    }

    static let maleNamesEndingInA: Set<String> = ["никита", "илья", "кузьма", "фома", "лука", "савва", "данила",
                                                    "гаврила", "фока", "миша", "саша", "паша", "дима", "коля", "вася",
                                                    "петя", "ваня", "сережа", "серёжа", "гоша", "леша", "алёша", "алеша",
                                                    "витя", "толя", "федя", "гриша", "костя", "слава", "вова", "валера"]

    /// The name used in dialogue lines ("Olga" for "Olga Markova").
    public var shortName: String { name.split(separator: " ").first.map(String.init) ?? name }
}

/// Grammatical gender of the customer, for Russian forms.
public enum Gender: String, Sendable, Equatable, CaseIterable, Codable {
    case female, male

    /// Picks the form for this gender in `{female|male}` alternatives of a line: «Я {поняла|понял}».
    /// Braces that do not hold exactly two alternatives are left as written.
    public func forms(_ text: String) -> String {
        guard text.contains("{"), text.contains("|") else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { out += rest[open...]; return out }
            let inner = rest[rest.index(after: open)..<close]
            let parts = inner.split(separator: "|", omittingEmptySubsequences: false)
            if parts.count == 2, !inner.contains("{") {
                out += self == .female ? parts[0] : parts[1]
            } else {
                out += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return out
    }
}

/// How a node's customer lines vary from one time the node speaks to the next (as ink's
/// sequences, cycles, once-only and shuffles).
public enum LineVariation: String, Sendable, Equatable, CaseIterable, Codable {
    /// A seeded random pick each time (the default).
    case random
    /// In order, then the last line again and again.
    case sequence
    /// In order, then from the first again.
    case cycle
    /// In order, each line once; afterwards the node says nothing.
    case once
    /// In a seeded random order without repeats; reshuffled when all were said.
    case shuffle
}

/// A change of the customer's mood on arriving at a node: set to a mood ("the customer comes
/// back angry") or shifted by steps.
public enum ArrivalMood: Sendable, Equatable {
    case set(Mood)
    case shift(Int)
}

public enum Channel: String, Sendable, Equatable, CaseIterable, Codable {
    case phone, chat, email, portal, walkIn = "walk-in"
}

public enum Priority: String, Sendable, Equatable, CaseIterable, Codable {
    case low, normal, high, critical
}

public struct Ticket: Sendable, Equatable {
    public var number: String?
    public var channel: Channel
    public var priority: Priority
    public var slaMinutes: Int?

    public init(number: String? = nil, channel: Channel = .phone, priority: Priority = .normal, slaMinutes: Int? = nil) {
        self.number = number; self.channel = channel; self.priority = priority; self.slaMinutes = slaMinutes
    }
}

public enum Category: String, Sendable, Equatable, Hashable, CaseIterable, Codable {
    case correctness, politeness, escalation
    /// Spelling and grammar; optional per scenario (`scoring.spelling`), off by default.
    case spelling
}

/// Spelling checks for a scenario (off unless the scenario turns them on).
public struct SpellingConfig: Sendable, Equatable {
    /// Words never counted as misspelt: product names, scenario terms.
    public var terms: [String]
    /// Misspellings per 100 words at which the category reaches 0.
    public var zeroAt: Double

    public init(terms: [String] = [], zeroAt: Double = 10) { self.terms = terms; self.zeroAt = zeroAt }
}

public struct ScoringConfig: Sendable, Equatable {
    /// Relative weights; categories that do not apply to a scenario are left out of the total.
    public var weights: [Category: Double]
    /// The total (0–100) needed to pass.
    public var passMark: Double
    /// Correctness points for reaching a proper outcome (resolved, or escalated when the policy requires it).
    public var outcomePoints: Int
    /// Correctness points lost for each reply that matched nothing (the fallback).
    public var fallbackPenalty: Int
    /// Points a `/hint` costs (deducted from correctness).
    public var hintCost: Int
    /// Spelling checks; nil (the default) leaves the category out.
    public var spelling: SpellingConfig?

    public init(
        weights: [Category: Double] = [.correctness: 40, .politeness: 30, .escalation: 30],
        passMark: Double = 80, outcomePoints: Int = 20, fallbackPenalty: Int = 5, hintCost: Int = 5,
        spelling: SpellingConfig? = nil
    ) {
        self.weights = weights; self.passMark = passMark; self.outcomePoints = outcomePoints
        self.fallbackPenalty = fallbackPenalty; self.hintCost = hintCost; self.spelling = spelling
    }
}

public struct KBArticle: Sendable, Equatable {
    public var id: String
    public var title: String
    public var body: String
    public var keywords: [String]

    public init(id: String, title: String, body: String = "", keywords: [String] = []) {
        self.id = id; self.title = title; self.body = body; self.keywords = keywords
    }
}

/// One state of the conversation: what the customer says, and what the trainee's reply can do.
public struct Node: Sendable, Equatable {
    public var id: String
    /// Variants of the customer's line; the engine picks one with the seeded random source.
    public var customer: [String]
    /// Replies that move the case forward.
    public var expect: [Intent]
    /// Wrong or harmful replies.
    public var harmful: [HarmfulRule]
    /// What happens when a reply matches nothing.
    public var fallback: Fallback
    /// Optional numbered menu; typing the number plays the choice.
    public var choices: [Choice]
    /// What the customer asks when a reply is not understood in practice mode (the first time at
    /// this node it costs nothing); built-in lines per language and mood are used when empty.
    public var clarify: [String]
    /// A terminal node: after its customer line the conversation ends with this ending.
    public var end: EndingKind?
    /// A hint shown by `/hint`.
    public var hint: String?
    /// The problem is solved once the conversation is here: `/close` ends it as `resolved`.
    public var closable: Bool
    /// The customer's mood changes on arriving here (`mood:`), before the node's line.
    public var arrivalMood: ArrivalMood?
    /// How the node's `customer` lines vary when the node speaks again (`variation:`).
    public var variation: LineVariation = .random

    public init(
        id: String, customer: [String], expect: [Intent] = [], harmful: [HarmfulRule] = [],
        fallback: Fallback = Fallback(), choices: [Choice] = [], end: EndingKind? = nil, hint: String? = nil,
        closable: Bool = false, clarify: [String] = [], arrivalMood: ArrivalMood? = nil
    ) {
        self.id = id; self.customer = customer; self.expect = expect; self.harmful = harmful
        self.fallback = fallback; self.choices = choices; self.end = end; self.hint = hint
        self.closable = closable; self.clarify = clarify; self.arrivalMood = arrivalMood
    }
}

/// Something the trainee is expected to do at a node, recognised by its match rule.
public struct Intent: Sendable, Equatable {
    public var id: String
    /// A short description used in feedback and the debrief ("asked which printer").
    public var description: String
    public var match: MatchRule
    public var points: Int
    /// Shown after the turn in practice mode.
    public var feedback: String?
    /// The customer's answer; when absent the next node's line is used.
    public var customer: [String]
    /// Mood change (negative is better). Default -1.
    public var mood: Int
    /// The node to go to; nil stays at the current node.
    public var next: String?
    /// Example replies that must match this intent (checked by tests and the linter); also the
    /// examples meaning-based matching compares replies with, and the model answer of the debrief.
    public var samples: [String]
    /// Near misses that must not match this intent by meaning (they also calibrate its threshold).
    public var counterSamples: [String]
    /// Key facts a reply must state, with their accepted and wrong values.
    public var facts: [FactRequirement]
    /// False: the intent counts even in a negated clause ("no worries, I'll log it" style rules).
    public var negatable: Bool

    public init(
        id: String, description: String? = nil, match: MatchRule, points: Int = 10, feedback: String? = nil,
        customer: [String] = [], mood: Int = -1, next: String? = nil, samples: [String] = [],
        counterSamples: [String] = [], facts: [FactRequirement] = [], negatable: Bool = true
    ) {
        self.id = id; self.description = description ?? id; self.match = match; self.points = points
        self.feedback = feedback; self.customer = customer; self.mood = mood; self.next = next
        self.samples = samples; self.counterSamples = counterSamples; self.facts = facts
        self.negatable = negatable
    }
}

public struct HarmfulRule: Sendable, Equatable {
    public var id: String
    public var match: MatchRule
    /// Correctness points lost.
    public var penalty: Int
    public var feedback: String
    public var customer: [String]
    /// Mood change. Default +1.
    public var mood: Int
    public var next: String?
    /// Example replies that this rule must catch (by its phrases or by meaning).
    public var samples: [String]
    /// Near misses that must not be caught by meaning (refusals of the harmful thing, say).
    public var counterSamples: [String]
    /// False: the rule fires even in a negated clause.
    public var negatable: Bool

    public init(
        id: String, match: MatchRule, penalty: Int = 10, feedback: String, customer: [String] = [],
        mood: Int = 1, next: String? = nil, samples: [String] = [], counterSamples: [String] = [],
        negatable: Bool = true
    ) {
        self.id = id; self.match = match; self.penalty = penalty; self.feedback = feedback
        self.customer = customer; self.mood = mood; self.next = next; self.samples = samples
        self.counterSamples = counterSamples; self.negatable = negatable
    }
}

public struct Fallback: Sendable, Equatable {
    public var customer: [String]
    /// Mood change. Default +1.
    public var mood: Int
    public var next: String?

    public init(customer: [String] = [], mood: Int = 1, next: String? = nil) {
        self.customer = customer; self.mood = mood; self.next = next
    }
}

public struct Choice: Sendable, Equatable {
    public var text: String
    /// The intent this choice counts as, or
    public var intent: String?
    /// the harmful rule it counts as; with neither it plays as a fallback.
    public var harmful: String?

    public init(text: String, intent: String? = nil, harmful: String? = nil) {
        self.text = text; self.intent = intent; self.harmful = harmful
    }
}

public enum EscalationRequirement: String, Sendable, Equatable, CaseIterable, Codable {
    /// The case must be escalated.
    case required
    /// The case must not be escalated.
    case forbidden
    /// Escalating is acceptable either way; the escalation category does not apply unless a target is wrong.
    case optional
}

public struct NoteItem: Sendable, Equatable {
    /// What the item is ("summary", "urgency", "steps tried").
    public var id: String
    public var match: MatchRule

    public init(id: String, match: MatchRule) { self.id = id; self.match = match }
}

/// Functional escalation hands the case to someone with the skills or access (L2, a specialist team);
/// hierarchical escalation hands it up the management chain ("your manager", a supervisor).
public enum EscalationKind: String, Sendable, Equatable, CaseIterable, Codable {
    case functional, hierarchical

    /// Word starts that make a target hierarchical when the scenario does not say otherwise.
    public static let hierarchicalStems = [
        "manager", "supervisor", "boss", "lead", "teamlead", "team-lead", "head", "director", "management",
        "руковод", "начальн", "старш", "тимлид", "директор", "шеф", "менеджер",
    ]

    /// The kind a target name suggests: "manager", «руководитель» → hierarchical; "L2", "L2-backup" → functional.
    public static func infer(_ target: String) -> EscalationKind {
        let t = target.lowercased().trimmingCharacters(in: .whitespaces)
        return hierarchicalStems.contains { t.hasPrefix($0) } ? .hierarchical : .functional
    }
}

/// Keeping ownership of an escalated case: the trainee says they will follow it up.
public struct OwnershipRule: Sendable, Equatable {
    /// A missing follow-up promise costs points; otherwise it only earns a credit line.
    public var required: Bool
    public var match: MatchRule

    public init(required: Bool = false, match: MatchRule) { self.required = required; self.match = match }
}

/// How a request that is out of scope must be turned down: a refusal and an alternative.
public struct RefusalRule: Sendable, Equatable {
    /// Recognises the refusal ("I'm not able to ...", «к сожалению, не могу ...»).
    public var match: MatchRule
    /// Recognises the alternative offered ("you can use the self-service portal", «могу предложить ...»).
    public var alternative: MatchRule

    public init(match: MatchRule, alternative: MatchRule) { self.match = match; self.alternative = alternative }
}

public struct EscalationPolicy: Sendable, Equatable {
    public var requirement: EscalationRequirement
    /// Accepted targets (tiers or teams, compared case-insensitively: "L2", "L2-backup").
    public var targets: [String]
    /// Intents that must have been matched before escalating.
    public var after: [String]
    /// What the hand-off note must mention.
    public var noteMustMention: [NoteItem]
    /// How the customer must be told what happens next (checked on the trainee's replies).
    public var tellCustomer: MatchRule?
    /// Where the conversation continues after a correct escalation; nil ends it (ending `escalated`).
    public var next: String?
    /// Why escalating is wrong here (shown when a forbidden escalation is attempted).
    public var reason: String?
    /// The kind of each target named in `to` (or known as a wrong choice), by lower-cased name;
    /// a target not listed has the kind its name suggests (`EscalationKind.infer`).
    public var targetKinds: [String: EscalationKind]
    /// The customer must also be told when to expect the next step (checked on the replies).
    public var timeFrame: MatchRule?
    /// Keeping ownership of the case after handing it on; nil uses the built-in phrases for credit only.
    public var ownership: OwnershipRule?
    /// For `forbidden` policies: how the out-of-scope request must be refused.
    public var refusal: RefusalRule?
    /// For `forbidden` policies: what the customer says when an escalation is refused and the
    /// conversation goes on (`customer_if_refused`; built-in lines when empty).
    public var customerIfRefused: [String] = []
    /// Targets an escalation to which is refused whatever the policy (`forbidden_to`).
    public var forbiddenTargets: [String] = []

    public init(
        requirement: EscalationRequirement = .optional, targets: [String] = [], after: [String] = [],
        noteMustMention: [NoteItem] = [], tellCustomer: MatchRule? = nil, next: String? = nil, reason: String? = nil,
        targetKinds: [String: EscalationKind] = [:], timeFrame: MatchRule? = nil, ownership: OwnershipRule? = nil,
        refusal: RefusalRule? = nil
    ) {
        self.requirement = requirement; self.targets = targets; self.after = after
        self.noteMustMention = noteMustMention; self.tellCustomer = tellCustomer; self.next = next
        self.reason = reason; self.targetKinds = targetKinds; self.timeFrame = timeFrame
        self.ownership = ownership; self.refusal = refusal
    }

    /// The kind of a target: as the scenario declares it, or as its name suggests.
    public func kind(of target: String) -> EscalationKind {
        targetKinds[LookAlike.key(target)] ?? EscalationKind.infer(target)
    }

    /// Whether the target is one of `to` (any target when `to` is empty). Case and Cyrillic
    /// look-alike letters do not matter: `1С` typed on a Russian keyboard is the team `1C`.
    public func accepts(_ target: String) -> Bool {
        targets.isEmpty || targets.contains { LookAlike.key($0) == LookAlike.key(target) }
    }

    /// The target of `to` that `typed` names (look-alikes folded), as the scenario writes it.
    public func canonicalTarget(_ typed: String) -> String? {
        targets.first { LookAlike.key($0) == LookAlike.key(typed) }
    }

    /// The kind the accepted targets share, or nil when `to` is empty or mixes kinds.
    public var requiredKind: EscalationKind? {
        let kinds = Set(targets.map { kind(of: $0) })
        return kinds.count == 1 ? kinds.first : nil
    }
}

/// A reply that fails the whole attempt (asking for a password, insulting the customer, ...).
public struct CriticalRule: Sendable, Equatable {
    public var id: String
    public var match: MatchRule
    public var reason: String
    /// False: the rule fires even in a negated clause.
    public var negatable: Bool

    public init(id: String, match: MatchRule, reason: String, negatable: Bool = true) {
        self.id = id; self.match = match; self.reason = reason; self.negatable = negatable
    }
}

public enum EndingKind: String, Sendable, Equatable, CaseIterable, Codable {
    /// The problem was solved (a node with `end: resolved`, or `/close` on such a path).
    case resolved
    /// The trainee escalated.
    case escalated
    /// The customer ran out of patience and left.
    case left
    /// The trainee closed the ticket before the problem was solved.
    case closedUnresolved = "closed-unresolved"
    /// The trainee quit, or the session was lost.
    case abandoned
}

public struct Endings: Sendable, Equatable {
    /// The customer's last line for each ending (variants).
    public var lines: [EndingKind: [String]]
    /// What the customer says on running out of patience, before leaving.
    public var managerDemand: [String]

    public init(lines: [EndingKind: [String]] = [:], managerDemand: [String] = []) {
        self.lines = lines; self.managerDemand = managerDemand
    }
}
