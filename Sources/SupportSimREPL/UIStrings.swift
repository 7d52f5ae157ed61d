import Foundation
import SupportSimCore

/// The language of the program's own messages (the scenario's text keeps its own language).
public typealias InterfaceLanguage = Language

/// How an attempt is played.

public enum Localizer {
    public static func strings(_ language: InterfaceLanguage) -> UIStrings { UIStrings(language) }

    /// The interface language from the locale variables (`LC_ALL`, `LC_MESSAGES`, `LANG`): Russian
    /// for `ru…`, English otherwise.
    public static func language(environment: [String: String] = ProcessInfo.processInfo.environment) -> InterfaceLanguage {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[key], !value.isEmpty {
                return value.lowercased().hasPrefix("ru") ? .ru : .en
            }
        }
        return .en
    }
}

/// Every message the session shows, in English and Russian.
public struct UIStrings: Sendable {
    public let language: InterfaceLanguage

    public init(_ language: InterfaceLanguage) { self.language = language }

    func t(_ en: String, _ ru: String) -> String { language == .ru ? ru : en }

    // MARK: Prompts and session control

    public var prompt: String { t("you> ", "вы> ") }
    public var helpHint: String { t("Type /help for commands.", "Введите /help, чтобы увидеть команды.") }
    public var practiceModeNote: String { t("Practice mode: feedback after every turn.", "Тренировка: отзыв после каждого хода.") }
    public var examModeNote: String { t("Exam mode: feedback at the end only.", "Экзамен: отзыв только в конце.") }
    public var quitQuestion: String {
        t("Quit this session? The attempt will be saved as abandoned. [y/N] ",
          "Выйти из сеанса? Попытка будет сохранена как прерванная. [д/Н] ")
    }
    public var quitQuestionNotStored: String {
        t("Quit this session? [y/N] ", "Выйти из сеанса? [д/Н] ")
    }
    public var continuing: String { t("Continuing.", "Продолжаем.") }
    public var invalidEncoding: String {
        t("Input is not valid UTF-8; please retype.", "Ввод не в кодировке UTF-8; наберите, пожалуйста, заново.")
    }
    public func abandonedNote(attempt: Int64?) -> String {
        if let attempt {
            return t("Session ended. Attempt \(attempt) saved as abandoned.",
                     "Сеанс завершён. Попытка \(attempt) сохранена как прерванная.")
        }
        return t("Session ended; the attempt was abandoned.", "Сеанс завершён; попытка прервана.")
    }
    public var sessionEndedNotStored: String {
        t("Session ended. This session is not stored as an attempt.", "Сеанс завершён. Этот сеанс не сохраняется как попытка.")
    }
    public var notStoredByDesign: String {
        t("Not stored as an attempt (recording a transcript).", "Не сохранено как попытка (запись эталонного прогона).")
    }
    public func resumed(attempt: Int64, turns: Int) -> String {
        t("Resuming attempt \(attempt) after \(turns) turn(s).", "Продолжение попытки \(attempt) после ходов: \(turns).")
    }
    public func resumeOffer(attempt: Int64, turns: Int) -> String {
        t("Your last attempt (#\(attempt), \(turns) turn(s)) was interrupted. Resume it? [Y/n] ",
          "Ваша прошлая попытка (№\(attempt), ходов: \(turns)) была прервана. Продолжить её? [Д/н] ")
    }
    public func replayDiffers(turn: Int) -> String {
        t("warning: replaying the attempt gave a different result from turn \(turn) on; the conversation continues from the replayed state.",
          "предупреждение: при повторе попытки результат разошёлся с сохранённым, начиная с хода \(turn); разговор продолжается с повторённого состояния.")
    }
    public var resolutionQuestion: String {
        t("How was the problem resolved? (empty line or Ctrl-C: do not close) ",
          "Как решена проблема? (пустая строка или Ctrl-C — не закрывать) ")
    }
    public var closeCancelled: String { t("The ticket stays open.", "Обращение остаётся открытым.") }
    public var retryDone: String {
        t("Your last reply was taken back. The customer's last words again:",
          "Ваша последняя реплика отменена. Последние слова клиента:")
    }
    public var retryNothing: String { t("There is no reply to take back yet.", "Пока нечего отменять: реплик ещё не было.") }
    public var retryInExam: String {
        t("/retry is not available in exam mode: every reply counts.",
          "В режиме экзамена /retry недоступна: засчитывается каждая реплика.")
    }
    public var retryAfterHint: String {
        t("A hint was taken after your last reply, so it can no longer be taken back.",
          "После вашей последней реплики была взята подсказка, поэтому отменить её уже нельзя.")
    }
    public func saveFailed(_ error: String) -> String {
        t("warning: the attempt could not be saved: \(error)", "предупреждение: не удалось сохранить попытку: \(error)")
    }

    /// Whether an answer to a question whose default is yes ("[Y/n]") means no.
    public func isNo(_ answer: String) -> Bool {
        let a = answer.trimmingCharacters(in: .whitespaces).lowercased()
        return ["n", "no", "н", "нет"].contains(a)
    }

    // MARK: Saving

    public var sessionEnded: String { t("Session ended; the attempt is abandoned.", "Сеанс завершён; попытка прервана.") }
    public func savedAll(attempt: Int64) -> String {
        t("Saved as attempt \(attempt) (every turn and the result).",
          "Сохранено как попытка \(attempt) (все ходы и результат).")
    }
    public func savedInRecoveryFile(path: String, attempt: Int64?, turnsInDatabase: Int, turns: Int) -> String {
        let inDatabase: String
        if let attempt {
            inDatabase = t("The database holds \(turnsInDatabase) of \(turns) turn(s) of attempt \(attempt), without the result. ",
                           "В базе данных \(turnsInDatabase) из \(turns) ход(ов) попытки \(attempt), без результата. ")
        } else {
            inDatabase = t("Nothing of this session is in the database. ", "В базе данных этого сеанса нет. ")
        }
        return inDatabase + t(
            "The whole session is kept in \(path). When the database can be written again, run:",
            "Весь сеанс сохранён в файле \(path). Когда в базу данных снова можно будет писать, выполните:")
    }
    public func savedNowhere(_ reason: String) -> String {
        t("NOT SAVED: this session could not be written to the database nor to a recovery file (\(reason)). Free some disk space or check the permissions, then play again.",
          "НЕ СОХРАНЕНО: сеанс не удалось записать ни в базу данных, ни в файл восстановления (\(reason)). Освободите место на диске или проверьте права доступа и пройдите сценарий снова.")
    }
    public func attemptNotStartedAnywhere(_ reason: String, _ recovery: String) -> String {
        t("The attempt cannot be saved: the database refused it (\(reason)) and no recovery file could be written (\(recovery)). You can play on, but nothing will be kept.",
          "Попытку нельзя сохранить: база данных отказала (\(reason)), и файл восстановления записать не удалось (\(recovery)). Можно продолжать, но ничего не сохранится.")
    }
    public func turnNotSaved(_ turn: Int, _ reason: String, file: String) -> String {
        t("Turn \(turn) was not saved in the database (\(reason)). It is kept in the recovery file \(file); play on.",
          "Ход \(turn) не сохранён в базе данных (\(reason)). Он записан в файл восстановления \(file); продолжайте.")
    }
    public func turnNotSavedAnywhere(_ turn: Int, _ reason: String, _ recovery: String) -> String {
        t("Turn \(turn) was NOT saved: the database refused it (\(reason)) and the recovery file could not be written (\(recovery)).",
          "Ход \(turn) НЕ сохранён: база данных отказала (\(reason)), и файл восстановления записать не удалось (\(recovery)).")
    }
    public func endingNotSaved(_ reason: String, file: String) -> String {
        t("The result was not saved in the database (\(reason)). It is kept in the recovery file \(file).",
          "Результат не сохранён в базе данных (\(reason)). Он записан в файл восстановления \(file).")
    }
    public func endingNotSavedAnywhere(_ reason: String, _ recovery: String) -> String {
        t("The result was NOT saved: the database refused it (\(reason)) and the recovery file could not be written (\(recovery)).",
          "Результат НЕ сохранён: база данных отказала (\(reason)), и файл восстановления записать не удалось (\(recovery)).")
    }
    /// `play` refuses to start because the attempt cannot be stored.
    public func cannotStart(database: String, reason: String) -> String {
        t("""
          Cannot start the session: the attempt cannot be saved in the database \(database): \(reason)
          Nothing was played. Free some disk space or fix the permissions of that file and its folder, \
          or use --db to choose another database file.
          """,
          """
          Сеанс не начат: попытку нельзя сохранить в базе данных \(database): \(reason)
          Ничего не сыграно. Освободите место на диске или исправьте права доступа к файлу и его папке \
          либо укажите другой файл базы данных через --db.
          """)
    }

    // MARK: Recovery

    public func recovered(file: String, attempt: Int64, created: Bool, added: Int, turns: Int, finished: Bool) -> String {
        let what = created
            ? t("Imported \(file) as new attempt \(attempt) with \(turns) turn(s)",
                "Файл \(file) загружен как новая попытка \(attempt), ходов: \(turns)")
            : t("Imported \(file) into attempt \(attempt): \(added) missing turn(s) added",
                "Файл \(file) загружен в попытку \(attempt): добавлено недостающих ходов: \(added)")
        let end = finished ? t(", with its result.", ", с результатом.")
                           : t("; the session had not ended, so the attempt stays abandoned.",
                               "; сеанс не был завершён, поэтому попытка остаётся прерванной.")
        return what + end
    }
    public func recoveryFileKept(_ path: String) -> String {
        t("The recovery file is kept as \(path).", "Файл восстановления сохранён как \(path).")
    }
    public func recoveryReplayMismatch(turn: Int) -> String {
        t("Replaying the recorded inputs did not give the recorded turn \(turn): the scenario file has changed since the session. Restore the version that was played (see `version` in the file), then run recover again.",
          "Повтор записанных реплик не дал записанный ход \(turn): файл сценария изменился после сеанса. Верните сыгранную версию (см. `version` в файле) и снова выполните recover.")
    }

    /// Whether an answer to a yes/no question means yes.
    public func isYes(_ answer: String) -> Bool {
        let a = answer.trimmingCharacters(in: .whitespaces).lowercased()
        return ["y", "yes", "д", "да"].contains(a)
    }

    // MARK: Commands

    public func describe(command: String) -> String {
        switch command {
        case "/escalate": t("<tier or team> <hand-off note> — pass the case on", "<линия или группа> <записка> — передать обращение")
        case "/refer": t("<whom> [note] — refer the customer elsewhere (a manager, procurement; not an escalation)",
                         "<кому> [записка] — направить клиента (руководитель, закупки; не эскалация)")
        case "/close": t("<resolution> — close the ticket", "<решение> — закрыть обращение")
        case "/kb": t("<words> — search the knowledge base", "<слова> — поиск в базе знаний")
        case "/hint": t("— a hint (costs points)", "— подсказка (стоит баллов)")
        case "/retry": t("— take back your last reply (practice only)", "— отменить последнюю реплику (только в тренировке)")
        case "/help": t("— this list", "— этот список")
        case "/quit": t("— leave the session (saved as abandoned)", "— выйти из сеанса (сохраняется как прерванная)")
        default: ""
        }
    }
    public var helpTitle: String { t("Commands:", "Команды:") }
    public var helpReplies: String {
        t("Anything else you type is said to the customer; a number picks a numbered choice.",
          "Всё остальное — ваша реплика клиенту; число выбирает пронумерованный вариант.")
    }
    public func unknownCommand(_ command: String, suggestion: String?) -> String {
        if let suggestion {
            return t("Unknown command \(command). Did you mean \(suggestion)?",
                     "Неизвестная команда \(command). Может быть, \(suggestion)?")
        }
        return t("Unknown command \(command). Type /help for the list.",
                 "Неизвестная команда \(command). Список: /help.")
    }
    public func usage(_ command: String) -> String {
        switch command {
        case "/escalate":
            t("Usage: /escalate <tier or team> <hand-off note>, e.g. /escalate L2 Printer 3F shows a paper-path error…",
              "Формат: /escalate <линия или группа> <записка>, например /escalate L2 Принтер на 3 этаже…")
        case "/refer":
            t("Usage: /refer <whom> [note], e.g. /refer manager Customer asks for a discount on the renewal",
              "Формат: /refer <кому> [записка], например /refer manager Клиент просит скидку на продление")
        default:
            t("Usage: \(command) \(describe(command: command))", "Формат: \(command) \(describe(command: command))")
        }
    }

    // MARK: Header

    public func ticket(number: String?) -> String {
        if let number { return t("Ticket #\(number)", "Заявка №\(number)") }
        return t("Ticket", "Заявка")
    }
    public func channel(_ c: Channel) -> String {
        switch c {
        case .phone: t("phone", "телефон")
        case .chat: t("chat", "чат")
        case .email: t("e-mail", "эл. почта")
        case .portal: t("portal", "портал")
        case .walkIn: t("walk-in", "лично")
        }
    }
    public func priority(_ p: Priority) -> String {
        switch p {
        case .low: t("priority low", "приоритет низкий")
        case .normal: t("priority normal", "приоритет обычный")
        case .high: t("priority high", "приоритет высокий")
        case .critical: t("priority critical", "приоритет критический")
        }
    }
    public func sla(minutes: Int) -> String { t("SLA \(minutes) min", "SLA \(minutes) мин") }
    /// The customer's mood; Russian forms agree with the customer's gender («спокойна»/«спокоен»).
    public func moodName(_ m: Mood, gender: Gender = .female) -> String {
        let female = gender == .female
        return switch m {
        case .calm: t("calm", female ? "спокойна" : "спокоен")
        case .anxious: t("anxious", female ? "встревожена" : "встревожен")
        case .irritated: t("irritated", female ? "раздражена" : "раздражён")
        case .angry: t("angry", "злится")
        case .furious: t("furious", "в ярости")
        }
    }
    public func mood(_ m: Mood, gender: Gender = .female) -> String { t("mood: ", "настроение: ") + moodName(m, gender: gender) }
    public func moodChange(from: Mood, to: Mood, gender: Gender = .female) -> String {
        t("mood: ", "настроение: ") + moodName(from, gender: gender) + " → " + moodName(to, gender: gender)
    }

    // MARK: Events

    public func meaningOff(_ reason: String) -> String {
        t("Note: meaning-based matching is off; replies are read by rules alone. \(reason)",
          "Внимание: распознавание по смыслу выключено, ответы читаются только по правилам. \(reason)")
    }
    public var modelAnswer: String { t("model answer:", "пример ответа:") }
    public var clarifyFree: String {
        t("Not understood; the customer asks you to clarify (no points lost the first time here).",
          "Ответ не распознан; клиент просит уточнить (первый раз здесь — без потери баллов).")
    }
    public func wrongFactValue(fact: String, value: String) -> String {
        t("'\(value)' is the wrong \(fact)", "«\(value)» — неверное значение (\(fact))")
    }
    public func missingFact(_ fact: String) -> String {
        t("the \(fact) is missing", "не указано: \(fact)")
    }
    public var noMatch: String { t("no match", "не распознано") }
    public func critical(_ reason: String) -> String { t("critical: ", "критическая ошибка: ") + reason }
    public var demandsManager: String { t("The customer demands a manager.", "Клиент требует руководителя.") }
    public func escalated(to target: String) -> String { t("Escalated to \(target).", "Передано: \(target).") }
    /// A `/escalate` that the scenario's policy forbids: refused, and the conversation goes on.
    public func escalationRefused(to target: String, reason: String?) -> String {
        var text = t("Escalation to \(target) refused: this case must be handled without escalating; the conversation goes on.",
                     "Передача (\(target)) отклонена: этот случай нужно решить без эскалации; разговор продолжается.")
        if let reason, !reason.isEmpty { text += " " + reason }
        return text
    }
    /// An accepted `/refer`.
    public func referred(to label: String) -> String { t("Referred to \(label).", "Направлено: \(label).") }
    /// A `/refer` to a target the scenario forbids here: refused, and the conversation goes on.
    public func referralRefused(to label: String, reason: String?) -> String {
        var text = t("Referral to \(label) refused: not where this case goes; the conversation goes on.",
                     "Направить (\(label)) нельзя: этот случай туда не передают; разговор продолжается.")
        if let reason, !reason.isEmpty { text += " " + reason }
        return text
    }
    /// A `/escalate` to a `forbidden_to` target: refused, and the conversation goes on.
    public func escalationTargetRefused(to target: String, reason: String?) -> String {
        var text = t("Escalation to \(target) refused: this case must not go there; the conversation goes on.",
                     "Передача (\(target)) отклонена: сюда этот случай передавать нельзя; разговор продолжается.")
        if let reason, !reason.isEmpty { text += " " + reason }
        return text
    }
    public var escalationNotAccepted: String {
        t("(this target is not one the policy accepts)", "(эта линия или группа не предусмотрена регламентом)")
    }
    public var handOffNote: String { t("hand-off note:", "записка:") }
    public var emptyNote: String { t("(no hand-off note)", "(записки нет)") }
    public var closedEarly: String {
        t("Ticket closed before the problem was solved.", "Обращение закрыто, а проблема не решена.")
    }
    public func hint(cost: Int) -> String {
        t("hint (costs \(Plural.points(cost, language: .en))):", "подсказка (стоит \(Plural.points(cost, language: .ru))):")
    }
    /// A deduction scaled from the scenario's points: "−16: 15 of 92 scenario points".
    public func scaledPoints(shown: Int, written: Int, possible: Int) -> String {
        t("−\(shown): \(written) of \(possible) scenario points",
          // «из N» takes the genitive: «из 21 балла», «из 92 баллов».
          "−\(shown): \(written) из \(possible) \(Plural.russian(possible, one: "балла", few: "баллов", many: "баллов")) сценария")
    }
    public var noHint: String { t("No hint here.", "Здесь подсказки нет.") }
    public var kbNoResults: String { t("No knowledge-base articles found.", "В базе знаний ничего не найдено.") }
    public var kbTitle: String { t("Knowledge base:", "База знаний:") }
    public var choicesTitle: String { t("Choices (type the number):", "Варианты (введите номер):") }
    public func rejected(_ reason: String) -> String {
        guard language == .ru else { return "Not accepted: \(reason)." }
        let known: [String: String] = [
            "the conversation has ended": "разговор окончен",
            "empty reply": "пустая реплика",
            "no numbered choices here": "здесь нет пронумерованных вариантов",
        ]
        var text = known[reason] ?? reason
        if reason.hasPrefix("choose ") { text = "выберите " + reason.dropFirst("choose ".count) }
        if reason.hasPrefix("unknown referral target ") {
            text = "неизвестный адресат " + reason.dropFirst("unknown referral target ".count)
                .replacingOccurrences(of: "(targets: ", with: "(можно: ")
        }
        if reason == "no referral targets in this scenario" { text = "в этом сценарии некуда направлять (/refer)" }
        return "Не принято: \(text)."
    }
    /// A politeness strategy id as a readable label.
    public func strategy(_ id: String) -> String {
        PolitenessStrategy.label(id, language: language).replacingOccurrences(of: "_", with: " ")
    }
    /// Why the tone model judged a sentence as it did: its tone, the probability and the nearest
    /// labelled examples (quoted, cut short; the caller sanitises the line).
    public func toneExplanation(_ e: ToneExplanation) -> String {
        let tone: String
        switch e.tone {
        case .rude: tone = t("rude", "грубо")
        case .neutral: tone = t("neutral", "нейтрально")
        case .polite: tone = t("polite", "вежливо")
        }
        let p = Int((e.probability * 100).rounded())
        let examples = e.neighbours.map { quoted(SessionView.shortQuote($0.text)) }.joined(separator: ", ")
        if examples.isEmpty {
            return t("tone model: \(tone) (\(p)%)", "модель тона: \(tone) (\(p)%)")
        }
        return t("tone model: \(tone) (\(p)%), like the labelled examples \(examples)",
                 "модель тона: \(tone) (\(p)%), как размеченные примеры \(examples)")
    }

    // MARK: Debrief

    public var debriefTitle: String { t("Debrief", "Разбор") }
    public func category(_ c: Category) -> String {
        switch c {
        case .correctness: t("Correctness", "Корректность")
        case .politeness: t("Politeness", "Вежливость")
        case .escalation: t("Escalation", "Эскалация")
        case .spelling: t("Spelling", "Орфография")
        }
    }
    public func turn(_ n: Int) -> String { t("turn \(n)", "ход \(n)") }
    public func quoted(_ s: String) -> String { language == .ru ? "«\(s)»" : "\"\(s)\"" }
    public func total(_ total: Int, passed: Bool, passMark: Int) -> String {
        t("Total \(total) / 100 — \(passed ? "PASSED" : "FAILED") (pass mark \(passMark))",
          "Итог \(total) / 100 — \(passed ? "СДАНО" : "НЕ СДАНО") (проходной балл \(passMark))")
    }
    public func criticalError(_ reason: String) -> String {
        t("FAILED: critical error: \(reason)", "НЕ СДАНО: критическая ошибка: \(reason)")
    }
    public var abandonedDebriefTitle: String {
        t("Debrief of an abandoned attempt (what was played so far)", "Разбор прерванной попытки (что успели сыграть)")
    }
    public func totalSoFar(_ total: Int) -> String {
        t("Total so far \(total) / 100 — not passed: the attempt was abandoned",
          "Итог на момент выхода \(total) / 100 — не засчитано: попытка прервана")
    }
    public var noCategories: String { t("No category applied to this session.", "Ни одна категория не применима к этому сеансу.") }
    public func endingName(_ e: EndingKind) -> String {
        switch e {
        case .resolved: t("resolved", "решено")
        case .escalated: t("escalated", "передано дальше")
        case .left: t("the customer left", "клиент ушёл")
        case .closedUnresolved: t("closed unresolved", "закрыто без решения")
        case .abandoned: t("abandoned", "прервано")
        }
    }
    public func ending(_ e: EndingKind) -> String { t("ending: ", "исход: ") + endingName(e) }
    public func saved(attempt: Int64) -> String { t("Saved as attempt \(attempt)", "Сохранено как попытка \(attempt)") }
    public var notSaved: String { t("The attempt was not saved.", "Попытка не сохранена.") }
}
