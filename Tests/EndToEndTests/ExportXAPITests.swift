import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `supportsim export xapi` and the streamed `report` formats on attempts played through the binary.
@Suite struct ExportXAPITests {
    /// The golden run "efficient-agent" of the printer scenario (seed 5): resolved and passed.
    static let passing = [
        "Hello Olga, I'm sorry about this, I know the board is waiting. Which printer are you using, and what does its screen say?",
        "Thank you. Please open the print queue, cancel all three jobs, then switch the printer off and on.",
        "That printer looks faulty, so let's not lose more time on it: please print to STM-2F-MFP on the 2nd floor by reception. In Settings, open Printers and scanners, click Add device and pick STM-2F-MFP.",
        "Great! Could you check that all the slides are there? I'll log the third-floor printer for our hardware team so it gets fixed today. Good luck with the board!",
        "/close Printed on STM-2F-MFP (2nd floor); 3rd-floor printer error 13.A2 after clearing the queue and a power cycle; hardware ticket to follow.",
    ]
    /// The golden run "competent-but-curt" (seed 4), closed with a hand-off note (a bare /close asks for
    /// one, and piped input would end there): resolved but failed.
    static let failing = [
        "Which printer. What error.", "Open the print queue.", "Cancel them all. Turn the printer off and on.",
        "As I said, it's broken. Print on the second floor one.", "Add device in Printers and scanners, pick STM-2F-MFP.",
        "Check all pages printed.", "/close Printed on the 2nd floor.",
    ]
    static let hostileName = "=HYPERLINK(\"http://evil.example\",\"x\")\n<script>alert(1)</script>\u{1B}[31m"

    /// A database with three attempts: passed (a hostile trainee name), failed, and abandoned (input ends after one reply).
    static func playedDatabase() throws -> (dir: URL, db: String) {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("a.sqlite").path
        let env = ["XDG_DATA_HOME": dir.path, "SUPPORTSIM_EMBEDDINGS": "off"]
        for (trainee, seed, replies) in [(hostileName, "5", passing), ("ivan", "4", failing), ("olga", "3", [passing[0]])] {
            let play = try CLI.run(["play", "printer-before-board-meeting", "--db", db, "--trainee", trainee, "--seed", seed,
                                    "--lang", "en"], input: replies.joined(separator: "\n") + "\n", environment: env)
            #expect(play.status == 0, "\(play.stderr)")
        }
        return (dir, db)
    }

    /// The statements of an export to standard output, as JSON objects.
    static func statements(_ json: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
    }

    static func verb(_ s: [String: Any]) -> String? { (s["verb"] as? [String: Any])?["id"] as? String }

    @Test("Given played attempts, when exported as xAPI to a file and as NDJSON, then there is one statement each, passed, failed and abandoned, with the same ids")
    func fileAndNDJSON() throws {
        let (dir, db) = try Self.playedDatabase()
        let file = dir.appendingPathComponent("statements.json").path
        let written = try CLI.run(["export", "xapi", "--db", db, "--output", file])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stderr.contains("3 statements (1 passed, 1 failed, 1 abandoned)"), "\(written.stderr)")
        let array = try Self.statements(try String(contentsOfFile: file, encoding: .utf8))
        #expect(array.map(Self.verb) == [
            "http://adlnet.gov/expapi/verbs/passed", "http://adlnet.gov/expapi/verbs/failed",
            "https://w3id.org/xapi/adl/verbs/abandoned",
        ])
        let actor = (array[0]["actor"] as? [String: Any])?["account"] as? [String: String]
        #expect(actor?["name"] == Self.hostileName)
        let ndjson = try CLI.run(["export", "xapi", "--db", db, "--ndjson"])
        #expect(ndjson.status == 0, "\(ndjson.stderr)")
        let lines = ndjson.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(!ndjson.stdout.unicodeScalars.contains { $0 != "\n" && ($0.value < 0x20 || (0x7F...0x9F).contains($0.value)) })
        let ids = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["id"] as? String }
        #expect(ids == array.map { $0["id"] as? String })
        // Exporting again gives the same text.
        #expect(try CLI.run(["export", "xapi", "--db", db, "--ndjson"]).stdout == ndjson.stdout)
    }

    @Test("Given played attempts and a loopback LRS, when exported in batches, then every statement arrives valid, once, even when exported twice")
    func toLRS() throws {
        let (dir, db) = try Self.playedDatabase()
        let lrs = try LRSReceiver(dir: dir, auth: "trainer:s3cret")
        defer { lrs.stop() }
        // When sent in batches of two
        let sent = try CLI.run(["export", "xapi", "--db", db, "--lrs", lrs.endpoint, "--batch", "2",
                                "--actor-homepage", "https://lms.example.org"],
                               environment: ["SUPPORTSIM_LRS_AUTH": "trainer:s3cret"])
        // Then two batches were reported and all three statements stored, valid (the receiver checks each)
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(sent.stdout.contains("batch 1: 2 statements stored") && sent.stdout.contains("batch 2: 1 statement stored"), "\(sent.stdout)")
        let received = try lrs.received()
        #expect(received.count == 3)
        #expect(Set(received.compactMap(Self.verb)) == [
            "http://adlnet.gov/expapi/verbs/passed", "http://adlnet.gov/expapi/verbs/failed",
            "https://w3id.org/xapi/adl/verbs/abandoned",
        ])
        let passed = try #require(received.first { Self.verb($0) == "http://adlnet.gov/expapi/verbs/passed" })
        let score = (passed["result"] as? [String: Any])?["score"] as? [String: Any]
        let scaled = try #require(score?["scaled"] as? Double)
        #expect(scaled >= 0.8 && scaled <= 1)
        #expect(((passed["actor"] as? [String: Any])?["account"] as? [String: String])?["homePage"] == "https://lms.example.org")
        // and the ids are those of a file export
        let exported = try Self.statements(try CLI.run(["export", "xapi", "--db", db, "--actor-homepage", "https://lms.example.org"]).stdout)
        #expect(Set(received.compactMap { $0["id"] as? String }) == Set(exported.compactMap { $0["id"] as? String }))

        // When exported again, the LRS refuses the batches as held already, and each statement is sent on its own
        let again = try CLI.run(["export", "xapi", "--db", db, "--lrs", lrs.endpoint, "--auth", "trainer:s3cret",
                                 "--actor-homepage", "https://lms.example.org"])
        // Then nothing is stored twice and the export succeeds
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("sent one by one: 3 stored or already there unchanged"), "\(again.stdout)")
        #expect(try lrs.received().count == 3)
    }

    @Test("Given an LRS that refuses the credentials, when exported, then the command fails and names the HTTP status")
    func lrsRefuses() throws {
        let (dir, db) = try Self.playedDatabase()
        let lrs = try LRSReceiver(dir: dir, auth: "trainer:s3cret")
        defer { lrs.stop() }
        let result = try CLI.run(["export", "xapi", "--db", db, "--lrs", lrs.endpoint, "--auth", "trainer:wrong"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("refused batch 1 (attempts #1–#3) with HTTP 401"), "\(result.stderr)")
        #expect(result.stderr.contains("Check --auth"))
        #expect(try lrs.received().isEmpty)
        // Nothing listens on port 9 of loopback (discard): a clear message, not a crash.
        let unreachable = try CLI.run(["export", "xapi", "--db", db, "--lrs", "http://127.0.0.1:9/xapi/"])
        #expect(unreachable.status != 0 && unreachable.stderr.contains("cannot reach the LRS"), "\(unreachable.stderr)")
    }

    @Test("Given played attempts with a hostile trainee name, when reported as CSV and NDJSON, then the CSV is spreadsheet-safe and NDJSON has one object a line")
    func reportFormats() throws {
        let (_, db) = try Self.playedDatabase()
        let csv = try CLI.run(["report", "--db", db, "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.hasPrefix("\u{FEFF}id,trainee,"))
        #expect(csv.stdout.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\n<script>alert(1)</script>\","), "\(csv.stdout.debugDescription)")
        #expect(!csv.stdout.contains("\u{1B}"))
        let ndjson = try CLI.run(["report", "--db", db, "--format", "ndjson"])
        let rows = try ndjson.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(rows.map { $0["id"] as? Int } == [3, 2, 1])
        #expect(rows.last?["trainee"] as? String == Self.hostileName)
        #expect((rows.last?["path"] as? [String])?.last == "wrap_up")
        let json = try Self.statements(try CLI.run(["report", "--db", db, "--format", "json"]).stdout)
        #expect(json.map { $0["id"] as? Int } == [3, 2, 1])
        // An empty store gives an empty array.
        let dir = try CLI.temporaryDirectory()
        #expect(try CLI.run(["export", "xapi", "--db", dir.appendingPathComponent("none.sqlite").path]).stdout == "[]\n")
    }
}

/// `Tests/Support/lrs_receiver.py` running on a free loopback port.
final class LRSReceiver {
    let process = Process()
    let store: URL
    let port: Int

    init(dir: URL, auth: String?) throws {
        store = dir.appendingPathComponent("lrs-\(UUID().uuidString).jsonl")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", CLI.packageRoot.appendingPathComponent("Tests/Support/lrs_receiver.py").path,
                             "--store", store.path] + (auth.map { ["--auth", $0] } ?? [])
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line is "port N", printed once the server listens.
        var line = Data()
        while true {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).replacingOccurrences(of: "port ", with: "")) else {
            process.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the LRS receiver did not start"])
        }
        self.port = port
    }

    var endpoint: String { "http://127.0.0.1:\(port)/xapi/" }

    /// The statements stored so far, in the order they arrived.
    func received() throws -> [[String: Any]] {
        try String(contentsOf: store, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// SIGKILL: a child of the test runner may inherit a mask that blocks SIGTERM.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }

    deinit { stop() }
}
