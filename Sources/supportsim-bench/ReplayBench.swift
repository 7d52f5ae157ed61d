import Foundation
import SupportSimCore
import SupportSimEval
import SupportSimLexicons

/// The "replay" section of the benchmark (issue 9): every run of every golden transcript in the
/// scenario folder played through the engine and the scorers (as `supportsim test` does, reading by
/// rules; the meaning model is left out so the figure measures the engine), on one thread, for at
/// least `minimumSeconds`, beside the 2,000 runs/s target.
struct ReplayBench: BenchSection {
    static let target = 2_000.0
    static let minimumSeconds = 2.0

    var transcripts: Int
    var runsPerPass: Int
    var runs: Int
    var seconds: Double
    var failures: Int
    var runsPerSecond: Double
    var target = ReplayBench.target

    init(transcripts: Int, runsPerPass: Int, runs: Int, seconds: Double, failures: Int) {
        self.transcripts = transcripts; self.runsPerPass = runsPerPass; self.runs = runs; self.seconds = seconds
        self.failures = failures
        runsPerSecond = seconds > 0 ? Double(runs) / seconds : 0
    }

    enum CodingKeys: String, CodingKey {
        case transcripts, runsPerPass = "runs_per_pass", runs, seconds, failures, runsPerSecond = "runs_per_second", target
    }

    static func run(scenarios folder: String, notes: inout [String]) -> ReplayBench? {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { GoldenTranscript.isTranscriptFile($0) }.sorted()
        var pairs: [(Scenario, GoldenTranscript)] = []
        for name in files {
            let path = (folder as NSString).appendingPathComponent(name)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                  let transcript = GoldenTranscript.parse(text).transcript else {
                notes.append("replay: \(name) does not read")
                continue
            }
            let scenarioPath = (folder as NSString).appendingPathComponent(transcript.scenario + ".yaml")
            guard let scenarioText = try? String(contentsOfFile: scenarioPath, encoding: .utf8),
                  let scenario = ScenarioParser.parse(scenarioText).scenario else {
                notes.append("replay: the scenario of \(name) does not read")
                continue
            }
            pairs.append((scenario, transcript))
        }
        guard !pairs.isEmpty else {
            notes.append("replay: no golden transcripts in \(folder)")
            return nil
        }
        let pipeline = ScoringPipeline.standard(analyzer: BundledLexicons.analyzer, spellChecker: nil)
        let runsPerPass = pairs.reduce(0) { $0 + $1.1.runs.count }
        // One warm-up pass, then whole passes until the minimum time has gone by.
        var failures = 0
        for (scenario, transcript) in pairs {
            failures += GoldenRunner.run(scenario: scenario, transcript: transcript, pipeline: pipeline)
                .filter { !$0.mismatches.isEmpty }.count
        }
        let clock = ContinuousClock()
        let start = clock.now
        var runs = 0
        repeat {
            for (scenario, transcript) in pairs {
                runs += GoldenRunner.run(scenario: scenario, transcript: transcript, pipeline: pipeline).count
            }
        } while (clock.now - start).seconds < minimumSeconds
        return ReplayBench(transcripts: pairs.count, runsPerPass: runsPerPass, runs: runs,
                           seconds: (clock.now - start).seconds, failures: failures)
    }

    func rendered() -> String {
        var table = TextTable(["replay (rules, one thread)", "transcripts", "runs", "seconds", "runs/s", "target"])
        table.add(["golden transcripts", "\(transcripts) (\(runsPerPass) runs)", Format.grouped(Double(runs)),
                   String(format: "%.2f", seconds), Format.grouped(runsPerSecond), "≥ " + Format.grouped(Self.target)])
        var out = table.render()
        if failures > 0 { out += "\nnote: \(failures) run(s) do not match their expectations (see `supportsim test`)" }
        return out
    }
}
