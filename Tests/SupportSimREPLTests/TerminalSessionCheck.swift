import Foundation
import Testing
@testable import SupportSimREPL

/// A real session on the process's own terminal, for checking readline by hand in a pseudo-terminal:
///
///     SUPPORTSIM_PTY_CHECK=/tmp/outcome.txt SupportSimPackageTests.xctest --testing-library swift-testing \
///         --filter playOnTheRealTerminal
///
/// (run inside `tmux new-session`; type replies, Tab, Ctrl-C, Ctrl-D). Skipped otherwise.
@Suite struct TerminalSessionCheck {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SUPPORTSIM_PTY_CHECK"] != nil))
    func playOnTheRealTerminal() throws {
        let env = ProcessInfo.processInfo.environment
        let resultPath = env["SUPPORTSIM_PTY_CHECK"]!
        let language: InterfaceLanguage = env["SUPPORTSIM_PTY_LANG"] == "ru" ? .ru : .en
        let scenario = Fixture.printer()
        let reader = LineReaderFactory.make(historyPath: env["SUPPORTSIM_PTY_HISTORY"],
                                            completions: scenario.knowledgeBase.map(\.id))
        let recorder = InMemoryAttemptRecorder()
        let session = PlaySession(scenario: scenario, seed: 1, mode: .practice, interfaceLanguage: language,
                                  reader: reader, output: .standardOutput(), recorder: recorder)
        let outcome = session.run()
        let turns = recorder.attempts.first?.turns.map(\.input.text) ?? []
        let report = "reader=\(type(of: reader)) ending=\(outcome.ending.rawValue) abandoned=\(outcome.abandoned)\n"
            + turns.map { "turn: \($0)\n" }.joined()
        try report.write(toFile: resultPath, atomically: true, encoding: .utf8)
    }
}
