import Foundation

/// Scenario texts shared by the parser tests. `printerScenario` is the same example as in
/// docs/scenario-format.md.
enum ParserFixtures {
    static let printerScenario = #"""
    # yaml-language-server: $schema=../schema/scenario.schema.json
    id: printer-before-board-meeting
    version: 2
    title: The printer before the board meeting
    language: en
    line: L1
    difficulty: 2
    tags: [printing, urgency, escalation]
    summary: >
      Olga from sales cannot print her board presentation and the meeting starts
      in twenty minutes. Find out which printer, get her printing, and hand the
      broken printer over to L2 with a complete note.
    persona:
      name: Olga Markova
      role: sales manager, Stroymarket LLC
      mood: irritated
      patience: 3
    ticket: {number: 4512, channel: phone, priority: high, sla_minutes: 15}
    scoring:
      weights: {correctness: 40, politeness: 30, escalation: 30}
      pass_mark: 75
      hint_cost: 3
    kb:
      - id: KB-12
        title: Clearing a stuck print queue
        body: Open Settings > Printers, select the printer, Open queue, Cancel all documents.
        keywords: [queue, stuck, print]
      - id: KB-31
        title: Printing to another floor's printer
        keywords: [floor, another printer]

    start: opening
    nodes:
      opening:
        customer:
          - My presentation won't print and the board meeting starts in twenty minutes!
          - I can't print my slides and the board meets in twenty minutes. Your printers NEVER work.
        hint: Ask which printer she is sending the document to.
        expect:
          - intent: ask_printer
            description: asked which printer
            match:
              any: [which printer, what printer, printer name]
            samples: ["Which printer are you sending it to?"]
            next: printer_known
          - intent: apology
            description: apologised for the trouble
            match: [sorry, apologi]
            points: 5
            samples: ["I'm sorry about this."]
        harmful:
          - id: blame_user
            match: {any: [your fault, you broke]}
            penalty: 15
            feedback: Never blame the customer for a fault.
            customer: Excuse me? I did nothing wrong!
        fallback:
          customer: Are you even listening? The meeting is in twenty minutes!
          mood: 1

      printer_known:
        customer: The big one on the third floor. It just says "Error".
        expect:
          - intent: clear_queue
            description: asked to clear the print queue
            match:
              all: [[queue], [clear, cancel, open, check]]
              none: [don't]
            samples: ["Could you open the print queue and cancel the stuck jobs?"]
            points: 15
            customer: OK, the queue is empty now.
            next: queue_cleared
        harmful:
          - id: restart_laptop
            match: [restart your laptop, reboot your laptop]
            feedback: The printer shows the error, not the laptop.
        choices:
          - text: Could you open the print queue and cancel the stuck jobs?
            intent: clear_queue
          - text: Please restart your laptop.
            harmful: restart_laptop
          - text: Let me check something.

      queue_cleared:
        customer: The queue is empty, but the printer still says "Error".
        expect:
          - intent: power_cycle
            description: asked to switch the printer off and on
            match: {all: [[turn, switch, power], "off"]}
            samples: ["Could you switch the printer off and on again?"]
            mood: 0
            customer: I did. Still "Error". The meeting is in fifteen minutes!
          - intent: other_floor
            description: offered a printer on another floor
            match:
              regex: '\b(2nd|second|another|other) (floor|printer)\b'
            samples: ["Meanwhile you could print on the second floor printer."]
            next: printed
        closable: false

      printed:
        customer: It printed on the second floor, thank you! But the big one is still broken.
        closable: true
        expect:
          - intent: tell_next_steps
            description: told her what happens next
            match: [engineer, specialist, will call, contact you]
            samples: ["I'll pass this to our engineers; a specialist will call you today."]
            next: done

      done:
        customer: Great, thanks a lot. I'm off to the meeting.
        end: resolved

    escalation:
      policy: required
      to: [L2, L2-hardware]
      after: [ask_printer, clear_queue]
      note_must_mention:
        summary: [printer, error]
        steps: {any: [queue, power, restart, cleared]}
        urgency: [urgent, today, board, meeting]
      tell_customer: [engineer, specialist, will call, contact you]
      reason: The printer hardware needs an engineer.

    critical:
      - id: ask_password
        match: [your password, password is]
        reason: Never ask a customer for a password.

    endings:
      resolved: Thanks, I'll be on time after all.
      escalated: ["All right, I'll wait for the engineer's call."]
      left: I'll print it at the copy shop myself. Goodbye.
      manager_demand: This is useless. Put me through to your manager.
    """#

    /// The smallest valid scenario: only the required keys.
    static let minimal = """
    id: minimal
    title: Minimal
    language: ru
    persona: {name: Ирина}
    start: a
    nodes:
      a:
        customer: Здравствуйте!
        expect:
          - intent: greet
            match: [здравствуйте, добрый день]
            next: b
      b:
        customer: До свидания.
        end: resolved
    """

    /// Loads a file from the test bundle's Fixtures folder.
    static func fixture(_ name: String) throws -> String {
        guard let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }
}
