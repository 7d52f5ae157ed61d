import Foundation
import Testing

/// `supportsim report --format html` on attempts played from golden transcripts, rendered by
/// headless Chromium (Debian's `chromium`, installed by `make setup`): the page loads without a
/// console message or error, its DOM holds the charts, and a screenshot is saved outside git.
@Suite(.serialized) struct HTMLReportChromiumTests {
    static let env = ["SUPPORTSIM_EMBEDDINGS": "off"]
    static let hostileName = "<script>alert(1)</script>=HYPERLINK(\"http://x\")\u{1B}[31m\u{1B}]8;;http://x\u{07}"

    /// The headless browser: `$CHROMIUM`, else `chromium` or `chromium-browser` on the PATH.
    static func chromium() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let path = env["CHROMIUM"], FileManager.default.isExecutableFile(atPath: path) { return path }
        let dirs = (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init) + ["/usr/bin"]
        for dir in dirs {
            for name in ["chromium", "chromium-browser"] {
                let path = dir + "/" + name
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        return nil
    }

    /// Runs chromium headless on `page` with `arguments`; a browser that hangs is stopped after 180 s.
    static func runChromium(_ browser: String, _ arguments: [String], page: URL, profile: URL) throws -> CLI.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                             "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0"]
            + arguments + [page.absoluteString]
        let outFile = profile.appendingPathExtension("out"), errFile = profile.appendingPathExtension("err")
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outFile)
        process.standardError = try FileHandle(forWritingTo: errFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 180, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        return CLI.Result(status: process.terminationStatus,
                          stdout: (try? String(contentsOf: outFile, encoding: .utf8)) ?? "",
                          stderr: (try? String(contentsOf: errFile, encoding: .utf8)) ?? "")
    }

    /// Console messages and script errors in chromium's log (its own D-Bus and GPU noise is not).
    static func consoleProblems(_ log: String) -> [String] {
        log.split(separator: "\n").map(String.init).filter {
            $0.contains(":CONSOLE") || $0.contains("Uncaught") || $0.contains("net::ERR_")
        }
    }

    @Test("Given attempts played from golden transcripts (practice, exam, abandoned, a hostile name), when the HTML report is rendered in headless Chromium, then the console is clean, the DOM has the charts and a screenshot is saved")
    func rendersInChromium() throws {
        // Chromium is a declared dependency (Makefile DEB_PACKAGES): a missing browser fails the test.
        guard let browser = Self.chromium() else {
            Issue.record("chromium was not found on the PATH (nor $CHROMIUM): run `make setup`, which installs Debian's chromium")
            return
        }
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("team.sqlite").path

        // Given attempts made by playing golden replies through the binary
        let plays: [(scenario: String, run: String, trainee: String, exam: Bool, seed: Int)] = [
            // (each with the seed its golden run is recorded with)
            ("printer-before-board-meeting", "good", "olga", false, 1),
            ("printer-before-board-meeting", "rude", "olga", true, 3),
            ("printer-before-board-meeting", "competent-but-curt", Self.hostileName, true, 4),
            ("printer-before-board-meeting", "good", "ivan", true, 1),
            ("printer-before-board-meeting", "rude", "ivan", true, 3),
        ]
        for p in plays {
            let replies = try ShowCommandTests.goldenReplies(p.scenario, run: p.run)
            let played = try CLI.run(["play", p.scenario, "--db", db, "--trainee", p.trainee, "--seed", "\(p.seed)", "--lang", "en"]
                                     + (p.exam ? ["--exam"] : []),
                                     input: replies.joined(separator: "\n") + "\n", environment: Self.env)
            #expect(played.status == 0, "\(played.stderr)")
        }
        let halfway = try ShowCommandTests.goldenReplies("printer-before-board-meeting", run: "good").prefix(2)
        let abandoned = try CLI.run(["play", "printer-before-board-meeting", "--db", db, "--trainee", "ivan", "--seed", "6",
                                     "--lang", "en"], input: halfway.joined(separator: "\n") + "\n", environment: Self.env)
        #expect(abandoned.status == 0, "\(abandoned.stderr)")

        // When the HTML report is written to a file
        let page = dir.appendingPathComponent("report.html")
        let report = try CLI.run(["report", "--db", db, "--format", "html", "--output", page.path], environment: Self.env)
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script") && !html.contains("\u{1B}") && html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        // each mode's summary counts its attempts, abandoned ones apart (as the JSON report lists them)
        let rows = try #require(try JSONSerialization.jsonObject(
            with: Data(try CLI.run(["report", "--db", db, "--format", "json"]).stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == plays.count + 1)
        for mode in ["practice", "exam"] {
            let ofMode = rows.filter { $0["mode"] as? String == mode }
            let cut = ofMode.filter { $0["status"] as? String != "completed" }.count
            #expect(html.contains("<p class=\"summary\">\(ofMode.count) attempts\(cut > 0 ? " (\(cut) abandoned)" : ""), "),
                    "\(mode): \(ofMode.count) attempts, \(cut) abandoned")
        }
        #expect(rows.contains { $0["status"] as? String == "abandoned" })
        // the exam runs lost points: the exam section's weakest-skills chart has bars, "in N of M attempts"
        let exam = try #require(html.range(of: "id=\"mode-exam\"")).lowerBound
        let weakest = try #require(html.range(of: "<figure class=\"chart weakest\">", range: exam..<html.endIndex))
        let chart = html[weakest.upperBound...]
        let svg = String(chart[..<(chart.range(of: "</svg>")?.upperBound ?? chart.endIndex)])
        #expect(svg.contains("class=\"chart-bar\"") && svg.contains(" attempts</text>"), "\(svg)")

        // Then headless Chromium loads it with a clean console
        let logged = try Self.runChromium(browser, ["--dump-dom"], page: page, profile: dir.appendingPathComponent("profile-dom"))
        #expect(logged.status == 0, "chromium failed: \(logged.stderr.suffix(2000))")
        #expect(Self.consoleProblems(logged.stderr).isEmpty, "console: \(Self.consoleProblems(logged.stderr))")
        // and its DOM has both sections, their charts and the attempts tables, with the hostile name as text
        let dom = logged.stdout
        #expect(dom.contains("id=\"mode-practice\"") && dom.contains("id=\"mode-exam\""), "DOM: \(dom.prefix(500))")
        #expect(dom.components(separatedBy: "<svg").count - 1 == 8)
        #expect(dom.components(separatedBy: "class=\"chart-bar\"").count - 1 > 4)
        #expect(dom.components(separatedBy: "<table class=\"attempts\"").count - 1 == 2)
        #expect(!dom.contains("<script"))

        // and a screenshot is written outside git (under .build/)
        let shots = CLI.packageRoot.appendingPathComponent(".build/test-artifacts")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let shot = shots.appendingPathComponent("html-report.png")
        try? FileManager.default.removeItem(at: shot)
        let screenshot = try Self.runChromium(browser, ["--screenshot=\(shot.path)", "--window-size=1280,2000", "--hide-scrollbars"],
                                              page: page, profile: dir.appendingPathComponent("profile-shot"))
        #expect(screenshot.status == 0, "chromium failed: \(screenshot.stderr.suffix(2000))")
        #expect(Self.consoleProblems(screenshot.stderr).isEmpty)
        let size = (try? FileManager.default.attributesOfItem(atPath: shot.path)[.size] as? Int) ?? 0
        #expect(size > 10_000, "no screenshot at \(shot.path)")
        print("HTML report screenshot: \(shot.path)")
    }

    @Test("Given a page with a script error, when it is loaded the same way, then the console check sees it (the check is not blind)")
    func consoleCheckSeesErrors() throws {
        guard let browser = Self.chromium() else {
            Issue.record("chromium was not found on the PATH (nor $CHROMIUM): run `make setup`, which installs Debian's chromium")
            return
        }
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("bad.html")
        try "<!DOCTYPE html><html><body><p>x</p><script>missingFunction()</script></body></html>"
            .write(to: page, atomically: true, encoding: .utf8)
        let result = try Self.runChromium(browser, ["--dump-dom"], page: page, profile: dir.appendingPathComponent("profile"))
        #expect(!Self.consoleProblems(result.stderr).isEmpty, "\(result.stderr.suffix(2000))")
    }
}

/// `report --output FILE`, for the HTML page and the other formats.
@Suite struct ReportOutputFileTests {
    @Test("Given --output in a folder that does not exist, when the HTML report is written, then it fails with a clear message and leaves no file")
    func unwritableOutput() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("missing/report.html")
        let result = try CLI.run(["report", "--db", dir.appendingPathComponent("none.sqlite").path, "--format", "html",
                                  "--output", target.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot write the report"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target.path))
    }

    @Test("Given no database yet, when the HTML report is written, then the page says there are no attempts; and CSV goes to --output, not to standard output")
    func emptyStoreAndCSVToFile() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("none.sqlite").path
        let html = try CLI.run(["report", "--db", db, "--format", "html"])
        #expect(html.status == 0 && html.stdout.hasPrefix("<!DOCTYPE html>") && html.stdout.contains("No attempts yet."))
        #expect(!FileManager.default.fileExists(atPath: db))  // only read, never created
        let csvFile = dir.appendingPathComponent("a.csv")
        let csv = try CLI.run(["report", "--db", db, "--format", "csv", "--output", csvFile.path])
        #expect(csv.status == 0 && csv.stdout.isEmpty)
        #expect(try Data(contentsOf: csvFile).starts(with: [0xEF, 0xBB, 0xBF]))
    }
}
