import Foundation
import SupportSimCore

/// Keeps a session's attempt through its recorder — begins it, records each turn as it is played,
/// takes turns back, finishes it — and says what was saved: a failed write at once, and the last
/// lines of the session. In debug mode it keeps nothing: no attempt is begun, so nothing is
/// written whatever the recorder.
final class AttemptKeeper {
    private let recorder: any AttemptRecorder
    private let strings: UIStrings
    private let out: TerminalOutput
    private let debug: Bool
    private let clock: () -> Date
    /// The attempt being kept (nil before it begins, when it could not begin, and in debug mode).
    private(set) var attemptID: Int64?
    /// Some write to the recorder failed (the closing line must not say "saved").
    private var saveFailed = false

    init(recorder: any AttemptRecorder, strings: UIStrings, out: TerminalOutput, debug: Bool,
         clock: @escaping () -> Date) {
        self.recorder = recorder; self.strings = strings; self.out = out; self.debug = debug; self.clock = clock
    }

    /// Whether the session keeps an attempt: never in debug mode.
    var stores: Bool { !debug && recorder.stores }

    func begin(_ start: AttemptStart) {
        guard !debug else { return }
        do { attemptID = try recorder.begin(start) } catch { warn(error) }
    }

    /// Goes on with an attempt already begun (`resume`).
    func resume(attemptID: Int64) { if !debug { self.attemptID = attemptID } }

    func record(_ turn: Turn) {
        guard let attemptID else { return }
        do {
            try recorder.record(turn: turn, attemptID: attemptID, at: clock())
            if let note = recorder.takeNotice() { out.wrapped(note) }
        } catch { warn(error) }
    }

    func retract(fromIndex: Int) {
        guard let attemptID else { return }
        do { try recorder.retract(attemptID: attemptID, fromIndex: fromIndex) } catch { warn(error) }
    }

    func finish(ending: EndingKind, card: ScoreCard, finalNode: String) {
        guard let attemptID else { return }
        do { try recorder.finish(attemptID: attemptID, ending: ending, card: card, finalNode: finalNode, at: clock()) }
        catch { warn(error) }
    }

    /// Every failed save is shown at once; a recorder's `SaveNotice` is already worded for the trainee.
    private func warn(_ error: any Error) {
        saveFailed = true
        if let notice = error as? SaveNotice {
            out.wrapped(notice.description, style: .red)
        } else {
            out.wrapped(strings.saveFailed(String(describing: error)), style: .red)
        }
    }

    /// The debrief's last line about saving: the recorder's report when it keeps one.
    func showSaveLine() {
        if debug { return out.wrapped(strings.debugNotStored, indent: " ", style: .dim) }
        if !recorder.stores { return out.wrapped(strings.notStoredByDesign, indent: " ", style: .dim) }
        if let report = recorder.saveReport { return show(report, indent: " ") }
        if let attemptID, !saveFailed { return out.wrapped(strings.saved(attempt: attemptID), indent: " ") }
        out.wrapped(strings.notSaved, indent: " ", style: .red)
    }

    /// The session's last line after it was abandoned.
    func showAbandonedLine() {
        if !stores {
            out.wrapped(strings.sessionEndedNotStored, style: .dim)
        } else if let report = recorder.saveReport, case .saved(let id) = report.outcome {
            out.wrapped(strings.abandonedNote(attempt: id), style: .dim)
        } else if let report = recorder.saveReport {
            out.wrapped(strings.sessionEnded, style: .dim)
            show(report, indent: "")
        } else {
            out.wrapped(saveFailed ? strings.notSaved : strings.abandonedNote(attempt: attemptID), style: saveFailed ? .red : .dim)
        }
    }

    /// What was saved where; the recover command on a line of its own, unbroken, to be copied.
    private func show(_ report: SaveReport, indent: String) {
        out.wrapped(report.message(strings), indent: indent, style: report.exitCode == 0 ? nil : .red)
        if let command = report.recoverCommand {
            out.line(indent + "  " + out.paint(TerminalText.sanitize(command, keepNewlines: false), .bold))
        }
    }
}
