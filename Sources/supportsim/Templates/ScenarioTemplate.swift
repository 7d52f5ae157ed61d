import Foundation

/// The scenario skeletons written by `supportsim new`, one per language (the texts live in
/// ScenarioTemplateEnglish.swift and ScenarioTemplateRussian.swift). Placeholders: `{{ID}}` the
/// scenario id, `{{SCHEMA}}` the first line (the editor's `$schema` header, or a comment saying how
/// to add it).
enum ScenarioTemplate: String, CaseIterable {
    case en, ru

    /// The scenario file's text for `id`; `schemaFolder` is the path from the output folder to the
    /// repository's `schema/` folder, or nil when the folder is not inside a repository.
    func scenario(id: String, schemaFolder: String?) -> String {
        let header = schemaFolder.map { "# yaml-language-server: $schema=\($0)/scenario.schema.json" }
            ?? (self == .en ? Self.englishNoSchema : Self.russianNoSchema)
        return Self.fill(self == .en ? Self.englishScenario : Self.russianScenario, id: id, header: header)
    }

    /// The golden transcript's text for `id` (see `scenario(id:schemaFolder:)`).
    func transcript(id: String, schemaFolder: String?) -> String {
        let header = schemaFolder.map { "# yaml-language-server: $schema=\($0)/transcript.schema.json" }
            ?? (self == .en ? Self.englishTranscriptNoSchema : Self.russianTranscriptNoSchema)
        return Self.fill(self == .en ? Self.englishTranscript : Self.russianTranscript, id: id, header: header)
    }

    private static func fill(_ template: String, id: String, header: String) -> String {
        template.replacingOccurrences(of: "{{SCHEMA}}", with: header)
            .replacingOccurrences(of: "{{ID}}", with: id) + "\n"
    }

    /// Where the editor's `$schema` header should point from `folder`: the relative path to the
    /// `schema/` folder of the repository that holds `folder` (the nearest enclosing folder with
    /// `schema/scenario.schema.json`); else the absolute path of the `schema/` folder of the
    /// SupportSim checkout this program was built in (`installed`), so a scenario written anywhere
    /// on the machine still gets completion; nil when neither exists.
    static func schemaFolder(from folder: URL, installed: URL? = RunEnvironment.installedSchemaFolder) -> String? {
        relativeSchemaFolder(from: folder) ?? installed?.path
    }

    /// The path from `folder` to the `schema/` folder of the repository that holds it, or nil.
    static func relativeSchemaFolder(from folder: URL) -> String? {
        let start = folder.standardizedFileURL.resolvingSymlinksInPath()
        var candidate = start
        var ups = 0
        while true {
            let schema = candidate.appendingPathComponent("schema/scenario.schema.json")
            if FileManager.default.fileExists(atPath: schema.path) {
                return ups == 0 ? "schema" : Array(repeating: "..", count: ups).joined(separator: "/") + "/schema"
            }
            let parent = candidate.deletingLastPathComponent()
            if parent.path == candidate.path { return nil }
            candidate = parent
            ups += 1
        }
    }
}
