/// The rule for scenario ids (the `id:` key, the file name, the id on the command line), for
/// tools that make a scenario: one rule, the parser's.
public enum ScenarioID {
    /// True when `id` is a valid scenario id: lower-case letters a-z, digits and '-', not empty.
    public static func isValid(_ id: String) -> Bool { ScenarioYAMLDecoder.isScenarioID(id) }
}
