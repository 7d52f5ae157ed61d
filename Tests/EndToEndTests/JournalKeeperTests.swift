import Foundation
import SupportSimCore
import SupportSimREPL
import SupportSimStore
import Testing
@testable import supportsim

/// A store that goes away: the next `failures` turn or ending writes fail, then it is back.
private final class GoneThenBack: AttemptRecorder {
    struct ServerGone: Error, CustomStringConvertible { var description: String { "the server closed the connection" } }
    var failures = 0
    var neverBack = false
    var turns: [Int] = []
    var ending: EndingKind?

    private func write() throws {
        if neverBack { throw ServerGone() }
        if failures > 0 { failures -= 1; throw ServerGone() }
    }
    func begin(_ attempt: AttemptStart) throws -> Int64 { 12 }
    func record(turn: Turn, attemptID: Int64, at: Date) throws { try write(); turns.append(turn.index) }
    func retract(attemptID: Int64, fromIndex: Int) throws { try write() }
    func finish(attemptID: Int64, ending: EndingKind, card: ScoreCard?, at: Date) throws { try write(); self.ending = ending }
}

private func turn(_ index: Int) -> Turn {
    Turn(index: index, input: .reply("reply \(index)"), node: "n", moodBefore: .calm, events: [], elapsed: Double(index))
}

private let start = AttemptStart(scenarioID: "printer", scenarioTitle: "Printer", scenarioVersion: 1, language: .en,
                                 mode: .exam, seed: 8, startedAt: Date(timeIntervalSince1970: 1_800_000_000),
                                 interfaceLanguage: .en)

private func journalPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("supportsim-keeper-\(UUID().uuidString)/journal.sqlite").path
}

@Suite struct JournalKeeperTests {
    @Test("Given the real journal and a server gone for turns 2 to 4, when it is back, then the entry held each turn as it came, the server got every turn once in order, and the entry is removed")
    func serverGoneThenBackWithTheRealJournal() throws {
        let path = journalPath()
        let base = GoneThenBack()
        let keeper = JournalKeeper(path: path, target: "postgres://trainer:hunter2@db.example/team")
        let recorder = ReliableRecorder(base: base, trainee: "anna", database: "postgres://trainer@db.example/team",
                                        keeper: keeper, attempts: 2, pause: { _ in })
        try recorder.start(start)
        try recorder.record(turn: turn(1), attemptID: 12, at: Date())
        #expect(!FileManager.default.fileExists(atPath: path))  // nothing kept while the store takes every turn

        base.failures = 2 * 3  // both tries of turn 2, at turns 2, 3 and 4 (the missed turns go first, in order)
        for index in 2...4 {
            #expect(throws: SaveNotice.self) { try recorder.record(turn: turn(index), attemptID: 12, at: Date()) }
            let entry = try #require(try SessionJournal(path: path).entries().first)
            #expect(entry.inputs.map(\.turn) == Array(1...index))
            #expect(entry.attemptID == 12 && entry.trainee == "anna" && entry.seed == 8)
            #expect(entry.target == "postgres://trainer@db.example/team")
        }
        #expect(base.failures == 0 && base.turns == [1])

        try recorder.record(turn: turn(5), attemptID: 12, at: Date())
        try recorder.finish(attemptID: 12, ending: .resolved, card: nil, at: Date())

        #expect(base.turns == [1, 2, 3, 4, 5])
        #expect(base.ending == .resolved)
        #expect(try SessionJournal(path: path).entries().isEmpty)
        #expect(recorder.saveReport?.outcome == .saved(attemptID: 12))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path)) + ((try? Data(contentsOf: URL(fileURLWithPath: path + "-wal"))) ?? Data())
        #expect(bytes.range(of: Data("hunter2".utf8)) == nil)
    }

    @Test("Given the real journal and a server that never comes back, when the session ends, then the entry holds every turn and the ending, and the report names the journal and the command")
    func serverNeverBackWithTheRealJournal() throws {
        let path = journalPath()
        let base = GoneThenBack()
        let recorder = ReliableRecorder(base: base, trainee: "anna", database: "/data/a.sqlite",
                                        keeper: JournalKeeper(path: path, target: "/data/a.sqlite"), attempts: 2, pause: { _ in })
        try recorder.start(start)
        base.neverBack = true
        for index in 1...3 {
            #expect(throws: SaveNotice.self) { try recorder.record(turn: turn(index), attemptID: 12, at: Date()) }
        }
        #expect(throws: SaveNotice.self) { try recorder.finish(attemptID: 12, ending: .left, card: nil, at: Date()) }

        let entry = try #require(try SessionJournal(path: path).entries().first)
        #expect(entry.inputs.map(\.turn) == [1, 2, 3] && entry.ending == .left && entry.endedAt != nil)
        let report = try #require(recorder.saveReport)
        #expect(report.exitCode == SaveReport.recoveryExitCode)
        #expect(report.recoverCommand == "supportsim recover --journal")
        #expect(report.outcome == .inJournal(path: path, entry: entry.id!, attemptID: 12, turnsInDatabase: 0, turns: 3,
                                             resultKept: true, command: "supportsim recover --journal"))
        #expect(report.message(UIStrings(.en)).contains("3 turn(s) and the result are kept locally in the journal \(path)"))
    }
}
