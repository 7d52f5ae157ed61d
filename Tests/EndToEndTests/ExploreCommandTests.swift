import Foundation
import Testing

/// `supportsim explore` on the built binary.
@Suite struct ExploreCommandTests {
    static let off = ["SUPPORTSIM_EMBEDDINGS": "off"]

    static let shipped: [String] = {
        let folder = CLI.packageRoot.appendingPathComponent("Scenarios")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") && !$0.contains(".transcript.") }.sorted().map { "Scenarios/" + $0 }
    }()

    @Test("Given a shipped scenario, when it is explored with the default runs, then every node, intent, harmful rule and ending is reached and the exit code is 0",
          arguments: ExploreCommandTests.shipped)
    func shippedScenarioHasFullCoverage(file: String) throws {
        let result = try CLI.run(["explore", file, "--lang", "en"], environment: Self.off)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("Full coverage"), "\(result.stdout)")
        #expect(result.stdout.contains("Loops: none") && result.stdout.contains("Engine errors: none"))
    }

    @Test("Given the shipped scenarios, when the folder is listed, then there are at least five")
    func shippedScenariosAreThere() { #expect(Self.shipped.count >= 5) }

    @Test("Given a scenario with an unreachable node and ending, when it is explored, then they are named with file:line:col as unreachable in the graph and the exit code is 1")
    func unreachableIsNamed() throws {
        let file = "Tests/Fixtures/explore-unreachable.yaml"
        let result = try CLI.run(["explore", file, "--runs", "200", "--lang", "en"], environment: Self.off)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("✗ \(file):26:3: node 'orphan' — unreachable in the graph"), "\(result.stdout)")
        #expect(result.stdout.contains("✗ \(file):29:17: intent 'orphan_step' at node 'orphan' — unreachable in the graph"))
        #expect(result.stdout.contains("impossible in this scenario: escalated"))
        #expect(result.stdout.contains("Coverage not complete: 3 unreachable in the graph."))
    }

    @Test("Given a scenario that goes round without end, when it is explored as JSON, then the loops are reported with their runs, path and inputs, and the exit code is 1")
    func loopAsJSON() throws {
        let result = try CLI.run(["explore", "Tests/Fixtures/explore-loop.yaml", "--runs", "40", "--max-turns", "30",
                                  "--seed", "5", "--format", "json"], environment: Self.off)
        #expect(result.status == 1, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["complete"] as? Bool == false)
        #expect(object["scenario"] as? String == "explore-loop")
        #expect(object["runs"] as? Int == 40 && object["seed"] as? Int == 5 && object["max_turns"] as? Int == 30)
        #expect(object["meaning"] as? String == "off")
        #expect((object["loop_runs"] as? Int ?? 0) > 0)
        #expect(object["error_runs"] as? Int == 0)
        let loops = try #require(object["loops"] as? [[String: Any]])
        let first = try #require(loops.first)
        #expect(first["turn"] as? Int == 30)
        #expect((first["path"] as? [String])?.isEmpty == false)
        #expect((first["inputs"] as? [String])?.count == 8)
        let nodes = try #require(object["nodes"] as? [[String: Any]])
        #expect(nodes.map { $0["id"] as? String } == ["ping", "pong"])
        #expect(nodes.first?["line"] as? Int == 7 && nodes.first?["reachable"] as? Bool == true)
    }

    @Test("Given one seed, when a scenario is explored twice, then the output is the same; with another seed the inputs differ")
    func deterministic() throws {
        let args = ["explore", "Tests/Fixtures/explore-loop.yaml", "--runs", "30", "--max-turns", "25", "--format", "json"]
        let a = try CLI.run(args + ["--seed", "9"], environment: Self.off)
        let b = try CLI.run(args + ["--seed", "9"], environment: Self.off)
        let c = try CLI.run(args + ["--seed", "10"], environment: Self.off)
        #expect(a.stdout == b.stdout && !a.stdout.isEmpty)
        #expect(a.stdout != c.stdout)
    }

    @Test("Given a run reported as a loop, when that run alone is asked for, then all its inputs and its path are shown, the same as in the exploration")
    func oneRun() throws {
        let args = ["explore", "Tests/Fixtures/explore-loop.yaml", "--runs", "40", "--max-turns", "30", "--seed", "5"]
        let all = try CLI.run(args + ["--format", "json"], environment: Self.off)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [String: Any])
        let loop = try #require((object["loops"] as? [[String: Any]])?.first)
        let number = try #require(loop["run"] as? Int)
        let one = try CLI.run(args + ["--run", "\(number)", "--format", "json"], environment: Self.off)
        #expect(one.status == 1)
        let run = try #require(try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
        let inputs = try #require(run["inputs"] as? [String])
        #expect(inputs.count == 30)
        #expect(Array(inputs.suffix(8)) == loop["inputs"] as? [String])
        #expect(run["ending"] is NSNull && run["run_seed"] as? UInt64 == loop["run_seed"] as? UInt64)
        let text = try CLI.run(args + ["--run", "\(number)", "--lang", "en"], environment: Self.off)
        #expect(text.stdout.hasPrefix("Run \(number) of explore-loop (seed 5, run seed "), "\(text.stdout)")
        #expect(text.stdout.contains("30 inputs, no ending") && text.stdout.contains("  30. \""))
    }

    @Test("Given the Russian interface, when a scenario is explored, then the report is in Russian")
    func russian() throws {
        let result = try CLI.run(["explore", "Tests/Fixtures/explore-unreachable.yaml", "--runs", "100", "--lang", "ru"],
                                 environment: Self.off)
        #expect(result.status == 1)
        #expect(result.stdout.contains("Узлы: достигнуто 2 из 4"), "\(result.stdout)")
        #expect(result.stdout.contains("узел 'orphan' — недостижим в графе"))
        #expect(result.stdout.contains("Зацикливания: нет"))
        #expect(result.stdout.contains("Покрытие неполное"))
    }

    @Test("Given a scenario file with errors, when it is explored, then the diagnostics are printed as lint prints them and the exit code is 2")
    func badFile() throws {
        let dir = try CLI.temporaryDirectory()
        let file = dir.appendingPathComponent("bad.yaml")
        try "id: bad\ntitle: Bad\nlanguage: en\npersona: {name: Olga}\nstart: nowhere\nnodes:\n  a:\n    customer: Hi\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let result = try CLI.run(["explore", file.path], environment: Self.off)
        #expect(result.status == 2)
        #expect(result.stderr.contains("bad.yaml:5:8: error:"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        // and a missing file is a bad file too
        #expect(try CLI.run(["explore", dir.appendingPathComponent("none.yaml").path], environment: Self.off).status == 2)
        // while wrong options are a usage error
        #expect(try CLI.run(["explore", file.path, "--runs", "0"], environment: Self.off).status == 64)
    }
}
