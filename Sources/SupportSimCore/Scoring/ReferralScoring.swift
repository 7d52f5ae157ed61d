import Foundation

/// Referrals (`refer:`, `/refer`) are scored by the escalation policy, in the escalation category:
///
/// - a `required` referral never made (accepted) −50 (`referral:missed:<id>`);
/// - a `forbidden` referral attempted (refused, the conversation went on) −30 (`referral:forbidden:<id>`);
/// - a referral made at a node outside its `at` −20 (`referral:wrong-node:<id>`);
/// - the note's missing items share 30 points (`referral:note:<id>:<item>`), for each referral made.
///
/// The referral deductions come off the escalation score, or off 100 when the escalation part does
/// not apply. The category applies when the escalation part does, when a referral was made, or when
/// the scenario has a `required` or `forbidden` referral.
extension EscalationScorer {
    public func score(_ transcript: Transcript, scenario: Scenario) -> CategoryScore? {
        let base = escalationScore(transcript, scenario: scenario)
        let evidence = Self.referralEvidence(transcript, scenario: scenario)
        let made = transcript.turns.contains { turn in turn.events.contains { if case .referred = $0 { true } else { false } } }
        let scored = scenario.referrals.contains { $0.policy != .optional }
        guard made || scored else { return base }
        let lost = evidence.filter { $0.kind == .deduction }.reduce(0) { $0 + $1.points }
        return CategoryScore(category: .escalation, score: max(0, (base?.score ?? 100) - lost),
                             evidence: (base?.evidence ?? []) + evidence)
    }

    /// Which of a referral's note items a note mentions (with the scenario's vocabulary).
    public static func noteCoverage(_ note: String, referral: Referral, scenario: Scenario) -> [(item: NoteItem, mentioned: Bool)] {
        let vocabulary = scenario.matchingVocabulary
        return referral.noteMustMention.map { ($0, Matcher.match($0.match, in: note, vocabulary: vocabulary) != nil) }
    }

    static func referralEvidence(_ transcript: Transcript, scenario: Scenario) -> [Evidence] {
        let ru = scenario.language == .ru
        var made: [String: (turn: Turn, note: String)] = [:]
        var refused: [String: Turn] = [:]
        for turn in transcript.turns {
            for case .referred(let target, let note, let accepted) in turn.events {
                if accepted { if made[target] == nil { made[target] = (turn, note) } }
                else if refused[target] == nil { refused[target] = turn }
            }
        }
        var evidence: [Evidence] = []
        for referral in scenario.referrals {
            let label = referral.label(scenario.language)
            let reason = referral.reason.map { ": \($0)" } ?? ""
            if let turn = refused[referral.id] {
                evidence.append(Evidence(.deduction, points: referralForbidden, turn: turn.number, quote: turn.input.text,
                                         rule: "referral:forbidden:\(referral.id)",
                                         message: (ru ? "обращение к «\(label)» отклонено: сюда направлять нельзя"
                                                      : "referral to \(label) refused: not where this case goes") + reason))
            }
            guard let (turn, note) = made[referral.id] else {
                if referral.policy == .required {
                    evidence.append(Evidence(.deduction, points: referralMissed, rule: "referral:missed:\(referral.id)",
                                             message: (ru ? "не направлено: \(label) (/refer \(referral.id))"
                                                          : "referral missed: \(label) (/refer \(referral.id))") + reason))
                }
                continue
            }
            evidence.append(Evidence(.credit, points: 0, turn: turn.number, rule: "referral:\(referral.id)",
                                     message: ru ? "направлено: \(label)" : "referred to \(label)"))
            if referral.policy != .forbidden, !referral.at.isEmpty, !referral.at.contains(turn.node) {
                evidence.append(Evidence(.deduction, points: referralWrongNode, turn: turn.number, quote: turn.input.text,
                                         rule: "referral:wrong-node:\(referral.id)",
                                         message: ru ? "направлено (\(label)) не в тот момент разговора"
                                                     : "referred to \(label) at the wrong point of the conversation"))
            }
            let items = noteCoverage(note, referral: referral, scenario: scenario)
            guard !items.isEmpty else { continue }
            let share = referralNotePoints / items.count, extra = referralNotePoints % items.count
            for (k, (item, found)) in items.enumerated() where !found {
                evidence.append(Evidence(.deduction, points: share + (k < extra ? 1 : 0), turn: turn.number, quote: note,
                                         rule: "referral:note:\(referral.id):\(item.id)",
                                         message: (ru ? "в записке (\(label)) не указано: " : "referral note (\(label)) does not mention: ")
                                            + EscalationDefaults.label(item.id, ru: ru)))
            }
        }
        return evidence
    }
}
