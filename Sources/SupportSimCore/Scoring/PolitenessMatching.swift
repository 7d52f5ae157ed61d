import Foundation

// MARK: - Analysis: phrase patterns

extension CompiledPolitenessLexicon {

    struct Found {
        var strategy: String
        var weight: Double
        /// Token range, inclusive; nil for hits that are not words (exclamation marks).
        var from: Int
        var to: Int
        var span: Range<String.Index>
        var hit: StrategyHit
        /// False for tone cues, which only move the reply score.
        var feedback: Bool = true
    }

    func analyze(_ text: String, context: ReplyContext) -> [Found] {
        let scan = PolitenessText(text)
        let toks = scan.tokens
        var found: [(pattern: Int, from: Int, to: Int)] = []
        var candidates: [Int] = []
        var flags = [UInt16](repeating: 0, count: toks.count)
        var ids = [Int32](repeating: -1, count: toks.count)
        var starts = [[Int]](repeating: [], count: toks.count)
        // Every word is looked up once: patterns match words ahead of the one they start at.
        for i in toks.indices {
            if let info = wordInfo[WordKey(toks[i].norm)] {
                flags[i] = info.flags
                ids[i] = info.id
                starts[i] = info.patterns
            }
        }

        for i in toks.indices {
            let t = toks[i]
            candidates.removeAll(keepingCapacity: true)
            candidates += starts[i]
            index.prefixCandidates(t.norm, into: &candidates)
            for f in t.forms {
                if f.utf8.contains(UInt8(ascii: "*")) { candidates += disguisedPatterns } else { disguisedIndex.candidates(f, into: &candidates) }
            }
            if candidates.count > 1 {
                // Sorted, without repeats.
                candidates.sort()
                var kept = 1
                for k in 1..<candidates.count where candidates[k] != candidates[kept - 1] {
                    candidates[kept] = candidates[k]
                    kept += 1
                }
                candidates.removeLast(candidates.count - kept)
            }
            for p in candidates {
                let pattern = patterns[p]
                let strategy = strategies[pattern.strategy]
                if strategy.firstReplyOnly && context.replyIndex != 1 { continue }
                if pattern.anchored && !isSentenceStart(i, toks, flags) { continue }
                guard let end = match(pattern, slot: 0, at: i, sentence: t.sentence, toks, ids, disguised: strategy.disguisable)
                else { continue }
                if pattern.endAnchored && end + 1 < toks.count && toks[end + 1].sentence == toks[end].sentence { continue }
                if strategy.negatable && isNegated(i, toks, flags) { continue }
                found.append((p, i, end))
            }
        }

        // Overlapping phrases of the same polarity: the longer (then the stronger) one wins.
        var accepted: [Found] = []
        for positive in [true, false] {
            let group = found.filter { (strategies[patterns[$0.pattern].strategy].weight >= 0) == positive }
                .sorted { a, b in
                    let la = a.to - a.from, lb = b.to - b.from
                    if la != lb { return la > lb }
                    let wa = abs(strategies[patterns[a.pattern].strategy].weight)
                    let wb = abs(strategies[patterns[b.pattern].strategy].weight)
                    if wa != wb { return wa > wb }
                    return a.from < b.from
                }
            var taken = [Bool](repeating: false, count: toks.count)
            var perStrategy: [Int: [Found]] = [:]
            for f in group where !(f.from...f.to).contains(where: { taken[$0] }) {
                for k in f.from...f.to { taken[k] = true }
                let s = patterns[f.pattern].strategy
                var h = hit(strategies[s].id, strategies[s].weight, f.from, f.to, toks, text)
                h.feedback = strategies[s].feedback
                perStrategy[s, default: []].append(h)
            }
            for (s, hits) in perStrategy {
                accepted += hits.sorted { $0.from < $1.from }.prefix(strategies[s].maxPerReply)
            }
        }

        // A polite phrase inside an impolite finding is part of it: "you probably typed it wrong" is
        // blame, not hedging; «Вам» in «Я же Вам объяснял» is part of the reproach.
        let negativeSpans = accepted.filter { $0.weight < 0 && $0.feedback }.map { $0.from...$0.to }
        if !negativeSpans.isEmpty {
            accepted.removeAll { f in f.weight > 0 && negativeSpans.contains { $0.overlaps(f.from...f.to) } }
        }

        // The phrase hits, for the imperative rule.
        let phraseHits = accepted.count

        if let name = nameHit(toks, text, context) { accepted.append(name) }
        if let imperative = imperativeHit(toks, flags, text, scan, accepted[..<phraseHits]) { accepted.append(imperative) }
        if let informal = informalHit(toks, flags, text) { accepted.append(informal) }
        if let shouting = shoutingHit(toks, text, context) { accepted.append(shouting) }
        if let range = scan.exclamations {
            let w = ruleWeights[PolitenessStrategy.exclamations] ?? -1
            accepted.append(Found(strategy: PolitenessStrategy.exclamations, weight: w, from: -1, to: -1, span: range,
                                  hit: StrategyHit(strategy: PolitenessStrategy.exclamations, span: String(text[range]), weight: w)))
        }
        // Strategies that a reproach cancels (formal address) do not count beside an impolite finding.
        if accepted.contains(where: { $0.weight < 0 && $0.feedback }) {
            accepted.removeAll { cancelledByImpolite.contains($0.strategy) }
        }
        return accepted.sorted { $0.span.lowerBound != $1.span.lowerBound ? $0.span.lowerBound < $1.span.lowerBound : $0.strategy < $1.strategy }
    }

    func hasSoftening(_ strategy: String) -> Bool {
        strategy == PolitenessStrategy.softened || strategy == PolitenessStrategy.please
    }

    func hit(_ id: String, _ weight: Double, _ from: Int, _ to: Int, _ toks: [PolitenessText.Token], _ text: String) -> Found {
        let range = toks[from].range.lowerBound..<toks[to].range.upperBound
        return Found(strategy: id, weight: weight, from: from, to: to, span: range,
                     hit: StrategyHit(strategy: id, span: String(text[range]), weight: weight))
    }

    func matches(_ set: WordSet, _ t: PolitenessText.Token, id: Int32, disguised: Bool) -> Bool {
        if set.contains(id: id, t.norm) { return true }
        return disguised && t.forms.contains { set.contains(reading: $0) }
    }

    func match(_ p: Pattern, slot s: Int, at i: Int, sentence: Int, _ toks: [PolitenessText.Token],
                       _ ids: [Int32], disguised: Bool) -> Int? {
        if s == p.slots.count { return i - 1 }
        switch p.slots[s] {
        case .word(let set):
            guard i < toks.count, toks[i].sentence == sentence, matches(set, toks[i], id: ids[i], disguised: disguised) else { return nil }
            return match(p, slot: s + 1, at: i + 1, sentence: sentence, toks, ids, disguised: disguised)
        case .notWord(let set):
            guard i < toks.count, toks[i].sentence == sentence, !matches(set, toks[i], id: ids[i], disguised: disguised) else { return nil }
            return match(p, slot: s + 1, at: i + 1, sentence: sentence, toks, ids, disguised: disguised)
        case .gap(let n):
            for k in 0...n {
                let at = i + k
                if k > 0 && (at - 1 >= toks.count || toks[at - 1].sentence != sentence) { break }
                if let end = match(p, slot: s + 1, at: at, sentence: sentence, toks, ids, disguised: disguised) { return end }
            }
            return nil
        }
    }

    func isSentenceStart(_ i: Int, _ toks: [PolitenessText.Token], _ flags: [UInt16]) -> Bool {
        toks[i].position == 0 || (toks[i].position == 1 && flags[i - 1] & Self.openerFlag != 0)
    }

    /// A negator among the two words before, in the same clause ("not sorry", «не извиняюсь»).
    func isNegated(_ i: Int, _ toks: [PolitenessText.Token], _ flags: [UInt16]) -> Bool {
        for j in stride(from: i - 1, through: max(0, i - 2), by: -1) {
            guard toks[j].clause == toks[i].clause else { return false }
            if flags[j] & Self.negatorFlag != 0 || toks[j].norm.hasSuffix("n't") { return true }
        }
        return false
    }

}
