/// How people type, undone at word level by `TextNormalizer` (one place, plain data):
///
/// - **Look-alike letters.** A word that mixes Latin and Cyrillic letters is written in its
///   majority script: the minority script's look-alikes (Cyrillic а е о р с у х к м т в н, Latin
///   a e o p c y x k m t b h) are replaced by their twins («пpинтep» with Latin p → «принтер»,
///   "cоmputer" with Cyrillic о → "computer"). When only one script has letters without a twin
///   (п, и, з; f, i, l), the word is in that script; when every letter has a twin, the script of
///   the nearest word before it decides, then the majority. A word of digits and
///   Cyrillic look-alikes only is written in Latin ("1С" with Cyrillic С → "1c").
/// - **Chat abbreviations and slang.** Whole words from `words` are written out ("pls" →
///   "please", «плиз» → «пожалуйста»); Russian slang nouns in `nouns` keep their case ending
///   («компа» → «компьютера», «скрином» → «скриншотом», «проги» → «программы»).
///   The table is small on purpose: only forms that are unambiguous in a support chat.
enum TypedForms {
    // MARK: - Look-alike letters

    /// Cyrillic → Latin twins.
    private static let cyrillicToLatin: [UInt32: UInt32] = [
        0x430: 0x61, 0x435: 0x65, 0x43E: 0x6F, 0x440: 0x70, 0x441: 0x63, 0x443: 0x79,   // а е о р с у
        0x445: 0x78, 0x43A: 0x6B, 0x43C: 0x6D, 0x442: 0x74, 0x432: 0x62, 0x43D: 0x68,   // х к м т в н
    ]
    private static let latinToCyrillic: [UInt32: UInt32] = Dictionary(
        uniqueKeysWithValues: cyrillicToLatin.map { ($0.value, $0.key) })

    /// The script of a word, for context.
    enum Script: UInt8, Sendable { case latin, cyrillic }

    /// Folds the look-alike letters of a word that mixes scripts to one script (see the type's
    /// documentation). `latin` and `cyrillic` count the word's basic Latin and Cyrillic letters;
    /// `context` is the script of the nearest word before it. Returns the script chosen, if any.
    @discardableResult
    static func foldLookalikes(_ word: inout [UInt32], latin: Int, cyrillic: Int, hasDigit: Bool,
                               context: Script?) -> Script? {
        let toLatin: Bool
        if latin == 0 {
            // digits and Cyrillic letters only: fold to Latin when every letter has a Latin twin
            guard hasDigit else { return nil }
            for c in word where c >= 0x430 && c <= 0x44F && cyrillicToLatin[c] == nil { return nil }
            toLatin = true
        } else {
            var latinOnly = 0, cyrillicOnly = 0
            for c in word {
                if c >= 0x61 && c <= 0x7A, latinToCyrillic[c] == nil { latinOnly += 1 }
                if c >= 0x430 && c <= 0x44F, cyrillicToLatin[c] == nil { cyrillicOnly += 1 }
            }
            if (latinOnly > 0) != (cyrillicOnly > 0) {
                // only one script has letters without a twin: the word is written in it
                toLatin = latinOnly > 0
            } else if latinOnly == 0, let context {
                // every letter has a twin («рос» / "poc"): the words around decide
                toLatin = context == .latin
            } else if latin != cyrillic {
                toLatin = latin > cyrillic
            } else {
                toLatin = latinOnly > cyrillicOnly
            }
        }
        let table = toLatin ? cyrillicToLatin : latinToCyrillic
        for k in word.indices {
            if let twin = table[word[k]] { word[k] = twin }
        }
        return toLatin ? .latin : .cyrillic
    }

    // MARK: - Abbreviations and slang

    /// Whole words written out in full. Keys and values are normalised (lower case, «е» for «ё»).
    static let words: [String: String] = [
        // English chat forms ("pc" stays: it is a word of its own)
        "u": "you", "ur": "your", "pls": "please", "plz": "please", "plse": "please", "thx": "thanks",
        "thnx": "thanks", "thanx": "thanks", "tnx": "thanks", "msg": "message", "cuz": "because",
        // Russian
        "плиз": "пожалуйста", "плз": "пожалуйста", "пжл": "пожалуйста", "пжлст": "пожалуйста",
        "пж": "пожалуйста", "спс": "спасибо", "щас": "сейчас",
        "ребут": "перезагрузка", "ребута": "перезагрузки", "ребутом": "перезагрузкой",
        "ребутни": "перезагрузи", "ребутните": "перезагрузите", "ребутнуть": "перезагрузить",
        "ребутнул": "перезагрузил", "ребутнула": "перезагрузила", "ребутнули": "перезагрузили",
        "ребутну": "перезагружу", "ребутнем": "перезагрузим", "ребутнете": "перезагрузите",
    ]

    /// Russian slang nouns: a stem, its full form, and the case endings that carry over
    /// (ending as typed → ending of the full form).
    static let nouns: [(stem: String, full: String, endings: [String: String])] = [
        ("комп", "компьютер", masculine),
        ("ноут", "ноутбук", masculine),
        ("инет", "интернет", masculine),
        ("скрин", "скриншот", masculine),
        ("прог", "программ", ["а": "а", "и": "ы", "у": "у", "ой": "ой", "е": "е", "": "", "ам": "ам",
                              "ами": "ами", "ах": "ах"]),
    ]

    private static let masculine: [String: String] = [
        "": "", "а": "а", "у": "у", "ом": "ом", "е": "е", "ы": "ы", "ов": "ов", "ам": "ам", "ами": "ами", "ах": "ах",
    ]

    private static func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

    private static let wordTable: [[UInt32]: [UInt32]] = Dictionary(
        uniqueKeysWithValues: words.map { (scalars($0.key), scalars($0.value)) })

    private static let nounTable: [(stem: [UInt32], full: [UInt32], endings: [[UInt32]: [UInt32]])] = nouns.map { noun in
        (scalars(noun.stem), scalars(noun.full),
         Dictionary(uniqueKeysWithValues: noun.endings.map { (scalars($0.key), scalars($0.value)) }))
    }

    /// The longest word in either table; longer words are never looked up.
    private static let longest = max(words.keys.map { $0.unicodeScalars.count }.max() ?? 0,
                                     nouns.map { $0.stem.unicodeScalars.count + 3 }.max() ?? 0)

    /// Slot of a word's first letter in `lengths`: basic Latin 0–127, Cyrillic а–я 128–159.
    @inline(__always)
    private static func slot(_ c: UInt32) -> Int? {
        if c < 0x80 { return Int(c) }
        if c >= 0x430 && c <= 0x44F { return 128 + Int(c - 0x430) }
        return nil
    }

    /// Per first letter, a bit per word length that some table entry has: most words are ruled
    /// out without hashing them.
    private static let lengths: [UInt32] = {
        var mask = [UInt32](repeating: 0, count: 160)
        for key in wordTable.keys { if let f = key.first, let s = slot(f), key.count < 32 { mask[s] |= 1 << key.count } }
        for noun in nounTable {
            guard let f = noun.stem.first, let s = slot(f) else { continue }
            for ending in noun.endings.keys where noun.stem.count + ending.count < 32 {
                mask[s] |= 1 << (noun.stem.count + ending.count)
            }
        }
        return mask
    }()

    /// Writes out an abbreviation or slang word in place; leaves other words alone.
    static func expand(_ word: inout [UInt32]) {
        guard word.count <= longest, let first = word.first, let s = slot(first),
              lengths[s] & (1 << UInt32(word.count)) != 0 else { return }
        if let full = wordTable[word] { word = full; return }
        // nouns: only Cyrillic words that start like a slang stem
        guard first >= 0x430, first <= 0x44F, word.count >= 4 else { return }
        for noun in nounTable where word.count >= noun.stem.count && word.count <= noun.stem.count + 3
            && hasPrefix(word, noun.stem) {
            if let ending = noun.endings[Array(word[noun.stem.count...])] {
                word = noun.full + ending
                return
            }
        }
    }
}
