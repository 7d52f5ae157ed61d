import SupportSimCore

/// The messages of trainer debug mode (`play --debug`) and of a reply's explanation (`:match`,
/// `supportsim match`), in English and Russian.
extension UIStrings {
    // MARK: Debug session

    public func debugBanner(seed: UInt64) -> String {
        t("DEBUG MODE (trainer): this session is NOT stored as an attempt; nothing is written to the database or a recovery file. Seed \(seed). Type :help for the debug commands.",
          "РЕЖИМ ОТЛАДКИ (для тренера): этот сеанс НЕ сохраняется как попытка; в базу данных и в файл восстановления ничего не пишется. Зерно \(seed). Команды отладки: :help.")
    }
    public func debugStartedAt(_ node: String) -> String {
        t("Started at node \(node).", "Начало с узла \(node).")
    }
    public var debugNotStored: String {
        t("Not stored as an attempt (debug mode).", "Не сохранено как попытка (режим отладки).")
    }
    public var debugHelpTitle: String { t("Debug commands:", "Команды отладки:") }
    public func describe(debugCommand: String) -> String {
        switch debugCommand {
        case ":where": t("— the current node, turn, mood and ending", "— текущий узел, ход, настроение и исход")
        case ":vars": t("— steps credited and pending, hints, escalation, score so far",
                        "— засчитанные и ожидаемые шаги, подсказки, эскалация, баллы на сейчас")
        case ":goto": t("<node> — jump to a node (no turn is played)", "<узел> — перейти к узлу (ход не играется)")
        case ":match": t("\"<reply>\" — how this reply would be read here, without playing it",
                         "«<реплика>» — как была бы прочитана реплика здесь, без хода")
        case ":help": t("— this list", "— этот список")
        default: ""
        }
    }
    public var debugHelpFooter: String {
        t("The /commands and replies work as in a normal session.", "Команды с / и реплики работают как в обычном сеансе.")
    }
    public func debugUnknownCommand(_ command: String, suggestion: String?) -> String {
        if let suggestion {
            return t("Unknown debug command \(command). Did you mean \(suggestion)?",
                     "Неизвестная команда отладки \(command). Может быть, \(suggestion)?")
        }
        return t("Unknown debug command \(command). Type :help for the list.",
                 "Неизвестная команда отладки \(command). Список: :help.")
    }
    public func debugUsage(_ command: String) -> String {
        t("Usage: \(command) \(describe(debugCommand: command))", "Формат: \(command) \(describe(debugCommand: command))")
    }
    public func unknownNode(_ id: String, suggestions: [String], nodes: [String]) -> String {
        let base = t("No node '\(id)' in this scenario.", "В сценарии нет узла «\(id)».")
        if !suggestions.isEmpty {
            let list = suggestions.joined(separator: ", ")
            return base + " " + t("Did you mean: \(list)?", "Может быть: \(list)?")
        }
        return base + " " + t("Nodes: \(nodes.joined(separator: ", ")).", "Узлы: \(nodes.joined(separator: ", ")).")
    }
    public func jumped(to node: String) -> String { t("Jumped to node \(node).", "Переход к узлу \(node).") }
    public var debugOver: String {
        t("The conversation has ended; there is nothing to read a reply at.", "Разговор окончен; реплику читать негде.")
    }

    // MARK: :where and :vars

    public func whereNode(_ node: String, turn: Int) -> String {
        t("node: \(node) (turn \(turn))", "узел: \(node) (ход \(turn))")
    }
    public func strain(_ strain: Int, patience: Int) -> String {
        t("strain \(strain) of patience \(patience)", "раздражение \(strain) из терпения \(patience)")
    }
    public var managerDemanded: String { t("the customer has demanded a manager", "клиент потребовал руководителя") }
    public var stillOpen: String { t("ending: none yet", "исход: пока нет") }
    public func credited(_ ids: [String]) -> String {
        t("steps credited: ", "засчитанные шаги: ") + list(ids)
    }
    public func atThisNode(done: [String], pending: [String]) -> String {
        t("at this node: done ", "в этом узле: сделано ") + list(done) + t("; pending ", "; ожидается ") + list(pending)
    }
    public func hintsUsed(_ n: Int) -> String { t("hints used: \(n)", "подсказок взято: \(n)") }
    public func escalationState(_ requirement: EscalationRequirement, _ escalations: [EngineState.Escalation]) -> String {
        let policy: String = switch requirement {
        case .required: t("required", "обязательна")
        case .forbidden: t("forbidden", "запрещена")
        case .optional: t("optional", "по желанию")
        }
        let done = escalations.map { e in
            e.target + " (" + (e.refused ? t("refused", "отклонена") : e.accepted ? t("accepted", "принята")
                                                                                  : t("not accepted", "не принята")) + ")"
        }
        return t("escalation: ", "эскалация: ") + policy + t("; escalated: ", "; передано: ") + list(done)
    }
    public func closable(_ yes: Bool) -> String {
        yes ? t("/close resolves the case here", "здесь /close решает обращение")
            : t("/close here closes the case unresolved", "здесь /close закроет обращение без решения")
    }
    public func path(_ nodes: [String]) -> String { t("path: ", "путь: ") + nodes.joined(separator: " → ") }
    public var scoreSoFarTitle: String { t("score so far:", "баллы на сейчас:") }
    public func totalNow(_ total: Int, passMark: Int) -> String {
        t("total \(total) / 100 (pass mark \(passMark))", "итог \(total) / 100 (проходной балл \(passMark))")
    }
    private func list(_ items: [String]) -> String { items.isEmpty ? t("none", "нет") : items.joined(separator: ", ") }

    // MARK: Explanation of a reply (`:match`, `supportsim match`)

    public var explainReply: String { t("Reply:", "Реплика:") }
    public var explainMeaning: String { t("Meaning:", "Смысл:") }
    public func explainMeaningOn(_ model: String) -> String { t("on (\(model))", "вкл. (\(model))") }
    public var explainMeaningOff: String { t("off (no model; rules only)", "выкл. (нет модели; только правила)") }
    public var explainResult: String { t("Result", "Результат") }
    public var labelCredited: String { t("credited:", "засчитано:") }
    public var labelHarmful: String { t("harmful:", "вредно:") }
    public var labelCritical: String { t("critical:", "критично:") }
    public var labelKeyFact: String { t("key fact:", "факт:") }
    public var labelPath: String { t("path:", "путь:") }
    public var labelMood: String { t("mood:", "настроение:") }
    public var labelCustomer: String { t("customer:", "клиент:") }
    public var creditedNothing: String { t("nothing", "ничего") }
    public func givenInAdvance(at node: String) -> String {
        t(" (at \(node), given in advance)", " (в узле \(node), сказано заранее)")
    }
    public var notRecognisedFallback: String { t("not recognised (fallback)", "не распознано (fallback)") }
    public var notRecognisedClarify: String {
        t("not recognised (clarifying question)", "не распознано (уточняющий вопрос)")
    }
    public func wrongValue(_ quotedValue: String) -> String { t("wrong value \(quotedValue)", "неверное значение \(quotedValue)") }
    public var factMissing: String { t("missing", "не указан") }
    public func factAccepted(_ quotedValue: String) -> String { t("accepted \(quotedValue)", "принято \(quotedValue)") }
    public var factAbsent: String { t("not stated (not required)", "не указан (не обязателен)") }
    public var explainMore: String {
        t("(--explain shows the clauses and the reading of every rule)", "(--explain показывает части фразы и чтение каждого правила)")
    }
    public var explainClauses: String { t("Clauses", "Части фразы") }
    public func negatedBy(_ quotedWord: String) -> String { t("negated by \(quotedWord)", "отрицание: \(quotedWord)") }
    public var clauseCondition: String { t("condition", "условие") }
    public func clauseSafeguard(_ quotedWord: String) -> String { t("safeguard \(quotedWord)", "оговорка \(quotedWord)") }
    public var clauseUnused: String { t("unused: kept for the next nodes", "не использована: сохранена для следующих узлов") }
    public func clauseStep(_ n: Int) -> String { t("step \(n)", "шаг \(n)") }
    public var explainNone: String { t("(none)", "(нет)") }
    public func intentsOf(_ node: String) -> String { t("Intents of \(node)", "Шаги узла \(node)") }
    public func harmfulOf(_ node: String) -> String { t("Harmful rules of \(node)", "Вредные правила узла \(node)") }
    public var criticalOfScenario: String { t("Critical rules of the scenario", "Критические правила сценария") }
    public func noneFired(checked: Int) -> String { t("none fired (\(checked) checked)", "ни одно не сработало (проверено: \(checked))") }
    public var fired: String { t("fired", "сработало") }
    public var firedByMeaning: String { t("fired by meaning", "сработало по смыслу") }
    public var matchedNotCredited: String { t("matched, not credited", "найдено, не засчитано") }
    public var notMatched: String { t("not matched", "не найдено") }
    public var phrases: String { t("phrases:", "фразы:") }
    public var inClause: String { t("in clause", "в части") }
    public func negatedRule(_ quotedWord: String) -> String {
        t("negated: its phrases occur only where \(quotedWord) covers them",
          "отрицание: фразы правила стоят только под \(quotedWord)")
    }
    public func safeguardRule(_ quotedWord: String) -> String {
        t("safeguard: \(quotedWord) makes the action safe", "оговорка: \(quotedWord) делает действие безопасным")
    }
    public func fact(_ name: String) -> String { t("fact \(name):", "факт \(name):") }
    public func meaningScore(_ similarity: String, sample: String, threshold: String) -> String {
        t("meaning: \(similarity) to \(sample), threshold \(threshold)", "смысл: \(similarity) к \(sample), порог \(threshold)")
    }
    public var thresholdOff: String {
        t("off (samples too close to near misses)", "выкл. (образцы слишком близки к контрпримерам)")
    }
    public func nearestMiss(_ quotedSample: String) -> String { t("nearest miss: \(quotedSample)", "ближайший контрпример: \(quotedSample)") }
}
