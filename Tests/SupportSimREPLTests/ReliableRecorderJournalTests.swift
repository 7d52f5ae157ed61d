import Foundation
import SupportSimCore
import Testing
@testable import SupportSimREPL

/// A store that goes away: the next `failures` writes (turns, take-backs, endings) fail, then it is back.
final class OutageRecorder: AttemptRecorder {
    struct ServerGone: Error, CustomStringConvertible { var description: String { "the server closed the connection" } }
    var failures = 0
    var neverBack = false
    var turns: [Int] = []
    var ending: EndingKind?

    private func write() throws {
        if neverBack { throw ServerGone() }
        if failures > 0 { failures -= 1; throw ServerGone() }
    }
    func begin(_ attempt: AttemptStart) throws -> Int64 { 31 }
    func record(turn: Turn, attemptID: Int64, at: Date) throws {
        try write()
        turns.append(turn.index)
    }
    func retract(attemptID: Int64, fromIndex: Int) throws { try write() }
    func finish(attemptID: Int64, ending: EndingKind, card: ScoreCard?, at: Date) throws {
        try write()
        self.ending = ending
    }
}

/// A journal in memory: every `keep` is one entry's new state (what one transaction writes).
final class MemoryJournalKeeper: RecoveryKeeper {
    var broken: String?
    private(set) var entry: RecoveryFile?
    private(set) var writes = 0
    private(set) var discarded = false

    var place: KeptPlace? {
        entry == nil ? nil : .journal(path: "/state/journal.sqlite", entry: 1, deliverCommand: "supportsim recover --journal")
    }
    func keep(_ session: RecoveryFile) throws -> KeptPlace {
        if let broken { throw KeepFailure(broken) }
        entry = session
        writes += 1
        return place!
    }
    func discard() { entry = nil; discarded = true }
}

private let start = AttemptStart(scenarioID: "printer", scenarioTitle: "Printer", scenarioVersion: 1, language: .en,
                                 mode: .practice, seed: 42, startedAt: Date(timeIntervalSince1970: 1_800_000_000),
                                 interfaceLanguage: .en)

private func turn(_ index: Int) -> Turn {
    Turn(index: index, input: .reply("reply \(index)"), node: "n", moodBefore: .calm, events: [], elapsed: Double(index))
}

/// The text with every run of spaces and line breaks as one space (lines are wrapped and indented).
private func words(_ text: String) -> String {
    text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
}

@Suite struct ReliableRecorderJournalTests {
    static let lines = ["Hello Olga, which printer are you sending it to?", "Could you open the print queue?"]

    @Test("Given a store that goes away for turns 2 and 3, when it is back at turn 4, then every turn reaches it in order, once, and the journal entry is removed")
    func serverGoneThenBack() throws {
        let base = OutageRecorder()
        let journal = MemoryJournalKeeper()
        let recorder = ReliableRecorder(base: base, trainee: "olga", database: "postgres://olga@db/team", keeper: journal,
                                        attempts: 3, pause: { _ in })
        try recorder.start(start)
        try recorder.record(turn: turn(1), attemptID: 31, at: Date())

        // When the store is gone for every try of turns 2 and 3 (and the retry of 2 before 3)
        base.failures = 9
        var notices: [String] = []
        for index in 2...3 {
            do { try recorder.record(turn: turn(index), attemptID: 31, at: Date()) } catch let notice as SaveNotice {
                notices.append(notice.description)
            }
        }
        // Then each turn was told, in plain words, as kept locally, and the journal holds the whole session
        #expect(notices.count == 2)
        #expect(notices.first?.contains("Turn 2 was not saved in the store (the server closed the connection)") == true)
        #expect(notices.last?.contains("It is kept in the local journal on this computer and will be delivered when the store is back") == true)
        #expect(journal.entry?.inputs.map(\.turn) == [1, 2, 3])
        #expect(base.turns == [1])

        // When the store is back for turn 4, 5 and the ending
        base.failures = 0
        try recorder.record(turn: turn(4), attemptID: 31, at: Date())
        #expect(recorder.takeNotice() == "The store is back: the 2 turn(s) kept locally have reached it, in order.")
        #expect(recorder.takeNotice() == nil)
        try recorder.record(turn: turn(5), attemptID: 31, at: Date())
        #expect(recorder.takeNotice() == nil)
        try recorder.finish(attemptID: 31, ending: .resolved, card: nil, at: Date())

        // Then the store has every turn in order, none twice, and the ending; the entry is gone; all saved
        #expect(base.turns == [1, 2, 3, 4, 5])
        #expect(base.ending == .resolved)
        #expect(journal.discarded && journal.place == nil)
        #expect(recorder.saveReport == SaveReport(outcome: .saved(attemptID: 31)))
    }

    @Test("Given a store that never comes back, when the session is played to its end, then the entry holds every turn and the ending, and the last lines say how many turns are kept and how to deliver them")
    func serverNeverBack() throws {
        let base = OutageRecorder()
        base.neverBack = true
        let journal = MemoryJournalKeeper()
        let recorder = ReliableRecorder(base: base, trainee: "olga", database: "postgres://olga@db/team", keeper: journal,
                                        attempts: 3, pause: { _ in })
        let h = Harness(Self.lines.map(LineInput.line), recorder: recorder)

        _ = h.session.run()

        let text = words(h.output.text)
        #expect(text.contains("Turn 1 was not saved in the store"), "\(h.output.text)")
        #expect(text.contains("Turn 2 was not saved in the store"))
        #expect(text.contains("The result was not saved in the store"))
        #expect(!text.contains("Saved as"))
        #expect(text.contains("The store holds 0 of 2 turn(s) of attempt 31"), "\(h.output.text)")
        #expect(text.contains("2 turn(s) and the result are kept locally in the journal /state/journal.sqlite, and nothing is lost"))
        #expect(h.output.text.contains("\n   supportsim recover --journal\n"), "\(h.output.text)")
        let report = try #require(recorder.saveReport)
        #expect(report.exitCode == SaveReport.recoveryExitCode)
        #expect(report.recoverCommand == "supportsim recover --journal")
        let entry = try #require(journal.entry)
        #expect(entry.inputs.map(\.input) == Self.lines.map(TraineeInput.reply))
        #expect(entry.ending == .resolved && entry.trainee == "olga" && entry.seed == 42 && entry.attemptID == 31)
    }

    @Test("Given a Russian interface, when a turn is kept in the journal, then the trainee is told in Russian")
    func russianMessages() throws {
        let base = OutageRecorder()
        base.neverBack = true
        let recorder = ReliableRecorder(base: base, trainee: "olga", database: "/a.sqlite", keeper: MemoryJournalKeeper(),
                                        attempts: 1, pause: { _ in })
        let h = Harness(Self.lines.map(LineInput.line), language: .ru, recorder: recorder)
        _ = h.session.run()
        let text = words(h.output.text)
        #expect(text.contains("Ход 1 не сохранён в хранилище"), "\(h.output.text)")
        #expect(text.contains("будет доставлен, когда хранилище снова станет доступно"))
        #expect(text.contains("сохранены локально в журнале"))
        #expect(h.output.text.contains("supportsim recover --journal"))
    }

    @Test("Given a journal that cannot be used, when a turn is not saved, then it goes to a recovery file and the trainee is told why, once")
    func unusableJournalFallsBackToRecoveryFiles() throws {
        let base = OutageRecorder()
        base.neverBack = true
        let journal = MemoryJournalKeeper()
        journal.broken = "/state/journal.sqlite is not a usable SupportSim journal (file is not a database)"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("supportsim-fallback-\(UUID().uuidString)")
        let keeper = FirstAvailableKeeper([journal, RecoveryFilesKeeper(directories: [dir], processID: 7)])
        let recorder = ReliableRecorder(base: base, trainee: "olga", database: "/a.sqlite", keeper: keeper,
                                        attempts: 1, pause: { _ in })
        let h = Harness(Self.lines.map(LineInput.line), recorder: recorder)

        _ = h.session.run()

        let text = words(h.output.text)
        #expect(text.components(separatedBy: "The local journal cannot be used").count == 2, "\(h.output.text)")
        #expect(text.contains("is not a usable SupportSim journal"))
        #expect(text.contains("It is kept in the recovery file " + dir.path))
        guard case .inRecoveryFile(let path, _, _, let turns)? = recorder.saveReport?.outcome else {
            Issue.record("not in a recovery file: \(String(describing: recorder.saveReport))"); return
        }
        #expect(turns == 2)
        #expect(try RecoveryFile.read(from: URL(fileURLWithPath: path)).inputs.count == 2)
    }

    @Test("Given the journal comes back after a recovery file was used, when the next turn is kept, then it is in the journal and the file is gone")
    func journalPreferredAgain() throws {
        let journal = MemoryJournalKeeper()
        journal.broken = "busy"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("supportsim-fallback-\(UUID().uuidString)")
        let keeper = FirstAvailableKeeper([journal, RecoveryFilesKeeper(directories: [dir], processID: 7)])
        let session = RecoveryFile(trainee: "olga", start: start, attemptID: 1, database: "/a.sqlite")
        guard case .file(let path) = try keeper.keep(session) else { Issue.record("not a file"); return }
        #expect(keeper.fallbackReasons == ["busy"])

        journal.broken = nil
        #expect(try keeper.keep(session) == journal.place)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(keeper.fallbackReasons.isEmpty)
    }
}
