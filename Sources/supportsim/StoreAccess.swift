import Foundation
import SupportSimCore
import SupportSimStore
#if Postgres
import SupportSimPostgres
#endif

/// Opens the attempts store that `--db`, `SUPPORTSIM_DB`, the config file or the default names: a
/// SQLite file, or a shared PostgreSQL server when the setting is a `postgres://` URL.
enum StoreAccess {
    /// The store named by `setting` (see `RunEnvironment.databasePath`).
    static func location(_ setting: String) throws -> StoreLocation {
        var location = try StoreLocation(setting)
        if case .postgres(var url) = location, url.password == nil {
            url.password = RunEnvironment.postgresPassword
            location = .postgres(url)
        }
        return location
    }

    /// The store for reading, nothing written; nil when it is a SQLite file that does not exist yet
    /// (nothing has been played). A SQLite file with an older or newer schema prints a note.
    static func openForReading(_ setting: String) throws -> (any AttemptStore)? {
        switch try location(setting) {
        case .sqlite(let path):
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            let database = try AttemptDatabase.openReadOnly(path: path)
            if let notice = database.notice { FileHandle.standardError.write(Data("note: \(notice)\n".utf8)) }
            return database
        case .postgres(let url):
            return try openPostgres(url, migrate: false)
        }
    }

    /// The store for writing: a SQLite file is created (and migrated) when needed; PostgreSQL tables
    /// are created when the role may do so.
    static func openForWriting(_ setting: String) throws -> any AttemptStore {
        switch try location(setting) {
        case .sqlite(let path): return try AttemptDatabase(path: path)
        case .postgres(let url): return try openPostgres(url, migrate: true)
        }
    }

    /// For the commands that work on the SQLite file itself (its hash chain, rescoring in place,
    /// exports and graphs over the file): its path, or a clear refusal for a server.
    static func sqlitePath(_ setting: String, command: String) throws -> String {
        switch try location(setting) {
        case .sqlite(let path): return path
        case .postgres(let url):
            throw UserError("`supportsim \(command)` works on a SQLite attempts file; \(url.redacted) is a PostgreSQL server. "
                            + "On PostgreSQL, use `report`, `show` and `override`; roles and row-level security guard the rows "
                            + "(see `supportsim db setup-roles`).")
        }
    }

    /// `sqlitePath`, for a file that must already exist (nothing to verify or rescore otherwise).
    static func existingSQLiteFile(_ setting: String, command: String) throws -> String {
        let path = try sqlitePath(setting, command: command)
        guard FileManager.default.fileExists(atPath: path) else {
            throw UserError("There is no attempts database at \(path); give --db.")
        }
        return path
    }

    static func openPostgres(_ url: PostgresURL, migrate: Bool) throws -> any AttemptStore {
        #if Postgres
        return try PostgresAttemptStore(url: url, migrate: migrate)
        #else
        throw UserError(noPostgres(url))
        #endif
    }

    static func noPostgres(_ url: PostgresURL) -> String {
        "This SupportSim was built without PostgreSQL support, so it cannot use \(url.redacted). "
            + "Build it with `make build-postgres` (swift build --traits Postgres), or give --db a SQLite file."
    }
}
