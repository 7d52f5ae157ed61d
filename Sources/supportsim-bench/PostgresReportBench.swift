import Foundation
import SupportSimCore
import SupportSimEval
import SupportSimStore

/// The "PostgreSQL report" section of the benchmark (issue 10): the report store of `ReportBench`,
/// copied into a new database on the server given with `--postgres URL` (or
/// `SUPPORTSIM_BENCH_POSTGRES`), then `supportsim report --by trainee --db postgres://…` timed beside
/// `psql` running a comparable GROUP BY on the same data, in the same run. Target: within 2×.
///
/// The copy goes through the sqlite3 and psql shells (CSV), not the store's API: a million turns one
/// transaction at a time over the network would take longer than the measurement is worth. Only the
/// tables the grouped report reads are copied (attempts, their tags and evidence).
struct PostgresReportBench: BenchSection {
    static let targetRatio = 2.0

    var attempts: Int
    var copySeconds: Double
    var rows: [ReportBench.Row]

    enum CodingKeys: String, CodingKey { case attempts, copySeconds = "copy_seconds", rows }

    /// The psql shell's query: counts, averages and the pass count per trainee and mode.
    static let groupQuery = """
        SELECT trainee AS grp, mode, COUNT(*) AS attempts, COUNT(*) FILTER (WHERE status = 'abandoned') AS abandoned, \
        AVG(total) FILTER (WHERE status = 'completed') AS mean_total, \
        AVG(correctness) FILTER (WHERE status = 'completed') AS mean_correctness, \
        AVG(politeness) FILTER (WHERE status = 'completed') AS mean_politeness, \
        AVG(escalation) FILTER (WHERE status = 'completed') AS mean_escalation, \
        COUNT(*) FILTER (WHERE passed) AS passed FROM attempt GROUP BY grp, mode ORDER BY grp, mode
        """

    static let attemptColumns = """
        id, trainee, scenario_id, scenario_title, scenario_version, language, interface_language, mode, seed, \
        started_at, ended_at, status, ending, correctness, politeness, escalation, spelling, total, pass_mark, passed, \
        critical_count, retries, final_node, line, scenario_hash, scorer_version
        """
    static let evidenceColumns = """
        attempt_id, position, category, kind, points, turn, quote, rule, message, model_answer, scale_written, scale_possible
        """

    /// - store: a report store kept by `--report-store` (used as it is when it exists; filled otherwise).
    static func run(attempts: Int, server: String, store: String? = nil, notes: inout [String]) -> PostgresReportBench? {
        guard let psql = ReportBench.findExecutable("psql"), let sqlite = ReportBench.findExecutable("sqlite3") else {
            notes.append("postgres report: needs the psql and sqlite3 shells (make setup installs sqlite3; .ci/postgres installs psql)")
            return nil
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("supportsim-pg-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = store ?? dir.appendingPathComponent("store.sqlite").path
        let database = "supportsim_bench_\(UInt32.random(in: 0...UInt32.max))"
        do {
            let admin = try PostgresURL(server)
            var target = admin
            target.database = database
            let targetURL = Self.libpqURL(target)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: file) { try ReportBench.fill(path: file, attempts: attempts) }
            let attempts = try Self.count(sqlite, file)
            try run(psql, [Self.libpqURL(admin), "-qc", "CREATE DATABASE \(database)"])
            defer { _ = try? run(psql, [Self.libpqURL(admin), "-qc", "DROP DATABASE IF EXISTS \(database) WITH (FORCE)"]) }
            // The tables, made by SupportSim itself.
            try run(supportsimBinary, ["db", "migrate", "--db", targetURL])
            let clock = ContinuousClock()
            let start = clock.now
            for (table, columns) in [("attempt", attemptColumns), ("attempt_tag", "attempt_id, tag"), ("evidence", evidenceColumns)] {
                let csv = dir.appendingPathComponent("\(table).csv")
                // SQLite keeps booleans as 0/1 and dates as text in UTC; PostgreSQL reads both from CSV as they are.
                let select = "SELECT " + columns.split(separator: ",").map { column -> String in
                    let name = column.trimmingCharacters(in: .whitespaces)
                    switch name {
                    case "passed": return "CASE passed WHEN 1 THEN 'true' WHEN 0 THEN 'false' END"
                    case "started_at", "ended_at": return "CASE WHEN \(name) IS NULL THEN NULL ELSE \(name) || '+00' END"
                    default: return name
                    }
                }.joined(separator: ", ") + " FROM \(table)"
                try run(sqlite, ["-csv", "-cmd", ".output \(csv.path)", file, select])
                try run(psql, [targetURL, "-qc", "\\copy \(table) (\(columns)) FROM '\(csv.path)' WITH (FORMAT csv)"])
            }
            try run(psql, [targetURL, "-qc", "SELECT setval('attempt_id_seq', (SELECT MAX(id) FROM attempt)); ANALYZE attempt, attempt_tag, evidence"])
            let copySeconds = (clock.now - start).seconds
            let ours = try ReportBench.timeWithPeak(
                supportsimBinary, ["report", "--by", "trainee", "--lang", "en", "--db", targetURL],
                environment: ["SUPPORTSIM_EMBEDDINGS": "off", "NO_COLOR": "1"])
            let theirs = try ReportBench.timeWithPeak(psql, [targetURL, "-c", groupQuery])
            return PostgresReportBench(
                attempts: attempts, copySeconds: copySeconds,
                rows: [ReportBench.Row(command: "report --by trainee (PostgreSQL)", seconds: ours.seconds,
                                       peakBytes: ours.peakBytes, shell: "psql GROUP BY", shellSeconds: theirs.seconds)])
        } catch {
            notes.append("postgres report over \(attempts) attempts: \(error)")
            return nil
        }
    }

    /// The number of attempts in a SQLite store (the sqlite3 shell's answer).
    static func count(_ sqlite: URL, _ file: String) throws -> Int {
        let process = Process()
        process.executableURL = sqlite
        process.arguments = [file, "SELECT COUNT(*) FROM attempt"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// The URL as libpq (psql) reads it, with the password and sslmode.
    static func libpqURL(_ url: PostgresURL) -> String {
        let password = url.password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? ""
        let mode = switch url.tls {
        case .disable: "disable"
        case .prefer: "prefer"
        case .require: "require"
        case .verifyFull: "verify-full"
        }
        return "postgres://\(url.user)\(password)@\(url.host):\(url.port)/\(url.database)?sslmode=\(mode)"
    }

    @discardableResult
    private static func run(_ executable: URL, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchProcessError(command: executable.lastPathComponent + " " + (arguments.dropFirst().first ?? ""),
                                    status: process.terminationStatus)
        }
        return process.terminationStatus
    }

    func rendered() -> String {
        var out = [String(format: "Report on PostgreSQL over %@ attempts (copied from the report store in %.1f s)",
                          Format.grouped(Double(attempts)), copySeconds)]
        var table = TextTable(["command", "SupportSim", "peak memory", "shell", "shell time", "ratio", "target"])
        for row in rows {
            table.add([row.command, Format.latency(row.seconds), String(format: "%.0f MB", Double(row.peakBytes) / 1_048_576),
                       row.shell, row.shellSeconds.map(Format.latency) ?? "n/a",
                       row.ratio.map { String(format: "%.2f×", $0) } ?? "n/a", String(format: "≤ %.1f×", Self.targetRatio)])
        }
        out.append(table.render())
        return out.joined(separator: "\n")
    }
}
