import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimREPL

#if canImport(Glibc)
import Glibc
#endif

extension Language: ExpressibleByArgument {}

/// Choices that depend on the user's environment, kept in one place.
enum RunEnvironment {
    static var variables: [String: String] { ProcessInfo.processInfo.environment }

    /// `--lang`, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`) when it is Russian or English, else the fallback.
    static func interfaceLanguage(_ option: Language?, fallback: Language) -> Language {
        if let option { return option }
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = variables[key], !value.isEmpty else { continue }
            if value.hasPrefix("ru") { return .ru }
            if value.hasPrefix("en") { return .en }
            break
        }
        return fallback
    }

    /// `--trainee`, else the login name.
    static func trainee(_ option: String?) -> String {
        if let option, !option.trimmingCharacters(in: .whitespaces).isEmpty { return option }
        if let user = variables["USER"] ?? variables["LOGNAME"], !user.isEmpty { return user }
        if let login = getlogin() { return String(cString: login) }
        return "trainee"
    }

    /// `$XDG_DATA_HOME/supportsim`, else `~/.local/share/supportsim` (one policy with the history
    /// files: `LineReaderFactory.dataDirectory`).
    static var dataDirectory: String {
        LineReaderFactory.dataDirectory(environment: variables) ?? NSHomeDirectory() + "/.local/share/supportsim"
    }

    static func databasePath(_ option: String?) -> String { option ?? dataDirectory + "/supportsim.sqlite" }

    /// The local session journal: `$XDG_STATE_HOME/supportsim/journal.sqlite`, else
    /// `~/.local/state/supportsim/journal.sqlite` (one policy with the recovery folder: `LocalState`).
    static var journalPath: String { LocalState.journalPath(environment: variables) }

    /// `SUPPORTSIM_JOURNAL=1`: sessions on a local database keep what it does not take in the journal
    /// instead of recovery files (a remote store always uses the journal).
    static var journalForLocalDatabase: Bool { ["1", "yes", "true", "on"].contains(variables["SUPPORTSIM_JOURNAL"]?.lowercased() ?? "") }

    /// The `schema/` folder of the SupportSim checkout this program was built in: the nearest
    /// folder above the executable (`.build/<triple>/<configuration>/supportsim`) that holds
    /// `schema/scenario.schema.json`; nil for a copy of the program kept elsewhere.
    static var installedSchemaFolder: URL? {
        guard let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() else { return nil }
        var folder = executable.deletingLastPathComponent()
        while folder.path != "/" {
            let schema = folder.appendingPathComponent("schema", isDirectory: true)
            if FileManager.default.fileExists(atPath: schema.appendingPathComponent("scenario.schema.json").path) {
                return schema
            }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    /// Colour only on a terminal and never with `NO_COLOR`.
    static var useColor: Bool {
        isatty(STDOUT_FILENO) != 0 && (variables["NO_COLOR"] ?? "").isEmpty && variables["TERM"] != "dumb"
    }
}

/// A problem the user can fix, printed as "Error: <message>" without the usage text.
struct UserError: Error, CustomStringConvertible {
    let description: String
    /// The message quotes user input (paths, ids): sanitised for the terminal here.
    init(_ message: String) { description = TerminalText.sanitize(message) }
}
