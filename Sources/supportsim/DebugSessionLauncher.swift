import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimREPL

extension SessionLauncher {
    /// `play --debug [--start NODE]`: a trainer's session with the `:` debug commands. The
    /// database is never opened and no recovery file is written: nothing of it is stored.
    static func runDebug(scenario: Scenario, start: String?, seed: UInt64?, mode: PlayMode, language: Language,
                         historyPerScenario: Bool) throws {
        var startNode: String?
        if let start {
            switch NodeLookup.resolve(start, in: scenario) {
            case .found(let id): startNode = id
            case .unknown(let suggestions):
                throw UserError("--start: " + UIStrings(language).unknownNode(
                    start, suggestions: suggestions, nodes: scenario.nodes.map(\.id)))
            }
        }
        let reader = LineReaderFactory.make(
            historyPath: LineReaderFactory.defaultHistoryPath(
                environment: RunEnvironment.variables, language: language, scenarioID: scenario.id,
                perScenario: historyPerScenario),
            completions: scenario.knowledgeBase.map(\.id), debugNodes: scenario.nodes.map(\.id))
        let meaning = MeaningSupport.index(for: scenario, language: language)
        let session = PlaySession(
            scenario: scenario, seed: seed ?? UInt64.random(in: 1...UInt64(UInt32.max)), mode: mode,
            interfaceLanguage: language, reader: reader, output: .standardOutput(),
            recorder: InMemoryAttemptRecorder(stores: false), scoring: scoring(for: scenario), meaning: meaning,
            tone: meaning == nil ? nil : MeaningSupport.tone(language: language),
            debug: DebugOptions(startNode: startNode))
        let outcome = session.run()
        if let signal = outcome.signal ?? TerminalSignals.terminatingSignal { throw ExitCode(128 + signal) }
    }
}
