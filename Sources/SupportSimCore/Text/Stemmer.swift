import CStemmer
import Foundation

/// The language a word is stemmed in, chosen from its script.
public enum StemLanguage: Sendable, Equatable {
    case russian, english, none

    /// Cyrillic letters → Russian, Latin letters → English; words with digits, or in other
    /// scripts, are not stemmed.
    static func of(_ scalars: [UInt32]) -> StemLanguage {
        var latin = false
        for v in scalars {
            if v >= 0x30 && v <= 0x39 { return .none }
            if v >= 0x400 && v <= 0x4FF { return .russian }
            if (v >= 0x61 && v <= 0x7A) || (v >= 0xC0 && v <= 0x24F) { latin = true }
        }
        return latin ? .english : .none
    }
}

/// Snowball stemming (libstemmer) for Russian and English.
///
/// A libstemmer handle is not thread-safe, so both handles and the memo of stemmed words are
/// used only under `lock`; the class is therefore safe to share between threads.
public final class SnowballStemmer: @unchecked Sendable {
    /// The process-wide stemmer used by `TextNormalizer` and `Matcher`.
    public static let shared = SnowballStemmer()

    /// Words longer than this are returned unchanged (they are not real words, and stemming
    /// them would only fill the memo).
    static let maxWordLength = 48
    private static let memoLimit = 50_000

    private let lock = NSLock()
    private let russian: OpaquePointer?
    private let english: OpaquePointer?
    private var memo: [String: [UInt32]] = [:]

    public init() {
        russian = sb_stemmer_new("russian", "UTF_8")
        english = sb_stemmer_new("english", "UTF_8")
    }

    deinit {
        sb_stemmer_delete(russian)
        sb_stemmer_delete(english)
    }

    /// The stem of a lower-case word ("restarting" → "restart", «перезагрузите» → «перезагруз»).
    public func stem(_ word: String) -> String {
        let scalars = word.unicodeScalars.map(\.value)
        return String(String.UnicodeScalarView(stemScalars(word, scalars).compactMap(Unicode.Scalar.init)))
    }

    /// The stem as scalar values; `scalars` are the word's scalar values.
    func stemScalars(_ word: String, _ scalars: [UInt32]) -> [UInt32] {
        if scalars.count < 3 || scalars.count > Self.maxWordLength { return scalars }
        let language = StemLanguage.of(scalars)
        if language == .none { return scalars }
        lock.lock()
        defer { lock.unlock() }
        if let known = memo[word] { return known }
        let handle = language == .russian ? russian : english
        guard let handle else { return scalars }
        var utf8 = Array(word.utf8)
        let result: [UInt32] = utf8.withUnsafeMutableBufferPointer { buf -> [UInt32] in
            guard let base = buf.baseAddress,
                  let out = sb_stemmer_stem(handle, base, Int32(buf.count)) else { return scalars }
            let length = Int(sb_stemmer_length(handle))
            let bytes = UnsafeBufferPointer(start: out, count: length)
            return String(decoding: bytes, as: UTF8.self).unicodeScalars.map(\.value)
        }
        if memo.count >= Self.memoLimit { memo.removeAll(keepingCapacity: true) }
        memo[word] = result
        return result
    }
}
