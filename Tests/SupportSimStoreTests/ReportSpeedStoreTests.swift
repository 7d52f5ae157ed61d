import Foundation
import GRDB
import SupportSimCore
import Testing
@testable import SupportSimStore

private let start = Date(timeIntervalSince1970: 1_793_000_000)

@Suite("Store: report indexes and streamed reads")
struct ReportSpeedStoreTests {
    @Test("Given a new store file, when it is opened for writing, then schema 8 adds the report indexes, the partial index of lost points and the index of the turns' paths")
    func schemaEightAddsReportIndexes() throws {
        // Given
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("report-indexes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("store.sqlite").path
        // When
        _ = try AttemptDatabase(path: path)
        // Then
        let (indexes, migrations, version) = try DatabaseQueue(path: path).read { db in
            (try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'"),
             try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"),
             try Int.fetchOne(db, sql: "PRAGMA user_version"))
        }
        #expect(AttemptDatabase.schemaVersion == 8 && version == 8)
        #expect(migrations.last == "v8: report indexes")
        for name in ["attempt_report_by_trainee", "attempt_report_by_scenario", "attempt_report_by_date", "evidence_lost_points", "turn_path"] {
            #expect(indexes.contains(name), "\(name) in \(indexes)")
        }
    }

    @Test("Given the grouped queries' shapes, when SQLite plans them on schema 8, then they read covering indexes, the partial index of lost points and the turns' path index")
    func groupedQueriesUseTheIndexes() throws {
        // Given
        let database = try AttemptDatabase.inMemory()
        // When / Then
        try database.reader.read { db in
            func plan(_ sql: String) throws -> String {
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "\n")
            }
            let byTrainee = try plan("SELECT trainee, mode, COUNT(*), SUM(status = 'completed'), AVG(total), AVG(correctness) FROM attempt GROUP BY trainee, mode")
            #expect(byTrainee.contains("COVERING INDEX attempt_report_by_trainee") && !byTrainee.contains("TEMP B-TREE"), "\(byTrainee)")
            let byScenario = try plan("SELECT scenario_id, mode, COUNT(*), AVG(escalation) FROM attempt WHERE status = 'completed' GROUP BY scenario_id, mode")
            #expect(byScenario.contains("COVERING INDEX attempt_report_by_scenario"), "\(byScenario)")
            let lost = try plan("""
                SELECT e.rule, COUNT(DISTINCT e.attempt_id), MIN(e.message) FROM evidence e JOIN attempt a ON a.id = e.attempt_id
                WHERE e.kind = 'critical' OR (e.kind = 'deduction' AND e.points > 0) GROUP BY e.rule
                """)
            #expect(lost.contains("evidence_lost_points"), "\(lost)")
            let paths = try plan("""
                SELECT turn.attempt_id, turn.node, turn.node_after, turn.arrivals, turn.retracted FROM attempt
                JOIN turn ON turn.attempt_id = attempt.id ORDER BY attempt.started_at DESC, attempt.id DESC, turn.turn_index
                """)
            #expect(paths.contains("COVERING INDEX turn_path") && !paths.contains("TEMP B-TREE"), "\(paths)")
        }
    }

    @Test("Given stored arrivals as JSON arrays, when read for a path, then plain and escaped strings come back as written, others as JSONDecoder reads them, and malformed ones are refused")
    func arrivalsParse() {
        #expect(AttemptDatabase.parseStringArray("[]") == [])
        #expect(AttemptDatabase.parseStringArray(#"["a"]"#) == ["a"])
        #expect(AttemptDatabase.parseStringArray(#"["узел-1","b c","😀"]"#) == ["узел-1", "b c", "😀"])
        #expect(AttemptDatabase.parseStringArray(#"[ "a" , "b" ]"#) == ["a", "b"])
        #expect(AttemptDatabase.parseStringArray(#"["quote \" and \\ \n"]"#) == ["quote \" and \\ \n"])
        // What the fast path does not take is read by JSONDecoder, as before (it takes a trailing comma).
        #expect(AttemptDatabase.parseStringArray(#"["a",]"#) == (try? JSONDecoder().decode([String].self, from: Data(#"["a",]"#.utf8))))
        #expect(AttemptDatabase.parseStringArray(#"["a""#) == nil)
        #expect(AttemptDatabase.parseStringArray("{}") == nil)
        #expect(AttemptDatabase.parseStringArray("[1]") == nil)
        for nodes in [["s1"], ["s1", "s2", "s3"], ["ÿ\u{7F}", ""]] {
            let json = String(decoding: try! JSONEncoder().encode(nodes), as: UTF8.self)
            #expect(AttemptDatabase.parseStringArray(json) == nodes)
        }
    }

    @Test("Given attempts with and without turns and one rescored, when iterated for the table, then the facts come first and size every column, and each row is read once")
    func tableFactsComeFirst() throws {
        // Given
        let database = try AttemptDatabase.inMemory()
        var ids: [Int64] = []
        for (i, name) in ["ann", "Иван", "李雷"].enumerated() {
            ids.append(try database.startAttempt(NewAttempt(
                trainee: name, scenarioID: "printer", scenarioTitle: "Printer", language: .en, mode: i == 2 ? .exam : .practice,
                seed: 1, startedAt: start.addingTimeInterval(Double(i) * 60))))
        }
        try database.recordRescore(attemptID: ids[0], card: nil, scenarioVersion: 1, scenarioHash: nil, at: start)
        // When
        var facts: AttemptTableFacts?
        var seen: [Int64] = []
        let count = try database.forEachAttemptForTable(AttemptFilter(), facts: { given in
            #expect(seen.isEmpty)
            facts = given
        }) { seen.append($0.record.id) }
        // Then
        let f = try #require(facts)
        #expect(count == 3 && seen == ids.reversed())
        #expect(f.count == 3 && f.minID == ids[0] && f.maxID == ids[2])
        #expect(Set(f.trainees) == ["ann", "Иван", "李雷"] && f.scenarioIDs == ["printer"] && f.modes == ["exam", "practice"])
        #expect(f.firstStarted == start && f.lastStarted == start.addingTimeInterval(120))
        #expect(f.audited.map(\.id) == [ids[0]])
        #expect(f.results == [AttemptTableFacts.Result(status: "abandoned", passed: nil)])
        #expect(f.scores[.total] == AttemptTableFacts.Score(longest: nil, missing: true))
        // and a filter narrows the facts as it narrows the rows
        var narrowed: AttemptTableFacts?
        try database.forEachAttemptForTable(AttemptFilter(trainee: "Иван"), facts: { narrowed = $0 }) { _ in }
        #expect(narrowed?.count == 1 && narrowed?.trainees == ["Иван"] && narrowed?.audited.isEmpty == true)
    }
}

@Suite("Store: paths read alongside the attempts")
struct PathStreamStoreTests {
    @Test("Given attempts with turns and without, (some without arrivals, one stored before paths were) when iterated with paths in either order, with a filter or a limit, then each path is the one read for that attempt alone")
    func mergedPathsMatchPerAttemptPaths() throws {
        // Given
        let database = try AttemptDatabase.inMemory()
        for (i, trainee) in ["ann", "bob", "ann", "cy"].enumerated() {
            let id = try database.startAttempt(NewAttempt(
                trainee: trainee, scenarioID: "printer", scenarioTitle: "Printer", language: .en, mode: .practice, seed: 1,
                startedAt: start.addingTimeInterval(Double([3, 1, 2, 0][i]) * 60)))
            for turn in 0..<(i == 1 ? 0 : i + 1) {
                try database.recordTurn(attemptID: id, turn: Turn(
                    index: turn + 1, number: turn + 1, input: .reply("r\(turn)"), node: "n\(turn)", moodBefore: .calm, events: [],
                    elapsed: 1, nodeAfter: i == 3 && turn == 3 ? nil : "n\(turn + (turn == 1 ? 0 : 1))",
                    arrivals: turn == 1 ? nil : turn == 2 ? ["x\"y", "n\(turn + 1)"] : ["n\(turn + 1)"]),
                    at: start)
            }
        }
        for filter in [AttemptFilter(), AttemptFilter(trainee: "ann"), AttemptFilter(limit: 2), AttemptFilter(trainee: "nobody")] {
            for order in [AttemptOrder.newestFirst, .byID] {
                // When
                var rows: [AttemptRow] = []
                try database.forEachAttempt(filter, order: order, includePaths: true) { rows.append($0) }
                // Then
                for row in rows {
                    #expect(row.path == (try database.path(attemptID: row.record.id)), "attempt \(row.record.id)")
                }
                var plain: [Int64] = []
                try database.forEachAttempt(filter, order: order) { plain.append($0.record.id) }
                #expect(rows.map(\.record.id) == plain)
            }
        }
    }
}
