import Foundation
import SupportSimCore

#if canImport(Glibc)
import Glibc
#endif

/// Everything needed to store a played session later (`supportsim recover FILE`) when the attempts
/// database could not keep it: who played what, with which seed, and every input with its time, so
/// that the deterministic engine replays the same conversation.
public struct RecoveryFile: Sendable, Equatable, Codable {
    /// The version of this file format; a file with a higher number is refused by older versions.
    public static let currentFormat = 1

    public struct Input: Sendable, Equatable, Codable {
        /// The turn this input made (1-based).
        public var turn: Int
        public var input: TraineeInput
        /// Seconds since the start of the session.
        public var elapsed: Double

        public init(turn: Int, input: TraineeInput, elapsed: Double) {
            self.turn = turn; self.input = input; self.elapsed = elapsed
        }
    }

    public var format: Int
    public var trainee: String
    public var scenarioID: String
    public var scenarioTitle: String
    public var scenarioVersion: Int
    /// The scenario's language.
    public var language: Language
    public var interfaceLanguage: Language
    public var mode: PlayMode
    public var seed: UInt64
    public var startedAt: Date
    /// The attempt row in the database, when the attempt could be started there.
    public var attemptID: Int64?
    /// The database the attempt belongs to, as given to `play`.
    public var database: String?
    public var inputs: [Input]
    /// How the session ended; nil while it is being played (or when the process died).
    public var ending: EndingKind?
    public var endedAt: Date?

    public init(
        trainee: String, start: AttemptStart, attemptID: Int64?, database: String?, inputs: [Input] = [],
        ending: EndingKind? = nil, endedAt: Date? = nil
    ) {
        format = Self.currentFormat
        self.trainee = trainee; scenarioID = start.scenarioID; scenarioTitle = start.scenarioTitle
        scenarioVersion = start.scenarioVersion; language = start.language
        interfaceLanguage = start.interfaceLanguage; mode = start.mode; seed = start.seed
        startedAt = start.startedAt; self.attemptID = attemptID; self.database = database
        self.inputs = inputs; self.ending = ending; self.endedAt = endedAt
    }

    /// The attempt as it was started.
    public var start: AttemptStart {
        AttemptStart(scenarioID: scenarioID, scenarioTitle: scenarioTitle, scenarioVersion: scenarioVersion,
                     language: language, mode: mode, seed: seed, startedAt: startedAt,
                     interfaceLanguage: interfaceLanguage)
    }

    // MARK: - Reading and writing

    public enum ReadError: Error, Equatable, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case newerFormat(path: String, found: Int, known: Int)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason):
                "\(path) is not a SupportSim recovery file (\(reason))"
            case .newerFormat(let path, let found, let known):
                "\(path) was written by a newer SupportSim (recovery format \(found), this version reads \(known)); update SupportSim"
            }
        }
    }

    public static func read(from url: URL) throws -> RecoveryFile {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ReadError.unreadable(path: url.path, reason: (error as NSError).localizedDescription)
        }
        struct Probe: Decodable { var format: Int }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            let format = try decoder.decode(Probe.self, from: data).format
            if format > currentFormat { throw ReadError.newerFormat(path: url.path, found: format, known: currentFormat) }
            return try decoder.decode(RecoveryFile.self, from: data)
        } catch let error as ReadError {
            throw error
        } catch {
            throw ReadError.unreadable(path: url.path, reason: "\(error)")
        }
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// `attempt-<start, UTC>-<process id>.json`.
    public func fileName(processID: Int32) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: startedAt)
        let stamp = String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        return "attempt-\(stamp)-\(processID).json"
    }

    /// Writes `data` to `url` so that the file is either the old one or the whole new one: a temporary
    /// file beside it is written and flushed to disk, then renamed over it, and the folder is flushed.
    public static func writeAtomically(_ data: Data, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let temp = dir.appendingPathComponent("." + url.lastPathComponent + ".tmp")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileWriteError.current(temp.path) }
        var ok = false
        defer { if !ok { unlink(temp.path) } }
        do {
            defer { close(fd) }
            try data.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw FileWriteError.current(temp.path)
                    }
                    offset += n
                }
            }
            guard fsync(fd) == 0 else { throw FileWriteError.current(temp.path) }
        }
        guard rename(temp.path, url.path) == 0 else { throw FileWriteError.current(url.path) }
        ok = true
        let dirFD = open(dir.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 { fsync(dirFD); close(dirFD) }
    }
}

/// A failed system call, with the file and the system's words for what went wrong.
struct FileWriteError: Error, CustomStringConvertible {
    var path: String
    var code: Int32
    var description: String { "\(path): \(String(cString: strerror(code)))" }
    static func current(_ path: String) -> FileWriteError { FileWriteError(path: path, code: errno) }
}
