import Foundation
import Testing
@testable import SupportSimCore
import SupportSimLexicons

/// Every example quoted in issue 7, played through the engine at the node where it is said, with
/// rules only (no meaning model). Examples whose fair judgement needs meaning-based matching are in
/// `IssueExamplesNeedingModelTests`, and are not run without the model.
@Suite("Issue 7 examples (rules only)")
struct IssueExamplesTests {
    /// One reply at one node and the fair judgement of it.
    struct Example: CustomTestStringConvertible, Sendable {
        var scenario: String
        var node: String
        var reply: String
        /// Exactly the intents that must be credited.
        var intents: [String] = []
        /// Exactly the harmful rules that must fire.
        var harmful: [String] = []
        /// Facts reported as wrong or missing (`intent.fact`).
        var wrongFacts: [String] = []
        var testDescription: String { "\(scenario) @ \(node): \(reply)" }
    }

    static let examples: [Example] = [
        // Good replies that were not recognised.
        Example(scenario: "password-reset-no-identity", node: "opening", reply: "who am I talking to, please?",
                intents: ["ask_identity"]),
        Example(scenario: "deleted-report-boss-needs", node: "opening",
                reply: "откуда Вы его удалили: с рабочего стола или из общей папки?", intents: ["ask_location"]),
        Example(scenario: "crm-import-repeat-mistake", node: "opening",
                reply: "Пришлите, пожалуйста, снимок окна с ошибкой.", intents: ["ask_details"]),
        Example(scenario: "vpn-error-after-update", node: "opening",
                reply: "Пришлите, пожалуйста, снимок окна с ошибкой.", intents: ["ask_error"]),
        Example(scenario: "printer-before-board-meeting", node: "printer_identified",
                reply: "Pull up the job list for that printer on your PC.", intents: ["check_queue"]),
        Example(scenario: "vpn-error-after-update", node: "restarted",
                reply: "включите на телефоне режим модема", intents: ["check_other_network"]),
        // Several steps in one reply.
        Example(scenario: "printer-before-board-meeting", node: "queue_checked",
                reply: "cancel all three jobs, then switch the printer off and on", intents: ["clear_and_restart"]),
        Example(scenario: "vpn-error-after-update", node: "error_known",
                reply: "Сохраните всё открытое и перезагрузите ноутбук", intents: ["restart_pc", "save_work"]),
        // Negation.
        Example(scenario: "deleted-report-boss-needs", node: "handed_off",
                reply: "Точное время обещать не могу, но я прослежу"),
        Example(scenario: "printer-before-board-meeting", node: "queue_checked",
                reply: "Please don't switch the printer off"),
        Example(scenario: "printer-before-board-meeting", node: "queue_cleared",
                reply: "Please don't switch the printer off"),
        // Refusals of the harmful thing.
        Example(scenario: "password-reset-no-identity", node: "pushback",
                reply: "I can't reset it without Mark's confirmation."),
        // Wrong values (the time frames are in `needingFullReader`).
        Example(scenario: "crm-import-repeat-mistake", node: "steps_needed",
                reply: "Разделитель поставьте «запятая», кодировку — UTF-8",
                wrongFacts: ["give_steps.separator", "give_steps.encoding"]),
        Example(scenario: "printer-before-board-meeting", node: "printing_elsewhere", reply: "add STM-3F-MFP",
                wrongFacts: ["explain_add_printer.printer"]),
        Example(scenario: "printer-before-board-meeting", node: "still_broken", reply: "print it on STM-3F-MFP",
                wrongFacts: ["offer_other_printer.printer"]),
        // Harmful replies.
        Example(scenario: "crm-import-repeat-mistake", node: "steps_needed",
                reply: "Скиньте мне файл в чат, я его сам загружу", harmful: ["do_it_for_her"]),
        Example(scenario: "password-reset-no-identity", node: "pushback",
                reply: "Alright, just this one time I'll do it", harmful: ["give_in"]),
        Example(scenario: "password-reset-no-identity", node: "not_owner",
                reply: "Alright, just this one time I'll do it", harmful: ["agree_to_reset_2"]),
        // A harmful step and a good step in one reply are scored separately.
        Example(scenario: "printer-before-board-meeting", node: "opening", reply: "Calm down. Which printer?",
                intents: ["ask_printer"], harmful: ["tell_to_calm_down"]),
    ]

    /// Examples whose fair judgement needs the reader's finer parts: conditions and safeguards,
    /// "no other" as negation, time frames as key facts, slang ("ur").
    static let needingFullReader: [Example] = [
        Example(scenario: "printer-before-board-meeting", node: "still_broken",
                reply: "I'm afraid there's no other printer you can use"),
        Example(scenario: "deleted-report-boss-needs", node: "handed_off", reply: "Ждите, вам позвонят",
                wrongFacts: ["tell_next_steps.when"]),
        Example(scenario: "vpn-error-after-update", node: "handed_off", reply: "Ждите, вам позвонят",
                wrongFacts: ["tell_when.when"]),
        Example(scenario: "deleted-report-boss-needs", node: "handed_off", reply: "Свяжутся в течении недели",
                wrongFacts: ["tell_next_steps.when"]),
        Example(scenario: "vpn-error-after-update", node: "handed_off", reply: "Свяжутся в течении недели",
                wrongFacts: ["tell_when.when"]),
        Example(scenario: "printer-before-board-meeting", node: "queue_checked",
                reply: "ok restart ur laptop and send it again", harmful: ["resend_job", "reinstall_driver_2"]),
        Example(scenario: "printer-before-board-meeting", node: "printer_identified",
                reply: "ok restart ur laptop and send it again", harmful: ["reinstall_driver"]),
        Example(scenario: "password-reset-no-identity", node: "pushback",
                reply: "I'll reset it as soon as Mark himself confirms"),
        Example(scenario: "password-reset-no-identity", node: "not_owner",
                reply: "I'll reset it as soon as Mark himself confirms"),
    ]

    @Test("an issue example gets the fair judgement", arguments: examples)
    func fairJudgement(_ example: Example) throws {
        try Self.check(example)
    }

    @Test("an issue example about conditions, negation scope, time frames or slang gets the fair judgement",
          arguments: needingFullReader)
    func fairJudgementWithFullReader(_ example: Example) throws {
        try Self.check(example)
    }

    // MARK: - Playing one reply

    static func check(_ example: Example) throws {
        // Given the scenario, positioned at the node where the reply is said
        var engine = Engine(scenario: try scenario(example.scenario), seed: 1,
                            analyzer: BundledLexicons.analyzer, mode: .exam, meaning: nil)
        engine.position(at: example.node)
        #expect(engine.node?.id == example.node)

        // When the trainee sends the reply
        let events = engine.handle(.reply(example.reply))

        // Then exactly the fair intents, harmful rules and wrong facts are reported
        var intents: [String] = [], harmful: [String] = [], wrong: [String] = []
        for event in events {
            switch event {
            case .intentMatched(let id, _, _, _, _): intents.append(id)
            case .harmful(let id, _, _, _): harmful.append(id)
            case .wrongFact(let id, let fact, _, _): wrong.append("\(id).\(fact)")
            default: break
            }
        }
        #expect(intents.sorted() == example.intents.sorted(), "credited intents")
        #expect(harmful.sorted() == example.harmful.sorted(), "harmful rules")
        #expect(wrong.sorted() == example.wrongFacts.sorted(), "wrong or missing facts")
    }

    static func scenario(_ id: String) throws -> Scenario {
        let url = GoldenTranscriptTests.scenariosDirectory.appendingPathComponent("\(id).yaml")
        let parsed = ScenarioParser.parse(try String(contentsOf: url, encoding: .utf8))
        #expect(!parsed.hasErrors, "\(id).yaml has errors")
        return try #require(parsed.scenario)
    }
}
