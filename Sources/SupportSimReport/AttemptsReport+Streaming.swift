import Foundation
import SupportSimCore
import SupportSimStore

/// Renders attempts one at a time as CSV, JSON or NDJSON, so a report of any size is written as it
/// is read from the database, without building the whole text. Pure: values in, text out.
///
/// Use `header`, then `row` for each attempt, then `footer`, writing each piece as it comes. The
/// pieces joined are what `AttemptsReport.render` gives for the same attempts (JSON is laid out the
/// same way; the empty JSON array is `[]`).
public struct AttemptRowRenderer {
    public let format: ReportFormat
    private var rows = 0

    /// - Precondition: `format` is not `.table` (see `AttemptTableRenderer`) nor `.html` (the page
    ///   is `HTMLReport`).
    public init(_ format: ReportFormat) {
        precondition(format != .table && format != .html, "a table or a page cannot be streamed row by row")
        self.format = format
    }

    /// What comes before the first row: the byte-order mark and header line (CSV), `[` (JSON).
    public func header() -> String {
        switch format {
        case .csv: "\u{FEFF}" + AttemptsReport.csvHeader.joined(separator: ",") + "\r\n"
        case .table, .json, .ndjson, .html: ""
        }
    }

    /// One attempt, with what separates it from the previous one. With `audit`, the scores are the
    /// latest automatic ones (after a rescoring), and JSON carries the overrides and the original scores,
    /// as `AttemptsReport` does.
    public mutating func row(_ stored: AttemptRecord, path: AttemptPath? = nil, audit: AttemptAudit? = nil) -> String {
        var out = ReportBytes()
        append(stored, path: path, audit: audit, to: &out)
        return out.text
    }

    /// `row`, appended to `out` (so that a caller can gather many rows into one large write).
    public mutating func append(_ stored: AttemptRecord, path: AttemptPath? = nil, audit: AttemptAudit? = nil,
                                to out: inout ReportBytes) {
        defer { rows += 1 }
        let attempt = audit?.latestAutomatic(stored) ?? stored
        let original = audit?.rescorings.isEmpty == false ? stored : nil
        switch format {
        case .csv:
            AttemptsReport.appendCSVRow(attempt, audit: audit, to: &out)
            out.append("\r\n")
        case .table, .ndjson, .html:
            AttemptsReport.appendJSON(attempt, path, audit, original, pretty: false, indent: "", to: &out)
            out.append("\n")
        case .json:
            // Each object is indented into the array as JSONEncoder lays out a whole array, every
            // line (an empty one too) two spaces in.
            out.append(rows == 0 ? "[\n  " : ",\n  ")
            AttemptsReport.appendJSON(attempt, path, audit, original, pretty: true, indent: "  ", to: &out)
        }
    }

    /// What comes after the last row.
    public func footer() -> String {
        switch format {
        case .json: rows == 0 ? "[]\n" : "\n]\n"
        case .table, .csv, .ndjson, .html: ""
        }
    }
}

extension AttemptsReport {
    /// One attempt as a JSON object, keys sorted, as `JSONAttempt` encodes it (then escaped by
    /// `TerminalText.jsonEscapingControls`), written by hand (see `JSONText`).
    static func appendJSON(_ a: AttemptRecord, _ path: AttemptPath?, _ audit: AttemptAudit?, _ original: AttemptRecord?,
                           pretty: Bool, indent: String, to out: inout ReportBytes) {
        var w = JSONObjectWriter(pretty: pretty, baseIndent: indent)
        w.open(UInt8(ascii: "{"), &out)
        w.key("correctness", &out); JSONText.appendInt(a.correctness, to: &out)
        w.key("critical_count", &out); JSONText.appendInt(a.criticalCount, to: &out)
        w.key("ended_at", &out)
        if let ended = a.endedAt { out.append("\""); appendISODate(ended, to: &out); out.append("\"") } else { out.append("null") }
        w.key("ending", &out); JSONText.appendString(a.ending?.rawValue, to: &out)
        w.key("escalation", &out); JSONText.appendInt(a.escalation, to: &out)
        w.key("final_node", &out); JSONText.appendString(path?.finalNode ?? a.finalNode, to: &out)
        w.key("id", &out); JSONText.appendInt(a.id, to: &out)
        w.key("language", &out); JSONText.appendString(a.language.rawValue, to: &out)
        w.key("mode", &out); JSONText.appendString(a.mode.rawValue, to: &out)
        w.key("original_scores", &out)
        if let original {
            w.open(UInt8(ascii: "{"), &out)
            w.key("correctness", &out); JSONText.appendInt(original.correctness, to: &out)
            w.key("escalation", &out); JSONText.appendInt(original.escalation, to: &out)
            w.key("passed", &out); JSONText.appendBool(original.passed, to: &out)
            w.key("politeness", &out); JSONText.appendInt(original.politeness, to: &out)
            w.key("spelling", &out); JSONText.appendInt(original.spelling, to: &out)
            w.key("total", &out); JSONText.appendInt(countedTotal(original), to: &out)
            w.close(UInt8(ascii: "}"), &out)
        } else {
            out.append("null")
        }
        w.key("overrides", &out)
        w.open(UInt8(ascii: "{"), &out)
        if let audit, !audit.overrideHistory.isEmpty {
            // Category names sorted (correctness, escalation, politeness, spelling).
            for category in Category.allCases.sorted(by: { $0.rawValue < $1.rawValue }) {
                guard let o = audit.override(category) else { continue }
                w.key(text: category.rawValue, &out)
                w.open(UInt8(ascii: "{"), &out)
                w.key("at", &out); out.append("\""); appendISODate(o.at, to: &out); out.append("\"")
                w.key("by", &out); JSONText.appendString(o.by, to: &out)
                w.key("history", &out)
                JSONText.appendInt(audit.overrideHistory.reduce(0) { $0 + ($1.category == category ? 1 : 0) }, to: &out)
                w.key("reason", &out); JSONText.appendString(o.reason, to: &out)
                w.key("score", &out); JSONText.appendInt(o.score, to: &out)
                w.close(UInt8(ascii: "}"), &out)
            }
        }
        w.close(UInt8(ascii: "}"), &out)
        w.key("pass_mark", &out); JSONText.appendInt(a.passMark, to: &out)
        w.key("passed", &out); JSONText.appendBool(a.passed, to: &out)
        w.key("path", &out)
        if let nodes = path?.nodes {
            w.open(UInt8(ascii: "["), &out)
            for node in nodes { w.element(&out); JSONText.appendString(node, to: &out) }
            w.close(UInt8(ascii: "]"), &out)
        } else {
            out.append("null")
        }
        w.key("politeness", &out); JSONText.appendInt(a.politeness, to: &out)
        w.key("retries", &out); JSONText.appendInt(a.retries, to: &out)
        w.key("scenario_id", &out); JSONText.appendString(a.scenarioID, to: &out)
        w.key("scenario_title", &out); JSONText.appendString(a.scenarioTitle, to: &out)
        w.key("scenario_version", &out); JSONText.appendInt(a.scenarioVersion, to: &out)
        w.key("seed", &out); JSONText.appendInt(a.seed, to: &out)
        w.key("started_at", &out); out.append("\""); appendISODate(a.startedAt, to: &out); out.append("\"")
        w.key("status", &out); JSONText.appendString(a.status.rawValue, to: &out)
        w.key("total", &out); JSONText.appendInt(countedTotal(a), to: &out)
        w.key("trainee", &out); JSONText.appendString(a.trainee, to: &out)
        w.key("turns", &out); JSONText.appendInt(a.turnCount, to: &out)
        w.close(UInt8(ascii: "}"), &out)
    }
}

extension AttemptsReport {
    /// The whole text of a streamed format for the attempts given (tests, small lists).
    static func stream(_ format: ReportFormat, _ attempts: [(AttemptRecord, AttemptPath?)]) -> String {
        var renderer = AttemptRowRenderer(format)
        var out = ReportBytes()
        out.append(renderer.header())
        for (attempt, path) in attempts { renderer.append(attempt, path: path, to: &out) }
        out.append(renderer.footer())
        return out.text
    }
}
