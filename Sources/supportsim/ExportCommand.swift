import ArgumentParser

/// `supportsim export`: stored attempts in formats other systems read.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export stored attempts for other systems (xAPI statements for an LRS).",
        subcommands: [ExportXAPICommand.self]
    )
}
