import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimStore

struct RescoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rescore",
        abstract: "Score stored attempts again with today's scenario files and scorers, keeping the original scores.",
        discussion: """
        Each finished attempt is replayed with its stored seed and turns on the scenario file as it is \
        now, and scored with this version's scorers. The new scores are stored as a new scoring (with \
        the scorer version and the scenario's version and content hash); the scores stored when the \
        attempt was played are never changed, and `report` shows the latest scoring. Prints how many \
        scores changed and by how much per category, and which attempts could not be rescored and why \
        (scenario missing, replay diverged, never finished). --dry-run stores nothing.
        """
    )

    @Option(name: .long, help: "Only attempts at this scenario id.")
    var scenario: String?

    @Flag(name: .long, help: "Compute and print the changes, but store nothing.")
    var dryRun = false

    @Option(name: .long, help: "The scenario folder (default: $SUPPORTSIM_SCENARIOS or ./Scenarios).")
    var scenarios: String?

    @OptionGroup var store: StoreOptions

    func run() throws {
        let path = try StoreAccess.existingSQLiteFile(store.path, command: "rescore")
        // Every attempt is read and replayed on a read-only connection first; the file is opened for
        // writing only at the end, to store the rescorings. A newer or damaged file is left as it was.
        let database = try AttemptDatabase.openReadOnly(path: path)
        if !dryRun, case .newerVersion(let found, let known)? = database.notice {
            throw StoreError.newerVersion(path: path, found: found, known: known)
        }
        if let notice = database.notice { FileHandle.standardError.write(Data("note: \(notice)\n".utf8)) }
        var toStore: [(id: Int64, card: ScoreCard, version: Int, hash: String?)] = []
        let attempts = try database.attempts(AttemptFilter(scenarioID: scenario)).reversed()
        let audits = try database.audit(attemptIDs: attempts.map(\.id))
        let library = ScenarioLibrary.resolve(scenarios)
        var loaded: [String: (Scenario, String?)?] = [:]
        var summary = RescoreSummary()
        let now = Date()
        for record in attempts {
            guard record.endedAt != nil else {
                summary.skipped.append((record.id, .notFinished)); continue
            }
            if loaded[record.scenarioID] == nil {
                if let file = try? library.find(record.scenarioID), let scenario = file.result.scenario {
                    loaded[record.scenarioID] = .some((scenario, SessionLauncher.contentHash(ofFile: file.url.path)))
                } else {
                    loaded[record.scenarioID] = .some(nil)
                }
            }
            guard let (scenario, hash) = loaded[record.scenarioID]! else {
                summary.skipped.append((record.id, .scenarioMissing(record.scenarioID, folder: library.directory.path)))
                continue
            }
            guard let stored = try database.storedAttempt(id: record.id) else { continue }
            let result = AttemptReplay.score(stored, scenario: scenario)
            if let turn = result.divergedAt {
                summary.skipped.append((record.id, .diverged(turn: turn)))
                continue
            }
            let before = audits[record.id]?.latestAutomatic(record) ?? record
            summary.rescored += 1
            for category in Category.allCases {
                summary.add(category.rawValue, old: before.score(category), new: result.card.score(category)?.score)
            }
            if record.status == .completed {
                summary.add("total", old: before.total, new: result.card.total)
                if before.passed != result.card.passed { summary.resultsChanged += 1 }
            }
            toStore.append((record.id, result.card, scenario.version, hash))
        }
        if !dryRun, !toStore.isEmpty {
            let writer = try AttemptDatabase(path: path)
            for r in toStore {
                try writer.recordRescore(attemptID: r.id, card: r.card, scenarioVersion: r.version, scenarioHash: r.hash, at: now)
            }
        }
        print(TerminalText.sanitize(summary.render(dryRun: dryRun, words: AuditWords(store.language))), terminator: "")
    }
}

/// The counts `rescore` prints.
struct RescoreSummary {
    struct Change { var count = 0; var sum = 0; var maxChange = 0 }
    var rescored = 0
    var changes: [String: Change] = [:]
    var resultsChanged = 0
    static let order = Category.allCases.map(\.rawValue) + ["total"]
    enum Skip { case notFinished, scenarioMissing(String, folder: String), diverged(turn: Int) }
    var skipped: [(Int64, Skip)] = []

    mutating func add(_ category: String, old: Int?, new: Int?) {
        guard old != new else { return }
        var c = changes[category, default: Change()]
        c.count += 1
        let delta = (new ?? 0) - (old ?? 0)
        c.sum += delta
        if abs(delta) > abs(c.maxChange) { c.maxChange = delta }
        changes[category] = c
    }

    func render(dryRun: Bool, words w: AuditWords) -> String {
        var out = dryRun ? w.t("Dry run: would rescore \(rescored) attempt\(rescored == 1 ? "" : "s")",
                               "Пробный запуск: было бы переоценено попыток: \(rescored)")
                         : w.t("Rescored \(rescored) attempt\(rescored == 1 ? "" : "s")", "Переоценено попыток: \(rescored)")
        let changed = changes.values.reduce(0) { $0 + $1.count }
        out += changed == 0 ? w.t("; no score changed.\n", "; ни одна оценка не изменилась.\n")
            : w.t("; \(changed) score\(changed == 1 ? "" : "s") changed:\n", "; изменилось оценок: \(changed):\n")
        for category in Self.order {
            guard let c = changes[category] else { continue }
            let mean = String(format: "%+.1f", Double(c.sum) / Double(c.count))
            let max = (c.maxChange > 0 ? "+" : "") + String(c.maxChange)
            out += w.t("  \(category): \(c.count) changed, mean change \(mean), max change \(max)\n",
                       "  \(category): изменилось \(c.count), в среднем \(mean), наибольшее изменение \(max)\n")
        }
        if resultsChanged > 0 {
            out += w.t("  result (passed/failed): \(resultsChanged) changed\n", "  результат (сдано/не сдано): изменился у \(resultsChanged)\n")
        }
        if !skipped.isEmpty {
            out += w.t("Not rescored: \(skipped.count)\n", "Не переоценено: \(skipped.count)\n")
            for (id, why) in skipped {
                let text: String = switch why {
                case .notFinished: w.t("never finished (no stored score)", "не завершена (оценки нет)")
                case .scenarioMissing(let scenario, let folder):
                    w.t("scenario \(scenario) missing (or has errors) in \(folder)", "сценария \(scenario) нет в \(folder) (или в нём ошибки)")
                case .diverged(let turn):
                    w.t("replay diverged at turn \(turn) (the scenario's paths changed)",
                        "повтор разошёлся на ходе \(turn) (пути сценария изменились)")
                }
                out += "  #\(id): \(text)\n"
            }
        }
        return out
    }
}
