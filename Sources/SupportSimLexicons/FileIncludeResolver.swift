import Foundation
import SupportSimCore

/// Reads `include:` files from disk for one scenario file. The pack root is the folder of the
/// scenario file: the parser has already refused absolute paths and `..` that leave it; here a
/// symbolic link that resolves outside the root is refused too.
///
/// Shared by every executable that parses scenario files from disk (`supportsim` through its
/// scenario library, `supportsim-eval intents`), so `include:` reads the same everywhere. It lives
/// here rather than in SupportSimCore, which reads no files.
public struct FileIncludeResolver: IncludeResolver {
    public let root: URL
    public let scenarioPath: String

    public init(scenario url: URL) {
        root = url.deletingLastPathComponent().standardizedFileURL
        scenarioPath = url.lastPathComponent
    }

    public func read(_ path: String) -> IncludeRead {
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
        do { data = try Data(contentsOf: url) } catch { return .unreadable(Self.readFailure(error)) }
        let source = ScenarioSource.decode(data)
        if let diagnostic = source.diagnostic { return .unreadable(diagnostic.message) }
        return .text(source.text)
    }

    /// Why a file could not be read, in the system's words ("Permission denied", "Is a directory").
    public static func readFailure(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription
    }
}
