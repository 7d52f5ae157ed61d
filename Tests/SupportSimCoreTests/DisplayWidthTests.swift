import SupportSimCore
import Testing

@Suite("Display width: fast path")
struct DisplayWidthTests {
    @Test("Given text with ASCII, Cyrillic, combining marks, emoji and wide characters, when its display width is measured, then the fast path gives the same widths as measuring each character")
    func asciiFastPath() {
        for text in ["olga", "Иван Петров", "ivan Петров 42", "e\u{301}x", "ab\u{301}", "李雷 lee", "a\tb", "", "x❤️", "Ёлка\u{301} — «ёж»… ±1", "Иван\u{200D}👍", "олга\r\nx", "й\u{308}"] {
            let slow = text.reduce(0) { $0 + DisplayWidth.of($1) }
            #expect(DisplayWidth.of(text) == slow, "\(text)")
        }
        #expect(DisplayWidth.truncate("abcdefghij", to: 5) == "abcd…")
        #expect(DisplayWidth.truncate("Александра", to: 5) == "Алек…")
    }
}
