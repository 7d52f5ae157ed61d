import Foundation
import Testing
import SupportSimCore
@testable import SupportSimSpelling

@Suite("Spelling: Hunspell checker")
struct HunspellCheckerTests {
    @Test func dictionariesFindMisspellingsInBothLanguages() {
        // Given the Debian dictionaries
        let checker = Spelling.checker
        // When words are checked
        // Then misspelt ones are returned in order and correct ones are not
        #expect(checker.misspelled(["пожалуйста", "пожалуста", "Принтер", "перезагрузите"], language: .ru) == ["пожалуста"])
        #expect(checker.misspelled(["receive", "recieve", "Hello", "don't", "RECIEVE"], language: .en) == ["recieve", "RECIEVE"])
    }

    @Test func russianWordsWrittenWithoutYoAreCorrect() {
        // Given words usually typed with «е» for «ё»
        // When checked
        // Then they are correct as long as the «ё» spelling is
        #expect(Spelling.checker.misspelled(["еще", "ещё", "всё", "Еще", "пришел"], language: .ru).isEmpty)
    }

    @Test func supportVocabularyIsAddedWithItsForms() throws {
        // Given the default checker (with the support vocabulary) and one without extra words
        let plain = try HunspellChecker(languages: [.ru, .en], extraWords: [:])
        let ru = ["роутер", "роутером", "скриншоты", "флешку", "учетку"]
        let en = ["Wi-Fi", "touchpads", "hotspot", "unticked"]
        // When everyday support words are checked
        // Then the default checker knows them, inflected too, and the plain dictionaries do not
        #expect(Spelling.checker.misspelled(ru, language: .ru).isEmpty)
        #expect(Spelling.checker.misspelled(en, language: .en).isEmpty)
        #expect(plain.misspelled(ru, language: .ru).count == ru.count)
        #expect(plain.misspelled(en, language: .en).count == en.count)
    }

    @Test func missingDictionaryNamesThePackage() {
        // Given a directory without dictionaries
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("no-dictionaries").path
        // When the checker is opened there
        // Then the error names the missing file and the Debian package to install
        #expect(throws: SpellingDictionaryError.missing(language: .ru, path: "\(directory)/ru_RU.aff",
                                                        package: "hunspell-ru")) {
            try HunspellChecker(dictionaryDirectory: directory, languages: [.ru])
        }
        let message = SpellingDictionaryError.missing(language: .en, path: "/x/en_US.aff", package: "hunspell-en-us").description
        #expect(message.contains("apt-get install hunspell-en-us"))
        #expect(message.contains("установите пакет"))
    }

    @Test func aCheckerWithOneLanguagePassesTheOther() throws {
        // Given a checker with English only
        let checker = try HunspellChecker(languages: [.en])
        // When Russian words are checked
        // Then none is reported (there is no dictionary to judge them)
        #expect(checker.misspelled(["пожалуста"], language: .ru).isEmpty)
        #expect(checker.misspelled(["recieve"], language: .en) == ["recieve"])
    }

    @Test func concurrentCallsAgree() async {
        // Given one checker shared by many tasks
        let checker = Spelling.checker
        let words = ["пожалуста", "пожалуйста", "recieve", "receive", "принтер", "mesage"]
        // When they check the same words at once
        let results = await withTaskGroup(of: [String].self) { group in
            for i in 0..<16 {
                group.addTask {
                    var found: [String] = []
                    for _ in 0..<50 {
                        found = checker.misspelled(Array(words[0..<3]) + ["слово\(i % 2 == 0 ? "" : "о")"], language: .ru)
                            + checker.misspelled(["recieve", "receive", "mesage"], language: .en)
                    }
                    return found
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        // Then every task gets the same answer
        #expect(results.count == 16)
        for found in results {
            #expect(found.prefix(1) == ["пожалуста"])
            #expect(found.suffix(2) == ["recieve", "mesage"])
        }
    }

    @Test func eightBitDictionaryEncodings() {
        // Given the encodings a Hunspell dictionary may declare with SET
        // When Russian words are encoded
        // Then KOI8-R and CP1251 give the expected bytes and UTF-8 is unchanged
        #expect(DictionaryEncoding(name: "KOI8-R").encode("ёЖик") == [0xA3, 0xF6, 0xC9, 0xCB])
        #expect(DictionaryEncoding(name: "microsoft-cp1251").encode("ёж") == [0xB8, 0xE6])
        #expect(DictionaryEncoding(name: "UTF-8").encode("ё") == [0xD1, 0x91])
        #expect(DictionaryEncoding(name: "ISO8859-1").encode("ё") == nil)
    }
}
