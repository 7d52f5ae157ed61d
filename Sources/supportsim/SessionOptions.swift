import ArgumentParser

/// Options shared by the commands that play a session (`play`, `resume`).
struct SessionOptions: ParsableArguments {
    @Option(name: .long, help: "The trainee's name (default: the login name).")
    var trainee: String?

    @Option(name: .long, help: "The attempts store: a SQLite file or postgres://USER@HOST/DATABASE (default: $SUPPORTSIM_DB, else db in ~/.config/supportsim/config, else $XDG_DATA_HOME/supportsim/supportsim.sqlite).")
    var db: String?

    @Option(name: .long, help: "The scenario folder (default: $SUPPORTSIM_SCENARIOS or ./Scenarios).")
    var scenarios: String?
}
