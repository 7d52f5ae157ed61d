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

    /// Where attempts are kept: `--db`, else `SUPPORTSIM_DB`, else `db = …` in the config file, else
    /// `supportsim.sqlite` in the data directory. A `postgres://` URL names a shared server.
    static func databasePath(_ option: String?) -> String {
        if let option, !option.isEmpty { return option }
        if let value = variables["SUPPORTSIM_DB"], !value.isEmpty { return value }
        if let value = configuration["db"], !value.isEmpty { return value }
        return dataDirectory + "/supportsim.sqlite"
    }

    /// `$XDG_CONFIG_HOME/supportsim/config`, else `~/.config/supportsim/config`.
    static var configurationFile: String {
        if let xdg = variables["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/supportsim/config" }
        return (variables["HOME"] ?? NSHomeDirectory()) + "/.config/supportsim/config"
    }

    /// The settings of the config file: `key = value` lines; `#` starts a comment. A missing or
    /// unreadable file has none.
    static var configuration: [String: String] {
        guard let text = try? String(contentsOfFile: configurationFile, encoding: .utf8) else { return [:] }
        var settings: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let content = line.trimmingCharacters(in: .whitespaces)
            guard !content.hasPrefix("#"), let equals = content.firstIndex(of: "=") else { continue }
            let key = content[..<equals].trimmingCharacters(in: .whitespaces)
            let value = content[content.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            settings[key] = value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"")
                ? String(value.dropFirst().dropLast()) : value
        }
        return settings
    }

    /// The password for a PostgreSQL URL that has none: `PGPASSWORD`, as libpq reads it.
    static var postgresPassword: String? { variables["PGPASSWORD"].flatMap { $0.isEmpty ? nil : $0 } }

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
