import Foundation
import SupportSimREPL
import SupportSimStore

#if canImport(Glibc)
import Glibc
#endif

/// Keeps a session the store did not take as one entry of the local session journal
/// (`SessionJournal`), written whole in one transaction per change. The journal is opened at the
/// first `keep`; a journal that cannot be used (corrupt, newer) is left untouched and `keep` throws,
/// so that a `FirstAvailableKeeper` falls back to recovery files.
final class JournalKeeper: RecoveryKeeper {
    let path: String
    /// The store the session belongs to, already without a password (`SessionJournal.redactedTarget`).
    let target: String
    /// The command that delivers the entry (`supportsim recover --journal`).
    let deliverCommand: String
    private var journal: SessionJournal?
    private var unusable: String?
    private var entryID: Int64?

    init(path: String, target: String, deliverCommand: String = "supportsim recover --journal") {
        self.path = path; self.target = SessionJournal.redactedTarget(target); self.deliverCommand = deliverCommand
    }

    var place: KeptPlace? { entryID.map { .journal(path: path, entry: $0, deliverCommand: deliverCommand) } }

    @discardableResult
    func keep(_ session: RecoveryFile) throws -> KeptPlace {
        let journal = try open()
        do {
            entryID = try journal.save(SessionJournal.Entry(
                id: entryID, trainee: session.trainee, scenarioID: session.scenarioID,
                scenarioTitle: session.scenarioTitle, scenarioVersion: session.scenarioVersion,
                language: session.language, interfaceLanguage: session.interfaceLanguage, mode: session.mode,
                seed: session.seed, startedAt: session.startedAt, attemptID: session.attemptID, target: target,
                inputs: session.inputs.map { SessionJournal.Input(turn: $0.turn, input: $0.input, elapsed: $0.elapsed) },
                ending: session.ending, endedAt: session.endedAt, processID: getpid()))
        } catch {
            throw KeepFailure(String(describing: error))
        }
        return place!
    }

    func discard() {
        if let entryID, let journal { try? journal.remove(id: entryID) }
        entryID = nil
    }

    private func open() throws -> SessionJournal {
        if let journal { return journal }
        if let unusable { throw KeepFailure(unusable) }
        do {
            let opened = try SessionJournal(path: path)
            journal = opened
            return opened
        } catch {
            // A corrupt or newer journal stays so for this session: it is not tried (or touched) again.
            unusable = String(describing: error)
            throw KeepFailure(unusable!)
        }
    }
}
