import Foundation
import Testing

/// `supportsim play --debug` in a real pseudo-terminal (tmux), as a trainer types it.
@Suite("debug mode in a terminal", .serialized)
struct DebugModeTerminalTests {
    @Test("Given a trainer in debug mode, when :where, a Cyrillic :match, a Tab-completed :goto and a reply are typed, then each is answered and no attempt is stored")
    func trainerDebugSession() throws {
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("team.sqlite").path
        let data = dir.appendingPathComponent("data")
        let session = try TerminalSession(
            command: "cd '\(CLI.packageRoot.path)' && '\(CLI.binary.path)' play deleted-report-boss-needs --debug --db '\(db)' --trainee ivan --seed 1 --lang ru",
            environment: ["XDG_DATA_HOME": data.path, "LANG": "C.UTF-8", "TERM": "xterm-256color",
                          "SUPPORTSIM_EMBEDDINGS": "off"])

        // Given the debug banner
        var screen = try session.waitFor("вы> ")
        #expect(screen.contains("РЕЖИМ ОТЛАДКИ"), "\(screen)")
        #expect(screen.contains("НЕ сохраняется как попытка"), "\(screen)")

        // When the trainer asks where the conversation is
        try session.type(":where")
        screen = try session.waitFor("вы> ", count: 2)
        // Then the node, the turn and the mood are shown
        #expect(screen.contains("узел: opening (ход 1)"), "\(screen)")
        #expect(screen.contains("из терпения 3"), "\(screen)")

        // When a Cyrillic reply is explained
        try session.type(":match «Подскажите, где лежал файл?»")
        screen = try session.waitFor("вы> ", count: 3)
        // Then the step it would credit and its evidence are shown, without playing it
        #expect(screen.contains("засчитано:  ask_location"), "\(screen)")
        #expect(screen.contains("✓ ask_location сработало"), "\(screen)")
        #expect(screen.contains("«где лежал»"), "\(screen)")

        // When :goto and the node id are completed with Tab
        try session.typeWithoutEnter(":go")
        try session.key("Tab")
        try session.typeWithoutEnter("location_kn")
        try session.key("Tab")
        try session.key("Enter")
        screen = try session.waitFor("вы> ", count: 4)
        // Then the conversation jumped there without a turn
        #expect(screen.contains("вы> :goto location_known"), "\(screen)")
        #expect(screen.contains("Переход к узлу location_known."), "\(screen)")
        try session.type(":where")
        screen = try session.waitFor("вы> ", count: 5)
        #expect(screen.contains("узел: location_known (ход 1)"), "\(screen)")

        // When a reply is played and the session is left
        try session.type("Поняла, спасибо. А когда примерно Вы его удалили?")
        try session.waitFor("вы> ", count: 6)
        try session.key("C-d")
        screen = try session.waitFor("[exit ")

        // Then the debrief is shown, the session says it is not stored, and nothing was written:
        // no database, no recovery file
        #expect(screen.contains("Разбор"), "\(screen)")
        #expect(screen.contains("Этот сеанс не сохраняется как попытка"), "\(screen)")
        #expect(screen.contains("[exit 0]"), "\(screen)")
        #expect(!FileManager.default.fileExists(atPath: db))
        let written = (try? FileManager.default.subpathsOfDirectory(atPath: data.path)) ?? []
        #expect(written.allSatisfy { $0 == "supportsim" || $0.hasPrefix("supportsim/history-") }, "\(written)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(files.allSatisfy { $0 == "data" }, "\(files)")
    }

    @Test("Given an unknown --start node, when play starts, then it stops before the session with the closest node ids")
    func unknownStartNode() throws {
        let dir = try CLI.temporaryDirectory()
        let result = try CLI.run(["play", "printer-before-board-meeting", "--start", "queu", "--lang", "en",
                                  "--db", dir.appendingPathComponent("a.sqlite").path],
                                 environment: ["SUPPORTSIM_EMBEDDINGS": "off", "XDG_DATA_HOME": dir.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("No node 'queu' in this scenario. Did you mean: queue_checked, queue_cleared?"),
                "\(result.stderr)")
        #expect(!result.stdout.contains("you> "))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("a.sqlite").path))
    }
}
