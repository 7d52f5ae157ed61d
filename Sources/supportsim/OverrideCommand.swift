import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimStore

struct OverrideCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "override",
        abstract: "Store a manager's score for one category of an attempt, beside the automatic one.",
        discussion: """
        The automatic score is never changed: the override is kept beside it with who, when and why, \
        and `report` and `show` show both ("72 → 85 (override by anna: reason)"). Overriding the \
        same category again keeps the history; the latest one is shown. The total and the result \
        stay automatic.
        """
    )

    @Argument(help: "The attempt number (see `supportsim report`).")
    var attempt: Int64

    @Option(name: .long, help: "The category: correctness, politeness, escalation or spelling.")
    var category: String

    @Option(name: .long, help: "The manager's score, from 0 to 100.")
    var score: Int

    @Option(name: .long, help: "Why the score is overridden (shown in reports).")
    var reason: String

    @Option(name: .long, help: "Who overrides (default: the login name).")
    var by: String?

    @OptionGroup var store: StoreOptions

    var parsedCategory: Category? { Category(rawValue: category.lowercased()) }

    func validate() throws {
        guard parsedCategory != nil else {
            let names = Category.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--category must be one of \(names), not '\(TerminalText.sanitize(category, keepNewlines: false))'.")
        }
        guard (0...100).contains(score) else { throw ValidationError("--score must be from 0 to 100, not \(score).") }
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("--reason must say why the score is overridden.")
        }
    }

    func run() throws {
        let path = store.path
        let category = parsedCategory!
        let words = AuditWords(store.language)
        // Everything is read and checked first, without writing: a newer, damaged or wrong file, an
        // unknown attempt or a category without a score leaves the store as it was.
        guard let reader = try StoreAccess.openForReading(path) else {
            throw UserError("There is no attempts database at \(PostgresURL.redact(path)); give --db.")
        }
        if let file = reader as? AttemptDatabase, case .newerVersion(let found, let known)? = file.notice {
            throw StoreError.newerVersion(path: path, found: found, known: known)
        }
        guard let record = try reader.attempt(id: attempt) else {
            throw UserError(words.noAttempt(attempt))
        }
        let automatic = try reader.audit(attemptIDs: [attempt])[attempt]?.latestAutomatic(record) ?? record
        guard let before = automatic.score(category) else {
            throw UserError(words.notScored(attempt, category.rawValue))
        }
        let database = try StoreAccess.openForWriting(path)
        let saved = try database.addOverride(
            attemptID: attempt, category: category, score: score, reason: reason,
            by: RunEnvironment.trainee(by), at: Date())
        print(TerminalText.sanitize(
            words.overridden(attempt, category.rawValue, before: before, after: saved.score, by: saved.by, reason: saved.reason)))
    }
}

/// The messages of `override`, `rescore` and `verify` in the interface language.
struct AuditWords {
    let language: Language
    init(_ language: Language) { self.language = language }
    func t(_ en: String, _ ru: String) -> String { language == .ru ? ru : en }

    func noAttempt(_ id: Int64) -> String {
        t("There is no attempt #\(id); see `supportsim report` for the attempts.",
          "Попытки №\(id) нет; список попыток: `supportsim report`.")
    }
    func notScored(_ id: Int64, _ category: String) -> String {
        t("Attempt #\(id) has no \(category) score (the category did not apply or the attempt was not scored), so there is nothing to override.",
          "У попытки №\(id) нет оценки «\(category)» (категория не применялась или попытка не оценена); переопределять нечего.")
    }
    func overridden(_ id: Int64, _ category: String, before: Int, after: Int, by: String, reason: String) -> String {
        t("Attempt #\(id) \(category): \(before) → \(after) (override by \(by): \(reason)). The automatic score is kept.",
          "Попытка №\(id), \(category): \(before) → \(after) (переопределил(а) \(by): \(reason)). Автоматическая оценка сохранена.")
    }
}

extension AuditWords {
    /// One line of `verify`: where, what kind of break, and what was found.
    func chainBreak(_ b: ChainBreak) -> String {
        var place = b.attemptID.map { t("attempt #\($0)", "попытка №\($0)") } ?? t("the attempts", "попытки")
        if let turn = b.turn { place += t(", turn \(turn)", ", ход \(turn)") }
        let kind: String = switch b.kind {
        case .edited: t("edited", "изменено")
        case .deleted: t("deleted", "удалено")
        case .inserted: t("inserted", "вставлено")
        }
        let detail: String
        switch b.reason {
        case .attemptEdited:
            detail = t("trainee, scenario, seed, start or provenance differ from what was written",
                       "стажёр, сценарий, зерно, начало или происхождение не те, что были записаны")
        case .attemptStateEdited:
            detail = t("its end, status, scores, retries, taken-back turns, overrides or rescorings differ from what was written",
                       "конец, статус, оценки, повторы, отменённые ходы, переопределения или переоценки не те, что были записаны")
        case .turnEdited:
            detail = t("the turn's text, input, events or times differ from what was written",
                       "текст, ввод, события или время хода не те, что были записаны")
        case .attemptsDeleted(let from, let to, let linkedBy):
            let ids = from.flatMap { f in to.map { f == $0 ? "#\(f)" : "#\(f)–#\($0)" } }
            detail = ids.map { t("\($0) was deleted (attempt #\(linkedBy) links to a row that is gone)",
                                 "\($0) удалена (попытка №\(linkedBy) ссылается на исчезнувшую запись)") }
                ?? t("an attempt before #\(linkedBy) was deleted", "удалена попытка перед №\(linkedBy)")
        case .newestAttemptsDeleted(let lastLeft):
            detail = t("the newest chained attempt was deleted", "удалена самая новая попытка цепочки")
                + (lastLeft.map { t(" (the newest one left is #\($0))", " (самая новая из оставшихся — №\($0))") } ?? "")
        case .turnsDeleted(let from, let to, let last):
            let which = from == to ? t("turn \(from)", "ход \(from)") : t("turns \(from)–\(to)", "ходы \(from)–\(to)")
            detail = last ? t("\(which) (the last) was deleted", "\(which) (последний) удалён")
                          : t("\(which) was deleted (the next turn links to a row that is gone)",
                              "\(which) удалён (следующий ход ссылается на исчезнувшую запись)")
        case .attemptInserted:
            detail = t("this attempt has no chain hash but was stored after chaining began",
                       "у попытки нет хеша цепочки, хотя она сохранена после начала цепочки")
        case .turnInserted:
            detail = t("this turn has no chain hash", "у хода нет хеша цепочки")
        }
        return "\(place): \(kind): \(detail)"
    }
}
