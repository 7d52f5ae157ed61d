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
    private let encoder = JSONEncoder()
    private var rows = 0

    /// - Precondition: `format` is not `.table` (a table needs every row to size its columns) nor
    ///   `.html` (the page is `HTMLReport`).
    public init(_ format: ReportFormat) {
        precondition(format != .table && format != .html, "a table or a page cannot be streamed row by row")
        self.format = format
        encoder.outputFormatting = format == .json
            ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
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
        defer { rows += 1 }
        let attempt = audit?.latestAutomatic(stored) ?? stored
        let original = audit?.rescorings.isEmpty == false ? stored : nil
        switch format {
        case .csv:
            return AttemptsReport.csvRow(attempt, audit: audit) + "\r\n"
        case .table, .ndjson, .html:
            return encoded(attempt, path, audit, original) + "\n"
        case .json:
            // Each object is indented into the array as JSONEncoder lays out a whole array (strings in
            // JSON hold no raw line break, so indenting every line is safe).
            let object = encoded(attempt, path, audit, original).split(separator: "\n", omittingEmptySubsequences: false)
                .map { "  " + $0 }.joined(separator: "\n")
            return (rows == 0 ? "[\n" : ",\n") + object
        }
    }

    /// What comes after the last row.
    public func footer() -> String {
        switch format {
        case .json: rows == 0 ? "[]\n" : "\n]\n"
        case .table, .csv, .ndjson, .html: ""
        }
    }

    private func encoded(_ attempt: AttemptRecord, _ path: AttemptPath?, _ audit: AttemptAudit?, _ original: AttemptRecord?) -> String {
        // Encoding strings, numbers and booleans cannot fail.
        let data = (try? encoder.encode(AttemptsReport.JSONAttempt(a: attempt, path: path, audit: audit, original: original)))
            ?? Data("{}".utf8)
        // JSONEncoder leaves DEL and C1 controls raw: escape them so the output is safe on a terminal.
        return TerminalText.jsonEscapingControls(String(decoding: data, as: UTF8.self))
    }
}

extension AttemptsReport {
    /// The whole text of a streamed format for the attempts given (tests, small lists).
    static func stream(_ format: ReportFormat, _ attempts: [(AttemptRecord, AttemptPath?)]) -> String {
        var renderer = AttemptRowRenderer(format)
        var out = renderer.header()
        for (attempt, path) in attempts { out += renderer.row(attempt, path: path) }
        return out + renderer.footer()
    }
}
