#if Postgres
import Foundation
import Logging
import PostgresNIO
import SupportSimStore

/// One connection to the PostgreSQL server, used from ordinary (blocking) code: each call waits for
/// its answer. A connection the server closed (a restart, a network cut) is dropped and the next
/// call connects again, so a store outlives a server that went away and came back.
final class PostgresLink: @unchecked Sendable {
    let url: PostgresURL
    /// How long a connection attempt or a single statement may take before it is given up
    /// (a server that vanished without closing the connection would otherwise hang the session).
    static let connectTimeout: Int64 = 5
    static let statementTimeout: Int64 = 30
    /// The same for one statement of a report (a grouped query over a large store takes longer).
    static let reportStatementTimeout: Int64 = 600

    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    /// Recursive: a caller's body may read again while it holds the connection (a row callback of a listing).
    private let lock = NSRecursiveLock()
    private var connection: PostgresConnection?
    private var logger: Logger = {
        var logger = Logger(label: "supportsim.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        logger.logLevel = .critical
        return logger
    }()

    init(url: PostgresURL) { self.url = url }

    deinit {
        if let connection { _ = try? connection.close().wait() }
        try? group.syncShutdownGracefully()
    }

    /// Runs `body` with the connection, holding it for the whole body (a transaction stays on one connection).
    func withConnection<T>(timeout: Int64 = statementTimeout, _ body: (Session) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let connection = try current()
        do {
            return try body(Session(connection: connection, logger: logger, timeout: timeout))
        } catch {
            if connection.isClosed || Self.isConnectionLost(error) {
                _ = try? connection.close().wait()
                self.connection = nil
            }
            throw error
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(timeout: Int64 = statementTimeout, _ body: (Session) throws -> T) throws -> T {
        try withConnection(timeout: timeout) { session in
            try session.execute("BEGIN")
            do {
                let result = try body(session)
                try session.execute("COMMIT")
                return result
            } catch {
                _ = try? session.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Runs `body` in one read-only transaction with room for the sorts and hashes of a report
    /// (`work_mem` for this transaction only): the aggregates of a grouped report sort and hash every
    /// attempt or every lost point, which PostgreSQL's default 4 MB would spill to disk.
    func report<T>(_ body: (Session) throws -> T) throws -> T {
        try transaction(timeout: Self.reportStatementTimeout) { session in
            try session.execute("SET TRANSACTION READ ONLY")
            try session.execute("SET LOCAL work_mem = '\(Self.reportWorkMemory)'")
            return try body(session)
        }
    }

    static let reportWorkMemory = "64MB"

    func close() {
        lock.lock()
        defer { lock.unlock() }
        if let connection { _ = try? connection.close().wait() }
        connection = nil
    }

    private func current() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        connection = nil
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
            tls: try Self.tls(url.tls))
        configuration.options.connectTimeout = .seconds(Self.connectTimeout)
        let new = try PostgresConnection.connect(
            on: group.next(), configuration: configuration, id: 1, logger: logger
        ).wait()
        connection = new
        return new
    }

    private static func tls(_ mode: PostgresURL.TLSMode) throws -> PostgresConnection.Configuration.TLS {
        var unchecked = TLSConfiguration.makeClientConfiguration()
        unchecked.certificateVerification = .none
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(try NIOSSLContext(configuration: unchecked))
        case .require: return .require(try NIOSSLContext(configuration: unchecked))
        case .verifyFull: return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    /// True when the error means the connection itself is gone (not a refused statement).
    static func isConnectionLost(_ error: any Error) -> Bool {
        guard let psql = error as? PSQLError else { return error is ChannelError }
        switch psql.code {
        case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown: return true
        default: return false
        }
    }

    /// A short human reason for an error from the server or the network.
    static func reason(_ error: any Error) -> String {
        if let store = error as? StoreError { return store.description }
        if let psql = error as? PSQLError {
            if let info = psql.serverInfo {
                var text = info[.message] ?? "the server refused the statement"
                if let detail = info[.detail] { text += " (\(detail))" }
                if info[.sqlState] == "42501" {
                    text += " — this database role is not allowed to do that (see `supportsim db setup-roles`)"
                }
                return text
            }
            switch psql.code {
            case .connectionError:
                let underlying = psql.underlying.map { " (\($0))" } ?? ""
                return "cannot reach the PostgreSQL server\(underlying); check that it is running and the URL is right"
            case .serverClosedConnection, .uncleanShutdown:
                return "the PostgreSQL server closed the connection"
            case .clientClosedConnection:
                return "the connection to the PostgreSQL server was closed"
            default:
                return "PostgreSQL: \(psql.code)"
            }
        }
        if error is ChannelError || error is IOError || error is NIOConnectionError {
            return "cannot reach the PostgreSQL server (\(error)); check that it is running and the URL is right"
        }
        return "\(error)"
    }
}

/// The connection while `PostgresLink` holds it: statements with `$n` parameters.
struct Session {
    let connection: PostgresConnection
    let logger: Logger
    /// Seconds a statement may take before the connection is given up.
    var timeout: Int64 = PostgresLink.statementTimeout

    @discardableResult
    func query(_ statement: Statement) throws -> [PostgresRow] {
        let future = connection.query(PostgresQuery(unsafeSQL: statement.sql, binds: statement.binds), logger: logger)
        // A statement that gets no answer (a server gone without closing the connection) is given up.
        let guardTask = connection.eventLoop.scheduleTask(in: .seconds(timeout)) { [connection] in
            let _: EventLoopFuture<Void> = connection.close()
        }
        defer { guardTask.cancel() }
        return Array(try future.wait())
    }

    func execute(_ sql: String) throws { try query(Statement(sql)) }

    /// Calls `body` with each row of `statement` without holding them all: a cursor read in batches
    /// (inside the transaction the caller opened).
    func forEachRow(_ statement: Statement, batch: Int = 2_000, _ body: (PostgresRandomAccessRow) throws -> Void) throws {
        try query(Statement("DECLARE supportsim_rows NO SCROLL CURSOR FOR " + statement.sql, binds: statement.binds))
        while true {
            let rows = try query(Statement("FETCH \(batch) FROM supportsim_rows"))
            for row in rows { try body(row.makeRandomAccess()) }
            if rows.count < batch { break }
        }
        try execute("CLOSE supportsim_rows")
    }
}

/// SQL with its parameters, built up as `$1`, `$2`, … in the order values are bound.
struct Statement {
    var sql: String
    var binds = PostgresBindings()

    init(_ sql: String = "") { self.sql = sql }
    init(_ sql: String, binds: PostgresBindings) { self.sql = sql; self.binds = binds }

    /// Binds a value and returns its placeholder.
    mutating func bind<T: PostgresNonThrowingEncodable & Sendable>(_ value: T?) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }
}

extension PostgresRandomAccessRow {
    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        do { return try self[column].decode(T.self) } catch {
            throw StoreError.unreadableData("column \(column) cannot be read as \(T.self) (\(error))")
        }
    }

    func optional<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T? {
        let cell = self[column]
        guard cell.bytes != nil else { return nil }
        do { return try cell.decode(T.self) } catch {
            throw StoreError.unreadableData("column \(column) cannot be read as \(T.self) (\(error))")
        }
    }
}
#endif
