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
        if let original, let latest = entry.rescorings.last {
            let show: (Int?) -> String = { $0.map(String.init) ?? missing }
            var changed = Category.allCases.filter { original.score($0) != a.score($0) }
                .map { "\(categoryName($0, language)) \(show(a.score($0))) (\(show(original.score($0))))" }
            if countedTotal(original) != countedTotal(a) {
                changed.append("\(Words(language).total.lowercased()) \(show(countedTotal(a))) (\(show(countedTotal(original))))")
            }
            if !changed.isEmpty {
                out += (language == .ru
                    ? "#\(a.id) переоценено (оценщик v\(latest.scorerVersion), в скобках — при прохождении): "
                    : "#\(a.id) rescored (scorer v\(latest.scorerVersion), as played in brackets): ")
                    + changed.joined(separator: ", ") + "\n"
            }
        }
        return out
    }

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
