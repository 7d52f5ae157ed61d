import Foundation
import SupportSimCore
import Testing
@testable import SupportSimEval

/// The shipped development set of support replies (Data/politeness/) is well formed and split as
/// its README says.
@Suite("Support reply data set")
struct SupportDataSetTests {
    private let folder = packageRoot.appendingPathComponent("Data/politeness")

    private func read(_ name: String) throws -> [SupportReply] {
        let path = folder.appendingPathComponent(name).path
        let result = loadSupportReplies(reader: try DelimitedReader(path: path), file: name, language: nil)
        #expect(result.problems.isEmpty, "\(result.problems)")
        return result.rows
    }

    /// The tags documented in the table of the README's "## Tags" section (rows starting with "| `tag` |").
    private func documentedTags() throws -> Set<String> {
        let readme = try String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "\n## Tags\n").dropFirst().first)
            .components(separatedBy: "\n## ")[0]
        let tags = section.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| `") else { return nil }
            return line.dropFirst(3).split(separator: "`").first.map(String.init)
        }
        return Set(tags)
    }

    @Test func shippedFilesParseAndAreBalanced() throws {
        // Given the two shipped files
        let dev = try read("support.dev.tsv"), heldout = try read("support.heldout.tsv")
        let all = dev + heldout

        // Then there are at least 400 rows, half of them in each language (±5%)
        #expect(all.count >= 400)
        let english = all.filter { $0.language == .en }.count
        let englishShare: Double = Double(english) / Double(all.count)
        #expect(abs(englishShare - 0.5) <= 0.05, "\(english) of \(all.count) are English")
        // and every label is present in each language of both splits
        for split in [dev, heldout] {
            for language in Language.allCases {
                #expect(Set(split.filter { $0.language == language }.map(\.label)) == Set(ToneClass.allCases))
            }
        }
        // and about two thirds are in dev
        let devShare: Double = Double(dev.count) / Double(all.count)
        #expect(abs(devShare - 2.0 / 3) < 0.02)
    }

    @Test func idsAreUniqueAndFollowTheSplitRule() throws {
        // Given the two shipped files
        let dev = try read("support.dev.tsv"), heldout = try read("support.heldout.tsv")

        // Then every row has an id of the form en-NNN / ru-NNN matching its language, and no id repeats
        let ids = (dev + heldout).map { $0.id ?? "" }
        #expect(Set(ids).count == ids.count)
        for row in dev + heldout {
            let parts = (row.id ?? "").split(separator: "-")
            #expect(parts.count == 2 && parts[0] == row.language.rawValue && Int(parts[1]) != nil, "bad id \(row.id ?? "nil")")
        }
        // and the split rule holds: an id whose number is a multiple of 3 is held out, any other is dev
        let number = { (row: SupportReply) in Int(row.id?.split(separator: "-").last ?? "") ?? -1 }
        #expect(dev.allSatisfy { number($0) % 3 != 0 })
        #expect(heldout.allSatisfy { number($0) % 3 == 0 })
    }

    @Test func noTextRepeatsWithinOrAcrossSplits() throws {
        // Given the two shipped files
        let dev = try read("support.dev.tsv"), heldout = try read("support.heldout.tsv")

        // Then no reply text (compared without case and surrounding spaces) appears twice
        let key = { (row: SupportReply) in row.text.trimmingCharacters(in: .whitespaces).lowercased() }
        let devTexts = Set(dev.map(key)), heldoutTexts = Set(heldout.map(key))
        #expect(devTexts.count == dev.count)
        #expect(heldoutTexts.count == heldout.count)
        #expect(devTexts.isDisjoint(with: heldoutTexts), "\(devTexts.intersection(heldoutTexts))")
    }

    @Test func everyTagIsDocumentedAndEveryRowHasOne() throws {
        // Given the tag vocabulary of the README
        let vocabulary = try documentedTags()
        #expect(vocabulary.count >= 15)

        // Then every row carries at least one tag, all from the vocabulary
        for row in try read("support.dev.tsv") + read("support.heldout.tsv") {
            #expect(!row.tags.isEmpty, "\(row.id ?? "") has no tag")
            #expect(Set(row.tags).isSubset(of: vocabulary), "\(row.id ?? ""): \(row.tags)")
        }
    }
}
