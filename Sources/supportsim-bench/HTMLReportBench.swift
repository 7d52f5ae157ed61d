import Foundation
import SupportSimCore
import SupportSimStore

/// The "HTML report" section of the benchmark (issue 10, target: HTML for 10,000 attempts under
/// 2 s): a temporary store is filled through the store's API with `attempts` attempts (50 trainees,
/// practice and exam, spread over 12 weeks, one in ten abandoned, each with the evidence of a scored
/// session), then `supportsim report --format html --output FILE` is timed as a process.
struct HTMLReportBench: BenchSection {
    var attempts: Int
    var trainees: Int
    var fillSeconds: Double
    var seconds: Double
    var bytes: Int
    static let targetSeconds = 2.0

    enum CodingKeys: String, CodingKey {
        case attempts, trainees, fillSeconds = "fill_seconds", seconds, bytes, targetSeconds = "target_seconds"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(attempts, forKey: .attempts); try c.encode(trainees, forKey: .trainees)
        try c.encode(fillSeconds, forKey: .fillSeconds); try c.encode(seconds, forKey: .seconds)
        try c.encode(bytes, forKey: .bytes); try c.encode(Self.targetSeconds, forKey: .targetSeconds)
    }

    static func run(attempts: Int, notes: inout [String]) -> HTMLReportBench? {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("supportsim-html-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("team.sqlite").path
        let page = dir.appendingPathComponent("report.html").path
        let trainees = 50
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let clock = ContinuousClock()
            let start = clock.now
            try fill(db, attempts: attempts, trainees: trainees)
            let fillSeconds = (clock.now - start).seconds
            let seconds = try timeProcess(supportsimBinary, ["report", "--db", db, "--format", "html", "--output", page])
            let bytes = (try? FileManager.default.attributesOfItem(atPath: page)[.size] as? Int) ?? 0
            return HTMLReportBench(attempts: attempts, trainees: trainees, fillSeconds: fillSeconds, seconds: seconds, bytes: bytes)
        } catch {
            notes.append("HTML report: \(error)")
            return nil
        }
    }

    /// Stores `attempts` attempts, one transaction each, with varied scores and the evidence of a
    /// scored session of the benchmark's scenario.
    static func fill(_ path: String, attempts: Int, trainees: Int) throws {
        let (session, engine) = StoreWritersBench.playedSession()
        let base = session.pipeline.score(engine.transcript, scenario: session.scenario)
        let database = try AttemptDatabase(path: path)
        var random = SeededRandom(seed: 42)
        let twelveWeeks = 12.0 * 7 * 86_400
        let now = Date()
        for i in 0..<attempts {
            let new = NewAttempt(
                trainee: "trainee-\(i % trainees)", scenarioID: session.scenario.id, scenarioTitle: session.scenario.title,
                language: .en, mode: i % 3 == 0 ? .exam : .practice, seed: UInt64(i),
                startedAt: now.addingTimeInterval(-twelveWeeks * Double(attempts - i) / Double(attempts)))
            var card = base
            for c in card.categories.indices { card.categories[c].score = Int(random.next() % 101) }
            card.total = card.categories.isEmpty ? 0 : card.categories.map(\.score).reduce(0, +) / card.categories.count
            card.passed = card.critical.isEmpty && card.total >= card.passMark
            let abandoned = i % 10 == 9
            _ = try database.importAttempt(existingID: nil, new, turns: [], ending: abandoned ? nil : .resolved,
                                           card: abandoned ? nil : card, finalNode: nil, at: new.startedAt.addingTimeInterval(600))
        }
    }

    func rendered() -> String {
        [
            "",
            "HTML report (`report --format html` over \(attempts) attempts of \(trainees) trainees, as a process)",
            String(format: "  %.2f s (target %.0f s: %@), %d KB written; store filled in %.1f s", seconds, Self.targetSeconds,
                   seconds < Self.targetSeconds ? "met" : "NOT met", bytes / 1024, fillSeconds),
        ].joined(separator: "\n")
    }
}
