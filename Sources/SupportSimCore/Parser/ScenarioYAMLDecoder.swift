import Foundation
import Yams

/// Where things were written, for the cross-reference checks that run after decoding.
struct ScenarioIndex {
    struct Reference {
        var name: String
        var location: SourceLocation
        /// "`next` of intent 'ask_printer'"
        var what: String
    }

    /// Node id → location of its key under `nodes`.
    var nodeLocations: [String: SourceLocation] = [:]
    /// Every place a node id is named (`start`, `next`, `fallback.next`, `escalation.next`).
    var nodeReferences: [Reference] = []
    /// Intent ids named by `escalation.after`.
    var intentReferences: [Reference] = []
    /// Location of each intent's `intent:` value, by node id and position.
    var intentLocations: [String: [SourceLocation]] = [:]
    /// Samples by node id, intent position: (text, location).
    var samples: [String: [[Located<String>]]] = [:]
    /// Node ids whose match rules had regex errors (sample checks are skipped there).
    var brokenRules: Set<String> = []
}

/// Builds a `Scenario` from a composed YAML tree, collecting every problem on the way.
/// The scenario it returns is best effort (defaults fill the gaps) so that later checks can
/// run; the caller drops it when any error was reported.
final class ScenarioYAMLDecoder: YAMLValueReader {
    var index = ScenarioIndex()
    /// The scenario's language, once read (built-in phrase sets depend on it).
    var language: Language = .en
    /// The vocabulary samples are checked with: shared groups plus the scenario's `vocabulary`.
    private(set) var matchingVocabulary: Vocabulary = .empty
    /// Reads the files named under `include:` (nil: none can be read).
    var includes: IncludeResolver?
    /// The files included so far for this scenario (shared with the decoders of included files).
    var includeReads = IncludeReads()

    static let topKeys = ["id", "version", "title", "language", "line", "difficulty", "tags", "summary", "persona",
                          "ticket", "scoring", "kb", "start", "nodes", "escalation", "critical", "endings",
                          "vocabulary", "refer", "include"]
    static let personaKeys = ["name", "role", "mood", "patience", "gender"]
    static let ticketKeys = ["number", "channel", "priority", "sla_minutes"]
    static let scoringKeys = ["weights", "pass_mark", "outcome_points", "fallback_penalty", "hint_cost", "spelling"]
    static let spellingKeys = ["terms", "zero_at"]
    static let kbKeys = ["id", "title", "body", "keywords"]
    static let nodeKeys = ["customer", "expect", "harmful", "fallback", "choices", "end", "hint", "closable", "clarify",
                           "mood", "variation"]
    static let intentKeys = ["intent", "description", "match", "points", "feedback", "customer", "mood", "next", "samples",
                             "counter_samples", "facts", "negatable"]
    static let harmfulKeys = ["id", "match", "penalty", "feedback", "customer", "mood", "next", "samples",
                              "counter_samples", "negatable"]
    static let fallbackKeys = ["customer", "mood", "next"]
    static let choiceKeys = ["text", "intent", "harmful"]
    static let ruleKeys = ["any", "all", "regex", "none"]
    static let escalationKeys = ["policy", "to", "kind", "after", "note_must_mention", "tell_customer", "time_frame",
                                 "ownership", "refusal", "next", "reason", "customer_if_refused", "forbidden_to"]
    static let targetKeys = ["id", "kind"]
    static let ownershipKeys = ["required", "match"]
    static let refusalKeys = ["match", "alternative"]
    /// The default weight of the spelling category when `scoring.spelling` turns it on.
    static let defaultSpellingWeight = 10.0
    static let criticalKeys = ["id", "match", "reason", "negatable"]
    static let endingKeys = EndingKind.allCases.map(\.rawValue) + ["manager_demand"]

    static let moodDeltaRange = -4...4
    static let pointsRange = 0...1_000_000

    // MARK: Top level

    func decodeScenario(_ root: YNode) -> Scenario? {
        guard case .mapping = root else {
            report(.error, ScenarioDiagnosticCode.wrongType,
                   "expected a mapping of scenario keys at the top level, found \(root.kindDescription)",
                   at: root.location, hint: "a scenario file starts with `id:`, `title:`, `language:` ... (see docs/scenario-format.md)")
            return nil
        }
        guard let f = fields(root, "the file", context: "the top level", known: Self.topKeys) else { return nil }

        // The header fields, read the one way `list` reads them too.
        let header = headerFields(f)
        let (id, title, language, line, difficulty, tags) =
            (header.id, header.title, header.language, header.line, header.difficulty, header.tags)
        let version = integer(f, "version", in: 1...1_000_000) ?? 1
        self.language = language
        let included = f["include"].map { decodeIncludes($0, resolver: includes, chain: []) } ?? IncludedContent()
        var vocabulary = f["vocabulary"].map(decodeVocabulary) ?? .empty
        if !included.groups.isEmpty {
            vocabulary = Vocabulary(groups: included.groups, language: language.rawValue).merging(vocabulary)
        }
        matchingVocabulary = SupportVocabulary.shared.filtered(language: language.rawValue).merging(vocabulary)
        let summary = string(f, "summary")?.value

        var persona = Persona(name: "")
        if let node = f["persona"] { persona = decodePersona(node) } else { missing("persona", in: f, hint: "add `persona: {name: ...}`") }
        let ticket = f["ticket"].map(decodeTicket) ?? Ticket()
        let scoring = f["scoring"].map(decodeScoring) ?? ScoringConfig()
        var kb = f["kb"].map(decodeKB) ?? []
        var kbIDs = Set(kb.map(\.id))
        for (article, file, location) in included.kb {
            guard kbIDs.insert(article.id).inserted else {
                report(.error, ScenarioDiagnosticCode.duplicateID,
                       "duplicate knowledge-base article id '\(Self.clip(article.id))' (again in \(file):\(location.line):\(location.column))",
                       at: f.keyNode("include")?.location ?? f.location, hint: "ids must be unique across the scenario and the files it includes")
                continue
            }
            kb.append(article)
        }

        var start = ""
        if let value = string(f, "start", required: true) {
            start = value.value
            index.nodeReferences.append(.init(name: start, location: value.location, what: "`start`"))
        }

        var nodes: [SupportSimCore.Node] = []
        if let node = f["nodes"] {
            nodes = decodeNodes(node)
        } else {
            missing("nodes", in: f, hint: "add `nodes:` with at least the start node")
        }

        let escalation = f["escalation"].map(decodeEscalation) ?? EscalationPolicy()
        let referrals = f["refer"].map { decodeReferrals($0, escalationTargets: escalation.targets + escalation.forbiddenTargets) } ?? []
        let critical = f["critical"].map(decodeCritical) ?? []
        let endings = f["endings"].map(decodeEndings) ?? Endings()

        var scenario = Scenario(id: id, version: version, title: title, language: language, line: line,
                                difficulty: difficulty, tags: tags, summary: summary, persona: persona, ticket: ticket,
                                scoring: scoring, knowledgeBase: kb, start: start, nodes: nodes, escalation: escalation,
                                critical: critical, endings: endings, vocabulary: vocabulary)
        scenario.referrals = referrals
        return scenario
    }

    // MARK: Sections

    func decodePersona(_ node: YNode) -> Persona {
        guard let f = fields(node, "'persona'", context: "persona", known: Self.personaKeys) else { return Persona(name: "") }
        let name = string(f, "name", required: true, nonEmpty: true)?.value ?? ""
        let role = string(f, "role")?.value
        let mood: Mood = choice(f, "mood", allowed: Mood.allCases.map(\.name)) { Mood(name: $0) } ?? .calm
        let patience = integer(f, "patience", in: 0...100) ?? 3
        let gender = choice(f, "gender", allowed: Gender.allCases.map(\.rawValue)) { Gender(rawValue: $0) }
        return Persona(name: name, role: role, mood: mood, patience: patience, gender: gender)
    }

    func decodeTicket(_ node: YNode) -> Ticket {
        guard let f = fields(node, "'ticket'", context: "ticket", known: Self.ticketKeys) else { return Ticket() }
        let number = string(f, "number")?.value
        let channel: Channel = choice(f, "channel", allowed: Channel.allCases.map(\.rawValue)) { Channel(rawValue: $0) } ?? .phone
        let priority: Priority = choice(f, "priority", allowed: Priority.allCases.map(\.rawValue)) { Priority(rawValue: $0) } ?? .normal
        let sla = integer(f, "sla_minutes", in: 1...100_000)
        return Ticket(number: number, channel: channel, priority: priority, slaMinutes: sla)
    }

    func decodeScoring(_ node: YNode) -> ScoringConfig {
        var config = ScoringConfig()
        guard let f = fields(node, "'scoring'", context: "scoring", known: Self.scoringKeys) else { return config }
        if let weightsNode = f["weights"],
           let w = fields(weightsNode, "'weights' in scoring", context: "scoring.weights",
                          known: Category.allCases.map(\.rawValue)) {
            var weights: [Category: Double] = [:]
            for category in Category.allCases {
                if let value = number(w, category.rawValue, in: 0...1_000_000) { weights[category] = value }
            }
            if !w.order.isEmpty, weights.values.allSatisfy({ $0 == 0 }), !weights.isEmpty {
                report(.error, ScenarioDiagnosticCode.invalidValue, "all scoring weights are 0", at: w.location,
                       hint: "give at least one category a positive weight")
            }
            config.weights = weights
        }
        if let passMark = number(f, "pass_mark", in: 0...100) { config.passMark = passMark }
        if let v = integer(f, "outcome_points", in: Self.pointsRange) { config.outcomePoints = v }
        if let v = integer(f, "fallback_penalty", in: Self.pointsRange) { config.fallbackPenalty = v }
        if let v = integer(f, "hint_cost", in: Self.pointsRange) { config.hintCost = v }
        if let spelling = f["spelling"] {
            config.spelling = decodeSpelling(spelling)
            if config.spelling != nil, config.weights[.spelling] == nil {
                config.weights[.spelling] = Self.defaultSpellingWeight
            }
        } else if let w = f["weights"], case let .mapping(m) = w,
                  let key = m.keys.first(where: { $0.string == Category.spelling.rawValue }) {
            report(.warning, ScenarioDiagnosticCode.noEffect,
                   "'spelling' in scoring.weights has no effect: spelling is not checked in this scenario",
                   at: key.location, hint: "add `spelling: {terms: [...]}` under `scoring` to turn spelling checks on, or remove the weight")
        }
        return config
    }

    /// `scoring.spelling: {terms: [...], zero_at: 10}`; its presence turns the category on.
    func decodeSpelling(_ node: YNode) -> SpellingConfig? {
        guard let f = fields(node, "'spelling' in scoring", context: "scoring.spelling", known: Self.spellingKeys) else { return nil }
        var config = SpellingConfig()
        if let terms = stringList(f, "terms", allowSingle: true) {
            for term in terms where term.value.trimmingCharacters(in: .whitespaces).isEmpty {
                report(.error, ScenarioDiagnosticCode.invalidValue, "an empty term in scoring.spelling.terms",
                       at: term.location, hint: "list product names and scenario terms, e.g. `terms: [CRM, STM-2F-MFP]`")
            }
            config.terms = terms.map(\.value).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        }
        if let zeroAt = number(f, "zero_at", in: 0.1...100) { config.zeroAt = zeroAt }
        return config
    }

    // MARK: Vocabulary

    /// `vocabulary:` — a list of synonym groups, each a list of words or phrases (or one
    /// comma-separated string). Groups use the scenario's language.
    func decodeVocabulary(_ node: YNode) -> Vocabulary {
        guard case let .sequence(items) = node else {
            wrongType("'vocabulary'", expected: "a list of synonym groups (lists of words or phrases)", found: node,
                      hint: "for example `vocabulary: [[впн, vpn, удаленный доступ], [роутер, маршрутизатор]]`")
            return .empty
        }
        var groups: [[String]] = []
        for (i, item) in items.enumerated() {
            let what = "vocabulary group \(i + 1)"
            var entries: [Located<String>]
            switch item {
            case .sequence:
                guard let list = stringList(item, what) else { continue }
                entries = list
            case .scalar where !item.isNull:
                guard let text = text(item, what) else { continue }
                entries = text.value.split(separator: ",").map {
                    Located(value: String($0).trimmingCharacters(in: .whitespaces), location: text.location)
                }
            default:
                wrongType(what, expected: "a list of words or phrases", found: item,
                          hint: "write a group as a list: `[restart, reboot, power cycle]`")
                continue
            }
            var kept: [String] = []
            var seen: Set<[String]> = []
            for entry in entries {
                let words = TextNormalizer.normalize(entry.value).words
                if words.isEmpty {
                    report(.error, ScenarioDiagnosticCode.invalidValue,
                           "'\(Self.clip(entry.value))' in \(what) has no letters or digits, so it can never match",
                           at: entry.location, hint: "use words or phrases")
                    continue
                }
                if !seen.insert(words).inserted {
                    report(.warning, ScenarioDiagnosticCode.vocabulary,
                           "'\(Self.clip(entry.value))' appears twice in \(what)", at: entry.location,
                           hint: "remove the repeated word")
                    continue
                }
                kept.append(entry.value)
            }
            if kept.count < 2 {
                report(.warning, ScenarioDiagnosticCode.vocabulary,
                       "\(what) has \(kept.count == 0 ? "no words" : "only one word"), so it has no effect",
                       at: item.location, hint: "a synonym group needs at least two words or phrases: `[компьютер, пк, ноутбук]`")
                continue
            }
            groups.append(kept)
        }
        return Vocabulary(groups: groups, language: language.rawValue)
    }

    func decodeKB(_ node: YNode) -> [KBArticle] {
        guard case let .sequence(items) = node else {
            wrongType("'kb'", expected: "a list of articles", found: node)
            return []
        }
        var articles: [KBArticle] = []
        var seen: [String: SourceLocation] = [:]
        for (i, item) in items.enumerated() {
            guard let f = fields(item, "'kb' item \(i + 1)", context: "kb article \(i + 1)", known: Self.kbKeys) else { continue }
            let id = string(f, "id", required: true, nonEmpty: true)
            if let id { checkDuplicate(id, in: &seen, kind: "knowledge-base article") }
            let title = string(f, "title", required: true, nonEmpty: true)?.value ?? ""
            let body = string(f, "body")?.value ?? ""
            let keywords = stringList(f, "keywords", allowSingle: true)?.map(\.value) ?? []
            articles.append(KBArticle(id: id?.value ?? "", title: title, body: body, keywords: keywords))
        }
        return articles
    }

    func decodeNodes(_ node: YNode) -> [SupportSimCore.Node] {
        guard let f = fields(node, "'nodes'", context: "nodes", known: nil) else { return [] }
        if f.order.isEmpty {
            report(.error, ScenarioDiagnosticCode.invalidValue, "'nodes' defines no node", at: node.location,
                   hint: "add at least the start node")
        }
        var nodes: [SupportSimCore.Node] = []
        var intentSeen: [String: SourceLocation] = [:]
        for (key, keyNode, value) in f.order {
            if !Self.isNodeID(key) {
                report(.error, ScenarioDiagnosticCode.invalidValue,
                       "node id '\(Self.clip(key))' may contain only letters a-z, A-Z, digits, '_', '-' and '.'",
                       at: keyNode.location, hint: "for example `ask_printer` or `queue-cleared`")
            }
            index.nodeLocations[key] = keyNode.location
            nodes.append(decodeNode(id: key, value, intentSeen: &intentSeen))
        }
        return nodes
    }

    func decodeNode(id: String, _ node: YNode, intentSeen: inout [String: SourceLocation]) -> SupportSimCore.Node {
        var result = SupportSimCore.Node(id: id, customer: [])
        guard let f = fields(node, "node '\(id)'", context: "node '\(id)'", known: Self.nodeKeys) else { return result }
        if let customer = f["customer"] {
            if let list = stringList(customer, "'customer' in node '\(id)'", allowSingle: true) {
                result.customer = list.map(\.value).filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
                if result.customer.isEmpty {
                    report(.error, ScenarioDiagnosticCode.invalidValue, "'customer' in node '\(id)' has no lines",
                           at: customer.location, hint: "write what the customer says at this node")
                }
            }
        } else {
            _ = string(f, "customer", required: true)
        }

        if let expect = f["expect"] {
            if case let .sequence(items) = expect {
                var samples: [[Located<String>]] = []
                var locations: [SourceLocation] = []
                for (i, item) in items.enumerated() {
                    let (intent, itemSamples, location) = decodeIntent(item, position: i + 1, node: id)
                    guard let intent else { continue }
                    if !intent.id.isEmpty {
                        checkDuplicate(Located(value: intent.id, location: location), in: &intentSeen, kind: "intent",
                                       hint: "intent ids are unique in the whole scenario; rename one of them")
                    }
                    result.expect.append(intent)
                    samples.append(itemSamples)
                    locations.append(location)
                }
                index.samples[id] = samples
                index.intentLocations[id] = locations
            } else {
                wrongType("'expect' in node '\(id)'", expected: "a list of intents", found: expect)
            }
        }

        if let harmful = f["harmful"] {
            if case let .sequence(items) = harmful {
                var seen: [String: SourceLocation] = [:]
                for (i, item) in items.enumerated() {
                    guard let (rule, location) = decodeHarmful(item, position: i + 1, node: id) else { continue }
                    if !rule.id.isEmpty {
                        checkDuplicate(Located(value: rule.id, location: location), in: &seen,
                                       kind: "harmful rule in node '\(id)'")
                    }
                    result.harmful.append(rule)
                }
            } else {
                wrongType("'harmful' in node '\(id)'", expected: "a list of harmful rules", found: harmful)
            }
        }

        if let fallback = f["fallback"],
           let ff = fields(fallback, "'fallback' in node '\(id)'", context: "the fallback of node '\(id)'", known: Self.fallbackKeys) {
            result.fallback.customer = lines(ff, "customer") ?? []
            result.fallback.mood = integer(ff, "mood", in: Self.moodDeltaRange) ?? 1
            result.fallback.next = nodeReference(ff, "next", what: "`fallback.next` of node '\(id)'")
        }

        if let choices = f["choices"] {
            if case let .sequence(items) = choices {
                for (i, item) in items.enumerated() {
                    if let choice = decodeChoice(item, position: i + 1, node: result) { result.choices.append(choice) }
                }
            } else {
                wrongType("'choices' in node '\(id)'", expected: "a list of choices", found: choices)
            }
        }

        result.end = choice(f, "end", allowed: EndingKind.allCases.map(\.rawValue)) { EndingKind(rawValue: $0) }
        result.hint = string(f, "hint")?.value
        result.closable = bool(f, "closable") ?? false
        result.clarify = lines(f, "clarify") ?? []
        result.arrivalMood = arrivalMood(f, node: id)
        result.variation = choice(f, "variation", allowed: LineVariation.allCases.map(\.rawValue)) { LineVariation(rawValue: $0) } ?? .random
        return result
    }

    /// A node's `mood:` — a mood name the customer arrives in, or a whole number of steps
    /// (−4…4) the mood shifts by on arrival.
    func arrivalMood(_ f: Fields, node id: String) -> ArrivalMood? {
        guard let value = f["mood"] else { return nil }
        if case let .scalar(scalar) = value, let mood = Mood(name: scalar.string) { return .set(mood) }
        if case .scalar = value, value.tagName == .int {
            return integer(f, "mood", in: Self.moodDeltaRange).map(ArrivalMood.shift)
        }
        report(.error, ScenarioDiagnosticCode.invalidValue,
               "'mood' in node '\(id)' must be a mood (\(Mood.allCases.map(\.name).joined(separator: ", "))) or a whole number of steps from \(Self.moodDeltaRange.lowerBound) to \(Self.moodDeltaRange.upperBound)",
               at: value.location, hint: "write `mood: angry` to set the mood on arrival, or `mood: 1` to make it one step worse")
        return nil
    }

    func decodeIntent(_ node: YNode, position: Int, node nodeID: String)
        -> (Intent?, [Located<String>], SourceLocation) {
        let context = "intent \(position) of node '\(nodeID)'"
        guard let f = fields(node, "'expect' item \(position) of node '\(nodeID)'", context: context, known: Self.intentKeys) else {
            return (nil, [], node.location)
        }
        let idValue = string(f, "intent", required: true, nonEmpty: true)
        let id = idValue?.value ?? ""
        if let idValue, !id.isEmpty, !Self.isNodeID(id) {
            report(.error, ScenarioDiagnosticCode.invalidValue,
                   "intent id '\(Self.clip(id))' may contain only letters a-z, A-Z, digits, '_', '-' and '.'",
                   at: idValue.location, hint: "for example `ask_printer`")
        }
        let name = id.isEmpty ? context : "intent '\(id)'"
        let ruleName = "\(name) of node '\(nodeID)'"
        let rule = matchRule(f, "match", owner: ruleName, required: true, node: nodeID)
        let points = integer(f, "points", in: Self.pointsRange) ?? 10
        let intent = Intent(
            id: id, description: string(f, "description")?.value, match: rule ?? MatchRule(), points: points,
            feedback: string(f, "feedback")?.value, customer: lines(f, "customer") ?? [],
            mood: integer(f, "mood", in: Self.moodDeltaRange) ?? -1,
            next: nodeReference(f, "next", what: "`next` of \(ruleName)"),
            samples: [])
        var samples = stringList(f, "samples", allowSingle: true) ?? []
        samples = samples.filter { !$0.value.isEmpty }
        var result = intent
        result.samples = samples.map(\.value)
        result.counterSamples = (stringList(f, "counter_samples", allowSingle: true) ?? []).map(\.value).filter { !$0.isEmpty }
        result.negatable = bool(f, "negatable") ?? true
        if let facts = f["facts"] { result.facts = decodeFacts(facts, owner: ruleName) }
        // Samples must match their own rule.
        if let rule, !rule.isEmpty, !index.brokenRules.contains(ruleName) {
            let compiled = CompiledMatchRule(rule, vocabulary: matchingVocabulary)
            for sample in samples {
                let reply = ReadReply(sample.value)
                if compiled.match(reply, negatable: result.negatable) == nil {
                    report(.error, ScenarioDiagnosticCode.sampleMismatch,
                           "sample \"\(Self.clip(sample.value))\" does not match the rule of \(name)",
                           at: sample.location,
                           hint: "add a phrase from the sample to `match` (or fix the sample); phrases match word starts")
                }
                checkSampleFacts(sample, reply, facts: result.facts, owner: name)
            }
        }
        return (result, samples, idValue?.location ?? f.location)
    }

    func decodeHarmful(_ node: YNode, position: Int, node nodeID: String) -> (HarmfulRule, SourceLocation)? {
        let context = "harmful rule \(position) of node '\(nodeID)'"
        guard let f = fields(node, "'harmful' item \(position) of node '\(nodeID)'", context: context, known: Self.harmfulKeys) else {
            return nil
        }
        let idValue = string(f, "id", required: true, nonEmpty: true)
        let id = idValue?.value ?? ""
        let name = id.isEmpty ? context : "harmful rule '\(id)' of node '\(nodeID)'"
        let rule = matchRule(f, "match", owner: name, required: true, node: nodeID)
        let feedback = string(f, "feedback", required: true, nonEmpty: true)?.value ?? ""
        let harmful = HarmfulRule(
            id: id, match: rule ?? MatchRule(), penalty: integer(f, "penalty", in: Self.pointsRange) ?? 10,
            feedback: feedback, customer: lines(f, "customer") ?? [],
            mood: integer(f, "mood", in: Self.moodDeltaRange) ?? 1,
            next: nodeReference(f, "next", what: "`next` of \(name)"),
            samples: (stringList(f, "samples", allowSingle: true) ?? []).map(\.value).filter { !$0.isEmpty },
            counterSamples: (stringList(f, "counter_samples", allowSingle: true) ?? []).map(\.value).filter { !$0.isEmpty },
            negatable: bool(f, "negatable") ?? true)
        return (harmful, idValue?.location ?? f.location)
    }

    func decodeChoice(_ node: YNode, position: Int, node owner: SupportSimCore.Node) -> Choice? {
        let context = "choice \(position) of node '\(owner.id)'"
        guard let f = fields(node, "'choices' item \(position) of node '\(owner.id)'", context: context, known: Self.choiceKeys) else {
            return nil
        }
        let text = string(f, "text", required: true, nonEmpty: true)?.value ?? ""
        let intent = string(f, "intent")
        let harmful = string(f, "harmful")
        if let intent, !owner.expect.contains(where: { $0.id == intent.value }) {
            let ids = owner.expect.map(\.id).filter { !$0.isEmpty }
            report(.error, ScenarioDiagnosticCode.undefinedIntent,
                   "\(context) names intent '\(Self.clip(intent.value))', which node '\(owner.id)' does not expect",
                   at: intent.location, hint: Suggest.hint(for: intent.value, among: ids, listing: "intents of this node"))
        }
        if let harmful, !owner.harmful.contains(where: { $0.id == harmful.value }) {
            let ids = owner.harmful.map(\.id).filter { !$0.isEmpty }
            report(.error, ScenarioDiagnosticCode.undefinedIntent,
                   "\(context) names harmful rule '\(Self.clip(harmful.value))', which node '\(owner.id)' does not define",
                   at: harmful.location, hint: Suggest.hint(for: harmful.value, among: ids, listing: "harmful rules of this node"))
        }
        if intent != nil, let harmful {
            report(.error, ScenarioDiagnosticCode.invalidValue, "\(context) has both 'intent' and 'harmful'",
                   at: harmful.location, hint: "a choice counts as one intent or one harmful rule; remove one of them")
        }
        return Choice(text: text, intent: intent?.value, harmful: harmful?.value)
    }

    func decodeCritical(_ node: YNode) -> [CriticalRule] {
        guard case let .sequence(items) = node else {
            wrongType("'critical'", expected: "a list of critical rules", found: node)
            return []
        }
        var rules: [CriticalRule] = []
        var seen: [String: SourceLocation] = [:]
        for (i, item) in items.enumerated() {
            let context = "critical rule \(i + 1)"
            guard let f = fields(item, "'critical' item \(i + 1)", context: context, known: Self.criticalKeys) else { continue }
            let id = string(f, "id", required: true, nonEmpty: true)
            if let id { checkDuplicate(id, in: &seen, kind: "critical rule") }
            let rule = matchRule(f, "match", owner: id.map { "critical rule '\($0.value)'" } ?? context, required: true, node: nil)
            let reason = string(f, "reason", required: true, nonEmpty: true)?.value ?? ""
            rules.append(CriticalRule(id: id?.value ?? "", match: rule ?? MatchRule(), reason: reason,
                                      negatable: bool(f, "negatable") ?? true))
        }
        return rules
    }

    func decodeEndings(_ node: YNode) -> Endings {
        var endings = Endings()
        guard let f = fields(node, "'endings'", context: "endings", known: Self.endingKeys) else { return endings }
        for kind in EndingKind.allCases {
            if let lines = lines(f, kind.rawValue) { endings.lines[kind] = lines }
        }
        endings.managerDemand = lines(f, "manager_demand") ?? []
        return endings
    }

    // MARK: Helpers

    func nodeReference(_ f: Fields, _ key: String, what: String) -> String? {
        guard let value = string(f, key) else { return nil }
        index.nodeReferences.append(.init(name: value.value, location: value.location, what: what))
        return value.value
    }

    func checkDuplicate(_ id: Located<String>, in seen: inout [String: SourceLocation], kind: String, hint: String? = nil) {
        if let first = seen[id.value] {
            report(.error, ScenarioDiagnosticCode.duplicateID,
                   "duplicate \(kind) id '\(Self.clip(id.value))' (first defined at line \(first.line))",
                   at: id.location, hint: hint ?? "ids must be unique; rename one of them")
        } else {
            seen[id.value] = id.location
        }
    }

    static func isScenarioID(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    static func isNodeID(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.isASCIIAlphanumeric else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || $0 == "_" || $0 == "-" || $0 == "." }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIIAlphanumeric: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
    }
}
