import Foundation
import SupportSimCore
import Testing
@testable import SupportSimEval

/// The package root, for the fixtures and the shipped data.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite("Support reply evaluation")
struct SupportEvaluationTests {
    private let fixture = packageRoot.appendingPathComponent("Tests/Fixtures/support-small.tsv").path

    /// The fixture's rows, and a scorer that returns each row's `fake_score` (so the figures do not
    /// depend on the lexicon).
    private func fixtureRows() throws -> (rows: [SupportReply], score: (SupportReply) -> SupportScore) {
        let read = loadSupportReplies(reader: try DelimitedReader(path: fixture), file: "support-small.tsv", language: nil)
        #expect(read.problems.isEmpty, "\(read.problems)")
        let reader = try DelimitedReader(path: fixture)
        let text = try reader.column(named: "text"), fake = try reader.column(named: "fake_score")
        var scores: [String: Double] = [:]
        while let r = try reader.next() { scores[r[text]] = Double(r[fake])! }
        return (read.rows, { SupportScore(score: scores[$0.text]!, strategies: ["fake \($0.label.rawValue)"]) })
    }

    @Test func fixtureFiguresAreTheHandComputedOnes() throws {
        // Given the fixture (Tests/Fixtures/support-small.tsv; its `note` column explains each row):
        //   en: 6 rows, classed polite, neutral (62 is not above 62), rude, polite, neutral, rude
        //       against labels polite, neutral, rude, rude, polite, neutral → 3 right
        //   ru: 4 rows, classed polite, neutral (30 is not below 30), rude, polite
        //       against labels polite, neutral, rude, rude → 3 right
        let (rows, score) = try fixtureRows()

        // When the figures are computed with the fixture's scores
        let report = evaluateSupport(rows, score: score)

        // Then English: accuracy 3/6, rude recall 1/2, polite-vs-rude 2/4 (en-1 and en-3 of en-1, 3, 4, 5)
        #expect(report.n == 10)
        #expect(report.files == ["support-small.tsv"])
        #expect(report.languages.map(\.language) == [.en, .ru])
        let en = report.languages[0], ru = report.languages[1]
        #expect(en.n == 6)
        #expect(en.accuracy == 0.5)
        #expect(en.rudeRecall == 0.5)
        #expect(en.politeVsRudeAccuracy == 0.5)
        // and the confusion matrix has one row per label, one column per class
        #expect(en.confusion.counts == [[1, 0, 1], [1, 1, 0], [0, 1, 1]])
        #expect(en.confusion[.rude, .polite] == 1)
        #expect(en.confusion.precision(.rude) == 0.5)
        // and per tag: thanks 1/2 (en-1 right, en-4 wrong), insult 1/2, terse 1/2, apology 1/1
        #expect(en.tags.map(\.tag) == ["apology", "insult", "terse", "thanks"])
        #expect(en.tags.map(\.n) == [1, 2, 2, 2])
        #expect(en.tags.map(\.accuracy) == [1, 0.5, 0.5, 0.5])
        // and the mean score of each label
        #expect(en.meanScore[.rude] == 42.5)
        #expect(en.meanScore[.neutral] == (62 + 29.9) / 2)
        #expect(en.meanScore[.polite] == 67.5)
        // Russian: accuracy 3/4, rude recall 1/2, polite-vs-rude 2/3, the lang cell "RU" read as ru
        #expect(ru.n == 4)
        #expect(ru.accuracy == 0.75)
        #expect(ru.rudeRecall == 0.5)
        #expect(ru.politeVsRudeAccuracy == 2.0 / 3)
        #expect(ru.confusion.counts == [[1, 0, 1], [0, 1, 0], [0, 0, 1]])
        #expect(ru.tags.first { $0.tag == "informal" }?.accuracy == 1)
        // and the misses are the four rows classed otherwise than labelled, in file order, with their lines
        #expect(report.misses.map(\.id) == ["en-4", "en-5", "en-6", "ru-4"])
        #expect(report.misses.map(\.line) == [5, 6, 7, 11])
        #expect(report.misses.map(\.predicted) == [.polite, .neutral, .rude, .polite])
        #expect(report.misses[0].label == .rude)
        #expect(report.misses[0].score == 75)
        #expect(report.misses[0].strategies == ["fake rude"])
    }

    @Test func langOptionKeepsOneLanguage() throws {
        // Given the fixture read with language ru
        let read = loadSupportReplies(reader: try DelimitedReader(path: fixture), file: "f", language: .ru)

        // Then only the four Russian rows are kept
        #expect(read.problems.isEmpty)
        #expect(read.rows.map(\.id) == ["ru-1", "ru-2", "ru-3", "ru-4"])
    }

    @Test func emptyLanguagesAndUndefinedFiguresAreLeftOut() {
        // Given English rows that are all neutral and classed neutral
        let rows = [SupportReply(file: "f", line: 2, language: .en, label: .neutral, text: "Done.")]

        // When evaluated
        let report = evaluateSupport(rows, scores: [SupportScore(score: 50)])

        // Then there is no Russian block, and figures without rows are nil, not zero
        #expect(report.languages.map(\.language) == [.en])
        #expect(report.languages[0].accuracy == 1)
        #expect(report.languages[0].rudeRecall == nil)
        #expect(report.languages[0].politeVsRudeAccuracy == nil)
        #expect(report.misses.isEmpty)
    }

    @Test func jsonHasTheFiguresTheMatrixAndTheMisses() throws {
        // Given the fixture evaluated with its scores
        let (rows, score) = try fixtureRows()
        let json = jsonString(evaluateSupport(rows, score: score))

        // When the JSON is read back
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])

        // Then the confusion matrix is keyed by label, then class; undefined figures are null
        let languages = try #require(object["languages"] as? [[String: Any]])
        let confusion = try #require(languages[0]["confusion"] as? [String: [String: Int]])
        #expect(confusion["rude"] == ["rude": 1, "neutral": 0, "polite": 1])
        #expect(languages[0]["rude_recall"] as? Double == 0.5)
        #expect(languages[1]["polite_vs_rude_accuracy"] as? Double == 2.0 / 3)
        let misses = try #require(object["misses"] as? [[String: Any]])
        #expect(misses.count == 4)
        #expect(misses[0]["label"] as? String == "rude")
        #expect(misses[0]["predicted"] as? String == "polite")
    }

    @Test func badRowsAreReportedWithFileAndLine() throws {
        // Given a file with an unknown label (line 3), an unknown language (4) and an empty text (5)
        let text = "id\tlang\tlabel\ttext\n1\ten\tpolite\tThanks!\n2\ten\tnice\tHello.\n3\tde\tneutral\tHallo.\n4\tru\trude\t \n"

        // When it is read
        let read = loadSupportReplies(reader: try DelimitedReader(text: text, delimiter: .tab), file: "x.tsv", language: nil)

        // Then the good row is kept and every problem is reported with the file and line
        #expect(read.rows.count == 1)
        #expect(read.problems.map(\.description) == [
            "x.tsv:3: unknown label \"nice\"; expected polite, neutral or rude",
            "x.tsv:4: unknown language \"de\"; expected one of: en, ru",
            "x.tsv:5: the text is empty",
        ])
    }

    @Test func missingColumnsAreErrorsOfTheFile() throws {
        // Given a file without a label column, and one without lang read without a language
        let noLabel = loadSupportReplies(reader: try DelimitedReader(text: "lang,text\nen,Hi\n"), file: "a.csv", language: nil)
        let noLang = loadSupportReplies(reader: try DelimitedReader(text: "label,text\nrude,Whatever\n"), file: "b.csv", language: nil)
        let noLangGiven = loadSupportReplies(reader: try DelimitedReader(text: "label,text\nrude,Whatever\n"), file: "b.csv", language: .en)

        // Then the first two are errors naming the file and the column; with a language the rows are read
        #expect(noLabel.rows.isEmpty)
        #expect(noLabel.problems.first?.description.hasPrefix("a.csv: no column named \"label\"") == true)
        #expect(noLang.problems.map(\.description) == ["b.csv: the file has no \"lang\" column; give the language of its rows with --lang en|ru"])
        #expect(noLangGiven.problems.isEmpty)
        #expect(noLangGiven.rows.map(\.language) == [.en])
        #expect(noLangGiven.rows.map(\.label) == [.rude])
    }
}
