/// Cyrillic letters that look like Latin ones («С» and "C», «о» and "o"). A trainee on a Russian
/// keyboard types `/escalate 1С` and means the team `1C`; a trainer types `nоde` with a Cyrillic
/// «о». Ids, targets and commands are compared on their folded form, and an id that still does
/// not match is explained by naming the mixed letters.
public enum LookAlike {
    private static let toLatin: [Character: Character] = [
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
        "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S",
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "к": "k", "і": "i", "ј": "j", "ѕ": "s",
    ]

    /// `text` with every Cyrillic look-alike replaced by its Latin twin. Meant for comparison
    /// keys, not for display: an all-Cyrillic word folds to a mixture.
    public static func fold(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value >= 0x400 && $0.value < 0x530 }) else { return text }
        return String(text.map { toLatin[$0] ?? $0 })
    }

    /// The key ids and targets are compared by: folded look-alikes, lower case.
    public static func key(_ text: String) -> String { fold(text).lowercased() }

    /// Whether `text` mixes Latin and Cyrillic letters.
    public static func mixesScripts(_ text: String) -> Bool {
        var latin = false, cyrillic = false
        for u in text.unicodeScalars {
            if (u.value >= 0x41 && u.value <= 0x5A) || (u.value >= 0x61 && u.value <= 0x7A) { latin = true }
            if u.value >= 0x400 && u.value < 0x530 { cyrillic = true }
        }
        return latin && cyrillic
    }

    /// The Cyrillic letters of a word that mixes scripts, for an error message ("«о», «С»"), or nil.
    public static func cyrillicLetters(in text: String) -> String? {
        guard mixesScripts(text) else { return nil }
        var seen: [Character] = []
        for c in text where c.unicodeScalars.contains(where: { $0.value >= 0x400 && $0.value < 0x530 }) && !seen.contains(c) {
            seen.append(c)
        }
        return seen.map { "«\($0)»" }.joined(separator: ", ")
    }
}
