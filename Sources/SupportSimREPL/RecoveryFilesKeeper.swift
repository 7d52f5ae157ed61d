import Foundation

/// Keeps a session in a recovery file (`attempt-<start>-<pid>.json`), written atomically into the
/// first of `directories` that takes it.
public final class RecoveryFilesKeeper: RecoveryKeeper {
    private let directories: [URL]
    private let processID: Int32
    private var url: URL?

    public init(directories: [URL], processID: Int32) {
        self.directories = directories; self.processID = processID
    }

    public var place: KeptPlace? { url.map { .file(path: $0.path) } }

    @discardableResult
    public func keep(_ session: RecoveryFile) throws -> KeptPlace {
        let data: Data
        do { data = try session.encoded() } catch { throw KeepFailure("\(error)") }
        let name = session.fileName(processID: processID)
        var failures: [String] = []
        for dir in directories {
            let target = dir.appendingPathComponent(name)
            do {
                try RecoveryFile.writeAtomically(data, to: target)
                if let previous = url, previous != target { try? FileManager.default.removeItem(at: previous) }
                url = target
                return .file(path: target.path)
            } catch {
                failures.append(String(describing: error))
            }
        }
        // The last good copy (if any) is kept: it holds all but the newest changes.
        if let url, !FileManager.default.fileExists(atPath: url.path) { self.url = nil }
        throw KeepFailure(failures.joined(separator: "; "))
    }

    public func discard() {
        if let url { try? FileManager.default.removeItem(at: url) }
        url = nil
    }
}
