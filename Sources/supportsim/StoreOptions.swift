import ArgumentParser
import SupportSimCore

/// Options shared by the commands that read the attempts database for managers (`report`, `show`).
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The attempts store: a SQLite file or postgres://USER@HOST/DATABASE (default: $SUPPORTSIM_DB, else db in ~/.config/supportsim/config, else $XDG_DATA_HOME/supportsim/supportsim.sqlite).")
    var db: String?

    @Option(name: .long, help: "Interface language: en or ru (default: from the locale).")
    var lang: Language?

    /// The database path after the environment's defaults.
    var path: String { RunEnvironment.databasePath(db) }

    /// The interface language after the locale.
    var language: Language { RunEnvironment.interfaceLanguage(lang, fallback: .en) }
}
