import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimStore

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the attempts database's hash chain and name every row edited or deleted by hand.",
        discussion: """
        Each attempt links to the one stored before it and each turn to the turn before it (SHA-256), \
        so a row changed, deleted or slipped in outside SupportSim breaks the chain where it was. \
        Attempts stored before the chain existed are counted as "not chained". The database is only \
        read. Exit status 0 when the chain is intact, 1 otherwise.
        """
    )

    @OptionGroup var store: StoreOptions

    func run() throws {
        let path = try StoreAccess.existingSQLiteFile(store.path, command: "verify")
        let database = try AttemptDatabase.openReadOnly(path: path)
        if let notice = database.notice {
            FileHandle.standardError.write(Data("note: \(notice)\n".utf8))
        }
        let report = try database.verifyChain()
        let ru = store.language == .ru
        for b in report.breaks {
            print(AuditWords(store.language).chainBreak(b))
        }
        if !report.unchainedAttempts.isEmpty {
            let ids = report.unchainedAttempts
            let range = ids.count == 1 ? "#\(ids[0])" : "#\(ids.first!)–#\(ids.last!)"
            print(ru ? "не в цепочке (сохранены до её появления): \(ids.count) попыт. (\(range))"
                     : "not chained (stored before the chain existed): \(ids.count) attempt\(ids.count == 1 ? "" : "s") (\(range))")
        }
        if report.intact {
            print(ru ? "Цепочка цела: попыток \(report.chainedAttempts), ходов \(report.chainedTurns)."
                     : "Chain intact: \(report.chainedAttempts) attempts and \(report.chainedTurns) turns checked.")
        } else {
            print(ru ? "Цепочка нарушена: \(report.breaks.count) мест(а)."
                     : "Chain broken: \(report.breaks.count) problem\(report.breaks.count == 1 ? "" : "s") found.")
            throw ExitCode(1)
        }
    }
}
