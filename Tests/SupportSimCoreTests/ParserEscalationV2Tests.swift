import Testing
@testable import SupportSimCore

/// Parsing of the v2 keys: vocabulary, scoring.spelling and the new escalation settings.
@Suite("Scenario parser: vocabulary, spelling, escalation v2")
struct ParserEscalationV2Tests {
    static func file(language: String = "en", scoring: String = "", escalation: String = "", extra: String = "") -> String {
        """
        id: t
        title: T
        language: \(language)
        persona: {name: Ann Lee}
        \(scoring)
        start: a
        nodes:
          a:
            customer: Hi
            expect:
              - intent: ask
                match: [tunnel]
                samples: ["Check the secure channel, please."]
                next: b
          b:
            customer: Bye
            end: resolved
        \(escalation)
        \(extra)
        """
    }

    @Test func vocabularyIsParsedAndUsedForSamples() throws {
        let r = ScenarioParser.parse(Self.file(extra: "vocabulary:\n  - [tunnel, secure channel]\n  - vpn, remote access"))
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        let s = try #require(r.scenario)
        #expect(s.vocabulary.groups.map(\.entries) == [["tunnel", "secure channel"], ["vpn", "remote access"]])
        #expect(s.vocabulary.groups.allSatisfy { $0.language == "en" })
    }

    @Test func sampleNeedsTheVocabulary() {
        let r = ScenarioParser.parse(Self.file())
        #expect(r.errors.map(\.code) == [ScenarioDiagnosticCode.sampleMismatch])
    }

    @Test func badVocabularyGivesDiagnostics() {
        let r = ScenarioParser.parse(Self.file(extra: """
        vocabulary:
          - [tunnel, secure channel, tunnel]
          - [alone]
          - {a: b}
          - [tunnel, "!!"]
        """))
        let codes = r.diagnostics.map(\.code)
        #expect(codes.contains(ScenarioDiagnosticCode.vocabulary))
        #expect(codes.contains(ScenarioDiagnosticCode.wrongType))
        #expect(codes.contains(ScenarioDiagnosticCode.invalidValue))
        #expect(r.diagnostics.filter { $0.code == ScenarioDiagnosticCode.vocabulary }.count == 3)
        let notAList = ScenarioParser.parse(Self.file(extra: "vocabulary: tunnel"))
        #expect(notAList.errors.contains { $0.code == ScenarioDiagnosticCode.wrongType && $0.message.contains("vocabulary") })
    }

    @Test func spellingTurnsTheCategoryOn() throws {
        let r = ScenarioParser.parse(Self.file(extra: "vocabulary: [[tunnel, secure channel]]",
                                               ).replacingOccurrences(of: "persona: {name: Ann Lee}",
                                                                       with: "persona: {name: Ann Lee}\nscoring: {spelling: {terms: [CRM, STM-2F], zero_at: 8}}"))
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        let s = try #require(r.scenario)
        #expect(s.scoring.spelling == SpellingConfig(terms: ["CRM", "STM-2F"], zeroAt: 8))
        #expect(s.scoring.weights[.spelling] == 10)
        #expect(s.scoring.weights[.correctness] == 40)
    }

    @Test func spellingWeightAndErrors() throws {
        let withWeight = ScenarioParser.parse(Self.file(scoring: "scoring: {weights: {correctness: 60, spelling: 5}, spelling: {}}",
                                                        extra: "vocabulary: [[tunnel, secure channel]]"))
        #expect(withWeight.scenario?.scoring.weights == [.correctness: 60, .spelling: 5])
        #expect(withWeight.scenario?.scoring.spelling == SpellingConfig())
        let noEffect = ScenarioParser.parse(Self.file(scoring: "scoring: {weights: {correctness: 60, spelling: 5}}",
                                                      extra: "vocabulary: [[tunnel, secure channel]]"))
        #expect(noEffect.warnings.map(\.code) == [ScenarioDiagnosticCode.noEffect])
        let bad = ScenarioParser.parse(Self.file(scoring: "scoring: {spelling: {zero_at: 0, terms: 5, dict: x}}",
                                                 extra: "vocabulary: [[tunnel, secure channel]]"))
        #expect(Set(bad.errors.map(\.code)) == [ScenarioDiagnosticCode.invalidValue, ScenarioDiagnosticCode.unknownKey])
    }

    @Test func escalationV2Keys() throws {
        let r = ScenarioParser.parse(Self.file(escalation: """
        escalation:
          policy: required
          to:
            - {id: Duty-Lead, kind: functional}
            - L2
          after: [ask]
          note_must_mention:
            summary: default
            urgency:
            path: [folder]
          tell_customer: [engineer]
          time_frame: true
          ownership: required
        """, extra: "vocabulary: [[tunnel, secure channel]]"))
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        let p = try #require(r.scenario?.escalation)
        #expect(p.targets == ["Duty-Lead", "L2"])
        #expect(p.kind(of: "duty-lead") == .functional)
        #expect(p.requiredKind == .functional)
        #expect(p.noteMustMention.map(\.id) == ["summary", "urgency", "path"])
        #expect(p.noteMustMention[0].match == EscalationDefaults.noteItem("summary", language: .en))
        #expect(p.timeFrame == EscalationDefaults.timeFrame(.en))
        #expect(p.ownership == OwnershipRule(required: true, match: EscalationDefaults.ownership(.en)))
    }

    @Test func standardItemListAndRussianDefaults() throws {
        let r = ScenarioParser.parse(Self.file(language: "ru", escalation: """
        escalation:
          policy: required
          kind: hierarchical
          to: [Смена]
          note_must_mention: [summary, urgency, tried]
          ownership: {required: true, match: [прослежу]}
        """, extra: "vocabulary: [[tunnel, secure channel]]"))
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        let p = try #require(r.scenario?.escalation)
        #expect(p.noteMustMention.map(\.id) == ["summary", "urgency", "tried"])
        #expect(p.noteMustMention[2].match == EscalationDefaults.noteItem("tried", language: .ru))
        #expect(p.kind(of: "смена") == .hierarchical)
        #expect(p.ownership == OwnershipRule(required: true, match: MatchRule(any: ["прослежу"])))
        // A v1 phrase list stays one item.
        let v1 = ScenarioParser.parse(Self.file(escalation: "escalation: {policy: required, note_must_mention: [printer, error]}",
                                                extra: "vocabulary: [[tunnel, secure channel]]"))
        #expect(v1.scenario?.escalation.noteMustMention == [NoteItem(id: "note", match: MatchRule(any: ["printer", "error"]))])
    }

    @Test func refusalAndMisplacedSettings() throws {
        let r = ScenarioParser.parse(Self.file(escalation: """
        escalation:
          policy: forbidden
          refusal: {match: default, alternative: [portal]}
          time_frame: true
        """, extra: "vocabulary: [[tunnel, secure channel]]"))
        #expect(r.warnings.map(\.code) == [ScenarioDiagnosticCode.noEffect])
        let p = try #require(r.scenario?.escalation)
        #expect(p.refusal == RefusalRule(match: EscalationDefaults.refusal(.en), alternative: MatchRule(any: ["portal"])))

        let misplaced = ScenarioParser.parse(Self.file(escalation: "escalation: {policy: required, refusal: true}",
                                                       extra: "vocabulary: [[tunnel, secure channel]]"))
        #expect(misplaced.warnings.map(\.code) == [ScenarioDiagnosticCode.noEffect])
    }

    @Test func invalidEscalationValues() {
        let r = ScenarioParser.parse(Self.file(escalation: """
        escalation:
          policy: required
          kind: sideways
          to: [{id: L2, kind: diagonal, team: x}]
          note_must_mention: {sumary: default}
          ownership: always
        """, extra: "vocabulary: [[tunnel, secure channel]]"))
        let errors = r.errors
        #expect(errors.filter { $0.code == ScenarioDiagnosticCode.invalidValue }.count == 4)
        #expect(errors.contains { $0.code == ScenarioDiagnosticCode.unknownKey })
        #expect(errors.contains { $0.hint == "did you mean 'summary'?" })
    }
}
