import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C, Ctrl-Z, Ctrl-\, SIGTERM, SIGHUP, SIGQUIT and SIGWINCH in a real pseudo-terminal (tmux),
/// and signals with piped standard input. Every wait is for text with a generous timeout.
@Suite("terminal signals", .serialized)
struct TerminalSignalTests {
    static let scenario = "password-reset-no-identity"
    static let firstReply = "Hello, this is the service desk. May I have your name, please?"
    /// Generous: the machine may be busy with other builds.
    static let patience: TimeInterval = 90

    struct Attempt {
        var status: String?
        var turns: Int?
        /// Set when the session finished the attempt (scored); a killed process leaves it empty.
        var endedAt: String?
    }

    /// The only attempt in `db`, from `supportsim report --format json`.
    func attempt(in db: String) throws -> Attempt {
        let report = try CLI.run(["report", "--db", db, "--format", "json"])
        let rows = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [[String: Any]]
        #expect(rows?.count == 1, "\(report.stdout)")
        return Attempt(status: rows?.first?["status"] as? String, turns: rows?.first?["turns"] as? Int,
                       endedAt: rows?.first?["ended_at"] as? String)
    }

    func environment(_ dir: URL) -> [String: String] {
        ["XDG_DATA_HOME": dir.path, "LANG": "C.UTF-8", "NO_COLOR": "1"]
    }

    /// The terminal is back in cooked mode: line editing and echo on.
    func expectCooked(_ modes: Set<String>, _ screen: String) {
        #expect(modes.contains("icanon") && modes.contains("echo"), "\(screen)")
        #expect(!modes.contains("-icanon") && !modes.contains("-echo"), "\(screen)")
    }

    @Test("Given a half-typed reply, when Ctrl-C is pressed, then nothing is submitted or scored and Quit? is asked once; n continues, Ctrl-C on an empty line and y quits")
    func ctrlCDiscardsTheHalfTypedLineAndAsksBeforeQuitting() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("ctrl-c.sqlite").path
        let session = try TerminalSession(
            supportsim: ["play", Self.scenario, "--db", db, "--trainee", "olga", "--lang", "en", "--seed", "1"],
            environment: environment(dir))

        // Given a session after one reply, with the next reply half typed
        try session.waitFor("you> ", timeout: Self.patience)
        try session.type(Self.firstReply)
        try session.waitFor("you> ", count: 2, timeout: Self.patience)
        try session.typeWithoutEnter("I will check")
        try session.waitFor("you> I will check", timeout: Self.patience)

        // When Ctrl-C is pressed
        try session.key("C-c")

        // Then the line is shown as cancelled and the Quit question comes (the half-typed text is
        // not played: no customer answer, no feedback)
        var screen = try session.waitFor("Quit this session?", timeout: Self.patience)
        #expect(screen.contains("you> I will check^C"), "\(screen)")

        // When the trainee answers no
        try session.type("n")

        // Then the session goes on with a fresh prompt
        try session.waitFor("you> ", count: 3, timeout: Self.patience)

        // When Ctrl-C is pressed on the empty prompt and the trainee confirms
        try session.key("C-c")
        try session.waitFor("Quit this session?", count: 2, timeout: Self.patience)
        try session.type("y")
        let modes = try session.printedTerminalModes(timeout: Self.patience)
        screen = try session.screen()

        // Then each Ctrl-C showed once (no runaway "you> ^C" lines), the program ended normally
        // with a cooked terminal, and only the completed turn is stored
        let cancelledLines = screen.components(separatedBy: "\n").filter { $0.hasSuffix("^C") }
        #expect(cancelledLines == ["you> I will check^C", "you> ^C"], "\(screen)")
        #expect(screen.components(separatedBy: "you> ^C").count - 1 == 1, "\(screen)")
        #expect(screen.components(separatedBy: "Quit this session?").count - 1 == 2, "\(screen)")
        #expect(screen.contains("[exit 0]"), "\(screen)")
        expectCooked(modes, screen)
        let attempt = try attempt(in: db)
        #expect(attempt.status == "abandoned" && attempt.endedAt != nil)
        #expect(attempt.turns == 1)
    }

    @Test("Given a session waiting for a reply with text half typed, when the process gets SIGTERM, SIGHUP or SIGQUIT, then the terminal is restored, the attempt is abandoned with its completed turn, and the status is 128 + signal",
          arguments: [SIGTERM, SIGHUP, SIGQUIT])
    func terminatingSignalRestoresTheTerminalAndKeepsTheAttempt(signal: Int32) throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("signal-\(signal).sqlite").path
        let session = try TerminalSession(
            supportsim: ["play", Self.scenario, "--db", db, "--trainee", "olga", "--lang", "en", "--seed", "1"],
            environment: environment(dir))
        let pid = try session.programPID(timeout: Self.patience)

        // Given one completed turn and a half-typed reply
        try session.waitFor("you> ", timeout: Self.patience)
        try session.type(Self.firstReply)
        try session.waitFor("you> ", count: 2, timeout: Self.patience)
        try session.typeWithoutEnter("let me see")
        try session.waitFor("you> let me see", timeout: Self.patience)

        // When the signal is sent to the program
        #expect(kill(pid, signal) == 0)

        // Then it ends with 128 + signal, without a crash report, with a cooked terminal
        let modes = try session.printedTerminalModes(timeout: Self.patience)
        let screen = try session.screen()
        #expect(screen.contains("[exit \(128 + signal)]"), "\(screen)")
        #expect(!screen.lowercased().contains("crash"), "\(screen)")
        #expect(screen.contains("saved as abandoned"), "\(screen)")
        expectCooked(modes, screen)
        // And the attempt is kept as abandoned with the completed turn only
        let attempt = try attempt(in: db)
        #expect(attempt.status == "abandoned" && attempt.endedAt != nil)
        #expect(attempt.turns == 1)
    }

    @Test("Given a half-typed reply in a job-control shell, when Ctrl-Z and then fg, then the prompt and the line are redrawn and typing is echoed once; Ctrl-\\ then ends the session with 131 and a cooked terminal")
    func ctrlZAndFgRedrawTheLineAndCtrlBackslashEndsTheSession() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("ctrl-z.sqlite").path
        var env = environment(dir)
        env["PS1"] = "shell$ "
        let session = try TerminalSession(command: "exec bash --norc --noprofile -i", environment: env)
        try session.waitFor("shell$ ", timeout: Self.patience)
        let command = [CLI.binary.path, "play", Self.scenario, "--db", db, "--trainee", "olga", "--lang", "en",
                       "--seed", "1"].map(shellQuoted).joined(separator: " ")
        try session.type(command)

        // Given a half-typed reply
        try session.waitFor("you> ", timeout: Self.patience)
        try session.typeWithoutEnter("half line")
        try session.waitFor("you> half line", timeout: Self.patience)

        // When Ctrl-Z is pressed
        try session.key("C-z")

        // Then the shell reports the job as stopped and prompts again
        try session.waitFor("Stopped", timeout: Self.patience)
        try session.waitFor("shell$ ", count: 2, timeout: Self.patience)

        // When the job is brought back
        try session.type("fg")

        // Then the prompt and the half-typed line are drawn again
        try session.waitFor("you> half line", after: "shell$ fg", timeout: Self.patience)

        // When the trainee goes on typing and sends the reply
        try session.typeWithoutEnter(" and more")
        try session.waitFor("you> half line and more", timeout: Self.patience)
        try session.key("Enter")
        try session.waitFor("you> ", after: "you> half line and more", timeout: Self.patience)

        // Then what was typed after fg was echoed once, by readline
        var screen = try session.screen()
        #expect(screen.components(separatedBy: "and more").count - 1 == 1, "\(screen)")

        // When Ctrl-\ is pressed
        try session.key("C-\\")
        try session.waitFor("saved as abandoned", timeout: Self.patience)
        try session.waitFor("shell$ ", count: 3, timeout: Self.patience)
        try session.type("echo \"[exit $?]\"; echo \"[stty $(stty -a | tr '\\n' ' ')]\"")
        let modes = try session.printedTerminalModes(timeout: Self.patience)
        screen = try session.screen()

        // Then the program ended with 131, without a crash report, and left the terminal cooked
        #expect(screen.contains("[exit 131]"), "\(screen)")
        #expect(!screen.lowercased().contains("crash"), "\(screen)")
        expectCooked(modes, screen)
        // And the reply finished after fg is the one stored turn
        let attempt = try attempt(in: db)
        #expect(attempt.status == "abandoned" && attempt.endedAt != nil)
        #expect(attempt.turns == 1)
    }

    @Test("Given a half-typed reply under a shell that leaves the terminal alone (dash), when Ctrl-Z is pressed, then the stopped program has left the terminal cooked, and fg brings back readline's mode with the line")
    func ctrlZLeavesTheTerminalCookedWhileStopped() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("ctrl-z-dash.sqlite").path
        var env = environment(dir)
        env["PS1"] = "dash$ "
        // dash, unlike bash, does not save and restore terminal modes around a stopped job:
        // what `stty` shows while the job is stopped is what the program left.
        let session = try TerminalSession(command: "exec dash -i", environment: env)
        try session.waitFor("dash$ ", timeout: Self.patience)
        let command = [CLI.binary.path, "play", Self.scenario, "--db", db, "--trainee", "olga", "--lang", "en",
                       "--seed", "1"].map(shellQuoted).joined(separator: " ")
        try session.type("cd \(shellQuoted(CLI.packageRoot.path)) && " + command)

        // Given a half-typed reply
        try session.waitFor("you> ", timeout: Self.patience)
        try session.typeWithoutEnter("half line")
        try session.waitFor("you> half line", timeout: Self.patience)

        // When Ctrl-Z is pressed and the terminal's modes are printed by the shell
        try session.key("C-z")
        try session.waitFor("Stopped", timeout: Self.patience)
        try session.waitFor("dash$ ", count: 2, timeout: Self.patience)
        try session.type("echo \"[stty $(stty -a | tr '\\n' ' ')]\"")
        let modes = try session.printedTerminalModes(timeout: Self.patience)

        // Then the terminal is in its normal (cooked) mode while the program is stopped
        expectCooked(modes, try session.screen())

        // When the job is brought back and the reply finished
        try session.type("fg")
        try session.waitFor("you> half line", after: "dash$ fg", timeout: Self.patience)
        try session.typeWithoutEnter(" and more")
        try session.waitFor("you> half line and more", timeout: Self.patience)
        try session.key("Enter")
        try session.waitFor("you> ", after: "you> half line and more", timeout: Self.patience)

        // Then the reply is played once, and Ctrl-D ends the session normally
        try session.key("C-d")
        try session.waitFor("saved as abandoned", timeout: Self.patience)
        // (the debrief after Ctrl-D may quote the reply; the conversation before it shows it once)
        let screen = try session.screen()
        let conversation = screen.components(separatedBy: "Debrief of an abandoned attempt")[0]
        #expect(conversation.components(separatedBy: "and more").count - 1 == 1, "\(screen)")
        let attempt = try attempt(in: db)
        #expect(attempt.status == "abandoned" && attempt.endedAt != nil)
        #expect(attempt.turns == 1)
    }

    @Test("Given a session in a 110-column terminal, when the window is resized to 60 columns, then the session's output wraps to 60 and readline edits a long line at the new width")
    func resizingTheWindowRewrapsOutputAndTheEditedLine() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("resize.sqlite").path
        let session = try TerminalSession(
            supportsim: ["play", Self.scenario, "--db", db, "--trainee", "olga", "--lang", "en", "--seed", "1"],
            environment: environment(dir))
        try session.waitFor("you> ", timeout: Self.patience)

        // When the window is resized to 60 columns
        try session.resize(columns: 60, rows: 40)
        try session.key("C-l")  // readline redraws: the prompt is alone on a cleared screen
        let longText = "abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij"
        try session.typeWithoutEnter(longText)
        // and the cursor goes back to the start of the long, wrapped line to insert a word
        try session.key("C-a")
        try session.typeWithoutEnter("Hello ")

        // Then the edited line reads right on the narrower terminal (readline knows the width:
        // with the old width it would move the cursor within one row and overwrite the wrong row)
        try session.waitFor("you> Hello " + longText, timeout: Self.patience)

        // When the reply is sent
        try session.key("C-e")
        try session.key("Enter")
        // (the screen already shows "you> " twice: the first prompt and the one redrawn by Ctrl-L)
        try session.waitFor("you> ", count: 3, timeout: Self.patience)

        // Then what the session printed after it (the customer's answer, the feedback) is wrapped
        // to 60 columns by the session itself (the screen joins rows the terminal wrapped)
        let screen = try session.screen()
        let after = try #require(screen.components(separatedBy: "you> Hello " + longText).last)
        let printed = after.components(separatedBy: "\n").filter { !$0.hasPrefix("you> ") }
        #expect(printed.contains { $0.hasPrefix("Kevin: ") }, "\(screen)")
        #expect(printed.allSatisfy { $0.count <= 60 }, "\(screen)")
    }

    @Test("Given piped input that stays open, when the program gets SIGTERM or SIGINT while waiting for the next line, then it saves the attempt as abandoned and exits with 128 + signal",
          arguments: [SIGTERM, SIGINT])
    func signalWhileWaitingForPipedInputSavesTheAttempt(signal: Int32) throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("pipe-\(signal).sqlite").path
        let program = try RunningCLI(["play", Self.scenario, "--db", db, "--trainee", "olga", "--lang", "en", "--seed", "1"],
                                     environment: ["XDG_DATA_HOME": dir.path])

        // Given one reply played and no more input coming
        try program.send(Self.firstReply + "\n")
        try program.waitForOutput("Kevin: Kevin Walsh", timeout: Self.patience)

        // When the signal is sent
        #expect(kill(program.pid, signal) == 0)

        // Then the program ends with 128 + signal after saving the attempt with its turn
        let end = try program.finish(timeout: Self.patience)
        #expect(end.reason == .exit && end.status == 128 + signal, "\(end) \(program.text)")
        #expect(program.text.contains("saved as abandoned"), "\(program.text)")
        let attempt = try attempt(in: db)
        #expect(attempt.status == "abandoned" && attempt.endedAt != nil)
        #expect(attempt.turns == 1)
    }

    @Test("Given piped input, when SIGTERM arrives while the program is blocked printing (not reading), then it stops at the next read, saves the attempt and exits with 143")
    func sigtermWhilePrintingEndsTheSessionAtTheNextRead() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("printing.sqlite").path
        let program = try RunningCLI(["play", Self.scenario, "--db", db, "--trainee", "olga", "--lang", "en", "--seed", "1"],
                                     environment: ["XDG_DATA_HOME": dir.path])

        // Given a reply and then far more /help requests than the output pipe holds, and nobody
        // reading the output: the program blocks while printing, with input still waiting
        let helps = 400
        try program.send(Self.firstReply + "\n" + String(repeating: "/help\n", count: helps))
        try program.waitUntilOutputPipeIsFull(timeout: Self.patience)

        // When SIGTERM is sent, and the output is read again
        #expect(kill(program.pid, SIGTERM) == 0)
        let end = try program.finish(timeout: Self.patience)

        // Then the program stopped before the remaining input, saved the attempt and exited with 143
        #expect(end.reason == .exit && end.status == 143, "\(end)")
        let shownHelps = program.text.components(separatedBy: "you> /help").count - 1
        #expect(shownHelps < helps, "all \(helps) requests were answered")
        #expect(program.text.contains("saved as abandoned"))
        let attempt = try attempt(in: db)
        #expect(attempt.status == "abandoned" && attempt.endedAt != nil)
        #expect(attempt.turns == 1)
    }
}
