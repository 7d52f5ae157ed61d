import Foundation
import GRDB
import SupportSimCore

/// A value read from the database that this version may not know: a newer SupportSim (or a hand edit)
/// can store a status, mode, language or ending that did not exist when this version was built.
/// Such a value is kept as `.unknown(raw)` so that the other rows and columns still read.
public enum StoredValue<Known: RawRepresentable & Sendable & Equatable>: Sendable, Equatable, Codable
where Known.RawValue == String {
    case known(Known)
    case unknown(String)

    public init(raw: String) {
        self = Known(rawValue: raw).map(StoredValue.known) ?? .unknown(raw)
    }

    /// The text as stored.
    public var rawValue: String {
        switch self {
        case .known(let value): value.rawValue
        case .unknown(let raw): raw
        }
    }

    /// The value, when this version knows it.
    public var known: Known? {
        if case .known(let value) = self { return value }
        return nil
    }

    public init(from decoder: any Decoder) throws {
        self.init(raw: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func == (lhs: StoredValue, rhs: Known) -> Bool { lhs.known == rhs }
    public static func != (lhs: StoredValue, rhs: Known) -> Bool { lhs.known != rhs }
}

/// An optional stored value (e.g. the ending of an attempt still open) against a known one.
public func == <K>(lhs: StoredValue<K>?, rhs: K) -> Bool { lhs?.known == rhs }
public func != <K>(lhs: StoredValue<K>?, rhs: K) -> Bool { lhs?.known != rhs }

/// An attempt is stored as `abandoned` when it starts and becomes `completed` only when it is
/// finished, so a session that is lost half-way stays `abandoned` with its turns kept.
public enum AttemptStatus: String, Sendable, Equatable, CaseIterable, Codable {
    case abandoned, completed
}

/// What is known about an attempt when it starts.
public struct NewAttempt: Sendable, Equatable {
    public var trainee: String
    public var scenarioID: String
    public var scenarioTitle: String
    public var scenarioVersion: Int
    /// The scenario's language.
    public var language: Language
    public var mode: PlayMode
    public var seed: UInt64
    public var startedAt: Date
    /// The language of the program's own messages, when it differs from the scenario's.
    public var interfaceLanguage: Language?
    /// The scenario's support line and tags (schema 6), for report filters; nil and empty when not known.
    public var line: SupportLine?
    public var tags: [String]
    /// SHA-256 of the scenario file (`ScenarioContentHash`), when known.
    public var scenarioHash: String?
    /// The scoring rules the attempt is scored by (`ScorerVersion.current` when nil).
    public var scorerVersion: Int?

    public init(
        trainee: String, scenarioID: String, scenarioTitle: String, scenarioVersion: Int = 1,
        language: Language, mode: PlayMode, seed: UInt64, startedAt: Date, interfaceLanguage: Language? = nil,
        line: SupportLine? = nil, tags: [String] = [], scenarioHash: String? = nil, scorerVersion: Int? = nil
    ) {
        self.trainee = trainee; self.scenarioID = scenarioID; self.scenarioTitle = scenarioTitle
        self.scenarioVersion = scenarioVersion; self.language = language; self.mode = mode; self.seed = seed
        self.startedAt = startedAt; self.interfaceLanguage = interfaceLanguage; self.line = line; self.tags = tags
        self.scenarioHash = scenarioHash; self.scorerVersion = scorerVersion
    }
}

/// One row of the `attempt` table, with the number of stored turns.
public struct AttemptRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var trainee: String
    public var scenarioID: String
    public var scenarioTitle: String
    public var scenarioVersion: Int
    public var language: StoredValue<Language>
    public var interfaceLanguage: StoredValue<Language>?
    public var mode: StoredValue<PlayMode>
    public var seed: UInt64
    public var startedAt: Date
    public var endedAt: Date?
    public var status: StoredValue<AttemptStatus>
    public var ending: StoredValue<EndingKind>?
    /// Category scores (0–100); nil when the category did not apply or the attempt was not scored.
    public var correctness: Int?
    public var politeness: Int?
    public var escalation: Int?
    /// Spelling score, when the scenario turns that category on.
    public var spelling: Int?
    public var total: Int?
    public var passMark: Int?
    public var passed: Bool?
    public var criticalCount: Int
    /// Turns stored for this attempt (counted when fetched), including turns taken back.
    public var turnCount: Int
    /// How many times turns were taken back with `/retry`.
    public var retries: Int = 0
    /// The node where the conversation ended, stored when the attempt is finished; nil for an attempt
    /// still open (or cut off) and for attempts stored before schema 4.
    public var finalNode: String?

    public init(
        id: Int64, trainee: String, scenarioID: String, scenarioTitle: String, scenarioVersion: Int = 1,
        language: Language, interfaceLanguage: Language? = nil, mode: PlayMode, seed: UInt64, startedAt: Date,
        endedAt: Date? = nil, status: AttemptStatus = .abandoned, ending: EndingKind? = nil,
        correctness: Int? = nil, politeness: Int? = nil, escalation: Int? = nil, total: Int? = nil,
        passMark: Int? = nil, passed: Bool? = nil, criticalCount: Int = 0, turnCount: Int = 0, retries: Int = 0
    ) {
        self.id = id; self.trainee = trainee; self.scenarioID = scenarioID; self.scenarioTitle = scenarioTitle
        self.scenarioVersion = scenarioVersion; self.language = .known(language)
        self.interfaceLanguage = interfaceLanguage.map(StoredValue.known)
        self.mode = .known(mode); self.seed = seed; self.startedAt = startedAt; self.endedAt = endedAt
        self.status = .known(status); self.ending = ending.map(StoredValue.known); self.correctness = correctness; self.politeness = politeness
        self.escalation = escalation; self.total = total; self.passMark = passMark; self.passed = passed
        self.criticalCount = criticalCount; self.turnCount = turnCount; self.retries = retries
    }

    /// The score of one category, if it was scored.
    public func score(_ category: Category) -> Int? {
        switch category {
        case .correctness: correctness
        case .politeness: politeness
        case .escalation: escalation
        case .spelling: spelling
        }
    }
}

extension AttemptRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "attempt"

    public enum Columns {
        public static let id = Column("id")
        public static let trainee = Column("trainee")
        public static let scenarioID = Column("scenario_id")
        public static let scenarioTitle = Column("scenario_title")
        public static let scenarioVersion = Column("scenario_version")
        public static let language = Column("language")
        public static let interfaceLanguage = Column("interface_language")
        public static let mode = Column("mode")
        public static let seed = Column("seed")
        public static let startedAt = Column("started_at")
        public static let endedAt = Column("ended_at")
        public static let status = Column("status")
        public static let ending = Column("ending")
        public static let correctness = Column("correctness")
        public static let politeness = Column("politeness")
        public static let escalation = Column("escalation")
        public static let spelling = Column("spelling")
        public static let total = Column("total")
        public static let passMark = Column("pass_mark")
        public static let passed = Column("passed")
        public static let criticalCount = Column("critical_count")
        public static let retries = Column("retries")
        public static let finalNode = Column("final_node")
    }

    /// Rows may carry a computed `turn_count` column; without it the count is 0.
    public init(row: Row) throws {
        typealias C = Columns
        id = row[C.id]
        trainee = row[C.trainee]
        scenarioID = row[C.scenarioID]
        scenarioTitle = row[C.scenarioTitle]
        scenarioVersion = row[C.scenarioVersion]
        language = StoredValue(raw: row[C.language])
        interfaceLanguage = (row[C.interfaceLanguage] as String?).map(StoredValue.init(raw:))
        mode = StoredValue(raw: row[C.mode])
        seed = UInt64(bitPattern: row[C.seed] as Int64)
        startedAt = row[C.startedAt]
        endedAt = row[C.endedAt]
        status = StoredValue(raw: row[C.status])
        ending = (row[C.ending] as String?).map(StoredValue.init(raw:))
        correctness = row[C.correctness]
        politeness = row[C.politeness]
        escalation = row[C.escalation]
        spelling = row[C.spelling]
        total = row[C.total]
        passMark = row[C.passMark]
        passed = row[C.passed]
        criticalCount = row[C.criticalCount]
        turnCount = row.hasColumn("turn_count") ? row["turn_count"] : 0
        retries = row.hasColumn("retries") ? row[C.retries] : 0
        finalNode = row.hasColumn("final_node") ? row[C.finalNode] : nil
    }

    public func encode(to container: inout PersistenceContainer) {
        typealias C = Columns
        container[C.id] = id
        container[C.trainee] = trainee
        container[C.scenarioID] = scenarioID
        container[C.scenarioTitle] = scenarioTitle
        container[C.scenarioVersion] = scenarioVersion
        container[C.language] = language.rawValue
        container[C.interfaceLanguage] = interfaceLanguage?.rawValue
        container[C.mode] = mode.rawValue
        container[C.seed] = Int64(bitPattern: seed)
        container[C.startedAt] = startedAt
        container[C.endedAt] = endedAt
        container[C.status] = status.rawValue
        container[C.ending] = ending?.rawValue
        container[C.correctness] = correctness
        container[C.politeness] = politeness
        container[C.escalation] = escalation
        container[C.spelling] = spelling
        container[C.total] = total
        container[C.passMark] = passMark
        container[C.passed] = passed
        container[C.criticalCount] = criticalCount
        container[C.retries] = retries
        container[C.finalNode] = finalNode
    }
}

/// One stored turn of an attempt.
public struct TurnRecord: Sendable, Equatable, Codable {
    public var attemptID: Int64
    /// 1-based, over everything stored for the attempt (see `Turn.index`).
    public var index: Int
    /// The turn number shown to the trainee (see `Turn.number`).
    public var number: Int?
    /// Taken back with `/retry`: kept for the record, but not part of the conversation.
    public var retracted: Bool = false
    public var input: TraineeInput
    /// What the trainee typed (`input.text`), kept as plain text for searching.
    public var text: String
    public var node: String
    public var moodBefore: Mood
    public var events: [EngineEvent]
    public var elapsed: Double
    public var recordedAt: Date
    /// The node after the turn (`node` is the node before it); nil for turns stored before schema 4.
    public var nodeAfter: String?
    /// The nodes the turn moved to, in order (see `Turn.arrivals`); nil for turns stored before schema 4.
    public var arrivals: [String]?

    public init(attemptID: Int64, turn: Turn, recordedAt: Date) {
        self.attemptID = attemptID; index = turn.index; number = turn.number; input = turn.input; text = turn.input.text
        node = turn.node; moodBefore = turn.moodBefore; events = turn.events; elapsed = turn.elapsed
        self.recordedAt = recordedAt; nodeAfter = turn.nodeAfter; arrivals = turn.arrivals
    }

    /// The engine's form of this turn.
    public var turn: Turn {
        Turn(index: index, number: number, input: input, node: node, moodBefore: moodBefore, events: events,
             elapsed: elapsed, nodeAfter: nodeAfter, arrivals: arrivals)
    }
}

extension TurnRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "turn"

    public enum Columns {
        public static let attemptID = Column("attempt_id")
        public static let index = Column("turn_index")
        public static let input = Column("input")
        public static let text = Column("text")
        public static let node = Column("node")
        public static let moodBefore = Column("mood_before")
        public static let events = Column("events")
        public static let elapsed = Column("elapsed")
        public static let recordedAt = Column("recorded_at")
        public static let number = Column("number")
        public static let retracted = Column("retracted")
        public static let nodeAfter = Column("node_after")
        public static let arrivals = Column("arrivals")
    }

    public init(row: Row) throws {
        typealias C = Columns
        attemptID = row[C.attemptID]
        index = row[C.index]
        number = row.hasColumn("number") ? row[C.number] : nil
        retracted = row.hasColumn("retracted") ? row[C.retracted] : false
        let where_ = "turn \(index) of attempt \(attemptID)"
        do {
            input = try JSONDecoder().decode(TraineeInput.self, from: Data((row[C.input] as String).utf8))
            events = try JSONDecoder().decode([EngineEvent].self, from: Data((row[C.events] as String).utf8))
        } catch {
            throw StoreError.unreadableData("\(where_) cannot be decoded (\(error))")
        }
        text = row[C.text]
        node = row[C.node]
        let moodName: String = row[C.moodBefore]
        guard let mood = Mood(name: moodName) else {
            throw StoreError.unreadableData("\(where_) has an unknown mood \"\(moodName)\"")
        }
        moodBefore = mood
        elapsed = row[C.elapsed]
        recordedAt = row[C.recordedAt]
        nodeAfter = row.hasColumn("node_after") ? row[C.nodeAfter] : nil
        if row.hasColumn("arrivals"), let json = row[C.arrivals] as String? {
            do {
                arrivals = try JSONDecoder().decode([String].self, from: Data(json.utf8))
            } catch {
                throw StoreError.unreadableData("\(where_) has unreadable arrivals (\(error))")
            }
        } else {
            arrivals = nil
        }
    }

    public func encode(to container: inout PersistenceContainer) throws {
        typealias C = Columns
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        container[C.attemptID] = attemptID
        container[C.index] = index
        container[C.input] = String(decoding: try encoder.encode(input), as: UTF8.self)
        container[C.text] = text
        container[C.node] = node
        container[C.moodBefore] = moodBefore.name
        container[C.events] = String(decoding: try encoder.encode(events), as: UTF8.self)
        container[C.elapsed] = elapsed
        container[C.recordedAt] = recordedAt
        container[C.number] = number
        container[C.retracted] = retracted
        container[C.nodeAfter] = nodeAfter
        container[C.arrivals] = try arrivals.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
    }
}

/// One line of a score explanation, as stored.
public struct EvidenceRecord: Sendable, Equatable, Codable {
    public var attemptID: Int64
    /// Order within the attempt, from 1.
    public var position: Int
    /// The category the evidence belongs to; nil for critical errors, which fail the whole attempt.
    public var category: StoredValue<Category>?
    public var kind: StoredValue<Evidence.Kind>
    public var points: Int
    public var turn: Int?
    public var quote: String?
    public var rule: String
    public var message: String
    /// The model answer of a step missed or not recognised (see `Evidence.modelAnswer`).
    public var modelAnswer: String?
    /// The points as written in the scenario and the scenario points possible (see `Evidence.scale`).
    public var scale: PointScale?
    /// False for evidence stored before schema 5, which kept neither model answers nor scales
    /// (`modelAnswer` and `scale` are then nil because they are not known, not because there are none).
    public var detailsStored: Bool = true

    public init(attemptID: Int64, position: Int, category: Category?, evidence: Evidence) {
        self.attemptID = attemptID; self.position = position; self.category = category.map(StoredValue.known)
        kind = .known(evidence.kind); points = evidence.points; turn = evidence.turn; quote = evidence.quote
        rule = evidence.rule; message = evidence.message; modelAnswer = evidence.modelAnswer; scale = evidence.scale
    }

    /// The scorer's form of this line; nil when its kind was written by a newer version.
    public var evidence: Evidence? {
        kind.known.map {
            Evidence($0, points: points, turn: turn, quote: quote, rule: rule, message: message,
                     modelAnswer: modelAnswer, scale: scale)
        }
    }
}

extension EvidenceRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "evidence"

    public enum Columns {
        public static let attemptID = Column("attempt_id")
        public static let position = Column("position")
        public static let category = Column("category")
        public static let kind = Column("kind")
        public static let points = Column("points")
        public static let turn = Column("turn")
        public static let quote = Column("quote")
        public static let rule = Column("rule")
        public static let message = Column("message")
    }

    public init(row: Row) throws {
        typealias C = Columns
        attemptID = row[C.attemptID]
        position = row[C.position]
        kind = StoredValue(raw: row[C.kind])
        category = (row[C.category] as String?).map(StoredValue.init(raw:))
        points = row[C.points]
        turn = row[C.turn]
        quote = row[C.quote]
        rule = row[C.rule]
        message = row[C.message]
        (modelAnswer, scale, detailsStored) = Self.details(row)
    }

    public func encode(to container: inout PersistenceContainer) {
        typealias C = Columns
        container[C.attemptID] = attemptID
        container[C.position] = position
        container[C.category] = category?.rawValue
        container[C.kind] = kind.rawValue
        container[C.points] = points
        container[C.turn] = turn
        container[C.quote] = quote
        container[C.rule] = rule
        container[C.message] = message
        encodeDetails(to: &container)
    }
}

/// The way an attempt went through the scenario's nodes, read from its stored turns.
public struct AttemptPath: Sendable, Equatable {
    /// The node ids in order, from the node of the first turn (the start node) to the last one
    /// reached; a node is listed again when the conversation comes back to it. Nil when some turn
    /// that counts was stored before paths were recorded (schema 4), so the path is not known.
    public var nodes: [String]?
    /// Where the conversation ended: as stored when the attempt was finished, else the node after
    /// the last turn (an attempt cut off), else nil (not known).
    public var finalNode: String?

    public init(nodes: [String]?, finalNode: String?) { self.nodes = nodes; self.finalNode = finalNode }

    /// Builds the path from stored turns in order; turns taken back with `/retry` are left out.
    public init(turns: [TurnRecord], finalNode stored: String?) {
        self.init(steps: turns.map { PathStep(node: $0.node, nodeAfter: $0.nodeAfter, arrivals: $0.arrivals, retracted: $0.retracted) },
                  finalNode: stored)
    }

    /// What a turn says about the path (read without decoding the turn's input and events).
    struct PathStep {
        var node: String
        var nodeAfter: String?
        var arrivals: [String]?
        var retracted: Bool
    }

    init(steps turns: [PathStep], finalNode stored: String?) {
        let standing = turns.filter { !$0.retracted }
        var nodes: [String]? = []
        for turn in standing {
            guard let after = turn.nodeAfter else { nodes = nil; break }
            if nodes?.isEmpty == true { nodes = [turn.node] }
            if let arrivals = turn.arrivals {
                nodes? += arrivals
            } else if nodes?.last != after {
                nodes?.append(after)
            }
        }
        if nodes?.isEmpty == true, let stored { nodes = [stored] }
        self.nodes = nodes
        finalNode = stored ?? (nodes == nil ? nil : standing.last?.nodeAfter)
    }
}
