import Foundation
import Testing

/// Managers' overrides in the streamed CSV and in the HTML page, through the binary.
@Suite struct OverrideExportTests {
    @Test("Given a golden run overridden by a manager, when the report is written as CSV and HTML, then CSV appends the override columns and the page shows automatic → override with the reason escaped")
    func overridesReachCSVAndHTML() throws {
        let db = try CLI.temporaryDirectory().appendingPathComponent("a.sqlite").path
        let id = try ShowCommandTests.play(AuditCommandTests.scenario, run: "good", seed: 3, db: db, trainee: "olga")
        let saved = try CLI.run(["override", "\(id)", "--category", "politeness", "--score", "60", "--reason",
                                 "=cmd <script> reply", "--by", "anna", "--db", db, "--lang", "en"], environment: ShowCommandTests.env)
        #expect(saved.status == 0, "\(saved.stderr)")

        let csv = try CLI.run(["report", "--db", db, "--format", "csv"], environment: ShowCommandTests.env)
        let lines = csv.stdout.components(separatedBy: "\r\n")
        #expect(lines[0].hasSuffix(",retries,correctness_override,politeness_override,escalation_override,override_by,override_reason"))
        #expect(lines[1].hasSuffix(",,60,,anna,'=cmd <script> reply"), "\(lines[1])")

        let html = try CLI.run(["report", "--db", db, "--format", "html", "--lang", "ru"], environment: ShowCommandTests.env)
        #expect(html.stdout.contains(">100 → 60</span>"))
        #expect(html.stdout.contains("title=\"#\(id) вежливость 100 → 60 (переопределил(а) anna: =cmd &lt;script&gt; reply)\""))
        #expect(!html.stdout.contains("<script>"))
    }
}
