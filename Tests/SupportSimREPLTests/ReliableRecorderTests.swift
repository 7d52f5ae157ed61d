import Foundation
import SupportSimCore
import Testing
@testable import SupportSimREPL

/// A recorder whose writes fail while `failing` is set (like a disk that is full, then freed).
final class FlakyRecorder: AttemptRecorder {
    struct DiskFull: Error, CustomStringConvertible { var description: String { "the disk is full" } }
    var failing = false
    var failBegin = false
    var calls = 0
    var turns: [Int] = []
    var ending: EndingKind?
    var retractedFrom: [Int] = []

    func begin(_ attempt: AttemptStart) throws -> Int64 {
        if failBegin { throw DiskFull() }
        return 9
    }
    func record(turn: Turn, attemptID: Int64, at: Date) throws {
        calls += 1
        if failing { throw DiskFull() }
        turns.append(turn.index)
    }
    func retract(attemptID: Int64, fromIndex: Int) throws {
        if failing { throw DiskFull() }
        retractedFrom.append(fromIndex)
    }
    func finish(attemptID: Int64, ending: EndingKind, card: ScoreCard?, at: Date) throws {
        if failing { throw DiskFull() }
        self.ending = ending
    }
}

private func recoveryFolder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("supportsim-recovery-\(UUID().uuidString)")
}

private func reliable(_ base: FlakyRecorder, directories: [URL]) -> ReliableRecorder {
    ReliableRecorder(base: base, trainee: "olga", database: "/data/a.sqlite", recoveryDirectories: directories,
                     attempts: 3, pause: { _ in }, processID: 42)
}

@Suite struct ReliableRecorderTests {
    static let lines = ["Hello Olga, which printer are you sending it to?", "Could you open the print queue?"]

    @Test func everyFailedTurnIsToldAndTheEndSaysWhereTheSessionIs() throws {
        // Given a database that fails from the first turn on
        let base = FlakyRecorder()
        let dir = recoveryFolder()
        let recorder = reliable(base, directories: [dir])
        let h = Harness(Self.lines.map(LineInput.line), recorder: recorder)
        base.failing = true

        // When the session is played to its end
        _ = h.session.run()

        // Then every save was tried three times (turn 1; turn 1 again before turn 2; turn 1 again
        // before the ending, since turns reach the database in order), each failed turn was reported
        // at once, and the ending too
        #expect(base.calls == 3 * 3)
        let text = h.output.text.replacingOccurrences(of: "\n", with: " ")
        #expect(text.contains("Turn 1 was not saved in the database"))
        #expect(text.contains("Turn 2 was not saved in the database"))
        #expect(text.contains("The result was not saved in the database"))
        // and the last words name the recovery file and the command, never "Saved as"
        #expect(!text.contains("Saved as"))
        #expect(h.output.text.contains("When the database can be written again, run:"))
        let report = try #require(recorder.saveReport)
        #expect(report.exitCode == SaveReport.recoveryExitCode)
        guard case .inRecoveryFile(let path, let id, let stored, let turns) = report.outcome else {
            Issue.record("unexpected outcome \(report.outcome)"); return
        }
        #expect(id == 9 && stored == 0 && turns == 2)
        #expect(path.hasPrefix(dir.path) && path.hasSuffix("-42.json"))
        #expect(h.output.text.contains("  supportsim recover " + path + "\n"))

        // and the file holds everything needed to replay the session
        let file = try RecoveryFile.read(from: URL(fileURLWithPath: path))
        #expect(file.trainee == "olga" && file.scenarioID == "printer" && file.seed == 42 && file.attemptID == 9)
        #expect(file.database == "/data/a.sqlite" && file.mode == .practice && file.interfaceLanguage == .en)
        #expect(file.inputs.map(\.input) == Self.lines.map(TraineeInput.reply))
        #expect(file.inputs.map(\.turn) == [1, 2])
        #expect(file.ending == .resolved)
    }

    @Test func turnsMissedWhileTheDiskWasFullAreSavedWhenItIsFreedAndTheFileGoes() throws {
        // Given a database that fails for turn 1 only
        let base = FlakyRecorder()
        let recorder = reliable(base, directories: [recoveryFolder()])
        _ = try recorder.begin(AttemptStart(scenarioID: "s", scenarioTitle: "S", scenarioVersion: 1, language: .en,
                                            mode: .exam, seed: 1, startedAt: Date(), interfaceLanguage: .en))
        base.failing = true
        #expect(throws: SaveNotice.self) {
            try recorder.record(turn: Turn(index: 1, input: .reply("a"), node: "n", moodBefore: .calm, events: [], elapsed: 1),
                                attemptID: 9, at: Date())
        }
        guard case .inRecoveryFile(let path, _, _, _)? = recorder.saveReport?.outcome else {
            Issue.record("no recovery file"); return
        }
        // When the disk is freed and the session goes on to its end
        base.failing = false
        try recorder.record(turn: Turn(index: 2, input: .reply("b"), node: "n", moodBefore: .calm, events: [], elapsed: 2),
                            attemptID: 9, at: Date())
        try recorder.finish(attemptID: 9, ending: .resolved, card: nil, at: Date())

        // Then both turns are in the database, in order, the recovery file is gone, and the report says saved
        #expect(base.turns == [1, 2] && base.ending == .resolved)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(recorder.saveReport == SaveReport(outcome: .saved(attemptID: 9)))
    }

    @Test func aRetryTakesBackTurnsInTheDatabaseAndInTheRecoveryFile() throws {
        // Given a session whose turn 1 is in the database and whose turn 2 only reached the recovery file
        let base = FlakyRecorder()
        let recorder = reliable(base, directories: [recoveryFolder()])
        _ = try recorder.begin(AttemptStart(scenarioID: "s", scenarioTitle: "S", scenarioVersion: 1, language: .en,
                                            mode: .practice, seed: 1, startedAt: Date(), interfaceLanguage: .en))
        try recorder.record(turn: Turn(index: 1, input: .reply("a"), node: "n", moodBefore: .calm, events: [], elapsed: 1),
                            attemptID: 9, at: Date())
        base.failing = true
        #expect(throws: SaveNotice.self) {
            try recorder.record(turn: Turn(index: 2, input: .reply("b"), node: "n", moodBefore: .calm, events: [], elapsed: 2),
                                attemptID: 9, at: Date())
        }
        guard case .inRecoveryFile(let path, _, _, _)? = recorder.saveReport?.outcome else {
            Issue.record("no recovery file"); return
        }

        // When the trainee takes turn 2 back (/retry)
        try recorder.retract(attemptID: 9, fromIndex: 2)

        // Then the database was not asked (it never had turn 2) and the recovery file keeps turn 1 only
        #expect(base.retractedFrom.isEmpty)
        #expect(try RecoveryFile.read(from: URL(fileURLWithPath: path)).inputs.map(\.turn) == [1])

        // When the disk is freed and turn 1 is taken back too
        base.failing = false
        try recorder.retract(attemptID: 9, fromIndex: 1)

        // Then the database marks it taken back and nothing is left to recover
        #expect(base.retractedFrom == [1])
        #expect(try RecoveryFile.read(from: URL(fileURLWithPath: path)).inputs.isEmpty)
    }

    @Test func aResumedAttemptThatCannotBeSavedKeepsTheWholeSessionInTheRecoveryFile() throws {
        // Given a resumed attempt whose first two turns are already in the database
        let base = FlakyRecorder()
        let recorder = reliable(base, directories: [recoveryFolder()])
        let stored = [1, 2].map {
            Turn(index: $0, input: .reply("r\($0)"), node: "n", moodBefore: .calm, events: [], elapsed: Double($0))
        }
        recorder.resume(AttemptStart(scenarioID: "s", scenarioTitle: "S", scenarioVersion: 1, language: .en,
                                     mode: .practice, seed: 5, startedAt: Date(), interfaceLanguage: .en),
                        attemptID: 9, storedTurns: stored)

        // When the next turn cannot be saved
        base.failing = true
        #expect(throws: SaveNotice.self) {
            try recorder.record(turn: Turn(index: 3, input: .reply("r3"), node: "n", moodBefore: .calm, events: [], elapsed: 3),
                                attemptID: 9, at: Date())
        }

        // Then the database was asked for turn 3 only, and the recovery file holds all three turns of the attempt
        #expect(base.turns.isEmpty && base.calls == 3)
        guard case .inRecoveryFile(let path, let id, let inDatabase, let turns)? = recorder.saveReport?.outcome else {
            Issue.record("no recovery file"); return
        }
        #expect(id == 9 && inDatabase == 2 && turns == 3)
        let file = try RecoveryFile.read(from: URL(fileURLWithPath: path))
        #expect(file.inputs.map(\.turn) == [1, 2, 3] && file.attemptID == 9 && file.seed == 5)
    }

    @Test func aRecoveryFolderThatCannotBeWrittenFallsBackToTheNext() throws {
        // Given a first recovery "folder" that is a file (so nothing can be written in it)
        let blocked = recoveryFolder()
        try Data("x".utf8).write(to: blocked)
        let fallback = recoveryFolder()
        let base = FlakyRecorder()
        base.failing = true
        let h = Harness(Self.lines.map(LineInput.line), recorder: reliable(base, directories: [blocked, fallback]))
        // When the session is played
        _ = h.session.run()
        // Then the recovery file is in the fallback folder
        let names = try FileManager.default.contentsOfDirectory(atPath: fallback.path)
        #expect(names == ["attempt-" + names.first!.dropFirst("attempt-".count)] && names.count == 1)
    }

    @Test func nothingSavedAnywhereIsSaidWithItsOwnExitCode() throws {
        // Given a database and recovery folders that all fail
        let blocked = recoveryFolder()
        try Data("x".utf8).write(to: blocked)
        let base = FlakyRecorder()
        base.failing = true
        let recorder = reliable(base, directories: [blocked])
        let h = Harness(Self.lines.map(LineInput.line), recorder: recorder)
        // When the session is played
        _ = h.session.run()
        // Then the trainee is told that nothing is kept, and the exit code is the "lost" one
        let text = h.output.text.replacingOccurrences(of: "\n", with: " ")
        #expect(text.contains("Turn 1 was NOT saved"))
        #expect(text.contains("NOT SAVED: this session could not be written"))
        #expect(!text.contains("Saved as"))
        #expect(recorder.saveReport?.exitCode == SaveReport.lostExitCode)
    }

    @Test func startRefusesWhenTheAttemptCannotBeStored() {
        // Given a database that cannot start an attempt
        let base = FlakyRecorder()
        base.failBegin = true
        let recorder = reliable(base, directories: [recoveryFolder()])
        // When the attempt is started before the session, then it throws
        #expect(throws: FlakyRecorder.DiskFull.self) {
            try recorder.start(AttemptStart(scenarioID: "s", scenarioTitle: "S", scenarioVersion: 1, language: .en,
                                            mode: .exam, seed: 1, startedAt: Date(), interfaceLanguage: .ru))
        }
    }

    @Test func abandonedSessionDoesNotClaimToBeSavedWhenItWasNot() {
        // Given a plain recorder that fails every turn (no save report)
        let h = Harness([.line("Which printer?"), .endOfInput], recorder: FailEveryTurn())
        // When the trainee leaves
        _ = h.session.run()
        // Then every failed turn was warned about and the end does not say "saved"
        #expect(h.output.text.contains("warning: the attempt could not be saved"))
        #expect(!h.output.text.contains("saved as abandoned"))
        #expect(h.output.text.contains("The attempt was not saved."))
    }
}

/// Starts attempts but cannot store turns.
struct FailEveryTurn: AttemptRecorder {
    struct Failure: Error {}
    func begin(_ attempt: AttemptStart) throws -> Int64 { 1 }
    func record(turn: Turn, attemptID: Int64, at: Date) throws { throw Failure() }
    func retract(attemptID: Int64, fromIndex: Int) throws {}
    func finish(attemptID: Int64, ending: EndingKind, card: ScoreCard?, at: Date) throws {}
}
