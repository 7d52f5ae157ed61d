import Foundation
import GRDB
import SupportSimCore

/// What `verify` found when walking the hash chain.
public struct ChainReport: Sendable, Equatable {
    public var chainedAttempts = 0
    public var chainedTurns = 0
    /// Attempts stored before the chain existed (schema 6): they cannot be checked.
    public var unchainedAttempts: [Int64] = []
    public var breaks: [ChainBreak] = []

    public var intact: Bool { breaks.isEmpty }
}

/// One place where the chain does not hold.
public struct ChainBreak: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// A row's content no longer gives its stored hash.
        case edited
        /// The row linked to is not there any more.
        case deleted
        /// A row without a chain among chained rows.
        case inserted
    }

    /// What exactly was found (the command words it in the interface language).
    public enum Reason: Sendable, Equatable {
        /// Trainee, scenario, seed, start or provenance of the attempt changed.
        case attemptEdited
        /// End, status, scores, retries or taken-back turns of the attempt changed.
        case attemptStateEdited
        case turnEdited
        /// Attempts `from`...`to` are gone (nil: the ids cannot be told); `linkedBy` links to them.
        case attemptsDeleted(from: Int64?, to: Int64?, linkedBy: Int64)
        /// The newest chained attempt is gone; `lastLeft` is the newest one still there.
        case newestAttemptsDeleted(lastLeft: Int64?)
        /// Turns `from`...`to` are gone; `last` when they were the attempt's last turns.
        case turnsDeleted(from: Int, to: Int, last: Bool)
        case attemptInserted
        case turnInserted
    }

    public var kind: Kind
    public var attemptID: Int64?
    public var turn: Int?
    public var reason: Reason

    public init(kind: Kind, attemptID: Int64?, turn: Int?, reason: Reason) {
        self.kind = kind; self.attemptID = attemptID; self.turn = turn; self.reason = reason
    }

    public var description: String {
        var place = attemptID.map { "attempt #\($0)" } ?? "the attempts"
        if let turn { place += ", turn \(turn)" }
        return "\(place): \(kind.rawValue)"
    }
}

extension AttemptDatabase {
    /// Walks the chain over every attempt and turn (reading only) and names each row that was
    /// edited, deleted or inserted by hand since it was written.
    public func verifyChain() throws -> ChainReport {
        var report = ChainReport()
        guard hasTables else { return report }
        return try perform("verify the hash chain") {
            try reader.read { db in
                guard try Self.hasAuditSchema(db) else {
                    report.unchainedAttempts = try Int64.fetchAll(db, sql: "SELECT id FROM attempt ORDER BY id")
                    return report
                }
                var previousHash = ""
                var previousID: Int64?
                var firstChained: Int64?
                let attempts = try Row.fetchCursor(
                    db, sql: "SELECT id, chain_prev, chain_hash, chain_turns, seal_hash FROM attempt ORDER BY id")
                while let row = try attempts.next() {
                    let id: Int64 = row["id"]
                    guard let hash: String = row["chain_hash"] else {
                        if firstChained == nil {
                            report.unchainedAttempts.append(id)
                        } else {
                            report.breaks.append(ChainBreak(kind: .inserted, attemptID: id, turn: nil, reason: .attemptInserted))
                        }
                        continue
                    }
                    if firstChained == nil { firstChained = id }
                    report.chainedAttempts += 1
                    let prev: String = row["chain_prev"] ?? ""
                    if prev != previousHash {
                        // Ids are never reused (AUTOINCREMENT): the missing ones lie between the two chained neighbours.
                        let low = (previousID ?? report.unchainedAttempts.last ?? 0) + 1
                        report.breaks.append(ChainBreak(
                            kind: .deleted, attemptID: low < id ? low : id, turn: nil,
                            reason: .attemptsDeleted(from: low < id ? low : nil, to: low < id ? id - 1 : nil, linkedBy: id)))
                    }
                    let content = try Self.values(db, "attempt", Self.attemptChainColumns, "id = ?", [id])
                    if try ChainHash.link(prev, content) != hash {
                        report.breaks.append(ChainBreak(kind: .edited, attemptID: id, turn: nil, reason: .attemptEdited))
                    }
                    try Self.verifyTurns(db, attemptID: id, attemptHash: hash, sealedTurns: row["chain_turns"],
                                         seal: row["seal_hash"], into: &report)
                    previousHash = hash
                    previousID = id
                }
                if let head = try Row.fetchOne(db, sql: "SELECT attempt_id, hash FROM chain_head WHERE id = 1") {
                    let headHash: String = head["hash"]
                    if headHash != previousHash {
                        let newest: Int64 = head["attempt_id"]
                        report.breaks.append(ChainBreak(
                            kind: .deleted, attemptID: newest, turn: nil, reason: .newestAttemptsDeleted(lastLeft: previousID)))
                    }
                }
                return report
            }
        }
    }

    private static func verifyTurns(
        _ db: Database, attemptID: Int64, attemptHash: String, sealedTurns: Int?, seal: String?,
        into report: inout ChainReport
    ) throws {
        var previous = attemptHash
        var previousIndex = 0
        var turnsOK = true
        // The content columns come with the chain columns: one query per attempt, not one per turn.
        let content = turnChainColumns.map { "\"\($0)\"" }.joined(separator: ", ")
        let turns = try Row.fetchAll(
            db, sql: "SELECT turn_index, chain_prev, chain_hash, \(content) FROM turn WHERE attempt_id = ? ORDER BY turn_index",
            arguments: [attemptID])
        for row in turns {
            let index: Int = row["turn_index"]
            guard let hash: String = row["chain_hash"], let prev: String = row["chain_prev"] else {
                report.breaks.append(ChainBreak(kind: .inserted, attemptID: attemptID, turn: index, reason: .turnInserted))
                turnsOK = false
                continue
            }
            report.chainedTurns += 1
            if prev != previous {
                let from = index - previousIndex > 1 ? previousIndex + 1 : index
                report.breaks.append(ChainBreak(kind: .deleted, attemptID: attemptID, turn: from,
                                                reason: .turnsDeleted(from: from, to: max(from, index - 1), last: false)))
                turnsOK = false
            }
            let values = (3..<(3 + turnChainColumns.count)).map { row[$0] as DatabaseValue }
            if try ChainHash.link(prev, values) != hash {
                report.breaks.append(ChainBreak(kind: .edited, attemptID: attemptID, turn: index, reason: .turnEdited))
                turnsOK = false
            }
            previous = hash
            previousIndex = index
        }
        if let sealedTurns, turns.count < sealedTurns, turnsOK {
            let from = (turns.last.map { $0["turn_index"] as Int } ?? 0) + 1
            report.breaks.append(ChainBreak(kind: .deleted, attemptID: attemptID, turn: from,
                                            reason: .turnsDeleted(from: from, to: from + sealedTurns - turns.count - 1, last: true)))
            return
        }
        guard turnsOK, let recomputed = try sealHash(db, attemptID: attemptID) else { return }
        if recomputed.hash != seal {
            report.breaks.append(ChainBreak(kind: .edited, attemptID: attemptID, turn: nil, reason: .attemptStateEdited))
        }
    }
}
