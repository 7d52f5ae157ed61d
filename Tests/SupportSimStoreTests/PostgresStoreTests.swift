#if Postgres
import Foundation
import SupportSimCore
import Testing
@testable import SupportSimPostgres
@testable import SupportSimStore

// What only the PostgreSQL store has: its schema version on the server, roles with row-level
// security, and a server that goes away and comes back. Run when `SUPPORTSIM_TEST_POSTGRES` is set
// (`.ci/run` sets it); the contract tests cover everything both backends share.

private let t0 = Date(timeIntervalSince1970: 1_793_000_000)

private func newAttempt(_ trainee: String) -> NewAttempt {
    NewAttempt(trainee: trainee, scenarioID: "vpn-drops", scenarioTitle: "VPN drops", language: .en, mode: .practice,
               seed: 7, startedAt: t0)
}

private func reply(_ index: Int) -> Turn {
    Turn(index: index, number: index, input: .reply("reply \(index)"), node: "n", moodBefore: .calm, events: [],
         elapsed: 1, nodeAfter: "n", arrivals: nil)
}

@Suite("Store: PostgreSQL", .enabled(if: TestPostgres.url != nil, "set SUPPORTSIM_TEST_POSTGRES to a server"), .serialized)
struct PostgresStoreTests {
    @Test("Given a database written by a newer SupportSim, when it is opened, then it is refused and left as it was")
    func newerSchemaRefused() throws {
        // Given
        let url = try TestPostgres.createDatabase()
        defer { TestPostgres.dropDatabase(url) }
        _ = try PostgresAttemptStore(url: url)
        try TestPostgres.run("UPDATE supportsim_schema SET version = 99", on: url)
        // When / Then
        #expect(throws: StoreError.newerVersion(path: url.redacted, found: 99, known: PostgresSchema.version)) {
            _ = try PostgresAttemptStore(url: url)
        }
        #expect(throws: StoreError.self) { _ = try PostgresAttemptStore(url: url, migrate: false) }
        let link = PostgresLink(url: url)
        defer { link.close() }
        let versions = try link.withConnection { session in
            try session.query(Statement("SELECT version FROM supportsim_schema")).map {
                try $0.makeRandomAccess().value("version", as: Int.self)
            }
        }
        #expect(versions == [99])
    }

    @Test("Given an empty database, when a role that may not create tables opens it, then it is told to ask for `db migrate`")
    func missingTablesNamed() throws {
        let url = try TestPostgres.createDatabase()
        defer { TestPostgres.dropDatabase(url) }
        do {
            _ = try PostgresAttemptStore(url: url, migrate: false)
            Issue.record("an empty database opened without its tables")
        } catch let error as StoreError {
            #expect(error.description.contains("supportsim db migrate"))
        }
    }

    @Test("Given a wrong password or no server, when the store opens, then the reason is plain and has no password in it")
    func unreachableNamed() throws {
        var url = TestPostgres.admin
        url.password = "wrong-secret"
        #expect {
            _ = try PostgresAttemptStore(url: url)
        } throws: { error in
            let text = "\(error)"
            return !text.contains("wrong-secret") && text.contains(url.redacted)
        }
        var nowhere = TestPostgres.admin
        nowhere.port = 1  // nothing listens there
        #expect {
            _ = try PostgresAttemptStore(url: nowhere)
        } throws: { error in
            "\(error)".contains("cannot reach the PostgreSQL server")
        }
    }

    @Test("Given trainee and manager roles, when each works, then trainees see only their own attempts and managers all, and only managers override")
    func rowLevelSecurity() throws {
        // Given
        let url = try TestPostgres.createDatabase()
        let suffix = String(url.database.suffix(8))
        let (alice, bob, carol) = ("alice_\(suffix)", "bob_\(suffix)", "carol_\(suffix)")
        defer {
            TestPostgres.dropDatabase(url)
            for role in [alice, bob, carol] { try? TestPostgres.run("DROP ROLE IF EXISTS \(role)") }
        }
        for role in [alice, bob, carol] { try TestPostgres.run("CREATE ROLE \(role) LOGIN PASSWORD 'pw-\(role)'") }
        let owner = try PostgresAttemptStore(url: url)
        try owner.setUpRoles(trainees: [alice, bob], managers: [carol])
        func login(_ role: String) throws -> PostgresAttemptStore {
            var as_ = url
            as_.user = role
            as_.password = "pw-\(role)"
            return try PostgresAttemptStore(url: as_)
        }
        let (a, b, c) = (try login(alice), try login(bob), try login(carol))
        // When: each trainee plays one attempt
        let aliceID = try a.startAttempt(newAttempt("alice"))
        try a.recordTurn(attemptID: aliceID, turn: reply(1), at: t0)
        try a.finishAttempt(id: aliceID, ending: .resolved, card: nil, finalNode: nil, at: t0)
        let bobID = try b.startAttempt(newAttempt("bob"))
        try b.recordTurn(attemptID: bobID, turn: reply(1), at: t0)
        // Then: trainees see only their own
        #expect(try a.attempts(.init()).map(\.id) == [aliceID])
        #expect(try b.attempts(.init()).map(\.id) == [bobID])
        #expect(try b.attempt(id: aliceID) == nil)
        #expect(try b.turns(attemptID: aliceID).isEmpty)
        #expect(throws: StoreError.attemptNotFound(aliceID)) { try b.recordTurn(attemptID: aliceID, turn: reply(2), at: t0) }
        #expect(try b.groupFigures(.init(), by: .trainee, reference: t0, trendWindow: 30).map(\.key) == ["bob"])
        // Managers read everything and override; they do not play
        #expect(Set(try c.attempts(.init()).map(\.id)) == [aliceID, bobID])
        #expect(try c.turns(attemptID: aliceID).count == 1)
        try c.addOverride(attemptID: aliceID, category: .politeness, score: 95, reason: "calibrated", by: "carol", at: t0)
        #expect(throws: StoreError.self) { _ = try c.startAttempt(newAttempt("carol")) }
        // Trainees cannot override, but see the overrides of their own attempts
        #expect {
            try a.addOverride(attemptID: aliceID, category: .politeness, score: 100, reason: "me", by: "alice", at: t0)
        } throws: { error in
            "\(error)".contains("not allowed")
        }
        #expect(try a.overrides(attemptID: aliceID).map(\.score) == [95])
        #expect(try b.overrides(attemptID: aliceID).isEmpty)
        // A trainee cannot give an attempt to someone else
        #expect(throws: (any Error).self) {
            try TestPostgres.run("UPDATE attempt SET owner = 'postgres'", on: {
                var u = url; u.user = alice; u.password = "pw-\(alice)"; return u
            }())
        }
        for store in [a, b, c, owner] { store.close() }
    }

    @Test("Given a session writing through a proxy, when the server goes away and comes back, then writes fail plainly and then go on")
    func serverGoneAndBack() throws {
        // Given
        let url = try TestPostgres.createDatabase()
        defer { TestPostgres.dropDatabase(url) }
        let proxy = try CutProxy(target: url)
        defer { proxy.stop() }
        let store = try PostgresAttemptStore(url: proxy.url)
        let id = try store.startAttempt(newAttempt("dana"))
        try store.recordTurn(attemptID: id, turn: reply(1), at: t0)
        // When: the server goes away (every connection cut, new ones refused)
        try proxy.cut()
        // Then
        #expect {
            try store.recordTurn(attemptID: id, turn: reply(2), at: t0)
        } throws: { error in
            "\(error)".contains("save turn 2 of attempt #\(id)")
        }
        // When: it is back, the same store connects again and the turn is stored once
        try proxy.open()
        try store.recordTurn(attemptID: id, turn: reply(2), at: t0)
        try store.recordTurn(attemptID: id, turn: reply(3), at: t0)
        #expect(try store.turns(attemptID: id).map(\.index) == [1, 2, 3])
        store.close()
    }
}

/// A TCP proxy in front of the test server that can cut every connection and refuse new ones
/// (`Tests/Support/cut_proxy.py`), so a test can take the server away without stopping it.
final class CutProxy {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    let url: PostgresURL

    init(target: PostgresURL) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Support/cut_proxy.py")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, target.host, String(target.port)]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let port = try Int(Self.readLine(output)).flatMap { $0 } ?? 0
        var url = target
        url.host = "127.0.0.1"
        url.port = port
        self.url = url
    }

    func cut() throws { try command("cut") }
    func open() throws { try command("open") }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// Sends a command and waits for the proxy to say it is done.
    private func command(_ word: String) throws {
        input.fileHandleForWriting.write(Data((word + "\n").utf8))
        let answer = try Self.readLine(output)
        guard answer == "ok \(word)" else { throw StoreError.failed(operation: "proxy \(word)", reason: answer) }
    }

    private static func readLine(_ pipe: Pipe) throws -> String {
        var bytes: [UInt8] = []
        while true {
            let chunk = try pipe.fileHandleForReading.read(upToCount: 1) ?? Data()
            guard let byte = chunk.first else { break }
            if byte == UInt8(ascii: "\n") { break }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
#endif
