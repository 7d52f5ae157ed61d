import Foundation
import Yams

/// What reading one `include:` path gave.
public enum IncludeRead: Sendable, Equatable {
    /// The file's text.
    case text(String)
    /// The file is missing or cannot be read (the reason, e.g. "no such file").
    case unreadable(String)
    /// The path leads outside the pack once the file system is asked (a symbolic link out).
    case escapes(String)
}

/// Reads the shared files a scenario names under `include:`. The core reads no files itself: the
/// command line passes a file-based resolver, tests an in-memory one.
///
/// Paths reach `read` already checked and normalised by the parser: relative, with `/` between
/// folders, no `.` or `..` parts, inside the pack (the pack root is the folder of the scenario file).
public protocol IncludeResolver: Sendable {
    /// The scenario file's own path relative to the pack root (its file name), so that a shared
    /// file including the scenario again is named as a cycle.
    var scenarioPath: String { get }
    func read(_ path: String) -> IncludeRead
}

/// Shared files held in memory, by path relative to the pack root (tests, tools).
public struct InMemoryIncludeResolver: IncludeResolver {
    public var files: [String: String]
    public var scenarioPath: String
    /// Paths that stand for symbolic links leading outside the pack.
    public var linksOut: Set<String>

    public init(files: [String: String], scenarioPath: String = "scenario.yaml", linksOut: Set<String> = []) {
        self.files = files; self.scenarioPath = scenarioPath; self.linksOut = linksOut
    }

    public func read(_ path: String) -> IncludeRead {
        if linksOut.contains(path) { return .escapes("a symbolic link leads outside the pack") }
        return files[path].map(IncludeRead.text) ?? .unreadable("no such file")
    }
}

/// The checks on an `include:` path that need no file system.
public enum IncludePath {
    public enum Problem: Error, Equatable, Sendable {
        case empty
        /// An absolute path (`/etc/x.yaml`, `~/x.yaml`, `C:\x.yaml`).
        case absolute
        /// `..` leads above the pack root.
        case escapes
    }

    /// `path` as written in the file at `includer` (pack-relative), resolved against that file's
    /// folder and normalised; or the problem.
    public static func resolve(_ path: String, from includer: String) -> Result<String, Problem> {
        let trimmed = path.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return .failure(.empty) }
        let windowsDrive = trimmed.count >= 2 && trimmed.dropFirst().first == ":" && trimmed.first!.isLetter
        if trimmed.hasPrefix("/") || trimmed.hasPrefix("~") || trimmed.hasPrefix("\\") || windowsDrive {
            return .failure(.absolute)
        }
        var parts = includer.split(separator: "/").map(String.init)
        if !parts.isEmpty { parts.removeLast() }            // the includer's folder
        for part in trimmed.replacingOccurrences(of: "\\", with: "/").split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return .failure(.escapes) }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        if parts.isEmpty { return .failure(.empty) }
        return .success(parts.joined(separator: "/"))
    }
}

/// Files already included while reading one scenario: a file reached again by another way (A
/// includes B and C, both include D) is merged once, and at most `limit` files are read.
final class IncludeReads {
    static let limit = 64
    var done: Set<String> = []
}

/// The knowledge-base articles and vocabulary groups that included files bring.
struct IncludedContent {
    var kb: [(article: KBArticle, file: String, location: SourceLocation)] = []
    var groups: [[String]] = []
}

extension ScenarioYAMLDecoder {
    static let includedKeys = ["kb", "vocabulary", "include"]

    /// `include:` — a path or a list of paths to shared files (`kb`, `vocabulary`, `include`),
    /// read through the resolver. Problems inside an included file are reported at the include
    /// item that names it, with the file and its own line and column in the message.
    /// - chain: the pack-relative paths of the files that led here, the current file last.
    func decodeIncludes(_ node: YNode, resolver: IncludeResolver?, chain: [String]) -> IncludedContent {
        var content = IncludedContent()
        let reads = includeReads
        guard let paths = stringList(node, "'include'", allowSingle: true) else { return content }
        for item in paths {
            guard let resolver else {
                report(.error, ScenarioDiagnosticCode.includeUnreadable,
                       "'include' cannot be read here: this scenario was read without its pack folder",
                       at: item.location, hint: "check the scenario with `supportsim lint FILE`, which reads the files it includes")
                continue
            }
            let shown = Self.clip(item.value)
            let path: String
            switch IncludePath.resolve(item.value, from: chain.last ?? resolver.scenarioPath) {
            case .success(let p): path = p
            case .failure(.empty):
                report(.error, ScenarioDiagnosticCode.includeUnreadable, "an empty path in 'include'", at: item.location,
                       hint: "write the path of a shared file relative to this file, e.g. `include: [shared/kb.yaml]`")
                continue
            case .failure(.absolute):
                report(.error, ScenarioDiagnosticCode.includeEscapes,
                       "include '\(shown)' is an absolute path; included files must be inside the scenario pack",
                       at: item.location, hint: "write the path relative to this file, e.g. `shared/kb.yaml`, and keep the file in the scenario's folder")
                continue
            case .failure(.escapes):
                report(.error, ScenarioDiagnosticCode.includeEscapes,
                       "include '\(shown)' leads outside the scenario pack (the folder of the scenario file)",
                       at: item.location, hint: "move the shared file into the scenario's folder (e.g. `shared/`) and include it from there")
                continue
            }
            if let first = chain.firstIndex(of: path) ?? (path == resolver.scenarioPath ? 0 : nil) {
                let cycle = (chain.isEmpty ? [resolver.scenarioPath] : Array(chain[first...])) + [path]
                report(.error, ScenarioDiagnosticCode.includeCycle,
                       "include cycle: \(cycle.joined(separator: " → "))", at: item.location,
                       hint: "a file must not include itself, directly or through other files; remove one of these includes")
                continue
            }
            // Reached before by another way: already merged.
            guard !reads.done.contains(path) else { continue }
            guard reads.done.count < IncludeReads.limit else {
                report(.error, ScenarioDiagnosticCode.limitExceeded,
                       "more than \(IncludeReads.limit) included files; '\(Self.clip(path))' and the rest are not read",
                       at: item.location, hint: "merge shared files into fewer, larger ones")
                break
            }
            reads.done.insert(path)
            let text: String
            switch resolver.read(path) {
            case .text(let t): text = t
            case .unreadable(let reason):
                report(.error, ScenarioDiagnosticCode.includeUnreadable, "included file '\(Self.clip(path))' cannot be read (\(reason))",
                       at: item.location, hint: "check the path (relative to this file) and that the file exists")
                continue
            case .escapes(let reason):
                report(.error, ScenarioDiagnosticCode.includeEscapes,
                       "include '\(shown)' leads outside the scenario pack (\(reason))", at: item.location,
                       hint: "copy the shared file into the scenario's folder instead of linking to it")
                continue
            }
            let sub = ScenarioYAMLDecoder()
            sub.language = language
            sub.includeReads = reads
            let included = sub.decodeIncludedFile(text, resolver: resolver, chain: (chain.isEmpty ? [resolver.scenarioPath] : chain) + [path])
            for d in sub.diagnostics {
                report(d.severity, d.code, "in \(path):\(d.location.line):\(d.location.column): \(d.message)",
                       at: item.location, hint: d.hint)
            }
            content.kb += included.kb
            content.groups += included.groups
        }
        return content
    }

    /// One shared file: a mapping with `kb`, `vocabulary` and `include`.
    func decodeIncludedFile(_ text: String, resolver: IncludeResolver, chain: [String]) -> IncludedContent {
        var content = IncludedContent()
        let root: YNode?
        do {
            root = try Yams.compose(yaml: text, .default, .default, .utf8)
        } catch {
            let d = YAMLErrorTranslator.diagnostic(for: error, text: text)
            report(d.severity, d.code, d.message, at: d.location, hint: d.hint)
            return content
        }
        guard let root else { return content }
        let scan = YAMLTreeScan(root)
        for d in scan.diagnostics { report(d.severity, d.code, d.message, at: d.location, hint: d.hint) }
        if scan.tooLarge { return content }
        guard let f = fields(root, "an included file", context: "the included file", known: Self.includedKeys) else {
            return content
        }
        if let node = f["include"] { content = decodeIncludes(node, resolver: resolver, chain: chain) }
        if let node = f["vocabulary"] { content.groups += decodeVocabulary(node).groups.map(\.entries) }
        if let node = f["kb"], case let .sequence(items) = node {
            let articles = decodeKB(node)
            // decodeKB skips items that are not mappings; keep locations in step with what it kept.
            let kept = items.filter { if case .mapping = $0 { true } else { false } }
            for (article, item) in zip(articles, kept) {
                content.kb.append((article, chain.last ?? "", item.location))
            }
        } else if let node = f["kb"] {
            _ = decodeKB(node)
        }
        return content
    }
}
