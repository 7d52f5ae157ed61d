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

    /// Runs the binary to completion with `input` on stdin (a pipe, so the plain line reader is used).
    @discardableResult
    static func run(_ arguments: [String], input: String? = nil, environment extra: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = binary
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
    private func tmux(_ args: [String], readOutput: Bool = true) throws -> String {
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
