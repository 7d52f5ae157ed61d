import Testing
import Yams
@testable import SupportSimCore

/// The parser composes scenario files with `Resolver.basic` and resolves an unquoted scalar's type
/// itself (`YAMLScalarTag`). These tests hold that resolution to Yams' own `Resolver.default`, so a
/// scenario reads exactly as before: `809` is a number, `yes` a flag, `~` empty, `1:30` a number.
@Suite("YAML scalar types: resolved without regular expressions, as Yams' default resolver does")
struct YAMLScalarTagTests {
    /// The tag Yams' default resolver gives a plain scalar.
    private func yams(_ string: String) -> Yams.Tag.Name {
        let node = Yams.Node.Scalar(string, Yams.Tag(.implicit), .plain)
        return Yams.Tag.Name(rawValue: Yams.Node.scalar(node).tag.rawValue)
    }

    @Test("Given typical scenario values, when resolved, then each gets the type Yams' default resolver gives")
    func typicalValues() {
        let cases: [(String, Yams.Tag.Name)] = [
            ("809", .int), ("1251", .int), ("-3", .int), ("+0", .int), ("0", .int), ("0x1F", .int), ("0o17", .int),
            ("017", .int), ("0b101", .int), ("1_000", .int), ("1:30", .int), ("190:20:30", .int),
            ("08", .float), ("1.5", .float), ("1.", .float), ("1e5", .float), (".5", .float), ("-.inf", .float),
            (".NaN", .float), ("1:30.5", .float), ("yes", .bool), ("Off", .bool), ("TRUE", .bool), ("", .null),
            ("~", .null), ("Null", .null), ("<<", .merge), ("=", .value), ("2026-12-01", .timestamp),
            ("2001-12-14t21:59:43.10-05:00", .timestamp), ("2001-12-14 21:59:43.10 -5", .timestamp),
            ("L2", .str), ("1С", .str), ("10 minutes", .str), ("yess", .str), ("nULL", .str), (".5e3", .str),
            ("1:60", .str), ("-", .str), (".", .str), ("0o", .str), ("0x", .str), ("Баннер", .str),
        ]
        for (text, expected) in cases {
            #expect(YAMLScalarTag.resolve(text) == expected, "\(text)")
            #expect(yams(text) == expected, "Yams disagrees on \(text)")
        }
    }

    @Test("Given every string of up to three characters from number-like letters, when resolved, then the type equals Yams' default resolver's")
    func exhaustiveShortStrings() {
        let alphabet = Array("0157 89aeExbo.-+_:TtZ~n")
        var strings = [""]
        var level = [""]
        for _ in 1...3 {
            level = level.flatMap { prefix in alphabet.map { prefix + String($0) } }
            strings += level
        }
        var mismatches: [String] = []
        for text in strings where YAMLScalarTag.resolve(text) != yams(text) { mismatches.append(text) }
        #expect(mismatches.isEmpty, "differs from Yams on: \(mismatches.prefix(20))")
    }

    @Test("Given many seeded random number-, date- and time-like strings, when resolved, then the type equals Yams' default resolver's")
    func randomLongerStrings() {
        let pieces = ["0", "1", "5", "7", "9", "12", "2001", "-", "+", ".", "_", ":", "e", "E", "x", "b", "o", "T", "t",
                      " ", "\t", "Z", "inf", "nan", "NaN", "0x", "0b", "0o", "59", "60", ":30", "-05:00", "2026-12-01", "a", "F"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var mismatches: [String] = []
        for _ in 0..<30_000 {
            var text = ""
            for _ in 0..<(1 + next(6)) { text += pieces[next(pieces.count)] }
            if YAMLScalarTag.resolve(text) != yams(text) { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "differs from Yams on: \(mismatches.prefix(20))")
    }

    @Test("Given a scenario with unquoted numbers, when parsed, then they read as numbers; quoted, then the parser asks to remove the quotes")
    func scenarioValuesStillTyped() throws {
        let text = ParserFixtures.printerScenario
        let clean = ScenarioParser.parse(text)
        #expect(clean.diagnostics.filter { $0.severity == .error }.isEmpty)
        #expect(clean.scenario?.persona.patience == 3)
        let quoted = ScenarioParser.parse(text.replacingOccurrences(of: "patience: 3", with: "patience: \"3\""))
        let wrong = quoted.diagnostics.first { $0.code == ScenarioDiagnosticCode.wrongType }
        #expect(wrong?.hint?.contains("remove the quotes") == true)
        let flag = ScenarioParser.parse(text.replacingOccurrences(of: "patience: 3", with: "patience: yes"))
        #expect(flag.diagnostics.contains { $0.code == ScenarioDiagnosticCode.wrongType && $0.message.contains("true/false") })
    }
}
