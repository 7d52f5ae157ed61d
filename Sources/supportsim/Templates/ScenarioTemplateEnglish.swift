// The English scenario skeleton written by `supportsim new --lang en` (see ScenarioTemplate.swift
// for the placeholders). It must lint clean and its transcript must pass: EndToEndTests/NewCommandTests.
extension ScenarioTemplate {
    static let englishNoSchema = "# Editor completion: add a `yaml-language-server: $schema=` line pointing at schema/scenario.schema.json (docs/scenario-format.md, \"Editor support\")."
    static let englishTranscriptNoSchema = "# Editor completion: add a `yaml-language-server: $schema=` line pointing at schema/transcript.schema.json (docs/transcripts.md)."

    static let englishScenario = #"""
{{SCHEMA}}
# A new scenario written by `supportsim new`. Edit it into your own case, then check it with
# `supportsim lint` and `supportsim test` (the golden transcript beside it plays it).
# The format: docs/scenario-format.md. Keys stay in English; texts are in the scenario's language.

id: {{ID}}                                # lower-case letters a-z, digits and '-'; also the file name
version: 1                                # bump it when you change the content
title: Outlook stopped receiving mail     # shown in `supportsim list` and in reports
language: en                              # en | ru: the language of the conversation
line: L1                                  # the support line the trainee plays: L1 | L2 | L3
difficulty: 1                             # 1 (easy) .. 5 (hard)
tags: [email, outlook, template]          # free-form tags
summary: >-
  Dana has had no new mail since the morning. Her Outlook is in Work Offline mode. Apologise,
  find out what she sees, get her back online and make sure everything works.

persona:                                  # the customer
  name: Dana Reed                         # the first word ("Dana") is used in dialogue
  role: accountant, Northwind Ltd         # job and company, shown in the header
  gender: female                          # female | male (Russian forms agree with it)
  mood: irritated                         # starting mood: calm | anxious | irritated | angry | furious
  patience: 3                             # bad turns tolerated before she asks for a manager

ticket:                                   # the ticket shown in the header
  number: "1001"
  channel: chat                           # phone | chat | email | portal | walk-in
  priority: normal                        # low | normal | high | critical
  sla_minutes: 30                         # time to resolve

scoring:
  weights: {correctness: 40, politeness: 30, escalation: 30}   # relative weights of the categories
  pass_mark: 80                           # the total (0..100) needed to pass
  hint_cost: 5                            # points a /hint costs

kb:                                       # articles the trainee finds with /kb
  - id: KB-01
    title: Outlook shows Disconnected or Working Offline
    body: >-
      On the Send / Receive tab, click Work Offline so that it is no longer highlighted. The status
      bar then shows Connected and new mail arrives within a minute.
    keywords: [outlook, offline, disconnected, mail, send receive]

start: opening                            # the node where the conversation starts

nodes:                                    # the conversation: node id -> node
  opening:
    customer:                             # what the customer says on arriving (variants; the seed picks one)
      - Hi. I haven't had a single new e-mail since this morning, and I'm waiting for invoices!
      - Hello, my mail has stopped. Nothing new since 9 o'clock and my clients are writing to me.
    hint: Apologise, then ask what exactly she sees in Outlook.   # shown by /hint
    expect:                               # the steps that move the case forward
      - intent: ask_status                # a unique id for the step
        description: asked what Outlook shows       # shown in feedback and the debrief
        points: 15                        # correctness points (default 10)
        match:                            # how a reply is recognised: a phrase occurs
          any: [status bar, what does it say, what do you see, what does outlook show, bottom of the window,
                any message, any error, error message]
        samples:                          # real replies that must match (lint checks them)
          - Could you tell me what the status bar at the bottom of Outlook says?
          - What do you see at the bottom of the window, is there any message?
          - Is there any error message in Outlook?
          - what does it say in the status bar?
        next: status_known                # where the conversation goes; the next node says its own line
      - intent: apologise                 # no `next`: she stays here, and the step is required
        description: apologised for the trouble
        points: 5
        match: [sorry, apologi]           # a plain list means `any`; "apologi" is a word start
        samples:
          - I'm sorry about that, let's get it sorted.
          - Sorry for the trouble, Dana.
          - I apologise for the inconvenience.
          - So sorry to hear that!
        customer: That's fine, but I really need those invoices.   # her answer when the step stays here
    harmful:                              # wrong replies, checked before the intents
      - id: blame_customer
        match: [your fault, you broke, you must have, did you break, you changed something]
        penalty: 15                       # correctness points lost
        feedback: Never blame the customer; find out what happened first.   # shown to the trainee
        customer: Excuse me? I didn't touch anything!
        samples:                          # replies this rule is for
          - You must have changed some setting.
          - Did you break something again?
        counter_samples:                  # near misses that must not fire it
          - Nothing you did wrong, these things happen.
    fallback:                             # when a reply matches nothing
      customer: Sorry, can you just tell me why my mail isn't coming in?
      mood: 1                             # the mood gets one step worse

  status_known:
    customer: At the bottom it says "Working Offline". I didn't change anything, honestly.
    hint: The answer is in KB-01 (type /kb offline).
    expect:
      - intent: turn_off_offline
        description: told her to turn off Work Offline
        points: 20
        match:
          all: [[work offline, working offline, offline mode], [click, turn off, switch off, untick, disable, press]]
        samples:
          - Please open the Send / Receive tab and click Work Offline so it is no longer highlighted.
          - Could you turn off Work Offline on the Send / Receive tab?
          - pls click work offline once to switch it off
          - On the Send/Receive tab press Working Offline once more and it will disable offline mode.
        next: back_online

  back_online:
    customer: Oh! It says Connected now, and the invoices are coming in. Thank you!
    closable: true                        # solved here: /close ends the conversation as resolved
    hint: Make sure there is nothing else, then close the ticket with /close.
    expect:
      - intent: offer_more_help
        description: checked whether anything else is needed
        points: 10
        match: [anything else, something else, any other, other questions]
        samples:
          - Great! Is there anything else I can help you with?
          - Glad it works. Any other questions?
          - Happy to help! Is there something else you need today?
          - Anything else I can do for you, Dana?
        next: done

  done:
    customer: No, that's all. Thanks for the quick help!
    end: resolved                         # a terminal node: the conversation ends here, resolved

escalation:                               # when and how to hand the case on (/escalate)
  policy: optional                        # required | forbidden | optional
  to: [L2]                                # accepted targets
  note_must_mention: [summary, tried]     # what the hand-off note must mention (standard items)

critical:                                 # replies that fail the attempt whatever the score
  - id: ask_password
    match: [your password, password is, send me the password]
    reason: Never ask a customer for a password.

endings:                                  # the customer's last lines
  resolved: Thanks again, bye!
  left: Forget it, I'll call someone else. Goodbye.
  manager_demand: This is going nowhere. Put me through to your manager, please.
"""#

    static let englishTranscript = #"""
{{SCHEMA}}
# The golden transcript of {{ID}}: scripted replies and what must come of them.
# `supportsim test {{ID}}.yaml` plays every run; the format: docs/transcripts.md.
scenario: {{ID}}
runs:
  # A good agent: apologises and asks in one reply, fixes it, offers more help.
  - name: good-path
    seed: 1                               # picks the customer's variant lines
    replies:                              # exactly what the trainee types, one entry per reply
      - "I'm sorry about that, Dana. What does the status bar at the bottom of Outlook say?"
      - "Please open the Send / Receive tab and click Work Offline so it is no longer highlighted."
      - "Great! Is there anything else I can help you with?"
    expect:                               # every key is optional; only what is given is checked
      path: [opening, status_known, back_online, done]
      intents: [apologise, ask_status, turn_off_offline, offer_more_help]
      ending: resolved                    # resolved | escalated | left | closed-unresolved | abandoned | open
      scores: {correctness: [90, 100], politeness: [80, 100], escalation: n/a, total: [85, 100]}
      passed: true
      critical: []

  # A poor agent: blames the customer, then closes the ticket without solving anything.
  - name: poor-path
    replies:
      - "You must have changed some setting."
      - "/close"
    expect:
      path: [opening]
      intents: []
      ending: closed-unresolved
      passed: false
      critical: []
"""#
}
