import Foundation
import SupportSimCore
import SupportSimLexicons
import SupportSimStore

/// The "concurrent writers" section of the benchmark (issue 10): W writer processes (copies of
/// this program started with `--store-writer`) store A attempts each into one new SQLite file at
/// the same moment, with the store calls a session makes (one transaction to start the attempt,
/// one per turn, one to finish it). Afterwards every attempt must be present exactly once, each
/// with all its turns, and no writer may have met "database is locked".
struct StoreWritersBench: BenchSection {
    var writers: Int
    var attemptsPerWriter: Int
    var turnsPerAttempt: Int
    var seconds: Double
    var attemptsStored: Int
    var attemptsMissing: Int
    var attemptsDuplicated: Int
    var attemptsWithMissingTurns: Int
    var failedWriters: Int
    var lockMessages: Int
    var firstFailure: String?
    /// `verify` over the file afterwards: breaks in the hash chain, and how long the walk took.
    var chainBreaks: Int? = nil
    var verifySeconds: Double? = nil

    enum CodingKeys: String, CodingKey {
        case writers, attemptsPerWriter = "attempts_per_writer", turnsPerAttempt = "turns_per_attempt", seconds
        case attemptsStored = "attempts_stored", attemptsMissing = "attempts_missing"
        case attemptsDuplicated = "attempts_duplicated", attemptsWithMissingTurns = "attempts_with_missing_turns"
        case failedWriters = "failed_writers", lockMessages = "lock_messages", firstFailure = "first_failure"
        case chainBreaks = "chain_breaks", verifySeconds = "verify_seconds"
    }

    var attemptsPerSecond: Double { seconds > 0 ? Double(attemptsStored) / seconds : 0 }
    var passed: Bool {
        attemptsMissing == 0 && attemptsDuplicated == 0 && attemptsWithMissingTurns == 0 && failedWriters == 0 && lockMessages == 0
            && (chainBreaks ?? 0) == 0
    }

    /// The replies each stored attempt is made of (a short session of the benchmark's scenario).
    static let replies = [
        "Hello! I'm sorry the printer is acting up. Which printer model is it?",
        "Thank you. Could you please restart it and tell me what the display shows?",
        "Great, it works now. Is there anything else I can help with?",
    ]

    // MARK: - The parent

    static func run(writers: Int, attempts: Int, notes: inout [String]) -> StoreWritersBench? {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("supportsim-writers-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("team.sqlite").path
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            notes.append("concurrent writers: cannot make \(dir.path): \(error)")
            return nil
        }
        let turnsPerAttempt = playedSession().1.transcript.turns.count
        var children: [(name: String, process: Process, err: URL)] = []
        let start = DispatchTime.now().uptimeNanoseconds
        for writer in 1...writers {
            let name = "writer-\(writer)"
            let err = dir.appendingPathComponent("\(name).err")
            FileManager.default.createFile(atPath: err.path, contents: nil)
            let process = Process()
            process.executableURL = me
            process.arguments = ["--store-writer", db, "--writer-name", name, "--writer-attempts", "\(attempts)"]
            process.standardOutput = FileHandle.nullDevice
            do {
                process.standardError = try FileHandle(forWritingTo: err)
                try process.run()
            } catch {
                notes.append("concurrent writers: cannot start writer \(writer): \(error)")
                return nil
            }
            children.append((name, process, err))
        }
        for child in children { child.process.waitUntilExit() }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

        var failed = 0, locks = 0
        var firstFailure: String?
        for child in children {
            let stderr = (try? String(contentsOf: child.err, encoding: .utf8)) ?? ""
            if stderr.lowercased().contains("locked") { locks += 1 }
            if child.process.terminationStatus != 0 {
                failed += 1
                if firstFailure == nil { firstFailure = "\(child.name): exit \(child.process.terminationStatus): \(stderr.prefix(300))" }
            }
        }
        do {
            let database = try AttemptDatabase.openReadOnly(path: db)
            let stored = try database.attempts()
            var perWriter: [String: Int] = [:]
            for attempt in stored { perWriter[attempt.trainee, default: 0] += 1 }
            let missing = children.reduce(0) { $0 + max(0, attempts - (perWriter[$1.name] ?? 0)) }
            let duplicated = children.reduce(0) { $0 + max(0, (perWriter[$1.name] ?? 0) - attempts) }
                + stored.filter { !$0.trainee.hasPrefix("writer-") }.count
            let shortOfTurns = stored.filter { $0.turnCount != turnsPerAttempt }.count
            let verifyStart = Date()
            let chain = try database.verifyChain()
            return StoreWritersBench(
                writers: writers, attemptsPerWriter: attempts, turnsPerAttempt: turnsPerAttempt, seconds: seconds,
                attemptsStored: stored.count, attemptsMissing: missing, attemptsDuplicated: duplicated,
                attemptsWithMissingTurns: shortOfTurns, failedWriters: failed, lockMessages: locks, firstFailure: firstFailure,
                chainBreaks: chain.breaks.count, verifySeconds: Date().timeIntervalSince(verifyStart))
        } catch {
            notes.append("concurrent writers: cannot read the store afterwards: \(error)")
            return nil
        }
    }

    func rendered() -> String {
        var lines = ["", "Concurrent writers (\(writers) processes × \(attemptsPerWriter) attempts × \(turnsPerAttempt) turns into one SQLite file)"]
        lines.append(String(format: "  %.2f s, %.0f attempts/s; stored %d of %d", seconds, attemptsPerSecond,
                            attemptsStored, writers * attemptsPerWriter))
        lines.append("  missing \(attemptsMissing), duplicated \(attemptsDuplicated), short of turns \(attemptsWithMissingTurns), "
                     + "failed writers \(failedWriters), \"database is locked\" seen by \(lockMessages)")
        if let chainBreaks, let verifySeconds {
            lines.append(String(format: "  hash chain (verify): %@, walked in %.2f s", chainBreaks == 0 ? "intact" : "\(chainBreaks) breaks", verifySeconds))
        }
        lines.append("  target: every attempt present, none duplicated, no lock shown, chain intact — \(passed ? "met" : "NOT met")")
        if let firstFailure { lines.append("  first failure: \(TerminalText.sanitize(firstFailure))") }
        return lines.joined(separator: "\n")
    }

    // MARK: - One writer process

    /// The session every stored attempt copies: the benchmark's scenario played with `replies`.
    static func playedSession() -> (OneTurnSession, Engine) {
        let session = OneTurnSession(language: .en, analyzer: BundledLexicons.analyzer)
        var engine = Engine(scenario: session.scenario, seed: 1, analyzer: session.analyzer)
        engine.start()
        for reply in replies where engine.transcript.ending == nil { engine.handle(.reply(reply)) }
        return (session, engine)
    }

    /// Stores `attempts` attempts for `name`, each through the calls a session makes, and exits
    /// non-zero with the error on stderr at the first failure.
    static func write(database path: String, name: String, attempts: Int) -> Int32 {
        let (session, engine) = playedSession()
        let turns = engine.transcript.turns
        let card = session.pipeline.score(engine.transcript, scenario: session.scenario)
        do {
            let database = try AttemptDatabase(path: path)
            for number in 1...attempts {
                let id = try database.startAttempt(NewAttempt(
                    trainee: name, scenarioID: session.scenario.id, scenarioTitle: session.scenario.title,
                    language: .en, mode: .practice, seed: UInt64(number), startedAt: Date()))
                for turn in turns { try database.recordTurn(attemptID: id, turn: turn, at: Date()) }
                try database.finishAttempt(id: id, ending: .resolved, card: card, finalNode: engine.nodeID, at: Date())
            }
            return 0
        } catch {
            FileHandle.standardError.write(Data("\(name): \(error)\n".utf8))
            return 1
        }
    }
}
