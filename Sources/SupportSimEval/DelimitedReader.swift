import Foundation

/// Why a delimited file could not be read.
public enum DelimitedFileError: Error, Equatable, CustomStringConvertible, LocalizedError {
    case fileNotFound(path: String)
    case unreadable(path: String, reason: String)
    /// The file has no header row.
    case empty
    /// A field is not valid UTF-8. `row` is the 1-based data row (the header is row 0), `line` the 1-based line.
    case invalidUTF8(row: Int, line: Int)
    /// A quoted field is still open at the end of the file.
    case unterminatedQuote(row: Int, line: Int)
    /// A row has a different number of fields from the header.
    case fieldCount(row: Int, line: Int, expected: Int, found: Int)
    /// A column asked for by name is not in the header.
    case missingColumn(name: String, available: [String])

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            "file not found: \(path)"
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        case .empty:
            "the file is empty (a header row is required)"
        case .invalidUTF8(let row, let line):
            "\(Self.place(row, line)) is not valid UTF-8"
        case .unterminatedQuote(let row, let line):
            "\(Self.place(row, line)): a quoted field is never closed"
        case .fieldCount(let row, let line, let expected, let found):
            "\(Self.place(row, line)) has \(found) field\(found == 1 ? "" : "s"), the header has \(expected)"
        case .missingColumn(let name, let available):
            "no column named \"\(name)\"; available columns: \(available.map { "\"\($0)\"" }.joined(separator: ", "))"
        }
    }

    public var errorDescription: String? { description }

    private static func place(_ row: Int, _ line: Int) -> String {
        row == 0 ? "the header row (line \(line))" : "row \(row) (line \(line))"
    }
}

/// The field separator of a delimited file.
public enum Delimiter: Sendable, Equatable {
    case comma, tab, other(UInt8)

    public var byte: UInt8 {
        switch self {
        case .comma: UInt8(ascii: ",")
        case .tab: UInt8(ascii: "\t")
        case .other(let b): b
        }
    }

    /// `.tsv` and `.tab` files are tab-separated; anything else is comma-separated.
    public static func forPath(_ path: String) -> Delimiter {
        switch (path as NSString).pathExtension.lowercased() {
        case "tsv", "tab": .tab
        default: .comma
        }
    }

    /// Parses a delimiter given by the user: a single ASCII character, or `tab`, `\t`, `comma`.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "tab", "\\t", "\t": self = .tab
        case "comma", ",": self = .comma
        default:
            guard argument.utf8.count == 1, let b = argument.utf8.first, b < 0x80,
                  b != UInt8(ascii: "\""), b != UInt8(ascii: "\n"), b != UInt8(ascii: "\r") else { return nil }
            self = .other(b)
        }
    }
}

/// A streaming reader of CSV/TSV files (RFC 4180 quoting: quoted fields may hold delimiters,
/// line breaks and doubled quotes), with a header row, UTF-8 text, LF or CRLF line ends and an
/// optional byte-order mark. The file is read in chunks, one record at a time.
///
/// A quote is special only at the start of a field; in an unquoted field it is kept as typed.
/// Text after the closing quote of a quoted field (before the next delimiter) is kept too.
/// Empty lines between records are skipped.
public final class DelimitedReader {
    /// The column names, from the first row.
    public private(set) var header: [String] = []
    /// The 1-based number of the last data row returned by `next()` (0 before the first).
    public private(set) var rowNumber = 0
    /// The 1-based line where the last row read (or the header) starts.
    public private(set) var rowLine = 1

    private let delimiter: UInt8
    private var source: ByteSource
    private var line = 1

    /// Opens a file; the delimiter is chosen from the extension unless given.
    public convenience init(path: String, delimiter: Delimiter? = nil) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DelimitedFileError.fileNotFound(path: path)
        }
        guard !isDirectory.boolValue else { throw DelimitedFileError.unreadable(path: path, reason: "it is a directory") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DelimitedFileError.unreadable(path: path, reason: "permission denied or I/O error")
        }
        try self.init(source: .file(handle, path: path), delimiter: delimiter ?? Delimiter.forPath(path))
    }

    /// Reads from bytes in memory.
    public convenience init(bytes: [UInt8], delimiter: Delimiter = .comma) throws {
        try self.init(source: .memory, delimiter: delimiter, initial: bytes)
    }

    /// Reads from a string in memory.
    public convenience init(text: String, delimiter: Delimiter = .comma) throws {
        try self.init(bytes: Array(text.utf8), delimiter: delimiter)
    }

    private init(source kind: ByteSource.Kind, delimiter: Delimiter, initial: [UInt8] = []) throws {
        self.delimiter = delimiter.byte
        self.source = ByteSource(kind: kind, buffer: initial)
        // Skip a UTF-8 byte-order mark.
        if source.peek() == 0xEF, source.peek(1) == 0xBB, source.peek(2) == 0xBF {
            source.skip(3)
        }
        guard let names = try readRecord(row: 0) else { throw DelimitedFileError.empty }
        header = names.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    deinit { source.close() }

    /// The index of a column, or an error listing the columns there are.
    public func column(named name: String) throws -> Int {
        if let i = header.firstIndex(of: name) { return i }
        let folded = name.trimmingCharacters(in: .whitespaces)
        if let i = header.firstIndex(where: { $0.caseInsensitiveCompare(folded) == .orderedSame }) { return i }
        throw DelimitedFileError.missingColumn(name: name, available: header)
    }

    /// The next data row, or nil at the end of the file.
    public func next() throws -> [String]? {
        let row = rowNumber + 1
        guard let fields = try readRecord(row: row) else { return nil }
        rowNumber = row
        return fields
    }

    /// Reads every remaining row, keeping only the given columns (by index), in that order.
    public func readAll(columns: [Int]) throws -> [[String]] {
        var rows: [[String]] = []
        while let r = try next() { rows.append(columns.map { r[$0] }) }
        return rows
    }

    // MARK: - Parsing

    private func readRecord(row: Int) throws -> [String]? {
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        // Skip empty lines.
        while let b = source.peek(), b == lf || b == cr {
            source.skip(1)
            if b == lf { line += 1 } else if source.peek() == lf { source.skip(1); line += 1 } else { line += 1 }
        }
        guard source.peek() != nil else { return nil }
        let startLine = line
        rowLine = startLine
        var fields: [String] = []
        var field: [UInt8] = []
        field.reserveCapacity(256)

        func finishField() throws {
            guard let s = Self.decodeUTF8(field) else { throw DelimitedFileError.invalidUTF8(row: row, line: startLine) }
            fields.append(s)
            field.removeAll(keepingCapacity: true)
        }

        var atFieldStart = true
        var inQuotes = false
        while true {
            guard let b = source.next() else {
                if inQuotes { throw DelimitedFileError.unterminatedQuote(row: row, line: startLine) }
                try finishField()
                break
            }
            if inQuotes {
                if b == quote {
                    if source.peek() == quote { source.skip(1); field.append(quote) } else { inQuotes = false }
                } else {
                    if b == lf { line += 1 }
                    field.append(b)
                }
                continue
            }
            if atFieldStart, b == quote {
                inQuotes = true
                atFieldStart = false
                continue
            }
            if b == delimiter {
                try finishField()
                atFieldStart = true
                continue
            }
            if b == lf || b == cr {
                if b == cr, source.peek() == lf { source.skip(1) }
                line += 1
                try finishField()
                break
            }
            atFieldStart = false
            field.append(b)
        }
        if row > 0, fields.count != header.count {
            throw DelimitedFileError.fieldCount(row: row, line: startLine, expected: header.count, found: fields.count)
        }
        return fields
    }

    /// Strict UTF-8 decoding: nil when the bytes are not well-formed UTF-8.
    static func decodeUTF8(_ bytes: [UInt8]) -> String? {
        // Fast path for ASCII.
        if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Bytes from a file, read in chunks, or from memory.
private struct ByteSource {
    enum Kind {
        case file(FileHandle, path: String)
        case memory
    }

    let kind: Kind
    var buffer: [UInt8]
    var position = 0
    var exhausted: Bool

    static let chunkSize = 1 << 16

    init(kind: Kind, buffer: [UInt8]) {
        self.kind = kind
        self.buffer = buffer
        if case .memory = kind { exhausted = true } else { exhausted = false }
    }

    /// Makes at least `count` bytes available from `position` if the source has them.
    mutating func fill(_ count: Int) {
        while buffer.count - position < count, !exhausted {
            guard case .file(let handle, _) = kind else { exhausted = true; return }
            let data = handle.readData(ofLength: Self.chunkSize)
            if data.isEmpty { exhausted = true; return }
            if position > 0 {
                buffer.removeFirst(position)
                position = 0
            }
            buffer.append(contentsOf: data)
        }
    }

    mutating func peek(_ offset: Int = 0) -> UInt8? {
        if position + offset >= buffer.count { fill(offset + 1) }
        return position + offset < buffer.count ? buffer[position + offset] : nil
    }

    mutating func next() -> UInt8? {
        if position >= buffer.count { fill(1) }
        guard position < buffer.count else { return nil }
        defer { position += 1 }
        return buffer[position]
    }

    mutating func skip(_ n: Int) {
        fill(n)
        position = min(buffer.count, position + n)
    }

    func close() {
        if case .file(let handle, _) = kind { try? handle.close() }
    }
}
