import SupportSimCore

/// "Did you mean …?" for a mistyped command.
enum CommandSuggestion {
    /// The closest command to a mistyped one, if any is close.
    static func suggest(_ command: String, among commands: [String] = CommandParser.commands) -> String? {
        let typed = command.lowercased()
        var best: (String, Int)?
        for c in commands {
            let d = editDistance(typed, c)
            let prefix = c.hasPrefix(typed) && typed.count >= 2
            let score = prefix ? 0 : d
            if score <= max(1, c.count / 3), best == nil || score < best!.1 { best = (c, score) }
        }
        return best?.0
    }

    /// Edit distance where swapping two neighbouring letters counts as one edit ("/hnit" → "/hint").
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
