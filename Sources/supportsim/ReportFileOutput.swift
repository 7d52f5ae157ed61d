import Foundation
import SupportSimCore
import SupportSimReport
import SupportSimStore

/// Where `supportsim report` writes: standard output, or the file given with `--output` (written
/// beside it first and moved in place when complete, so a failed run leaves no half-written file).
/// The HTML report is streamed: its table rows go out as they are made.
enum ReportFileOutput {
    /// Writes `text` as it is to `output`, or to standard output when nil.
    static func emit(_ text: String, to output: String?) throws {
        let sink = try Output(output)
        sink.write(text)
        try sink.finish()
    }

    /// `report --format html`: the attempts matching `filter`, their charts and their weakest skills.
    static func writeHTML(databasePath path: String, filter: AttemptFilter, language: Language, output: String?,
                          filters: [(String, String)]) throws {
        let database = try StoreAccess.openForReading(path)
        let skills = try database?.weakestSkills(filter, limit: HTMLReport.maxWeakSkills) ?? []
        // One pass for the figures, then the rows of each mode's table as they are read: memory does
        // not grow with the number of attempts.
        // Rows as stored: the page shows the latest automatic scores after a rescoring (as the table
        // does), with the scores as played beside those a rescoring changed.
        let audit = try database.map { try $0.audit(attemptIDs: try $0.auditedAttemptIDs()) } ?? [:]
        var report = HTMLReport(skills: skills, audit: audit, language: language, generatedAt: Date(), filters: filters)
        try database?.forEachAttempt(filter, order: .newestFirst, includePaths: false) { report.add($0.record) }
        let sink = try Output(output)
        try report.write({ sink.write($0) }, rows: { mode, body in
            try database?.forEachAttempt(filter, order: .newestFirst, includePaths: false) { row in
                if row.record.mode.rawValue == mode { body(row.record) }
            }
        })
        try sink.finish()
        if let output {
            let shown = TerminalText.sanitize(output, keepNewlines: false)
            FileHandle.standardError.write(Data((language == .ru ? "Отчёт записан: \(shown)\n" : "Wrote \(shown)\n").utf8))
        }
    }

    /// A `TextSink` on standard output, or on `FILE.partial-PID` that `finish` moves to FILE.
    final class Output {
        private let sink: TextSink
        private let output: String?
        private let partial: String?

        init(_ output: String?) throws {
            self.output = output
            if let output {
                let partial = output + ".partial-\(getpid())"
                do {
                    sink = try TextSink(path: partial)
                } catch {
                    throw UserError("cannot write the report to \(output): the folder is missing or not writable")
                }
                self.partial = partial
            } else {
                sink = TextSink(); partial = nil
            }
        }

        func write(_ text: String) { sink.write(text) }
        func write(_ bytes: [UInt8]) { sink.write(bytes) }

        func finish() throws {
            do {
                try sink.finish()
            } catch {
                if let partial { try? FileManager.default.removeItem(atPath: partial) }
                throw error
            }
            guard let output, let partial else { return }
            guard rename(partial, output) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(atPath: partial)
                throw UserError("cannot write the report to \(output): \(reason)")
            }
        }
    }
}

extension ReportCommand {
    /// The filters in force, for the HTML report's header (in the report's language).
    var filterLabels: [(String, String)] {
        let ru = store.language == .ru
        var labels: [(String, String)] = []
        if let trainee = filters.trainee { labels.append((ru ? "Стажёр" : "Trainee", trainee)) }
        if let scenario = filters.scenario { labels.append((ru ? "Сценарий" : "Scenario", scenario)) }
        if let tag = filters.tag { labels.append((ru ? "Тег" : "Tag", tag)) }
        if let line = filters.line { labels.append((ru ? "Линия" : "Line", line.rawValue)) }
        if let since = filters.since { labels.append((ru ? "С" : "Since", since)) }
        if let until = filters.until { labels.append((ru ? "По" : "Until", until)) }
        if let mode = filters.mode { labels.append((ru ? "Режим" : "Mode", mode.rawValue)) }
        if let status = filters.status { labels.append((ru ? "Статус" : "Status", status.rawValue)) }
        return labels
    }
}
