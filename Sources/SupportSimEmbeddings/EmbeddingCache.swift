#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SupportSimCore

/// Embeddings on disk: one file per model id, `embeddings-<model id>.bin` in the cache folder.
///
/// The file is a sequence of self-checking records, each appended with one `write` on a file
/// opened with `O_APPEND`, so two processes adding records at once never interleave them:
/// `SSE1`, u32 text bytes, u32 dimension, the text (UTF-8), the vector (f32), u64 FNV-1a of all
/// that. Loading verifies every record and skips anything that does not verify (a tail cut short
/// by a crash or a full disk, garbage) by searching for the next record. A cache that cannot be
/// read or written is not an error: the work goes on uncached.
public final class EmbeddingDiskCache: @unchecked Sendable {
    /// The cache folder: `SUPPORTSIM_CACHE_DIR`, else `$XDG_CACHE_HOME/supportsim`, else
    /// `~/.cache/supportsim` (nil when none can be named).
    public static func folder(environment: [String: String]) -> String? {
        if let dir = environment["SUPPORTSIM_CACHE_DIR"], !dir.isEmpty { return dir }
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return (xdg as NSString).appendingPathComponent("supportsim") }
        if let home = environment["HOME"], !home.isEmpty { return (home as NSString).appendingPathComponent(".cache/supportsim") }
        return nil
    }

    /// What loading found.
    public struct Contents: Sendable {
        public var vectors: [String: [Float]] = [:]
        /// Bytes that did not form a valid record and were skipped.
        public var skippedBytes = 0
    }

    public let path: String
    public let dimension: Int
    private let lock = NSLock()
    private var writable = true

    public init(folder: String, modelID: String, dimension: Int) {
        let safe = String(modelID.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-@".unicodeScalars.contains(scalar)) ? Character(scalar) : "_"
        })
        self.path = (folder as NSString).appendingPathComponent("embeddings-\(safe).bin")
        self.dimension = dimension
    }

    /// Every valid record of the file (the last one wins for a text); empty when there is no file.
    public func load() -> Contents {
        var contents = Contents()
        guard let data = FileManager.default.contents(atPath: path) else { return contents }
        data.withUnsafeBytes { raw in
            let n = raw.count
            var i = 0
            while i < n {
                if let (text, vector, length) = Self.record(in: raw, at: i, dimension: dimension) {
                    contents.vectors[text] = vector
                    i += length
                } else {
                    let start = i
                    i += 1
                    while i + 4 <= n, !Self.hasMagic(raw, at: i) { i += 1 }
                    if i + 4 > n { i = n }
                    contents.skippedBytes += i - start
                }
            }
        }
        return contents
    }

    /// Appends one record; false (and no further attempts) when the file cannot be written.
    @discardableResult
    public func append(text: String, vector: [Float]) -> Bool {
        guard vector.count == dimension else { return false }
        lock.lock()
        defer { lock.unlock() }
        guard writable else { return false }
        let record = Self.encode(text: text, vector: vector)
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { writable = false; return false }
        defer { close(fd) }
        let written = record.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if written != record.count { writable = false; return false }
        return true
    }

    private static let magic: [UInt8] = Array("SSE1".utf8)

    static func encode(text: String, vector: [Float]) -> [UInt8] {
        var bytes = magic
        let utf8 = Array(text.utf8)
        func put32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        put32(UInt32(utf8.count))
        put32(UInt32(vector.count))
        bytes.append(contentsOf: utf8)
        for f in vector { put32(f.bitPattern) }
        let hash = fnv1a(bytes[4...])
        withUnsafeBytes(of: hash.littleEndian) { bytes.append(contentsOf: $0) }
        return bytes
    }

    private static func hasMagic(_ raw: UnsafeRawBufferPointer, at i: Int) -> Bool {
        raw[i] == magic[0] && raw[i + 1] == magic[1] && raw[i + 2] == magic[2] && raw[i + 3] == magic[3]
    }

    /// The record starting at `i` when it is complete and its checksum matches.
    private static func record(in raw: UnsafeRawBufferPointer, at i: Int, dimension: Int) -> (String, [Float], Int)? {
        let n = raw.count
        guard i + 12 <= n, hasMagic(raw, at: i) else { return nil }
        let textLength = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self)))
        let dim = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i + 8, as: UInt32.self)))
        guard dim == dimension, textLength <= n else { return nil }
        let length = 12 + textLength + 4 * dim + 8
        guard length <= n - i else { return nil }
        let stored = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i + length - 8, as: UInt64.self))
        guard fnv1a(UnsafeRawBufferPointer(rebasing: raw[(i + 4)..<(i + length - 8)])) == stored else { return nil }
        guard let text = String(validating: UnsafeRawBufferPointer(rebasing: raw[(i + 12)..<(i + 12 + textLength)]), as: UTF8.self) else {
            return nil
        }
        let start = i + 12 + textLength
        let vector = (0..<dim).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * $0, as: UInt32.self))) }
        return (text, vector, length)
    }

    private static func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            hash ^= UInt64(b)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}

/// How a `CachingEmbedder` answered so far.
public struct EmbeddingCacheStatistics: Equatable, Sendable {
    /// Texts the wrapped embedder had to compute.
    public var computed = 0
    /// Texts answered from the cache (memory, including what was loaded from disk).
    public var servedFromCache = 0
    /// Embeddings read from the disk cache when it was opened.
    public var loadedFromDisk = 0
    /// Bytes of the disk cache that did not verify and were skipped.
    public var skippedCorruptBytes = 0
    public init() {}
}

/// Any `SentenceEmbedder` with a memory cache in front and, optionally, a disk cache behind:
/// each text is computed at most once per model file, across runs and processes.
public final class CachingEmbedder: SentenceEmbedder, @unchecked Sendable {
    public let base: any SentenceEmbedder
    public let disk: EmbeddingDiskCache?
    public var modelID: String { base.modelID }
    public var dimension: Int { base.dimension }

    private let lock = NSLock()
    private var memory: [String: [Float]]
    private var stats = EmbeddingCacheStatistics()

    /// `cacheFolder` nil: memory only. The disk file is read once, here.
    public init(_ base: any SentenceEmbedder, cacheFolder: String?) {
        self.base = base
        let disk = cacheFolder.map { EmbeddingDiskCache(folder: $0, modelID: base.modelID, dimension: base.dimension) }
        let contents = disk?.load() ?? EmbeddingDiskCache.Contents()
        self.disk = disk
        self.memory = contents.vectors
        stats.loadedFromDisk = contents.vectors.count
        stats.skippedCorruptBytes = contents.skippedBytes
    }

    public var statistics: EmbeddingCacheStatistics { lock.withLock { stats } }

    public func embed(_ text: String) -> [Float]? {
        embed(batch: [text])[0]
    }

    public func embed(batch texts: [String]) -> [[Float]?] {
        var results = [[Float]?](repeating: nil, count: texts.count)
        var missing: [Int] = []
        lock.withLock {
            for (i, text) in texts.enumerated() {
                if let hit = memory[text] {
                    results[i] = hit
                    stats.servedFromCache += 1
                } else {
                    missing.append(i)
                }
            }
        }
        guard !missing.isEmpty else { return results }
        // Each distinct text is computed once, even when it repeats within the batch.
        var order: [String] = []
        var seen = Set<String>()
        for i in missing where seen.insert(texts[i]).inserted { order.append(texts[i]) }
        let computed = base.embed(batch: order)
        var fresh: [String: [Float]] = [:]
        for (text, vector) in zip(order, computed) {
            guard let vector, vector.count == dimension else { continue }
            fresh[text] = vector
            disk?.append(text: text, vector: vector)
        }
        lock.withLock {
            stats.computed += order.count
            for (text, vector) in fresh { memory[text] = vector }
        }
        for i in missing { results[i] = fresh[texts[i]] }
        return results
    }
}
