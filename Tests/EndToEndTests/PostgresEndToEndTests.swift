import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

// The built binary on a shared PostgreSQL store, as a team uses it: run when SUPPORTSIM_TEST_POSTGRES
// names a server (`.ci/run` starts one) and the binary was built with the Postgres trait (`make test`).

private let serverURL = ProcessInfo.processInfo.environment["SUPPORTSIM_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }

@Suite("End to end: PostgreSQL store", .enabled(if: serverURL != nil, "set SUPPORTSIM_TEST_POSTGRES to a server"), .serialized)
struct PostgresEndToEndTests {
    static let scenario = "password-reset-no-identity"
    static let firstReply = "Hello, this is the service desk. May I have your name, please?"
    static let patience: TimeInterval = 90

    /// A new database on the test server, as a `--db` URL; dropped by `drop`.
    static func newDatabase() throws -> String {
        let name = "supportsim_e2e_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try psql(serverURL!, "CREATE DATABASE \(name)")
        return withDatabase(serverURL!, name)
    }

    static func drop(_ url: String) {
        let name = URLComponents(string: url)!.path.dropFirst()
        try? psql(serverURL!, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    static func withDatabase(_ url: String, _ name: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/" + name
        return components.string!
    }

    static func psql(_ url: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-qc", sql]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "psql \(sql)")
    }

    static func environment(_ dir: URL) -> [String: String] {
        ["SUPPORTSIM_EMBEDDINGS": "off", "XDG_DATA_HOME": dir.path, "XDG_STATE_HOME": dir.appendingPathComponent("state").path]
    }

    /// A `play` session on `db` through a proxy that can take the server away, with its first turn played.
    static func sessionThroughProxy(_ db: String, environment: [String: String]) throws
        -> (proxy: ServerProxy, url: URLComponents, program: RunningCLI)
    {
        let target = URLComponents(string: db)!
        let proxy = try ServerProxy(host: target.host!, port: target.port ?? 5432)
        var viaProxy = target
        viaProxy.host = "127.0.0.1"
        viaProxy.port = proxy.port
        let program = try RunningCLI(["play", scenario, "--db", viaProxy.string!, "--trainee", "olga", "--lang", "en",
                                      "--seed", "1"], environment: environment)
        try program.send(firstReply + "\n")
        try program.waitForOutput("Kevin: Kevin Walsh", timeout: patience)
        return (proxy, viaProxy, program)
    }

    @Test("Given a PostgreSQL store, when a trainee plays and a manager reports, shows and overrides, then everything reads as on SQLite")
    func playReportShowOverride() throws {
        // Given
        let db = try Self.newDatabase()
        defer { Self.drop(db) }
        let dir = try CLI.temporaryDirectory()
        let env = Self.environment(dir)
        #expect(try CLI.run(["db", "migrate", "--db", db], environment: env).status == 0)
        // When a trainee plays (the store named by SUPPORTSIM_DB this time)
        let played = try CLI.run(["play", Self.scenario, "--trainee", "olga", "--lang", "en", "--seed", "1"],
                                 input: Self.firstReply + "\n/quit\n", environment: env.merging(["SUPPORTSIM_DB": db]) { $1 })
        #expect(played.status == 0, "\(played.stdout)\(played.stderr)")
        #expect(played.stdout.contains("Attempt 1 saved"), "\(played.stdout)")
        #expect(!played.stdout.contains("supportsim_ci:"), "the password is never shown")
        // Then every report reads it
        let table = try CLI.run(["report", "--db", db, "--lang", "en"], environment: env)
        #expect(table.status == 0 && table.stdout.contains("olga"), "\(table.stdout)\(table.stderr)")
        let json = try CLI.run(["report", "--db", db, "--format", "json"], environment: env)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 1 && rows.first?["trainee"] as? String == "olga" && rows.first?["turns"] as? Int == 1)
        for by in ["trainee", "scenario", "category", "week", "month", "skill"] {
            let grouped = try CLI.run(["report", "--db", db, "--by", by, "--lang", "en"], environment: env)
            #expect(grouped.status == 0, "--by \(by): \(grouped.stderr)")
        }
        let csv = try CLI.run(["report", "--db", db, "--format", "csv"], environment: env)
        #expect(csv.status == 0 && csv.stdout.contains("olga"))
        let shown = try CLI.run(["show", "1", "--db", db, "--lang", "en"], environment: env)
        #expect(shown.status == 0 && shown.stdout.contains("Trainee   olga"), "\(shown.stdout)\(shown.stderr)")
        // A manager's override is kept beside the automatic score
        let overridden = try CLI.run(["override", "1", "--db", db, "--category", "correctness", "--score", "70",
                                      "--reason", "asked for the name first", "--by", "maria"], environment: env)
        #expect(overridden.status == 0, "\(overridden.stderr)")
        let after = try CLI.run(["report", "--db", db, "--format", "json"], environment: env)
        #expect(after.stdout.contains("\"maria\"") && after.stdout.contains("asked for the name first"))
        // Commands about the SQLite file itself say so plainly
        let verify = try CLI.run(["verify", "--db", db], environment: env)
        #expect(verify.status != 0 && verify.stderr.contains("works on a SQLite attempts file"), "\(verify.stderr)")
        #expect(!verify.stderr.contains("supportsim_ci:"), "the password is never shown")
    }

    @Test("Given setup-roles, when it prints, then the SQL turns on row-level security for both roles")
    func setupRolesPrints() throws {
        let printed = try CLI.run(["db", "setup-roles", "--trainee", "alice", "--manager", "ma\"ria"])
        #expect(printed.status == 0)
        #expect(printed.stdout.contains("ALTER TABLE attempt ENABLE ROW LEVEL SECURITY;"))
        #expect(printed.stdout.contains("GRANT supportsim_trainee TO \"alice\";"))
        #expect(printed.stdout.contains("GRANT supportsim_manager TO \"ma\"\"ria\";"))
    }

    @Test("Given a new database, when setup-roles is applied, then row-level security is on and the trainee can play but not see another's attempts")
    func setupRolesApplies() throws {
        // Given
        let db = try Self.newDatabase()
        let name = String(URLComponents(string: db)!.path.dropFirst())
        let trainee = "t_" + name.suffix(10)
        defer {
            Self.drop(db)
            try? Self.psql(serverURL!, "DROP ROLE IF EXISTS \(trainee)")
        }
        try Self.psql(serverURL!, "CREATE ROLE \(trainee) LOGIN PASSWORD 'pw'")
        let dir = try CLI.temporaryDirectory()
        let env = Self.environment(dir)
        // When
        let applied = try CLI.run(["db", "setup-roles", "--apply", "--db", db, "--trainee", trainee], environment: env)
        // Then
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        #expect(applied.stdout.contains("supportsim_trainee") && !applied.stdout.contains("supportsim_ci:"))
        // The owner plays one attempt; the trainee, with its own login, plays another and sees only that one
        let owner = try CLI.run(["play", Self.scenario, "--db", db, "--trainee", "owner", "--lang", "en", "--seed", "1"],
                                input: Self.firstReply + "\n/quit\n", environment: env)
        #expect(owner.status == 0, "\(owner.stderr)")
        var login = URLComponents(string: db)!
        login.user = trainee
        login.password = "pw"
        let played = try CLI.run(["play", Self.scenario, "--db", login.string!, "--trainee", trainee, "--lang", "en", "--seed", "1"],
                                 input: Self.firstReply + "\n/quit\n", environment: env)
        #expect(played.status == 0, "\(played.stdout)\(played.stderr)")
        let seen = try CLI.run(["report", "--db", login.string!, "--format", "json"], environment: env)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(seen.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["trainee"] as? String } == [trainee], "\(seen.stdout)")
        let refused = try CLI.run(["override", "1", "--db", login.string!, "--category", "correctness", "--score", "100",
                                   "--reason", "mine"], environment: env)
        #expect(refused.status != 0, "a trainee cannot override: \(refused.stdout)")
    }

    @Test("Given a session on PostgreSQL, when the server goes away mid-session and comes back, then the session goes on and every turn reaches the server")
    func serverGoneMidSession() throws {
        // Given a session through a proxy that can take the server away
        let db = try Self.newDatabase()
        defer { Self.drop(db) }
        let dir = try CLI.temporaryDirectory()
        let (proxy, _, program) = try Self.sessionThroughProxy(db, environment: Self.environment(dir))
        defer { proxy.stop() }
        // When the server goes away and the trainee goes on
        try proxy.cut()
        try program.send("Thank you, Kevin. Which account is locked?\n")
        // Then the trainee is told plainly that the turn is not in the store yet, and can go on
        try program.waitForOutput("Turn 2 was not saved in the store", timeout: Self.patience)
        try program.waitForOutput("kept in the local journal", timeout: Self.patience)
        // When the server is back and the trainee goes on
        try proxy.open()
        try program.send("I can't reset it for you, but Mark can use the self-service portal.\n")
        // Then the kept turn is delivered first, and the trainee is told
        try program.waitForOutput("The store is back", timeout: Self.patience)
        try program.send("/quit\ny\n")
        let end = try program.finish(timeout: Self.patience)
        // and every turn reached the server, in order, with nothing left in the journal
        #expect(end.status == 0, "\(program.text)")
        #expect(program.text.contains("Attempt 1 saved"), "\(program.text)")
        let json = try CLI.run(["report", "--db", db, "--format", "json"], environment: Self.environment(dir))
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.first?["turns"] as? Int == 3, "\(json.stdout)")
        let list = try CLI.run(["recover", "--list"], environment: Self.environment(dir))
        #expect(list.stdout.contains("holds no session"), "\(list.stdout)")
    }

    @Test("Given a session on PostgreSQL, when the server is still gone at the end, then the turns stay in the local journal and `recover --journal` delivers them later")
    func serverGoneUntilTheEnd() throws {
        // Given a session whose server goes away after the first turn and does not come back
        let db = try Self.newDatabase()
        defer { Self.drop(db) }
        let dir = try CLI.temporaryDirectory()
        let env = Self.environment(dir)
        let (proxy, viaProxy, program) = try Self.sessionThroughProxy(db, environment: env)
        defer { proxy.stop() }
        try proxy.cut()
        try program.send("Thank you, Kevin. Which account is locked?\n/quit\ny\n")
        // Then the session ends saying what is kept locally, with the command, and exit code 75
        let end = try program.finish(timeout: Self.patience)
        #expect(end.status == 75, "\(program.text)")
        #expect(program.text.contains("supportsim recover --journal"), "\(program.text)")
        #expect(!program.text.contains("supportsim_ci:"), "the password is never shown")
        // When the server is back and the journal is delivered (the password from SUPPORTSIM_DB)
        try proxy.open()
        let delivered = try CLI.run(["recover", "--journal"], environment: env.merging(["SUPPORTSIM_DB": viaProxy.string!]) { $1 })
        #expect(delivered.status == 0, "\(delivered.stdout)\(delivered.stderr)")
        // Then the attempt on the server has both turns and its ending
        let json = try CLI.run(["report", "--db", db, "--format", "json"], environment: env)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 1 && rows.first?["turns"] as? Int == 2 && rows.first?["ending"] as? String == "abandoned",
                "\(json.stdout)")
    }
}

/// `Tests/Support/cut_proxy.py` in front of the server: `cut` closes every connection and refuses
/// new ones, `open` accepts again; each command is acknowledged before it returns.
final class ServerProxy {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private(set) var port = 0

    init(host: String, port target: Int) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", CLI.packageRoot.appendingPathComponent("Tests/Support/cut_proxy.py").path,
                             host, String(target)]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        port = Int(try readLine()) ?? 0
    }

    func cut() throws { try command("cut") }
    func open() throws { try command("open") }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    private func command(_ word: String) throws {
        input.fileHandleForWriting.write(Data((word + "\n").utf8))
        let answer = try readLine()
        #expect(answer == "ok \(word)")
    }

    private func readLine() throws -> String {
        var bytes: [UInt8] = []
        while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") {
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
