#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SupportSimCore
import SupportSimEmbeddings

/// The headers of a folder's scenario files (what `list` prints and what an id is looked up by),
/// kept in a small index file in the cache folder (`SUPPORTSIM_CACHE_DIR`, else XDG, see
/// `EmbeddingDiskCache.folder`), one per scenario folder. A file is read again only when its
/// path, modification time or size changed; an index that is missing, damaged or cannot be
/// written only makes the listing slower.
struct ScenarioHeaderIndex {
    struct Entry: Codable, Equatable {
        var name: String
        var modified: Int64
        var modifiedNanoseconds: Int64
        var size: Int64
        var header: ScenarioHeader?
        /// Why the header cannot be read (`line:column: message [code]`), when it cannot.
        var problem: String?
    }

    private struct File: Codable {
        var format: Int
        var folder: String
        var entries: [Entry]
    }

    static let format = 1

    let library: ScenarioLibrary
    /// Where the index is kept (nil when no cache folder can be named).
    let path: String?

    init(library: ScenarioLibrary, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.library = library
        let folder = library.directory.standardizedFileURL.path
        self.path = EmbeddingDiskCache.folder(environment: environment).map {
            ($0 as NSString).appendingPathComponent("list-index-\(Self.hex(Self.fnv1a(Array(folder.utf8)))).json")
        }
    }

    /// One entry per scenario file, in file-name order: from the index when the file is unchanged,
    /// read again otherwise. The index is rewritten when anything changed.
    func entries() throws -> [Entry] {
        let folder = library.directory.standardizedFileURL.path
        var previous: [String: Entry] = [:]
        if let path, let data = FileManager.default.contents(atPath: path),
           let file = try? JSONDecoder().decode(File.self, from: data), file.format == Self.format, file.folder == folder {
            for entry in file.entries { previous[entry.name] = entry }
        }
        var changed = false
        var result: [Entry] = []
        for url in try library.files() {
            let name = url.lastPathComponent
            let stamp = Self.stamp(url.path)
            if let stamp, let known = previous[name], known.modified == stamp.seconds,
               known.modifiedNanoseconds == stamp.nanoseconds, known.size == stamp.size {
                result.append(known)
                continue
            }
            changed = true
            result.append(Self.read(url, name: name, stamp: stamp))
        }
        if result.count != previous.count { changed = true }
        if changed, let path {
            let file = File(format: Self.format, folder: folder, entries: result)
            if let data = try? JSONEncoder().encode(file) {
                try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                         withIntermediateDirectories: true)
                try? data.write(to: URL(fileURLWithPath: path), options: .atomic)
            }
        }
        return result
    }

    private static func read(_ url: URL, name: String, stamp: (seconds: Int64, nanoseconds: Int64, size: Int64)?) -> Entry {
        var entry = Entry(name: name, modified: stamp?.seconds ?? -1, modifiedNanoseconds: stamp?.nanoseconds ?? -1,
                          size: stamp?.size ?? -1)
        let loaded: Data
        do {
            loaded = try Data(contentsOf: url)
        } catch {
            entry.problem = "1:1: the file cannot be read (\(ScenarioLibrary.readFailure(error))) [\(ScenarioDiagnosticCode.unreadable)]"
            // A file that cannot be read now may be readable later: never reuse this entry.
            entry.modified = -1
            return entry
        }
        let result = ScenarioHeaderReader.read(bytes: loaded)
        if let header = result.header {
            entry.header = header
        } else {
            let d = result.problem
            entry.problem = d.map { "\($0.location.line):\($0.location.column): \($0.message) [\($0.code)]" }
                ?? "the header cannot be read"
        }
        return entry
    }

    private static func stamp(_ path: String) -> (seconds: Int64, nanoseconds: Int64, size: Int64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        return (Int64(info.st_mtimespec.tv_sec), Int64(info.st_mtimespec.tv_nsec), Int64(info.st_size))
        #else
        return (Int64(info.st_mtim.tv_sec), Int64(info.st_mtim.tv_nsec), Int64(info.st_size))
        #endif
    }

    private static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        return hash
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
