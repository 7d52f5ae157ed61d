import Foundation
import SupportSimCore
import SupportSimReport
import SupportSimStore

/// Where `supportsim report` writes: standard output, or the file given with `--output` (written
/// beside it first and moved in place when complete, so a failed run leaves no half-written file).
/// The HTML report is streamed: its table rows go out in blocks as they are made.
enum ReportFileOutput {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes `text` as it is to `output`, or to standard output when nil.
    static func emit(_ text: String, to output: String?) throws {
        let sink = try BufferedSink(output)
        sink.write(text)
        try sink.finish()
    }

    /// `report --format html`: the attempts matching `filter`, their charts and their weakest skills.
    static func writeHTML(databasePath path: String, filter: AttemptFilter, language: Language, output: String?,
                          filters: [(String, String)]) throws {
        var attempts: [AttemptRecord] = []
        var database: AttemptDatabase?
        if FileManager.default.fileExists(atPath: path) {
            let opened = try AttemptDatabase.openReadOnly(path: path)
            if let notice = opened.notice { FileHandle.standardError.write(Data("note: \(notice)\n".utf8)) }
            attempts = try opened.attempts(filter)
            database = opened
        }
        var report = HTMLReport(attempts: attempts, language: language, generatedAt: Date(), filters: filters)
        if let database, let range = report.attemptIDRange {
            try database.forEachLostPoint(attemptIDs: range) { report.addLoss($0) }
        }
        let sink = try BufferedSink(output)
        report.write { sink.write($0) }
        try sink.finish()
        if let output {
            let shown = TerminalText.sanitize(output, keepNewlines: false)
            FileHandle.standardError.write(Data((language == .ru ? "Отчёт записан: \(shown)\n" : "Wrote \(shown)\n").utf8))
        }
    }

    /// Collects text and writes it in blocks of about 256 KB.
    final class BufferedSink {
        private var buffer = Data()
        private let handle: FileHandle
        private let output: String?
        private let partial: String?

        init(_ output: String?) throws {
            self.output = output
            if let output {
                let partial = output + ".partial-\(getpid())"
                guard FileManager.default.createFile(atPath: partial, contents: nil),
                      let handle = FileHandle(forWritingAtPath: partial) else {
                    throw Failure(description: "cannot write the report to \(TerminalText.sanitize(output, keepNewlines: false)): "
                                  + "the folder is missing or not writable")
                }
                self.handle = handle; self.partial = partial
            } else {
                handle = FileHandle.standardOutput; partial = nil
            }
            buffer.reserveCapacity(1 << 18)
        }

        func write(_ text: String) {
            buffer.append(contentsOf: text.utf8)
            if buffer.count >= 1 << 18 { flush() }
        }

        private var failure: (any Error)?

        private func flush() {
            guard !buffer.isEmpty, failure == nil else { return buffer.removeAll(keepingCapacity: true) }
            do { try handle.write(contentsOf: buffer) } catch { failure = error }
            buffer.removeAll(keepingCapacity: true)
        }

        func finish() throws {
            flush()
            if let failure {
                if let partial { try? handle.close(); try? FileManager.default.removeItem(atPath: partial) }
                throw Failure(description: "cannot write the report: \(failure.localizedDescription)")
            }
            guard let output, let partial else { return }
            try? handle.close()
            do {
                if FileManager.default.fileExists(atPath: output) { _ = try FileManager.default.replaceItemAt(
                    URL(fileURLWithPath: output), withItemAt: URL(fileURLWithPath: partial)) }
                else { try FileManager.default.moveItem(atPath: partial, toPath: output) }
            } catch {
                try? FileManager.default.removeItem(atPath: partial)
                throw Failure(description: "cannot write the report to \(TerminalText.sanitize(output, keepNewlines: false)): \(error.localizedDescription)")
            }
        }
    }
}

extension ReportCommand {
    /// The filters in force, for the HTML report's header (in the report's language).
    var filterLabels: [(String, String)] {
        let ru = store.language == .ru
        var labels: [(String, String)] = []
        if let trainee { labels.append((ru ? "Стажёр" : "Trainee", trainee)) }
        if let scenario { labels.append((ru ? "Сценарий" : "Scenario", scenario)) }
        if let since { labels.append((ru ? "С даты" : "Since", since)) }
        return labels
    }
}
