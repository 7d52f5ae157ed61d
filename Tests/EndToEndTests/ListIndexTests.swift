import Foundation
import Testing

/// `list` from the header index in the cache folder, and unknown ids answered from it.
@Suite("supportsim list: header index and did-you-mean")
struct ListIndexTests {
    static let printer = "Scenarios/printer-before-board-meeting.yaml"

    /// A folder of `count` copies of a shipped scenario, each with its own id `copy-N-printer`,
    /// and a cache folder of its own.
    static func folderOfCopies(_ count: Int) throws -> (folder: URL, cache: URL) {
        let dir = try CLI.temporaryDirectory()
        let folder = dir.appendingPathComponent("scenarios"), cache = dir.appendingPathComponent("cache")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent(printer), encoding: .utf8)
        for i in 1...count {
            let copy = text.replacingOccurrences(of: "id: printer-before-board-meeting", with: "id: copy-\(i)-printer")
            try copy.write(to: folder.appendingPathComponent(String(format: "copy-%04d.yaml", i)), atomically: true, encoding: .utf8)
        }
        return (folder, cache)
    }

    static func indexFile(in cache: URL) throws -> URL {
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasPrefix("list-index-") }
        #expect(names.count == 1, "\(names)")
        return cache.appendingPathComponent(try #require(names.first))
    }

    @Test func listIsServedFromTheIndexWhileFilesAreUnchangedAndReadAgainWhenOneChanges() throws {
        // Given a folder of three scenarios, listed once so that the index exists
        let (folder, cache) = try Self.folderOfCopies(3)
        let env = ["SUPPORTSIM_CACHE_DIR": cache.path]
        let first = try CLI.run(["list", folder.path], environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("copy-2-printer"))
        let index = try Self.indexFile(in: cache)

        // When the index's title for an unchanged file is altered and the folder is listed again
        let original = "The presentation that won't print before the board meeting"
        let stored = try String(contentsOf: index, encoding: .utf8)
        #expect(stored.contains(original))
        try stored.replacingOccurrences(of: original, with: "Title kept in the index").write(to: index, atomically: true, encoding: .utf8)
        let reused = try CLI.run(["list", folder.path], environment: env)

        // Then the rows come from the index (the altered title is printed)
        #expect(reused.stdout.contains("Title kept in the index"), "\(reused.stdout)")

        // When one file changes (a new title) and the folder is listed again
        let changed = folder.appendingPathComponent("copy-0002.yaml")
        let text = try String(contentsOf: changed, encoding: .utf8)
        let renamed = text.replacingOccurrences(of: "title: \(original)", with: "title: A freshly written title")
        #expect(renamed != text)
        try renamed.write(to: changed, atomically: true, encoding: .utf8)
        let refreshed = try CLI.run(["list", "--format", "json", folder.path], environment: env)

        // Then that file's new title is printed and stored in the index, and the unchanged files still come from it
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(refreshed.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 3)
        #expect(rows.first { $0["id"] as? String == "copy-2-printer" }?["title"] as? String == "A freshly written title")
        #expect(rows.first { $0["id"] as? String == "copy-1-printer" }?["title"] as? String == "Title kept in the index")
        #expect(try String(contentsOf: index, encoding: .utf8).contains("A freshly written title"))
    }

    @Test func unknownIDInAFolderOfManyScenariosGetsAtMostFiveSuggestionsWithTheCloseOne() throws {
        // Given a folder of 120 scenarios with ids copy-1-printer … copy-120-printer
        let (folder, cache) = try Self.folderOfCopies(120)

        // When an id one letter away from copy-77-printer is played
        let result = try CLI.run(["play", "copy-77-printr", "--scenarios", folder.path],
                                 environment: ["SUPPORTSIM_CACHE_DIR": cache.path])

        // Then it fails with "did you mean" naming copy-77-printer among at most five ids, not every id
        #expect(result.status != 0)
        let line = try #require(result.stderr.split(separator: "\n").first { $0.contains("did you mean") }, "\(result.stderr)")
        #expect(line.contains("unknown scenario 'copy-77-printr'"))
        let suggested = line.components(separatedBy: "did you mean: ").last?.components(separatedBy: "?").first?
            .components(separatedBy: ", ") ?? []
        #expect(suggested.contains("copy-77-printer"), "\(line)")
        #expect(!suggested.isEmpty && suggested.count <= 5, "\(line)")
        #expect(!result.stderr.contains("copy-120-printer") || suggested.contains("copy-120-printer"))
    }

    @Test func knownIDIsFoundByItsHeaderWhenTheFileIsNamedOtherwise() throws {
        // Given a folder of copies whose file names are not their ids
        let (folder, cache) = try Self.folderOfCopies(3)

        // When a scenario is drawn by id
        let result = try CLI.run(["graph", "copy-3-printer", "--scenarios", folder.path, "--format", "text"],
                                 environment: ["SUPPORTSIM_CACHE_DIR": cache.path])

        // Then it is found
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func fileWhoseHeaderIsBrokenIsNamedWithItsProblemAndTheOthersAreListed() throws {
        // Given a folder with two good scenarios and one whose language is not one the format knows
        let (folder, cache) = try Self.folderOfCopies(2)
        try "id: broken-one\ntitle: Broken\nlanguage: fr\nnodes: {}\n"
            .write(to: folder.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)

        // When the folder is listed
        let result = try CLI.run(["list", folder.path], environment: ["SUPPORTSIM_CACHE_DIR": cache.path])

        // Then the good ones are listed, and the broken file is named on stderr with its located problem
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("copy-1-printer") && result.stdout.contains("copy-2-printer"))
        #expect(!result.stdout.contains("broken-one"))
        #expect(result.stderr.contains("broken.yaml has errors and is not listed: broken.yaml:3:11: 'language'"), "\(result.stderr)")
        #expect(result.stderr.contains("[SS"), "\(result.stderr)")
    }
}

extension ListIndexTests {
    @Test func unknownIDWithNothingCloseInALargeFolderNamesNoIDs() throws {
        // Given a folder of 40 scenarios
        let (folder, cache) = try Self.folderOfCopies(40)

        // When an id like none of them is asked for
        let result = try CLI.run(["graph", "zzzz-qqqq-wwww", "--scenarios", folder.path],
                                 environment: ["SUPPORTSIM_CACHE_DIR": cache.path])

        // Then it fails naming the id and pointing to `list`, without printing the ids
        #expect(result.status != 0)
        #expect(result.stderr.contains("unknown scenario 'zzzz-qqqq-wwww'"), "\(result.stderr)")
        #expect(result.stderr.contains("supportsim list"))
        #expect(!result.stderr.contains("copy-1-printer"), "\(result.stderr)")
    }
}
