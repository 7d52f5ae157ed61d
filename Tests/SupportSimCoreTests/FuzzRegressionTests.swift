import Foundation
import Testing
@testable import SupportSimCore

/// Replays the fuzz corpus (Fuzz/corpus) and every fixture (inputs the fuzzer once crashed on
/// are kept in Fixtures/fuzz) through the same promises Fuzz/FuzzScenario.swift checks.
@Suite("Fuzz corpus and fixtures replay")
struct FuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var inputs: [String] {
        let folders = ["Fuzz/corpus", "Tests/SupportSimCoreTests/Fixtures"]
        var out: [String] = []
        for folder in folders {
            let url = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey]) else { continue }
            for case let file as URL in walker where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                out.append(String(file.path.dropFirst(root.path.count + 1)))
            }
        }
        return out.sorted()
    }

    @Test func thereIsSomethingToReplay() {
        // Then the corpus and the hostile fixtures are found
        #expect(Self.inputs.contains("Fuzz/corpus/minimal.yaml"))
        #expect(Self.inputs.contains("Tests/SupportSimCoreTests/Fixtures/hostile/invalid-utf8.yaml"))
    }

    @Test(arguments: FuzzRegressionTests.inputs)
    func inputKeepsTheParserPromises(_ path: String) throws {
        // Given the bytes of one corpus file or fixture
        let data = try Data(contentsOf: Self.root.appendingPathComponent(path))

        // When they are parsed as a scenario (and as a golden transcript when they are text)
        let (source, result) = ScenarioParser.parse(bytes: data)
        let transcript = source.isValid ? GoldenTranscript.parse(source.text) : nil

        // Then every diagnostic is located and coded, they are sorted, and a scenario comes back exactly when there is no error
        let lines = SourceLines(source.text)
        for d in result.diagnostics {
            #expect(d.location.line >= 1 && d.location.column >= 1)
            #expect(!d.code.isEmpty)
            #expect(d.rendered(file: path, lines: lines).hasPrefix("\(path):\(d.location.line):\(d.location.column): "))
        }
        #expect(result.diagnostics.map(\.location) == result.diagnostics.map(\.location).sorted())
        #expect((result.scenario == nil) == result.hasErrors)
        if let transcript { #expect(transcript.transcript != nil || transcript.hasErrors) }
    }
}
