import Foundation
import Testing

/// `supportsim export xapi` takes the filters of `report` (one option group for both).
@Suite struct ExportXAPIFilterTests {
    static func verbs(_ db: String, _ filter: [String]) throws -> [String] {
        let result = try CLI.run(["export", "xapi", "--db", db, "--ndjson"] + filter,
                                 environment: ["SUPPORTSIM_EMBEDDINGS": "off"])
        #expect(result.status == 0, "\(filter): \(result.stderr)")
        return try result.stdout.split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return ExportXAPITests.verb(object).map { String($0.split(separator: "/").last ?? "") } ?? "?"
        }
    }

    @Test("Given played attempts (passed, failed, abandoned), when exported as xAPI with each of report's filters, then only the attempts the filter names are exported")
    func filters() throws {
        // Given
        let (_, db) = try ExportXAPITests.playedDatabase()
        // When / Then
        #expect(try Self.verbs(db, []) == ["passed", "failed", "abandoned"])
        #expect(try Self.verbs(db, ["--trainee", "ivan"]) == ["failed"])
        #expect(try Self.verbs(db, ["--trainee", ExportXAPITests.hostileName]) == ["passed"])
        #expect(try Self.verbs(db, ["--status", "abandoned"]) == ["abandoned"])
        #expect(try Self.verbs(db, ["--status", "completed"]) == ["passed", "failed"])
        #expect(try Self.verbs(db, ["--scenario", "printer-before-board-meeting"]).count == 3)
        #expect(try Self.verbs(db, ["--scenario", "vpn-error-after-update"]).isEmpty)
        #expect(try Self.verbs(db, ["--mode", "practice"]).count == 3)
        #expect(try Self.verbs(db, ["--mode", "exam"]).isEmpty)
        #expect(try Self.verbs(db, ["--tag", "printing"]).count == 3)
        #expect(try Self.verbs(db, ["--tag", "no-such-tag"]).isEmpty)
        #expect(try Self.verbs(db, ["--line", "l1"]).count == 3)
        #expect(try Self.verbs(db, ["--line", "L3"]).isEmpty)
        #expect(try Self.verbs(db, ["--since", "1d"]).count == 3)
        #expect(try Self.verbs(db, ["--until", "2000-01-01"]).isEmpty)
        #expect(try Self.verbs(db, ["--since", "2000-01-01", "--until", "2999-12-31", "--trainee", "olga"]) == ["abandoned"])
    }

    @Test("Given export xapi, when a filter is malformed or --by is given, then it is refused as a usage error naming the option")
    func badFilters() throws {
        // Given
        let (_, db) = try ExportXAPITests.playedDatabase()
        // When
        let since = try CLI.run(["export", "xapi", "--db", db, "--since", "yesterday"])
        let by = try CLI.run(["export", "xapi", "--db", db, "--by", "trainee"])
        let help = try CLI.run(["export", "xapi", "--help"])
        // Then
        #expect(since.status != 0)
        #expect(since.stderr.contains("--since expects a day as YYYY-MM-DD or a span such as 30d"), "\(since.stderr)")
        #expect(by.status == 64, "\(by.stderr)")
        for option in ["--trainee", "--scenario", "--tag", "--line", "--since", "--until", "--mode", "--status"] {
            #expect(help.stdout.contains(option), "\(option)")
        }
        #expect(!help.stdout.contains("--by"))
    }
}
