import Foundation
import SupportSimCore
import SupportSimEval

/// The "lint" section of the benchmark (issue 9): `supportsim lint` over a temporary folder of N
/// copies of a shipped scenario, against PyYAML's C loader (`yaml.CSafeLoader`) parsing the same
/// files in the same run. Two comparisons:
/// - process against process: the whole `supportsim lint DIR` command (start, read, parse, check,
///   print) against a `python3` process that imports PyYAML and parses every file;
/// - parse against parse, in process: `ScenarioParser.parse` (compose, decode and every check lint
///   makes) over the texts, against the Python loop's own timing of `yaml.load` over the files.
/// Each figure is the median of `runs` runs. The target is lint within 1.0× of the C loader.
struct LintBench: BenchSection {
    static let target = 1.0
    static let runs = 3

    var files: Int
    var lintProcessSeconds: Double
    var pyyamlProcessSeconds: Double?
    var parseInProcessSeconds: Double
    var pyyamlParseSeconds: Double?
    var processRatio: Double?
    var parseRatio: Double?
    var target = LintBench.target

    init(files: Int, lintProcessSeconds: Double, pyyamlProcessSeconds: Double?, parseInProcessSeconds: Double,
         pyyamlParseSeconds: Double?) {
        self.files = files; self.lintProcessSeconds = lintProcessSeconds; self.pyyamlProcessSeconds = pyyamlProcessSeconds
        self.parseInProcessSeconds = parseInProcessSeconds; self.pyyamlParseSeconds = pyyamlParseSeconds
        processRatio = pyyamlProcessSeconds.map { lintProcessSeconds / $0 }
        parseRatio = pyyamlParseSeconds.map { parseInProcessSeconds / $0 }
    }

    enum CodingKeys: String, CodingKey {
        case files, lintProcessSeconds = "lint_process_seconds", pyyamlProcessSeconds = "pyyaml_process_seconds"
        case parseInProcessSeconds = "parse_in_process_seconds", pyyamlParseSeconds = "pyyaml_parse_seconds"
        case processRatio = "process_ratio", parseRatio = "parse_ratio", target
    }

    /// Parses every file given as an argument with the C loader and prints the seconds it took.
    static let pythonScript = """
    import sys, time, yaml
    loader = yaml.CSafeLoader
    files = sys.argv[1:]
    start = time.perf_counter()
    for name in files:
        with open(name, 'rb') as handle:
            yaml.load(handle, Loader=loader)
    print(time.perf_counter() - start)
    """

    static func run(scenarios: String, files count: Int, notes: inout [String]) -> LintBench? {
        guard FileManager.default.isExecutableFile(atPath: supportsimBinary.path) else {
            notes.append("lint: no supportsim executable at \(supportsimBinary.path); build it first (swift build --product supportsim)")
            return nil
        }
        let source = (scenarios as NSString).appendingPathComponent("printer-before-board-meeting.yaml")
        do {
            let generated = try BenchScenarioFolder(copiesOf: source, count: count, label: "lint")
            defer { generated.remove() }
            let files = generated.files
            let texts = try files.map { try String(contentsOf: $0, encoding: .utf8) }

            var lint: [Double] = [], parse: [Double] = []
            for _ in 0..<runs {
                lint.append(try timeProcess(supportsimBinary, ["lint", generated.folder.path],
                                            environment: ["SUPPORTSIM_EMBEDDINGS": "off"], allowedStatuses: [0]))
                let clock = ContinuousClock()
                let start = clock.now
                var diagnostics = 0
                for text in texts { diagnostics += ScenarioParser.parse(text).diagnostics.count }
                parse.append((clock.now - start).seconds)
                if diagnostics > 0 { notes.append("lint: the generated copies have \(diagnostics) diagnostics") }
            }

            var pyProcess: [Double] = [], pyParse: [Double] = []
            if let python = findPython() {
                for _ in 0..<runs {
                    let (wall, inner) = try timePython(python, files: files.map(\.path))
                    pyProcess.append(wall)
                    if let inner { pyParse.append(inner) }
                }
            } else {
                notes.append("lint: python3 with PyYAML's C loader (pip install pyyaml; make setup installs it) not found; no comparison")
            }
            return LintBench(files: files.count, lintProcessSeconds: median(lint),
                             pyyamlProcessSeconds: pyProcess.isEmpty ? nil : median(pyProcess),
                             parseInProcessSeconds: median(parse), pyyamlParseSeconds: pyParse.isEmpty ? nil : median(pyParse))
        } catch {
            notes.append("lint over \(count) files: \(error)")
            return nil
        }
    }

    private static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    /// python3 on PATH when it has PyYAML with the C loader.
    private static func findPython() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent("python3")
            guard FileManager.default.isExecutableFile(atPath: candidate.path) else { continue }
            let check = Process()
            check.executableURL = candidate
            check.arguments = ["-c", "import yaml; yaml.CSafeLoader"]
            check.standardOutput = FileHandle.nullDevice
            check.standardError = FileHandle.nullDevice
            guard (try? check.run()) != nil else { continue }
            check.waitUntilExit()
            return check.terminationStatus == 0 ? candidate : nil
        }
        return nil
    }

    /// The Python process's wall-clock time and the parse time it reports itself.
    private static func timePython(_ python: URL, files: [String]) throws -> (Double, Double?) {
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", pythonScript] + files
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let clock = ContinuousClock()
        let start = clock.now
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let wall = (clock.now - start).seconds
        guard process.terminationStatus == 0 else { throw BenchProcessError(command: "python3", status: process.terminationStatus) }
        let inner = Double(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        return (wall, inner)
    }

    func rendered() -> String {
        var table = TextTable(["lint (\(files) files, median of \(Self.runs))", "SupportSim", "PyYAML C loader", "ratio", "target"])
        func ratio(_ r: Double?) -> String { r.map { String(format: "%.2f×", $0) } ?? "n/a" }
        table.add(["whole process (lint DIR vs python3 parsing)", Format.latency(lintProcessSeconds),
                   pyyamlProcessSeconds.map(Format.latency) ?? "n/a", ratio(processRatio), String(format: "≤ %.1f×", Self.target)])
        table.add(["in process (parse + checks vs yaml.load)", Format.latency(parseInProcessSeconds),
                   pyyamlParseSeconds.map(Format.latency) ?? "n/a", ratio(parseRatio), String(format: "≤ %.1f×", Self.target)])
        return table.render()
    }
}
