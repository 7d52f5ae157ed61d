import Foundation

/// Where a streamed report or export is written: standard output or a file, through the C library's
/// buffer, so rows are written as they come without holding the whole text.
final class TextSink {
    private let file: UnsafeMutablePointer<FILE>
    private let ownsFile: Bool
    let path: String?

    /// Standard output (a stream of its own on descriptor 1: write to standard output only through it
    /// while it is in use).
    init() {
        file = fdopen(STDOUT_FILENO, "w"); ownsFile = false; path = nil
    }

    /// A file, created or truncated.
    init(path: String) throws {
        guard let opened = fopen(path, "wb") else {
            throw UserError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        file = opened; ownsFile = true; self.path = path
    }

    func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = fwrite(bytes.baseAddress, 1, bytes.count, file) }
    }

    func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { _ = fwrite($0.baseAddress, 1, $0.count, file) }
    }

    /// Flushes (and closes a file); throws when anything could not be written (a full disk).
    func finish() throws {
        let flushed = fflush(file) == 0 && ferror(file) == 0
        let reason = String(cString: strerror(errno))
        if ownsFile { fclose(file) }
        guard flushed else { throw UserError("cannot write \(path ?? "the output"): \(reason)") }
    }
}
