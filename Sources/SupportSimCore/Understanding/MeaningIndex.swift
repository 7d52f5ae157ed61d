import Foundation

/// Meaning-based matching: the embeddings of a scenario's sample replies, and a threshold per
/// intent and harmful rule, calibrated against the replies that must not match it.
///
/// For a rule R with samples S, a reply's similarity to R is its highest cosine similarity to any
/// sample in S. R's threshold is the highest similarity to S of any near miss — the samples of the
/// other intents and harmful rules of the node, R's `counter_samples`, and a built-in set of
/// generic support replies ("one moment please", «уточните, пожалуйста») — plus `margin`, and
/// never below `floor`. A rule whose own samples are not distinct from its near misses (threshold
/// above `ceiling`) is not matched by meaning at all.
///
/// Below every threshold, a short reply (at most `relativeClauses` clauses) still counts for the
/// rule it is closest to when it is `relativeLead` closer to it than to any other rule of the node
/// and to any generic reply of either language, and at least `relativeFloor` similar: similarities
/// across languages are lower than within one, but their order holds. The constants were chosen on
/// the development split of Data/intents (never on the held-out split).
///
/// Node data are built the first time a node is read (or ahead of time by `prepare`), from the
/// embedder, which caches sample embeddings on disk. Thread-safe.
public final class MeaningIndex: @unchecked Sendable {
    public struct Target: Sendable, Equatable {
        public enum Kind: String, Sendable, Equatable { case intent, harmful }
        public var kind: Kind
        public var id: String
        public var samples: [String]
        var vectors: [[Float]]
        /// The similarity a reply needs; nil when meaning is off for this rule.
        public var threshold: Float?
        /// The near miss that set the threshold (for explanations).
        public var nearestMiss: String?
    }

    /// How far above its closest near miss a reply must be.
    public static let margin: Float = 0.015
    /// The lowest threshold: below it e5 similarities say "same topic", not "same step".
    public static let floor: Float = 0.88
    /// Above this the rule's samples are not distinct enough from its near misses.
    public static let ceiling: Float = 0.975
    /// Below its threshold, a reply still counts for the rule it is closest to when it is this much
    /// closer to it than to any other rule of the node and to any generic reply of either
    /// language, and at least `relativeFloor` similar to it.
    public static let relativeLead: Float = 0.04
    public static let relativeFloor: Float = 0.85
    /// The relative rule applies to replies of at most this many clauses.
    public static let relativeClauses = 2

    public let embedder: any SentenceEmbedder
    private let scenario: Scenario
    private let lock = NSLock()
    private var nodes: [String: [Target]] = [:]
    private var generic: [[Float]]?
    private var genericBoth: [[Float]]?

    public init(scenario: Scenario, embedder: any SentenceEmbedder) {
        self.scenario = scenario
        self.embedder = embedder
    }

    /// Builds every node's data (call from a background thread at the start of a session).
    public func prepare() {
        for node in scenario.nodes where !node.expect.isEmpty || !node.harmful.isEmpty { _ = targets(for: node) }
    }

    /// The reply's embedding (once per turn).
    public func embed(_ reply: String) -> [Float]? {
        let text = reply.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : embedder.embed(text)
    }

    /// The highest similarity of a reply vector to the generic replies of both languages.
    public func genericSimilarity(_ vector: [Float]) -> Float {
        lock.lock()
        if genericBoth == nil { genericBoth = vectors(GenericReplies.english + GenericReplies.russian) }
        let pool = genericBoth ?? []
        lock.unlock()
        return pool.map { cosineSimilarity(vector, $0) }.max() ?? -1
    }

    /// The intents and harmful rules of a node with their sample vectors and thresholds.
    public func targets(for node: Node) -> [Target] {
        lock.lock()
        defer { lock.unlock() }
        if let hit = nodes[node.id] { return hit }
        let built = build(node)
        nodes[node.id] = built
        return built
    }

    /// Similarity of a reply vector to a target: (best sample, similarity).
    public static func best(_ vector: [Float], _ target: Target) -> (sample: String, similarity: Float)? {
        var best: (String, Float)?
        for (s, v) in zip(target.samples, target.vectors) {
            let sim = cosineSimilarity(vector, v)
            if best == nil || sim > best!.1 { best = (s, sim) }
        }
        return best
    }

    private func vectors(_ texts: [String]) -> [[Float]] {
        embedder.embed(batch: texts).compactMap { $0 }
    }

    private func build(_ node: Node) -> [Target] {
        if generic == nil { generic = vectors(GenericReplies.lines(scenario.language)) }
        var targets: [Target] = []
        var counters: [[[Float]]] = []
        for intent in node.expect {
            let samples = intent.samples
            targets.append(Target(kind: .intent, id: intent.id, samples: samples, vectors: vectors(samples)))
            counters.append(vectors(intent.counterSamples))
        }
        for rule in node.harmful {
            targets.append(Target(kind: .harmful, id: rule.id, samples: rule.samples, vectors: vectors(rule.samples)))
            counters.append(vectors(rule.counterSamples))
        }
        let texts = targets.map(\.samples)
        let allCounterTexts = node.expect.map(\.counterSamples) + node.harmful.map(\.counterSamples)
        for i in targets.indices where !targets[i].vectors.isEmpty {
            var misses: [([Float], String)] = []
            for j in targets.indices where j != i {
                misses += zip(targets[j].vectors, texts[j]).map { ($0, $1) }
            }
            misses += zip(counters[i], allCounterTexts[i]).map { ($0, $1) }
            misses += zip(generic ?? [], GenericReplies.lines(scenario.language)).map { ($0, $1) }
            var highest: Float = -1
            var nearest: String?
            for (v, text) in misses {
                let sim = targets[i].vectors.map { cosineSimilarity(v, $0) }.max() ?? -1
                if sim > highest { highest = sim; nearest = text }
            }
            let threshold = max(Self.floor, highest + Self.margin)
            targets[i].threshold = threshold <= Self.ceiling ? threshold : nil
            targets[i].nearestMiss = nearest
        }
        return targets
    }
}

/// Replies that move no case forward — greetings, fillers, generic questions — in each language.
/// They calibrate every threshold: a step must be closer to its samples than these are.
enum GenericReplies {
    static func lines(_ language: Language) -> [String] {
        switch language {
        case .en: english
        case .ru: russian
        }
    }

    static let english = [
        "Hello, how can I help you today?", "One moment please.", "Let me look into it.", "Let me check that for you.",
        "I understand, that sounds frustrating.", "Thank you for your patience.", "Sorry to hear that.",
        "Could you tell me more about the problem?", "OK.", "Sure, no problem.", "I see.", "Is there anything else?",
        "Thanks for letting me know.", "Please hold on while I check.", "I'll do my best to help.",
        "Can you describe what happened?", "Alright, what do you see now?", "Great, thanks!",
        "I'm sorry for the inconvenience.", "Have a nice day.", "What seems to be the problem?",
        "Let me think about what we can do.", "Please try again.", "It should work now.", "Good question.",
    ]

    static let russian = [
        "Здравствуйте, чем могу помочь?", "Одну минуту, пожалуйста.", "Сейчас посмотрю.", "Давайте разберёмся.",
        "Понимаю, это неприятно.", "Спасибо за терпение.", "Жаль это слышать.",
        "Расскажите подробнее, что случилось?", "Хорошо.", "Конечно, без проблем.", "Понятно.", "Что-нибудь ещё?",
        "Спасибо, что сообщили.", "Подождите, пожалуйста, я проверю.", "Постараюсь помочь.",
        "Опишите, пожалуйста, что произошло.", "Так, а что сейчас на экране?", "Отлично, спасибо!",
        "Извините за неудобства.", "Всего доброго.", "В чём проблема?", "Давайте подумаем, что можно сделать.",
        "Попробуйте ещё раз.", "Сейчас должно заработать.", "Хороший вопрос.",
    ]
}
