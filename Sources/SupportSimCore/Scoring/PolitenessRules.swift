import Foundation

// MARK: - Strategies found by rules rather than phrases

extension CompiledPolitenessLexicon {

    /// The customer's first name, or in Russian any case form of it («Анна», «Анне», «Анной»).
    func nameHit(_ toks: [PolitenessText.Token], _ text: String, _ context: ReplyContext) -> Found? {
        guard let full = context.customerName, let name = Self.firstName(full) else { return nil }
        guard name.count >= 2 else { return nil }
        var stem: String?
        if name.unicodeScalars.contains(where: { $0.value >= 0x400 && $0.value < 0x530 }), name.count >= 3 {
            var s = name
            if let last = s.last, "аяоеиыуюйь".contains(last) { s.removeLast() }
            if s.count >= 2 { stem = s }
        }
        let possessive = name + "'s"
        let simpleName = Self.isSimple(name)
        for (i, t) in toks.enumerated() {
            // Byte comparison is exact for plain ASCII and Cyrillic words; anything else is compared
            // as `String`s (canonical equivalence), as before.
            let simple = simpleName && t.simple
            var ok = simple ? (t.norm.utf8.elementsEqual(name.utf8) || t.norm.utf8.elementsEqual(possessive.utf8))
                            : (t.norm == name || t.norm == possessive)
            if !ok, let stem, simple ? t.norm.hasBytePrefix(stem) : t.norm.hasPrefix(stem), t.norm.count - stem.count <= 3 {
                ok = text[t.range].first?.isUppercase == true
            }
            if ok {
                let w = ruleWeights[PolitenessStrategy.name] ?? 0.5
                return hit(PolitenessStrategy.name, w, i, i, toks, text)
            }
        }
        return nil
    }

    /// The first word of a customer's name, lower case, «ё» as «е».
    static func firstName(_ full: String) -> String? {
        // The common case: the name is separated by ASCII spaces or commas and is a plain word.
        let u = full.utf8
        var start = u.startIndex
        while start < u.endIndex, let b = Optional(u[start]), b == 0x20 || b == 0x2C || (b >= 0x09 && b <= 0x0D) {
            start = u.index(after: start)
        }
        var end = start
        while end < u.endIndex, let b = Optional(u[end]), !(b == 0x20 || b == 0x2C || (b >= 0x09 && b <= 0x0D)) {
            end = u.index(after: end)
        }
        // (A combining mark after the separator would join it into one character: not the fast case.
        // ASCII and lead bytes 0xD0, 0xD1 (U+0400–U+047F) start no combining mark.)
        let after = end < u.endIndex ? u.index(after: end) : end
        if start < end, after == u.endIndex || u[after] < 0x80 || u[after] == 0xD0 || u[after] == 0xD1, let plain = PolitenessText.plainWord(full[start..<end]) {
            return plain
        }
        guard let firstWord = full.split(whereSeparator: { $0.isWhitespace || $0 == "," }).first else { return nil }
        return String(firstWord.lowercased().map { $0 == "ё" ? "е" : $0 })
    }

    /// Only ASCII and Cyrillic scalars (no combining marks): such strings are equal, or one is a
    /// prefix of the other, exactly when their bytes are.
    @inline(__always)
    static func isSimple(_ s: String) -> Bool {
        for u in s.unicodeScalars {
            let v = u.value
            if v < 0x80 || (v >= 0x400 && v <= 0x482) || (v >= 0x48A && v <= 0x4FF) { continue }
            return false
        }
        return true
    }

    /// A bare command: a Russian informal imperative («перезагрузи»), or a short English command
    /// standing alone ("Restart it.") with no "please", softened request or other courtesy before it.
    ///
    /// Instructions are not bare commands: a command that is a step of a numbered or bulleted list,
    /// starts with a sequence word ("Then print as usual", «Затем…»), follows a polite frame
    /// ("Could you open the settings? Then choose…"), is one of two or more steps, or carries
    /// content beyond a curt order (more than four words) counts only as a small tone cue.
    func imperativeHit(_ toks: [PolitenessText.Token], _ flags: [UInt16], _ text: String, _ scan: PolitenessText,
                       _ phraseHits: ArraySlice<Found>) -> Found? {
        // Only a Russian imperative or an English verb can make a hit.
        guard flags.contains(where: { $0 & (Self.ruImperativeFlag | Self.verbFlag) != 0 }) else { return nil }
        let w = ruleWeights[PolitenessStrategy.imperative] ?? -1
        // Words of impolite phrases, and sentences with a softened request or "please".
        var negativeTokens = [Bool](repeating: false, count: toks.count)
        for f in phraseHits where f.weight < 0 { for k in f.from...f.to { negativeTokens[k] = true } }
        var softenedSentences = [Bool](repeating: false, count: (toks.last?.sentence ?? 0) + 1)
        for f in phraseHits where f.feedback && hasSoftening(f.strategy) { softenedSentences[toks[f.from].sentence] = true }
        for (i, t) in toks.enumerated() where flags[i] & Self.softenerFlag != 0 { softenedSentences[t.sentence] = true }
        // The first word of the first courtesy (a polite phrase shown to the trainee).
        let frame = phraseHits.filter { $0.weight > 0 && $0.feedback }.map(\.from).min() ?? Int.max

        var commands: [Int] = []
        for (i, t) in toks.enumerated() where !t.quoted && !softenedSentences[t.sentence] && !negativeTokens[i] {
            if flags[i] & Self.ruImperativeFlag != 0 { return hit(PolitenessStrategy.imperative, w, i, i, toks, text) }
            guard flags[i] & Self.verbFlag != 0, isSentenceStart(i, toks, flags), !scan.questions.contains(t.sentence) else { continue }
            if i + 1 < toks.count, toks[i + 1].sentence == t.sentence, flags[i + 1] & Self.followerFlag != 0 { continue }
            if commands.last.map({ toks[$0].sentence == t.sentence }) == true { continue }
            commands.append(i)
        }
        guard let first = commands.first else { return nil }
        let bare = commands.count == 1 && first < frame && !startsStep(first, toks, flags, text)
            && sentenceLength(first, toks) <= 4
        if bare { return hit(PolitenessStrategy.imperative, w, first, first, toks, text) }
        var cue = hit(PolitenessStrategy.instruction, ruleWeights[PolitenessStrategy.instruction] ?? -0.3, first, first, toks, text)
        cue.feedback = false
        return cue
    }

    /// The command at `i` is a step: after a sequence word ("then", «затем»), or an item of a
    /// numbered or bulleted list ("2. Open…", "2) Open…", "- Open…", "• Open…").
    func startsStep(_ i: Int, _ toks: [PolitenessText.Token], _ flags: [UInt16], _ text: String) -> Bool {
        if flags[i] & Self.sequenceFlag != 0 { return true }
        // The first word of the command's sentence (the command, or the opener before it).
        let first = toks[i].position > 0 ? i - 1 : i
        if first < i, flags[first] & Self.sequenceFlag != 0 { return true }
        // What stands between the previous word (or the start of the reply) and the sentence.
        let from = first > 0 ? toks[first - 1].range.upperBound : text.startIndex
        let gap = text[from..<toks[first].range.lowerBound]
        if gap.contains(where: { "•·▪►".contains($0) }) { return true }
        if first == 0 || gap.contains("\n") {
            let line = (gap.split(separator: "\n", omittingEmptySubsequences: false).last ?? gap[...])
                .trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("-") || line.hasPrefix("–") || line.hasPrefix("*") { return true }
        }
        // "2." or "2)" before the sentence: a number alone at the start of its own sentence.
        if first > 0, toks[first - 1].position == 0, toks[first - 1].norm.count <= 2,
           toks[first - 1].norm.allSatisfy(\.isNumber) {
            let after = text[toks[first - 1].range.upperBound...].prefix(1)
            if after == "." || after == ")" { return true }
        }
        return false
    }

    /// The number of words in the sentence of token `i`.
    func sentenceLength(_ i: Int, _ toks: [PolitenessText.Token]) -> Int {
        var n = 0
        var k = i
        while k >= 0, toks[k].sentence == toks[i].sentence { k -= 1 }
        k += 1
        while k < toks.count, toks[k].sentence == toks[i].sentence { n += 1; k += 1 }
        return n
    }

    /// Russian «ты»: its pronouns and markers, or a ты-form imperative when no «Вы» is used. Once per reply.
    func informalHit(_ toks: [PolitenessText.Token], _ flags: [UInt16], _ text: String) -> Found? {
        let w = ruleWeights[PolitenessStrategy.informal] ?? -2
        if let i = toks.indices.first(where: { flags[$0] & Self.ruInformalFlag != 0 && !toks[$0].quoted }) {
            return hit(PolitenessStrategy.informal, w, i, i, toks, text)
        }
        guard !flags.contains(where: { $0 & Self.ruFormalFlag != 0 }) else { return nil }
        if let i = toks.indices.first(where: { flags[$0] & Self.ruImperativeFlag != 0 && !toks[$0].quoted }) {
            return hit(PolitenessStrategy.informal, w, i, i, toks, text)
        }
        return nil
    }

    /// Shouting: a word in capitals of six or more letters, or a run of two or more capitalised
    /// words with one of four or more letters ("I TOLD YOU"). Not shouting: acronyms and product
    /// names of up to five letters standing alone ("GIMP", "VPN", «МФУ»), the lexicon's `acronyms`,
    /// the scenario's own terms (`ReplyContext.knownTerms`), key names and codes.
    /// One hit per reply: the first such run, from its first long word.
    func shoutingHit(_ toks: [PolitenessText.Token], _ text: String, _ context: ReplyContext) -> Found? {
        func letters(_ t: PolitenessText.Token) -> (count: Int, vowels: Bool)? {
            guard !t.quoted, !t.joined else { return nil }
            var n = 0, vowels = false
            for u in text[t.range].unicodeScalars {
                guard PolitenessText.isUpperLetter(u) == true else { return nil }
                n += 1
                if Self.vowels.contains(u) { vowels = true }
            }
            return n > 0 ? (n, vowels) : nil
        }
        func exempt(_ t: PolitenessText.Token) -> Bool {
            let raw = String(text[t.range])
            return acronyms.contains(raw) || context.knownTerms.contains(raw)
        }
        var i = 0
        while i < toks.count {
            guard let l = letters(toks[i]), l.count >= 4, l.vowels, !exempt(toks[i]) else { i += 1; continue }
            // The run of capitalised words around it, in its sentence.
            var lo = i, hi = i
            while lo > 0, toks[lo - 1].sentence == toks[i].sentence, letters(toks[lo - 1]) != nil { lo -= 1 }
            while hi + 1 < toks.count, toks[hi + 1].sentence == toks[i].sentence, letters(toks[hi + 1]) != nil { hi += 1 }
            let runWords = (lo...hi).filter { !exempt(toks[$0]) }.count
            if l.count >= 6 || runWords >= 2 {
                return hit(PolitenessStrategy.shouting, ruleWeights[PolitenessStrategy.shouting] ?? -1.5, i, hi, toks, text)
            }
            i = hi + 1
        }
        return nil
    }
}
