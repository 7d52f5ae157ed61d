import Foundation

/// One section of the benchmark that can also run alone (`--list-only`, `--writers-only`,
/// `--lint-only`): it renders itself as text and encodes itself as JSON.
protocol BenchSection: Encodable {
    func rendered() -> String
}

/// What a `--X-only` run prints as JSON: the build, the notes and the one section under its name.
struct SectionOnlyReport<Section: BenchSection>: Encodable {
    var build: String
    var notes: [String]
    var name: String
    var section: Section?

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(build, forKey: Key(stringValue: "build"))
        try container.encode(notes, forKey: Key(stringValue: "notes"))
        try container.encode(section, forKey: Key(stringValue: name))
    }

    /// The text form: the notes, then the section (or nothing when it could not be measured).
    func rendered() -> String {
        (notes.map { "note: \($0)" } + (section.map { [$0.rendered()] } ?? [])).joined(separator: "\n")
    }
}

/// A temporary folder of `count` copies of a shipped scenario, each with an id of its own, for the
/// figures that need many files (`list`, `lint`). Removed by `remove()`.
struct BenchScenarioFolder {
    let root: URL
    let folder: URL

    init(copiesOf source: String, count: Int, label: String) throws {
        let text = try String(contentsOfFile: source, encoding: .utf8)
        let id = ((source as NSString).lastPathComponent as NSString).deletingPathExtension
        root = FileManager.default.temporaryDirectory.appendingPathComponent("supportsim-\(label)-bench-\(UUID().uuidString)")
        folder = root.appendingPathComponent("scenarios")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for i in 1...max(1, count) {
            let copy = text.replacingOccurrences(of: "id: \(id)", with: "id: copy-\(i)-\(id)")
            try copy.write(to: folder.appendingPathComponent(String(format: "copy-%05d.yaml", i)), atomically: false, encoding: .utf8)
        }
    }

    /// The scenario files, in name order.
    var files: [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "yaml" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// Wall-clock time of one process, output discarded; throws when it exits non-zero (unless allowed).
func timeProcess(_ executable: URL, _ arguments: [String], environment extra: [String: String] = [:],
                 allowedStatuses: Set<Int32> = [0]) throws -> Double {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    for (key, value) in extra { environment[key] = value }
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    let clock = ContinuousClock()
    let start = clock.now
    try process.run()
    process.waitUntilExit()
    let seconds = (clock.now - start).seconds
    guard allowedStatuses.contains(process.terminationStatus) else {
        throw BenchProcessError(command: executable.lastPathComponent, status: process.terminationStatus)
    }
    return seconds
}

struct BenchProcessError: Error, CustomStringConvertible {
    var command: String
    var status: Int32
    var description: String { "\(command) exited with status \(status)" }
}

/// The `supportsim` executable built beside this one.
var supportsimBinary: URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("supportsim")
}
