import Foundation
import SupportSimCore
import Testing
@testable import SupportSimREPL

@Suite struct SessionPathTests {
    @Test func sessionRecordsEachTurnsNodesAndTheFinalNode() throws {
        // Given a session that asks which printer, then picks the print-queue choice, and so reaches the end
        let h = Harness(lines: ["Which printer is it?", "1"])
        // When it is played
        _ = h.session.run()
        // Then every recorded turn knows the node after it, and the attempt its final node
        let attempt = try #require(h.recorder.attempts.first)
        #expect(attempt.turns.map(\.node) == ["opening", "queue"])
        #expect(attempt.turns.map(\.nodeAfter) == ["queue", "done"])
        #expect(attempt.finalNode == "done")
    }

    @Test func reliableRecorderPassesTheFinalNodeOn() throws {
        // Given a reliable recorder over an in-memory one
        let base = InMemoryAttemptRecorder()
        let recorder = ReliableRecorder(base: base, trainee: "olga", database: nil, recoveryDirectories: [],
                                        attempts: 1, pause: { _ in }, processID: 42)
        let id = try recorder.begin(AttemptStart(scenarioID: "s", scenarioTitle: "S", scenarioVersion: 1, language: .en,
                                                 mode: .exam, seed: 1, startedAt: Date(), interfaceLanguage: .en))
        // When an attempt is finished at a node
        try recorder.finish(attemptID: id, ending: .resolved, card: nil, finalNode: "wrap_up", at: Date())
        // Then the base recorder stores that node
        #expect(base.attempts.first?.finalNode == "wrap_up")
        #expect(base.attempts.first?.ending == .resolved)
    }
}
