import Foundation
import SupportSimCore
import SupportSimStore
import SupportSimREPL

// Overrides and rescorings in the attempts report: "72→85" in the table with a note under it, and
// both scores in JSON.
extension AttemptsReport {
    /// The notes of one attempt `a` (its latest automatic scores): its overrides, and its rescoring
    /// against `original` (as played) when it was rescored.
    static func auditNote(_ a: AttemptRecord, original: AttemptRecord?, _ entry: AttemptAudit, language: Language) -> String {
        var out = ""
        for category in Category.allCases {
            guard let o = entry.override(category) else { continue }
            out += "#\(a.id) " + overrideText(category, automatic: a.score(category), o, language: language) + "\n"
        }
        if let original, let note = rescoringNote(a, original: original, audit: entry, language: language) {
            out += note + "\n"
        }
        return out
    }

    /// The # cell: the id, with `rescoredMarker` when a rescoring changed the attempt's scores (its note
    /// under the table gives the scores as played).
    static func idCell(_ a: AttemptRecord, original: AttemptRecord?) -> String {
        guard let original, rescoringChanged(a, original: original) else { return String(a.id) }
        return String(a.id) + rescoredMarker
    }

    /// Whether a rescored attempt's latest automatic scores differ from those stored when it was played.
    static func rescoringChanged(_ current: AttemptRecord, original: AttemptRecord) -> Bool {
        Category.allCases.contains { original.score($0) != current.score($0) }
            || countedTotal(original) != countedTotal(current) || original.passed != current.passed
    }

    /// The scores of a rescored attempt that changed, the score as played in brackets:
    /// "correctness 80 (72)", "total 85 (78)" (categories named as in the debrief).
    static func rescoredChanges(_ current: AttemptRecord, original: AttemptRecord, language: Language) -> [String] {
        let show: (Int?) -> String = { $0.map(String.init) ?? missing }
        var changed = Category.allCases.filter { original.score($0) != current.score($0) }
            .map { "\(categoryName($0, language)) \(show(current.score($0))) (\(show(original.score($0))))" }
        if countedTotal(original) != countedTotal(current) {
            changed.append("\(Words(language).total.lowercased()) \(show(countedTotal(current))) (\(show(countedTotal(original))))")
        }
        return changed
    }

    /// When and with which scorer an attempt was last rescored: "rescored 2026-12-01 13:40 UTC, scorer v2,
    /// scenario v1" (", 2 rescorings" when there were more). The store does not record who ran `rescore`.
    public static func rescoringHead(_ audit: AttemptAudit, language: Language) -> String? {
        guard let latest = audit.rescorings.last else { return nil }
        let when = tableDate(latest.at) + " UTC"
        let count = audit.rescorings.count
        return language == .ru
            ? "переоценено \(when), оценщик v\(latest.scorerVersion), сценарий v\(latest.scenarioVersion)"
                + (count > 1 ? ", переоценок: \(count)" : "")
            : "rescored \(when), scorer v\(latest.scorerVersion), scenario v\(latest.scenarioVersion)"
                + (count > 1 ? ", \(count) rescorings" : "")
    }

    /// The note on a rescored attempt whose scores changed, as the table and the HTML report list it:
    /// "#12* rescored 2026-12-01 13:40 UTC, scorer v2, scenario v1 (as played in brackets): correctness 80 (72)".
    /// Nil when the rescoring changed nothing.
    static func rescoringNote(_ current: AttemptRecord, original: AttemptRecord, audit: AttemptAudit, language: Language) -> String? {
        guard rescoringChanged(current, original: original), let head = rescoringHead(audit, language: language) else { return nil }
        var changed = rescoredChanges(current, original: original, language: language)
        if original.passed != current.passed, countedTotal(current) != nil {
            let words = Words(language)
            let result = { (a: AttemptRecord) in words.result(a).lowercased() }
            changed.append("\(words.result.lowercased()) \(result(current)) (\(result(original)))")
        }
        return "#\(current.id)\(rescoredMarker) " + head
            + (language == .ru ? " (в скобках — при прохождении): " : " (as played in brackets): ")
            + changed.joined(separator: ", ")
    }

    /// After the id of an attempt whose rescoring changed its scores (the table's # column), tying it to its note.
    static let rescoredMarker = "*"

    /// A category's name in running text ("politeness", "вежливость"): the debrief's word (`UIStrings`).
    static func categoryName(_ category: Category, _ language: Language) -> String {
        UIStrings(language).category(category).lowercased()
    }

    /// "correctness 72 → 85 (override by anna: reason)", sanitised for the terminal.
    public static func overrideText(_ category: Category, automatic: Int?, _ o: ScoreOverride, language: Language) -> String {
        let by = cell(o.by, max: 24)
        let reason = cell(o.reason, max: 60)
        let before = automatic.map(String.init) ?? missing
        return language == .ru
            ? "\(categoryName(category, language)) \(before) → \(o.score) (переопределил(а) \(by): \(reason))"
            : "\(categoryName(category, language)) \(before) → \(o.score) (override by \(by): \(reason))"
    }

    struct OverrideJSON: Encodable {
        let score: Int
        let by: String
        let reason: String
        let at: String
        /// How many overrides this category had (the latest is shown).
        let history: Int
    }

    static func overridesJSON(_ audit: AttemptAudit?) -> [String: OverrideJSON] {
        var out: [String: OverrideJSON] = [:]
        for category in Category.allCases {
            guard let audit, let o = audit.override(category) else { continue }
            out[category.rawValue] = OverrideJSON(
                score: o.score, by: o.by, reason: o.reason, at: isoDate(o.at),
                history: audit.overrideHistory.filter { $0.category == category }.count)
        }
        return out
    }

    struct ScoresJSON: Encodable {
        let correctness: Int?, politeness: Int?, escalation: Int?, spelling: Int?, total: Int?, passed: Bool?

        func encode(to encoder: any Encoder) throws {
            enum K: String, CodingKey { case correctness, politeness, escalation, spelling, total, passed }
            var c = encoder.container(keyedBy: K.self)
            try c.encode(correctness, forKey: .correctness); try c.encode(politeness, forKey: .politeness)
            try c.encode(escalation, forKey: .escalation); try c.encode(spelling, forKey: .spelling)
            try c.encode(total, forKey: .total); try c.encode(passed, forKey: .passed)
        }
    }

    static func scoresJSON(_ a: AttemptRecord) -> ScoresJSON {
        ScoresJSON(correctness: a.correctness, politeness: a.politeness, escalation: a.escalation,
                   spelling: a.spelling, total: countedTotal(a), passed: a.passed)
    }
}
