import Testing
@testable import SupportSimCore
import SupportSimLexicons

/// The engine reads every rule with the scenario's vocabulary, compiles rules once, and treats
/// obscene language as critical.
@Suite("Engine: vocabulary, compiled rules, obscenity")
struct EngineVocabularyTests {
    static func scenario(vocabulary: Vocabulary = .empty, language: Language = .ru) -> Scenario {
        Scenario(
            id: "vpn", title: "VPN", language: language, persona: Persona(name: "Андрей Волков", patience: 5),
            start: "s1",
            nodes: [
                Node(id: "s1", customer: ["VPN не работает."],
                     expect: [
                        Intent(id: "restart", match: MatchRule(any: ["перезагруз"]), next: "s2"),
                        Intent(id: "save", match: MatchRule(any: ["сохраните"])),
                        Intent(id: "tunnel", match: MatchRule(any: ["туннель"])),
                     ]),
                Node(id: "s2", customer: ["Готово."], closable: true),
            ],
            critical: [CriticalRule(id: "password", match: MatchRule(any: ["назовите пароль"]), reason: "пароль")],
            vocabulary: vocabulary)
    }

    func play(_ scenario: Scenario, _ replies: [String]) -> Engine {
        var engine = Engine(scenario: scenario, seed: 1, analyzer: BundledLexicons.analyzer)
        _ = engine.start()
        for r in replies { engine.handle(.reply(r)) }
        return engine
    }

    @Test func negatedAdviceDoesNotCount() {
        let engine = play(Self.scenario(), ["Не перезагружайте пока компьютер, сначала сохраните документы."])
        #expect(engine.matchedIntents == ["save"])
        #expect(engine.nodeID == "s1")
    }

    @Test func typoStillMatches() {
        let engine = play(Self.scenario(), ["Перезагрущите, пожалуйста, компьютер."])
        #expect(engine.matchedIntents == ["restart"])
        #expect(engine.nodeID == "s2")
    }

    @Test func sharedVocabularyIsUsed() {
        // «перезапустите» is a synonym of «перезагрузить» in the shared support vocabulary.
        let engine = play(Self.scenario(), ["Перезапустите компьютер, пожалуйста."])
        #expect(engine.matchedIntents == ["restart"])
    }

    @Test func scenarioVocabularyIsUsed() {
        let plain = play(Self.scenario(), ["Проверьте шифрованный канал."])
        #expect(plain.matchedIntents.isEmpty)
        let withGroups = play(Self.scenario(vocabulary: Vocabulary(groups: [["туннель", "шифрованный канал"]], language: "ru")),
                              ["Проверьте шифрованный канал."])
        #expect(withGroups.matchedIntents == ["tunnel"])
    }

    @Test func matchingVocabularyFiltersByLanguage() {
        let ru = Self.scenario().matchingVocabulary
        #expect(ru.groups.allSatisfy { $0.language == "ru" })
        #expect(!ru.isEmpty)
        let own = Self.scenario(vocabulary: Vocabulary(groups: [["туннель", "канал"]], language: "ru")).matchingVocabulary
        #expect(own.groups.count == ru.groups.count + 1)
    }

    @Test func disguisedObscenityIsCritical() {
        let engine = play(Self.scenario(), ["Да х*р его знает, что с VPN."])
        let critical = engine.transcript.turns.flatMap(\.events).compactMap { event -> String? in
            if case .critical(let rule, _, let matched) = event { "\(rule):\(matched.joined())" } else { nil }
        }
        #expect(critical == ["obscenity:х*р"])
        let card = ScoringPipeline.standard(analyzer: BundledLexicons.analyzer).score(engine.transcript, scenario: Self.scenario())
        #expect(!card.passed)
        #expect(card.score(.politeness)?.deductions.contains { $0.rule == "politeness:obscenity" } == true)
    }

    @Test func criticalRulesAreCheckedOnTheNote() {
        var engine = Engine(scenario: Self.scenario(), seed: 1, analyzer: BundledLexicons.analyzer)
        _ = engine.start()
        let events = engine.handle(.escalate(target: "L2", note: "Назовите пароль пользователя"))
        #expect(events.contains { if case .critical(rule: "password", _, _) = $0 { true } else { false } })
    }

    @Test func compiledRulesAreSharedAndStable() {
        // Replaying the same inputs on two engines gives the same events (rules compiled lazily per engine).
        let replies = ["Сохраните документы.", "Перезагрузите компьютер."]
        let a = play(Self.scenario(), replies), b = play(Self.scenario(), replies)
        #expect(a.transcript == b.transcript)
        #expect(a.matchedIntents == ["save", "restart"])
    }
}
