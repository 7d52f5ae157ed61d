import SupportSimCore
import SupportSimLexicons

/// Tiny scenarios built in code for the scoring tests.
enum ScoringScenarios {
    /// A printer case: two diagnostic questions and a fix at `s1`, a closable `s2`.
    ///
    /// Points: s1 = ask_printer 10 + ask_error 10 + max(fix 20) = 40; s2 = confirm 5; outcome 20 → 65.
    static func printer(language: Language = .en, mood: Mood = .calm, patience: Int = 5,
                        escalation: EscalationPolicy = EscalationPolicy()) -> Scenario {
        Scenario(
            id: "printer", title: "Printer", language: language,
            persona: Persona(name: language == .ru ? "Анна Петрова" : "Anna Petrova", mood: mood, patience: patience),
            start: "s1",
            nodes: [
                Node(id: "s1", customer: ["My printer won't print."],
                     expect: [
                        Intent(id: "ask_printer", description: "asked which printer",
                               match: MatchRule(any: ["which printer", "какой принтер"]), points: 10),
                        Intent(id: "ask_error", description: "asked for the error message",
                               match: MatchRule(any: ["error", "ошибк"]), points: 10),
                        Intent(id: "fix", description: "suggested restarting the printer",
                               match: MatchRule(any: ["restart", "перезагруз"]), points: 20, next: "s2"),
                     ],
                     harmful: [
                        HarmfulRule(id: "reinstall", match: MatchRule(any: ["reinstall windows"]), penalty: 15,
                                    feedback: "Reinstalling the OS is far too drastic"),
                     ],
                     hint: "Ask which printer it is."),
                Node(id: "s2", customer: ["It works now!"],
                     expect: [
                        Intent(id: "confirm", description: "checked whether anything else is needed",
                               match: MatchRule(any: ["anything else", "что-то ещё", "чем еще"]), points: 5),
                     ],
                     closable: true),
            ],
            escalation: escalation
        )
    }

    /// The escalation policy used by the escalation tests: L2 after asking for the error; the note
    /// must mention the printer, the urgency and what was tried (10 points each).
    static let l2Policy = EscalationPolicy(
        requirement: .required, targets: ["L2"], after: ["ask_error"],
        noteMustMention: [
            NoteItem(id: "summary", match: MatchRule(any: ["printer"])),
            NoteItem(id: "urgency", match: MatchRule(any: ["urgent", "today"])),
            NoteItem(id: "steps tried", match: MatchRule(any: ["restarted", "power cycled"])),
        ],
        tellCustomer: MatchRule(any: ["second line", "engineer will"])
    )

    /// Plays the inputs through the engine (seed 1) and returns the transcript.
    static func play(_ scenario: Scenario, _ inputs: [TraineeInput]) -> Transcript {
        var engine = Engine(scenario: scenario, seed: 1, analyzer: BundledLexicons.analyzer)
        _ = engine.start()
        for input in inputs { engine.handle(input) }
        return engine.transcript
    }

    static func card(_ scenario: Scenario, _ inputs: [TraineeInput]) -> ScoreCard {
        ScoringPipeline.standard(analyzer: BundledLexicons.analyzer).score(play(scenario, inputs), scenario: scenario)
    }
}

extension CategoryScore {
    var deductionTotal: Int { deductions.reduce(0) { $0 + $1.points } }
}
