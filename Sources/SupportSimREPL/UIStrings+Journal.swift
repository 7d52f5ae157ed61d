import Foundation
import SupportSimCore

/// The messages about the local session journal: during a session whose store went away, at its
/// end, and from `supportsim recover --journal`.
extension UIStrings {
    // MARK: During and at the end of a session

    public func turnKeptInJournal(_ turn: Int, _ reason: String) -> String {
        t("Turn \(turn) was not saved in the store (\(reason)). It is kept in the local journal on this computer and will be delivered when the store is back; play on.",
          "Ход \(turn) не сохранён в хранилище (\(reason)). Он записан в локальный журнал на этом компьютере и будет доставлен, когда хранилище снова станет доступно; продолжайте.")
    }
    public func journalTurnsDelivered(_ count: Int) -> String {
        t("The store is back: the \(count) turn(s) kept locally have reached it, in order.",
          "Хранилище снова доступно: сохранённые локально ходы (\(count)) доставлены в него по порядку.")
    }
    public func endingKeptInJournal(_ reason: String) -> String {
        t("The result was not saved in the store (\(reason)). It is kept in the local journal on this computer.",
          "Результат не сохранён в хранилище (\(reason)). Он записан в локальный журнал на этом компьютере.")
    }
    /// The session's last lines when some of it is only in the journal (followed by the command on a line of its own).
    public func savedInJournal(path: String, attempt: Int64?, turnsInStore: Int, turns: Int, resultKept: Bool) -> String {
        let kept = turns - turnsInStore
        let inStore: String
        if let attempt {
            inStore = t("The store holds \(turnsInStore) of \(turns) turn(s) of attempt \(attempt). ",
                        "В хранилище \(turnsInStore) из \(turns) ход(ов) попытки \(attempt). ")
        } else {
            inStore = t("Nothing of this session is in the store. ", "В хранилище этого сеанса нет. ")
        }
        let what: String
        switch (kept > 0, resultKept) {
        case (true, true): what = t("\(kept) turn(s) and the result are", "\(kept) ход(ов) и результат")
        case (true, false): what = t("\(kept) turn(s) are", "\(kept) ход(ов)")
        default: what = t("The result is", "Результат")
        }
        return inStore + t(
            "\(what) kept locally in the journal \(path), and nothing is lost. When the store is back, deliver them with:",
            "\(what) сохранены локально в журнале \(path), ничего не потеряно. Когда хранилище снова станет доступно, доставьте их командой:")
    }
    /// Told once when the journal could not be used and the session went to a recovery file instead.
    public func keptInRecoveryFileInstead(_ reason: String) -> String {
        t("The local journal cannot be used (\(reason)); the session is kept in a recovery file instead.",
          "Локальный журнал использовать нельзя (\(reason)); сеанс сохраняется в файл восстановления.")
    }

    // MARK: supportsim recover --journal / --list

    public func journalEmpty(_ path: String) -> String {
        t("The journal \(path) holds no session: nothing to deliver.",
          "В журнале \(path) нет сеансов: доставлять нечего.")
    }
    public var journalListHeader: [String] {
        [t("entry", "запись"), t("trainee", "стажёр"), t("scenario", "сценарий"), t("turns", "ходы"),
         t("target", "хранилище"), t("age", "возраст")]
    }
    /// How long ago an entry was last written, e.g. "5 min", "3 h", "2 d".
    public func age(seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds))
        if s < 60 { return t("\(s) s", "\(s) с") }
        if s < 3600 { return t("\(s / 60) min", "\(s / 60) мин") }
        if s < 86400 { return t("\(s / 3600) h", "\(s / 3600) ч") }
        return t("\(s / 86400) d", "\(s / 86400) дн")
    }
    public func journalDelivered(entry: Int64, target: String, attempt: Int64, created: Bool, added: Int, turns: Int,
                                 finished: Bool) -> String {
        let what = created
            ? t("Entry \(entry) delivered to \(target) as new attempt \(attempt) with \(turns) turn(s)",
                "Запись \(entry) доставлена в \(target) как новая попытка \(attempt), ходов: \(turns)")
            : t("Entry \(entry) delivered to \(target) into attempt \(attempt): \(added) missing turn(s) added",
                "Запись \(entry) доставлена в \(target), попытка \(attempt): добавлено недостающих ходов: \(added)")
        let end = finished ? t(", with its result; removed from the journal.", ", с результатом; удалена из журнала.")
                           : t("; the session had not ended, so the attempt stays abandoned; removed from the journal.",
                               "; сеанс не был завершён, поэтому попытка остаётся прерванной; удалена из журнала.")
        return what + end
    }
    public func journalEntryKept(entry: Int64, reason: String) -> String {
        t("Entry \(entry) is kept in the journal: \(reason)",
          "Запись \(entry) оставлена в журнале: \(reason)")
    }
    public func journalSessionStillPlaying(_ pid: Int32) -> String {
        t("its session is still being played (process \(pid)); it is delivered by the session itself, or later.",
          "её сеанс ещё идёт (процесс \(pid)); её доставит сам сеанс или следующий запуск команды.")
    }
    /// Before a session: sessions kept in the journal for other stores, or that could not be delivered now.
    public func journalWaiting(_ count: Int) -> String {
        t("\(count) earlier session(s) are still kept in the local journal; deliver them with:",
          "В локальном журнале ещё хранятся прежние сеансы (\(count)); доставьте их командой:")
    }
    public func journalSummary(delivered: Int, kept: Int) -> String {
        t("Delivered: \(delivered); kept in the journal: \(kept).",
          "Доставлено записей: \(delivered), оставлено в журнале: \(kept).")
    }
    public var journalRunAgain: String {
        t("Run `supportsim recover --journal` again once that is fixed.",
          "Когда это будет исправлено, снова выполните `supportsim recover --journal`.")
    }
}
