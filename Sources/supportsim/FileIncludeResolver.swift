import Foundation
import SupportSimCore

/// Reads `include:` files from disk for one scenario file. The pack root is the folder of the
/// scenario file: the parser has already refused absolute paths and `..` that leave it; here a
/// symbolic link that resolves outside the root is refused too.
struct FileIncludeResolver: IncludeResolver {
    let root: URL
    let scenarioPath: String

    init(scenario url: URL) {
        root = url.deletingLastPathComponent().standardizedFileURL
        scenarioPath = url.lastPathComponent
    }

    func read(_ path: String) -> IncludeRead {
        let url = root.appendingPathComponent(path)
        let realRoot = root.resolvingSymlinksInPath().path
        let real = url.resolvingSymlinksInPath().path
        guard real == realRoot || real.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/") else {
            return .escapes("a symbolic link leads to \(real)")
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else { return .unreadable("no such file") }
        if isDir.boolValue { return .unreadable("it is a folder") }
        let data: Data
        do { data = try Data(contentsOf: url) } catch { return .unreadable(ScenarioLibrary.readFailure(error)) }
        let source = ScenarioSource.decode(data)
        if let diagnostic = source.diagnostic { return .unreadable(diagnostic.message) }
        return .text(source.text)
    }
}
