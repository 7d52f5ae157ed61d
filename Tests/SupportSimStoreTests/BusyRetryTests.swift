import Foundation
import GRDB
import Testing
@testable import SupportSimStore

/// A write that meets another session's lock is tried again instead of failing: many trainees
/// write one database file on a training server.
struct BusyRetryTests {
    @Test func givenAWriteThatMeetsABusyDatabaseTwice_whenRetried_thenItSucceedsOnTheThirdTry() throws {
        // Given a body that finds the database busy, then locked, then free
        var calls = 0
        // When
        let value = try AttemptDatabase.retryingWhileBusy(patience: 60) { () throws -> Int in
            calls += 1
            if calls == 1 { throw DatabaseError(resultCode: .SQLITE_BUSY, message: "database is locked") }
            if calls == 2 { throw DatabaseError(resultCode: .SQLITE_LOCKED, message: "database table is locked") }
            return 7
        }
        // Then
        #expect(value == 7)
        #expect(calls == 3)
    }

    @Test func givenAnErrorThatIsNotAboutLocks_whenWriting_thenItIsThrownAtOnce() {
        // Given a body failing for a reason retrying cannot cure
        var calls = 0
        // When / Then
        #expect(throws: DatabaseError.self) {
            try AttemptDatabase.retryingWhileBusy(patience: 60) { () throws -> Int in
                calls += 1
                throw DatabaseError(resultCode: .SQLITE_FULL, message: "database or disk is full")
            }
        }
        #expect(calls == 1)
    }

    @Test func givenNoPatienceLeft_whenTheDatabaseStaysBusy_thenTheBusyErrorIsThrown() {
        // Given a database that is always busy and no time to wait
        var calls = 0
        // When / Then the last busy error comes out after the single try
        #expect(throws: DatabaseError.self) {
            try AttemptDatabase.retryingWhileBusy(patience: 0) { () throws -> Int in
                calls += 1
                throw DatabaseError(resultCode: .SQLITE_BUSY, message: "database is locked")
            }
        }
        #expect(calls == 1)
    }

    @Test func givenAnotherConnectionHoldingTheWriteLock_whenATurnIsStored_thenItWaitsAndIsStored() throws {
        // Given a database whose write lock another connection holds for a while
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("busy-retry-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("team.sqlite").path
        let database = try AttemptDatabase(path: path)
        let other = try DatabaseQueue(path: path)
        let locked = DispatchSemaphore(value: 0)
        let holder = Thread {
            try? other.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                locked.signal()
                Thread.sleep(forTimeInterval: 0.5)
                try db.execute(sql: "COMMIT")
            }
        }
        holder.start()
        locked.wait()
        // When a session starts an attempt meanwhile
        let id = try database.startAttempt(NewAttempt(
            trainee: "t", scenarioID: "s", scenarioTitle: "S", language: .en, mode: .practice, seed: 1, startedAt: Date()))
        // Then the attempt is there
        #expect(try database.attempt(id: id)?.trainee == "t")
    }
}
