import Foundation
import Testing
@testable import SupportSimREPL
#if canImport(Glibc)
import Glibc
#endif

@Suite struct LineReaderTests {
    @Test func plainReaderReadsLinesAndReportsInvalidUTF8() {
        // Given a pipe with a Cyrillic line, an invalid byte sequence, a CRLF line and a last line without newline
        let fd = pipeHolding(Array("Привет\n".utf8) + [0x66, 0xFF, 0xFE, 0x0A] + Array("ok\r\nlast".utf8))
        defer { close(fd) }
        var echoed = ""
        let reader = PlainLineReader(fileDescriptor: fd, echo: { echoed += $0 })
        // When read line by line / Then each result is as expected
        #expect(reader.readLine(prompt: "you> ") == .line("Привет"))
        #expect(reader.readLine(prompt: "you> ") == .invalidEncoding)
        #expect(reader.readLine(prompt: "you> ") == .line("ok"))
        #expect(reader.readLine(prompt: "you> ") == .line("last"))
        #expect(reader.readLine(prompt: "you> ") == .endOfInput)
        #expect(reader.readLine(prompt: "you> ") == .endOfInput)
        #expect(echoed.hasPrefix("you> Привет\n"))
    }

    @Test func plainReaderAcceptsVeryLongLines() {
        // Given a 120 KB line in a file (more than a pipe holds)
        let line = String(repeating: "ж", count: 60_000)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("supportsim-long-\(getpid()).txt").path
        _ = FileManager.default.createFile(atPath: path, contents: Data((line + "\n").utf8))
        let fd = open(path, O_RDONLY)
        defer { close(fd); unlink(path) }
        let reader = PlainLineReader(fileDescriptor: fd)
        #expect(reader.readLine(prompt: "") == .line(line))
    }

    @Test func overlongAndSurrogateEncodingsAreInvalid() {
        #expect(decodeUTF8([0xC0, 0xAF]) == nil)
        #expect(decodeUTF8([0xED, 0xA0, 0x80]) == nil)
        #expect(decodeUTF8(Array("ёж".utf8)) == "ёж")
    }

    @Test func scriptedReaderEndsWithEndOfInput() {
        let reader = ScriptedLineReader(lines: ["a"])
        #expect(reader.readLine(prompt: "p") == .line("a"))
        #expect(reader.readLine(prompt: "p") == .endOfInput)
        #expect(reader.prompts == ["p", "p"])
    }

    @Test func interfaceLanguageFromLocale() {
        #expect(Localizer.language(environment: ["LANG": "ru_RU.UTF-8"]) == .ru)
        #expect(Localizer.language(environment: ["LC_ALL": "en_US.UTF-8", "LANG": "ru_RU.UTF-8"]) == .en)
        #expect(Localizer.language(environment: [:]) == .en)
    }

    @Test func yesAnswersInBothLanguages() {
        #expect(UIStrings(.en).isYes("y") && UIStrings(.en).isYes("Да"))
        #expect(!UIStrings(.ru).isYes("") && !UIStrings(.ru).isYes("н"))
    }
}
