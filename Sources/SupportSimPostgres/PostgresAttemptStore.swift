#if Postgres
import Foundation
import PostgresNIO
import SupportSimCore
import SupportSimStore

/// The attempts on a shared PostgreSQL server (`--db postgres://…`), for several sites writing to one store.
///
/// Every write is one transaction, as in the SQLite store. The connection is made on first use and
/// made again after the server closed it, so a session goes on once the server is back; while it is
/// away, writes throw and the session keeps its turns in the local journal (`ReliableRecorder`).
public final class PostgresAttemptStore: AttemptStore, @unchecked Sendable {
    public let url: PostgresURL
    let link: PostgresLink

    public var location: String { url.redacted }

    /// Connects and checks the schema. With `migrate`, missing tables are created (this needs a role
    /// that may create tables); a database written by a newer SupportSim is refused either way.
    public init(url: PostgresURL, migrate: Bool = true) throws {
        self.url = url
        self.link = PostgresLink(url: url)
        do {
            let found = try schemaVersion()
            if found > PostgresSchema.version {
                throw StoreError.newerVersion(path: url.redacted, found: found, known: PostgresSchema.version)
            }
            if found < PostgresSchema.version {
                guard migrate else {
                    throw StoreError.cannotOpen(
                        path: url.redacted,
                        reason: "its SupportSim tables are missing or older (schema \(found), this version writes \(PostgresSchema.version)); "
                            + "run `supportsim db migrate --db URL` as the database owner")
                }
                try self.migrate()
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.cannotOpen(path: url.redacted, reason: PostgresLink.reason(error))
        }
    }

    /// Closes the connection now (it is also closed when the store goes away).
    public func close() { link.close() }

    /// The schema version stored in the database; 0 when it has no SupportSim tables.
    public func schemaVersion() throws -> Int {
        try link.withConnection { session in
            let exists = try session.query(Statement("SELECT to_regclass('supportsim_schema') IS NOT NULL AS present"))
            guard let row = exists.first, try row.makeRandomAccess().value("present", as: Bool.self) else { return 0 }
            let rows = try session.query(Statement("SELECT MAX(version) AS version FROM supportsim_schema"))
            return try rows.first.flatMap { try $0.makeRandomAccess().optional("version", as: Int.self) } ?? 0
        }
    }

    /// Brings the tables up to this version's schema, once even when many sessions start together.
    public func migrate() throws {
        try perform("create or update the SupportSim tables") {
            try link.transaction { session in
                var lock = Statement()
                lock.sql = "SELECT pg_advisory_xact_lock(\(lock.bind(PostgresSchema.migrationLock)))"
                try session.query(lock)
                try session.execute("CREATE TABLE IF NOT EXISTS supportsim_schema (version INTEGER NOT NULL)")
                let rows = try session.query(Statement("SELECT COALESCE(MAX(version), 0) AS version FROM supportsim_schema"))
                let found = try rows.first.map { try $0.makeRandomAccess().value("version", as: Int.self) } ?? 0
                if found > PostgresSchema.version {
                    throw StoreError.newerVersion(path: url.redacted, found: found, known: PostgresSchema.version)
                }
                for (index, statements) in PostgresSchema.migrations.enumerated() where index + 1 > found {
                    for sql in statements { try session.execute(sql) }
                }
                if found < PostgresSchema.version {
                    try session.execute("DELETE FROM supportsim_schema")
                    try session.execute("INSERT INTO supportsim_schema (version) VALUES (\(PostgresSchema.version))")
                }
            }
        }
    }

    /// Applies the SQL of `PostgresSchema.rolesSQL` (as the owner of the tables).
    public func setUpRoles(trainees: [String], managers: [String]) throws {
        try perform("set up the roles") {
            try link.transaction { session in
                for sql in PostgresSchema.rolesStatements(trainees: trainees, managers: managers) { try session.execute(sql) }
            }
        }
    }

    // MARK: - Writes

    public func startAttempt(_ new: NewAttempt) throws -> Int64 {
        try perform("start an attempt of \(new.scenarioID) for \(new.trainee)") {
            try link.transaction { session in try Self.insertAttempt(session, new) }
        }
    }

    public func recordTurn(attemptID: Int64, turn: Turn, at date: Date) throws {
        let operation = "save turn \(turn.index) of attempt #\(attemptID)"
        try perform(operation) {
            try link.transaction { session in
                try Self.requireOpenAttempt(session, attemptID)
                var check = Statement()
                check.sql = "SELECT input FROM turn WHERE attempt_id = \(check.bind(attemptID)) AND turn_index = \(check.bind(turn.index))"
                if let row = try session.query(check).first?.makeRandomAccess() {
                    // The same turn again: an earlier write went through but its answer was lost (a retry).
                    let stored = try row.value("input", as: String.self)
                    if (try? JSONDecoder().decode(TraineeInput.self, from: Data(stored.utf8))) == turn.input { return }
                    throw StoreError.failed(operation: operation, reason: "another turn \(turn.index) is already stored")
                }
                try Self.insertTurn(session, TurnRecord(attemptID: attemptID, turn: turn, recordedAt: date))
            }
        }
    }

    public func retractTurns(attemptID: Int64, fromIndex: Int) throws {
        try perform("take back turns of attempt #\(attemptID)") {
            try link.transaction { session in
                try Self.requireOpenAttempt(session, attemptID)
                var update = Statement()
                update.sql = "UPDATE turn SET retracted = true WHERE attempt_id = \(update.bind(attemptID)) "
                    + "AND turn_index >= \(update.bind(fromIndex)) AND NOT retracted RETURNING turn_index"
                guard try !session.query(update).isEmpty else {
                    throw StoreError.failed(operation: "take back turns of attempt #\(attemptID)",
                                            reason: "there is no stored turn from turn \(fromIndex) on")
                }
                var retries = Statement()
                retries.sql = "UPDATE attempt SET retries = retries + 1 WHERE id = \(retries.bind(attemptID))"
                try session.query(retries)
            }
        }
    }

    public func reopenAttempt(id: Int64) throws {
        try perform("reopen attempt #\(id)") {
            try link.transaction { session in
                var select = Statement()
                select.sql = "SELECT status FROM attempt WHERE id = \(select.bind(id)) FOR UPDATE"
                guard let row = try session.query(select).first?.makeRandomAccess() else { throw StoreError.attemptNotFound(id) }
                guard try row.value("status", as: String.self) == AttemptStatus.abandoned.rawValue else {
                    throw StoreError.attemptCompleted(id)
                }
                var update = Statement()
                update.sql = """
                    UPDATE attempt SET ended_at = NULL, ending = NULL, correctness = NULL, politeness = NULL,
                        escalation = NULL, spelling = NULL, total = NULL, pass_mark = NULL, passed = NULL,
                        critical_count = 0, final_node = NULL
                    WHERE id = \(update.bind(id))
                    """
                try session.query(update)
                var delete = Statement()
                delete.sql = "DELETE FROM evidence WHERE attempt_id = \(delete.bind(id))"
                try session.query(delete)
            }
        }
    }

    public func finishAttempt(id: Int64, ending: EndingKind, card: ScoreCard?, finalNode: String?, at date: Date) throws {
        try perform("finish attempt #\(id)") {
            try link.transaction { session in
                try Self.finish(session, id: id, ending: ending, card: card, finalNode: finalNode, at: date)
            }
        }
    }

    public func importAttempt(
        existingID: Int64?, _ new: NewAttempt, turns: [Turn], ending: EndingKind?, card: ScoreCard?,
        finalNode: String?, at date: Date
    ) throws -> ImportResult {
        try perform("import the attempt of \(new.scenarioID) for \(new.trainee)") {
            try link.transaction { session in
                var attemptID: Int64
                var created = false
                var missing = turns
                var existing = Statement()
                if let existingID {
                    existing.sql = "SELECT trainee, scenario_id, seed, ended_at FROM attempt WHERE id = \(existing.bind(existingID)) FOR UPDATE"
                }
                if let existingID, let row = try session.query(existing).first?.makeRandomAccess() {
                    try StoreRules.checkImportTarget(existingID, trainee: try row.value("trainee"), scenarioID: try row.value("scenario_id"),
                                                     seed: try row.value("seed"), new)
                    attemptID = existingID
                    var stored: [Int: TraineeInput] = [:]
                    var turnQuery = Statement()
                    turnQuery.sql = "SELECT turn_index, input FROM turn WHERE attempt_id = \(turnQuery.bind(existingID))"
                    for turn in try session.query(turnQuery) {
                        let turn = turn.makeRandomAccess()
                        let input = try JSONDecoder().decode(
                            TraineeInput.self, from: Data(try turn.value("input", as: String.self).utf8))
                        stored[try turn.value("turn_index", as: Int.self)] = input
                    }
                    let ended = try row.optional("ended_at", as: Date.self) != nil
                    guard let toAdd = try StoreRules.turnsToImport(turns, stored: stored, ended: ended, attemptID: existingID)
                    else { return ImportResult(attemptID: existingID, created: false, addedTurns: [], finished: true) }
                    missing = toAdd
                } else {
                    attemptID = try Self.insertAttempt(session, new)
                    created = true
                }
                for turn in missing {
                    try Self.insertTurn(session, TurnRecord(attemptID: attemptID, turn: turn, recordedAt: date))
                }
                if let ending {
                    try Self.finish(session, id: attemptID, ending: ending, card: card, finalNode: finalNode, at: date)
                }
                return ImportResult(attemptID: attemptID, created: created, addedTurns: missing.map(\.index), finished: ending != nil)
            }
        }
    }

    @discardableResult
    public func addOverride(
        attemptID: Int64, category: Category, score: Int, reason: String, by: String, at date: Date
    ) throws -> ScoreOverride {
        let reason = try StoreRules.checkOverride(attemptID: attemptID, score: score, reason: reason)
        return try perform("override attempt #\(attemptID)") {
            try link.transaction { session in
                var exists = Statement()
                exists.sql = "SELECT 1 AS one FROM attempt WHERE id = \(exists.bind(attemptID))"
                guard try !session.query(exists).isEmpty else { throw StoreError.attemptNotFound(attemptID) }
                var insert = Statement()
                insert.sql = """
                    INSERT INTO score_override (attempt_id, category, score, reason, overridden_by, created_at)
                    VALUES (\(insert.bind(attemptID)), \(insert.bind(category.rawValue)), \(insert.bind(score)),
                        \(insert.bind(reason)), \(insert.bind(by)), \(insert.bind(date)))
                    RETURNING id
                    """
                let id = try session.query(insert).first.map { try $0.makeRandomAccess().value("id", as: Int64.self) } ?? 0
                return ScoreOverride(id: id, attemptID: attemptID, category: .known(category),
                                     score: score, reason: reason, by: by, at: date)
            }
        }
    }

    // MARK: - Write helpers

    static func insertAttempt(_ session: Session, _ new: NewAttempt) throws -> Int64 {
        var s = Statement()
        s.sql = """
            INSERT INTO attempt (trainee, scenario_id, scenario_title, scenario_version, language,
                interface_language, mode, seed, started_at, status, critical_count, line, scenario_hash, scorer_version)
            VALUES (\(s.bind(new.trainee)), \(s.bind(new.scenarioID)), \(s.bind(new.scenarioTitle)),
                \(s.bind(new.scenarioVersion)), \(s.bind(new.language.rawValue)), \(s.bind(new.interfaceLanguage?.rawValue)),
                \(s.bind(new.mode.rawValue)), \(s.bind(Int64(bitPattern: new.seed))), \(s.bind(new.startedAt)),
                \(s.bind(AttemptStatus.abandoned.rawValue)), 0, \(s.bind(new.line?.rawValue)), \(s.bind(new.scenarioHash)),
                \(s.bind(new.scorerVersion ?? ScorerVersion.current)))
            RETURNING id
            """
        guard let row = try session.query(s).first else {
            throw StoreError.failed(operation: "start an attempt", reason: "the server returned no id")
        }
        let id = try row.makeRandomAccess().value("id", as: Int64.self)
        for tag in Set(new.tags).sorted() {
            var t = Statement()
            t.sql = "INSERT INTO attempt_tag (attempt_id, tag) VALUES (\(t.bind(id)), \(t.bind(tag)))"
            try session.query(t)
        }
        return id
    }

    static func insertTurn(_ session: Session, _ record: TurnRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let input = String(decoding: try encoder.encode(record.input), as: UTF8.self)
        let events = String(decoding: try encoder.encode(record.events), as: UTF8.self)
        let arrivals = try record.arrivals.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        var s = Statement()
        s.sql = """
            INSERT INTO turn (attempt_id, turn_index, number, retracted, input, text, node, mood_before, events,
                elapsed, recorded_at, node_after, arrivals)
            VALUES (\(s.bind(record.attemptID)), \(s.bind(record.index)), \(s.bind(record.number)),
                \(s.bind(record.retracted)), \(s.bind(input)), \(s.bind(record.text)), \(s.bind(record.node)),
                \(s.bind(record.moodBefore.name)), \(s.bind(events)), \(s.bind(record.elapsed)),
                \(s.bind(record.recordedAt)), \(s.bind(record.nodeAfter)), \(s.bind(arrivals)))
            """
        try session.query(s)
    }

    static func requireOpenAttempt(_ session: Session, _ id: Int64) throws {
        var s = Statement()
        s.sql = "SELECT ended_at FROM attempt WHERE id = \(s.bind(id)) FOR UPDATE"
        guard let row = try session.query(s).first?.makeRandomAccess() else { throw StoreError.attemptNotFound(id) }
        if try row.optional("ended_at", as: Date.self) != nil { throw StoreError.attemptAlreadyEnded(id) }
    }

    static func finish(
        _ session: Session, id: Int64, ending: EndingKind, card: ScoreCard?, finalNode: String?, at date: Date
    ) throws {
        var s = Statement()
        s.sql = """
            UPDATE attempt SET ended_at = \(s.bind(date)), ending = \(s.bind(ending.rawValue)),
                status = \(s.bind((ending == .abandoned ? AttemptStatus.abandoned : .completed).rawValue)),
                correctness = \(s.bind(card?.score(.correctness)?.score)),
                politeness = \(s.bind(card?.score(.politeness)?.score)),
                escalation = \(s.bind(card?.score(.escalation)?.score)),
                spelling = \(s.bind(card?.score(.spelling)?.score)),
                total = \(s.bind(card?.total)), pass_mark = \(s.bind(card?.passMark)), passed = \(s.bind(card?.passed)),
                critical_count = \(s.bind(card?.critical.count ?? 0)), final_node = \(s.bind(finalNode))
            WHERE id = \(s.bind(id))
            RETURNING id
            """
        guard try !session.query(s).isEmpty else { throw StoreError.attemptNotFound(id) }
        var delete = Statement()
        delete.sql = "DELETE FROM evidence WHERE attempt_id = \(delete.bind(id))"
        try session.query(delete)
        guard let card else { return }
        let lines = card.categories.flatMap { score in score.evidence.map { (score.category as Category?, $0) } }
            + card.critical.map { (nil as Category?, $0) }
        for (position, (category, evidence)) in lines.enumerated() {
            var e = Statement()
            e.sql = """
                INSERT INTO evidence (attempt_id, position, category, kind, points, turn, quote, rule, message,
                    model_answer, scale_written, scale_possible)
                VALUES (\(e.bind(id)), \(e.bind(position + 1)), \(e.bind(category?.rawValue)), \(e.bind(evidence.kind.rawValue)),
                    \(e.bind(evidence.points)), \(e.bind(evidence.turn)), \(e.bind(evidence.quote)), \(e.bind(evidence.rule)),
                    \(e.bind(evidence.message)), \(e.bind(evidence.modelAnswer)), \(e.bind(evidence.scale?.written)),
                    \(e.bind(evidence.scale?.possible)))
                """
            try session.query(e)
        }
    }

    /// Runs `body`, turning server and network errors into `StoreError.failed` with a readable reason.
    func perform<T>(_ operation: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.failed(operation: operation, reason: PostgresLink.reason(error))
        }
    }
}
#endif
