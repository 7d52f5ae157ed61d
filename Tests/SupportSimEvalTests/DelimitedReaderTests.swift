import Foundation
import Testing
@testable import SupportSimEval

@Suite("Delimited file reader")
struct DelimitedReaderTests {
    private func rows(_ reader: DelimitedReader) throws -> [[String]] {
        var out: [[String]] = []
        while let r = try reader.next() { out.append(r) }
        return out
    }

    @Test func quotedFieldsKeepCommasNewlinesAndDoubledQuotes() throws {
        // Given a CSV whose quoted fields hold a comma, a line break and doubled quotes
        let csv = "id,text,score\n1,\"Hello, world\",2\n2,\"first line\nsecond line\",3\n3,\"She said \"\"thanks\"\"\",4\n"
        // When it is read
        let reader = try DelimitedReader(text: csv)
        let all = try rows(reader)
        // Then every field is unquoted exactly
        #expect(reader.header == ["id", "text", "score"])
        #expect(all == [
            ["1", "Hello, world", "2"],
            ["2", "first line\nsecond line", "3"],
            ["3", "She said \"thanks\"", "4"],
        ])
    }

    @Test func tabSeparatedWithEmptyCellsAndQuotedNewline() throws {
        // Given a TSV with empty trailing cells and a quoted cell spanning two lines
        let tsv = "index\ttoxic\tneutral1\tneutral2\n0\tbad, words\tgood words\t\n1\tx\t\"two\nlines\"\t\n"
        // When it is read with a tab delimiter
        let reader = try DelimitedReader(text: tsv, delimiter: .tab)
        let all = try rows(reader)
        // Then commas are ordinary characters and empty cells are empty strings
        #expect(all == [["0", "bad, words", "good words", ""], ["1", "x", "two\nlines", ""]])
        #expect(reader.rowNumber == 2)
    }

    @Test func delimiterFollowsTheFileExtension() {
        // Given file names with different extensions / When the delimiter is chosen / Then .tsv means tab
        #expect(Delimiter.forPath("/data/a.tsv") == .tab)
        #expect(Delimiter.forPath("/data/a.TSV") == .tab)
        #expect(Delimiter.forPath("/data/a.csv") == .comma)
        #expect(Delimiter(argument: "tab") == .tab)
        #expect(Delimiter(argument: ";") == .other(UInt8(ascii: ";")))
        #expect(Delimiter(argument: "ab") == nil)
    }

    @Test func crlfLineEndsAndByteOrderMark() throws {
        // Given a file with a UTF-8 byte-order mark and CRLF line ends (also inside a quoted field)
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("name,text\r\nа,\"b\r\nc\"\r\nd,e\r\n".utf8)
        // When it is read
        let reader = try DelimitedReader(bytes: bytes)
        let all = try rows(reader)
        // Then the first column name has no BOM, records end at CRLF and the quoted line break is kept
        #expect(reader.header == ["name", "text"])
        #expect(try reader.column(named: "name") == 0)
        #expect(all == [["а", "b\r\nc"], ["d", "e"]])
    }

    @Test func lastRowWithoutLineBreakAndBlankLinesSkipped() throws {
        // Given a file with a blank line between rows and no final line break
        let reader = try DelimitedReader(text: "a,b\n1,2\n\n3,4")
        // When it is read / Then both rows come back
        #expect(try rows(reader) == [["1", "2"], ["3", "4"]])
    }

    @Test func missingColumnListsTheAvailableColumns() throws {
        // Given a file with columns Id and Request
        let reader = try DelimitedReader(text: "Id,Request\n1,hi\n")
        // When a column that is not there is asked for
        // Then the error names it and lists the columns there are
        #expect(throws: DelimitedFileError.missingColumn(name: "Text", available: ["Id", "Request"])) {
            try reader.column(named: "Text")
        }
        let message = DelimitedFileError.missingColumn(name: "Text", available: ["Id", "Request"]).description
        #expect(message.contains("\"Id\"") && message.contains("\"Request\"") && message.contains("Text"))
        #expect(try reader.column(named: "request") == 1)
    }

    @Test func invalidUTF8NamesTheRow() throws {
        // Given a file whose second data row holds a byte that is not valid UTF-8
        let bytes = Array("a,b\n1,ok\n2,".utf8) + [0xFF, 0x41] + Array("\n".utf8)
        let reader = try DelimitedReader(bytes: bytes)
        #expect(try reader.next() == ["1", "ok"])
        // When it is read / Then the error names row 2 (line 3)
        #expect(throws: DelimitedFileError.invalidUTF8(row: 2, line: 3)) { try reader.next() }
        #expect(DelimitedFileError.invalidUTF8(row: 2, line: 3).description.contains("row 2"))
    }

    @Test func overlongEncodingIsRejected() {
        // Given an overlong encoding of "/" / When decoded / Then it is not accepted as UTF-8
        #expect(DelimitedReader.decodeUTF8([0xC0, 0xAF]) == nil)
        #expect(DelimitedReader.decodeUTF8(Array("привет".utf8)) == "привет")
    }

    @Test func wrongFieldCountAndUnclosedQuoteAreErrors() throws {
        // Given a row with too few fields and a quote that is never closed
        let short = try DelimitedReader(text: "a,b,c\n1,2\n")
        let unclosed = try DelimitedReader(text: "a,b\n1,\"open\n")
        // When read / Then both are reported with their row
        #expect(throws: DelimitedFileError.fieldCount(row: 1, line: 2, expected: 3, found: 2)) { try short.next() }
        #expect(throws: DelimitedFileError.unterminatedQuote(row: 1, line: 2)) { try unclosed.next() }
    }

    @Test func emptyInputAndMissingFile() {
        // Given no bytes and a path that does not exist / When opened / Then clear errors
        #expect(throws: DelimitedFileError.empty) { try DelimitedReader(bytes: []) }
        #expect(throws: DelimitedFileError.fileNotFound(path: "/nonexistent/x.csv")) {
            try DelimitedReader(path: "/nonexistent/x.csv")
        }
    }

    @Test func readsAFileLargerThanOneChunk() throws {
        // Given a temporary TSV file of many rows, with quoted line breaks, larger than the read chunk
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("reader-\(UUID().uuidString).tsv").path
        var text = "n\ttext\n"
        for i in 0..<5_000 { text += "\(i)\t\"строка \(i)\nвторая\"\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        // When it is read by extension
        let reader = try DelimitedReader(path: path)
        let all = try rows(reader)
        // Then every row comes back intact
        #expect(all.count == 5_000)
        #expect(all[4_999] == ["4999", "строка 4999\nвторая"])
    }
}
