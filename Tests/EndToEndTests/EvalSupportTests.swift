import Foundation
import Testing

@Suite("supportsim-eval support")
struct EvalSupportTests {
    private func run(_ arguments: [String]) throws -> CLI.Result {
        try CLI.run(["support"] + arguments, program: "supportsim-eval")
    }

    private func json(_ result: CLI.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    // The fixture (Tests/Fixtures/support-small.tsv) holds replies whose tone no scorer can miss
    // (warm thanks, an insult, a ticket number), some of them labelled wrongly on purpose, so the
    // figures do not move when the lexicon is tuned: en rows classed polite, neutral, rude, polite,
    // neutral, rude against labels polite, neutral, rude, rude, polite, neutral; ru rows classed
    // polite, neutral, rude, polite against polite, neutral, rude, rude.

    @Test func fixtureGivesTheExpectedFiguresAsJSON() throws {
        // When the fixture is evaluated as JSON
        let result = try run(["Tests/Fixtures/support-small.tsv", "--json"])

        // Then each language has the figures of its rows
        #expect(result.status == 0, "\(result.stderr)")
        let object = try json(result)
        #expect(object["n"] as? Int == 10)
        let languages = try #require(object["languages"] as? [[String: Any]])
        #expect(languages.compactMap { $0["language"] as? String } == ["en", "ru"])
        let en = languages[0], ru = languages[1]
        #expect(en["n"] as? Int == 6)
        #expect(en["accuracy"] as? Double == 0.5)
        #expect(en["rude_recall"] as? Double == 0.5)
        #expect(en["polite_vs_rude_accuracy"] as? Double == 0.5)
        #expect(en["confusion"] as? [String: [String: Int]] == [
            "rude": ["rude": 1, "neutral": 0, "polite": 1],
            "neutral": ["rude": 1, "neutral": 1, "polite": 0],
            "polite": ["rude": 0, "neutral": 1, "polite": 1],
        ])
        let tags = try #require(en["tags"] as? [[String: Any]])
        #expect(tags.first { $0["tag"] as? String == "thanks" }?["accuracy"] as? Double == 0.5)
        #expect(ru["n"] as? Int == 4)
        #expect(ru["accuracy"] as? Double == 0.75)
        #expect(ru["polite_vs_rude_accuracy"] as? Double == 2.0 / 3)
        // and every misclassified reply is listed with its line, classes, score and strategies
        let misses = try #require(object["misses"] as? [[String: Any]])
        #expect(misses.compactMap { $0["id"] as? String } == ["en-4", "en-5", "en-6", "ru-4"])
        #expect(misses.compactMap { $0["line"] as? Int } == [5, 6, 7, 11])
        let insult = try #require(misses.first { $0["id"] as? String == "en-6" })
        #expect(insult["label"] as? String == "neutral")
        #expect(insult["predicted"] as? String == "rude")
        #expect((insult["score"] as? Double ?? 100) < 30)
        #expect((insult["strategies"] as? [String])?.isEmpty == false)
    }

    @Test func tablePrintsTheFiguresMatrixAndTags() throws {
        // When the fixture is evaluated as a table
        let result = try run(["Tests/Fixtures/support-small.tsv"])

        // Then the figures, the confusion matrix and the tags of each language are printed
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.components(separatedBy: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        for line in ["English (en): 6 rows", "accuracy (3 classes) 50.0% 3/6", "rude recall 50.0% 1/2",
                     "polite-vs-rude accuracy 50.0% 2/4", "label \\ scorer rude neutral polite",
                     "rude 1 0 1", "neutral 1 1 0", "polite 0 1 1", "thanks 2 50.0%",
                     "Russian (ru): 4 rows", "accuracy (3 classes) 75.0% 3/4", "polite-vs-rude accuracy 66.7% 2/3",
                     "Misclassified: 4 (--verbose lists them)"] {
            #expect(lines.contains(line), "missing \(line):\n\(result.stdout)")
        }
        // and the replies themselves only with --verbose
        #expect(!result.stdout.contains("Ticket 5120 closed."))
    }

    @Test func errorsListsEveryMisclassifiedReplyWithScoreAndStrategies() throws {
        // When the fixture is evaluated with --errors
        let result = try run(["Tests/Fixtures/support-small.tsv", "--errors"])

        // Then each miss shows its line, id, label and class, score, text and strategies
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("line 6 en-5  en  polite -> neutral  score 50.0"), "\(result.stdout)")
        #expect(result.stdout.contains("\"Ticket 5120 closed.\""))
        #expect(result.stdout.contains("strategies: (none)"))
        #expect(result.stdout.contains("line 7 en-6  en  neutral -> rude"))
        #expect(result.stdout.contains("line 11 ru-4  ru  rude -> polite"))
        #expect(result.stdout.components(separatedBy: "strategies:").count - 1 == 4)
    }

    @Test func langFiltersAndIsRequiredWithoutALangColumn() throws {
        // When the fixture is read with --lang ru
        let russian = try json(try run(["Tests/Fixtures/support-small.tsv", "--lang", "ru", "--json"]))
        // Then only Russian is reported
        #expect((russian["languages"] as? [[String: Any]])?.compactMap { $0["language"] as? String } == ["ru"])

        // When a file without a lang column is read without --lang
        let missing = try run(["Tests/Fixtures/support-nolang.tsv"])
        // Then it is a data error that says what to do
        #expect(missing.status == 65)
        #expect(missing.stderr.contains("support-nolang.tsv: the file has no \"lang\" column; give the language of its rows with --lang en|ru"), "\(missing.stderr)")

        // and with --lang en it is read as English
        let english = try json(try run(["Tests/Fixtures/support-nolang.tsv", "--lang", "en", "--json"]))
        #expect(english["n"] as? Int == 2)

        // and an unknown --lang is a usage error
        let bad = try run(["Tests/Fixtures/support-small.tsv", "--lang", "de"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("unknown language 'de'"))
    }

    @Test func badRowsAndMissingFilesAreReportedWithFileAndLine() throws {
        // Given a file with an unknown label (line 3), an unknown language (4) and an empty text (5)
        let result = try run(["Tests/Fixtures/support-bad.tsv"])

        // Then the exit code is 65, nothing is printed on stdout, and each problem names file and line
        #expect(result.status == 65)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("support-bad.tsv:3: unknown label \"nice\""), "\(result.stderr)")
        #expect(result.stderr.contains("support-bad.tsv:4: unknown language \"de\""))
        #expect(result.stderr.contains("support-bad.tsv:5: the text is empty"))

        // And a missing file is exit 66
        let missing = try run(["Tests/Fixtures/no-such-file.tsv"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("file not found: Tests/Fixtures/no-such-file.tsv"))
    }

    @Test func severalFilesAreEvaluatedTogether() throws {
        // When the shipped dev and held-out files are evaluated in one run
        let result = try run(["Data/politeness/support.dev.tsv", "Data/politeness/support.heldout.tsv", "--json"])

        // Then all 480 rows are counted, 240 per language, and the misses name their file
        #expect(result.status == 0, "\(result.stderr)")
        let object = try json(result)
        #expect(object["n"] as? Int == 480)
        #expect(object["files"] as? [String] == ["Data/politeness/support.dev.tsv", "Data/politeness/support.heldout.tsv"])
        #expect((object["languages"] as? [[String: Any]])?.compactMap { $0["n"] as? Int } == [240, 240])
        let misses = try #require(object["misses"] as? [[String: Any]])
        #expect(misses.allSatisfy { ($0["file"] as? String)?.hasPrefix("Data/politeness/support.") == true })
    }

    @Test func lexiconOptionIsMergedOverTheBundledLexicon() throws {
        // Given a company lexicon with a new strategy that matches the fixture's "Ticket 5120 closed."
        let dir = try CLI.temporaryDirectory()
        let lexicon = dir.appendingPathComponent("acme.politeness.yaml")
        try Data("""
        strategies:
          - id: ticket_courtesy
            weight: 3
            patterns:
              en: ["ticket 5120 closed"]
        """.utf8).write(to: lexicon)

        // When the fixture is evaluated with it
        let object = try json(try run(["Tests/Fixtures/support-small.tsv", "--lang", "en", "--lexicon", lexicon.path, "--json"]))

        // Then that reply (labelled polite) is now classed polite, with the new strategy as the reason
        let misses = try #require(object["misses"] as? [[String: Any]])
        #expect(!misses.contains { $0["id"] as? String == "en-5" })
        let languages = try #require(object["languages"] as? [[String: Any]])
        #expect(languages.first?["accuracy"] as? Double == 4.0 / 6)

        // And an unreadable lexicon is a usage error naming the file
        let missing = try run(["Tests/Fixtures/support-small.tsv", "--lexicon", dir.appendingPathComponent("none.yaml").path])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("cannot read the lexicon file"), "\(missing.stderr)")
    }
}
