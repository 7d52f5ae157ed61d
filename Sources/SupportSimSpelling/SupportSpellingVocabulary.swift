import SupportSimCore

/// A word added to a Hunspell dictionary at run time.
public struct ExtraWord: Sendable, Equatable {
    public var word: String
    /// A dictionary word that inflects the same way («компьютер» for «роутер»); its affix rules
    /// give the new word its forms («роутера», «роутером»). Nil adds the word as it is.
    public var like: String?

    public init(_ word: String, like: String? = nil) { self.word = word; self.like = like }
}

extension HunspellChecker {
    /// Everyday technical-support words the Debian dictionaries do not have («роутер», «скриншот»,
    /// "Wi-Fi", "touchpad"). Added to the dictionaries unless the checker is given other words.
    public static let supportVocabulary: [Language: [ExtraWord]] = [
        .ru: [
            ExtraWord("роутер", like: "компьютер"), ExtraWord("скриншот", like: "компьютер"),
            ExtraWord("тикет", like: "компьютер"), ExtraWord("бэкап", like: "компьютер"),
            ExtraWord("мессенджер", like: "компьютер"), ExtraWord("файрвол", like: "компьютер"),
            ExtraWord("фаервол", like: "компьютер"), ExtraWord("фишинг", like: "компьютер"),
            ExtraWord("десктоп", like: "компьютер"), ExtraWord("имейл", like: "компьютер"),
            ExtraWord("апдейт", like: "компьютер"), ExtraWord("юзер", like: "менеджер"),
            ExtraWord("флешка", like: "мышка"), ExtraWord("учётка", like: "плитка"),
            ExtraWord("вебкамера", like: "камера"), ExtraWord("веб-камера", like: "камера"),
            ExtraWord("кэш", like: "душ"), ExtraWord("деинсталлировать", like: "инсталлировать"),
            ExtraWord("офлайн"), ExtraWord("оффлайн"), ExtraWord("вайфай"), ExtraWord("вай-фай"),
        ],
        .en: [
            ExtraWord("wifi"), ExtraWord("Wi-Fi"), ExtraWord("ok"), ExtraWord("bluetooth"), ExtraWord("ethernet"),
            ExtraWord("dropdown", like: "download"), ExtraWord("touchpad", like: "pad"),
            ExtraWord("trackpad", like: "pad"), ExtraWord("hotspot", like: "spot"),
            ExtraWord("signup", like: "setup"), ExtraWord("signout", like: "setup"),
            ExtraWord("autosave", like: "save"), ExtraWord("untick", like: "tick"),
            ExtraWord("unselect", like: "select"), ExtraWord("passcode", like: "code"),
            ExtraWord("helpdesk", like: "desk"), ExtraWord("replug", like: "plug"),
        ],
    ]
}
