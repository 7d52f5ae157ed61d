import Testing
@testable import SupportSimCore

@Suite("Text normalisation")
struct TextNormalizerTests {
    @Test func foldsCaseAndYo() {
        // Given / When
        let text = TextNormalizer.normalize("ЁЛКА Всё Restart")
        // Then
        #expect(text.words == ["елка", "все", "restart"])
        #expect(text.padded == " елка все restart ")
    }

    @Test func collapsesRepeatedLetters() {
        // Given / When
        let en = TextNormalizer.normalize("Pleeeease thaaaanks")
        let ru = TextNormalizer.normalize("Спасибоооо!!! ДАААА")
        // Then
        #expect(en.words == ["please", "thanks"])
        #expect(ru.words == ["спасибо", "да"])
    }

    @Test func keepsDoubleLettersAndNumbers() {
        // Given / When
        let text = TextNormalizer.normalize("hello 1000 0x80070005 касса")
        // Then
        #expect(text.words == ["hello", "1000", "0x80070005", "касса"])
    }

    @Test func removesEmojiAndSymbolsBetweenWords() {
        // Given / When
        let text = TextNormalizer.normalize("restart😀now 👍🏽 ok✅ — «готово» ★")
        // Then
        #expect(text.words == ["restart", "now", "ok", "готово"])
    }

    @Test func keepsIdsWhole() {
        // Given / When
        let text = TextNormalizer.normalize("Ticket #4512, INC-0042 from 10.0.0.12: error E1234 (0x80070005), v2.4.1.")
        // Then
        #expect(text.words == ["ticket", "4512", "inc-0042", "from", "10.0.0.12", "error", "e1234",
                               "0x80070005", "v2.4.1"])
    }

    @Test func splitsPlainWordsOnHyphensAndDots() {
        // Given / When
        let text = TextNormalizer.normalize("power-cycle it.Then don’t")
        // Then
        #expect(text.words == ["power", "cycle", "it", "then", "don't"])
    }

    @Test func cachesStems() {
        // Given / When
        let text = TextNormalizer.normalize("перезагрузите restarting 10.0.0.1")
        // Then
        #expect(text.stems == ["перезагруз", "restart", "10.0.0.1"])
    }

    @Test func survivesOddInput() {
        // Given
        let inputs = ["", "   \n\t ", "😀🔥👍🏽", "\u{FFFD}\u{FFFD}abc\u{FFFD}", "mixed русский English 123",
                      String(repeating: "слово ", count: 20_000), "й" + "\u{0438}\u{0306}"]
        // When / Then
        for input in inputs { _ = TextNormalizer.normalize(input) }
        #expect(TextNormalizer.normalize("").words.isEmpty)
        #expect(TextNormalizer.normalize("😀🔥👍🏽").words.isEmpty)
        #expect(TextNormalizer.normalize("\u{0438}\u{0306}").words == ["й"])
    }

    @Test func wordsInitStillWorks() {
        // Given / When
        var text = NormalizedText(words: ["restart", "it"])
        text.words.append("now")
        // Then
        #expect(text.padded == " restart it now ")
        #expect(text.stems == ["restart", "it", "now"])
    }
}
