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

    /// A sentence that starts with a bare English command ("Restart it."), or a Russian informal
    /// imperative («перезагрузи»), with no "please" or softened request in the same sentence.
    func imperativeHit(_ toks: [PolitenessText.Token], _ flags: [UInt8], _ text: String, _ scan: PolitenessText,
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
        for (i, t) in toks.enumerated() where !t.quoted && !softenedSentences[t.sentence] && !negativeTokens[i] {
            if flags[i] & Self.ruImperativeFlag != 0 { return hit(PolitenessStrategy.imperative, w, i, i, toks, text) }
            guard flags[i] & Self.verbFlag != 0, isSentenceStart(i, toks, flags), !scan.questions.contains(t.sentence) else { continue }
            if i + 1 < toks.count, toks[i + 1].sentence == t.sentence, flags[i + 1] & Self.followerFlag != 0 { continue }
            return hit(PolitenessStrategy.imperative, w, i, i, toks, text)
        }
        return nil
    }

    /// Russian «ты»: its pronouns and markers, or a ты-form imperative when no «Вы» is used. Once per reply.
    func informalHit(_ toks: [PolitenessText.Token], _ flags: [UInt8], _ text: String) -> Found? {
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

    /// Words of four or more letters in capitals that are not acronyms, key names or codes.
    /// One hit per reply: the first run of capitalised words starting with such a word.
    func shoutingHit(_ toks: [PolitenessText.Token], _ text: String) -> Found? {
        func shouted(_ t: PolitenessText.Token) -> Bool {
            guard !t.quoted, !t.joined else { return false }
            let raw = text[t.range]
            var letters = 0, vowels = false
            for u in raw.unicodeScalars {
                guard PolitenessText.isUpperLetter(u) == true else { return false }
                letters += 1
                if Self.vowels.contains(u) { vowels = true }
            }
            return letters >= 4 && vowels && !acronyms.contains(String(raw))
        }
        func capitals(_ t: PolitenessText.Token) -> Bool {
            !t.quoted && !t.joined && text[t.range].unicodeScalars.allSatisfy { PolitenessText.isUpperLetter($0) == true }
        }
        guard let first = toks.indices.first(where: { shouted(toks[$0]) }) else { return nil }
        // The run goes on over shorter capitalised words ("TOLD YOU").
        var last = first
        while last + 1 < toks.count, toks[last + 1].sentence == toks[first].sentence, capitals(toks[last + 1]) { last += 1 }
        return hit(PolitenessStrategy.shouting, ruleWeights[PolitenessStrategy.shouting] ?? -1.5, first, last, toks, text)
    }
}
