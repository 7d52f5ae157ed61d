import Foundation
import Yams

/// Decoding of match rules (`any`, `all`, `regex`, `none`) and their phrases.
extension ScenarioYAMLDecoder {
    // MARK: Match rules

    func matchRule(_ f: Fields, _ key: String, owner: String, required: Bool, node: String?) -> MatchRule? {
        guard let value = f[key] else {
            if required {
                missing(key, in: f, hint: "add `match:` with a list of phrases, e.g. `match: [restart, reboot]`")
            }
            return nil
        }
        return matchRule(value, owner: owner, node: node)
    }

    /// A list of phrases (shorthand for `any`) or a mapping with any/all/regex/none.
    func matchRule(_ node: YNode, owner: String, node nodeID: String?) -> MatchRule? {
        let what = "the match rule of \(owner)"
        var rule = MatchRule()
        var hadRegexError = false
        switch node {
        case .sequence, .scalar:
            guard let list = stringList(node, what, allowSingle: true) else { return nil }
            rule.any = phrases(list, what)
        case .mapping:
            guard let f = fields(node, what, context: what, known: Self.ruleKeys) else { return nil }
            if let any = stringList(f, "any", allowSingle: true) { rule.any = phrases(any, "'any' of \(what)") }
            if let none = stringList(f, "none", allowSingle: true) { rule.none = phrases(none, "'none' of \(what)") }
            if let all = f["all"] {
                switch all {
                case let .sequence(groups):
                    for (i, group) in groups.enumerated() {
                        if let list = stringList(group, "'all' group \(i + 1) of \(what)", allowSingle: true) {
                            let g = phrases(list, "'all' group \(i + 1) of \(what)")
                            if !g.isEmpty { rule.all.append(g) }
                        }
                    }
                case .scalar where !all.isNull:
                    if let list = stringList(all, "'all' of \(what)", allowSingle: true) {
                        rule.all = [phrases(list, "'all' of \(what)")]
                    }
                default:
                    wrongType("'all' of \(what)", expected: "a list of phrase groups", found: all)
                }
            }
            if let regex = stringList(f, "regex", allowSingle: true) {
                for pattern in regex {
                    if let problem = Matcher.regexError(pattern.value) {
                        hadRegexError = true
                        report(.error, ScenarioDiagnosticCode.invalidRegex,
                               "invalid regular expression '\(Self.clip(pattern.value))' in \(what): \(problem)",
                               at: pattern.location,
                               hint: "check brackets and escapes; in YAML, single-quote patterns that contain backslashes")
                    } else {
                        if let risk = Matcher.regexRisk(pattern.value) {
                            report(.warning, ScenarioDiagnosticCode.invalidRegex,
                                   "regular expression '\(Self.clip(pattern.value))' in \(what) may be very slow: \(risk)",
                                   at: pattern.location, hint: "avoid nested repetition such as `(a+)+`; use phrases where you can")
                        }
                        rule.regex.append(pattern.value)
                    }
                }
            }
        default:
            wrongType(what, expected: "a list of phrases or a mapping with any/all/regex/none", found: node)
            return nil
        }
        if rule.isEmpty, !hadRegexError {
            report(.error, ScenarioDiagnosticCode.missingKey,
                   "\(what) has no phrases in 'any', 'all' or 'regex', so it can never match",
                   at: node.location, hint: "list the phrases that recognise the reply, e.g. `[restart, reboot]`")
        }
        if hadRegexError { index.brokenRules.insert(owner) }
        return rule
    }

    /// Phrases, reporting those that contain no word (they could never match).
    func phrases(_ list: [Located<String>], _ what: String) -> [String] {
        var out: [String] = []
        for phrase in list {
            let words = TextNormalizer.normalize(phrase.value).words.count
            if words > Vocabulary.phraseWordLimit {
                report(.error, ScenarioDiagnosticCode.limitExceeded,
                       "match phrase too long: \(words) words (at most \(Vocabulary.phraseWordLimit)) in \(what)",
                       at: phrase.location,
                       hint: "shorten it to the few words that recognise the reply; list alternatives as separate phrases")
                out.append(phrase.value)
            } else if words == 0 {
                report(.error, ScenarioDiagnosticCode.invalidValue,
                       "phrase '\(Self.clip(phrase.value))' in \(what) has no letters or digits, so it can never match",
                       at: phrase.location, hint: "use words; for punctuation or symbols write a `regex`")
            } else {
                if let mark = Self.ignoredPunctuation(phrase.value) {
                    report(.warning, ScenarioDiagnosticCode.phrasePunctuation,
                           "'\(mark)' in phrase '\(Self.clip(phrase.value))' of \(what) is ignored: phrases match words only",
                           at: phrase.location, hint: "remove the '\(mark)', or write a `regex` when the punctuation matters")
                }
                out.append(phrase.value)
            }
        }
        return out
    }

    /// The first punctuation mark of a phrase that matching drops (letters, digits, spaces,
    /// apostrophes and the joiners of ids and numbers are kept or harmless).
    static func ignoredPunctuation(_ phrase: String) -> Character? {
        phrase.first { c in
            !(c.isLetter || c.isNumber || c.isWhitespace || "'’-./:_,#№".contains(c))
        }
    }

}
