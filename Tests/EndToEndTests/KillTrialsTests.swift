import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Kill -9 trials: a session with piped input is killed at a random moment; every turn whose
/// output was seen must be stored, and `resume` must continue the attempt from the same state.
/// `SUPPORTSIM_KILL_TRIALS` sets the number of trials (5 by default; `scripts/kill-trials.sh`
/// runs 100), `SUPPORTSIM_KILL_SEED` the random seed (printed on failure).
@Suite(.serialized) struct KillTrialsTests {
    static let scenario = "vpn-error-after-update"
    /// The good run of the golden transcript, without its ending escalation and last line.
    static let replies = [
        "Здравствуйте, Андрей! Понимаю, время поджимает, давайте разберёмся. Что именно пишет VPN-клиент — какой код ошибки?",
        "Спасибо. Пока не перезагружайте компьютер — сначала сохраните, пожалуйста, все открытые документы.",
        "Отлично. Теперь перезагрущите, пожалуйста, компьютер: обновление могло не завершиться.",
        "Давайте проверим, не в домашней ли сети дело. Раздайте, пожалуйста, интернет с телефона и подключитесь к VPN через него.",
        "Да, дело не в Вашем интернете, а в настройках VPN после обновления. Я передаю заявку сетевым специалистам второй линии с пометкой «срочно».",
        "Хорошо, тогда попробуйте, пожалуйста, ещё раз подключиться к VPN.",
    ]

    @Test func killedSessionsLoseNoSeenTurnAndResumeFromTheSameState() throws {
        let env = ProcessInfo.processInfo.environment
        let trials = Int(env["SUPPORTSIM_KILL_TRIALS"] ?? "") ?? 5
        let seed = UInt64(env["SUPPORTSIM_KILL_SEED"] ?? "") ?? UInt64.random(in: 1...1_000_000)
        var random = SplitMix(seed: seed)
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("trials.sqlite").path
        var resumed = 0
        for trial in 1...trials {
            // Given a session fed some replies and killed with SIGKILL at a random moment
            let trainee = "trial-\(trial)"
            let variantSeed = 1 + random.next() % 50
            let sent = Int(random.next() % UInt64(Self.replies.count))
            let delayMicros = useconds_t(random.next() % 400_000)
            let killed = try KilledSession(arguments: ["play", Self.scenario, "--db", db, "--trainee", trainee,
                                                       "--seed", "\(variantSeed)", "--lang", "en"],
                                           lines: Array(Self.replies.prefix(sent)), killAfter: delayMicros, home: dir)
            let context = "trial \(trial) (seed \(seed)): \(sent) replies sent, killed after \(delayMicros) µs"

            // Then every turn whose output was seen is stored, and no more than were sent
            let seen = killed.turnsSeen
            let stored = try storedAttempt(db: db, trainee: trainee)
            guard let stored else {
                #expect(seen == 0, "\(context): \(seen) turns seen but no attempt stored")
                continue
            }
            #expect(stored.turns >= seen && stored.turns <= sent, "\(context): \(stored.turns) stored, \(seen) seen")
            #expect(stored.status == "abandoned", "\(context)")

            // When the attempt is resumed with the next reply
            let next = Self.replies[stored.turns]
            let resume = try CLI.run(["resume", "\(stored.id)", "--db", db, "--trainee", trainee, "--lang", "en"],
                                     input: next + "\n", environment: ["XDG_DATA_HOME": dir.path])
            #expect(resume.status == 0, "\(context): resume failed: \(resume.stderr)")

            // Then the customer answers exactly as in an uninterrupted session with the same inputs
            let reference = try CLI.run(["play", Self.scenario, "--db", dir.appendingPathComponent("ref.sqlite").path,
                                         "--trainee", "reference", "--seed", "\(variantSeed)", "--lang", "en", "--new"],
                                        input: Self.replies.prefix(stored.turns + 1).joined(separator: "\n") + "\n",
                                        environment: ["XDG_DATA_HOME": dir.path])
            let expected = Self.answer(to: next, in: reference.stdout)
            #expect(!expected.isEmpty, "\(context): no answer in the reference run")
            #expect(Self.answer(to: next, in: resume.stdout) == expected, "\(context): resume went elsewhere\n\(resume.stdout)")
            // and the new turn is recorded on the same attempt
            #expect(try storedAttempt(db: db, trainee: trainee)?.turns == stored.turns + 1, "\(context)")
            resumed += 1
        }
        print("kill trials: \(trials) run, \(resumed) resumed (seed \(seed))")
    }

    /// What follows the echo of `reply` (its last occurrence) up to the next prompt or debrief.
    static func answer(to reply: String, in output: String) -> [String] {
        let lines = output.components(separatedBy: "\n")
        guard let at = lines.lastIndex(of: "you> " + reply) else { return [] }
        var answer: [String] = []
        for line in lines[(at + 1)...] {
            if line.hasPrefix("you> ") || line.hasPrefix("═══") || line.hasPrefix("Session ended") { break }
            answer.append(line)
        }
        return answer
    }

    private func storedAttempt(db: String, trainee: String) throws -> (id: Int, status: String, turns: Int)? {
        guard FileManager.default.fileExists(atPath: db) else { return nil }
        let report = try CLI.run(["report", "--db", db, "--trainee", trainee, "--format", "json"])
        guard let rows = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [[String: Any]],
              let row = rows.first else { return nil }
        return (row["id"] as? Int ?? -1, row["status"] as? String ?? "", row["turns"] as? Int ?? -1)
    }
}

/// A `supportsim` process fed lines one by one (each after the previous answer was seen), then
/// killed with SIGKILL after a delay; its output is kept.
struct KilledSession {
    let output: String
    let lines: [String]

    init(arguments: [String], lines: [String], killAfter delay: useconds_t, home: URL) throws {
        self.lines = lines
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = arguments
        process.currentDirectoryURL = CLI.packageRoot
        process.environment = CLI.environment(["XDG_DATA_HOME": home.path])
        let input = Pipe(), out = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        let collected = Collected()
        out.fileHandleForReading.readabilityHandler = { handle in collected.append(handle.availableData) }
        try process.run()
        for (i, line) in lines.enumerated() {
            input.fileHandleForWriting.write(Data((line + "\n").utf8))
            // The last line is not waited for: the kill may land while it is being played.
            if i < lines.count - 1 { collected.wait(forCount: i + 1, of: "you> ") }
        }
        usleep(delay)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        out.fileHandleForReading.readabilityHandler = nil
        collected.append(out.fileHandleForReading.readDataToEndOfFile())
        output = collected.text
    }

    /// Turns whose output was seen: an echoed reply followed by anything the session printed after it.
    var turnsSeen: Int {
        let all = output.components(separatedBy: "\n")
        let echoes = all.indices.filter { all[$0].hasPrefix("you> ") }
        return echoes.filter { i in all[(i + 1)...].contains { !$0.isEmpty } }.count
    }
}

/// Output collected from another thread.
final class Collected: @unchecked Sendable {
    private let lock = NSCondition()
    private var data = Data()

    func append(_ more: Data) {
        lock.lock(); data.append(more); lock.broadcast(); lock.unlock()
    }

    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }

    /// Waits (up to 30 s) until `marker` was printed `count` times and something followed the last one.
    func wait(forCount count: Int, of marker: String) {
        let deadline = Date().addingTimeInterval(30)
        lock.lock(); defer { lock.unlock() }
        while Date() < deadline {
            let text = String(decoding: data, as: UTF8.self)
            let parts = text.components(separatedBy: marker)
            if parts.count - 1 >= count, let last = parts.last, last.contains("\n"),
               last.split(separator: "\n").count > 1 { return }
            _ = lock.wait(until: Date().addingTimeInterval(0.1))
        }
    }
}

/// A small seeded generator, so a failing run can be repeated with its seed.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
