import Foundation
import GRDB
import SupportSimCore

/// A local SQLite file, one per user, that keeps the sessions a store (the attempts database, or a
/// shared server) did not take, until `supportsim recover --journal` delivers them.
///
/// Each unsaved session is one entry: who played what with which seed, the attempt in the target
/// store if it was started there, the target store (described without any password), every input
/// with its time, and how the session ended. An entry is written whole in one transaction each time
/// the session changes, so a process killed at any moment leaves the entry as of its last turn.
///
/// A journal written by a newer SupportSim is refused (`JournalError.newerVersion`), and a file that
/// is not a usable journal (`JournalError.unusable`) is never written to.
public struct SessionJournal: Sendable {
    /// The schema this version writes, kept in `PRAGMA user_version` too.
    public static let schemaVersion = 1

    /// How long SQLite waits for another process (another session of the same user) to finish a write.
    public static let busyTimeout: TimeInterval = 10

    public let path: String
    private let writer: DatabasePool

    /// One input of the session.
    public struct Input: Sendable, Equatable {
        /// The turn this input made (1-based).
        public var turn: Int
        public var input: TraineeInput
        /// Seconds since the start of the session.
        public var elapsed: Double

        public init(turn: Int, input: TraineeInput, elapsed: Double) {
            self.turn = turn; self.input = input; self.elapsed = elapsed
        }
    }

    /// One session the target store did not (wholly) take.
    public struct Entry: Sendable, Equatable {
        /// The entry's id in the journal; nil for an entry not saved yet.
        public var id: Int64?
        public var trainee: String
        public var scenarioID: String
        public var scenarioTitle: String
        public var scenarioVersion: Int
        /// The scenario's language.
        public var language: Language
        public var interfaceLanguage: Language
        public var mode: PlayMode
        public var seed: UInt64
        public var startedAt: Date
        /// The attempt in the target store, when it could be started there.
        public var attemptID: Int64?
        /// Where the session belongs: a database path or a server URL, never with a password
        /// (`SessionJournal.redactedTarget`; `save` redacts it again).
        public var target: String
        public var inputs: [Input]
        /// How the session ended; nil while it is being played (or when the process died).
        public var ending: EndingKind?
        public var endedAt: Date?
        /// When the entry was last written (set by `save`).
        public var updatedAt: Date?
        /// The process playing the session, so that delivery can leave a session still being played alone.
        public var processID: Int32?

        public init(
            id: Int64? = nil, trainee: String, scenarioID: String, scenarioTitle: String, scenarioVersion: Int,
            language: Language, interfaceLanguage: Language, mode: PlayMode, seed: UInt64, startedAt: Date,
            attemptID: Int64?, target: String, inputs: [Input] = [], ending: EndingKind? = nil, endedAt: Date? = nil,
            updatedAt: Date? = nil, processID: Int32? = nil
        ) {
            self.id = id; self.trainee = trainee; self.scenarioID = scenarioID; self.scenarioTitle = scenarioTitle
            self.scenarioVersion = scenarioVersion; self.language = language
            self.interfaceLanguage = interfaceLanguage; self.mode = mode; self.seed = seed
            self.startedAt = startedAt; self.attemptID = attemptID; self.target = target; self.inputs = inputs
            self.ending = ending; self.endedAt = endedAt; self.updatedAt = updatedAt; self.processID = processID
        }
    }

    /// Why a journal cannot be used. The file is left as it is in every case.
    public enum JournalError: Error, Equatable, CustomStringConvertible {
        case newerVersion(path: String, found: Int, known: Int)
        case unusable(path: String, reason: String)
        case failed(operation: String, reason: String)

        public var description: String {
            switch self {
            case .newerVersion(let path, let found, let known):
                "the journal \(path) was written by a newer SupportSim (journal schema \(found), this version knows "
                    + "\(known)); it is left as it is. Update SupportSim to deliver what it holds"
            case .unusable(let path, let reason):
                "\(path) is not a usable SupportSim journal (\(reason)); it is left as it is. "
                    + "Move it away to let a new journal be made there"
            case .failed(let operation, let reason):
                "could not \(operation) in the journal: \(reason)"
            }
        }
    }

    /// Opens (creating if needed, with its folders) the journal at `path`.
    public init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw JournalError.unusable(path: path, reason: "its folder cannot be made: \(error.localizedDescription)")
        }
        // Look before anything writes: opening a pool switches the file to WAL, which is a write.
        if FileManager.default.fileExists(atPath: path) { try Self.inspect(path) }
        var config = Configuration()
        config.busyMode = .timeout(Self.busyTimeout)
        config.foreignKeysEnabled = true
        do {
            writer = try DatabasePool(path: path, configuration: config)
            do { try Self.migrator.migrate(writer) } catch {
                // Another session of the same user may have made the journal at the same moment.
                let complete = (try? writer.writeWithoutTransaction { try Self.migrator.hasCompletedMigrations($0) }) ?? false
                if !complete { throw error }
            }
        } catch let error as JournalError {
            throw error
        } catch {
            throw JournalError.unusable(path: path, reason: StoreError.reason(error))
        }
    }

    /// Refuses, without writing, a file that is not a journal or that a newer version wrote.
    private static func inspect(_ path: String) throws {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(busyTimeout)
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            try queue.read { db in
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                let tables = try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                let applied = tables.contains("grdb_migrations")
                    ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
                if version > schemaVersion || !Set(applied).isSubset(of: Set(migrator.migrations)) {
                    throw JournalError.newerVersion(path: path, found: max(version, applied.count), known: schemaVersion)
                }
                if !tables.isEmpty, !tables.contains("journal_session") {
                    throw JournalError.unusable(path: path, reason: "it is another SQLite database")
                }
            }
        } catch let error as JournalError {
            throw error
        } catch {
            throw JournalError.unusable(path: path, reason: StoreError.reason(error))
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("journal v1") { db in
            try db.create(table: "journal_session") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("trainee", .text).notNull()
                t.column("scenario_id", .text).notNull()
                t.column("scenario_title", .text).notNull()
                t.column("scenario_version", .integer).notNull()
                t.column("language", .text).notNull()
                t.column("interface_language", .text).notNull()
                t.column("mode", .text).notNull()
                t.column("seed", .integer).notNull()
                t.column("started_at", .datetime).notNull()
                t.column("attempt_id", .integer)
                t.column("target", .text).notNull()
                t.column("ending", .text)
                t.column("ended_at", .datetime)
                t.column("updated_at", .datetime).notNull()
                t.column("process_id", .integer)
            }
            try db.create(table: "journal_input") { t in
                t.column("session_id", .integer).notNull().references("journal_session", onDelete: .cascade)
                t.column("turn", .integer).notNull()
                t.column("input", .text).notNull()
                t.column("elapsed", .double).notNull()
                t.primaryKey(["session_id", "turn"])
            }
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        return migrator
    }

    // MARK: - Writes

    /// Writes the whole entry in one transaction (a new entry when `entry.id` is nil, else replacing
    /// that entry and all its inputs) and returns its id.
    @discardableResult
    public func save(_ entry: Entry, at now: Date = Date()) throws -> Int64 {
        try perform("keep the session of \(entry.trainee)") {
            try writer.write { db in
                let arguments: StatementArguments = [
                    entry.trainee, entry.scenarioID, entry.scenarioTitle, entry.scenarioVersion,
                    entry.language.rawValue, entry.interfaceLanguage.rawValue, entry.mode.rawValue,
                    Int64(bitPattern: entry.seed), entry.startedAt, entry.attemptID,
                    Self.redactedTarget(entry.target), entry.ending?.rawValue, entry.endedAt, now, entry.processID,
                ]
                let id: Int64
                if let existing = entry.id,
                    try Int64.fetchOne(db, sql: "SELECT id FROM journal_session WHERE id = ?", arguments: [existing]) != nil
                {
                    id = existing
                    try db.execute(sql: """
                        UPDATE journal_session SET trainee = ?, scenario_id = ?, scenario_title = ?, scenario_version = ?,
                            language = ?, interface_language = ?, mode = ?, seed = ?, started_at = ?, attempt_id = ?,
                            target = ?, ending = ?, ended_at = ?, updated_at = ?, process_id = ?
                        WHERE id = ?
                        """, arguments: arguments + [id])
                    try db.execute(sql: "DELETE FROM journal_input WHERE session_id = ?", arguments: [id])
                } else {
                    try db.execute(sql: """
                        INSERT INTO journal_session (trainee, scenario_id, scenario_title, scenario_version, language,
                            interface_language, mode, seed, started_at, attempt_id, target, ending, ended_at, updated_at,
                            process_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: arguments)
                    id = db.lastInsertedRowID
                }
                let encoder = JSONEncoder()
                for input in entry.inputs {
                    let json = String(decoding: try encoder.encode(input.input), as: UTF8.self)
                    try db.execute(
                        sql: "INSERT INTO journal_input (session_id, turn, input, elapsed) VALUES (?, ?, ?, ?)",
                        arguments: [id, input.turn, json, input.elapsed])
                }
                return id
            }
        }
    }

    /// Removes an entry (everything it held reached its store). Removing an entry that is not there does nothing.
    public func remove(id: Int64) throws {
        try perform("remove entry \(id)") {
            try writer.write { db in
                try db.execute(sql: "DELETE FROM journal_input WHERE session_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM journal_session WHERE id = ?", arguments: [id])
            }
        }
    }

    // MARK: - Reads

    /// Every entry, oldest first.
    public func entries() throws -> [Entry] {
        try perform("read the entries") {
            try writer.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM journal_session ORDER BY id").map { try Self.entry($0, db) }
            }
        }
    }

    public func entry(id: Int64) throws -> Entry? {
        try perform("read entry \(id)") {
            try writer.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM journal_session WHERE id = ?", arguments: [id])
                    .map { try Self.entry($0, db) }
            }
        }
    }

    private static func entry(_ row: Row, _ db: Database) throws -> Entry {
        let id: Int64 = row["id"]
        func decoded<T: RawRepresentable>(_ column: String, _: T.Type) throws -> T where T.RawValue == String {
            guard let value = T(rawValue: row[column] as String) else {
                throw JournalError.failed(operation: "read entry \(id)",
                                          reason: "unknown \(column) '\(row[column] as String)' (written by a newer SupportSim?)")
            }
            return value
        }
        let decoder = JSONDecoder()
        let inputs = try Row.fetchAll(
            db, sql: "SELECT turn, input, elapsed FROM journal_input WHERE session_id = ? ORDER BY turn", arguments: [id]
        ).map { input in
            Input(turn: input["turn"],
                  input: try decoder.decode(TraineeInput.self, from: Data((input["input"] as String).utf8)),
                  elapsed: input["elapsed"])
        }
        let ending: EndingKind? = try (row["ending"] as String?).map { _ in try decoded("ending", EndingKind.self) }
        return Entry(
            id: id, trainee: row["trainee"], scenarioID: row["scenario_id"], scenarioTitle: row["scenario_title"],
            scenarioVersion: row["scenario_version"], language: try decoded("language", Language.self),
            interfaceLanguage: try decoded("interface_language", Language.self), mode: try decoded("mode", PlayMode.self),
            seed: UInt64(bitPattern: row["seed"] as Int64), startedAt: row["started_at"], attemptID: row["attempt_id"],
            target: row["target"], inputs: inputs, ending: ending, endedAt: row["ended_at"], updatedAt: row["updated_at"],
            processID: (row["process_id"] as Int64?).map { Int32(truncatingIfNeeded: $0) })
    }

    private func perform<T>(_ operation: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as JournalError {
            throw error
        } catch {
            throw JournalError.failed(operation: operation, reason: StoreError.reason(error))
        }
    }
}
