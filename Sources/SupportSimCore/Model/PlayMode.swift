/// How an attempt is played.
public enum PlayMode: String, Sendable, Equatable, CaseIterable, Codable {
    /// Feedback after every turn.
    case practice
    /// Feedback only in the debrief.
    case exam
}
