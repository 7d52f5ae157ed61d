/// The words and phrases the politeness analyzer looks for: plain data, so that it can be loaded
/// from a file (it is `Codable`) and tuned without touching the analyzer's logic.
/// The built-in data is `PolitenessLexicon.standard` (PolitenessLexiconData.swift).
///
/// Phrase patterns are compared on words (lower case, «ё» as «е», punctuation ignored, a hyphen
/// splits words). A pattern is words separated by spaces, where each position is one of:
/// - `word` — exactly this word; `word*` — any word starting with `word`;
/// - `a|b*|c` — any of the alternatives;
/// - `~` — up to three other words (within one sentence);
/// - `!a|b*` — one word that is none of the alternatives;
/// - `{verbs}` / `{imperatives}` — any word of `englishImperativeVerbs` / `russianInformalImperatives`.
/// A leading `^` ties the phrase to the start of a sentence (after at most one opener such as "ok,").
public struct PolitenessLexicon: Sendable, Equatable, Codable {
    /// A strategy recognised by phrases.
    public struct PhraseStrategy: Sendable, Equatable, Codable {
        /// The strategy id reported in hits ("apology").
        public var id: String
        /// Positive for polite strategies, negative for impolite ones.
        public var weight: Double
        /// A negator shortly before the phrase in the same clause cancels it ("not sorry").
        public var negatable: Bool
        /// Counted only in the trainee's first reply (greetings).
        public var firstReplyOnly: Bool
        /// Also matched on look-alike readings of disguised words ("f*ck", "sh1t", "пиzдец").
        public var disguisable: Bool
        /// At most this many hits per reply.
        public var maxPerReply: Int
        /// Patterns by language code ("en", "ru"). All languages are checked in every reply:
        /// the scripts differ, and trainees mix languages.
        public var patterns: [String: [String]]

        public init(id: String, weight: Double, negatable: Bool = false, firstReplyOnly: Bool = false,
                    disguisable: Bool = false, maxPerReply: Int = 1, patterns: [String: [String]]) {
            self.id = id; self.weight = weight; self.negatable = negatable; self.firstReplyOnly = firstReplyOnly
            self.disguisable = disguisable; self.maxPerReply = maxPerReply; self.patterns = patterns
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

    public init(
        phraseStrategies: [PhraseStrategy], ruleWeights: [String: Double], negators: [String],
        requestSofteners: [String], englishImperativeVerbs: [String], englishNonImperativeFollowers: [String],
        sentenceOpeners: [String], russianInformalImperatives: [String], russianInformalWords: [String],
        russianFormalWords: [String], acronyms: [String]
    ) {
        self.phraseStrategies = phraseStrategies; self.ruleWeights = ruleWeights; self.negators = negators
        self.requestSofteners = requestSofteners; self.englishImperativeVerbs = englishImperativeVerbs
        self.englishNonImperativeFollowers = englishNonImperativeFollowers; self.sentenceOpeners = sentenceOpeners
        self.russianInformalImperatives = russianInformalImperatives; self.russianInformalWords = russianInformalWords
        self.russianFormalWords = russianFormalWords; self.acronyms = acronyms
    }

    /// The weight of a strategy id, from either kind of strategy.
    public func weight(of strategy: String) -> Double? {
        phraseStrategies.first { $0.id == strategy }?.weight ?? ruleWeights[strategy]
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
        default: return id
        }
    }
}
