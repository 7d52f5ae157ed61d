import Foundation

/// How a support team lead classes one reply: polite, neutral (correct but without courtesy) or
/// rude. The politeness score of a reply (0–100, 50 neutral) falls into one of three bands; this
/// is the one place those bands are defined, for the debrief and for the evaluation alike.
public enum ToneClass: String, Sendable, CaseIterable, Codable, Comparable {
    case rude, neutral, polite

    /// Scores below this are rude.
    public static let rudeBelow = 30.0
    /// Scores above this are polite.
    public static let politeAbove = 62.0

    /// The band `score` falls into.
    public init(score: Double) {
        if score < Self.rudeBelow { self = .rude } else if score > Self.politeAbove { self = .polite } else { self = .neutral }
    }

    /// A label as people write it in a data file: `polite`/`neutral`/`rude`, their Russian names
    /// («вежливо», «нейтрально», «грубо»), or `1`/`0`/`-1`. Case and surrounding spaces are ignored.
    public init?(label: String) {
        switch label.trimmingCharacters(in: .whitespaces).lowercased() {
        case "polite", "вежливо", "вежливый", "1", "+1": self = .polite
        case "neutral", "нейтрально", "нейтральный", "0": self = .neutral
        case "rude", "impolite", "грубо", "грубый", "-1": self = .rude
        default: return nil
        }
    }

    public static func < (a: ToneClass, b: ToneClass) -> Bool { a.order < b.order }
    private var order: Int { switch self { case .rude: 0; case .neutral: 1; case .polite: 2 } }
}
