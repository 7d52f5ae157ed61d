import Foundation
import SupportSimEval

/// The "list" section of the benchmark (issue 9): `supportsim list` run as a process over a
/// temporary folder of N copies of a shipped scenario (each with its own id), with a cache folder
/// of its own: once cold (no index yet: every header is read) and then warm (from the index; the
/// median of several runs), beside the 150 ms warm target.
struct ListBench: BenchSection {
    static let targetWarmSeconds = 0.150
    static let warmRuns = 5

    struct Row: Encodable {
        var files: Int
        var coldSeconds: Double
        var warmSeconds: Double
        enum CodingKeys: String, CodingKey { case files, coldSeconds = "cold_seconds", warmSeconds = "warm_seconds" }
    }

    var rows: [Row]

    static func run(scenarios: String, sizes: [Int], notes: inout [String]) -> ListBench? {
        guard FileManager.default.isExecutableFile(atPath: supportsimBinary.path) else {
            notes.append("list: no supportsim executable at \(supportsimBinary.path); build it first (swift build --product supportsim)")
            return nil
        }
        let source = (scenarios as NSString).appendingPathComponent("printer-before-board-meeting.yaml")
        var rows: [Row] = []
        for size in sizes {
            do {
                let generated = try BenchScenarioFolder(copiesOf: source, count: size, label: "list")
                defer { generated.remove() }
                let cache = generated.root.appendingPathComponent("cache")
                let cold = try timeList(folder: generated.folder, cache: cache)
                var warm: [Double] = []
                for _ in 0..<warmRuns { warm.append(try timeList(folder: generated.folder, cache: cache)) }
                warm.sort()
                rows.append(Row(files: size, coldSeconds: cold, warmSeconds: warm[warm.count / 2]))
            } catch {
                notes.append("list over \(size) files: \(error)")
            }
        }
        return ListBench(rows: rows)
    }

    /// Wall-clock time of one `supportsim list FOLDER` process, output discarded.
    private static func timeList(folder: URL, cache: URL) throws -> Double {
        try timeProcess(supportsimBinary, ["list", folder.path], environment: ["SUPPORTSIM_CACHE_DIR": cache.path])
    }

    func rendered() -> String {
        var table = TextTable(["list (process)", "files", "cold", "warm (median of \(Self.warmRuns))", "warm target"])
        for row in rows {
            table.add(["supportsim list", "\(row.files)", Format.latency(row.coldSeconds), Format.latency(row.warmSeconds),
                       Format.latency(Self.targetWarmSeconds)])
        }
        return table.render()
    }
}
