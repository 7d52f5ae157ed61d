import SupportSimCore
import SupportSimStore

/// Headers and words of the grouped report in the report's language.
struct GroupWords {
    let language: Language
    init(_ language: Language) { self.language = language }

    private func t(_ en: String, _ ru: String) -> String { language == .ru ? ru : en }

    func groupTitle(_ grouping: AttemptGrouping) -> String {
        switch grouping {
        case .trainee: t("Trainee", "Стажёр")
        case .scenario: t("Scenario", "Сценарий")
        case .week: t("Week of", "Неделя с")
        case .month: t("Month", "Месяц")
        case .category: t("Category", "Категория")
        case .skill: t("Skill", "Навык")
        }
    }

    var attempts: String { t("Att.", "Попыт.") }
    var abandoned: String { t("Ab.", "Прерв.") }
    var pass: String { t("Pass", "Сдано") }
    var total: String { t("Total", "Итог") }
    var correct: String { t("Correct", "Корр.") }
    var polite: String { t("Polite", "Вежл.") }
    var escalation: String { t("Escal.", "Эскал.") }
    var trend: String { t("Trend", "Тренд") }
    var category: String { t("Category", "Категория") }
    var scored: String { t("Scored", "Оценено") }
    var mean: String { t("Mean", "Среднее") }
    var spread: String { t("Spread", "Разброс") }
    var skill: String { t("Skill lost", "Что упущено") }
    var lostIn: String { t("Attempts", "Попыток") }
    var share: String { t("Share", "Доля") }
    var noSkills: String { t("No points lost in the attempts selected.", "В выбранных попытках баллы не потеряны.") }

    func score(_ score: ScoreColumn) -> String {
        switch score {
        case .correctness: t("Correctness", "Корректность")
        case .politeness: t("Politeness", "Вежливость")
        case .escalation: t("Escalation", "Эскалация")
        case .total: t("Total", "Итог")
        }
    }

    private func modeName(_ mode: StoredValue<PlayMode>) -> String {
        switch mode {
        case .known(.practice): t("Practice", "Тренировка")
        case .known(.exam): t("Exam", "Экзамен")
        case .unknown(let raw): Words(language).unknown(raw)
        }
    }

    func heading(_ mode: StoredValue<PlayMode>, _ grouping: AttemptGrouping) -> String {
        let by: String = switch grouping {
        case .trainee: t("by trainee", "по стажёрам")
        case .scenario: t("by scenario", "по сценариям")
        case .week: t("by week", "по неделям")
        case .month: t("by month", "по месяцам")
        case .category: t("by category", "по категориям")
        case .skill: t("weakest skills", "слабые места")
        }
        return modeName(mode) + " — " + by
    }

    func skillsHeading(_ mode: StoredValue<PlayMode>) -> String {
        modeName(mode) + " — " + t("weakest skills", "слабые места")
    }

    func proficiencyHeading(_ halfLife: Double) -> String {
        let days = Int(halfLife.rounded())
        return t("Recency-weighted proficiency (half-life \(days) days)",
                 "Уровень с учётом давности (период полураспада \(days) дн.)")
    }

    func outOf(_ count: Int, _ total: Int) -> String { t("\(count) of \(total)", "\(count) из \(total)") }

    func counts(attempts: Int, abandoned: Int, passRate: String) -> String {
        t("\(attempts) attempts (\(abandoned) abandoned), pass rate \(passRate)",
          "Попыток: \(attempts) (прервано: \(abandoned)), сдано: \(passRate)")
    }

    /// Footnotes under the grouped table, each at most 80 columns.
    func notes(_ grouping: AttemptGrouping, window: Int) -> [String] {
        var lines = [t("Mean±spread over completed attempts; abandoned ones are only counted (Ab.).",
                       "Среднее±разброс — по завершённым попыткам; прерванные только считаются.")]
        switch grouping {
        case .week:
            lines.append(t("Trend: the mean total against the previous week.", "Тренд: средний итог против прошлой недели."))
        case .month:
            lines.append(t("Trend: the mean total against the previous month.", "Тренд: средний итог против прошлого месяца."))
        case .trainee, .scenario, .category:
            lines.append(t("Trend: the mean of the last \(window) days against the \(window) days before.",
                           "Тренд: среднее за последние \(window) дн. против \(window) дн. до них."))
        case .skill:
            break
        }
        return lines
    }
}

/// What a lost skill is called in a report: the rules every scenario shares have their own words
/// in both languages; a scenario's own steps and rules use the message stored with the evidence
/// (in the scenario's language).
public enum SkillWords {
    public static func describe(_ gap: SkillGap, language: Language) -> String {
        let ru = language == .ru
        func t(_ en: String, _ r: String) -> String { ru ? r : en }
        let rule = gap.rule
        if rule.hasPrefix("escalation:note:") {
            let item = String(rule.dropFirst("escalation:note:".count))
            return t("hand-off note missed: ", "в записке для передачи нет: ") + EscalationDefaults.label(item, language: language)
        }
        switch rule {
        case "escalation:too-early": return t("escalated too early", "эскалация слишком рано")
        case "escalation:too-late": return t("escalated too late", "эскалация слишком поздно")
        case "escalation:missed": return t("did not escalate when needed", "не передал(а) дело, когда было нужно")
        case "escalation:unnecessary", "escalation:not-needed":
            return t("escalated when it was not needed", "эскалация без необходимости")
        case "escalation:wrong-target", "escalation:target": return t("escalated to the wrong team", "передано не той команде")
        case "escalation:wrong-kind": return t("wrong kind of escalation", "не тот вид эскалации")
        case "escalation:customer-not-told", "escalation:told-customer":
            return t("did not tell the customer about the hand-off", "не сказал(а) клиенту о передаче")
        case "escalation:no-time-frame": return t("gave no time frame", "не назвал(а) сроки")
        case "escalation:no-ownership": return t("did not take ownership", "не взял(а) ответственность")
        case "escalation:no-refusal", "escalation:refusal": return t("did not refuse what had to be refused", "не отказал(а), где нужно")
        case "escalation:impolite-refusal": return t("refused impolitely", "невежливый отказ")
        case "escalation:no-alternative": return t("offered no alternative", "не предложил(а) альтернативу")
        case "politeness:no-greeting": return t("did not greet the customer", "не поздоровался(-ась) с клиентом")
        case "politeness:no-empathy": return t("showed no empathy", "не выразил(а) сочувствия")
        case "politeness:no-closing": return t("no polite closing", "нет вежливого завершения")
        case "politeness:formal-address": return t("informal address", "неформальное обращение")
        case "closed-unresolved": return t("closed the ticket unresolved", "закрыл(а) заявку нерешённой")
        case "close:note-unclear": return t("unclear closing note", "неясная запись о закрытии")
        case "fallback": return t("replies not understood", "ответы не поняты")
        case "hint": return t("asked for hints", "брал(а) подсказки")
        default: return gap.message.isEmpty ? rule : gap.message
        }
    }
}
