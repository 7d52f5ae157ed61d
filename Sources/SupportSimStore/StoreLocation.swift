import Foundation

/// Where attempts are kept, as given by `--db`, `SUPPORTSIM_DB` or the default: a SQLite file, or a
/// PostgreSQL server (`postgres://user[:password]@host[:port]/database[?sslmode=…]`).
public enum StoreLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(PostgresURL)

    /// `postgres://` and `postgresql://` URLs name a server; anything else is a file path.
    public init(_ text: String) throws {
        let lower = text.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
            self = .postgres(try PostgresURL(text))
        } else {
            self = .sqlite(path: text)
        }
    }
}

/// A PostgreSQL connection URL, read without any network access.
public struct PostgresURL: Sendable, Equatable {
    public enum TLSMode: String, Sendable, Equatable {
        /// Never encrypt (a server on loopback or a private network).
        case disable
        /// Encrypt when the server offers it, without checking its certificate (libpq's default).
        case prefer
        /// Always encrypt, without checking the certificate (as libpq's `require`).
        case require
        /// Always encrypt, and check the server's certificate and name (`verify-ca`, `verify-full`).
        case verifyFull
    }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode

    public init(user: String, password: String?, host: String, port: Int = 5432, database: String, tls: TLSMode = .prefer) {
        self.user = user; self.password = password; self.host = host; self.port = port; self.database = database
        self.tls = tls
    }

    /// Reads `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require|verify-full]`.
    public init(_ text: String) throws {
        func bad(_ why: String) -> StoreError {
            .cannotOpen(path: Self.redact(text), reason: "\(why); write it as postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
        }
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw bad("this is not a PostgreSQL URL")
        }
        guard let user = components.user, !user.isEmpty else { throw bad("the URL names no user") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw bad("the URL names no database") }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            switch (item.name, item.value ?? "") {
            case ("sslmode", "disable"): tls = .disable
            case ("sslmode", "allow"), ("sslmode", "prefer"): tls = .prefer
            case ("sslmode", "require"): tls = .require
            case ("sslmode", "verify-ca"), ("sslmode", "verify-full"): tls = .verifyFull
            case ("sslmode", let other): throw bad("sslmode \"\(other)\" is not one of disable, prefer, require, verify-full")
            default: throw bad("the URL option \"\(item.name)\" is not known (only sslmode is)")
            }
        }
        self.init(
            user: components.user?.removingPercentEncoding ?? user,
            password: components.password?.removingPercentEncoding, host: host, port: components.port ?? 5432,
            database: database.removingPercentEncoding ?? database, tls: tls)
    }

    /// The URL as shown in messages and stored in journals: never with the password.
    public var redacted: String {
        "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
    }

    /// Any store setting with its password taken out (one rule for messages and journals).
    public static func redact(_ text: String) -> String { SessionJournal.redactedTarget(text) }
}
