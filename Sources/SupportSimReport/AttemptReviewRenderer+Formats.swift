import Foundation
import SupportSimCore
import SupportSimREPL
import SupportSimStore

// The JSON and HTML forms of `supportsim show`. The JSON shape is documented in docs/reports.md;
// keys only ever get added (`format_version` says which shape it is).

extension AttemptReviewRenderer {
    /// The version of the JSON shape; raised only when a key changes meaning or goes away.
    public static let jsonFormatVersion = 1

    // MARK: - JSON

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(JSONReview(review: review))) ?? Data("{}".utf8)
        return TerminalText.jsonEscapingControls(String(decoding: data, as: UTF8.self)) + "\n"
    }

    private struct JSONReview: Encodable {
        let review: AttemptReview
        enum Key: String, CodingKey {
            case format_version, attempt, result, path, opening, turns, model_answers, missing, rescoring
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            let a = review.attempt
            try c.encode(AttemptReviewRenderer.jsonFormatVersion, forKey: .format_version)
            try c.encode(JSONAttempt(a: a), forKey: .attempt)
            try c.encode(JSONResult(review: review), forKey: .result)
            try c.encode(JSONPath(path: review.path), forKey: .path)
            try c.encode(review.opening, forKey: .opening)
            try c.encode(review.turns.map(JSONTurn.init), forKey: .turns)
            try c.encode(review.modelAnswers.map(JSONEvidence.init), forKey: .model_answers)
            try c.encode(review.missing.map(\.rawValue), forKey: .missing)
            try c.encode(review.audit?.rescorings.last.map { JSONRescoring(latest: $0, count: review.audit?.rescorings.count ?? 1,
                                                                         original: review.originalScores) },
                         forKey: .rescoring)
        }
    }

    /// The latest rescoring (`null` when never rescored): when, scorer and scenario versions, how many
    /// rescorings, and the total and result as played (the category scores as played are each
    /// category's `original_score`).
    private struct JSONRescoring: Encodable {
        let latest: Rescoring
        let count: Int
        let original: AttemptRecord?
        enum Key: String, CodingKey { case at, scorer_version, scenario_version, scenario_hash, count, original_total, original_passed }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(AttemptsReport.isoDate(latest.at), forKey: .at)
            try c.encode(latest.scorerVersion, forKey: .scorer_version)
            try c.encode(latest.scenarioVersion, forKey: .scenario_version)
            try c.encode(latest.scenarioHash, forKey: .scenario_hash)
            try c.encode(count, forKey: .count)
            try c.encode(original.flatMap { $0.status == .completed ? $0.total : nil }, forKey: .original_total)
            try c.encode(original.flatMap { $0.status == .completed ? $0.passed : nil }, forKey: .original_passed)
        }
    }

    private struct JSONAttempt: Encodable {
        let a: AttemptRecord
        enum Key: String, CodingKey {
            case id, trainee, scenario_id, scenario_title, scenario_version, language, interface_language, mode, seed,
                started_at, ended_at, status, ending, retries
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(a.id, forKey: .id)
            try c.encode(a.trainee, forKey: .trainee)
            try c.encode(a.scenarioID, forKey: .scenario_id)
            try c.encode(a.scenarioTitle, forKey: .scenario_title)
            try c.encode(a.scenarioVersion, forKey: .scenario_version)
            try c.encode(a.language.rawValue, forKey: .language)
            try c.encode(a.interfaceLanguage?.rawValue, forKey: .interface_language)
            try c.encode(a.mode.rawValue, forKey: .mode)
            try c.encode(a.seed, forKey: .seed)
            try c.encode(AttemptsReport.isoDate(a.startedAt), forKey: .started_at)
            try c.encode(a.endedAt.map(AttemptsReport.isoDate), forKey: .ended_at)
            try c.encode(a.status.rawValue, forKey: .status)
            try c.encode(a.ending?.rawValue, forKey: .ending)
            try c.encode(a.retries, forKey: .retries)
        }
    }

    private struct JSONResult: Encodable {
        let review: AttemptReview
        enum Key: String, CodingKey { case abandoned, total, pass_mark, passed, categories, critical }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(review.isAbandoned, forKey: .abandoned)
            try c.encode(review.total, forKey: .total)
            try c.encode(review.attempt.passMark, forKey: .pass_mark)
            try c.encode(review.passed, forKey: .passed)
            try c.encode(review.categories.map { JSONCategory(entry: $0, review: review) }, forKey: .categories)
            try c.encode(review.critical.map(JSONEvidence.init), forKey: .critical)
        }
    }

    private struct JSONCategory: Encodable {
        let entry: AttemptReview.CategoryEntry
        var review: AttemptReview? = nil
        enum Key: String, CodingKey { case category, score, evidence, override, original_score }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(entry.category.rawValue, forKey: .category)
            try c.encode(entry.score, forKey: .score)
            let known = entry.category.known
            let o = known.flatMap { review?.audit?.override($0) }
            try c.encode(o.map { AttemptsReport.OverrideJSON(score: $0.score, by: $0.by, reason: $0.reason,
                                                             at: AttemptsReport.isoDate($0.at),
                                                             history: review?.audit?.overrideHistory.filter { h in h.category.rawValue == entry.category.rawValue }.count ?? 1) },
                         forKey: .override)
            // null when the attempt was never rescored (keys are never absent).
            try c.encode(known.flatMap { review?.originalScores?.score($0) }, forKey: .original_score)
            try c.encode(entry.annotations.map(JSONEvidence.init), forKey: .evidence)
        }
    }

    private struct JSONEvidence: Encodable {
        let a: AttemptReview.Annotation
        enum Key: String, CodingKey {
            case category, kind, rule, message, points, scenario_points, scenario_points_possible, turn, quote, spans,
                model_answer
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(a.category?.rawValue, forKey: .category)
            try c.encode(a.kind.rawValue, forKey: .kind)
            try c.encode(a.rule, forKey: .rule)
            try c.encode(a.message, forKey: .message)
            try c.encode(a.points, forKey: .points)
            try c.encode(a.scale?.written, forKey: .scenario_points)
            try c.encode(a.scale?.possible, forKey: .scenario_points_possible)
            try c.encode(a.turn, forKey: .turn)
            try c.encode(a.quote, forKey: .quote)
            try c.encode(a.spans, forKey: .spans)
            try c.encode(a.modelAnswer, forKey: .model_answer)
        }
    }

    private struct JSONPath: Encodable {
        let path: AttemptPath
        enum Key: String, CodingKey { case nodes, final_node }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(path.nodes, forKey: .nodes)
            try c.encode(path.finalNode, forKey: .final_node)
        }
    }

    private struct JSONTurn: Encodable {
        let t: AttemptReview.TurnEntry
        enum Key: String, CodingKey {
            case index, number, retracted, text, command, node_before, node_after, mood_before, elapsed, customer,
                notes, evidence
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(t.index, forKey: .index)
            try c.encode(t.number, forKey: .number)
            try c.encode(t.retracted, forKey: .retracted)
            try c.encode(t.text, forKey: .text)
            try c.encode(t.command, forKey: .command)
            try c.encode(t.nodeBefore, forKey: .node_before)
            try c.encode(t.nodeAfter, forKey: .node_after)
            try c.encode(t.moodBefore.name, forKey: .mood_before)
            try c.encode(t.elapsed, forKey: .elapsed)
            try c.encode(t.customerLines, forKey: .customer)
            try c.encode(t.notes.map(JSONNote.init), forKey: .notes)
            try c.encode(t.annotations.map(JSONEvidence.init), forKey: .evidence)
        }
    }

    /// `{"type": "...", ...}`: mood_changed (from, to), demands_manager, escalated (target, note,
    /// accepted), closed_early, hint (text or null), knowledge_base (titles), choices (items),
    /// rejected (reason), no_match, clarify, wrong_fact (fact, value), ended (ending).
    private struct JSONNote: Encodable {
        let n: AttemptReview.Note
        enum Key: String, CodingKey { case type, from, to, target, note, accepted, text, titles, items, reason, fact, value, ending }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            switch n {
            case .moodChanged(let from, let to):
                try c.encode("mood_changed", forKey: .type)
                try c.encode(from.name, forKey: .from); try c.encode(to.name, forKey: .to)
            case .demandsManager: try c.encode("demands_manager", forKey: .type)
            case .escalated(let target, let note, let accepted):
                try c.encode("escalated", forKey: .type)
                try c.encode(target, forKey: .target); try c.encode(note, forKey: .note); try c.encode(accepted, forKey: .accepted)
            case .referred(let target, let note, let accepted):
                try c.encode("referred", forKey: .type)
                try c.encode(target, forKey: .target); try c.encode(note, forKey: .note); try c.encode(accepted, forKey: .accepted)
            case .closedEarly: try c.encode("closed_early", forKey: .type)
            case .hint(let text): try c.encode("hint", forKey: .type); try c.encode(text, forKey: .text)
            case .knowledgeBase(let titles): try c.encode("knowledge_base", forKey: .type); try c.encode(titles, forKey: .titles)
            case .choices(let items): try c.encode("choices", forKey: .type); try c.encode(items, forKey: .items)
            case .rejected(let reason): try c.encode("rejected", forKey: .type); try c.encode(reason, forKey: .reason)
            case .noMatch: try c.encode("no_match", forKey: .type)
            case .clarify: try c.encode("clarify", forKey: .type)
            case .wrongFact(let fact, let value):
                try c.encode("wrong_fact", forKey: .type); try c.encode(fact, forKey: .fact); try c.encode(value, forKey: .value)
            case .ended(let ending): try c.encode("ended", forKey: .type); try c.encode(ending.rawValue, forKey: .ending)
            }
        }
    }

    // MARK: - HTML

    /// Sanitised (no control or escape sequences survive) and escaped for HTML.
    static func h(_ s: String) -> String { HTMLEscape.escape(TerminalText.sanitize(s)) }

    func html() -> String {
        let a = review.attempt
        let lang = language == .ru ? "ru" : "en"
        var b = """
            <!DOCTYPE html>
            <html lang="\(lang)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.h(words.attemptTitle(a.id) + " — " + a.scenarioTitle))</title>
            <style>\(Self.css)</style>
            </head>
            <body>
            <h1>\(Self.h(words.attemptTitle(a.id) + " — " + a.scenarioTitle))</h1>
            <table class="facts">

            """
        func row(_ label: String, _ value: String) {
            b += "<tr><th>\(Self.h(label))</th><td>\(Self.h(value))</td></tr>\n"
        }
        row(words.trainee, a.trainee)
        row(words.scenario, words.scenarioLine(a.scenarioID, version: a.scenarioVersion, language: a.language.rawValue))
        row(words.mode, words.mode(a.mode) + " · " + words.seed(a.seed))
        row(words.started, words.startedLine(a.startedAt, endedAt: a.endedAt))
        row(words.status, words.statusLine(a, strings: strings))
        b += "<tr><th>\(Self.h(words.result))</th><td class=\"\(resultClass)\">\(Self.h(resultLine()))</td></tr>\n"
        if let rescored = rescoringLine() { b += "<tr class=\"rescored\"><th>\(Self.h(words.rescored))</th><td>\(Self.h(rescored))</td></tr>\n" }
        row(words.path, pathLine())
        b += "</table>\n"
        for m in review.missing { b += "<p class=\"missing\">\(Self.h(words.missing(m, scenarioID: a.scenarioID)))</p>\n" }

        b += "<h2>\(Self.h(words.conversation))</h2>\n<ol class=\"conversation\">\n"
        if let opening = review.opening {
            for line in opening {
                b += "<li class=\"customer\"><b>\(Self.h(words.customer))</b> \(Self.h(line))</li>\n"
            }
        } else {
            b += "<li class=\"note\">\(Self.h(words.openingUnknown))</li>\n"
        }
        for turn in review.turns { b += htmlTurn(turn) }
        b += "</ol>\n"

        b += "<h2>\(Self.h(words.scores))</h2>\n<table class=\"scores\">\n"
        for c in review.categories {
            var score = c.score.map(String.init) ?? "—"
            if review.isAbandoned, c.score != nil { score += " " + words.soFar }
            let width = min(100, max(0, c.score ?? 0))
            b += "<tr><th>\(Self.h(categoryName(c.category)))</th><td class=\"num\">\(Self.h(score))</td>"
                + "<td><span class=\"bar\"><span style=\"width:\(width)%\"></span></span></td></tr>\n"
            for note in auditNotes(c) {
                b += "<tr class=\"override\"><td></td><td colspan=\"2\">\(Self.h(note))</td></tr>\n"
            }
            for d in c.annotations where d.isLoss {
                b += "<tr class=\"loss\"><td></td><td colspan=\"2\">\(Self.h(EvidenceText.deductionLine(evidence(d), strings: strings)))</td></tr>\n"
            }
        }
        b += "</table>\n"
        for c in review.critical {
            var text = strings.criticalError(c.message)
            if let turn = c.turn { text += " (" + strings.turn(turn) + ")" }
            b += "<p class=\"critical\">\(Self.h(text))</p>\n"
        }
        b += "<p class=\"total \(resultClass)\">\(Self.h(resultLine()))</p>\n"

        let answers = review.modelAnswers
        if !answers.isEmpty {
            b += "<h2>\(Self.h(words.modelAnswersTitle))</h2>\n<ul class=\"answers\">\n"
            for d in answers {
                let head = (d.turn.map { strings.turn($0) + ": " } ?? "") + d.message
                b += "<li>\(Self.h(head))<br><span class=\"label\">\(Self.h(strings.modelAnswer))</span> "
                    + "<q>\(Self.h(d.modelAnswer ?? ""))</q></li>\n"
            }
            b += "</ul>\n"
        }
        b += "</body>\n</html>\n"
        return b
    }

    private var resultClass: String {
        if review.isAbandoned { return "abandoned" }
        guard let passed = review.passed else { return "unknown" }
        return passed ? "passed" : "failed"
    }

    private func htmlTurn(_ turn: AttemptReview.TurnEntry) -> String {
        var b = "<li class=\"turn\(turn.retracted ? " retracted" : "")\">\n"
        var head = turn.number.map { "\($0)" } ?? (turn.retracted ? "×" : "·")
        head += " · " + turn.nodeBefore
        if let after = turn.nodeAfter, after != turn.nodeBefore { head += " → " + after }
        head += " · " + strings.mood(turn.moodBefore) + " · " + words.elapsed(turn.elapsed)
        if turn.retracted { head += " · " + words.retracted }
        b += "<div class=\"head\">\(Self.h(head))</div>\n"
        let reply = AttemptReview.highlight(turn.text, spans: turn.annotations.flatMap(\.spans)).map { piece in
            piece.marked ? "<mark>" + Self.h(piece.text) + "</mark>" : Self.h(piece.text)
        }.joined()
        let who = turn.command == nil ? words.you : words.action
        b += "<p class=\"trainee\"><b>\(Self.h(who))</b> \(reply)</p>\n"
        if !turn.annotations.isEmpty {
            b += "<ul class=\"events\">\n"
            for a in turn.annotations {
                let cls = a.kind.known.map { $0.rawValue } ?? "unknown"
                b += "<li class=\"\(cls)\">\(Self.h(annotationLine(a)))"
                if a.isLoss, let answer = a.modelAnswer, !answer.isEmpty {
                    b += "<br><span class=\"label\">\(Self.h(strings.modelAnswer))</span> <q>\(Self.h(answer))</q>"
                }
                b += "</li>\n"
            }
            b += "</ul>\n"
        }
        for line in turn.customerLines {
            b += "<p class=\"customer\"><b>\(Self.h(words.customer))</b> \(Self.h(line))</p>\n"
        }
        for note in turn.notes {
            if let n = noteText(note) { b += "<p class=\"note\">\(Self.h(n))</p>\n" }
        }
        return b + "</li>\n"
    }

    static let css = """
        body{font:15px/1.45 system-ui,sans-serif;max-width:52em;margin:2em auto;padding:0 1em;color:#222}
        h1{font-size:1.4em}h2{font-size:1.15em;border-bottom:1px solid #ccc;margin-top:1.6em}
        tr.rescored td{color:#555}
        table.facts th{text-align:left;padding-right:1em;color:#555;font-weight:normal;vertical-align:top}
        ol.conversation{list-style:none;padding:0}
        li.turn{border-left:3px solid #8ab;padding:.2em .8em;margin:.8em 0}
        li.turn.retracted{border-color:#bbb;color:#888}
        li.turn.retracted p.trainee{text-decoration:line-through}
        .head{font-size:.85em;color:#666}
        p{margin:.3em 0}p.note{font-size:.9em;color:#555}
        p.customer b,li.customer b{color:#046}p.trainee b{color:#640}
        mark{background:#fe8;padding:0 .1em}
        ul.events{margin:.2em 0 .4em;padding-left:1.2em;font-size:.9em}
        li.credit{color:#174}li.deduction{color:#a40}li.critical{color:#b00;font-weight:bold}
        .label{color:#555}q{font-style:italic}
        .num{text-align:right;padding:0 .6em}
        .bar{display:inline-block;width:10em;height:.7em;background:#eee}
        .bar span{display:block;height:100%;background:#6a8}
        tr.loss td{font-size:.9em;color:#a40}
        .passed{color:#174;font-weight:bold}.failed{color:#b00;font-weight:bold}.abandoned{color:#777;font-weight:bold}
        p.critical{color:#b00}p.missing{background:#fff6d8;padding:.4em .6em}
        """
}
