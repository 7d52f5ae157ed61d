import Yams

/// Where a scenario file writes its nodes and intents (line and column), for reports that name
/// them (`supportsim explore`). The positions come from the scenario decoder's own index, so they
/// are the ones lint reports; harmful rules and endings reached by commands have none.
public struct ExploreLocations: Sendable, Equatable {
    /// Node id → its key under `nodes:`.
    public var nodes: [String: SourceLocation] = [:]
    /// Intent id → its `intent:` value (the first one when an id is written twice).
    public var intents: [String: SourceLocation] = [:]

    public init(nodes: [String: SourceLocation] = [:], intents: [String: SourceLocation] = [:]) {
        self.nodes = nodes; self.intents = intents
    }

    /// The positions in `source`, the text of a scenario file; empty when it is not YAML.
    public init(source: String) {
        guard let root = try? Yams.compose(yaml: source, .default, .default, .utf8) else { return }
        let decoder = ScenarioYAMLDecoder()
        guard let scenario = decoder.decodeScenario(root) else { return }
        nodes = decoder.index.nodeLocations
        for node in scenario.nodes {
            let locations = decoder.index.intentLocations[node.id] ?? []
            for (intent, location) in zip(node.expect, locations) where intents[intent.id] == nil {
                intents[intent.id] = location
            }
        }
    }
}
