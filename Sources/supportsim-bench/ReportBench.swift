import Foundation
import SupportSimCore
import SupportSimEval
import SupportSimStore
#if canImport(Glibc)
import Glibc
#endif

/// The "report" section of the benchmark (issue 10): a store filled with `attempts` attempts of
/// `turnsPerAttempt` turns each (500 trainees, five scenarios, practice and exam, a year of dates,
/// one in ten abandoned), through the store's own API; then each `supportsim report` command is
/// timed as a process, with its peak memory, beside the `sqlite3` shell running a comparable query
/// on the same file in the same run.
///
/// The shell's queries are what a hand-written report would run: the flat list is the attempt
/// columns the report prints with the number of turns; a grouping is one GROUP BY with counts,
/// averages and the pass count per group and mode. SupportSim does more per row (sanitising,
/// display widths, localised dates, trends, proficiency, weakest skills), so the ratio is what a
/// manager pays for that, measured.
struct ReportBench: BenchSection {
    static let targetRatio = 1.5
    static let targetPeakBytes = 64 * 1024 * 1024
    static let turnsPerAttempt = 10
    static let trainees = 500

    struct Row: Encodable {
        var command: String
        var seconds: Double
        var peakBytes: Int
        var shell: String
        var shellSeconds: Double?
        var ratio: Double?
        /// CPU time (user + system) of each process: steadier than wall time on a busy machine.
        var cpuSeconds: Double
        var shellCPUSeconds: Double?
        var cpuRatio: Double?

        init(command: String, seconds: Double, peakBytes: Int, shell: String, shellSeconds: Double?,
             cpuSeconds: Double = 0, shellCPUSeconds: Double? = nil) {
            self.command = command; self.seconds = seconds; self.peakBytes = peakBytes; self.shell = shell
            self.shellSeconds = shellSeconds
            ratio = shellSeconds.map { $0 > 0 ? seconds / $0 : 0 }
            self.cpuSeconds = cpuSeconds; self.shellCPUSeconds = shellCPUSeconds
            cpuRatio = shellCPUSeconds.map { $0 > 0 ? cpuSeconds / $0 : 0 }
        }

        enum CodingKeys: String, CodingKey {
            case command, seconds, peakBytes = "peak_bytes", shell, shellSeconds = "shell_seconds", ratio
            case cpuSeconds = "cpu_seconds", shellCPUSeconds = "shell_cpu_seconds", cpuRatio = "cpu_ratio"
        }
    }

    var attempts: Int
    var turns: Int
    var fillSeconds: Double
    var databaseBytes: Int
    var rows: [Row]

    enum CodingKeys: String, CodingKey {
        case attempts, turns, fillSeconds = "fill_seconds", databaseBytes = "database_bytes", rows
    }

    static let scenarios = [
        ("printer-before-board-meeting", "The printer before the board meeting", Language.en, SupportLine.l1),
        ("vpn-error-after-update", "Ошибка VPN после обновления", Language.ru, SupportLine.l2),
        ("deleted-report-boss-needs", "Удалённый отчёт, который нужен начальнику", Language.ru, SupportLine.l1),
        ("password-reset-no-identity", "Password reset without identity", Language.en, SupportLine.l1),
        ("crm-import-repeat-mistake", "CRM import: the same mistake again", Language.en, SupportLine.l2),
    ]

    /// The shell's flat list: the attempt columns with the number of turns, newest first.
    static let flatQuery = """
        SELECT attempt.id, trainee, scenario_id, scenario_title, mode, started_at, status, ending, \
        correctness, politeness, escalation, total, passed, \
        (SELECT COUNT(*) FROM turn WHERE turn.attempt_id = attempt.id) AS turns \
        FROM attempt ORDER BY started_at DESC, attempt.id DESC
        """

    static func groupQuery(_ key: String) -> String {
        """
        SELECT \(key) AS grp, mode, COUNT(*) AS attempts, SUM(status = 'abandoned') AS abandoned, \
        AVG(CASE WHEN status = 'completed' THEN total END) AS mean_total, \
        AVG(CASE WHEN status = 'completed' THEN correctness END) AS mean_correctness, \
        AVG(CASE WHEN status = 'completed' THEN politeness END) AS mean_politeness, \
        AVG(CASE WHEN status = 'completed' THEN escalation END) AS mean_escalation, \
        SUM(passed = 1) AS passed FROM attempt GROUP BY grp, mode ORDER BY grp, mode
        """
    }

    /// The shell's weakest skills: the rules with lost points (a deduction with points, or a critical
    /// error) per mode, counted once per completed attempt, most frequent first.
    static let skillQuery = """
        SELECT CASE WHEN e.rule LIKE 'escalation:too-early:%' THEN 'escalation:too-early' ELSE e.rule END AS skill, \
        a.mode, COUNT(DISTINCT e.attempt_id) AS attempts, MIN(e.category) AS category, MIN(e.message) AS message \
        FROM evidence e JOIN attempt a ON a.id = e.attempt_id \
        WHERE a.status = 'completed' AND (e.kind = 'critical' OR (e.kind = 'deduction' AND e.points > 0)) \
        GROUP BY skill, a.mode ORDER BY a.mode, attempts DESC, skill
        """

    static func run(attempts: Int, store: String? = nil, migrate: Bool = true, notes: inout [String]) -> ReportBench? {
        guard FileManager.default.isExecutableFile(atPath: supportsimBinary.path) else {
            notes.append("report: no supportsim executable at \(supportsimBinary.path); build it first")
            return nil
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("supportsim-report-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = store ?? dir.appendingPathComponent("store.sqlite").path
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let clock = ContinuousClock()
            let start = clock.now
            var attempts = attempts
            var fillSeconds = 0.0
            if store != nil, FileManager.default.fileExists(atPath: db) {
                // A kept store: opened for writing once, so that it has the current schema (and its indexes).
                attempts = migrate ? try AttemptDatabase(path: db).attemptCount() : try AttemptDatabase.openReadOnly(path: db).attemptCount()
                notes.append("report: reusing the store at \(db) (\(attempts) attempts; fill time not measured)")
            } else {
                try fill(path: db, attempts: attempts)
                fillSeconds = (clock.now - start).seconds
            }
            let size = ((try? FileManager.default.attributesOfItem(atPath: db)[.size]) as? NSNumber)?.intValue ?? 0

            let shell = findExecutable("sqlite3")
            if shell == nil { notes.append("report: the sqlite3 shell is not installed (make setup installs it); no comparison") }
            var rows: [Row] = []
            let environment = ["SUPPORTSIM_EMBEDDINGS": "off", "NO_COLOR": "1"]
            func measure(_ name: String, _ arguments: [String], shellName: String, _ shellArguments: [String]) throws {
                // Each side once untimed first, so that both read a warm page cache.
                _ = try timeWithPeak(supportsimBinary, arguments + ["--db", db], environment: environment)
                let ours = try timeWithPeak(supportsimBinary, arguments + ["--db", db], environment: environment)
                var theirs: (seconds: Double, peakBytes: Int, cpuSeconds: Double)?
                if let shell {
                    _ = try timeWithPeak(shell, shellArguments)
                    theirs = try timeWithPeak(shell, shellArguments)
                }
                rows.append(Row(command: name, seconds: ours.seconds, peakBytes: ours.peakBytes, shell: shellName,
                                shellSeconds: theirs?.seconds, cpuSeconds: ours.cpuSeconds, shellCPUSeconds: theirs?.cpuSeconds))
            }
            try measure("report (table)", ["report", "--lang", "en"], shellName: "sqlite3 -table", ["-table", db, flatQuery])
            try measure("report --format csv", ["report", "--format", "csv"], shellName: "sqlite3 -csv", ["-csv", db, flatQuery])
            try measure("report --format json", ["report", "--format", "json"], shellName: "sqlite3 -json", ["-json", db, flatQuery])
            for (by, key) in [("trainee", "trainee"), ("scenario", "scenario_id"), ("category", "''"),
                              ("week", "strftime('%Y-%W', started_at)"), ("month", "strftime('%Y-%m', started_at)")] {
                try measure("report --by \(by)", ["report", "--by", by, "--lang", "en"], shellName: "sqlite3 GROUP BY",
                            ["-table", db, groupQuery(key)])
            }
            try measure("report --by skill", ["report", "--by", "skill", "--lang", "en"], shellName: "sqlite3 GROUP BY",
                        ["-table", db, skillQuery])
            return ReportBench(attempts: attempts, turns: attempts * turnsPerAttempt, fillSeconds: fillSeconds,
                               databaseBytes: size, rows: rows)
        } catch {
            notes.append("report over \(attempts) attempts: \(error)")
            return nil
        }
    }

    /// Attempts stored through the store's API before the rest are copied in SQL (see `fill`).
    static let storedThroughAPI = 10_000

    /// Fills a new store: up to `storedThroughAPI` attempts through the store's API (one transaction
    /// per attempt, as `recover` imports one, their dates spread over a year); beyond that, copies of
    /// those attempts with their turns, evidence and tags, made by the `sqlite3` shell with new ids and
    /// dates shifted by a few minutes per copy, so that a store of 100,000 attempts takes a minute
    /// rather than most of an hour on a busy machine. The copies' hash chains are not valid (`verify`
    /// would name them); reports do not read the chains.
    static func fill(path: String, attempts: Int) throws {
        let direct = min(attempts, storedThroughAPI)
        try fillThroughAPI(path: path, attempts: direct)
        guard attempts > direct else { return }
        guard let shell = findExecutable("sqlite3") else {
            return try fillThroughAPI(path: path, attempts: attempts, from: direct)
        }
        var sql = "BEGIN;"
        for table in ["attempt", "turn", "evidence", "attempt_tag"] {
            let key = table == "attempt" ? "id" : "attempt_id"
            sql += "CREATE TEMP TABLE copy_\(table) AS SELECT * FROM \(table) WHERE \(key) <= \(direct);"
        }
        var copied = direct
        var copy = 1
        while copied < attempts {
            let count = min(direct, attempts - copied)
            let offset = copy * direct
            sql += """
                UPDATE temp.copy_attempt SET id = id + \(direct), \
                started_at = strftime('%Y-%m-%d %H:%M:%f', started_at, '+7 minutes'), \
                ended_at = strftime('%Y-%m-%d %H:%M:%f', ended_at, '+7 minutes');
                UPDATE temp.copy_turn SET attempt_id = attempt_id + \(direct);
                UPDATE temp.copy_evidence SET attempt_id = attempt_id + \(direct);
                UPDATE temp.copy_attempt_tag SET attempt_id = attempt_id + \(direct);
                INSERT INTO attempt SELECT * FROM temp.copy_attempt WHERE id <= \(offset + count);
                INSERT INTO turn SELECT * FROM temp.copy_turn WHERE attempt_id <= \(offset + count);
                INSERT INTO evidence SELECT * FROM temp.copy_evidence WHERE attempt_id <= \(offset + count);
                INSERT INTO attempt_tag SELECT * FROM temp.copy_attempt_tag WHERE attempt_id <= \(offset + count);
                """
            copied += count
            copy += 1
        }
        sql += "COMMIT;"
        let process = Process()
        process.executableURL = shell
        process.arguments = [path, sql]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchProcessError(command: "sqlite3 (fill)", status: process.terminationStatus) }
    }

    /// Stores attempts `from..<attempts` through the store's API.
    static func fillThroughAPI(path: String, attempts: Int, from first: Int = 0) throws {
        let (session, engine) = StoreWritersBench.playedSession()
        let played = engine.transcript.turns
        guard !played.isEmpty else { return }
        var turns: [Turn] = []
        for i in 0..<turnsPerAttempt {
            var turn = played[i % played.count]
            turn.index = i + 1
            turn.number = i + 1
            turns.append(turn)
        }
        let base = session.pipeline.score(engine.transcript, scenario: session.scenario)
        let database = try AttemptDatabase(path: path)
        let year = 365.0 * 86_400
        let origin = Date().addingTimeInterval(-year)
        var random = SeededRandom(seed: 42)
        for number in first..<attempts {
            let (id, title, language, line) = scenarios[number % scenarios.count]
            let trainee = number % 7 == 0 ? "Стажёр \(number % trainees)" : "trainee-\(number % trainees)"
            let started = origin.addingTimeInterval(Double(number) / Double(max(1, attempts)) * year)
            let new = NewAttempt(trainee: trainee, scenarioID: id, scenarioTitle: title, language: language,
                                 mode: number % 3 == 0 ? .exam : .practice, seed: UInt64(number), startedAt: started,
                                 line: line, tags: ["bench"])
            var card = base
            for i in card.categories.indices { card.categories[i].score = Int.random(in: 30...100, using: &random) }
            card.total = card.categories.isEmpty ? 0 : card.categories.map(\.score).reduce(0, +) / card.categories.count
            let abandoned = number % 10 == 9
            _ = try database.importAttempt(existingID: nil, new, turns: turns, ending: abandoned ? nil : .resolved,
                                           card: abandoned ? nil : card, finalNode: engine.nodeID,
                                           at: started.addingTimeInterval(300))
        }
    }

    /// A process's wall-clock time and peak resident memory (from `wait4`), output discarded.
    static func timeWithPeak(_ executable: URL, _ arguments: [String], environment extra: [String: String] = [:]) throws
        -> (seconds: Double, peakBytes: Int, cpuSeconds: Double)
    {
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in extra { environment[key] = value }
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        let clock = ContinuousClock()
        let start = clock.now
        let spawned = posix_spawn(&pid, executable.path, &actions, nil, argv, envp)
        guard spawned == 0 else { throw BenchProcessError(command: executable.lastPathComponent, status: spawned) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let seconds = (clock.now - start).seconds
        let exitStatus = (status >> 8) & 0xff
        guard status & 0x7f == 0, exitStatus == 0 else {
            throw BenchProcessError(command: executable.lastPathComponent + " " + (arguments.first ?? ""), status: status)
        }
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        return (seconds, Int(usage.ru_maxrss) * 1024, cpu)
    }

    static func findExecutable(_ name: String) -> URL? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    func rendered() -> String {
        let filled = fillSeconds > 0
            ? String(format: "filled in %.1f s: up to 10,000 attempts through the store's API, the rest copies made in SQL", fillSeconds)
            : "a kept store, reused"
        var out = [String(format: "Report over %@ attempts, %@ turns (store %.0f MB, %@)",
                          Format.grouped(Double(attempts)), Format.grouped(Double(turns)), Double(databaseBytes) / 1e6, filled)]
        var table = TextTable(["command", "SupportSim", "peak memory", "sqlite3 shell", "shell", "ratio", "CPU", "shell CPU",
                               "CPU ratio", "target"])
        for row in rows {
            table.add([row.command, Format.latency(row.seconds), String(format: "%.0f MB", Double(row.peakBytes) / 1_048_576),
                       row.shell, row.shellSeconds.map(Format.latency) ?? "n/a",
                       row.ratio.map { String(format: "%.2f×", $0) } ?? "n/a",
                       Format.latency(row.cpuSeconds), row.shellCPUSeconds.map(Format.latency) ?? "n/a",
                       row.cpuRatio.map { String(format: "%.2f×", $0) } ?? "n/a",
                       String(format: "≤ %.1f×, < %d MB", Self.targetRatio, Self.targetPeakBytes / 1_048_576)])
        }
        out.append(table.render())
        return out.joined(separator: "\n")
    }
}
