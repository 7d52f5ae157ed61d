import Foundation
import SupportSimCore
import Testing
@testable import SupportSimStore
#if Postgres
@testable import SupportSimPostgres
#endif

/// The backends the store contract tests run against: SQLite always; PostgreSQL when this build has
/// the `Postgres` trait and `SUPPORTSIM_TEST_POSTGRES` names a server (`.ci/run` starts one on
/// loopback and sets it). Each test gets a fresh, empty store.
struct StoreBackend: Sendable, CustomTestStringConvertible {
    enum Kind: Sendable { case sqlite, postgres }
    let kind: Kind

    var testDescription: String { kind == .sqlite ? "SQLite" : "PostgreSQL" }

    static var all: [StoreBackend] {
        var backends = [StoreBackend(kind: .sqlite)]
        if TestPostgres.url != nil { backends.append(StoreBackend(kind: .postgres)) }
        return backends
    }

    /// A fresh store, and what removes it afterwards.
    func make() throws -> (store: any AttemptStore, cleanUp: () -> Void) {
        switch kind {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("supportsim-contract-\(UUID().uuidString)")
            let store = try AttemptDatabase(path: dir.appendingPathComponent("store.sqlite").path)
            return (store, { try? FileManager.default.removeItem(at: dir) })
        case .postgres:
            #if Postgres
            let database = try TestPostgres.createDatabase()
            let store = try PostgresAttemptStore(url: database)
            return (store, { store.close(); TestPostgres.dropDatabase(database) })
            #else
            throw StoreError.failed(operation: "open PostgreSQL", reason: "built without the Postgres trait")
            #endif
        }
    }
}

/// The PostgreSQL server the tests may use.
enum TestPostgres {
    /// `SUPPORTSIM_TEST_POSTGRES`: a role that may create databases and roles. Nil when not set or
    /// when this build has no PostgreSQL support.
    static var url: String? {
        #if Postgres
        let value = ProcessInfo.processInfo.environment["SUPPORTSIM_TEST_POSTGRES"] ?? ""
        return value.isEmpty ? nil : value
        #else
        return nil
        #endif
    }

    /// True when CI asks that the PostgreSQL tests run (`SUPPORTSIM_REQUIRE_POSTGRES=1`).
    static var required: Bool { ProcessInfo.processInfo.environment["SUPPORTSIM_REQUIRE_POSTGRES"] == "1" }

    #if Postgres
    static var admin: PostgresURL { try! PostgresURL(url!) }

    /// Runs SQL as the test role on its own database.
    static func run(_ sql: String, on url: PostgresURL = admin) throws {
        let link = PostgresLink(url: url)
        defer { link.close() }
        try link.withConnection { try $0.execute(sql) }
    }

    /// A new empty database, named for the test run.
    static func createDatabase() throws -> PostgresURL {
        let name = "supportsim_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try run("CREATE DATABASE \(name)")
        var url = admin
        url.database = name
        return url
    }

    static func dropDatabase(_ url: PostgresURL) {
        try? run("DROP DATABASE IF EXISTS \(url.database) WITH (FORCE)")
    }
    #endif
}
