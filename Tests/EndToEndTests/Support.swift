import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `supportsim` binary the way a user does.
enum CLI {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `supportsim` executable next to the test bundle (or `$SUPPORTSIM_BIN`).
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["SUPPORTSIM_BIN"] { return URL(fileURLWithPath: path) }
        let starts = [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0])]
        for start in starts {
            var dir = start
            for _ in 0..<4 {
                let candidate = dir.appendingPathComponent("supportsim")
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), !isDir.boolValue {
                    return candidate
                }
                dir = dir.deletingLastPathComponent()
            }
        }
        return packageRoot.appendingPathComponent(".build/debug/supportsim")
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "C.UTF-8"
        env["LC_ALL"] = "C.UTF-8"
        env["NO_COLOR"] = "1"
        for (k, v) in extra { env[k] = v }
        return env
    }

    /// Another executable of the package, built next to `supportsim` (e.g. `supportsim-eval`).
    static func executable(_ name: String) -> URL {
        binary.deletingLastPathComponent().appendingPathComponent(name)
    }

    /// Runs the binary (or `program`, another executable of the package) to completion with
    /// `input` on stdin (a pipe, so the plain line reader is used).
    @discardableResult
    static func run(_ arguments: [String], input: String? = nil, environment extra: [String: String] = [:],
                    program: String = "supportsim") throws -> Result {
        let process = Process()
        process.executableURL = program == "supportsim" ? binary : executable(program)
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        process.environment = environment(extra)
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("supportsim-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// A private tmux server running one command in a real pseudo-terminal.
final class TerminalSession {
    let socket = "supportsim-test-\(UUID().uuidString.prefix(8))"

    init(command: String, environment: [String: String]) throws {
        let exports = environment.map { "export \($0.key)='\($0.value)'" }.joined(separator: "; ")
        // Keep the pane after the program exits so its last screen can be read.
        try tmux(["new-session", "-d", "-x", "110", "-y", "50", "\(exports); \(command); echo \"[exit $?]\"; sleep 120"],
                 readOutput: false)
    }

    deinit { try? tmux(["kill-server"]) }

    /// Types text literally, then presses Enter.
    func type(_ text: String) throws {
        try tmux(["send-keys", "-t", "0", "-l", text])
        try tmux(["send-keys", "-t", "0", "Enter"])
    }

    /// Types text literally without pressing Enter.
    func typeWithoutEnter(_ text: String) throws { try tmux(["send-keys", "-t", "0", "-l", text]) }

    func key(_ name: String) throws { try tmux(["send-keys", "-t", "0", name]) }

    /// The whole pane including its scroll-back, lines joined where they were wrapped.
    func screen() throws -> String { try tmux(["capture-pane", "-p", "-J", "-S", "-", "-t", "0"]) }

    /// Waits until the screen holds `text` at least `count` times.
    @discardableResult
    func waitFor(_ text: String, count: Int = 1, timeout: TimeInterval = 30) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if last.components(separatedBy: text).count - 1 >= count { return last }
            usleep(100_000)
        }
        throw TerminalError.timeout(waitingFor: text, screen: last)
    }

    /// Runs one tmux client and returns what it printed. Foundation's `Process` is not used here:
    /// the tmux server forked by `new-session` inherits the descriptor `Process` watches for the
    /// child's exit, so the wait would never end. `posix_spawn` and `waitpid` have no such link.
    @discardableResult
    func tmux(_ args: [String], readOutput: Bool = true) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString).out").path
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, readOutput ? output : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ["/usr/bin/env", "tmux", "-u", "-L", socket] + args
        let environment = CLI.environment(["TERM": "xterm-256color"]).map { "\($0.key)=\($0.value)" }
        var cArgs = argv.map { strdup($0) } + [nil]
        var cEnv = environment.map { strdup($0) } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        // Start with default signal handling, whatever this test thread blocks or ignores.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), defaults = sigset_t()
        sigemptyset(&noSignals)
        sigemptyset(&defaults)
        for sig in [SIGINT, SIGQUIT, SIGHUP, SIGTERM, SIGPIPE] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid = pid_t()
        let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, &cArgs, &cEnv)
        guard spawned == 0 else { throw TerminalError.spawn(errno: spawned) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        guard readOutput else { return "" }
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }
}

enum TerminalError: Error, CustomStringConvertible {
    case timeout(waitingFor: String, screen: String)
    case spawn(errno: Int32)
    var description: String {
        switch self {
        case .timeout(let text, let screen): "timed out waiting for \(text.debugDescription); screen:\n\(screen)"
        case .spawn(let code): "could not start tmux (error \(code)); install it with `apt-get install tmux`"
        }
    }
}

// MARK: - Terminal state, process ids and signals

extension TerminalSession {
    /// Runs `supportsim` with `arguments` in the pane through a wrapper that first prints
    /// "[pid N]" (the program is exec'd, so N is its process id) and, after it ends, prints
    /// "[stty …]" with the terminal's modes (`stty -a`) and then "[exit S]".
    convenience init(supportsim arguments: [String], environment: [String: String]) throws {
        let program = ([try Self.pidWrapper(), CLI.binary.path] + arguments).map(shellQuoted).joined(separator: " ")
        try self.init(
            command: "cd \(shellQuoted(CLI.packageRoot.path)) && \(program); s=$?; "
                + "echo \"[stty $(stty -a | tr '\\n' ' ')]\"; (exit $s)",
            environment: environment)
    }

    /// A shell script that prints its process id, then execs its arguments.
    static func pidWrapper() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("supportsim-pid-wrapper.sh").path
        if !FileManager.default.isExecutableFile(atPath: path) {
            let temporary = path + ".\(getpid())"
            try "#!/bin/sh\necho \"[pid $$]\"\nexec \"$@\"\n".write(toFile: temporary, atomically: true, encoding: .utf8)
            chmod(temporary, 0o755)
            rename(temporary, path)
        }
        return path
    }

    /// The process id printed by the wrapper of `init(supportsim:environment:)`.
    func programPID(timeout: TimeInterval = 60) throws -> pid_t {
        let screen = try waitFor("[pid ", timeout: timeout)
        guard let match = screen.firstMatch(of: #/\[pid (\d+)\]/#), let pid = pid_t(match.1) else {
            throw TerminalError.timeout(waitingFor: "[pid N]", screen: screen)
        }
        return pid
    }

    /// The terminal modes ("icanon", "-echo", …) printed last as "[stty …]": by the wrapper of
    /// `init(supportsim:environment:)` after the program ended, or by a command typed into a shell.
    func printedTerminalModes(timeout: TimeInterval = 60) throws -> Set<String> {
        // Not "$" inside: a typed command that prints this shows "[stty $(stty -a …)]" first.
        let printed = #/\[stty ([^\]$]*)\]/#
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try self.screen()
            if let match = screen.matches(of: printed).last {
                return Set(match.1.split(whereSeparator: { $0 == " " || $0 == ";" }).map(String.init))
            }
            usleep(100_000)
        }
        throw TerminalError.timeout(waitingFor: "[stty …]", screen: screen)
    }

    /// Waits until the screen holds `text` after the last occurrence of `marker`.
    @discardableResult
    func waitFor(_ text: String, after marker: String, timeout: TimeInterval = 60) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if let tail = last.components(separatedBy: marker).dropFirst().last, tail.contains(text) { return last }
            usleep(100_000)
        }
        throw TerminalError.timeout(waitingFor: "\(text) after \(marker)", screen: last)
    }

    /// Resizes the window (and its pane), as a user resizing the terminal does (SIGWINCH).
    func resize(columns: Int, rows: Int) throws {
        try tmux(["resize-window", "-t", "0", "-x", String(columns), "-y", String(rows)])
    }
}

/// `text` quoted for a POSIX shell.
func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// The `supportsim` binary running with pipes for standard input and output, for tests that
/// send it input a piece at a time and signals while it runs.
final class RunningCLI {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var received = Data()

    init(_ arguments: [String], environment extra: [String: String] = [:]) throws {
        process.executableURL = CLI.binary
        process.arguments = arguments
        process.currentDirectoryURL = CLI.packageRoot
        process.environment = CLI.environment(extra)
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var pid: pid_t { process.processIdentifier }

    /// Writes to the program's standard input (which stays open).
    func send(_ text: String) throws { try input.fileHandleForWriting.write(contentsOf: Data(text.utf8)) }

    /// Everything read from standard output so far.
    var text: String { String(decoding: received, as: UTF8.self) }

    /// Reads standard output until it holds `text`.
    @discardableResult
    func waitForOutput(_ text: String, timeout: TimeInterval = 60) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while !self.text.contains(text) {
            guard Date() < deadline, readSome(until: deadline) else {
                throw TerminalError.timeout(waitingFor: text, screen: self.text)
            }
        }
        return self.text
    }

    /// Waits until the program has filled the output pipe (so it is blocked writing), without reading.
    func waitUntilOutputPipeIsFull(timeout: TimeInterval = 60) throws {
        let fd = output.fileHandleForReading.fileDescriptor
        let capacity = fcntl(fd, 1032 /* F_GETPIPE_SZ */)
        let deadline = Date().addingTimeInterval(timeout)
        var waiting: Int32 = 0
        while Date() < deadline {
            _ = ioctl(fd, UInt(FIONREAD), &waiting)
            // A write of up to PIPE_BUF bytes is atomic: the writer blocks once less than that is free.
            if capacity > 0, waiting > capacity - 4096 { return }
            usleep(50_000)
        }
        throw TerminalError.timeout(waitingFor: "a full output pipe (\(waiting) of \(capacity) bytes)", screen: text)
    }

    /// Reads standard output to its end and waits for the program to exit; returns its status.
    func finish(timeout: TimeInterval = 60) throws -> (status: Int32, reason: Process.TerminationReason) {
        let deadline = Date().addingTimeInterval(timeout)
        while readSome(until: deadline) {}
        while process.isRunning, Date() < deadline { usleep(50_000) }
        guard !process.isRunning else {
            throw TerminalError.timeout(waitingFor: "the program to exit", screen: text)
        }
        return (process.terminationStatus, process.terminationReason)
    }

    /// Reads what is available (waiting at most until `deadline`); false at end of output or timeout.
    private func readSome(until deadline: Date) -> Bool {
        let fd = output.fileHandleForReading.fileDescriptor
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(max(0, min(1000, deadline.timeIntervalSinceNow * 1000)))
        let ready = poll(&pfd, 1, milliseconds)
        if ready < 0 { return errno == EINTR }
        if ready == 0 { return Date() < deadline }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return false }
        received.append(contentsOf: buffer[..<count])
        return true
    }
}
