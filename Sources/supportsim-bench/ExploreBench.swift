import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SupportSimCore
import SupportSimEval
import SupportSimLexicons

/// The "explore" section of the benchmark (issue 9): `ScenarioExplorer` playing N random runs
/// (default 10,000) of every shipped scenario on one thread, in process, as `supportsim explore`
/// does (rules alone, shared lexicon analyzer, one started engine copied per run), beside the
/// 10 s target. Parsing the file is not timed.
struct ExploreBench: BenchSection {
    static let targetSeconds = 10.0

    struct Row: Encodable {
        var scenario: String
        var runs: Int
        var inputs: Int
        /// Inputs the engine handled (the rest came from beginnings shared with earlier runs).
        var played: Int
        /// Wall-clock seconds.
        var seconds: Double
        /// Seconds of this thread on a CPU (on a loaded machine, less than the wall clock).
        var cpuSeconds: Double
        var runsPerSecond: Double
        var complete: Bool
        enum CodingKeys: String, CodingKey {
            case scenario, runs, inputs, played, seconds, cpuSeconds = "cpu_seconds", runsPerSecond = "runs_per_second", complete
        }
    }

    var rows: [Row]
    var targetSeconds = ExploreBench.targetSeconds

    enum CodingKeys: String, CodingKey { case rows, targetSeconds = "target_seconds" }

    static func run(folder: String, runs: Int, notes: inout [String]) -> ExploreBench? {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: folder)
                .filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.contains(".transcript.") }.sorted()
                .map { (folder as NSString).appendingPathComponent($0) }
        } catch {
            notes.append("explore: cannot list \(folder): \(error)")
            return nil
        }
        var rows: [Row] = []
        let clock = ContinuousClock()
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8),
                  let scenario = ScenarioParser.parse(text).scenario else {
                notes.append("explore: \(file) cannot be read or has errors")
                continue
            }
            let explorer = ScenarioExplorer(scenario: scenario, analyzer: BundledLexicons.analyzer)
            let start = clock.now, cpuStart = threadCPUSeconds()
            let result = explorer.explore(.init(runs: runs, seed: 1))
            let seconds = (clock.now - start).seconds, cpu = threadCPUSeconds() - cpuStart
            rows.append(Row(scenario: scenario.id, runs: runs, inputs: result.turns, played: result.played, seconds: seconds, cpuSeconds: cpu,
                            runsPerSecond: Double(runs) / max(cpu, 1e-9), complete: result.isComplete))
        }
        return ExploreBench(rows: rows)
    }

    /// CPU time of the calling thread (the figure for "on one core" on a shared machine).
    static func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    func rendered() -> String {
        var table = TextTable(["explore (one thread)", "runs", "inputs", "engine played", "CPU", "wall", "runs/s (CPU)", "target", "met", "coverage"])
        for row in rows {
            table.add([row.scenario, Format.grouped(Double(row.runs)), Format.grouped(Double(row.inputs)), Format.grouped(Double(row.played)),
                       String(format: "%.2f s", row.cpuSeconds), String(format: "%.2f s", row.seconds),
                       Format.grouped(row.runsPerSecond), String(format: "< %.0f s", targetSeconds),
                       row.cpuSeconds < targetSeconds ? "yes" : "NO", row.complete ? "full" : "incomplete"])
        }
        return table.render() + "\n(CPU: seconds of the one thread on a core; wall: the clock, which a busy machine stretches)"
    }
}
