import Foundation
import GRDB
import SupportSimCore

/// Which attempts to list. Every field left nil matches everything.
public struct AttemptFilter: Sendable, Equatable {
    public var trainee: String?
    public var scenarioID: String?
    /// Attempts started at or after this moment.
    public var since: Date?
    /// Attempts started before this moment.
    public var until: Date?
    public var mode: PlayMode?
    public var status: AttemptStatus?
    /// Attempts at a scenario with this tag (schema 6; attempts stored before have no tags).
    public var tag: String?
    /// Attempts at a scenario of this support line (schema 6; attempts stored before have no line).
    public var line: SupportLine?
    /// At most this many attempts (the newest).
    public var limit: Int?

    public init(
        trainee: String? = nil, scenarioID: String? = nil, since: Date? = nil, until: Date? = nil,
        mode: PlayMode? = nil, status: AttemptStatus? = nil, tag: String? = nil, line: SupportLine? = nil,
        limit: Int? = nil
    ) {
        self.trainee = trainee; self.scenarioID = scenarioID; self.since = since; self.until = until; self.mode = mode
        self.status = status; self.tag = tag; self.line = line; self.limit = limit
    }
}

/// The database of played attempts: one SQLite file that several sessions may write to at once.
///
/// Every write is its own transaction, so each completed turn is on disk as soon as
/// `recordTurn` returns. An attempt starts as `abandoned` and only `finishAttempt` marks it
/// `completed`: a session that dies half-way leaves an abandoned attempt with its turns.
public struct AttemptDatabase: AttemptStore {
    /// The file's path (`:memory:` for a private in-memory database).
    public let location: String
    /// How long SQLite itself waits for another session's write to finish (one round).
    public static let busyTimeout: TimeInterval = 10
    /// How long a write keeps trying, round after round, while other sessions hold the database
    /// (many trainees on one training server). Only after this is "database is locked" shown.
    public static let busyPatience: TimeInterval = 300

    /// The schema this version writes: the number of migrations it knows, also kept in
    /// `PRAGMA user_version` so that older versions can tell that a database is newer than they are.
    public static let schemaVersion = 8

    /// Set when the database was opened for reading only and something about its schema is worth saying.
    public let notice: ReadNotice?

    /// What a read-only open found out about the schema.
    public enum ReadNotice: Sendable, Equatable, CustomStringConvertible {
        /// Written by a newer SupportSim: what this version knows is shown; newer columns are ignored.
        case newerVersion(found: Int, known: Int)
        /// Written by an older SupportSim and not migrated (reading never migrates): newer columns show as empty.
        case olderVersion(found: Int, known: Int)

        public var description: String {
            switch self {
            case .newerVersion(let found, let known):
                "this database was written by a newer SupportSim (schema \(found), this version knows \(known)); "
                    + "it is shown read-only and columns this version does not know are left out. Update SupportSim to see everything."
            case .olderVersion(let found, let known):
                "this database has an older schema (\(found), this version writes \(known)); it is shown as it is. "
                    + "Run `supportsim play` (or any command that writes) with write access to bring it up to date."
            }
        }
    }

    /// Opens (creating if needed) the database file at `path`, with its parent directories, for writing.
    ///
    /// A database written by a newer SupportSim is refused (`StoreError.newerVersion`) before anything is written.
    public init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw StoreError.cannotOpen(
                path: path, reason: "its directory cannot be created (\(Self.fileReason(error)))")
        }
        // A newer database is refused before the pool opens: opening a pool writes to the file (GRDB
        // creates and drops a table to start its WAL), and a file this version cannot read whole must be
        // left byte for byte as it is. A file that cannot be inspected is left to the open below to name.
        if FileManager.default.fileExists(atPath: path) {
            var inspect = Configuration()
            inspect.readonly = true
            inspect.busyMode = .timeout(Self.busyTimeout)
            if let state = try? Self.openAndInspect(path, inspect).1, state.isNewer {
                throw StoreError.newerVersion(path: path, found: state.version, known: Self.schemaVersion)
            }
        }
        var config = Configuration()
        config.busyMode = .timeout(Self.busyTimeout)
        config.foreignKeysEnabled = true
        let pool: DatabasePool
        do {
            pool = try Self.retryingWhileBusy { try DatabasePool(path: path, configuration: config) }
        } catch {
            throw StoreError.cannotOpen(path: path, reason: StoreError.reason(error))
        }
        try self.init(writer: pool, path: path)
    }

    /// Opens an existing database file for reading only: nothing is created, migrated or written, so a
    /// read-only file, a read-only folder or a copy on read-only media works. A database written by a
    /// newer or an older SupportSim opens with a `notice`.
    public static func openReadOnly(path: String) throws -> AttemptDatabase {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError.cannotOpen(path: path, reason: "there is no such file")
        }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(busyTimeout)
        let reader: DatabaseQueue
        let state: SchemaState
        do {
            (reader, state) = try openAndInspect(path, config)
        } catch let error as DatabaseError
            where error.resultCode == .SQLITE_CANTOPEN && !FileManager.default.fileExists(atPath: path + "-wal")
        {
            // A WAL database needs its `-shm` file, which a read-only folder cannot hold. With no `-wal`
            // file there is no writer and no pending change, so the main file alone is the whole database.
            do {
                (reader, state) = try openAndInspect(immutableURI(path), config)
            } catch {
                throw StoreError.cannotOpen(path: path, reason: StoreError.reason(error))
            }
        } catch {
            throw StoreError.cannotOpen(path: path, reason: StoreError.reason(error))
        }
        let notice: ReadNotice?
        if state.isNewer {
            notice = .newerVersion(found: state.version, known: schemaVersion)
        } else if state.hasTables, state.version < schemaVersion,
            !state.applied.isSuperset(of: knownMigrations)
        {
            notice = .olderVersion(found: state.version, known: schemaVersion)
        } else {
            notice = nil
        }
        return AttemptDatabase(reader: reader, notice: notice, hasTables: state.hasTables, path: path)
    }

    private static func openAndInspect(_ path: String, _ config: Configuration) throws -> (DatabaseQueue, SchemaState) {
        let queue = try DatabaseQueue(path: path, configuration: config)
        return (queue, try queue.read(SchemaState.init))
    }

    private static func immutableURI(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).path
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return "file:" + (absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute) + "?immutable=1"
    }

    /// A private database that lives in memory, for tests and dry runs.
    public static func inMemory() throws -> AttemptDatabase {
        var config = Configuration()
        config.foreignKeysEnabled = true
        do {
            return try AttemptDatabase(writer: DatabaseQueue(configuration: config), path: ":memory:")
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.cannotOpen(path: ":memory:", reason: StoreError.reason(error))
        }
    }

    let reader: any DatabaseReader
    private let writerOrNil: (any DatabaseWriter)?
    let hasTables: Bool

    var writer: any DatabaseWriter {
        get throws {
            guard let writerOrNil else {
                throw StoreError.failed(operation: "write", reason: "the database was opened for reading only")
            }
            return writerOrNil
        }
    }

    private init(writer: any DatabaseWriter, path: String) throws {
        self.writerOrNil = writer
        self.reader = writer
        self.notice = nil
        self.location = path
        self.hasTables = true
        do {
            // Read on the writer connection: a pooled reader opened before the migration could keep a stale schema.
            let state = try Self.retryingWhileBusy { try writer.writeWithoutTransaction { try SchemaState($0) } }
            if state.isNewer {
                throw StoreError.newerVersion(path: path, found: state.version, known: Self.schemaVersion)
            }
            try Self.migrateAlongsideOthers(writer)
            // Databases made before `user_version` was kept get it now.
            if state.userVersion < Self.schemaVersion {
                try writer.write { db in try db.execute(sql: "PRAGMA user_version = \(Self.schemaVersion)") }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.cannotOpen(path: path, reason: StoreError.reason(error))
        }
    }

    /// Applies the migrations this version knows while other processes may be creating or upgrading
    /// the same file (many trainees starting at once on one training server). The migrator reads
    /// which migrations are applied outside the transaction that applies one, so two processes can
    /// both try the same migration and the later one fails ("table already exists"). It then finds
    /// the migration applied and goes on. Each such failure means another process applied a
    /// migration, so one round per migration (and one more) is enough; a failure that remains after
    /// that is real and is thrown.
    private static func migrateAlongsideOthers(_ writer: any DatabaseWriter) throws {
        let migrator = Self.migrator
        var rounds = 0
        while true {
            do {
                try retryingWhileBusy { try migrator.migrate(writer) }
                return
            } catch {
                rounds += 1
                let complete = (try? writer.writeWithoutTransaction { try migrator.hasCompletedMigrations($0) }) ?? false
                if complete { return }
                if rounds > migrator.migrations.count { throw error }
            }
        }
    }

    private init(reader: any DatabaseReader, notice: ReadNotice?, hasTables: Bool, path: String) {
        self.location = path
        self.reader = reader
        self.writerOrNil = nil
        self.notice = notice
        self.hasTables = hasTables
    }

    /// The identifiers of the migrations this version knows.
    static let knownMigrations: Set<String> = Set(migrator.migrations)

    /// What a database file says about its schema.
    struct SchemaState {
        var userVersion: Int
        var applied: Set<String>
        var hasTables: Bool

        init(_ db: Database) throws {
            userVersion = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            hasTables = try db.tableExists("attempt")
            applied = try db.tableExists("grdb_migrations")
                ? Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")) : []
        }

        /// Written by a newer version: a higher `user_version`, or a migration this version does not know.
        var isNewer: Bool {
            userVersion > AttemptDatabase.schemaVersion || !applied.isSubset(of: AttemptDatabase.knownMigrations)
        }

        /// The schema version as far as it can be told (migrations count when `user_version` was not kept).
        var version: Int { max(userVersion, applied.count) }
    }

    /// `$XDG_DATA_HOME/supportsim/supportsim.sqlite`, else `$HOME/.local/share/supportsim/supportsim.sqlite`
    /// (a relative path when neither variable is set).
    public static func defaultPath(environment: [String: String]) -> String {
        let base: String
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            base = xdg
        } else if let home = environment["HOME"], !home.isEmpty {
            base = (home as NSString).appendingPathComponent(".local/share")
        } else {
            base = ".local/share"
        }
        return (base as NSString).appendingPathComponent("supportsim/supportsim.sqlite")
    }

    // MARK: - Schema

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "attempt") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("trainee", .text).notNull()
                t.column("scenario_id", .text).notNull()
                t.column("scenario_title", .text).notNull()
                t.column("scenario_version", .integer).notNull()
                t.column("language", .text).notNull()
                t.column("interface_language", .text)
                t.column("mode", .text).notNull()
                t.column("seed", .integer).notNull()
                t.column("started_at", .datetime).notNull()
                t.column("ended_at", .datetime)
                t.column("status", .text).notNull()
                t.column("ending", .text)
                t.column("correctness", .integer)
                t.column("politeness", .integer)
                t.column("escalation", .integer)
                t.column("total", .integer)
                t.column("pass_mark", .integer)
                t.column("passed", .boolean)
                t.column("critical_count", .integer).notNull().defaults(to: 0)
            }
            try db.create(index: "attempt_on_trainee", on: "attempt", columns: ["trainee", "started_at"])
            try db.create(index: "attempt_on_scenario", on: "attempt", columns: ["scenario_id", "started_at"])
            try db.create(index: "attempt_on_started_at", on: "attempt", columns: ["started_at"])

            try db.create(table: "turn") { t in
                t.column("attempt_id", .integer).notNull()
                    .references("attempt", onDelete: .cascade)
                t.column("turn_index", .integer).notNull()
                t.column("input", .text).notNull()
                t.column("text", .text).notNull()
                t.column("node", .text).notNull()
                t.column("mood_before", .text).notNull()
                t.column("events", .text).notNull()
                t.column("elapsed", .double).notNull()
                t.column("recorded_at", .datetime).notNull()
                t.primaryKey(["attempt_id", "turn_index"])
            }

            try db.create(table: "evidence") { t in
                t.column("attempt_id", .integer).notNull()
                    .references("attempt", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("category", .text)
                t.column("kind", .text).notNull()
                t.column("points", .integer).notNull()
                t.column("turn", .integer)
                t.column("quote", .text)
                t.column("rule", .text).notNull()
                t.column("message", .text).notNull()
                t.primaryKey(["attempt_id", "position"])
            }
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        migrator.registerMigration("v2: spelling category") { db in
            try db.alter(table: "attempt") { t in t.add(column: "spelling", .integer) }
            try db.execute(sql: "PRAGMA user_version = 2")
        }
        migrator.registerMigration("v3: retries") { db in
            try db.alter(table: "attempt") { t in t.add(column: "retries", .integer).notNull().defaults(to: 0) }
            try db.alter(table: "turn") { t in
                t.add(column: "number", .integer)
                t.add(column: "retracted", .boolean).notNull().defaults(to: false)
            }
            // Turns stored before: replies and actions are numbered in order, /kb and /hint are not.
            try db.execute(sql: """
                UPDATE turn SET number = (
                    SELECT COUNT(*) FROM turn AS t2
                    WHERE t2.attempt_id = turn.attempt_id AND t2.turn_index <= turn.turn_index
                      AND t2.text NOT LIKE '/kb%' AND t2.text <> '/hint')
                WHERE text NOT LIKE '/kb%' AND text <> '/hint'
                """)
            try db.execute(sql: "PRAGMA user_version = 3")
        }
        migrator.registerMigration("v4: path") { db in
            // Turns and attempts stored before keep NULL here: their path is not known.
            try db.alter(table: "turn") { t in
                t.add(column: "node_after", .text)
                t.add(column: "arrivals", .text)
            }
            try db.alter(table: "attempt") { t in t.add(column: "final_node", .text) }
            try db.execute(sql: "PRAGMA user_version = 4")
        }
        migrator.registerMigration("v5: evidence details", migrate: migrateEvidenceDetails)
        migrator.registerMigration("v6: scenario line and tags", migrate: migrateScenarioFacts)
        migrator.registerMigration("v7: audit", migrate: migrateAudit)
        migrator.registerMigration("v8: report indexes", migrate: migrateReportIndexes)
        return migrator
    }

    // MARK: - Writes

    /// Stores a new attempt (status `abandoned` until it is finished) and returns its id.
    public func startAttempt(_ new: NewAttempt) throws -> Int64 {
        try perform("start an attempt of \(new.scenarioID) for \(new.trainee)") {
            try writer.write { db in try Self.insertAttempt(db, new) }
        }
    }

    /// Stores one completed turn in its own transaction. The same turn stored again (a retry after a
    /// lost answer) is accepted once; another turn with the same index is refused.
    public func recordTurn(attemptID: Int64, turn: Turn, at date: Date) throws {
        try perform("save turn \(turn.index) of attempt #\(attemptID)") {
            try writer.write { db in
                try Self.requireOpenAttempt(attemptID, db)
                if let stored = try String.fetchOne(
                    db, sql: "SELECT input FROM turn WHERE attempt_id = ? AND turn_index = ?", arguments: [attemptID, turn.index])
                {
                    // The same turn again: an earlier write went through but its answer was lost (a retry).
                    if (try? JSONDecoder().decode(TraineeInput.self, from: Data(stored.utf8))) == turn.input { return }
                    throw StoreError.failed(
                        operation: "save turn \(turn.index) of attempt #\(attemptID)",
                        reason: "another turn \(turn.index) is already stored")
                }
                try TurnRecord(attemptID: attemptID, turn: turn, recordedAt: date).insert(db)
                try Self.chainTurn(db, attemptID: attemptID, index: turn.index)
            }
        }
    }

    /// Ends an attempt: `completed` (or `abandoned` when `ending` is `.abandoned`), with the scores,
    /// the pass/fail result and every line of evidence from `card` when it was scored, and the node
    /// where the conversation ended (`finalNode`).
    public func finishAttempt(id: Int64, ending: EndingKind, card: ScoreCard?, finalNode: String? = nil, at date: Date) throws {
        try perform("finish attempt #\(id)") {
            try writer.write { db in
                try Self.finish(db, id: id, ending: ending, card: card, finalNode: finalNode, at: date)
            }
        }
    }

    /// Stores an attempt kept elsewhere (a recovery file) in one transaction. When `existingID` names an
    /// attempt that is still open, its missing turns are added and it is finished; when it is nil or that
    /// attempt is not in this database, a new attempt is created with all the turns. `ending` nil leaves
    /// the attempt open (abandoned, as a session that was killed).
    ///
    /// A stored turn whose input differs from the one given means the file belongs to another attempt:
    /// nothing is written and `StoreError.failed` says so.
    public func importAttempt(
        existingID: Int64?, _ new: NewAttempt, turns: [Turn], ending: EndingKind?, card: ScoreCard?,
        finalNode: String? = nil, at date: Date
    ) throws -> ImportResult {
        try perform("import the attempt of \(new.scenarioID) for \(new.trainee)") {
            try writer.write { db in
                var attemptID: Int64
                var created = false
                var missing = turns
                if let existingID, let row = try Row.fetchOne(
                    db, sql: "SELECT trainee, scenario_id, seed, ended_at FROM attempt WHERE id = ?", arguments: [existingID])
                {
                    try StoreRules.checkImportTarget(existingID, trainee: row["trainee"], scenarioID: row["scenario_id"],
                                                     seed: row["seed"], new)
                    attemptID = existingID
                    var stored: [Int: TraineeInput] = [:]
                    for turn in try Row.fetchAll(
                        db, sql: "SELECT turn_index, input FROM turn WHERE attempt_id = ?", arguments: [existingID])
                    {
                        let input = try JSONDecoder().decode(TraineeInput.self, from: Data((turn["input"] as String).utf8))
                        stored[turn["turn_index"]] = input
                    }
                    guard let toAdd = try StoreRules.turnsToImport(turns, stored: stored, ended: !row.hasNull(atIndex: 3),
                                                                   attemptID: existingID)
                    else { return ImportResult(attemptID: existingID, created: false, addedTurns: [], finished: true) }
                    missing = toAdd
                } else {
                    attemptID = try Self.insertAttempt(db, new)
                    created = true
                }
                for turn in missing {
                    try TurnRecord(attemptID: attemptID, turn: turn, recordedAt: date).insert(db)
                    try Self.chainTurn(db, attemptID: attemptID, index: turn.index)
                }
                if let ending {
                    try Self.finish(db, id: attemptID, ending: ending, card: card, finalNode: finalNode, at: date)
                }
                return ImportResult(attemptID: attemptID, created: created, addedTurns: missing.map(\.index), finished: ending != nil)
            }
        }
    }

    /// Takes back turns (`/retry`): the turns of an open attempt from `fromIndex` on are kept
    /// but marked retracted, and the attempt's retry count goes up by one, in one transaction.
    public func retractTurns(attemptID: Int64, fromIndex: Int) throws {
        try perform("take back turns of attempt #\(attemptID)") {
            try writer.write { db in
                try Self.requireOpenAttempt(attemptID, db)
                try db.execute(
                    sql: "UPDATE turn SET retracted = 1 WHERE attempt_id = ? AND turn_index >= ? AND retracted = 0",
                    arguments: [attemptID, fromIndex])
                guard db.changesCount > 0 else {
                    throw StoreError.failed(operation: "take back turns of attempt #\(attemptID)",
                                            reason: "there is no stored turn from turn \(fromIndex) on")
                }
                try db.execute(sql: "UPDATE attempt SET retries = retries + 1 WHERE id = ?", arguments: [attemptID])
                try Self.seal(db, attemptID: attemptID)
            }
        }
    }

    /// Reopens an abandoned attempt so that `resume` can record more turns on it: its end, ending,
    /// scores and evidence are cleared (they are written again when it finishes). A completed
    /// attempt cannot be reopened.
    public func reopenAttempt(id: Int64) throws {
        try perform("reopen attempt #\(id)") {
            try writer.write { db in
                guard var record = try AttemptRecord.fetchOne(db, key: id) else { throw StoreError.attemptNotFound(id) }
                guard record.status == .abandoned else { throw StoreError.attemptCompleted(id) }
                record.endedAt = nil
                record.ending = nil
                record.correctness = nil; record.politeness = nil; record.escalation = nil; record.spelling = nil
                record.total = nil; record.passMark = nil; record.passed = nil; record.criticalCount = 0
                record.finalNode = nil
                try record.update(db)
                try EvidenceRecord.filter(EvidenceRecord.Columns.attemptID == id).deleteAll(db)
                try Self.seal(db, attemptID: id)
            }
        }
    }

    private static func insertAttempt(_ db: Database, _ new: NewAttempt) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO attempt (trainee, scenario_id, scenario_title, scenario_version, language,
                    interface_language, mode, seed, started_at, status, critical_count)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
                """,
            arguments: [
                new.trainee, new.scenarioID, new.scenarioTitle, new.scenarioVersion, new.language.rawValue,
                new.interfaceLanguage?.rawValue, new.mode.rawValue, Int64(bitPattern: new.seed),
                new.startedAt, AttemptStatus.abandoned.rawValue,
            ])
        let id = db.lastInsertedRowID
        try storeScenarioFacts(db, attemptID: id, new)
        try chainNewAttempt(db, id: id, new)
        return id
    }

    private static func finish(
        _ db: Database, id: Int64, ending: EndingKind, card: ScoreCard?, finalNode: String?, at date: Date
    ) throws {
        guard var record = try AttemptRecord.fetchOne(db, key: id) else {
            throw StoreError.attemptNotFound(id)
        }
        record.endedAt = date
        record.ending = .known(ending)
        record.status = .known(ending == .abandoned ? .abandoned : .completed)
        record.correctness = card?.score(.correctness)?.score
        record.politeness = card?.score(.politeness)?.score
        record.escalation = card?.score(.escalation)?.score
        record.spelling = card?.score(.spelling)?.score
        record.total = card?.total
        record.passMark = card?.passMark
        record.passed = card?.passed
        record.criticalCount = card?.critical.count ?? 0
        record.finalNode = finalNode
        try record.update(db)
        try seal(db, attemptID: id)

        try EvidenceRecord.filter(EvidenceRecord.Columns.attemptID == id).deleteAll(db)
        guard let card else { return }
        var position = 0
        let lines = card.categories.flatMap { score in score.evidence.map { (score.category as Category?, $0) } }
            + card.critical.map { (nil as Category?, $0) }
        for (category, evidence) in lines {
            position += 1
            try EvidenceRecord(attemptID: id, position: position, category: category, evidence: evidence).insert(db)
        }
    }

    // MARK: - Reads

    /// Attempts matching `filter`, newest first.
    public func attempts(_ filter: AttemptFilter = .init()) throws -> [AttemptRecord] {
        var (sql, arguments) = Self.attemptQuery(filter, order: .newestFirst, schemaHasFacts: hasScenarioFacts)
        if let limit = filter.limit {
            sql += " LIMIT ?"; arguments += [max(0, limit)]
        }
        guard hasTables else { return [] }
        return try perform("list attempts") {
            try reader.read { db in try AttemptRecord.fetchAll(db, sql: sql, arguments: arguments) }
        }
    }

    public func attempt(id: Int64) throws -> AttemptRecord? {
        guard hasTables else { return nil }
        return try perform("read attempt #\(id)") {
            try reader.read { db in
                try AttemptRecord.fetchOne(db, sql: Self.attemptSelect + " WHERE id = ?", arguments: [id])
            }
        }
    }

    /// The stored turns of an attempt, in order, including turns taken back (`retracted`).
    public func turns(attemptID: Int64) throws -> [TurnRecord] {
        guard hasTables else { return [] }
        return try perform("read the turns of attempt #\(attemptID)") {
            try reader.read { db in
                try TurnRecord.filter(TurnRecord.Columns.attemptID == attemptID)
                    .order(TurnRecord.Columns.index).fetchAll(db)
            }
        }
    }

    /// The score evidence of an attempt, in the order it was stored (categories, then critical errors).
    public func evidence(attemptID: Int64) throws -> [EvidenceRecord] {
        guard hasTables else { return [] }
        return try perform("read the evidence of attempt #\(attemptID)") {
            try reader.read { db in
                try EvidenceRecord.filter(EvidenceRecord.Columns.attemptID == attemptID)
                    .order(EvidenceRecord.Columns.position).fetchAll(db)
            }
        }
    }

    // MARK: - Helpers

    /// The names of the tables in the database (for tests and diagnostics).
    func tableNames() throws -> Set<String> {
        try reader.read { db in
            Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
        }
    }

    static let attemptSelect = """
        SELECT attempt.*, (SELECT COUNT(*) FROM turn WHERE turn.attempt_id = attempt.id) AS turn_count FROM attempt
        """

    private static func requireOpenAttempt(_ id: Int64, _ db: Database) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT ended_at FROM attempt WHERE id = ?", arguments: [id]) else {
            throw StoreError.attemptNotFound(id)
        }
        if !row.hasNull(atIndex: 0) { throw StoreError.attemptAlreadyEnded(id) }
    }

    /// Runs `body`, turning SQLite errors into `StoreError.failed` with a readable reason.
    func perform<T>(_ operation: String, _ body: () throws -> T) throws -> T {
        do {
            return try Self.retryingWhileBusy(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.failed(operation: operation, reason: StoreError.reason(error))
        }
    }

    /// Runs `body` again while SQLite answers "busy" or "locked", for up to `busyPatience` in all.
    /// Each write is one transaction, and a transaction that failed to begin or was rolled back
    /// left nothing behind, so a retry can neither lose nor duplicate a row. SQLite's own busy
    /// handler waits up to `busyTimeout` per round; between rounds a short random pause lets the
    /// writers that gave up at the same moment come back apart.
    static func retryingWhileBusy<T>(patience: TimeInterval = busyPatience, _ body: () throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(patience)
        while true {
            do {
                return try body()
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                guard Date() < deadline else { throw error }
                usleep(useconds_t.random(in: 2_000...40_000))
            }
        }
    }

    private static func fileReason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue))
        }
        return ns.localizedDescription
    }
}
