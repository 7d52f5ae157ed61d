import ArgumentParser

/// Options shared by the commands that play a session (`play`, `resume`).
struct SessionOptions: ParsableArguments {
    @Option(name: .long, help: "The trainee's name (default: the login name).")
    var trainee: String?

    @Option(name: .long, help: "The attempts database (default: $XDG_DATA_HOME/supportsim/supportsim.sqlite).")
    var db: String?

    @Option(name: .long, help: "The scenario folder (default: $SUPPORTSIM_SCENARIOS or ./Scenarios).")
    var scenarios: String?
}
