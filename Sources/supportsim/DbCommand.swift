import ArgumentParser

/// `supportsim db …`: looking after the attempts store itself.
struct DbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Set up the attempts store: create or update its tables, and the roles of a shared PostgreSQL store.",
        subcommands: [DbMigrateCommand.self, DbSetupRolesCommand.self]
    )
}
