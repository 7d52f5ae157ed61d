import CHunspell
import Foundation
import SupportSimCore

/// A dictionary that could not be opened.
public enum SpellingDictionaryError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The `.aff` or `.dic` file is not there; `package` is the Debian package that installs it.
    case missing(language: Language, path: String, package: String)
    /// Hunspell could not load the files.
    case unreadable(language: Language, path: String)

    public var description: String {
        switch self {
        case .missing(let language, let path, let package):
            "spelling dictionary for \(HunspellChecker.languageName(language)) not found: \(path); "
                + "install it with `apt-get install \(package)` (or pass another dictionary directory) / "
                + "не найден словарь для проверки орфографии (\(HunspellChecker.languageNameRU(language))): \(path); "
                + "установите пакет: `apt-get install \(package)` (или укажите другой каталог словарей)"
        case .unreadable(let language, let path):
            "spelling dictionary for \(HunspellChecker.languageName(language)) could not be loaded: \(path) / "
                + "не удалось загрузить словарь (\(HunspellChecker.languageNameRU(language))): \(path)"
        }
    }
}

/// Spell checking with Hunspell and the Debian dictionaries (`hunspell-ru`, `hunspell-en-us`):
/// `ru_RU.aff`/`.dic` and `en_US.aff`/`.dic` in `/usr/share/hunspell` unless another directory is given.
///
/// A Hunspell handle is not thread-safe, so each language's handle and its cache of answers are used
/// only under that language's lock; the checker can be shared between threads. Words are converted
/// to the dictionary's encoding (`SET` in the `.aff` file: UTF-8, KOI8-R, CP1251 or ISO 8859-1).
/// A Russian word written with «е» for «ё» («еще», «все») is correct when the «ё» spelling is.
public final class HunspellChecker: SpellChecker, @unchecked Sendable {
    /// Where the dictionaries are looked for when no directory is given, first match wins.
    public static let defaultDirectories = [
        "/usr/share/hunspell", "/usr/local/share/hunspell", "/opt/homebrew/share/hunspell",
    ]

    /// The dictionary file name (without extension) and the Debian package for each language.
    public static func dictionary(for language: Language) -> (name: String, package: String) {
        switch language {
        case .ru: ("ru_RU", "hunspell-ru")
        case .en: ("en_US", "hunspell-en-us")
        }
    }

    /// The directory the dictionaries were loaded from.
    public let dictionaryDirectory: String
    private let dictionaries: [Language: HunspellDictionary]

    /// Opens the dictionaries of `languages` from `dictionaryDirectory` (default: the first of
    /// `defaultDirectories` that has them) and adds `extraWords` to them. Throws
    /// `SpellingDictionaryError` naming the package to install when a dictionary is missing.
    /// `cacheLimit` is how many answers per language are remembered (0: none).
    public init(dictionaryDirectory: String? = nil, languages: [Language] = Language.allCases,
                extraWords: [Language: [ExtraWord]] = HunspellChecker.supportVocabulary,
                cacheLimit: Int = 50_000) throws {
        let directory = dictionaryDirectory ?? Self.defaultDirectories.first { dir in
            languages.allSatisfy { Self.filesExist(in: dir, language: $0) }
        } ?? Self.defaultDirectories[0]
        self.dictionaryDirectory = directory
        var dictionaries: [Language: HunspellDictionary] = [:]
        for language in languages {
            dictionaries[language] = try HunspellDictionary(directory: directory, language: language,
                                                            extraWords: extraWords[language] ?? [], cacheLimit: cacheLimit)
        }
        self.dictionaries = dictionaries
    }

    public func misspelled(_ words: [String], language: Language) -> [String] {
        guard let dictionary = dictionaries[language] else { return [] }
        return dictionary.misspelled(words)
    }

    /// True when `word` is in the dictionary of `language` (words of a language not loaded are correct).
    public func isCorrect(_ word: String, language: Language) -> Bool {
        misspelled([word], language: language).isEmpty
    }

    static func filesExist(in directory: String, language: Language) -> Bool {
        let name = dictionary(for: language).name
        let fm = FileManager.default
        return fm.fileExists(atPath: "\(directory)/\(name).aff") && fm.fileExists(atPath: "\(directory)/\(name).dic")
    }

    static func languageName(_ language: Language) -> String {
        switch language { case .ru: "Russian"; case .en: "English" }
    }

    static func languageNameRU(_ language: Language) -> String {
        switch language { case .ru: "русский"; case .en: "английский" }
    }
}

/// One Hunspell handle with its lock and cache.
private final class HunspellDictionary: @unchecked Sendable {
    private let handle: OpaquePointer
    private let encoding: DictionaryEncoding
    private let russian: Bool
    private let lock = NSLock()
    private var cache: [String: Bool] = [:]
    private let cacheLimit: Int

    /// Longer words are not real words; they are misspelt without a look-up.
    static let maxWordLength = 64

    init(directory: String, language: Language, extraWords: [ExtraWord], cacheLimit: Int) throws {
        let (name, package) = HunspellChecker.dictionary(for: language)
        let aff = "\(directory)/\(name).aff", dic = "\(directory)/\(name).dic"
        for path in [aff, dic] where !FileManager.default.fileExists(atPath: path) {
            throw SpellingDictionaryError.missing(language: language, path: path, package: package)
        }
        guard let handle = Hunspell_create(aff, dic) else {
            throw SpellingDictionaryError.unreadable(language: language, path: dic)
        }
        self.handle = handle
        let set = Hunspell_get_dic_encoding(handle).map { String(cString: $0) } ?? "UTF-8"
        self.encoding = DictionaryEncoding(name: set)
        self.russian = language == .ru
        self.cacheLimit = max(0, cacheLimit)
        for extra in extraWords { add(extra) }
    }

    /// Adds a word to the run-time dictionary, with the forms of its model word when there is one.
    private func add(_ extra: ExtraWord) {
        guard let word = encoding.cString(extra.word) else { return }
        if let like = extra.like, let model = encoding.cString(like), Hunspell_spell(handle, model) != 0 {
            _ = Hunspell_add_with_affix(handle, word, model)
        } else {
            _ = Hunspell_add(handle, word)
        }
    }

    deinit { Hunspell_destroy(handle) }

    func misspelled(_ words: [String]) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return words.filter { !isCorrectLocked($0) }
    }

    private func isCorrectLocked(_ word: String) -> Bool {
        if let known = cache[word] { return known }
        var correct = spell(word)
        if !correct, russian { correct = withYo(word) }
        if cacheLimit > 0 {
            if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[word] = correct
        }
        return correct
    }

    private func spell(_ word: String) -> Bool {
        guard word.unicodeScalars.count <= Self.maxWordLength, let bytes = encoding.cString(word) else { return false }
        return Hunspell_spell(handle, bytes) != 0
    }

    /// «еще» → «ещё»: tries «ё» in place of each «е» (one at a time, up to four of them).
    private func withYo(_ word: String) -> Bool {
        let scalars = Array(word.unicodeScalars)
        let positions = scalars.indices.filter { scalars[$0] == "е" || scalars[$0] == "Е" }
        guard !positions.isEmpty, positions.count <= 4 else { return false }
        for i in positions {
            var variant = scalars
            variant[i] = scalars[i] == "е" ? "ё" : "Ё"
            if spell(String(String.UnicodeScalarView(variant))) { return true }
        }
        return false
    }
}

/// The 8-bit or UTF-8 encoding a Hunspell dictionary is written in.
enum DictionaryEncoding: Equatable {
    case utf8, koi8r, cp1251, latin1

    init(name: String) {
        switch name.uppercased().replacingOccurrences(of: "_", with: "-") {
        case "KOI8-R": self = .koi8r
        case "CP1251", "MICROSOFT-CP1251", "WINDOWS-1251": self = .cp1251
        case "ISO8859-1", "ISO-8859-1", "LATIN1": self = .latin1
        default: self = .utf8
        }
    }

    /// The word's bytes in this encoding, or nil when a character has no code in it.
    func encode(_ word: String) -> [UInt8]? {
        switch self {
        case .utf8:
            return Array(word.utf8)
        case .latin1:
            return word.data(using: .isoLatin1).map { Array($0) }
        case .cp1251:
            return word.data(using: .windowsCP1251).map { Array($0) }
        case .koi8r:
            var out: [UInt8] = []
            for s in word.unicodeScalars {
                let v = s.value
                if v < 0x80 { out.append(UInt8(v)); continue }
                guard let byte = Self.koi8rCodes[v] else { return nil }
                out.append(byte)
            }
            return out
        }
    }

    /// The word as a NUL-terminated C string in this encoding.
    func cString(_ word: String) -> [CChar]? {
        encode(word).map { $0.map { CChar(bitPattern: $0) } + [0] }
    }

    /// KOI8-R codes of the Russian letters.
    private static let koi8rCodes: [UInt32: UInt8] = {
        let lower = Array("юабцдефгхийклмнопярстужвьызшэщчъ".unicodeScalars)
        var table: [UInt32: UInt8] = [0x451: 0xA3, 0x401: 0xB3]
        for (i, s) in lower.enumerated() {
            table[s.value] = UInt8(0xC0 + i)
            table[s.value - 0x20] = UInt8(0xE0 + i)   // а–я → А–Я
        }
        return table
    }()
}
