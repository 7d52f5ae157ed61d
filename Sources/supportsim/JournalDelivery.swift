import Foundation
import SupportSimCore
import SupportSimREPL
import SupportSimStore

#if canImport(Glibc)
import Glibc
#endif

/// `supportsim recover --list` and `--journal`: what the local session journal holds, and its
/// delivery to the stores its entries name.
enum JournalDelivery {
    /// Opens the journal, or nil when there is no journal file (nothing was ever kept).
    static func open(_ path: String) throws -> SessionJournal? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do { return try SessionJournal(path: path) } catch { throw UserError(String(describing: error)) }
    }

    static func strings(_ lang: Language?, _ entries: [SessionJournal.Entry]) -> UIStrings {
        UIStrings(RunEnvironment.interfaceLanguage(lang, fallback: entries.first?.interfaceLanguage ?? .en))
    }

    static func list(path: String, lang: Language?, now: Date = Date()) throws {
        var entries: [SessionJournal.Entry] = []
        if let journal = try open(path) {
            do { entries = try journal.entries() } catch { throw UserError(String(describing: error)) }
        }
        let strings = strings(lang, entries)
        guard !entries.isEmpty else { return print(TerminalText.sanitize(strings.journalEmpty(path))) }
        // entry, trainee, scenario, turns, age, target: the (long) target last, so the columns stay aligned.
        let header = strings.journalListHeader
        let rows = [[header[0], header[1], header[2], header[3], header[5], header[4]]] + entries.map { entry in
            [String(entry.id ?? 0), entry.trainee, entry.scenarioID, String(entry.inputs.count),
             strings.age(seconds: now.timeIntervalSince(entry.updatedAt ?? entry.startedAt)), entry.target]
                .map { TerminalText.sanitize($0, keepNewlines: false) }
        }
        let widths = (0..<5).map { column in rows.map { DisplayWidth.of($0[column]) }.max() ?? 0 }
        for row in rows {
            let padded = (0..<5).map { DisplayWidth.pad(row[$0], to: widths[$0], right: $0 == 0 || $0 == 3) }
            print((padded + [row[5]]).joined(separator: "  "))
        }
    }

    /// Delivers every entry; returns how many are kept (not delivered).
    static func deliverAll(path: String, scenarios: String?, lang: Language?, credentials: String? = nil) throws -> Int {
        guard let journal = try open(path) else {
            print(TerminalText.sanitize(UIStrings(RunEnvironment.interfaceLanguage(lang, fallback: .en)).journalEmpty(path)))
            return 0
        }
        let entries: [SessionJournal.Entry]
        do { entries = try journal.entries() } catch { throw UserError(String(describing: error)) }
        let strings = strings(lang, entries)
        guard !entries.isEmpty else {
            print(TerminalText.sanitize(strings.journalEmpty(path)))
            return 0
        }
        var delivered = 0, kept = 0
        for entry in entries {
            switch deliver(entry, from: journal, scenarios: scenarios, strings: strings, credentials: credentials) {
            case .delivered(let message):
                print(TerminalText.sanitize(message))
                delivered += 1
            case .kept(let reason):
                print(TerminalText.sanitize(strings.journalEntryKept(entry: entry.id ?? 0, reason: reason)))
                kept += 1
            }
        }
        print(strings.journalSummary(delivered: delivered, kept: kept))
        if kept > 0 { print(strings.journalRunAgain) }
        return kept
    }

    /// Before a session on `target`: the entries kept for that store (reachable now, since the session
    /// could open it) are delivered, each said in one line; entries left over are counted in one line
    /// with the command. A journal that cannot be read is left to `recover --journal` to explain.
    static func deliverPending(target: String, scenarios: String?, language: Language) {
        let path = RunEnvironment.journalPath
        guard FileManager.default.fileExists(atPath: path), let journal = try? SessionJournal(path: path),
            let entries = try? journal.entries(), !entries.isEmpty
        else { return }
        let strings = UIStrings(language)
        let credentials = target
        let target = SessionJournal.redactedTarget(target)
        var left = 0
        // Said before the session's own output, which does not go through `print`'s buffer.
        defer { fflush(nil) }
        for entry in entries {
            guard entry.target == target else { left += 1; continue }
            switch deliver(entry, from: journal, scenarios: scenarios, strings: strings, credentials: credentials) {
            case .delivered(let message): print(TerminalText.sanitize(message))
            case .kept: left += 1
            }
        }
        if left > 0 {
            print(strings.journalWaiting(left))
            print("  supportsim recover --journal")
        }
    }

    enum Delivery {
        case delivered(message: String)
        case kept(reason: String)
    }

    /// Delivers one entry to the store it names and removes it; an entry whose session is still being
    /// played (its process is alive) is left to that session.
    static func deliver(_ entry: SessionJournal.Entry, from journal: SessionJournal, scenarios: String?,
                        strings: UIStrings, credentials: String? = nil) -> Delivery {
        var entry = entry
        let id = entry.id ?? 0
        if entry.ending == nil, let pid = entry.processID, pid != getpid(), kill(pid, 0) == 0 || errno == EPERM {
            return .kept(reason: strings.journalSessionStillPlaying(pid))
        }
        do {
            let recovery = entry.recoveryFile
            let replayed = try SessionDelivery.replay(recovery, scenarios: scenarios, strings: strings)
            let result = try SessionDelivery.deliver(recovery, replayed, to: entry.target, credentials: credentials)
            if result.created {
                // Should removing the entry fail, a second delivery completes this attempt instead of adding another.
                entry.attemptID = result.attemptID
                try? journal.save(entry)
            }
            try journal.remove(id: id)
            return .delivered(message: strings.journalDelivered(
                entry: id, target: entry.target, attempt: result.attemptID, created: result.created,
                added: result.addedTurns.count, turns: replayed.turns.count, finished: result.finished))
        } catch {
            return .kept(reason: String(describing: error))
        }
    }
}
