import Foundation
import SupportSimCore
@testable import SupportSimStore
import Testing
@testable import SupportSimReport

private let started = Date(timeIntervalSince1970: 1_793_000_000)  // 2026-10-26 07:33:20 UTC

/// Strings a JSON writer gets wrong: every C0 control, quotes, backslashes, DEL and C1 controls,
/// bidi controls, the line and paragraph separators, escape sequences, Cyrillic, wide characters,
/// emoji with joiners, combining marks and a lone slash.
private let nastyStrings: [String] = [
    "", "plain", "quote \" and backslash \\ and slash /", "tab\tnew\nline\rcr\u{08}bs\u{0C}ff",
    String((0..<0x20).map { Character(Unicode.Scalar($0)!) }), "del\u{7F} c1\u{80}\u{85}\u{9B}\u{9F}",
    "bidi \u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}", "ls\u{2028}ps\u{2029}",
    "\u{1B}]8;;https://evil.example\u{07}link\u{1B}]8;;\u{07} \u{1B}[2J", "Стажёр «Ёлкин» — №1", "李雷 😀 👩‍💻",
    "e\u{301}\u{0308}", "=HYPERLINK(\"x\")", "\\u0041 not an escape", "\u{FEFF}bom", "\u{0}nul",
]

private func record(id: Int64, trainee: String, scenario: String = "printer", status: AttemptStatus = .completed,
                    correctness: Int? = 80, total: Int? = 85, passed: Bool? = true) -> AttemptRecord {
    var a = AttemptRecord(
        id: id, trainee: trainee, scenarioID: scenario, scenarioTitle: trainee + " title", language: .ru, mode: .practice,
        seed: UInt64.max - UInt64(id), startedAt: started.addingTimeInterval(Double(id) * 3_600.5),
        endedAt: status == .completed ? started.addingTimeInterval(Double(id) * 3_600.5 + 601.25) : nil,
        status: status, ending: status == .completed ? .resolved : nil, correctness: correctness, politeness: 90,
        escalation: nil, total: total, passMark: 80, passed: passed, criticalCount: 1, turnCount: 4, retries: 2)
    a.finalNode = "done"
    return a
}

/// What the reports wrote before the hand-written writer: `JSONEncoder` with the same settings, then
/// `jsonEscapingControls`.
private func encoderJSON(_ a: AttemptRecord, path: AttemptPath?, audit: AttemptAudit?, pretty: Bool) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    let shown = audit?.latestAutomatic(a) ?? a
    let original = audit?.rescorings.isEmpty == false ? a : nil
    let data = try encoder.encode(AttemptsReport.JSONAttempt(a: shown, path: path, audit: audit, original: original))
    return TerminalText.jsonEscapingControls(String(decoding: data, as: UTF8.self))
}

private func sampleAudit(_ id: Int64, reason: String, by: String) -> AttemptAudit {
    var audit = AttemptAudit()
    audit.overrideHistory = [
        ScoreOverride(id: 1, attemptID: id, category: .known(.politeness), score: 100, reason: "first", by: by, at: started),
        ScoreOverride(id: 2, attemptID: id, category: .known(.politeness), score: 70, reason: reason, by: by, at: started.addingTimeInterval(61)),
        ScoreOverride(id: 3, attemptID: id, category: .known(.correctness), score: 5, reason: reason, by: by, at: started.addingTimeInterval(62)),
    ]
    audit.rescorings = [Rescoring(attemptID: id, at: started, scorerVersion: 2, scenarioVersion: 1, scenarioHash: nil,
                                  correctness: 60, politeness: nil, escalation: 40, spelling: 75, total: 58, passed: false, criticalCount: 0)]
    return audit
}

@Suite("Report: streamed writers")
struct ReportStreamingTests {
    @Test("Given nasty strings in every text field, when an attempt is written by the hand-written JSON writer, then it parses to the same value as JSONEncoder's output and leaves nothing a terminal would act on")
    func jsonWriterMatchesEncoderOnNastyStrings() throws {
        for (i, text) in nastyStrings.enumerated() {
            // Given an attempt whose trainee, scenario, title, path and override carry the string
            var a = record(id: Int64(i + 1), trainee: text, scenario: text)
            a.finalNode = text
            let path = AttemptPath(nodes: ["start", text], finalNode: text)
            let audit = sampleAudit(a.id, reason: text, by: text)
            for pretty in [true, false] {
                // When written both ways
                var bytes = ReportBytes()
                AttemptsReport.appendJSON(audit.latestAutomatic(a), path, audit, a, pretty: pretty, indent: "", to: &bytes)
                let ours = bytes.text
                let theirs = try encoderJSON(a, path: path, audit: audit, pretty: pretty)
                // Then they are the same JSON value
                let parsedOurs = try JSONSerialization.jsonObject(with: Data(ours.utf8)) as? NSDictionary
                let parsedTheirs = try JSONSerialization.jsonObject(with: Data(theirs.utf8)) as? NSDictionary
                #expect(parsedOurs != nil && parsedOurs == parsedTheirs, "\(text.debugDescription)")
                // and byte for byte the same where JSONEncoder leaves nothing raw that we escape
                if !text.unicodeScalars.contains(where: { $0 == "\u{2028}" || $0 == "\u{2029}" }) {
                    #expect(ours == theirs, "\(text.debugDescription)")
                }
                // and no control, bidi or separator character is left raw
                #expect(!ours.unicodeScalars.contains {
                    ($0.value != 0x0A && TerminalText.isNeutralised($0)) || $0 == "\u{2028}" || $0 == "\u{2029}"
                })
                // and it decodes back to the very strings (Foundation's parser drops a byte-order mark
                // inside a string, for both texts alike, so that one is compared above only)
                let decoded = try #require(parsedOurs)
                if text.unicodeScalars.contains("\u{FEFF}") { continue }
                #expect(decoded["trainee"] as? String == text)
                #expect((decoded["path"] as? [String]) == ["start", text])
                #expect(((decoded["overrides"] as? NSDictionary)?["correctness"] as? NSDictionary)?["reason"] as? String == text)
            }
        }
    }

    @Test("Given attempts with and without paths, overrides and rescorings, when streamed as JSON and NDJSON, then the text is byte for byte what JSONEncoder laid out, row by row")
    func streamedJSONLayoutMatchesEncoder() throws {
        // Given
        let plain = record(id: 1, trainee: "ann")
        let open = record(id: 22, trainee: "Иван", status: .abandoned, correctness: nil, total: nil, passed: nil)
        let audited = record(id: 333, trainee: "olga")
        let audit = sampleAudit(333, reason: "checked by hand", by: "lead")
        let rows: [(AttemptRecord, AttemptPath?, AttemptAudit?)] = [
            (plain, AttemptPath(nodes: ["start", "done"], finalNode: "done"), nil), (open, AttemptPath(nodes: [], finalNode: nil), nil),
            (audited, nil, audit),
        ]
        for format in [ReportFormat.json, .ndjson] {
            // When
            var renderer = AttemptRowRenderer(format)
            var ours = renderer.header()
            for (a, path, audit) in rows { ours += renderer.row(a, path: path, audit: audit) }
            ours += renderer.footer()
            // Then: the old streaming layout (each object encoded alone, its lines indented into the array)
            var theirs = ""
            for (i, (a, path, audit)) in rows.enumerated() {
                let object = try encoderJSON(a, path: path, audit: audit, pretty: format == .json)
                if format == .ndjson {
                    theirs += object + "\n"
                } else {
                    theirs += (i == 0 ? "[\n" : ",\n") + object.split(separator: "\n", omittingEmptySubsequences: false)
                        .map { "  " + $0 }.joined(separator: "\n")
                }
            }
            if format == .json { theirs += "\n]\n" }
            #expect(ours == theirs)
        }
        var empty = AttemptRowRenderer(.json)
        #expect(empty.header() + empty.footer() == "[]\n")
        _ = empty.row(plain)
    }

    @Test("Given moments from 1970 to 9999 with milliseconds, when formatted for reports, then the arithmetic UTC fields agree with the Gregorian calendar")
    func datesAgreeWithCalendar() {
        var random = SystemRandomNumberGenerator()
        var moments: [Date] = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 951_782_400),  // 2000-02-29
                               Date(timeIntervalSince1970: 253_402_300_799.999), started]
        for _ in 0..<2_000 {
            let ms = Double(Int.random(in: 0..<253_402_300_800_000, using: &random)) / 1000
            moments.append(Date(timeIntervalSince1970: ms))
        }
        for date in moments {
            let c = AttemptsReport.utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
            #expect(AttemptsReport.isoDate(date) == expected)
            #expect(AttemptsReport.tableDate(date) == String(expected.prefix(16)).replacingOccurrences(of: "T", with: " "))
            #expect(AttemptsReport.tableDate(date, short: true) == String(expected.prefix(10)))
        }
        // Before 1970 the calendar is asked, as before.
        let old = Date(timeIntervalSince1970: -86_400 * 365)
        #expect(AttemptsReport.isoDate(old) == "1969-01-01T00:00:00Z")
    }

    @Test("Given text cells that are plain, formula-like, quoted, Cyrillic or hold controls, when written as CSV, then each is guarded and quoted as the slow path does")
    func csvTextCellsMatchTheGuardedPath() {
        for text in nastyStrings + ["-5", "+1", "@x", " =1", "a,b", "O'Neil", "ok"] {
            var fast = ""
            AttemptsReport.appendCSVText(text, to: &fast)
            #expect(fast == AttemptsReport.csvQuote(AttemptsReport.formulaGuard(TerminalText.sanitize(text))), "\(text.debugDescription)")
        }
    }

    @Test("Given a store with overrides, a rescoring, Cyrillic and long names and an unknown status, when the table is streamed from the store, then it is byte for byte the table rendered from all attempts at once")
    func streamedTableMatchesWholeTable() throws {
        // Given
        let database = try AttemptDatabase.inMemory()
        let names = ["ann", "Иван Петрович Сидоров-Длинноимённый", "李雷", "trainee-with-a-rather-long-login-name"]
        var ids: [Int64] = []
        for (i, name) in names.enumerated() {
            let id = try database.startAttempt(NewAttempt(
                trainee: name, scenarioID: i % 2 == 0 ? "printer-before-board-meeting" : "vpn", scenarioTitle: "t",
                language: .en, mode: i == 3 ? .exam : .practice, seed: 1, startedAt: started.addingTimeInterval(Double(i) * 86_400)))
            ids.append(id)
        }
        try database.addOverride(attemptID: ids[1], category: .politeness, score: 100, reason: "kind", by: "lead", at: started)
        try database.recordRescore(attemptID: ids[2], card: nil, scenarioVersion: 1, scenarioHash: nil, at: started)
        try database.writer.write { db in
            try db.execute(sql: "UPDATE attempt SET status = 'paused-by-a-newer-version' WHERE id = ?", arguments: [ids[3]])
        }
        let audit = try database.audit(attemptIDs: try database.auditedAttemptIDs())
        for language in [Language.en, .ru] {
            for color in [false, true] {
                // When streamed
                var renderer: AttemptTableRenderer?
                var streamed = ""
                try database.forEachAttemptForTable(AttemptFilter(), facts: { facts in
                    renderer = AttemptTableRenderer(facts: facts, audit: audit, language: language, color: color)
                    streamed = renderer!.header()
                }) { row in renderer!.append(row.record, to: &streamed) }
                streamed += renderer!.footer()
                // Then it is the whole table
                let whole = AttemptsReport(attempts: try database.attempts(), audit: audit).render(.table, language: language, color: color)
                #expect(streamed == whole)
                #expect(streamed.contains("→100"))
            }
        }
        // And a selection that matches nothing says so
        var renderer: AttemptTableRenderer?
        try database.forEachAttemptForTable(AttemptFilter(trainee: "nobody"), facts: {
            renderer = AttemptTableRenderer(facts: $0, audit: audit, language: .en, color: false)
        }) { _ in }
        #expect(renderer!.header() + renderer!.footer() == AttemptsReport(attempts: []).render(.table))
    }
}
