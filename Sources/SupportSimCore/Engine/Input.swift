/// What the trainee does in one turn.
public enum TraineeInput: Sendable, Equatable, Codable {
    /// A free-text reply to the customer.
    case reply(String)
    /// A numbered choice from the node's menu (1-based).
    case choice(Int)
    /// `/escalate <target> <hand-off note>`
    case escalate(target: String, note: String)
    /// `/refer <target> [note]`: a referral that is not an escalation (a manager, procurement).
    case refer(target: String, note: String)
    /// `/close <resolution>`
    case close(resolution: String)
    /// `/hint`
    case hint
    /// `/kb <query>`
    case kb(query: String)

    /// Whether this input is a turn of the conversation (a reply or an action) and gets a turn
    /// number; `/kb` and `/hint` are look-ups, not turns.
    public var isConversationTurn: Bool {
        switch self {
        case .reply, .choice, .escalate, .refer, .close: true
        case .hint, .kb: false
        }
    }

    /// The text the trainee typed, for transcripts and evidence.
    public var text: String {
        switch self {
        case .reply(let t): t
        case .choice(let n): "\(n)"
        case .escalate(let target, let note): "/escalate \(target) \(note)"
        case .refer(let target, let note): note.isEmpty ? "/refer \(target)" : "/refer \(target) \(note)"
        case .close(let r): "/close \(r)"
        case .hint: "/hint"
        case .kb(let q): "/kb \(q)"
        }
    }
}
