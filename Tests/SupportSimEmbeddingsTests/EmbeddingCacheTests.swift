import Foundation
import Testing
@testable import SupportSimEmbeddings
import SupportSimCore

@Suite("Embedding cache")
struct EmbeddingCacheTests {
    @Test func theCacheFolderFollowsTheEnvironment() {
        #expect(EmbeddingDiskCache.folder(environment: ["SUPPORTSIM_CACHE_DIR": "/c", "XDG_CACHE_HOME": "/x", "HOME": "/h"]) == "/c")
        #expect(EmbeddingDiskCache.folder(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"]) == "/x/supportsim")
        #expect(EmbeddingDiskCache.folder(environment: ["XDG_CACHE_HOME": "relative", "HOME": "/h"]) == "/h/.cache/supportsim")
        #expect(EmbeddingDiskCache.folder(environment: [:]) == nil)
    }

    @Test func aSecondInstanceServesEverythingFromDisk() throws {
        // Given a cache folder filled by a first CachingEmbedder
        let folder = try TempFolder()
        defer { folder.remove() }
        let texts = ["Hello", "Здравствуйте", "Reboot the router, please."]
        let first = CachingEmbedder(CountingEmbedder(), cacheFolder: folder.path)
        let original = first.embed(batch: texts)
        #expect(first.statistics.computed == 3)
        // When a second instance (a new process, in effect) embeds the same texts
        let base = CountingEmbedder()
        let second = CachingEmbedder(base, cacheFolder: folder.path)
        let again = second.embed(batch: texts) + [second.embed("Hello")]
        // Then it computes nothing and returns the same vectors
        #expect(base.calls == 0)
        #expect(second.statistics.computed == 0)
        #expect(second.statistics.loadedFromDisk == 3)
        #expect(second.statistics.servedFromCache == 4)
        #expect(Array(again.prefix(3)) == original)
    }

    @Test func aDifferentModelDoesNotShareTheCache() throws {
        let folder = try TempFolder()
        defer { folder.remove() }
        _ = CachingEmbedder(CountingEmbedder(modelID: "a@1"), cacheFolder: folder.path).embed("Hello")
        let other = CachingEmbedder(CountingEmbedder(modelID: "b@2"), cacheFolder: folder.path)
        #expect(other.statistics.loadedFromDisk == 0)
    }

    @Test func aCorruptTailIsSkippedAndLaterRecordsStillCount() throws {
        // Given a cache file with two good records, then garbage and a record cut short
        let folder = try TempFolder()
        defer { folder.remove() }
        let first = CachingEmbedder(CountingEmbedder(), cacheFolder: folder.path)
        _ = first.embed(batch: ["one", "two"])
        let path = try #require(first.disk?.path)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        let partial = EmbeddingDiskCache.encode(text: "three", vector: CountingEmbedder().embed("three")!)
        handle.write(Data("garbage SSE1 garbage".utf8) + Data(partial.prefix(partial.count - 5)))
        try handle.close()
        // When a new instance opens it
        let second = CachingEmbedder(CountingEmbedder(), cacheFolder: folder.path)
        // Then the good records load and the rest is skipped, not an error
        #expect(second.statistics.loadedFromDisk == 2)
        #expect(second.statistics.skippedCorruptBytes > 0)
        // And records appended after the damage are found again later
        _ = second.embed("four")
        let third = CachingEmbedder(CountingEmbedder(), cacheFolder: folder.path)
        #expect(third.statistics.loadedFromDisk == 3)
        #expect(third.embed("four") == second.embed("four"))
    }

    @Test func aFlippedByteInARecordDropsOnlyThatRecord() throws {
        // Given a file of three records with one byte of the middle vector changed
        let folder = try TempFolder()
        defer { folder.remove() }
        let first = CachingEmbedder(CountingEmbedder(), cacheFolder: folder.path)
        _ = first.embed(batch: ["aaaa", "bbbb", "cccc"])
        let path = try #require(first.disk?.path)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let recordLength = bytes.count / 3
        bytes[recordLength + 20] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: path))
        // When it is loaded / Then the other two records survive
        let contents = try #require(CachingEmbedder(CountingEmbedder(), cacheFolder: folder.path).disk).load()
        #expect(Set(contents.vectors.keys) == ["aaaa", "cccc"])
    }

    @Test func anUnwritableCacheIsNotAnError() throws {
        // Given a cache folder that cannot exist (a regular file is in the way)
        let folder = try TempFolder()
        defer { folder.remove() }
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder.file("blocker")))
        let base = CountingEmbedder()
        let cache = CachingEmbedder(base, cacheFolder: folder.file("blocker/cache"))
        // When texts are embedded / Then they are computed and kept in memory
        #expect(cache.embed("Hello") != nil)
        #expect(cache.embed("Hello") != nil)
        #expect(base.calls == 1)
        #expect(cache.statistics == {
            var s = EmbeddingCacheStatistics()
            s.computed = 1
            s.servedFromCache = 1
            return s
        }())
    }

    @Test func twoWritersAppendingAtOnceLoseNoRecord() async throws {
        // Given two independent caches (as two processes would have) on the same file
        let folder = try TempFolder()
        defer { folder.remove() }
        let a = EmbeddingDiskCache(folder: folder.path, modelID: "m@1", dimension: 8)
        let b = EmbeddingDiskCache(folder: folder.path, modelID: "m@1", dimension: 8)
        let vector = CountingEmbedder().embed("v")!
        // When both append 200 records concurrently
        await withTaskGroup(of: Void.self) { group in
            for (name, cache) in [("a", a), ("b", b)] {
                group.addTask { for i in 0..<200 { cache.append(text: "\(name)\(i)", vector: vector) } }
            }
        }
        // Then all 400 records load intact
        let contents = a.load()
        #expect(contents.vectors.count == 400)
        #expect(contents.skippedBytes == 0)
    }

    @Test func theRealModelIsComputedOnceAcrossTwoInstances() throws {
        // Given the real model and an empty cache folder
        let folder = try TempFolder()
        defer { folder.remove() }
        var env = RealModel.environment
        env["SUPPORTSIM_CACHE_DIR"] = folder.path
        let texts = ["Could you tell me which printer you use?", "Подскажите, пожалуйста, модель принтера."]
        let first = try MeaningModel.load(environment: env).get()
        let original = first.embed(batch: texts)
        // When the app starts again and embeds the same replies
        let second = try MeaningModel.load(environment: env).get()
        let again = second.embed(batch: texts)
        // Then nothing is computed the second time and the vectors are the same
        #expect(first.statistics.computed == 2)
        #expect(second.statistics.computed == 0)
        #expect(second.statistics.servedFromCache == 2)
        #expect(again == original)
    }
}
