/// The version of the scoring rules (the scorers, their lexicons and weights). Every stored
/// attempt and every rescoring records it, so a report can tell scores made by different rules apart.
/// Bump it in the same commit as any change that can change a score for the same transcript.
public enum ScorerVersion {
    public static let current = 1
}

/// The content hash recorded with an attempt: SHA-256 of the scenario file's bytes as read from
/// disk (the main file only; a change in an included file shows only through the scenario version).
public enum ScenarioContentHash {
    public static func of<S: Sequence>(bytes: S) -> String where S.Element == UInt8 { SHA256.hex(bytes) }
}
