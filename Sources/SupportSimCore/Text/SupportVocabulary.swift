/// The shared vocabulary for technical support that ships with the simulator. It is plain data:
/// an organisation can replace this YAML (or load its own file with `Vocabulary.parse(yamlText:)`)
/// without touching the matcher.
public enum SupportVocabulary {
    public static let yaml = """
    ru:
      - [компьютер, комп, пк, ноутбук, ноут]
      - [перезагрузить, перезапустить, ребутнуть, рестарт, выключить и включить]
      - [роутер, маршрутизатор, модем]
      - [пароль, пасс, код доступа]
      - [логин, имя пользователя, учетная запись, учетка, аккаунт]
      - [письмо, сообщение на почту, имейл]
      - [почта, электронная почта, email]
      - [приложение, программа, прога]
      - [обновить, обновление, апдейт]
      - [удалить, снести, деинсталлировать]
      - [установить, поставить, инсталлировать]
      - [заявка, обращение, тикет]
      - [вайфай, wi-fi, wifi, беспроводная сеть]
      - [кабель, провод, шнур]
      - [скриншот, снимок экрана, скрин]
      - [извините, простите, приношу извинения]
    en:
      - [computer, pc, laptop, desktop, machine]
      - [restart, reboot, power-cycle, turn it off and on]
      - [router, modem, access point]
      - [password, passcode, pass phrase]
      - [username, user name, login, account name]
      - [application, app, program]
      - [update, upgrade, patch]
      - [uninstall, remove, delete]
      - [install, set up, setup]
      - [ticket, request, incident]
      - [wifi, wi-fi, wireless network, wireless]
      - [cable, cord, wire]
      - [screenshot, screen capture, screen shot]
      - [sorry, apologies, apologize]
    """

    /// The parsed built-in vocabulary (empty if the YAML above were made invalid).
    public static let shared: Vocabulary = (try? Vocabulary.parse(yamlText: yaml)) ?? .empty

    /// The shared groups for one language (and those without a language), built once per language.
    public static func shared(for language: Language) -> Vocabulary {
        switch language {
        case .en: sharedEnglish
        case .ru: sharedRussian
        }
    }

    private static let sharedEnglish = shared.filtered(language: Language.en.rawValue)
    private static let sharedRussian = shared.filtered(language: Language.ru.rawValue)
}
