import Testing
import SupportSimCore
@testable import SupportSimREPL

@Suite struct TextLayoutTests {
    @Test func cyrillicIsOneColumnWide() {
        // Given Cyrillic and CJK text / When measured / Then Cyrillic is 1 column, CJK 2
        #expect(DisplayWidth.of("Привет") == 6)
        #expect(DisplayWidth.of("日本") == 4)
    }

    @Test func wrapsWithHangingIndent() {
        // Given a long speaker line
        let lines = TextLayout.wrap("one two three four five six", width: 16, first: "Olga: ", rest: "      ")
        // Then continuation lines are indented under the text and fit the width
        #expect(lines == ["Olga: one two", "      three four", "      five six"])
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 16 })
    }

    @Test func breaksWordsLongerThanALine() {
        let lines = TextLayout.wrap(String(repeating: "x", count: 25), width: 10)
        #expect(lines == ["xxxxxxxxxx", "xxxxxxxxxx", "xxxxx"])
    }
}
