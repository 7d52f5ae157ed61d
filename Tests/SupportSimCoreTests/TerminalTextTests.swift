import Testing
@testable import SupportSimCore

@Suite("Terminal text sanitising and reply cleaning")
struct TerminalTextTests {
    /// No control character (except newline), DEL, C1 control or bidi control is left.
    static func isInert(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0.value != 0x0A && TerminalText.isNeutralised($0) }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String, input: String, expected: String
        var testDescription: String { name }
    }

    static let escapeKinds: [Case] = [
        Case(name: "clear screen and cursor home", input: "before\u{1B}[2J\u{1B}[Hafter", expected: "beforeafter"),
        Case(name: "OSC 52 clipboard write", input: "a\u{1B}]52;c;cm0gLXJmIH4=\u{07}b", expected: "ab"),
        Case(name: "OSC 0 window title (BEL)", input: "\u{1B}]0;pwned\u{07}Hello", expected: "Hello"),
        Case(name: "OSC 2 window title (ST)", input: "\u{1B}]2;pwned\u{1B}\\Hello", expected: "Hello"),
        Case(name: "OSC 8 hyperlink ended by ST",
             input: "see \u{1B}]8;;http://evil.example\u{1B}\\link\u{1B}]8;;\u{1B}\\ now", expected: "see link now"),
        Case(name: "OSC 8 hyperlink ended by BEL",
             input: "see \u{1B}]8;;http://evil.example\u{07}link\u{1B}]8;;\u{07} now", expected: "see link now"),
        Case(name: "OSC 8 hyperlink ended by C1 ST",
             input: "see \u{1B}]8;;http://evil.example\u{9C}link\u{1B}]8;;\u{9C} now", expected: "see link now"),
        Case(name: "C1 OSC title", input: "\u{9D}0;c1title\u{9C}Hello", expected: "Hello"),
        Case(name: "C1 OSC hyperlink", input: "\u{9D}8;;http://evil.example\u{9C}c1link\u{9D}8;;\u{07}!", expected: "c1link!"),
        Case(name: "C1 CSI clear screen", input: "a\u{9B}2Jb\u{9B}1;31mc", expected: "abc"),
        Case(name: "DCS (7-bit)", input: "x\u{1B}P1$qm\u{1B}\\y", expected: "xy"),
        Case(name: "DCS (C1)", input: "x\u{90}1$qm\u{9C}y", expected: "xy"),
        Case(name: "SOS, PM and APC (C1)", input: "a\u{98}sos\u{9C}b\u{9E}pm\u{9C}c\u{9F}apc\u{9C}d", expected: "abcd"),
        Case(name: "ESC with intermediates", input: "a\u{1B}(0b\u{1B}#8c\u{1B} Fd", expected: "abcd"),
        Case(name: "two-character escape (reset)", input: "a\u{1B}cb", expected: "ab"),
        Case(name: "unterminated OSC at the end", input: "ok\u{1B}]0;title with no end", expected: "ok"),
        Case(name: "unterminated C1 DCS at the end", input: "ok\u{90}qqq", expected: "ok"),
        Case(name: "unterminated CSI and lone ESC at the end", input: "ok\u{1B}[12;", expected: "ok"),
        Case(name: "lone ESC at the end", input: "ok\u{1B}", expected: "ok"),
        Case(name: "broken CSI keeps the text after it", input: "a\u{1B}[1Привет", expected: "aПривет"),
        Case(name: "bidi overrides and isolates", input: "abc\u{202E}fed\u{202C} \u{2066}x\u{2069}", expected: "abcfed x"),
        Case(name: "NUL, BEL, DEL and C1 controls", input: "a\u{0}b\u{7}c\u{7F}d\u{85}e", expected: "abcde"),
    ]

    @Test(arguments: escapeKinds)
    func everyEscapeKindIsRemovedWithoutLeftovers(_ c: Case) {
        // Given text with one kind of escape sequence / When sanitised
        let out = TerminalText.sanitize(c.input)
        // Then exactly the visible text is left: nothing raw, no parameters such as "0;c1link"
        #expect(out == c.expected)
        #expect(Self.isInert(out))
    }

    @Test func newlinesTabsAndCarriageReturns() {
        // Given / When / Then
        #expect(TerminalText.sanitize("a\tb\r\nc") == "a b\nc")
        #expect(TerminalText.sanitize("a\tb\r\nc", keepNewlines: false) == "a b c")
        #expect(TerminalText.sanitize("Привет, мир 😀") == "Привет, мир 😀")
    }

    @Test func jsonKeepsTheDataButEscapesC1DelAndBidi() {
        // Given JSON as an encoder writes it (C0 already escaped, C1 and DEL raw)
        let json = "[\n  {\"t\": \"a\u{9D}0;x\u{9C}b\u{7F}\u{202E}\\u001b\"}\n]"
        // When post-processed
        let out = TerminalText.jsonEscapingControls(json)
        // Then the characters are escapes, and the structure (newlines) is unchanged
        #expect(out == "[\n  {\"t\": \"a\\u009d0;x\\u009cb\\u007f\\u202e\\u001b\"}\n]")
        #expect(Self.isInert(out))
    }

    @Test func replyCleaningRemovesNulsAndControls() {
        // Given replies with NULs, escapes and tabs / When cleaned / Then the text is kept whole minus the controls
        #expect(ReplyText.clean("Which\u{0} printer\u{0}\u{0} is it?") == "Which printer is it?")
        #expect(ReplyText.clean("  a\u{1B}[2J\tb \u{9D}0;t\u{9C}") == "a b")
        #expect(ReplyText.clean("\u{0}\u{0}\u{0}").isEmpty)
    }

    @Test func aLineOfOnlyControlCharactersIsNotAnInput() {
        // Given lines of NULs and other controls / When parsed / Then they are empty lines, not replies
        #expect(CommandParser.parse("\u{0}\u{0}\u{0}\u{0}") == .empty)
        #expect(CommandParser.parse("\u{0} \u{1B}[2J \u{7}") == .empty)
        // and NULs inside a reply or a note are removed, the rest kept
        #expect(CommandParser.parse("Sorry\u{0} for\u{0} the wait") == .input(.reply("Sorry for the wait")))
        #expect(CommandParser.parse("/escalate L2\u{0} printer\u{0} broken") == .input(.escalate(target: "L2", note: "printer broken")))
    }

    @Test func diagnosticMessagesAndHintsAreSanitisedAtOutput() {
        // Given a diagnostic quoting a user's value with escapes (e.g. an SS005 `next:` target)
        let d = Diagnostic(.error, code: "SS005", "next names no node: \u{1B}]0;pwned\u{07}x\u{1B}[2J\u{9D}8;;u\u{9C}",
                           at: SourceLocation(line: 1, column: 1), hint: "define \u{1B}[31mx\u{9B}2J")
        // When rendered
        let text = d.rendered(file: "a\u{1B}[2J.yaml", source: "next: \u{1B}[2Jx")
        // Then nothing raw is left, and the text is still there
        #expect(Self.isInert(text))
        #expect(text.hasPrefix("a.yaml:1:1: error: next names no node: x [SS005]"))
        #expect(text.contains("hint: define x"))
    }
}
