#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SupportSimCore
import SupportSimEmbeddings
import SupportSimLexicons

/// The headers of a folder's scenario files (what `list` prints and what an id is looked up by),
/// kept in a small index file in the cache folder (`SUPPORTSIM_CACHE_DIR`, else XDG, see
/// `EmbeddingDiskCache.folder`), one per scenario folder. A file is read again only when its
/// path, modification time or size changed; an index that is missing, damaged or cannot be
/// written only makes the listing slower.
struct ScenarioHeaderIndex {
    struct Entry: Equatable {
        var name: String
        var modified: Int64
        var modifiedNanoseconds: Int64
        var size: Int64
        var header: ScenarioHeader?
        /// Why the header cannot be read (`line:column: message [code]`), when it cannot.
        var problem: String?
    }

    static let format = 1

    let library: ScenarioLibrary
    /// Where the index is kept (nil when no cache folder can be named).
    let path: String?

    init(library: ScenarioLibrary, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.library = library
        let folder = library.directory.standardizedFileURL.path
        self.path = EmbeddingDiskCache.folder(environment: environment).map {
            ($0 as NSString).appendingPathComponent("list-index-\(Self.hex(Self.fnv1a(Array(folder.utf8)))).tsv")
        }
    }

    /// One entry per scenario file, in file-name order: from the index when the file is unchanged,
    /// read again otherwise. The index is rewritten when anything changed.
    func entries() throws -> [Entry] {
        let folder = library.directory.standardizedFileURL.path
        var previous: [String: Entry] = [:]
        if let path, let data = FileManager.default.contents(atPath: path) {
            previous = Self.decode(String(decoding: data, as: UTF8.self), folder: folder)
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
            let data = Data(Self.encode(result, folder: folder).utf8)
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                     withIntermediateDirectories: true)
            try? data.write(to: URL(fileURLWithPath: path), options: .atomic)
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
            entry.problem = "1:1: the file cannot be read (\(FileIncludeResolver.readFailure(error))) [\(ScenarioDiagnosticCode.unreadable)]"
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

    // MARK: The index file: a first line naming the format and the folder, then one line per file,
    // fields separated by tabs (tabs, newlines and backslashes escaped):
    // name, seconds, nanoseconds, size, `H`, id, title, language, line, difficulty, tags… — or
    // name, seconds, nanoseconds, size, `P`, problem.

    static func encode(_ entries: [Entry], folder: String) -> String {
        var out = "supportsim-list-index\t\(format)\t\(escape(folder))\n"
        for e in entries {
            var fields = [escape(e.name), "\(e.modified)", "\(e.modifiedNanoseconds)", "\(e.size)"]
            if let h = e.header {
                fields += ["H", escape(h.id), escape(h.title), h.language.rawValue, h.line.rawValue, "\(h.difficulty)"]
                fields += h.tags.map(escape)
            } else {
                fields += ["P", escape(e.problem ?? "")]
            }
            out += fields.joined(separator: "\t") + "\n"
        }
        return out
    }

    /// The entries of an index file for this folder; empty for another format or folder, and a
    /// line that does not read is skipped (that file is read again).
    static func decode(_ text: String, folder: String) -> [String: Entry] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).makeIterator()
        guard let first = lines.next(), first == "supportsim-list-index\t\(format)\t\(escape(folder))" else { return [:] }
        var entries: [String: Entry] = [:]
        while let line = lines.next() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count >= 6, let seconds = Int64(f[1]), let nanoseconds = Int64(f[2]), let size = Int64(f[3]) else { continue }
            var entry = Entry(name: unescape(f[0]), modified: seconds, modifiedNanoseconds: nanoseconds, size: size)
            if f[4] == "H", f.count >= 10, let language = Language(rawValue: String(f[7])),
               let supportLine = SupportLine(rawValue: String(f[8])), let difficulty = Int(f[9]) {
                entry.header = ScenarioHeader(id: unescape(f[5]), title: unescape(f[6]), language: language, line: supportLine,
                                              difficulty: difficulty, tags: f.dropFirst(10).map(unescape))
            } else if f[4] == "P", f.count == 6 {
                entry.problem = unescape(f[5])
            } else {
                continue
            }
            entries[entry.name] = entry
        }
        return entries
    }

    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return s }
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func unescape(_ s: Substring) -> String {
        guard s.utf8.contains(0x5C) else { return String(s) }
        var out = ""
        var pending = false
        for c in s.unicodeScalars {
            if pending {
                switch c {
                case "t": out += "\t"
                case "n": out += "\n"
                case "r": out += "\r"
                default: out.unicodeScalars.append(c)
                }
                pending = false
            } else if c == "\\" {
                pending = true
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
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
