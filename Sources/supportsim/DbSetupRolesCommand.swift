import ArgumentParser
import Foundation
import SupportSimPostgres
import SupportSimCore
import SupportSimStore

/// `supportsim db setup-roles`: the roles and row-level security of a shared PostgreSQL store.
struct DbSetupRolesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup-roles",
        abstract: "Print (or apply) the SQL that gives a shared PostgreSQL store its trainee and manager roles.",
        discussion: """
        supportsim_trainee adds its own attempts and reads only its own results (row-level security on \
        the login role that stored each attempt); supportsim_manager reads everything and adds overrides. \
        Login roles are made members with --trainee and --manager (create the login roles and their \
        passwords yourself). Without --apply the SQL is printed for a database administrator to read \
        and run; with --apply it is run on --db as the owner of the tables. Running it again is safe.
        """
    )

    @Option(name: .long, help: "The PostgreSQL store, postgres://OWNER@HOST/DATABASE (with --apply).")
    var db: String?

    @Option(name: .long, help: "A login role to make a trainee (repeatable).")
    var trainee: [String] = []

    @Option(name: .long, help: "A login role to make a manager (repeatable).")
    var manager: [String] = []

    @Flag(name: .long, help: "Run the SQL on --db instead of printing it.")
    var apply = false

    func validate() throws {
        for name in trainee + manager where name.isEmpty || name.contains("\0") {
            throw ValidationError("A role name cannot be empty.")
        }
    }

    func run() throws {
        let sql = PostgresSchema.rolesSQL(trainees: trainee, managers: manager)
        guard apply else {
            print(sql, terminator: "")
            return
        }
        guard case .postgres(let url) = try StoreAccess.location(RunEnvironment.databasePath(db)) else {
            throw UserError("--apply needs --db postgres://OWNER@HOST/DATABASE (or SUPPORTSIM_DB): roles exist only on PostgreSQL.")
        }
        #if Postgres
        let store = try PostgresAttemptStore(url: url, migrate: true)
        try store.setUpRoles(trainees: trainee, managers: manager)
        print(TerminalText.sanitize("Roles supportsim_trainee and supportsim_manager are set up on \(url.redacted)"
              + (trainee.isEmpty ? "" : "; trainees: \(trainee.joined(separator: ", "))")
              + (manager.isEmpty ? "" : "; managers: \(manager.joined(separator: ", "))") + "."))
        #else
        throw UserError(StoreAccess.noPostgres(url))
        #endif
    }
}
