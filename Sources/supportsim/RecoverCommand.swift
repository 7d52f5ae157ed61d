import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimREPL
import SupportSimStore

struct RecoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Store sessions kept in a recovery file or in the local journal when the store could not be written.",
        discussion: """
        `play` writes a recovery file (beside the database in <db>.recovery/, or in \
        $XDG_STATE_HOME/supportsim/recovery/) when turns could not be saved. `recover FILE` replays its \
        inputs with the recorded seed and times, stores the attempt with all its turns and its score \
        (completing the attempt already in the database, if there is one), and renames the file to \
        FILE.imported.
        A session whose store is remote (or any session with SUPPORTSIM_JOURNAL=1) is kept instead in the \
        local journal ($XDG_STATE_HOME/supportsim/journal.sqlite, else ~/.local/state/supportsim/journal.sqlite). \
        `recover --list` shows its entries; `recover --journal` delivers each entry to the store it names, \
        removes the entries delivered and keeps the others, saying why (exit code 75 when some are kept).
        """
    )

    @Argument(help: "The recovery file (attempt-<start>-<pid>.json).")
    var file: String?

    @Flag(name: .long, help: "Deliver every session kept in the local journal to its store.")
    var journal = false

    @Flag(name: .long, help: "List the sessions kept in the local journal (entry, trainee, scenario, turns, age, target).")
    var list = false

    @Option(name: .long, help: "With FILE: the attempts database (default: the one named in the file, else $XDG_DATA_HOME/supportsim/supportsim.sqlite).")
    var db: String?

    @Option(name: .long, help: "The scenario folder (default: $SUPPORTSIM_SCENARIOS or ./Scenarios).")
    var scenarios: String?

    @Option(name: .long, help: "Interface language: en or ru (default: the one the session used).")
    var lang: Language?

    func validate() throws {
        let chosen = [file != nil, journal, list].filter { $0 }.count
        guard chosen == 1 else {
            throw ValidationError("Give a recovery FILE, or --journal, or --list (one of them).")
        }
        if db != nil, file == nil {
            throw ValidationError("--db goes with a recovery FILE; journal entries are delivered to the store each one names.")
        }
    }

    func run() throws {
        if list { return try JournalDelivery.list(path: RunEnvironment.journalPath, lang: lang) }
        if journal {
            // The store setting in use (SUPPORTSIM_DB, the config file) gives the password of its server.
            let kept = try JournalDelivery.deliverAll(path: RunEnvironment.journalPath, scenarios: scenarios, lang: lang,
                                                      credentials: RunEnvironment.databasePath(nil))
            if kept > 0 { throw ExitCode(SaveReport.recoveryExitCode) }
            return
        }
        guard let file else { return }
        let url = URL(fileURLWithPath: file)
        let recovery: RecoveryFile
        do { recovery = try RecoveryFile.read(from: url) } catch { throw UserError(String(describing: error)) }
        let strings = UIStrings(lang ?? recovery.interfaceLanguage)

        let replayed = try SessionDelivery.replay(recovery, scenarios: scenarios, strings: strings)
        let path = db ?? recovery.database ?? RunEnvironment.databasePath(nil)
        let result: ImportResult
        do {
            result = try SessionDelivery.deliver(recovery, replayed, to: path, credentials: RunEnvironment.databasePath(db))
        } catch {
            throw UserError("\(error). The recovery file \(file) is kept; run this command again once that is fixed.")
        }
        print(strings.recovered(
            file: file, attempt: result.attemptID, created: result.created, added: result.addedTurns.count,
            turns: replayed.turns.count, finished: result.finished))
        let imported = file + ".imported"
        try? FileManager.default.removeItem(atPath: imported)
        do {
            try FileManager.default.moveItem(atPath: file, toPath: imported)
            print(strings.recoveryFileKept(imported))
        } catch {
            // The attempt is stored; importing the same file again adds nothing.
            FileHandle.standardError.write(Data("warning: \(file) could not be renamed to \(imported) (\(error.localizedDescription)); delete it by hand.\n".utf8))
        }
    }
}
