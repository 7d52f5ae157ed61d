import Foundation

/// The file format of a `ToneModel`: one header line, then the model as JSON.
///
///     {"format":"supportsim-tone-model","version":1,"bytes":N,"checksum":"fnv1a64:…"}
///     {…the model…}
///
/// The checksum (64-bit FNV-1a, hex) covers the N bytes after the header line, so a file cut
/// short, edited by hand or damaged is refused with a reason instead of being half-used.
public enum ToneModelFile {
    public static let format = "supportsim-tone-model"
    public static let version = 1

    struct Header: Codable {
        var format: String
        var version: Int
        var bytes: Int
        var checksum: String
    }

    /// The file's bytes for `model` (deterministic: sorted keys).
    public static func encode(_ model: ToneModel) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let payload = try encoder.encode(model)
        let header = Header(format: format, version: version, bytes: payload.count, checksum: checksum(payload))
        var data = try encoder.encode(header)
        data.append(0x0A)
        data.append(payload)
        data.append(0x0A)
        return data
    }

    /// The model in `data`, or what is wrong with it.
    public static func decode(_ data: Data) -> Result<ToneModel, ToneModelFileError> {
        guard !data.isEmpty else { return .failure(.empty) }
        guard let newline = data.firstIndex(of: 0x0A),
              let header = try? JSONDecoder().decode(Header.self, from: data[data.startIndex..<newline]),
              header.format == format else { return .failure(.notAToneModel) }
        guard header.version == version else { return .failure(.unsupportedVersion(header.version)) }
        let start = data.index(after: newline)
        guard header.bytes >= 0, data.distance(from: start, to: data.endIndex) >= header.bytes else {
            return .failure(.truncated)
        }
        let payload = data[start..<data.index(start, offsetBy: header.bytes)]
        guard checksum(payload) == header.checksum else { return .failure(.checksumMismatch) }
        let model: ToneModel
        do { model = try JSONDecoder().decode(ToneModel.self, from: payload) } catch {
            return .failure(.malformed("\(error)"))
        }
        guard model.isWellFormed else { return .failure(.malformed("the weights and examples do not have the declared shapes")) }
        return .success(model)
    }

    /// 64-bit FNV-1a of `bytes`, as `fnv1a64:` and 16 hex digits.
    public static func checksum<D: DataProtocol>(_ bytes: D) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return "fnv1a64:" + String(h, radix: 16).leftPadded(to: 16)
    }
}

private extension String {
    func leftPadded(to n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}

/// Why a tone model file cannot be used. `message(_:)` says it in English or Russian, with what to do.
public enum ToneModelFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case missing(path: String)
    case empty
    case notAToneModel
    case unsupportedVersion(Int)
    case truncated
    case checksumMismatch
    case malformed(String)

    public var description: String { message(.en) }

    public func message(_ language: Language) -> String {
        let ru = language == .ru
        let what: String
        switch self {
        case .missing(let path):
            what = ru ? "нет файла \(TerminalText.sanitize(path, keepNewlines: false))" : "the file \(TerminalText.sanitize(path, keepNewlines: false)) is missing"
        case .empty: what = ru ? "файл пуст" : "the file is empty"
        case .notAToneModel: what = ru ? "это не файл модели тона (нет заголовка \(ToneModelFile.format))" : "it is not a tone model file (no \(ToneModelFile.format) header)"
        case .unsupportedVersion(let v): what = ru ? "неизвестная версия формата \(v)" : "unknown format version \(v)"
        case .truncated: what = ru ? "файл обрывается раньше конца модели" : "the file ends before the model does"
        case .checksumMismatch: what = ru ? "контрольная сумма не совпадает (файл повреждён или изменён)" : "the checksum does not match (the file is damaged or was edited)"
        case .malformed(let detail):
            let d = TerminalText.sanitize(String(detail.prefix(200)), keepNewlines: false)
            what = ru ? "модель не читается: \(d)" : "the model cannot be read: \(d)"
        }
        return ru
            ? "Модель тона не используется: \(what); переобучите её командой `Scripts/train-tone.sh` или восстановите файл из репозитория. Вежливость оценивается по словарю."
            : "The tone model is not used: \(what); retrain it with `Scripts/train-tone.sh` or restore the file from the repository. Politeness is judged by the lexicon alone."
    }
}
