/// Plural forms of a noun after a number, in English and Russian («1 балл», «3 балла», «5 баллов»).
public enum Plural {
    /// The Russian form for `n`: `one` for 1, 21, 101…; `few` for 2–4, 22–24…; `many` otherwise
    /// (0, 5–20, 11–14, 25…).
    public static func russian(_ n: Int, one: String, few: String, many: String) -> String {
        let m = abs(n)
        let lastTwo = m % 100, last = m % 10
        if (11...14).contains(lastTwo) { return many }
        if last == 1 { return one }
        if (2...4).contains(last) { return few }
        return many
    }

    /// The English form: `one` for 1 (and −1), `other` otherwise.
    public static func english(_ n: Int, one: String, other: String) -> String {
        abs(n) == 1 ? one : other
    }

    /// "5 points" / «5 баллов».
    public static func points(_ n: Int, language: Language) -> String {
        switch language {
        case .ru: "\(n) " + russian(n, one: "балл", few: "балла", many: "баллов")
        case .en: "\(n) " + english(n, one: "point", other: "points")
        }
    }
}
