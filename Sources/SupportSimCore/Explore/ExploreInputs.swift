/// What `ScenarioExplorer` types: the inputs a random trainee may give at a node, drawn from the
/// scenario itself (samples, counter-samples, harmful samples, match phrases, choices, commands with
/// each target) and generated off-script replies (shuffled words, steps of other nodes, greetings,
/// gibberish, rudeness, control characters, whitespace). Built once per scenario; every pick takes
/// the run's seeded generator, so a seed always gives the same inputs.
struct ExploreInputs: Sendable {
    /// One node's own material.
    struct NodeTexts: Sendable {
        /// Per intent (in `expect` order): its samples, else texts made from its match phrases.
        var intents: [[String]]
        var counterSamples: [String]
        var harmfulSamples: [String]
        var customerLines: [String]
    }

    let scenario: Scenario
    private var nodes: [String: NodeTexts] = [:]
    /// Every intent and harmful sample of the scenario (steps of other nodes, words to shuffle).
    private let allSamples: [String]
    /// Targets the policy accepts, as written and with their case changed.
    let goodTargets: [String]
    /// Targets the policy does not accept (known wrong choices, a manager, L3).
    let wrongTargets: [String]
    private let kbQueries: [String]
    private let greetings: [String]
    private let shortReplies: [String]
    private let rudeReplies: [String]
    private let letters: [Character]
    /// Replies made only of whitespace: the engine must reject them.
    static let blank = "   "

    init(scenario: Scenario) {
        self.scenario = scenario
        let ru = scenario.language == .ru
        var all: [String] = []
        for node in scenario.nodes where nodes[node.id] == nil {
            let intents = node.expect.map { intent in
                intent.samples.isEmpty ? Self.texts(from: intent.match) : intent.samples
            }
            let harmful = node.harmful.flatMap { $0.samples.isEmpty ? Self.texts(from: $0.match) : $0.samples }
            let counter = node.expect.flatMap(\.counterSamples) + node.harmful.flatMap(\.counterSamples)
            nodes[node.id] = NodeTexts(intents: intents, counterSamples: counter, harmfulSamples: harmful,
                                       customerLines: node.customer)
            all += intents.joined() + harmful
        }
        allSamples = all.isEmpty ? [ru ? "Здравствуйте" : "Hello"] : all

        let policy = scenario.escalation
        var good: [String] = []
        for target in policy.targets { good += [target, target.lowercased(), target.uppercased()] }
        goodTargets = Self.unique(good)
        let known = Set(policy.targets.map(LookAlike.key))
        var wrong = policy.targetKinds.keys.filter { !known.contains($0) }.sorted()
        wrong += ru ? ["руководитель", "L3"] : ["manager", "L3"]
        wrong += policy.forbiddenTargets
        wrongTargets = Self.unique(wrong.filter { !policy.accepts($0) || policy.targets.isEmpty })

        var queries = [""]
        for article in scenario.knowledgeBase { queries += [article.id, article.title] + article.keywords }
        queries.append(ru ? "принтер" : "printer")
        kbQueries = Self.unique(queries)
        greetings = ru ? ["Здравствуйте!", "Добрый день, чем могу помочь?", "Алло, слушаю Вас."]
                       : ["Hello!", "Hi, how can I help you today?", "Good morning, service desk speaking."]
        shortReplies = ru ? ["ок", "да", "нет", "хм", "?", "...", "понятно"]
                          : ["ok", "yes", "no", "hmm", "?", "...", "I see"]
        rudeReplies = ru ? ["Сами виноваты, читайте инструкцию.", "Успокойтесь, это не так сложно.", "Ну что ещё?",
                            "Не мои проблемы."]
                         : ["That's your own problem, read the manual.", "Calm down, it's not that hard.",
                            "What do you want now?", "Not my problem."]
        letters = Array(ru ? "абвгдежзиклмнопрстуфхцчшщыэюя" : "abcdefghijklmnopqrstuvwxyz")
    }

    func texts(at node: String) -> NodeTexts? { nodes[node] }

    // MARK: Off-script replies

    /// A reply the scenario did not write, of a random kind.
    func offScript(at node: Node, using rng: inout SeededRandom) -> String {
        let own = nodes[node.id]
        switch Int.random(in: 0..<12, using: &rng) {
        case 0, 1: return shuffledWords(of: explorePick(allSamples, &rng), using: &rng)
        case 2, 3: return explorePick(allSamples, &rng)                                     // a step of some node
        case 4:                                                                      // several steps in one reply
            let first = own.flatMap { $0.intents.joined().isEmpty ? nil : explorePick(Array($0.intents.joined()), &rng) }
            let joint = scenario.language == .ru ? ", а потом " : ", then "
            return (first ?? explorePick(allSamples, &rng)) + joint + explorePick(allSamples, &rng)
        case 5: return explorePick(greetings, &rng)
        case 6: return gibberish(using: &rng)
        case 7: return explorePick(shortReplies, &rng)
        case 8: return explorePick(rudeReplies, &rng)
        case 9: return own?.customerLines.isEmpty == false ? explorePick(own!.customerLines, &rng) : explorePick(greetings, &rng)
        case 10: return "\u{1B}[31m" + explorePick(allSamples, &rng) + "\u{1B}[0m \u{202E}\u{7}"  // control characters
        default: return (0..<2).map { _ in explorePick(allSamples, &rng) }.joined(separator: " ")
        }
    }

    func shuffledWords(of text: String, using rng: inout SeededRandom) -> String {
        text.split(whereSeparator: \.isWhitespace).shuffled(using: &rng).joined(separator: " ")
    }

    func gibberish(using rng: inout SeededRandom) -> String {
        (0..<Int.random(in: 1...4, using: &rng)).map { _ in
            String((0..<Int.random(in: 2...8, using: &rng)).map { _ in letters[Int.random(in: 0..<letters.count, using: &rng)] })
        }.joined(separator: " ")
    }

    // MARK: Commands

    func kbQuery(using rng: inout SeededRandom) -> String { explorePick(kbQueries, &rng) }

    /// A hand-off note: a sample, the steps done so far, or nothing.
    func note(matched: Set<String>, using rng: inout SeededRandom) -> String {
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: return ""
        case 1: return explorePick(allSamples, &rng)
        default:
            let done = scenario.allIntents.filter { matched.contains($0.id) }.map(\.description)
            return ([scenario.ticket.number.map { "#\($0)" } ?? ""] + done).joined(separator: "; ")
        }
    }

    func resolution(using rng: inout SeededRandom) -> String {
        Bool.random(using: &rng) ? (scenario.language == .ru ? "Решено" : "Solved") : explorePick(allSamples, &rng)
    }

    // MARK: Helpers

    /// Replies made from a rule's phrases (for an intent or rule without samples): one `any`
    /// phrase each, and one phrase of every `all` group together.
    static func texts(from rule: MatchRule) -> [String] {
        var out = rule.any
        if !rule.all.isEmpty {
            out.append(rule.all.compactMap(\.first).joined(separator: " "))
            out.append(rule.all.compactMap(\.last).joined(separator: " "))
        }
        return unique(out.filter { !$0.allSatisfy(\.isWhitespace) })
    }

    static func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }
}

/// One element of a non-empty array, by the seeded generator.
func explorePick<T>(_ items: [T], _ rng: inout SeededRandom) -> T {
    items[Int.random(in: 0..<items.count, using: &rng)]
}
