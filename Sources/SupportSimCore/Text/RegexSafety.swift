/// Recognises regular expressions that can backtrack catastrophically:
/// - a group with an unbounded quantifier inside, itself repeated without bound: `(a+)+`,
///   `(a*)*`, `(.*)*`, `(\w+\s?)*` (also `(\d+\.)+`, which is safe in practice but is rejected
///   to keep the rule simple; write `(\d{1,3}\.){3}` or `\d+(\.\d+)*` instead);
/// - a repeated alternation whose branches can start with the same character: `(a|a)*`,
///   `(a|ab)+`, `(\w|\d)*`.
/// Atomic groups `(?>…)` and possessive quantifiers (`*+`, `++`) do not backtrack and are allowed.
enum RegexSafety {
    private struct Frame {
        var atomic = false
        var hasUnbounded = false
        var branchFirsts: [String?] = []
        var currentFirst: String?
        var atomCount = 0
    }

    static func risk(_ pattern: String) -> String? {
        let p = Array(pattern)
        var stack: [Frame] = [Frame()]
        var i = 0

        /// Reads a quantifier at `i`: (present, unbounded, possessive) and advances past it.
        func quantifier() -> (Bool, Bool, Bool) {
            guard i < p.count else { return (false, false, false) }
            var unbounded = false
            switch p[i] {
            case "*", "+":
                unbounded = true
                i += 1
            case "?":
                i += 1
            case "{":
                var j = i + 1
                var text = ""
                while j < p.count, p[j] != "}" { text.append(p[j]); j += 1 }
                let parts = text.split(separator: ",", omittingEmptySubsequences: false)
                let isNumber: (Substring) -> Bool = { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
                guard j < p.count, !parts.isEmpty, parts.count <= 2, isNumber(parts[0]),
                      parts.count == 1 || parts[1].isEmpty || isNumber(parts[1]) else {
                    return (false, false, false)  // a literal "{"
                }
                if parts.count == 2 {
                    unbounded = parts[1].isEmpty || (Int(parts[1]) ?? Int.max) > 10
                }
                i = j + 1
            default:
                return (false, false, false)
            }
            var possessive = false
            if i < p.count, p[i] == "?" { i += 1 } else if i < p.count, p[i] == "+" { possessive = true; i += 1 }
            return (true, unbounded, possessive)
        }

        func noteAtom(_ atom: String) {
            if stack[stack.count - 1].currentFirst == nil, stack[stack.count - 1].atomCount == 0 {
                stack[stack.count - 1].currentFirst = atom
            }
            stack[stack.count - 1].atomCount += 1
        }

        func afterAtom() {
            let (present, unbounded, possessive) = quantifier()
            if present, unbounded, !possessive { stack[stack.count - 1].hasUnbounded = true }
        }

        while i < p.count {
            let c = p[i]
            switch c {
            case "\\":
                var atom = "\\"
                if i + 1 < p.count { atom.append(p[i + 1]) }
                i += 2
                if i <= p.count, "pPxN".contains(atom.last ?? " "), i < p.count, p[i] == "{" {
                    while i < p.count, p[i] != "}" { i += 1 }
                    i += 1
                    atom = "." // a property class: may overlap anything
                }
                noteAtom(atom)
                afterAtom()
            case "[":
                var j = i + 1
                if j < p.count, p[j] == "^" { j += 1 }
                if j < p.count, p[j] == "]" { j += 1 }
                var depth = 1
                while j < p.count, depth > 0 {
                    if p[j] == "\\" { j += 2; continue }
                    if p[j] == "[" { depth += 1 } else if p[j] == "]" { depth -= 1 }
                    j += 1
                }
                noteAtom(String(p[i..<min(j, p.count)]))
                i = j
                afterAtom()
            case "(":
                var frame = Frame()
                i += 1
                if i < p.count, p[i] == "?" {
                    // inline flags "(?i)" are not a group
                    var j = i + 1
                    while j < p.count, p[j].isLetter || p[j] == "-" { j += 1 }
                    if j < p.count, p[j] == ")", j > i + 1 { i = j + 1; continue }
                    if i + 1 < p.count, p[i + 1] == ">" { frame.atomic = true }
                    // skip "?:", "?=", "?!", "?<=", "?<!", "?<name>", "?>", "?i:"
                    while i < p.count, p[i] != ":" && p[i] != "=" && p[i] != "!" && p[i] != ">" { i += 1 }
                    i += 1
                }
                noteAtom("(")
                stack.append(frame)
            case "|":
                let first = stack[stack.count - 1].currentFirst
                stack[stack.count - 1].branchFirsts.append(first)
                stack[stack.count - 1].currentFirst = nil
                stack[stack.count - 1].atomCount = 0
                i += 1
            case ")":
                i += 1
                guard stack.count > 1 else { continue }
                var frame = stack.removeLast()
                if !frame.branchFirsts.isEmpty { frame.branchFirsts.append(frame.currentFirst) }
                let (present, unbounded, possessive) = quantifier()
                let repeated = present && unbounded && !possessive && !frame.atomic
                if repeated, frame.hasUnbounded {
                    return "nested repetition: a repeated group contains a repeated part, e.g. (a+)+; "
                        + "this can take exponential time"
                }
                if repeated, overlapping(frame.branchFirsts) {
                    return "repeated alternation whose branches can match the same text, e.g. (a|a)*; "
                        + "this can take exponential time"
                }
                if (frame.hasUnbounded && !frame.atomic) || repeated { stack[stack.count - 1].hasUnbounded = true }
            default:
                i += 1
                noteAtom(String(c))
                afterAtom()
            }
        }
        return nil
    }

    private static let wide: Set<String> = [".", "\\w", "\\W", "\\s", "\\S", "\\d", "\\D", "(", "\\b", "\\B"]

    /// Whether two branches may begin with the same character.
    private static func overlapping(_ firsts: [String?]) -> Bool {
        guard firsts.count >= 2 else { return false }
        let atoms = firsts.map { ($0 ?? "").lowercased() }
        for a in 0..<atoms.count {
            for b in (a + 1)..<atoms.count where overlap(atoms[a], atoms[b]) { return true }
        }
        return false
    }

    private static func overlap(_ a: String, _ b: String) -> Bool {
        if a.isEmpty || b.isEmpty { return false }
        if a == b || wide.contains(a) || wide.contains(b) { return true }
        let aClass = a.hasPrefix("["), bClass = b.hasPrefix("[")
        if aClass && bClass { return true }
        if aClass || bClass {
            let (cls, lit) = aClass ? (a, b) : (b, a)
            let body = cls.dropFirst().dropLast()
            if body.hasPrefix("^") { return true }
            if body.dropFirst().dropLast().contains("-") { return true }  // a range
            let ch = lit.hasPrefix("\\") ? String(lit.dropFirst()) : lit
            return body.contains(ch)
        }
        return false
    }
}
