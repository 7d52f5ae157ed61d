import ArgumentParser
import Foundation
import SupportSimCore

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check scenario files and report every problem as file:line:col."
    )

    @Argument(help: "Scenario files or folders to check (default: the Scenarios folder).")
    var paths: [String] = []

    @Option(name: .long, help: "Output format: text or json.")
    var format: LintFormat = .text

    @Flag(name: .long, help: "Treat warnings as errors.")
    var strict = false

    enum LintFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func run() throws {
        let targets = paths.isEmpty ? ["Scenarios"] : paths
        var files: [URL] = []
        for path in targets {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                throw UserError("No such file or folder: \(path)")
            }
            files += isDir.boolValue ? try ScenarioLibrary(directory: URL(fileURLWithPath: path)).files()
                                     : [URL(fileURLWithPath: path)]
        }
        var errors = 0, warnings = 0
        var json: [[String: Any]] = []
        for file in files {
            let loaded = try ScenarioLibrary.load(file)
            let shown = file.path.hasPrefix(FileManager.default.currentDirectoryPath + "/")
                ? String(file.path.dropFirst(FileManager.default.currentDirectoryPath.count + 1)) : file.path
            for d in loaded.result.diagnostics {
                if d.severity == .error { errors += 1 } else if d.severity == .warning { warnings += 1 }
                json.append([
                    "file": shown, "line": d.location.line, "column": d.location.column,
                    "severity": d.severity.rawValue, "code": d.code, "message": d.message, "hint": d.hint ?? NSNull(),
                ])
            }
            if format == .text { printDiagnostics(loaded.result.diagnostics, file: shown, source: loaded.source) }
        }
        if format == .json {
            let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
            print(TerminalText.jsonEscapingControls(String(decoding: data, as: UTF8.self)))
        } else {
            let summary = "\(files.count) file(s) checked: \(errors) error(s), \(warnings) warning(s)."
            FileHandle.standardError.write(Data((summary + "\n").utf8))
        }
        if errors > 0 || (strict && warnings > 0) { throw ExitCode(1) }
    }
}
