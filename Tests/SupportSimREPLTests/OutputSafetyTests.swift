import Foundation
import SupportSimCore
import SupportSimLexicons
@testable import SupportSimREPL
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Piped input with control characters, word wrapping at narrow widths, and history files.
@Suite struct OutputSafetyTests {
    // MARK: - Piped input

    @Test func plainReaderKeepsTheWholeLineAcrossNuls() {
        // Given a piped line with NULs inside it
        let fd = pipeHolding(Array("Which".utf8) + [0] + Array(" printer".utf8) + [0, 0] + Array("?\n".utf8))
        defer { close(fd) }
        let reader = PlainLineReader(fileDescriptor: fd)
        // When read / Then nothing after the first NUL is lost
        #expect(reader.readLine(prompt: "") == .line("Which\u{0} printer\u{0}\u{0}?"))
    }

    @Test func plainReaderEchoWritesNoEscapeSequences() {
        // Given a piped reply with a clear screen, an OSC 52 clipboard write and a window title
        let line = "Hi\u{1B}[2J\u{1B}[H \u{1B}]52;c;cm0gLXJm\u{07}there\u{1B}]0;pwned\u{07}\u{9D}2;c1\u{9C}!\n"
        let fd = pipeHolding(Array(line.utf8))
        defer { close(fd) }
        var echoed = ""
        let reader = PlainLineReader(fileDescriptor: fd, echo: { echoed += $0 })
        // When read
        _ = reader.readLine(prompt: "you> ")
        // Then the echo shows the text only
        #expect(echoed == "you> Hi there!\n")
    }

    // MARK: - Wrapping

    static let english = "The printer on the third floor keeps a stuck job at the head of the queue, so every "
        + "document sent after it waits; cancel all documents, switch the printer off for thirty seconds and print again."
    static let russian = "Принтер на третьем этаже держит зависшее задание в начале очереди, поэтому все документы, "
        + "отправленные после него, ждут; отмените все документы, выключите принтер на тридцать секунд и печатайте снова."

    @Test(arguments: [60, 40, 20], [english, russian])
    func textWrapsAtWordBoundariesWithAHangingIndent(width: Int, text: String) {
        // Given a long line of English or Russian and a speaker label
        // When wrapped
        let lines = TextLayout.wrap(text, width: width, first: "Olga: ", rest: "      ")
        // Then every line fits, continuation lines hang under the text, and no word is split
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= width }, "\(lines)")
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("      ") && !$0.hasPrefix("       ") })
        let words = lines.joined(separator: " ").split(separator: " ").map(String.init)
        #expect(words == ["Olga:"] + text.split(separator: " ").map(String.init))
    }

    @Test func aWideLabelMovesAWordToTheNextLineInsteadOfBreakingIt() {
        // Given a label that leaves less room than a continuation line
        let lines = TextLayout.wrap("перезагрузите", width: 20, first: "Очень длинное имя: ", rest: "  ")
        // Then the word goes whole to the next line
        #expect(lines == ["Очень длинное имя:", "  перезагрузите"])
    }

    @Test func itemsWrapBetweenItemsAndLongItemsAtTheirSpaces() {
        // Given feedback items, one longer than a line
        let items = ["✓ Greeting", "✓ Apology", "✓ asked which printer the presentation goes to and when it must be ready",
                     "✓ Used the customer's name"]
        // When laid out at 40 columns
        let lines = TextLayout.wrapItems(items, width: 40, first: "  ", rest: "  ")
        // Then short items stay whole, separated by two spaces, nothing is cut inside a word, and
        // the long item's continuation hangs under its text
        #expect(lines == [
            "  ✓ Greeting  ✓ Apology",
            "  ✓ asked which printer the presentation",
            "    goes to and when it must be ready",
            "  ✓ Used the customer's name",
        ])
    }

    // MARK: - The practice feedback line

    static func feedbackScenario(_ language: Language) -> Scenario {
        let ru = language == .ru
        return Scenario(
            id: "wrap", title: "Wrap", language: language,
            persona: Persona(name: ru ? "Ольга Маркова" : "Olga Markova", mood: .irritated),
            start: "opening",
            nodes: [
                Node(id: "opening", customer: [ru ? "Не печатается!" : "It won't print!"],
                     expect: [Intent(id: "ask", description: ru
                                     ? "спросили, на какой принтер уходит презентация и когда она нужна"
                                     : "asked which printer the presentation goes to and when she needs it",
                                     match: MatchRule(any: [ru ? "какой принтер" : "which printer"]), next: "done")]),
                Node(id: "done", customer: [ru ? "Спасибо!" : "Thanks!"], end: .resolved),
            ])
    }

    @Test(arguments: [60, 40], [Language.en, .ru])
    func practiceFeedbackWrapsBetweenItemsNeverMidWord(width: Int, language: Language) throws {
        // Given a polite reply that matches an intent with a long description, at a narrow width
        let scenario = Self.feedbackScenario(language)
        let reply = language == .ru
            ? "Здравствуйте, Ольга! Извините за неудобства, пожалуйста, подскажите, какой принтер Вы используете?"
            : "Hello Olga, I'm sorry for the trouble. Could you please tell me which printer you are using?"
        let output = Capture()
        let session = PlaySession(
            scenario: scenario, seed: 1, mode: .practice, interfaceLanguage: language,
            reader: ScriptedLineReader(lines: [reply]), output: TerminalOutput(width: width, write: output.write),
            recorder: InMemoryAttemptRecorder())
        // When played
        _ = session.run()
        // Then every line fits the width
        let lines = output.text.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= width }, "\(output.text)")
        // and every feedback item (the intent and each strategy found) is there with its words whole
        let strings = UIStrings(language)
        let hits = BundledLexicons.analyzer.analyze(reply, context: ReplyContext(
            language: language, replyIndex: 1, customerMood: .irritated, customerName: scenario.persona.name))
        let strategies = hits.filter { $0.weight > 0 }.map { strings.strategy($0.strategy) }
        #expect(!strategies.isEmpty)
        let tokens = output.text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        for item in ["✓ " + scenario.nodes[0].expect[0].description] + strategies.map({ "✓ " + $0 }) {
            let words = item.split(separator: " ").map(String.init)
            let found = tokens.indices.contains { i in
                i + words.count <= tokens.count && Array(tokens[i..<(i + words.count)]) == words
            }
            #expect(found, "\(item) not whole in:\n\(output.text)")
        }
    }

    // MARK: - History files

    @Test func historyIsKeptPerInterfaceLanguage() {
        // Given the same environment / When asked for each language / Then the files differ
        let env = ["XDG_DATA_HOME": "/x/data", "HOME": "/h"]
        #expect(LineReaderFactory.defaultHistoryPath(environment: env, language: .en, scenarioID: "printer")
                == "/x/data/supportsim/history-en")
        #expect(LineReaderFactory.defaultHistoryPath(environment: env, language: .ru, scenarioID: "printer")
                == "/x/data/supportsim/history-ru")
        // and XDG_DATA_HOME is used only when absolute, else ~/.local/share
        #expect(LineReaderFactory.defaultHistoryPath(environment: ["HOME": "/h"], language: .en, scenarioID: "p")
                == "/h/.local/share/supportsim/history-en")
        #expect(LineReaderFactory.defaultHistoryPath(environment: ["XDG_DATA_HOME": "rel", "HOME": "/h"], language: .en, scenarioID: "p")
                == "/h/.local/share/supportsim/history-en")
        #expect(LineReaderFactory.defaultHistoryPath(environment: [:], language: .en, scenarioID: "p") == nil)
    }

    @Test func historyPerScenarioByOptionOrEnvironment() {
        // Given per-scenario history asked for by the option or by the environment variable
        let env = ["HOME": "/h"]
        let byOption = LineReaderFactory.defaultHistoryPath(environment: env, language: .ru, scenarioID: "printer-1",
                                                            perScenario: true)
        let byVariable = LineReaderFactory.defaultHistoryPath(
            environment: env.merging([LineReaderFactory.perScenarioVariable: "1"]) { $1 }, language: .en,
            scenarioID: "../evil/ид")
        // Then the scenario id is part of the file name, made safe for a file name
        #expect(byOption == "/h/.local/share/supportsim/history-ru-printer-1")
        #expect(byVariable == "/h/.local/share/supportsim/history-en-.._evil___")
        #expect(LineReaderFactory.defaultHistoryPath(
            environment: env.merging([LineReaderFactory.perScenarioVariable: "0"]) { $1 }, language: .en,
            scenarioID: "p") == "/h/.local/share/supportsim/history-en")
    }
}
