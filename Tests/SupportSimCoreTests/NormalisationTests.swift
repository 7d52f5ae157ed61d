import Testing
@testable import SupportSimCore

/// Token offsets, breaks, list markers, and how people type (slang, look-alike letters).
@Suite("Normalisation of typed replies")
struct NormalisationTests {
    private func typed(_ raw: String, _ text: NormalizedText) -> [String] {
        text.sources.map { RawText.slice(raw, $0) }
    }

    // MARK: - Offsets

    @Test func sourcesAreUTF8OffsetsOfTheWordsAsTyped() {
        // Given a reply mixing scripts, emoji and punctuation
        let raw = "Привет 👋, Restart-it «сейчас»!"
        // When
        let text = TextNormalizer.normalize(raw)
        // Then every source slices the word as typed
        #expect(text.words == ["привет", "restart", "it", "сейчас"])
        #expect(typed(raw, text) == ["Привет", "Restart", "it", "сейчас"])
        #expect(text.sources[0] == 0..<12)
    }

    @Test func sourcesCoverIdsAndApostrophesWhole() {
        // Given
        let raw = "Ticket #4512: don’t touch INC-0042."
        // When
        let text = TextNormalizer.normalize(raw)
        // Then the "#" is not part of the word, the curly apostrophe is
        #expect(typed(raw, text) == ["Ticket", "4512", "don’t", "touch", "INC-0042"])
    }

    @Test func sourcesOfElongatedAndFoldedWordsAreTheTypedSpan() {
        // Given a stretched word and a slang word
        let raw = "Спасибоооо, ребутните комп"
        // When
        let text = TextNormalizer.normalize(raw)
        // Then the words are normalised but the sources are what was typed
        #expect(text.words == ["спасибо", "перезагрузите", "компьютер"])
        #expect(typed(raw, text) == ["Спасибоооо", "ребутните", "комп"])
    }

    @Test func decomposedLettersAreComposedAndKeepTheirTypedRange() {
        // Given «й» typed as «и» + combining breve
        let raw = "мои\u{0306} ключ"
        // When
        let text = TextNormalizer.normalize(raw)
        // Then
        #expect(text.words == ["мой", "ключ"])
        #expect(typed(raw, text) == ["мои\u{0306}", "ключ"])
    }

    @Test func textsBuiltFromWordsHaveEmptySources() {
        // Given / When
        let text = NormalizedText(words: ["restart", "it"])
        // Then
        #expect(text.sources == [0..<0, 0..<0])
        #expect(text.breaks == [.none, .none])
    }

    // MARK: - Breaks

    @Test func breaksNameTheSeparatorBeforeEachWord() {
        // Given
        let raw = "Hi, restart it; then wait: ok. Done! Really? Yes… fine — go - now\nbye (soon)"
        // When
        let text = TextNormalizer.normalize(raw)
        // Then
        #expect(text.words == ["hi", "restart", "it", "then", "wait", "ok", "done", "really", "yes", "fine", "go", "now",
                               "bye", "soon"])
        #expect(text.breaks == [.none, .comma, .none, .colon, .none, .colon, .sentence, .sentence, .sentence, .sentence,
                                .dash, .dash, .newline, .bracket])
    }

    @Test func theStrongestSeparatorWins() {
        // Given a sentence end followed by a line break, and a comma followed by a dash
        let text = TextNormalizer.normalize("one.\ntwo, — three")
        // Then
        #expect(text.breaks == [.none, .newline, .dash])
    }

    @Test func hyphensInsideWordsAndNumbersAreNotDashes() {
        // Given
        let text = TextNormalizer.normalize("power-cycle it, 1-2 days")
        // Then
        #expect(text.words == ["power", "cycle", "it", "1-2", "days"])
        #expect(text.breaks == [.none, .none, .none, .comma, .none])
    }

    @Test(arguments: [("т.е. перезагрузите", ["т", "е", "перезагрузите"]), ("e.g. restart", ["e", "g", "restart"])])
    func abbreviationDotsDoNotEndSentences(raw: String, words: [String]) {
        // Given / When
        let text = TextNormalizer.normalize(raw)
        // Then
        #expect(text.words == words)
        #expect(text.breaks.allSatisfy { $0 == .none })
    }

    @Test func numberedListMarkersAreBreaksNotWords() {
        // Given
        let raw = "Please:\n1) restart the router\n2. check the cable\n(3) call us\n10) wait"
        // When
        let text = TextNormalizer.normalize(raw)
        // Then
        #expect(text.words == ["please", "restart", "the", "router", "check", "the", "cable", "call", "us", "wait"])
        #expect(text.breaks[1] == .listMarker && text.breaks[4] == .listMarker && text.breaks[7] == .listMarker
                && text.breaks[9] == .listMarker)
        #expect(typed(raw, text)[1] == "restart")
    }

    @Test func bulletMarkersAreBreaks() {
        // Given
        let text = TextNormalizer.normalize("- сохраните файлы\n* закройте программы\n• перезагрузите • проверьте")
        // Then
        #expect(text.words == ["сохраните", "файлы", "закройте", "программы", "перезагрузите", "проверьте"])
        #expect(text.breaks == [.listMarker, .none, .listMarker, .none, .listMarker, .listMarker])
    }

    @Test func inlineNumberedItemsAreMarkers() {
        // Given
        let text = TextNormalizer.normalize("Steps: 1) restart 2) check")
        // Then
        #expect(text.words == ["steps", "restart", "check"])
        #expect(text.breaks == [.none, .listMarker, .listMarker])
    }

    @Test(arguments: ["1.5 hours", "10.0.0.12 is down", "2 printers", "-5 degrees", "3.Restart"])
    func numbersAtALineStartThatAreNotMarkersStayWords(raw: String) {
        // Given / When
        let text = TextNormalizer.normalize(raw)
        // Then the first word is the number as before
        #expect(text.breaks.first == TokenBreak.none)
        #expect(text.words.first?.first?.isNumber == true)
    }

    @Test func aLetterMarkerAtALineStartIsABreak() {
        // Given / When
        let text = TextNormalizer.normalize("a) restart\nб) проверьте")
        // Then
        #expect(text.words == ["restart", "проверьте"])
        #expect(text.breaks == [.listMarker, .listMarker])
    }

    // MARK: - Slang and abbreviations

    @Test(arguments: [
        ("u", "you"), ("ur", "your"), ("pls", "please"), ("plz", "please"), ("thx", "thanks"), ("thnx", "thanks"),
        ("pc", "pc"), ("плиз", "пожалуйста"), ("инет", "интернет"), ("прога", "программа"), ("комп", "компьютер"),
        ("компа", "компьютера"), ("компом", "компьютером"), ("ноут", "ноутбук"), ("ноута", "ноутбука"),
        ("ребутните", "перезагрузите"), ("ребутни", "перезагрузи"), ("ребутнуть", "перезагрузить"),
        ("ребут", "перезагрузка"), ("скрин", "скриншот"), ("скрином", "скриншотом"), ("скриншот", "скриншот"),
        ("проги", "программы"), ("инета", "интернета"), ("спс", "спасибо"),
    ])
    func slangIsWrittenOut(typed: String, full: String) {
        // Given / When
        let text = TextNormalizer.normalize(typed)
        // Then
        #expect(text.words == [full])
    }

    @Test(arguments: ["компания", "компьютер", "компонент", "ноутбук", "программа", "прогресс", "скриншоты", "up", "urgent",
                      "plus"])
    func wordsThatOnlyStartLikeSlangStay(word: String) {
        // Given / When / Then
        #expect(TextNormalizer.normalize(word).words == [word])
    }

    @Test func slangInAReplyMatchesTheFullWordRule() {
        // Given a rule written with full words
        let rule = MatchRule(any: ["перезагрузите компьютер"])
        // When the trainee writes slang
        let hit = Matcher.match(rule, in: "Ребутните комп плиз")
        // Then it still matches
        #expect(hit != nil)
    }

    @Test func aScreenshotInSlangMatchesASnapshotOfTheScreen() {
        // Given the shared vocabulary with скриншот = снимок экрана
        let rule = MatchRule(any: ["снимок экрана"])
        // When / Then
        #expect(Matcher.match(rule, in: "пришлите скрин ошибки", vocabulary: SupportVocabulary.shared) != nil)
    }

    // MARK: - Look-alike letters

    @Test func latinLettersInACyrillicWordAreFolded() {
        // Given «принтер» typed with Latin p, e
        let text = TextNormalizer.normalize("пpинтep")
        // Then
        #expect(text.words == ["принтер"])
    }

    @Test func cyrillicLettersInALatinWordAreFolded() {
        // Given "computer" typed with Cyrillic о and с
        let text = TextNormalizer.normalize("\u{0441}\u{043E}mputer")
        // Then
        #expect(text.words == ["computer"])
    }

    @Test func digitsWithCyrillicLookAlikesAreLatin() {
        // Given «1С» with a Cyrillic С
        let cyrillic = TextNormalizer.normalize("1\u{0421}")
        let latin = TextNormalizer.normalize("1C")
        // Then both read the same
        #expect(cyrillic.words == ["1c"])
        #expect(latin.words == ["1c"])
    }

    @Test func plainWordsOfOneScriptAreUntouched() {
        // Given / When
        let text = TextNormalizer.normalize("Сорок cat 10мб")
        // Then «10мб» keeps its Cyrillic: «б» has no Latin twin
        #expect(text.words == ["сорок", "cat", "10мб"])
    }

    @Test func aRuleMatchesAReplyTypedWithLookAlikes() {
        // Given / When / Then
        #expect(Matcher.match(MatchRule(any: ["перезагрузите роутер"]), in: "пepeзaгpузитe poутep") != nil)
    }

    // MARK: - Hostile input

    @Test func hostileInputDoesNotCrash() {
        // Given emoji only, control characters, a long reply and lone markers
        let inputs = ["😀🔥👍🏽🇷🇺", "\u{0}\u{1}\u{7}\u{1B}[31m\u{7F}", String(repeating: "Перезагрузите, ", count: 700),
                      "1)\n2.\n-\n*\n•", "((((1)))) - - -- …", String(repeating: "1С", count: 5_000)]
        // When / Then
        for raw in inputs {
            let text = TextNormalizer.normalize(raw)
            #expect(text.sources.allSatisfy { $0.upperBound <= raw.utf8.count })
        }
        #expect(TextNormalizer.normalize("😀🔥👍🏽🇷🇺").words.isEmpty)
    }
}
