/// The words `ClauseReader` reads clauses with, as data in one place. Every entry is normalised
/// like a reply (`TextNormalizer`), so write entries the way people type them.
enum ClauseLexicon {
    enum Kind: Sendable, Equatable {
        /// A polite form or idiom that contains a negation word but negates nothing
        /// ("don't worry", «не могли бы вы»).
        case idiom
        /// Negates its whole clause, before and after it («обещать не могу», "don't restart").
        case negator
        /// Negates from the word to the clause end ("without", «вместо»).
        case partialNegator
        /// Starts a new clause and a new step ("then", «после этого»).
        case stepConnective
        /// Starts a new clause in the same step ("but", «однако»).
        case connective
        /// Starts a condition clause ("as soon as", «если»).
        case condition
        /// Looks like a condition or connective but is not one ("as soon as possible", "after all").
        case notConnective
    }

    /// Idioms and polite forms: their negation words negate nothing. Checked before negators.
    static let idioms: [String] = [
        "don't worry", "dont worry", "do not worry", "no worries", "no problem", "not a problem", "no problems",
        "don't hesitate", "dont hesitate", "do not hesitate", "no rush", "don't forget", "dont forget",
        "do not forget", "no need to worry", "not only", "no later than", "not later than",
        "no more than", "not more than", "no longer than", "not longer than", "no doubt", "why not",
        "не волнуйтесь", "не переживайте", "не беспокойтесь", "ничего страшного", "нет проблем",
        "не проблема", "не за что", "не стесняйтесь", "не забудьте", "не забывайте", "не могли бы вы",
        "не могли бы", "не подскажете", "не поможете ли", "не затруднит ли", "не сочтите за труд",
        "не так ли", "не правда ли", "не только", "не позже", "не позднее", "не более", "не больше",
        "не дольше", "не волнуйся", "не переживай", "не беспокойся",
    ]

    /// Negations of the whole clause.
    static let negators: [String] = [
        "не", "нельзя", "нет", "никогда", "ни в коем случае", "не могу", "не можем", "не получится", "не стоит",
        "не надо", "не нужно", "не следует", "невозможно",
        "not", "no", "don't", "dont", "do not", "won't", "will not", "can't", "cant", "cannot", "can not",
        "never", "no other", "unable to", "i'm afraid there's no", "i'm afraid there is no",
        "i am afraid there is no", "shouldn't", "should not", "mustn't", "must not", "avoid", "doesn't",
        "does not", "didn't", "did not", "isn't", "aren't", "wasn't", "weren't", "haven't", "hasn't",
        "couldn't", "could not", "wouldn't", "would not", "no need to", "impossible",
        // dismissing what follows: "never mind which printer it is", «где он лежал, неважно»
        "never mind", "неважно", "не важно",
    ]

    /// Negations from the word to the clause end.
    static let partialNegators: [String] = ["without", "instead of", "rather than", "без", "вместо"]

    /// Start a new step: what follows comes after what came before.
    static let stepConnectives: [String] = [
        "then", "and then", "after that", "and after that", "afterwards", "after this", "next step",
        "затем", "потом", "а потом", "и потом", "и затем", "а затем", "после этого", "после чего", "а после этого",
        "и после этого", "далее",
    ]

    /// Start a new clause in the same step.
    static let connectives: [String] = [
        "but", "however", "although", "though", "whereas", "otherwise",
        "so that", "in order to", "because", "so as not to",
        "но", "а", "однако", "хотя", "зато", "иначе", "а то",
        // purpose and reason: "cancel them so they don't print later" negates only the purpose
        "чтобы", "потому что", "так как", "поскольку",
    ]

    /// Start a condition clause.
    static let conditions: [String] = [
        "if", "unless", "when", "whenever", "once", "as soon as", "after", "until", "till", "before", "in case",
        "provided that", "only if", "only when", "only after", "only once",
        "если", "когда", "как только", "после того как", "пока не", "до того как", "в случае", "перед тем как",
        "прежде чем", "лишь только", "только если", "только когда", "только после того как", "при условии",
    ]

    /// Start like a condition or connective but are not one.
    static let notConnectives: [String] = [
        "as soon as possible", "as soon as you can", "after all", "before that", "once again", "once more",
        "if possible", "if needed", "if necessary", "when possible", "если можно", "если возможно",
        "как только сможете", "when did", "when does", "when do", "when was", "when were", "when is", "when are",
        "when will", "when would", "when can", "when could", "when should",
    ]

    /// Words after "and" / «и» that show a new clause starts there ("and I'll call you", «и я
    /// перезвоню»); otherwise "and" stays inside its clause.
    static let subjectsAfterAnd: Set<[UInt32]> = words([
        "i", "i'll", "i'm", "i've", "i'd", "we", "we'll", "we're", "we've", "you'll", "you're", "it'll", "it's",
        "they", "they'll", "he", "she", "he'll", "she'll", "let's",
        "я", "мы", "он", "она", "они",
    ])

    /// Words that an "and" / «и» / «а» / "but" / "then" may stand before at a clause start.
    static let leading: Set<[UInt32]> = words([
        "and", "but", "so", "or", "then", "also", "и", "а", "но", "или", "потом", "затем", "тогда", "так",
    ])

    /// Words after which "if" asks a question ("check if the light is on"): not a condition.
    static let embeddedQuestionVerbs: Set<[UInt32]> = words([
        "check", "checking", "see", "ask", "asking", "wonder", "wondering", "know", "verify", "confirm",
        "find", "test", "sure", "tell", "whether", "determine", "look",
    ])

    /// Words before "then" that make it a time, not a next step ("by then", "since then").
    static let beforeThenTime: Set<[UInt32]> = words(["by", "since", "until", "till", "from", "just", "only", "back", "до", "с"])

    /// Words after "so" that start a clause ("so I'll", "so please"); otherwise "so" is an
    /// intensifier ("so sorry") and stays.
    static let afterSo: Set<[UInt32]> = words([
        "i", "i'll", "i'm", "we", "we'll", "you", "you'll", "it", "it's", "please", "let's", "let", "that",
        "the", "there", "this", "they", "they'll", "they're", "he", "she", "nothing", "none",
    ])

    /// Words skipped at a clause start when looking for an imperative.
    static let beforeImperative: Set<[UInt32]> = words([
        "please", "just", "now", "also", "then", "and", "so", "first", "next", "kindly", "finally", "again",
        "пожалуйста", "теперь", "также", "еще", "сначала", "и", "а", "потом", "затем", "просто", "сейчас",
        "тоже", "сперва", "наконец", "снова", "лучше",
    ])

    /// English verbs that start an instruction ("cancel all three jobs, switch the printer off").
    /// Russian imperatives are recognised by their ending (-ите, -йте, -ьте).
    static let imperatives: Set<[UInt32]> = words([
        "restart", "reboot", "cancel", "switch", "turn", "open", "close", "click", "press", "check", "try",
        "save", "log", "sign", "go", "type", "enter", "select", "choose", "unplug", "plug", "reconnect",
        "connect", "disconnect", "wait", "send", "install", "uninstall", "reinstall", "update", "upgrade",
        "clear", "delete", "remove", "run", "call", "reset", "change", "tap", "hold", "power", "shut", "insert",
        "make", "let", "take", "put", "pull", "push", "reply", "forward", "attach", "copy", "paste",
        "download", "upload", "empty", "restore", "sync", "refresh", "reload", "launch", "quit", "exit",
        "stop", "start", "enable", "disable", "set", "find", "look", "write", "tell", "give", "keep", "leave",
        "use", "follow", "print", "scan", "test", "verify", "confirm", "note", "read", "move", "drag",
        "replace", "charge", "eject", "rename", "mute", "unmute", "don't", "never", "do", "double",
    ])

    /// Russian imperative endings (plural/polite): «сохраните», «откройте», «поставьте».
    static let imperativeEndings: [[UInt32]] = ["ите", "йте", "ьте", "итесь", "йтесь", "ьтесь"]
        .map { Array($0.unicodeScalars.map(\.value)) }

    /// A condition clause that contains one of these asks for a confirmation, verification,
    /// identity check or approval: it makes the clause it governs safe. Word prefixes.
    static let safeguardPrefixes: [[UInt32]] = [
        "confirm", "verif", "approv", "authoris", "authoriz", "identity", "identities",
        "подтверд", "подтвержд", "одобр", "согласу", "согласов", "личност", "удостовер",
    ].map { Array($0.unicodeScalars.map(\.value)) }

    /// Whole words and word pairs that ask for a safeguard too.
    static let safeguardWords: Set<[UInt32]> = words(["проверим", "проверю", "проверит", "проверят", "проверили"])
    static let safeguardPairs: [([UInt32], [UInt32])] = [("sign", "off"), ("signs", "off"), ("signed", "off")]
        .map { (Array($0.0.unicodeScalars.map(\.value)), Array($0.1.unicodeScalars.map(\.value))) }

    static let table = PhraseTable<Kind>(
        idioms.map { ($0, .idiom) } + negators.map { ($0, .negator) } + partialNegators.map { ($0, .partialNegator) }
        + stepConnectives.map { ($0, .stepConnective) } + connectives.map { ($0, .connective) }
        + conditions.map { ($0, .condition) } + notConnectives.map { ($0, .notConnective) }
    )

    static let and: [UInt32] = Array("and".unicodeScalars.map(\.value))
    static let russianAnd: [UInt32] = [0x438]
    static let so: [UInt32] = Array("so".unicodeScalars.map(\.value))
    static let then: [UInt32] = Array("then".unicodeScalars.map(\.value))
    static let ifWord: [UInt32] = Array("if".unicodeScalars.map(\.value))

    private static func words(_ list: [String]) -> Set<[UInt32]> {
        Set(list.map { Array($0.unicodeScalars.map(\.value)) })
    }
}
