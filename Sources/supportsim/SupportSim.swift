import ArgumentParser

@main
struct SupportSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supportsim",
        abstract: "Practise technical-support conversations and get scored on correctness, politeness and escalation.",
        discussion: """
        Trainees play scenarios with `supportsim play`; trainers check scenario files with \
        `supportsim lint`; managers review attempts with `supportsim report` and `supportsim show`.
        """,
        version: "0.1.0",
        subcommands: [PlayCommand.self, ResumeCommand.self, ListCommand.self, ReportCommand.self, ShowCommand.self, LintCommand.self, ScoreCommand.self, RecoverCommand.self, MatchCommand.self, TestCommand.self, RecordCommand.self, GraphCommand.self, NewCommand.self, ExploreCommand.self,
                      ExportCommand.self, OverrideCommand.self, RescoreCommand.self, VerifyCommand.self, DbCommand.self]
    )
}
