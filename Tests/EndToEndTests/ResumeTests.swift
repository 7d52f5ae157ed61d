import Foundation
import Testing

@Suite struct ResumeTests {
    static let first = "Здравствуйте, Андрей! Понимаю, время поджимает, давайте разберёмся. Что именно пишет VPN-клиент — какой код ошибки?"
    static let second = "Спасибо. Пока не перезагружайте компьютер — сначала сохраните, пожалуйста, все открытые документы."

    /// Plays one reply of the VPN scenario with piped input; input then ends, so the attempt is abandoned.
    private func abandonedAttempt(db: String, dir: URL, scenarios: String = "Scenarios") throws -> Int {
        let play = try CLI.run(["play", "vpn-error-after-update", "--db", db, "--trainee", "ivan", "--seed", "4",
                                "--lang", "en", "--scenarios", scenarios],
                               input: Self.first + "\n", environment: ["XDG_DATA_HOME": dir.path])
        #expect(play.status == 0, "\(play.stderr)")
        let rows = try JSONSerialization.jsonObject(
            with: Data(try CLI.run(["report", "--db", db, "--format", "json"]).stdout.utf8)) as? [[String: Any]]
        return try #require(rows?.first?["id"] as? Int)
    }

    @Test func resumeWithoutAnAttemptContinuesTheLatestAbandonedOneAndCompletesIt() throws {
        // Given an abandoned attempt with one turn
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("a.sqlite").path
        let id = try abandonedAttempt(db: db, dir: dir)
        // When it is resumed with the rest of the good run
        let rest = [
            "Спасибо. Пока не перезагружайте компьютер — сначала сохраните, пожалуйста, все открытые документы.",
            "Отлично. Теперь перезагрущите, пожалуйста, компьютер: обновление могло не завершиться.",
            "Давайте проверим, не в домашней ли сети дело. Раздайте, пожалуйста, интернет с телефона и подключитесь к VPN через него.",
            "Да, дело не в Вашем интернете, а в настройках VPN после обновления. Я передаю заявку сетевым специалистам второй линии с пометкой «срочно».",
            "/escalate L2-network Срочно: у пользователя после ночного обновления Windows VPN не подключается, ошибка 809. Проверено: перезагрузка (обновление доустановилось), подключение через мобильный интернет — та же ошибка. В 11:00 видеозвонок с клиентом. Контакт: Андрей Волков, отдел продаж, тел. +7 912 555-41-27; ему сказано, что с ним свяжутся в течение 30 минут.",
            "Сетевые специалисты свяжутся с Вами в течение 30 минут. Я прослежу за заявкой и сообщу Вам, если что-то изменится. Если не успеют к созвону, подключитесь к нему с телефона. Хорошего дня!",
        ]
        let resume = try CLI.run(["resume", "--db", db, "--trainee", "ivan", "--lang", "en"],
                                 input: rest.joined(separator: "\n") + "\n", environment: ["XDG_DATA_HOME": dir.path])
        // Then it says which attempt it resumes, and the same attempt ends completed with all five turns
        #expect(resume.status == 0, "\(resume.stderr)")
        #expect(resume.stdout.contains("Resuming attempt \(id) after 1 turn(s)."))
        #expect(resume.stdout.contains("Saved as attempt \(id)"))
        let rows = try JSONSerialization.jsonObject(
            with: Data(try CLI.run(["report", "--db", db, "--format", "json"]).stdout.utf8)) as? [[String: Any]]
        #expect(rows?.count == 1)
        #expect(rows?.first?["status"] as? String == "completed")
        #expect(rows?.first?["turns"] as? Int == 7)
        #expect(rows?.first?["ending"] as? String == "escalated")
        // and its path runs on unbroken from the turn played before the interruption to the end
        #expect(rows?.first?["path"] as? [String]
            == ["opening", "error_known", "restarted", "network_checked", "handed_off", "closing"])
        #expect(rows?.first?["final_node"] as? String == "closing")
    }

    @Test func resumeRefusesAChangedScenarioUnlessForced() throws {
        // Given an abandoned attempt, and the scenario's version raised since
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("a.sqlite").path
        let id = try abandonedAttempt(db: db, dir: dir)
        let scenarios = dir.appendingPathComponent("scenarios")
        try FileManager.default.createDirectory(at: scenarios, withIntermediateDirectories: true)
        let source = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Scenarios/vpn-error-after-update.yaml"),
                                encoding: .utf8)
        try source.replacingOccurrences(of: "\nversion: 2\n", with: "\nversion: 3\n")
            .write(to: scenarios.appendingPathComponent("vpn-error-after-update.yaml"), atomically: true, encoding: .utf8)
        // When it is resumed
        let refused = try CLI.run(["resume", "\(id)", "--db", db, "--scenarios", scenarios.path, "--lang", "en"], input: "")
        // Then it is refused with what to do, and the attempt stays as it was
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("version 2") && refused.stderr.contains("version 3") && refused.stderr.contains("--force"),
                "\(refused.stderr)")
        // When forced
        let forced = try CLI.run(["resume", "\(id)", "--db", db, "--scenarios", scenarios.path, "--lang", "en", "--force"],
                                 input: Self.second + "\n")
        // Then it continues the attempt
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stdout.contains("Resuming attempt \(id)"))
    }

    @Test func resumeRefusesACompletedAttempt() throws {
        // Given a completed attempt
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("a.sqlite").path
        _ = try CLI.run(["play", "vpn-error-after-update", "--db", db, "--trainee", "ivan", "--lang", "en"],
                        input: "/close done\n")
        // When it is resumed / Then it is refused
        let resume = try CLI.run(["resume", "1", "--db", db, "--lang", "en"], input: "")
        #expect(resume.status != 0)
        #expect(resume.stderr.contains("only an abandoned attempt can be resumed"), "\(resume.stderr)")
    }

    @Test func playOffersToResumeAnInterruptedAttemptOnATerminal() throws {
        // Given an interrupted attempt at the scenario
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("a.sqlite").path
        let id = try abandonedAttempt(db: db, dir: dir)
        // When the trainee plays the scenario again on a terminal and accepts the offer
        let session = try TerminalSession(
            command: "cd '\(CLI.packageRoot.path)' && '\(CLI.binary.path)' play vpn-error-after-update --db '\(db)' --trainee ivan --lang en",
            environment: ["XDG_DATA_HOME": dir.path, "LANG": "C.UTF-8"])
        try session.waitFor("Your last attempt (#\(id), 1 turn(s)) was interrupted. Resume it? [Y/n]")
        try session.type("")
        // Then the attempt is resumed
        try session.waitFor("Resuming attempt \(id) after 1 turn(s).")
        try session.waitFor("you> ", count: 2)
        try session.key("C-d")
        try session.waitFor("[exit ")
        let rows = try JSONSerialization.jsonObject(
            with: Data(try CLI.run(["report", "--db", db, "--format", "json"]).stdout.utf8)) as? [[String: Any]]
        #expect(rows?.count == 1)
    }

    @Test func playWithPipedInputNeverAsksToResume() throws {
        // Given an interrupted attempt at the scenario
        let dir = try CLI.temporaryDirectory()
        let db = dir.appendingPathComponent("a.sqlite").path
        _ = try abandonedAttempt(db: db, dir: dir)
        // When the scenario is played again with piped input
        let play = try CLI.run(["play", "vpn-error-after-update", "--db", db, "--trainee", "ivan", "--lang", "en"],
                               input: Self.first + "\n", environment: ["XDG_DATA_HOME": dir.path])
        // Then no question is asked and a new attempt is stored
        #expect(!play.stdout.contains("Resume it?"))
        let rows = try JSONSerialization.jsonObject(
            with: Data(try CLI.run(["report", "--db", db, "--format", "json"]).stdout.utf8)) as? [[String: Any]]
        #expect(rows?.count == 2)
    }
}
