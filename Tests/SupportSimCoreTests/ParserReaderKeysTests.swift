import Testing
@testable import SupportSimCore

/// The scenario keys of the reader (issue 7): key facts, counter-samples, `negatable`, `clarify`,
/// harmful samples, and the lint checks SS021 and SS022.
@Suite("Parser: keys for the reading of replies")
struct ParserReaderKeysTests {
    static func scenario(intent: String, node extra: String = "") -> String {
        """
        id: facts
        title: Facts
        language: en
        persona: {name: Olga}
        start: a
        nodes:
          a:
            customer: Which printer?
            expect:
        \(intent)
        \(extra)
          b:
            customer: Bye.
            end: resolved
        """
    }

    @Test func givenFactsCounterSamplesNegatableAndClarifyWhenParsedThenTheScenarioHasThem() throws {
        // Given an intent with a value fact, a time fact, counter-samples and negatable: false
        let text = Self.scenario(intent: """
              - intent: other_printer
                match: [printer, print]
                negatable: false
                samples: ["Print on STM-2F-MFP by 3 pm."]
                counter_samples: ["Print on the broken one."]
                facts:
                  printer:
                    accept: [2f, 4f]
                    wrong:
                      - values: [3f]
                        feedback: That is the broken printer.
                  when:
                    type: time
                    max_minutes: 120
                    now: "14:10"
                    required: false
                next: b
        """, node: """
            clarify: ["Which one do you mean?"]
            harmful:
              - id: resend
                match: [send it again]
                feedback: No.
                samples: ["just send it again"]
                counter_samples: ["don't send it again"]
                negatable: false
        """)
        // When parsed
        let result = ScenarioParser.parse(text)
        // Then there are no errors and every key is read
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.message))")
        let scenario = try #require(result.scenario)
        let intent = try #require(scenario.intent("other_printer"))
        #expect(intent.negatable == false)
        #expect(intent.counterSamples == ["Print on the broken one."])
        #expect(intent.facts.map(\.name) == ["printer", "when"])
        #expect(intent.facts[0].wrong == [WrongFactValue(values: ["3f"], feedback: "That is the broken printer.")])
        #expect(intent.facts[1].type == .time && intent.facts[1].maxMinutes == 120 && intent.facts[1].now == 850)
        #expect(intent.facts[1].required == false)
        let node = try #require(scenario.node("a"))
        #expect(node.clarify == ["Which one do you mean?"])
        #expect(node.harmful[0].samples == ["just send it again"])
        #expect(node.harmful[0].counterSamples == ["don't send it again"])
        #expect(node.harmful[0].negatable == false)
    }

    @Test func givenASampleWithoutItsFactOrWithAWrongValueWhenLintedThenSS021AtTheSample() {
        // Given samples that miss the required printer, or name the broken one
        let text = Self.scenario(intent: """
              - intent: other_printer
                match: [printer]
                samples: ["Use another printer.", "Use the 3f printer."]
                facts:
                  printer:
                    accept: [2f, 4f]
                    wrong:
                      - values: [3f]
                        feedback: That is the broken printer.
                next: b
        """)
        // When parsed
        let result = ScenarioParser.parse(text)
        // Then each sample has an SS021 error at its own line
        let ss021 = result.diagnostics.filter { $0.code == ScenarioDiagnosticCode.sampleFact }
        #expect(ss021.count == 2)
        #expect(ss021.contains { $0.message.contains("does not state the fact 'printer'") })
        #expect(ss021.contains { $0.message.contains("names '3f', a wrong value") })
        #expect(Set(ss021.map(\.location.line)).count == 1)   // both in the one flow list line
    }

    @Test func givenPunctuationInAPhraseWhenLintedThenSS022WarnsItIsIgnored() {
        let text = Self.scenario(intent: """
              - intent: again
                match: [again?, c++]
                next: b
        """)
        let result = ScenarioParser.parse(text)
        let warnings = result.diagnostics.filter { $0.code == ScenarioDiagnosticCode.phrasePunctuation }
        #expect(warnings.count == 2)
        #expect(warnings.allSatisfy { $0.severity == .warning })
        #expect(warnings.contains { $0.message.contains("'?' in phrase 'again?'") })
        #expect(!result.hasErrors)
    }

    @Test func givenAValueFactWithoutAcceptedValuesOrABadClockWhenParsedThenErrorsSayWhatToAdd() {
        let text = Self.scenario(intent: """
              - intent: other_printer
                match: [printer]
                facts:
                  printer: {wrong: [{values: [3f], feedback: Broken.}]}
                  when: {type: time, now: "25:99"}
                  color: {type: colour}
                next: b
        """)
        let result = ScenarioParser.parse(text)
        #expect(result.diagnostics.contains { $0.code == ScenarioDiagnosticCode.missingKey && $0.message.contains("no accepted values") })
        #expect(result.diagnostics.contains { $0.code == ScenarioDiagnosticCode.invalidValue && $0.message.contains("not a time of day") })
        #expect(result.diagnostics.contains { $0.code == ScenarioDiagnosticCode.invalidValue && $0.message.contains("'colour'") })
    }
}
