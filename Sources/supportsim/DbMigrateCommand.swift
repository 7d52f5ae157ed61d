import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimStore

/// `supportsim db migrate`: creates or updates the store's tables (for PostgreSQL, as the role that
/// is to own them, before trainees connect with roles that may not create tables).
struct DbMigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or update the tables of the attempts store (a SQLite file or a PostgreSQL database).",
        discussion: """
        SupportSim brings a store up to date by itself when it may; a shared PostgreSQL store is \
        migrated once by its owner, before trainees and managers connect with their own roles \
        (see `supportsim db setup-roles`). A store written by a newer SupportSim is refused and not changed.
        """
    )

    @OptionGroup var store: StoreOptions

    func run() throws {
        let opened = try StoreAccess.openForWriting(store.path)
        print(TerminalText.sanitize("The attempts store at \(opened.location) is up to date."))
    }
}
