import Foundation
import GRDB
import SupportSimCore

// What `supportsim show` reads: one attempt with everything stored about it, and the schema-5
// evidence details (model answers and point scales) it needs.

extension AttemptDatabase {
    /// Schema 5: evidence keeps the model answer of a missed step and the points as the scenario
    /// writes them with the points possible (`Evidence.modelAnswer`, `Evidence.scale`). Rows stored
    /// before keep `details_stored = 0`: their details are not known (not "none"), and `show` fills
    /// them by replaying the attempt when the scenario file is at hand.
    static func migrateEvidenceDetails(_ db: Database) throws {
        try db.alter(table: "evidence") { t in
            t.add(column: "model_answer", .text)
            t.add(column: "scale_written", .integer)
            t.add(column: "scale_possible", .integer)
            t.add(column: "details_stored", .boolean).notNull().defaults(to: false)
        }
        try db.execute(sql: "PRAGMA user_version = 5")
    }
}

/// One attempt as stored: its row, every turn (also those taken back), its score evidence and its path.
public struct StoredAttempt: Sendable, Equatable {
    public var record: AttemptRecord
    public var turns: [TurnRecord]
    public var evidence: [EvidenceRecord]
    public var path: AttemptPath

    public init(record: AttemptRecord, turns: [TurnRecord], evidence: [EvidenceRecord], path: AttemptPath) {
        self.record = record; self.turns = turns; self.evidence = evidence; self.path = path
    }

    /// True when some evidence was stored before schema 5, so model answers and scales are not known.
    public var lacksEvidenceDetails: Bool { evidence.contains { !$0.detailsStored } }
}

extension EvidenceRecord {
    enum DetailColumns {
        static let modelAnswer = Column("model_answer")
        static let scaleWritten = Column("scale_written")
        static let scalePossible = Column("scale_possible")
        static let detailsStored = Column("details_stored")
    }

    /// The schema-5 columns of a row; a database read before its migration has none of them.
    static func details(_ row: Row) -> (String?, PointScale?, Bool) {
        typealias C = DetailColumns
        guard row.hasColumn("details_stored") else { return (nil, nil, false) }
        let written: Int? = row[C.scaleWritten]
        let possible: Int? = row[C.scalePossible]
        let scale = written.flatMap { w in possible.map { PointScale(written: w, possible: $0) } }
        return (row[C.modelAnswer], scale, row[C.detailsStored])
    }

    func encodeDetails(to container: inout PersistenceContainer) {
        typealias C = DetailColumns
        container[C.modelAnswer] = modelAnswer
        container[C.scaleWritten] = scale?.written
        container[C.scalePossible] = scale?.possible
        container[C.detailsStored] = true
    }
}
