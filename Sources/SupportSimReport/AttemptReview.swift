import Foundation
import SupportSimCore
import SupportSimStore

/// One stored attempt laid out for review (`supportsim show`): the conversation turn by turn with
/// each scored event beside the reply that caused it, the path, the ending and the scores with the
/// model answer of every step where points were lost. Built from what the store keeps, optionally
/// completed by a replay of the attempt (`Replay`) for what older attempts did not keep.
/// Pure: values in, values out; the renderers (`AttemptReviewRenderer`) turn it into text, JSON or HTML.
public struct AttemptReview: Sendable, Equatable {
    /// One line of score evidence, with what the reply said to cause it.
    public struct Annotation: Sendable, Equatable {
        /// The category ("correctness", …); nil for a critical error, which fails the whole attempt.
        public var category: StoredValue<Category>?
        public var kind: StoredValue<Evidence.Kind>
        /// The rule or intent that fired ("intent:ask_printer", "harmful:blame", "politeness:insult").
        public var rule: String
        public var message: String
        /// Points on the category's 0–100 scale, as they count in the score.
        public var points: Int
        /// Points as written in the scenario and the scenario points possible in the attempt; nil
        /// when the points were not scaled (politeness, escalation) or not known (see `missing`).
        public var scale: PointScale?
        /// The conversation turn (the number the trainee saw), nil for evidence about the whole attempt.
        public var turn: Int?
        /// The trainee's words the evidence quotes.
        public var quote: String?
        /// The parts of the reply that caused it (matched phrases, the sentence judged): highlighted.
        public var spans: [String]
        /// For a step missed or not recognised: how it could have been said.
        public var modelAnswer: String?

        public var isLoss: Bool { kind == .deduction || kind == .critical }
    }

    /// Something else that happened in a turn (not scored by itself).
    public enum Note: Sendable, Equatable {
        case moodChanged(from: Mood, to: Mood)
        case demandsManager
        case escalated(target: String, note: String, accepted: Bool)
        /// A `/refer` to a referral target (not an escalation); refused ones leave the conversation going.
        case referred(target: String, note: String, accepted: Bool)
        case closedEarly
        case hint(String?)
        case knowledgeBase(titles: [String])
        case choices([String])
        case rejected(String)
        case noMatch
        case clarify
        case wrongFact(fact: String, value: String?)
        case ended(EndingKind)
    }

    public struct TurnEntry: Sendable, Equatable {
        /// The stored sequence number (also look-ups and turns taken back).
        public var index: Int
        /// The number shown to the trainee; nil for `/kb`, `/hint` and turns taken back.
        public var number: Int?
        /// Taken back with `/retry`: kept for the record, not part of the conversation or the score.
        public var retracted: Bool
        /// What the trainee typed ("/escalate …" for commands).
        public var text: String
        /// The command word for actions and look-ups ("escalate", "close", "hint", "kb"); nil for replies.
        public var command: String?
        public var nodeBefore: String
        /// Nil for turns stored before paths were recorded.
        public var nodeAfter: String?
        public var moodBefore: Mood
        /// Seconds since the session started.
        public var elapsed: Double
        /// What the customer said after the reply.
        public var customerLines: [String]
        public var notes: [Note]
        public var annotations: [Annotation]
    }

    /// What could not be shown, and why (stable codes; see docs/reports.md).
    public enum Missing: String, Sendable, Equatable, CaseIterable {
        /// The customer's opening line is not stored; it comes from the scenario file.
        case opening
        /// Model answers and scenario points of evidence stored before schema 5.
        case evidenceDetails = "evidence_details"
        /// The path of attempts stored before schema 4.
        case path
    }

    /// What a replay of the attempt (same scenario version and seed, stored inputs) gave: the
    /// opening and the score card, to fill in what older attempts did not store.
    public struct Replay: Sendable, Equatable {
        public var opening: [EngineEvent]
        /// Nil when only the opening was replayed.
        public var card: ScoreCard?
        public init(opening: [EngineEvent], card: ScoreCard? = nil) { self.opening = opening; self.card = card }
    }

    public struct CategoryEntry: Sendable, Equatable {
        public var category: StoredValue<Category>
        /// As stored (0–100); nil when not scored.
        public var score: Int?
        public var annotations: [Annotation]
    }

    public var attempt: AttemptRecord
    /// The customer's opening lines; nil when not known (`missing` has `.opening`).
    public var opening: [String]?
    public var turns: [TurnEntry]
    public var path: AttemptPath
    public var categories: [CategoryEntry]
    public var critical: [Annotation]
    public var missing: [Missing]
    /// Managers' overrides and later rescorings (`attempt` then carries the latest automatic scores
    /// and `originalScores` those stored at play time).
    public var audit: AttemptAudit? = nil
    public var originalScores: AttemptRecord? = nil

    public var isAbandoned: Bool { attempt.status == .abandoned }
    /// The total as it counts: only a completed attempt has one (what was played of an abandoned
    /// attempt is not a result; a status written by a newer version is not taken for one).
    public var total: Int? { attempt.status == .completed ? attempt.total : nil }
    public var passed: Bool? { attempt.status == .completed ? attempt.passed : nil }

    public init(_ stored: StoredAttempt, replay: Replay? = nil) {
        attempt = stored.record
        path = stored.path
        var missing: [Missing] = []

        // Evidence, with details from the replay where the store has none.
        let replayed = replay?.card.map { card in
            card.categories.flatMap(\.evidence) + card.critical
        } ?? []
        var lacksDetails = false
        var annotations: [Annotation] = stored.evidence.map { record in
            var modelAnswer = record.modelAnswer, scale = record.scale
            if !record.detailsStored {
                if let twin = replayed.first(where: {
                    $0.rule == record.rule && $0.turn == record.turn && $0.kind.rawValue == record.kind.rawValue
                }) {
                    modelAnswer = twin.modelAnswer; scale = twin.scale
                } else if replay?.card == nil {
                    lacksDetails = true
                }
            }
            return Annotation(category: record.category, kind: record.kind, rule: record.rule, message: record.message,
                              points: record.points, scale: scale, turn: record.turn, quote: record.quote, spans: [],
                              modelAnswer: modelAnswer)
        }
        if lacksDetails { missing.append(.evidenceDetails) }

        // Turns, with the spans of the evidence found in their events.
        var turns: [TurnEntry] = []
        for record in stored.turns {
            var customer: [String] = [], notes: [Note] = []
            var matches: [String: [String]] = [:]
            var politeness: [String: [String]] = [:]
            for event in record.events {
                switch event {
                case .customerSays(let line): customer.append(line)
                case .intentMatched(let intent, _, _, _, let matched): matches["intent:" + intent, default: []] += matched
                case .harmful(let rule, _, _, let matched): matches["harmful:" + rule, default: []] += matched
                case .critical(let rule, _, let matched): matches["critical:" + rule, default: []] += matched
                case .politeness(let hits):
                    for hit in hits { politeness["politeness:" + hit.strategy, default: []].append(hit.span) }
                case .fallback: notes.append(.noMatch)
                case .clarify: notes.append(.clarify)
                case .wrongFact(_, let fact, let value, _): notes.append(.wrongFact(fact: fact, value: value))
                case .moodChanged(let from, let to): notes.append(.moodChanged(from: from, to: to))
                case .demandsManager: notes.append(.demandsManager)
                case .escalated(let target, let note, let accepted):
                    notes.append(.escalated(target: target, note: note, accepted: accepted))
                case .referred(let target, let note, let accepted):
                    notes.append(.referred(target: target, note: note, accepted: accepted))
                case .closedEarly: notes.append(.closedEarly)
                case .hint(let text): notes.append(.hint(text))
                case .noHint: notes.append(.hint(nil))
                case .kbResults(let found): notes.append(.knowledgeBase(titles: found.map(\.title)))
                case .choices(let items): notes.append(.choices(items))
                case .rejected(let reason): notes.append(.rejected(reason))
                case .ended(let ending): notes.append(.ended(ending))
                }
            }
            var own: [Annotation] = []
            if !record.retracted, let number = record.number {
                for i in annotations.indices where annotations[i].turn == number {
                    annotations[i].spans = Self.spans(of: annotations[i], in: record.input.text,
                                                      matches: matches, politeness: politeness)
                    own.append(annotations[i])
                }
            }
            turns.append(TurnEntry(
                index: record.index, number: record.retracted ? nil : record.number, retracted: record.retracted,
                text: record.input.text, command: Self.command(record.input), nodeBefore: record.node,
                nodeAfter: record.nodeAfter, moodBefore: record.moodBefore, elapsed: record.elapsed,
                customerLines: customer, notes: notes, annotations: own))
        }
        self.turns = turns

        var categories: [CategoryEntry] = []
        for category in Category.allCases {
            let own = annotations.filter { $0.category == category }
            let score = stored.record.score(category)
            if score != nil || !own.isEmpty {
                categories.append(CategoryEntry(category: .known(category), score: score, annotations: own))
            }
        }
        // Categories written by a newer version keep their evidence (without a score this version can read).
        var unknown: [String] = []
        for a in annotations {
            if case .unknown(let raw)? = a.category, !unknown.contains(raw) { unknown.append(raw) }
        }
        for raw in unknown {
            categories.append(CategoryEntry(category: .unknown(raw), score: nil,
                                            annotations: annotations.filter { $0.category?.rawValue == raw }))
        }
        self.categories = categories
        critical = annotations.filter { $0.category == nil }

        if let replay {
            opening = replay.opening.compactMap { if case .customerSays(let line) = $0 { line } else { nil } }
        } else {
            opening = nil
            missing.insert(.opening, at: 0)
        }
        if path.nodes == nil { missing.append(.path) }
        self.missing = missing
    }

    /// Every annotation, in stored order (categories, then critical errors).
    public var annotations: [Annotation] { categories.flatMap(\.annotations) + critical }

    /// Lost points with a model answer, in order: the steps a trainee should learn. The same step
    /// missed on several turns (same message and answer) is listed once, at its first turn.
    public var modelAnswers: [Annotation] {
        var seen: Set<[String]> = []
        return annotations.filter { a in
            guard a.isLoss, let answer = a.modelAnswer, !answer.isEmpty else { return false }
            return seen.insert([a.message, answer]).inserted
        }
    }

    private static func command(_ input: TraineeInput) -> String? {
        switch input {
        case .reply, .choice: nil
        case .escalate: "escalate"
        case .refer: "refer"
        case .close: "close"
        case .hint: "hint"
        case .kb: "kb"
        }
    }

    /// The parts of `text` that caused the evidence: the phrases its rule matched, else the
    /// quote when that is part of the reply (not all of it), else the spans of the politeness
    /// strategy it names. Evidence about something missing (no greeting) has none.
    static func spans(of a: Annotation, in text: String, matches: [String: [String]],
                      politeness: [String: [String]]) -> [String] {
        var found = (matches[a.rule] ?? []).filter { !$0.isEmpty && text.range(of: $0, options: .caseInsensitive) != nil }
        if found.isEmpty, let quote = a.quote, !quote.isEmpty, quote != text,
           text.range(of: quote, options: .caseInsensitive) != nil
        {
            found = [quote]
        }
        if found.isEmpty {
            found = (politeness[a.rule] ?? []).filter {
                !$0.isEmpty && $0 != text && text.range(of: $0, options: .caseInsensitive) != nil
            }
        }
        var unique: [String] = []
        for s in found where !unique.contains(s) { unique.append(s) }
        return unique
    }

    /// `text` cut into pieces, each marked when it lies in one of `spans` (case-insensitive, every
    /// occurrence; overlapping spans merge). The renderers sanitise or escape each piece.
    public static func highlight(_ text: String, spans: [String]) -> [(text: String, marked: Bool)] {
        var ranges: [Range<String.Index>] = []
        for span in spans where !span.isEmpty {
            var from = text.startIndex
            while from < text.endIndex, let r = text.range(of: span, options: .caseInsensitive, range: from..<text.endIndex) {
                ranges.append(r)
                from = r.upperBound
            }
        }
        guard !ranges.isEmpty else { return [(text, false)] }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<String.Index>] = []
        for r in ranges {
            if let last = merged.last, r.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        var pieces: [(String, Bool)] = []
        var at = text.startIndex
        for r in merged {
            if at < r.lowerBound { pieces.append((String(text[at..<r.lowerBound]), false)) }
            pieces.append((String(text[r]), true))
            at = r.upperBound
        }
        if at < text.endIndex { pieces.append((String(text[at...]), false)) }
        return pieces
    }
}
