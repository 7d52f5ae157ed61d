import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimLexicons
import SupportSimReport
import SupportSimStore

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Review one stored attempt: the conversation, every scored event, the path, the scores and model answers.",
        discussion: """
        The database is only read. Parts of the reply that caused a scored event are marked \
        [[like this]] in text and highlighted in HTML. The customer's opening line, and for attempts \
        stored before model answers were kept their model answers and scenario points, come from a \
        replay of the attempt with its seed; that needs the scenario file at the attempt's version \
        (--scenarios), and what cannot be replayed is named. An abandoned attempt shows no total.
        """,
        aliases: ["review"]
    )

    @Argument(help: "The attempt number (see `supportsim report`).")
    var attempt: Int64

    @Option(name: .long, help: "Output format: text, json or html.")
    var format: ReviewFormat = .text

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "The scenario folder, for the replay (default: $SUPPORTSIM_SCENARIOS or ./Scenarios).")
    var scenarios: String?

    @Option(name: .long, help: "Text width in columns, at least 40.")
    var width: Int = 80

    func validate() throws {
        guard width >= 40 else { throw ValidationError("--width must be at least 40.") }
    }

    func run() throws {
        let path = store.path
        guard let database = try StoreAccess.openForReading(path) else {
            throw UserError("There is no attempts database at \(path); play a scenario first, or give --db.")
        }
        guard let stored = try database.storedAttempt(id: attempt) else {
            throw UserError("There is no attempt #\(attempt); see `supportsim report` for the attempts.")
        }
        let replay = Self.replay(stored, scenarios: scenarios)
        var review = AttemptReview(stored, replay: replay)
        if let audit = try database.audit(attemptIDs: [attempt])[attempt] {
            // Overrides and rescorings: the latest automatic scores shown, with the originals kept.
            var latest = stored
            latest.record = audit.latestAutomatic(stored.record)
            review = AttemptReview(latest, replay: replay)
            review.audit = audit
            if !audit.rescorings.isEmpty { review.originalScores = stored.record }
        }
        let text = AttemptReviewRenderer(review, language: store.language, width: width).render(format)
        print(text, terminator: "")
    }

    /// Replays the attempt on its scenario (same version, same seed, the turns not taken back): the
    /// opening always, the score card only when the stored evidence lacks its details. Nil when the
    /// scenario file at that version is not at hand; nothing is written.
    static func replay(_ stored: StoredAttempt, scenarios: String?) -> AttemptReview.Replay? {
        let record = stored.record
        guard let loaded = try? ScenarioLibrary.resolve(scenarios).find(record.scenarioID),
              let scenario = loaded.result.scenario, scenario.version == record.scenarioVersion
        else { return nil }
        let mode = record.mode.known ?? .exam
        var opening = Engine(scenario: scenario, seed: record.seed, analyzer: BundledLexicons.analyzer, mode: mode)
        let openingEvents = opening.start()
        guard stored.lacksEvidenceDetails else { return .init(opening: openingEvents) }
        return .init(opening: openingEvents, card: AttemptReplay.score(stored, scenario: scenario).card)
    }
}

extension ReviewFormat: ExpressibleByArgument {}
