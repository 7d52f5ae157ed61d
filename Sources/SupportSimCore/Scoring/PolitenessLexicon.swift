import Foundation
import Yams


/// The words and phrases the politeness analyzer looks for: plain data. The bundled lexicons are
/// YAML files (target `SupportSimLexicons`, `Lexicons/politeness.*.yaml`) read with
/// `PolitenessLexicon(yaml:)`; a company file is parsed the same way and laid over them with
/// `merging(_:)`. This type never reads files itself.
///
/// Phrase patterns are compared on words (lower case, «ё» as «е», punctuation ignored, a hyphen
/// splits words). A pattern is words separated by spaces, where each position is one of:
/// - `word` — exactly this word; `word*` — any word starting with `word`;
/// - `a|b*|c` — any of the alternatives;
/// - `~` — up to three other words (within one sentence);
/// - `!a|b*` — one word that is none of the alternatives;
/// - `{verbs}` / `{imperatives}` — any word of `englishImperativeVerbs` / `russianInformalImperatives`.
/// A leading `^` ties the phrase to the start of a sentence (after at most one opener such as "ok,");
/// a trailing `$` ties it to the end of a sentence («…, говорю.»).
/// A strategy's `exclusions` (same word syntax) are words no position of its patterns accepts:
/// `еб*` with the exclusion `ебонит*`.
public struct PolitenessLexicon: Sendable, Equatable, Codable {
    /// A strategy recognised by phrases. Settings left nil take their defaults (or, when merging,
    /// the value of the lexicon merged into).
    public struct PhraseStrategy: Sendable, Equatable, Codable {
        /// The strategy id reported in hits ("apology").
        public var id: String
        /// Positive for polite strategies, negative for impolite ones (default 0).
        public var weight: Double?
        /// A negator shortly before the phrase in the same clause cancels it ("not sorry"). Default false.
        public var negatable: Bool?
        /// Counted only in the trainee's first reply (greetings). Default false.
        public var firstReplyOnly: Bool?
        /// Also matched on look-alike readings of disguised words ("f*ck", "sh1t", "пиzдец"). Default false.
        public var disguisable: Bool?
        /// At most this many hits per reply. Default 1.
        public var maxPerReply: Int?
        /// Reported in the per-reply analysis and the debrief (default true). A strategy with
        /// `feedback: false` is a tone cue: it only moves the reply score.
        public var feedback: Bool?
        /// Patterns by language code ("en", "ru"). All languages are checked in every reply:
        /// the scripts differ, and trainees mix languages.
        public var patterns: [String: [String]]
        /// Words (or `prefix*`) that none of the strategy's pattern positions accepts.
        public var exclusions: [String]
        /// When merging: replace the patterns and exclusions of the strategy merged into instead of adding to them.
        public var replace: Bool
        /// The hit does not count in a reply that also has an impolite finding (a strategy with a
        /// negative weight shown to the trainee): formal «Вы» does not soften a reproach. Default false.
        public var cancelledByImpolite: Bool?

        public init(id: String, weight: Double? = nil, negatable: Bool? = nil, firstReplyOnly: Bool? = nil,
                    disguisable: Bool? = nil, maxPerReply: Int? = nil, feedback: Bool? = nil,
                    patterns: [String: [String]] = [:], exclusions: [String] = [], replace: Bool = false,
                    cancelledByImpolite: Bool? = nil) {
            self.id = id; self.weight = weight; self.negatable = negatable; self.firstReplyOnly = firstReplyOnly
            self.disguisable = disguisable; self.maxPerReply = maxPerReply; self.feedback = feedback
            self.patterns = patterns; self.exclusions = exclusions; self.replace = replace
            self.cancelledByImpolite = cancelledByImpolite
        }
    }

    public var phraseStrategies: [PhraseStrategy]
    /// Weights of the strategies found by rules rather than phrases:
    /// `name`, `imperative`, `shouting`, `exclamations`, `informal`.
    public var ruleWeights: [String: Double]
    /// Words that negate a following phrase ("not", "never", «не»); words ending in "n't" always do.
    public var negators: [String]
    /// Words that make a command a request when they occur in the same sentence ("please", «пожалуйста»).
    public var requestSofteners: [String]
    /// English verbs whose base form starting a sentence makes a bare command ("restart it.").
    public var englishImperativeVerbs: [String]
    /// Words after such a verb that show it is not a command ("Update is running", "Do you ...").
    public var englishNonImperativeFollowers: [String]
    /// Words that may come before the start of a sentence's real content ("ok, restart it").
    public var sentenceOpeners: [String]
    /// Russian informal (ты-form) imperatives of common support verbs («перезагрузи», «проверь»).
    public var russianInformalImperatives: [String]
    /// Russian words addressing someone as «ты» («ты», «тебе», «слушай»).
    public var russianInformalWords: [String]
    /// Russian words of the formal «Вы» address.
    public var russianFormalWords: [String]
    /// All-capital words that are not shouting (4+ letters; words without vowels are always exempt).
    public var acronyms: [String]
    /// Words that start a step of an instruction sequence ("then", «затем»): an imperative after
    /// one is a step, not a bare command.
    public var instructionSequenceWords: [String] = []

    public init(
        phraseStrategies: [PhraseStrategy] = [], ruleWeights: [String: Double] = [:], negators: [String] = [],
        requestSofteners: [String] = [], englishImperativeVerbs: [String] = [], englishNonImperativeFollowers: [String] = [],
        sentenceOpeners: [String] = [], russianInformalImperatives: [String] = [], russianInformalWords: [String] = [],
        russianFormalWords: [String] = [], acronyms: [String] = []
    ) {
        self.phraseStrategies = phraseStrategies; self.ruleWeights = ruleWeights; self.negators = negators
        self.requestSofteners = requestSofteners; self.englishImperativeVerbs = englishImperativeVerbs
        self.englishNonImperativeFollowers = englishNonImperativeFollowers; self.sentenceOpeners = sentenceOpeners
        self.russianInformalImperatives = russianInformalImperatives; self.russianInformalWords = russianInformalWords
        self.russianFormalWords = russianFormalWords; self.acronyms = acronyms
    }

    /// The weight of a strategy id, from either kind of strategy.
    public func weight(of strategy: String) -> Double? {
        phraseStrategies.first { $0.id == strategy }.map { $0.weight ?? 0 } ?? ruleWeights[strategy]
    }

    /// This lexicon with `other` laid over it: strategies with a new id are added; for an existing id,
    /// the settings `other` gives override, and its patterns and exclusions are added (or replace
    /// them when `replace` is set). Rule weights are overridden; word lists are united.
    public func merging(_ other: PolitenessLexicon) -> PolitenessLexicon {
        var out = self
        for s in other.phraseStrategies {
            guard let k = out.phraseStrategies.firstIndex(where: { $0.id == s.id }) else {
                out.phraseStrategies.append(s)
                continue
            }
            var base = out.phraseStrategies[k]
            if let v = s.weight { base.weight = v }
            if let v = s.negatable { base.negatable = v }
            if let v = s.firstReplyOnly { base.firstReplyOnly = v }
            if let v = s.disguisable { base.disguisable = v }
            if let v = s.maxPerReply { base.maxPerReply = v }
            if let v = s.feedback { base.feedback = v }
            if let v = s.cancelledByImpolite { base.cancelledByImpolite = v }
            if s.replace {
                base.patterns = s.patterns
                base.exclusions = s.exclusions
            } else {
                for (language, list) in s.patterns {
                    let existing = base.patterns[language, default: []]
                    base.patterns[language] = existing + list.filter { !existing.contains($0) }
                }
                base.exclusions += s.exclusions.filter { !base.exclusions.contains($0) }
            }
            out.phraseStrategies[k] = base
        }
        out.ruleWeights.merge(other.ruleWeights) { _, new in new }
        func union(_ a: [String], _ b: [String]) -> [String] { a + b.filter { !a.contains($0) } }
        out.negators = union(negators, other.negators)
        out.requestSofteners = union(requestSofteners, other.requestSofteners)
        out.englishImperativeVerbs = union(englishImperativeVerbs, other.englishImperativeVerbs)
        out.englishNonImperativeFollowers = union(englishNonImperativeFollowers, other.englishNonImperativeFollowers)
        out.sentenceOpeners = union(sentenceOpeners, other.sentenceOpeners)
        out.russianInformalImperatives = union(russianInformalImperatives, other.russianInformalImperatives)
        out.russianInformalWords = union(russianInformalWords, other.russianInformalWords)
        out.russianFormalWords = union(russianFormalWords, other.russianFormalWords)
        out.acronyms = union(acronyms, other.acronyms)
        out.instructionSequenceWords = union(instructionSequenceWords, other.instructionSequenceWords)
        return out
    }
}

// MARK: - YAML

/// A lexicon file that cannot be used, with the line it was found on.
public struct PolitenessLexiconError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The file, when the caller knows it.
    public var file: String?
    /// 1-based line in the YAML text (0 when unknown).
    public var line: Int
    public var message: String

    public init(file: String? = nil, line: Int, message: String) { self.file = file; self.line = line; self.message = message }

    public var description: String {
        let place = [file, line > 0 ? "line \(line)" : nil].compactMap { $0 }.joined(separator: ", ")
        return place.isEmpty ? message : "\(place): \(message)"
    }
    public var errorDescription: String? { description }
}

private typealias YAMLNode = Yams.Node

extension PolitenessLexicon {
    /// Reads a lexicon file (format in `Lexicons/politeness.en.yaml`). Top-level keys:
    /// `strategies` (a list), `rule_weights` (a map), and the word lists `negators`,
    /// `request_softeners`, `english_imperative_verbs`, `english_non_imperative_followers`,
    /// `sentence_openers`, `russian_informal_imperatives`, `russian_informal_words`,
    /// `russian_formal_words`, `acronyms`, `instruction_sequence_words`. Every key is optional; unknown keys are errors.
    public init(yaml: String) throws {
        let root: YAMLNode?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw PolitenessLexiconError(line: Self.line(of: error), message: "not valid YAML: \(error)")
        }
        self.init()
        guard let root else { return }
        let top = try Self.mapping(root, "the lexicon")
        for (key, value) in top {
            switch key {
            case "strategies":
                guard case .sequence(let list) = value else { throw Self.error(value, "`strategies` must be a list") }
                for item in list { phraseStrategies.append(try Self.strategy(item)) }
            case "rule_weights":
                for (name, w) in try Self.mapping(value, "`rule_weights`") {
                    guard let d = w.float, d.isFinite else { throw Self.error(w, "the weight of `\(name)` must be a number") }
                    ruleWeights[name] = d
                }
            case "negators": negators = try Self.words(value, key)
            case "request_softeners": requestSofteners = try Self.words(value, key)
            case "english_imperative_verbs": englishImperativeVerbs = try Self.words(value, key)
            case "english_non_imperative_followers": englishNonImperativeFollowers = try Self.words(value, key)
            case "sentence_openers": sentenceOpeners = try Self.words(value, key)
            case "russian_informal_imperatives": russianInformalImperatives = try Self.words(value, key)
            case "russian_informal_words": russianInformalWords = try Self.words(value, key)
            case "russian_formal_words": russianFormalWords = try Self.words(value, key)
            case "acronyms": acronyms = try Self.words(value, key)
            case "instruction_sequence_words": instructionSequenceWords = try Self.words(value, key)
            case "format", "description": break
            default: throw Self.error(value, "unknown key `\(key)`")
            }
        }
        var seen: Set<String> = []
        for s in phraseStrategies where !seen.insert(s.id).inserted {
            throw PolitenessLexiconError(line: 0, message: "strategy `\(s.id)` is defined twice")
        }
    }

    private static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: 0
        }
    }

    private static func error(_ node: YAMLNode, _ message: String) -> PolitenessLexiconError {
        PolitenessLexiconError(line: node.mark?.line ?? 0, message: message)
    }

    /// A mapping's entries in file order, keys as strings.
    private static func mapping(_ node: YAMLNode, _ what: String) throws -> [(String, YAMLNode)] {
        guard case .mapping(let m) = node else { throw error(node, "\(what) must be a mapping of keys to values") }
        return try m.map { key, value in
            guard let k = key.string, key.scalar != nil else { throw error(key, "keys in \(what) must be plain text") }
            return (k, value)
        }
    }

    /// A list of non-empty strings (numbers are taken as text).
    private static func words(_ node: YAMLNode, _ what: String) throws -> [String] {
        if case .scalar = node, node.null != nil { return [] }
        guard case .sequence(let list) = node else { throw error(node, "`\(what)` must be a list of words") }
        return try list.map { item in
            guard case .scalar(let s) = item else { throw error(item, "entries of `\(what)` must be text") }
            let text = s.string.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { throw error(item, "empty entry in `\(what)`") }
            return text
        }
    }

    private static func strategy(_ node: YAMLNode) throws -> PhraseStrategy {
        let entries = try mapping(node, "a strategy")
        guard let idNode = entries.first(where: { $0.0 == "id" })?.1, let id = idNode.string, !id.isEmpty else {
            throw error(node, "a strategy needs an `id`")
        }
        var s = PhraseStrategy(id: id)
        func bool(_ v: YAMLNode, _ key: String) throws -> Bool {
            guard let b = v.bool else { throw error(v, "`\(key)` of strategy `\(id)` must be true or false") }
            return b
        }
        for (key, value) in entries {
            switch key {
            case "id": break
            case "weight":
                guard let d = value.float, d.isFinite else { throw error(value, "`weight` of strategy `\(id)` must be a number") }
                s.weight = d
            case "negatable": s.negatable = try bool(value, key)
            case "first_reply_only": s.firstReplyOnly = try bool(value, key)
            case "disguisable": s.disguisable = try bool(value, key)
            case "feedback": s.feedback = try bool(value, key)
            case "cancelled_by_impolite": s.cancelledByImpolite = try bool(value, key)
            case "replace": s.replace = try bool(value, key)
            case "max_per_reply":
                guard let n = value.int, n >= 1 else { throw error(value, "`max_per_reply` of strategy `\(id)` must be a whole number ≥ 1") }
                s.maxPerReply = n
            case "patterns":
                for (language, list) in try mapping(value, "`patterns` of strategy `\(id)`") {
                    guard case .sequence(let items) = list else {
                        throw error(list, "`patterns.\(language)` of strategy `\(id)` must be a list")
                    }
                    for item in items { try validatePattern(item, strategy: id) }
                    s.patterns[language, default: []] += try words(list, "patterns.\(language)")
                }
            case "exclusions":
                s.exclusions = try words(value, "exclusions")
                for e in s.exclusions where e.contains(" ") || e.contains("~") || e.hasPrefix("^") {
                    throw error(value, "exclusion `\(e)` of strategy `\(id)` must be a single word or `prefix*`")
                }
            default:
                throw error(value, "unknown key `\(key)` in strategy `\(id)`")
            }
        }
        return s
    }

    /// A pattern must start with a word and use the syntax described on `PolitenessLexicon`.
    private static func validatePattern(_ node: YAMLNode, strategy id: String) throws {
        guard let text = node.string else { return }
        var parts = text.split(separator: " ").map(String.init)
        if parts.first == "^" { parts.removeFirst() }
        if parts.last == "$" { parts.removeLast() }
        guard let first = parts.first else { throw error(node, "empty pattern in strategy `\(id)`") }
        if first == "~" || first.hasPrefix("!") {
            throw error(node, "pattern `\(text)` of strategy `\(id)` must start with a word")
        }
        for p in parts where p != "~" {
            let body = p.hasPrefix("!") ? String(p.dropFirst()) : p
            for alt in body.split(separator: "|", omittingEmptySubsequences: false) {
                if alt.isEmpty || alt == "*" || alt.dropLast().contains("*") || alt.contains("^") || alt.contains("~") || alt.contains("$") {
                    throw error(node, "pattern `\(text)` of strategy `\(id)`: bad word `\(alt)`")
                }
                if alt.hasPrefix("{"), alt != "{verbs}", alt != "{imperatives}" {
                    throw error(node, "pattern `\(text)` of strategy `\(id)`: unknown list `\(alt)`")
                }
            }
        }
    }
}

/// The strategy ids the analyzer reports.
public enum PolitenessStrategy {
    public static let greeting = "greeting"
    public static let name = "name"
    public static let gratitude = "gratitude"
    public static let apology = "apology"
    public static let empathy = "empathy"
    public static let please = "please"
    public static let softened = "softened"
    public static let closing = "closing"
    public static let reassurance = "reassurance"
    public static let hedging = "hedging"
    public static let insult = "insult"
    public static let obscenity = "obscenity"
    public static let blame = "blame"
    public static let dismissive = "dismissive"
    public static let imperative = "imperative"
    /// A command given as a step of an instruction: a tone cue only, never a finding.
    public static let instruction = "instruction"
    public static let reproach = "reproach"
    public static let slang = "slang"
    public static let challenge = "challenge"
    public static let refusal = "refusal"
    public static let alternative = "alternative"
    public static let shouting = "shouting"
    public static let exclamations = "exclamations"
    public static let informal = "informal"
    public static let sarcasm = "sarcasm"

    /// A short name for feedback and the debrief ("apology", «извинение»).
    public static func label(_ id: String, language: Language) -> String {
        let ru = language == .ru
        switch id {
        case greeting: return ru ? "приветствие" : "greeting"
        case name: return ru ? "обращение по имени" : "addressed by name"
        case gratitude: return ru ? "благодарность" : "thanks"
        case apology: return ru ? "извинение" : "apology"
        case empathy: return ru ? "сочувствие" : "empathy"
        case please: return ru ? "«пожалуйста»" : "\"please\""
        case softened: return ru ? "вежливая просьба" : "softened request"
        case closing: return ru ? "завершение разговора" : "proper closing"
        case reassurance: return ru ? "поддержка" : "reassurance"
        case hedging: return ru ? "мягкая формулировка" : "hedged wording"
        case insult: return ru ? "оскорбление" : "insult"
        case obscenity: return ru ? "нецензурная лексика" : "obscene language"
        case blame: return ru ? "обвинение клиента" : "blaming the customer"
        case dismissive: return ru ? "пренебрежительный тон" : "dismissive tone"
        case imperative: return ru ? "приказной тон" : "bare command"
        case shouting: return ru ? "крик заглавными буквами" : "shouting in capitals"
        case exclamations: return ru ? "лишние восклицательные знаки" : "repeated exclamation marks"
        case informal: return ru ? "обращение на «ты»" : "informal address"
        case sarcasm: return ru ? "сарказм" : "sarcasm"
        case slang: return ru ? "панибратский тон" : "over-familiar slang"
        case reproach: return ru ? "упрёк («я же говорил»)" : "reproach (\"as I already said\")"
        case challenge: return ru ? "вопрос-претензия («зачем вы…»)" : "challenge question (\"why did you…\")"
        case refusal: return ru ? "вежливый отказ" : "polite refusal"
        case alternative: return ru ? "предложена альтернатива" : "alternative offered"
        case instruction: return ru ? "шаг инструкции" : "instruction step"
        case ToneModel.rudeStrategy: return ru ? "грубый тон (модель тона)" : "rude tone (tone model)"
        case ToneModel.politeStrategy: return ru ? "вежливый тон (модель тона)" : "polite tone (tone model)"
        default: return id
        }
    }
}
