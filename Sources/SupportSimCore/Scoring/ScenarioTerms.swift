/// The words in capitals a scenario itself uses: product names, codes and acronyms that appear in
/// its title, ticket, customer lines, intents, knowledge base, vocabulary and spelling terms
/// ("GIMP", "MFP", «МФУ»). A trainee who writes them is naming things, not shouting.
public enum ScenarioTerms {
    public static func capitalised(in scenario: Scenario) -> Set<String> {
        var texts: [String] = [scenario.title, scenario.summary ?? "", scenario.persona.name]
        texts += scenario.scoring.spelling?.terms ?? []
        for group in scenario.vocabulary.groups { texts += group.entries }
        for article in scenario.knowledgeBase { texts += [article.title, article.body] + article.keywords }
        for node in scenario.nodes {
            texts += node.customer + node.clarify + [node.hint ?? ""]
            for intent in node.expect { texts += [intent.description] + intent.customer }
        }
        var terms: Set<String> = []
        for text in texts { collect(text, into: &terms) }
        return terms
    }

    /// Adds every word of `text` written wholly in capital letters (two letters or more).
    public static func collect(_ text: String, into terms: inout Set<String>) {
        var word = ""
        var allUpper = true
        func flush() {
            if word.count >= 2 && allUpper { terms.insert(word) }
            word = ""; allUpper = true
        }
        for c in text {
            if c.isLetter {
                word.append(c)
                if !c.isUppercase { allUpper = false }
            } else if c.isNumber, !word.isEmpty {
                word.append(c)
            } else {
                flush()
            }
        }
        flush()
    }
}
