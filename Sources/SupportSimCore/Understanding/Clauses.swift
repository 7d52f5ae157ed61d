/// One clause of a reply: a stretch of words between punctuation, line breaks, list markers,
/// connectives ("then", "but", «однако») and condition words ("if", «как только»).
public struct Clause: Sendable, Equatable {
    /// Token indices (into the reply's NormalizedText tokens) the clause covers; never empty.
    public var tokens: Range<Int>
    /// UTF-8 byte range of the clause in the reply as typed (for explanations).
    public var source: Range<Int>
    /// The token range a negation or refusal covers (usually the whole clause; from the word to the clause end for "without", "instead of", «без», «вместо»); nil when the clause is not negated.
    public var negated: Range<Int>?
    /// The negating words as typed ("don't", «не могу»), for explanations.
    public var negation: String?
    /// The clause is a condition: "if it fails", "as soon as Mark confirms", «после того как подтвердит».
    public var isCondition: Bool
    /// When a condition clause that asks for a confirmation, verification, identity check or approval governs this clause, that condition's text as typed ("as soon as Mark himself confirms"); the action is then made safe.
    public var safeguard: String?
    /// The step this clause belongs to, counted from 0 (see below).
    public var step: Int
    /// The sentence (or line, or list item) this clause belongs to, counted from 0.
    public var sentence: Int

    public init(tokens: Range<Int>, source: Range<Int>, negated: Range<Int>? = nil, negation: String? = nil,
                isCondition: Bool = false, safeguard: String? = nil, step: Int = 0, sentence: Int = 0) {
        self.tokens = tokens
        self.source = source
        self.negated = negated
        self.negation = negation
        self.isCondition = isCondition
        self.safeguard = safeguard
        self.step = step
        self.sentence = sentence
    }
}

/// Reads the clauses of a reply: where they start, which are negated, which are conditions,
/// which conditions make an action safe, and which step of an instruction each belongs to.
///
/// - Clauses split at sentence ends, line breaks, list markers, ; and :, commas, brackets and
///   dashes, and before connectives ("then", "after that", "but", "however", «затем», «потом»,
///   «после этого», «но», «а», «однако») and condition words ("if", "unless", "when", "once",
///   "as soon as", "after", "until", "before", "in case", «если», «когда», «как только», «после
///   того как», «пока не», «до того как», «в случае»). "and" / «и» splits only before a subject
///   ("and I'll call you", «и я перезвоню»), a condition or a connective; otherwise it stays
///   inside the clause.
/// - Steps: a sentence, line or list item starts a new step, so does "then" / «затем» /
///   «потом» / «после этого», and so does a comma (or ; or a dash) between two instructions
///   ("cancel all three jobs, switch the printer off", «Сохраните всё открытое, перезагрузите
///   ноутбук»). A condition clause belongs to the step of the clause it governs.
/// - A condition governs the main clause it is attached to without punctuation ("I'll reset it
///   as soon as Mark confirms"); otherwise the next main clause of its sentence ("Once Mark
///   confirms, I'll reset it"), else the previous one.
/// - Negation covers its whole clause, before and after the negating words; "without",
///   "instead of", «без», «вместо» cover from the word to the clause end. Idioms and polite
///   forms ("don't worry", «не могли бы вы») negate nothing. Word lists: `ClauseLexicon`.
///
/// Linear in the number of words; one pass to split, one to read each clause.
public enum ClauseReader {
    /// Splits a reply into clauses; `text` is `TextNormalizer.normalize(raw)`.
    public static func clauses(of raw: String, _ text: NormalizedText) -> [Clause] {
        let tokens = text.tokens
        let n = tokens.count
        guard n > 0 else { return [] }
        let table = ClauseLexicon.table

        // 1. Where clauses start, and what starts them.
        struct Start { var index: Int; var stepConnective: Bool; var condition: Bool; var attached: Bool }
        var starts: [Start] = []
        var clauseStart = 0
        var i = 0
        while i < n {
            let brk = tokens[i].breakBefore
            if i == 0 || brk != .none {
                starts.append(Start(index: i, stepConnective: false, condition: false, attached: false))
                clauseStart = i
            }
            if let entry = table.longest(at: i, in: tokens, end: n, where: { $0 != .idiom && $0 != .negator && $0 != .partialNegator }) {
                var isStart = false
                var step = false
                var condition = false
                switch entry.kind {
                case .notConnective:
                    i += entry.words.count
                    continue
                case .stepConnective:
                    if entry.words.count == 1, entry.words[0] == ClauseLexicon.then, i > 0,
                       ClauseLexicon.beforeThenTime.contains(tokens[i - 1].word) {
                        break
                    }
                    isStart = true; step = true
                case .connective:
                    isStart = true
                case .condition:
                    if entry.words.count == 1, entry.words[0] == ClauseLexicon.ifWord, i > 0,
                       ClauseLexicon.embeddedQuestionVerbs.contains(tokens[i - 1].word) {
                        break
                    }
                    isStart = true; condition = true
                default:
                    break
                }
                if isStart {
                    // At the clause start, or after only "and" / "but": the connective joins that
                    // clause. (Checked only here, and a new clause starts otherwise: linear.)
                    let leadingOnly = i - clauseStart <= 3 && (clauseStart..<i).allSatisfy { ClauseLexicon.leading.contains(tokens[$0].word) }
                    if leadingOnly, let last = starts.last, last.index == clauseStart {
                        starts[starts.count - 1].stepConnective = last.stepConnective || step
                        starts[starts.count - 1].condition = last.condition || condition
                    } else {
                        starts.append(Start(index: i, stepConnective: step, condition: condition, attached: true))
                        clauseStart = i
                    }
                    i += entry.words.count
                    continue
                }
            }
            // "and" / «и» before a subject, and "so" before a subject: a new clause.
            let word = tokens[i].word
            if i + 1 < n, i > clauseStart, tokens[i + 1].breakBefore == .none {
                let nextWord = tokens[i + 1].word
                var split = false
                if word == ClauseLexicon.and || word == ClauseLexicon.russianAnd {
                    // … or before a second instruction with its own object: "open the queue and
                    // cancel the jobs", «сохраните всё и перезагрузите ноутбук» (not "save and close
                    // the file", where both verbs share the object).
                    split = ClauseLexicon.subjectsAfterAnd.contains(nextWord)
                        || table.longest(at: i + 1, in: tokens, end: n, where: {
                            $0 == .condition || $0 == .stepConnective || $0 == .connective }) != nil
                        || (i - clauseStart >= 2 && isImperative(clauseStart..<i, tokens)
                            && isImperative((i + 1)..<n, tokens))
                } else if word == ClauseLexicon.so {
                    split = ClauseLexicon.afterSo.contains(nextWord)
                }
                if split {
                    starts.append(Start(index: i, stepConnective: false, condition: false, attached: true))
                    clauseStart = i
                }
            }
            i += 1
        }

        // 2. Each clause: range, source, sentence, negation, condition.
        var clauses: [Clause] = []
        clauses.reserveCapacity(starts.count)
        var attached: [Bool] = []
        var stepConnective: [Bool] = []
        var imperative: [Bool] = []
        var sentence = 0
        for (k, start) in starts.enumerated() {
            let end = k + 1 < starts.count ? starts[k + 1].index : n
            let range = start.index..<end
            if k > 0, tokens[start.index].breakBefore.endsSentence { sentence += 1 }
            var clause = Clause(tokens: range,
                                source: tokens[range.lowerBound].source.lowerBound..<tokens[range.upperBound - 1].source.upperBound,
                                isCondition: start.condition, sentence: sentence)
            readNegation(&clause, raw: raw, tokens: tokens)
            clauses.append(clause)
            attached.append(start.attached && tokens[start.index].breakBefore == .none)
            stepConnective.append(start.stepConnective)
            imperative.append(!start.condition && isImperative(range, tokens))
        }

        // 3. Which main clause each condition governs.
        var governed = [Int?](repeating: nil, count: clauses.count)
        for k in clauses.indices where clauses[k].isCondition {
            let s = clauses[k].sentence
            var previous: Int?
            var j = k - 1
            while j >= 0, clauses[j].sentence == s {
                if !clauses[j].isCondition { previous = j; break }
                j -= 1
            }
            var next: Int?
            j = k + 1
            while j < clauses.count, clauses[j].sentence == s {
                if !clauses[j].isCondition { next = j; break }
                j += 1
            }
            governed[k] = attached[k] && previous != nil ? previous : (next ?? previous)
        }

        // 4. Steps of main clauses, then of conditions.
        var step = 0
        var previousMain: Int?
        for k in clauses.indices {
            if k > 0 {
                let brk = tokens[clauses[k].tokens.lowerBound].breakBefore
                var newStep = brk.endsSentence || stepConnective[k]
                if !newStep, !clauses[k].isCondition, imperative[k], let p = previousMain,
                   clauses[p].sentence == clauses[k].sentence, imperative[p],
                   brk == .comma || brk == .colon || brk == .dash {
                    newStep = true
                }
                if newStep { step += 1 }
            }
            clauses[k].step = step
            if !clauses[k].isCondition { previousMain = k }
        }
        for k in clauses.indices {
            guard let g = governed[k] else { continue }
            clauses[k].step = clauses[g].step
            if clauses[g].safeguard == nil, isSafeguard(clauses[k].tokens, tokens) {
                clauses[g].safeguard = RawText.slice(raw, clauses[k].source)
            }
        }
        return clauses
    }

    /// The clause that token `index` belongs to.
    public static func clause(containing index: Int, in clauses: [Clause]) -> Clause? {
        var low = 0, high = clauses.count
        while low < high {
            let mid = (low + high) / 2
            if clauses[mid].tokens.upperBound <= index { low = mid + 1 } else { high = mid }
        }
        guard low < clauses.count, clauses[low].tokens.contains(index) else { return nil }
        return clauses[low]
    }

    // MARK: - Reading one clause

    static func readNegation(_ clause: inout Clause, raw: String, tokens: [Token]) {
        let table = ClauseLexicon.table
        let end = clause.tokens.upperBound
        var i = clause.tokens.lowerBound
        var partial: (start: Int, words: Int)?
        while i < end {
            guard let entry = table.longest(at: i, in: tokens, end: end, where: {
                $0 == .idiom || $0 == .negator || $0 == .partialNegator }) else { i += 1; continue }
            switch entry.kind {
            case .negator:
                clause.negated = clause.tokens
                clause.negation = RawText.slice(raw, tokens[i].source.lowerBound..<tokens[i + entry.words.count - 1].source.upperBound)
                return
            case .partialNegator:
                if partial == nil { partial = (i, entry.words.count) }
            default:
                break
            }
            i += entry.words.count
        }
        if let partial {
            clause.negated = partial.start..<end
            clause.negation = RawText.slice(raw, tokens[partial.start].source.lowerBound
                                            ..< tokens[partial.start + partial.words - 1].source.upperBound)
        }
    }

    /// Whether the clause starts with an instruction: an English verb from
    /// `ClauseLexicon.imperatives` or a Russian imperative («сохраните», «откройте»).
    static func isImperative(_ range: Range<Int>, _ tokens: [Token]) -> Bool {
        var i = range.lowerBound
        while i < range.upperBound, ClauseLexicon.beforeImperative.contains(tokens[i].word) { i += 1 }
        guard i < range.upperBound else { return false }
        let word = tokens[i].word
        if ClauseLexicon.imperatives.contains(word) { return true }
        guard word.count >= 5, let first = word.first, first >= 0x430, first <= 0x44F else { return false }
        return ClauseLexicon.imperativeEndings.contains { word.count > $0.count && word.suffix($0.count).elementsEqual($0) }
    }

    /// Whether a condition clause asks for a confirmation, verification, identity check or approval.
    static func isSafeguard(_ range: Range<Int>, _ tokens: [Token]) -> Bool {
        for i in range {
            let word = tokens[i].word
            if ClauseLexicon.safeguardWords.contains(word) { return true }
            if ClauseLexicon.safeguardPrefixes.contains(where: { hasPrefix(word, $0) }) { return true }
            if i + 1 < range.upperBound,
               ClauseLexicon.safeguardPairs.contains(where: { $0.0 == word && $0.1 == tokens[i + 1].word }) {
                return true
            }
        }
        return false
    }
}
