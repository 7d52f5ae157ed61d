import Foundation
import SupportSimCore
import SupportSimStore

extension AttemptReviewRenderer {
    /// Under a category's score: the latest override ("72 → 85 (override by anna: reason)") and,
    /// for a rescored attempt, the score stored when it was played.
    func auditNotes(_ entry: AttemptReview.CategoryEntry) -> [String] {
        guard let category = entry.category.known else { return [] }
        var notes: [String] = []
        if let original = review.originalScores, original.score(category) != entry.score {
            let was = original.score(category).map(String.init) ?? AttemptsReport.missing
            notes.append(language == .ru ? "переоценено; при прохождении было \(was)" : "rescored; originally \(was)")
        }
        if let o = review.audit?.override(category) {
            notes.append(AttemptsReport.overrideText(category, automatic: entry.score, o, language: language))
        }
        return notes
    }
}
