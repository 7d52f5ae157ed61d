import Foundation
import SupportSimEval

/// The "list" section of the benchmark (issue 9): `supportsim list` run as a process over a
/// temporary folder of N copies of a shipped scenario (each with its own id), with a cache folder
/// of its own: once cold (no index yet: every header is read) and then warm (from the index; the
/// median of several runs), beside the 150 ms warm target.
struct ListBench: Encodable {
    static let targetWarmSeconds = 0.150
    static let warmRuns = 5

    struct Row: Encodable {
        var files: Int
        var coldSeconds: Double
        var warmSeconds: Double
        enum CodingKeys: String, CodingKey { case files, coldSeconds = "cold_seconds", warmSeconds = "warm_seconds" }
    }

    var rows: [Row]

    /// The `supportsim` executable built beside this one.
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("supportsim")
    }

    static func run(scenarios: String, sizes: [Int], notes: inout [String]) -> ListBench? {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            notes.append("list: no supportsim executable at \(binary.path); build it first (swift build --product supportsim)")
            return nil
        }
        let source = (scenarios as NSString).appendingPathComponent("printer-before-board-meeting.yaml")
        guard let text = try? String(contentsOfFile: source, encoding: .utf8) else {
            notes.append("list: cannot read \(source)")
            return nil
        }
        var rows: [Row] = []
        for size in sizes {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("supportsim-list-bench-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: dir) }
            let folder = dir.appendingPathComponent("scenarios"), cache = dir.appendingPathComponent("cache")
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                for i in 1...max(1, size) {
                    let copy = text.replacingOccurrences(of: "id: printer-before-board-meeting", with: "id: copy-\(i)-printer")
                    try copy.write(to: folder.appendingPathComponent(String(format: "copy-%05d.yaml", i)), atomically: false, encoding: .utf8)
                }
                let cold = try timeList(folder: folder, cache: cache)
                var warm: [Double] = []
                for _ in 0..<warmRuns { warm.append(try timeList(folder: folder, cache: cache)) }
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
        let process = Process()
        process.executableURL = binary
        process.arguments = ["list", folder.path]
        var environment = ProcessInfo.processInfo.environment
        environment["SUPPORTSIM_CACHE_DIR"] = cache.path
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let clock = ContinuousClock()
        let start = clock.now
        try process.run()
        process.waitUntilExit()
        let seconds = (clock.now - start).seconds
        guard process.terminationStatus == 0 else { throw ListBenchError(status: process.terminationStatus) }
        return seconds
    }

    struct ListBenchError: Error, CustomStringConvertible {
        var status: Int32
        var description: String { "supportsim list exited with status \(status)" }
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
