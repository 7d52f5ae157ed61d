import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimEmbeddings
import SupportSimEval
import SupportSimLexicons
import SupportSimSpelling

/// Prints throughput and latency figures of the scoring paths. Build in release for real figures:
/// `swift build -c release --product supportsim-bench`.
@main
struct SupportSimBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supportsim-bench",
        abstract: "Measures replies scored per second (one thread) and per-reply latency."
    )

    @Option(help: "English replies: a CSV/TSV file with a text column.")
    var en = "../shared/data/politeness-en/wikipedia.annotated.csv"

    @Option(help: "The column of the English file holding the replies.")
    var enColumn = "Request"

    @Option(help: "Russian replies: a CSV/TSV file with text columns.")
    var ru = "../shared/data/rudeness-ru/ru_paradetox_train.tsv"

    @Option(help: "The columns of the Russian file holding replies, comma-separated.")
    var ruColumns = "toxic_comment,neutral_comment1,neutral_comment2,neutral_comment3"

    @Option(help: "How many times the timed passes go over the replies.")
    var passes = 3

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(help: "The scenario folder for the reading figures.")
    var scenarios = "Scenarios"

    @Option(help: "Folder sizes for the `list` figures (comma-separated numbers of generated scenario files).")
    var listFiles = "500"

    @Flag(help: "Measure only `supportsim list` (cold and warm) and print that section.")
    var listOnly = false

    @Option(help: "Generated scenario files for the `lint` figure (0 leaves it out).")
    var lintFiles = 500

    @Flag(help: "Measure only `supportsim lint` against PyYAML's C loader and print that section.")
    var lintOnly = false

    @Flag(help: "Measure only the replay of the golden transcripts (runs/s) and print that section.")
    var replayOnly = false

    @Option(help: "Attempts (of 10 turns) in the store the `report` figures are measured on (0 leaves them out).")
    var reportAttempts = 100_000

    @Flag(help: "Measure only `supportsim report` against the sqlite3 shell and print that section.")
    var reportOnly = false

    @Option(help: "A PostgreSQL server (postgres://USER:PASSWORD@HOST:PORT/DATABASE, a role that may create databases) for the `report --by trainee` figure on PostgreSQL (default: $SUPPORTSIM_BENCH_POSTGRES; none leaves it out). Needs supportsim built with --traits Postgres.")
    var postgres: String?

    @Flag(help: "Measure only `report --by trainee` on PostgreSQL against psql (needs --postgres) and print that section.")
    var postgresOnly = false

    @Option(help: "Keep the `report` store in this file and reuse it when it exists (filled with --report-attempts otherwise); it is brought up to the current schema first.")
    var reportStore: String?

    @Flag(help: "With --report-store: measure the kept store as it is, without bringing it up to the current schema (to measure an older `supportsim` beside this bench).")
    var reportStoreAsIs = false

    @Option(help: "Concurrent writer processes for the store figure (0 leaves it out).")
    var writers = 50

    @Option(help: "Attempts each writer process stores.")
    var writerAttempts = 100

    @Flag(help: "Measure only the concurrent writers into one SQLite file and print that section.")
    var writersOnly = false

    @Option(help: "Attempts stored for the `report --format html` figure.")
    var htmlAttempts = 10_000

    @Flag(help: "Measure only `report --format html` over a store of --html-attempts attempts and print that section.")
    var htmlOnly = false

    @Flag(help: "Measure only `supportsim explore` (random runs of every scenario in --scenarios) and print that section.")
    var exploreOnly = false

    @Option(help: "Random runs per scenario for the explore figures (0 leaves them out).")
    var exploreRuns = 10_000

    @Option(help: .hidden)
    var storeWriter: String?

    @Option(help: .hidden)
    var writerName = "writer"

    /// `--postgres`, else `SUPPORTSIM_BENCH_POSTGRES`.
    var postgresServer: String? {
        postgres ?? ProcessInfo.processInfo.environment["SUPPORTSIM_BENCH_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func validate() throws {
        guard passes >= 1 else { throw ValidationError("--passes must be at least 1") }
    }

    func run() throws {
        var notes: [String] = []
        let listSizes = listFiles.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 > 0 }
        if let storeWriter {
            throw ExitCode(StoreWritersBench.write(database: storeWriter, name: writerName, attempts: writerAttempts))
        }
        if writersOnly {
            return printOnly("writers", writers > 0 ? StoreWritersBench.run(writers: writers, attempts: writerAttempts, notes: &notes) : nil,
                             notes: notes)
        }
        if htmlOnly { return printOnly("html", HTMLReportBench.run(attempts: htmlAttempts, notes: &notes), notes: notes) }
        if exploreOnly {
            return printOnly("explore", ExploreBench.run(folder: scenarios, runs: max(1, exploreRuns), notes: &notes), notes: notes)
        }
        if listOnly { return printOnly("list", ListBench.run(scenarios: scenarios, sizes: listSizes, notes: &notes), notes: notes) }
        if reportOnly {
            return printOnly("report", reportAttempts > 0 ? ReportBench.run(attempts: reportAttempts, store: reportStore, migrate: !reportStoreAsIs, notes: &notes) : nil,
                             notes: notes)
        }
        if postgresOnly {
            guard let server = postgresServer else {
                throw ValidationError("--postgres-only needs --postgres URL (or SUPPORTSIM_BENCH_POSTGRES)")
            }
            return printOnly("postgres_report", PostgresReportBench.run(attempts: max(1, reportAttempts), server: server, store: reportStore, notes: &notes),
                             notes: notes)
        }
        if replayOnly { return printOnly("replay", ReplayBench.run(scenarios: scenarios, notes: &notes), notes: notes) }
        if lintOnly {
            return printOnly("lint", lintFiles > 0 ? LintBench.run(scenarios: scenarios, files: lintFiles, notes: &notes) : nil,
                             notes: notes)
        }
        let enTexts = load(path: en, columns: [enColumn], fallback: BuiltInReplies.english, notes: &notes)
        let ruTexts = load(path: ru, columns: ruColumns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
                           fallback: BuiltInReplies.russian, notes: &notes)

        let analyzer = BundledLexicons.analyzer
        var spellChecker: HunspellChecker?
        do {
            spellChecker = try HunspellChecker()
        } catch {
            notes.append("spelling figures skipped: \(error)")
        }
        var results: [BenchResult] = []
        for (language, texts) in [(Language.en, enTexts), (Language.ru, ruTexts)] {
            let context = ReplyContext(language: language, replyIndex: 1, customerMood: .calm, customerName: nil)
            results.append(measure("analyzer", language, texts) { analyzer.replyScore($0, context: context) })
            let session = OneTurnSession(language: language, analyzer: analyzer)
            results.append(measure("engine + pipeline", language, texts) { session.play($0) })
            if let spellChecker {
                let spelling = OneTurnSession(language: language, analyzer: analyzer, spellChecker: spellChecker)
                results.append(measure("engine + pipeline + spelling", language, texts) { spelling.play($0) })
            }
        }

        var long: [LongResult] = []
        let longReplies: [(String, Language, String)] = [
            ("10,000 × «а»", .ru, String(repeating: "а", count: 10_000)),
            ("100 KB reply (en)", .en, BuiltInReplies.longText(bytes: 100_000, language: .en)),
            ("100 KB reply (ru)", .ru, BuiltInReplies.longText(bytes: 100_000, language: .ru)),
        ]
        for (name, language, text) in longReplies {
            let context = ReplyContext(language: language, replyIndex: 1, customerMood: .calm, customerName: nil)
            let session = OneTurnSession(language: language, analyzer: analyzer)
            let spelling = spellChecker.map { OneTurnSession(language: language, analyzer: analyzer, spellChecker: $0) }
            long.append(LongResult(
                reply: name, bytes: text.utf8.count,
                analyzerSeconds: timeOnce { analyzer.replyScore(text, context: context) },
                pipelineSeconds: timeOnce { session.play(text) },
                spellingSeconds: spelling.map { s in timeOnce { s.play(text) } }
            ))
        }

        let embeddings = EmbeddingsBench.run(passes: passes, toneReplies: enTexts.prefix(100).map { (Language.en, $0) }
                                                + ruTexts.prefix(100).map { (Language.ru, $0) }, notes: &notes)
        let reading = ReadingBench.measure(folder: scenarios, passes: passes, notes: &notes)
        let list = ListBench.run(scenarios: scenarios, sizes: listSizes, notes: &notes)
        let storeWriters = writers > 0 ? StoreWritersBench.run(writers: writers, attempts: writerAttempts, notes: &notes) : nil
        let lint = lintFiles > 0 ? LintBench.run(scenarios: scenarios, files: lintFiles, notes: &notes) : nil
        let replay = ReplayBench.run(scenarios: scenarios, notes: &notes)
        let reportFigures = reportAttempts > 0 ? ReportBench.run(attempts: reportAttempts, store: reportStore, migrate: !reportStoreAsIs, notes: &notes) : nil
        let postgresFigures = reportAttempts > 0
            ? postgresServer.flatMap { PostgresReportBench.run(attempts: reportAttempts, server: $0, store: reportStore, notes: &notes) } : nil
        let explore = exploreRuns > 0 ? ExploreBench.run(folder: scenarios, runs: exploreRuns, notes: &notes) : nil

        let report = BenchReport(
            build: Self.buildKind, passes: passes, notes: notes, results: results, longReplies: long,
            embeddings: embeddings, reading: reading, list: list, storeWriters: storeWriters, lint: lint, replay: replay,
            explore: explore, report: reportFigures, postgresReport: postgresFigures
        )
        if json {
            print(jsonString(report))
        } else {
            print(report.rendered())
        }
    }

    /// A `--X-only` run: one section, as text or JSON.
    private func printOnly<Section: BenchSection>(_ name: String, _ section: Section?, notes: [String]) {
        let report = SectionOnlyReport(build: Self.buildKind, notes: notes, name: name, section: section)
        print(json ? jsonString(report) : report.rendered())
    }

    #if DEBUG
    static let buildKind = "debug"
    #else
    static let buildKind = "release"
    #endif

    private func load(path: String, columns: [String], fallback: [String], notes: inout [String]) -> [String] {
        do {
            let reader = try DelimitedReader(path: path)
            let indices = try columns.map { try reader.column(named: $0) }
            var texts: [String] = []
            while let row = try reader.next() {
                for i in indices where !row[i].allSatisfy(\.isWhitespace) { texts.append(row[i]) }
            }
            if texts.isEmpty { throw EvaluationError.noRows }
            return texts
        } catch {
            notes.append("\(path): \(error); using \(fallback.count) built-in replies instead")
            return fallback
        }
    }

    /// A warm-up pass, `passes` untimed-per-call passes for throughput, and one pass timing every call.
    private func measure(_ path: String, _ language: Language, _ texts: [String], _ score: (String) -> Double) -> BenchResult {
        var sink = 0.0
        for t in texts { sink += score(t) }

        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<passes { for t in texts { sink += score(t) } }
        let total = (clock.now - start).seconds

        var latencies: [Double] = []
        latencies.reserveCapacity(texts.count)
        for t in texts {
            let t0 = clock.now
            sink += score(t)
            latencies.append((clock.now - t0).seconds)
        }
        blackHole(sink)
        let stats = LatencyStats(seconds: latencies)!
        return BenchResult(
            path: path, language: language.rawValue, replies: texts.count,
            repliesPerSecond: Double(texts.count * passes) / total,
            p50Seconds: stats.p50, p99Seconds: stats.p99, maxSeconds: stats.max
        )
    }

    private func timeOnce(_ body: () -> Double) -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        blackHole(body())
        return (clock.now - start).seconds
    }
}

@inline(never)
func blackHole(_ value: Double) {
    if value.isNaN { FileHandle.standardError.write(Data("\n".utf8)) }
}

/// Plays one reply as the whole session of a small scenario built in code and scores it with the
/// standard pipeline: the conversation-level path a trainee's reply goes through. With a spell
/// checker the scenario turns spelling on and the pipeline scores it too. Each reply plays on a
/// copy of one started engine, as sessions of a scenario share its compiled rules.
struct OneTurnSession {
    let scenario: Scenario
    let analyzer: PolitenessAnalyzer
    let pipeline: ScoringPipeline
    /// The started engine every reply is played on a copy of.
    private var started: Engine? = nil

    init(language: Language, analyzer: PolitenessAnalyzer, spellChecker: (any SpellChecker)? = nil) {
        self.analyzer = analyzer
        self.pipeline = .standard(analyzer: analyzer, spellChecker: spellChecker)
        let ru = language == .ru
        let start = Node(
            id: "start",
            customer: [ru ? "Здравствуйте, у меня не печатает принтер." : "Hello, my printer will not print."],
            expect: [
                Intent(id: "ask_printer", description: ru ? "спросил, какой принтер" : "asked which printer",
                       match: MatchRule(any: ru ? ["какой принтер", "модель"] : ["which printer", "model"]),
                       customer: [ru ? "HP на втором этаже." : "The HP on the second floor."], next: "fixed"),
            ],
            harmful: [
                HarmfulRule(id: "blame", match: MatchRule(any: ru ? ["сами виноваты"] : ["your own fault"]),
                            feedback: ru ? "Не обвиняйте клиента." : "Do not blame the customer."),
            ],
            fallback: Fallback(customer: [ru ? "Не поняла. Что мне делать?" : "I don't follow. What should I do?"])
        )
        let fixed = Node(id: "fixed", customer: [ru ? "Заработало, спасибо!" : "It works, thanks!"], closable: true)
        scenario = Scenario(
            id: "bench-printer-\(language.rawValue)", title: ru ? "Принтер" : "Printer", language: language,
            persona: Persona(name: ru ? "Ольга Маркова" : "Olga Marsh", mood: .irritated, patience: 3),
            scoring: ScoringConfig(spelling: spellChecker == nil ? nil : SpellingConfig(terms: ["HP"])),
            start: "start", nodes: [start, fixed],
            escalation: EscalationPolicy(requirement: .optional, targets: ["L2"]),
            critical: [CriticalRule(id: "password", match: MatchRule(any: ru ? ["ваш пароль"] : ["your password"]),
                                    reason: ru ? "Запрос пароля." : "Asked for a password.")]
        )
        var engine = Engine(scenario: scenario, seed: 1, analyzer: analyzer)
        engine.start()
        started = engine
    }

    /// The session's total score (0–100).
    func play(_ reply: String) -> Double {
        guard var engine = started else { return 0 }
        engine.handle(.reply(reply))
        let card = pipeline.score(engine.transcript, scenario: scenario)
        return Double(card.total + card.categories.count)
    }
}

/// Replies used when a data file is missing.
enum BuiltInReplies {
    static let english = [
        "Hello! Thank you for reaching out. Could you please tell me which printer you are using?",
        "I'm sorry for the trouble. Let me check that for you right away.",
        "Would you mind restarting the router and telling me what the lights show?",
        "That's your own problem, read the manual.",
        "Just reboot it.",
        "I understand how frustrating this must be. I'll stay with you until it works.",
        "What do you want now?",
        "Thanks for your patience, the ticket has been passed to the network team; they will call you within an hour.",
        "Calm down, it's not that hard.",
        "Could you kindly send me a screenshot of the error message?",
    ]
    static let russian = [
        "Здравствуйте! Спасибо за обращение. Подскажите, пожалуйста, какой у Вас принтер?",
        "Извините за неудобства, сейчас всё проверю.",
        "Будьте добры, перезагрузите роутер и скажите, какие индикаторы горят.",
        "Сами виноваты, читайте инструкцию.",
        "Перезагрузи.",
        "Понимаю, как это неприятно. Я помогу Вам разобраться.",
        "Ну что ещё?",
        "Спасибо за терпение, заявка передана сетевому отделу, Вам перезвонят в течение часа.",
        "Успокойтесь, это не так сложно.",
        "Не могли бы Вы прислать снимок экрана с ошибкой?",
    ]

    /// A long reply of ordinary sentences, about `bytes` bytes of UTF-8.
    static func longText(bytes: Int, language: Language) -> String {
        let sentences = language == .ru ? russian : english
        var text = ""
        var i = 0
        while text.utf8.count < bytes {
            text += sentences[i % sentences.count] + " "
            i += 1
        }
        return text
    }
}

struct BenchResult: Encodable {
    var path: String
    var language: String
    var replies: Int
    var repliesPerSecond: Double
    var p50Seconds: Double
    var p99Seconds: Double
    var maxSeconds: Double

    enum CodingKeys: String, CodingKey {
        case path, language, replies, repliesPerSecond = "replies_per_second"
        case p50Seconds = "p50_seconds", p99Seconds = "p99_seconds", maxSeconds = "max_seconds"
    }
}

struct LongResult: Encodable {
    var reply: String
    var bytes: Int
    var analyzerSeconds: Double
    var pipelineSeconds: Double
    /// Engine + pipeline with the spelling category on (nil when the dictionaries are missing).
    var spellingSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case reply, bytes, analyzerSeconds = "analyzer_seconds", pipelineSeconds = "pipeline_seconds"
        case spellingSeconds = "pipeline_spelling_seconds"
    }
}

struct BenchReport: Encodable {
    var build: String
    var passes: Int
    var notes: [String]
    var results: [BenchResult]
    var longReplies: [LongResult]
    /// nil when the model is not available (the reason is in `notes`).
    var embeddings: EmbeddingsBench?
    var reading: ReadingResult?
    var list: ListBench?
    var storeWriters: StoreWritersBench?
    var lint: LintBench?
    var replay: ReplayBench?
    var explore: ExploreBench?
    var report: ReportBench?
    var postgresReport: PostgresReportBench?

    enum CodingKeys: String, CodingKey {
        case build, passes, notes, results, longReplies = "long_replies", embeddings, reading, list
        case storeWriters = "store_writers", lint, replay, explore, report, postgresReport = "postgres_report"
    }

    func rendered() -> String {
        var out: [String] = []
        out.append("SupportSim scoring benchmark (\(build) build, one thread, \(passes) timed passes + per-reply timing pass)")
        if build == "debug" { out.append("note: debug build; build with -c release for real figures") }
        for note in notes { out.append("note: \(note)") }
        out.append("")
        var table = TextTable(["path", "lang", "replies", "replies/s", "p50", "p99", "max"])
        for r in results {
            table.add([r.path, r.language, "\(r.replies)", Format.grouped(r.repliesPerSecond),
                       Format.latency(r.p50Seconds), Format.latency(r.p99Seconds), Format.latency(r.maxSeconds)])
        }
        out.append(table.render())
        out.append("")
        var longTable = TextTable(["long reply", "bytes", "analyzer", "engine + pipeline", "+ spelling"])
        for l in longReplies {
            longTable.add([l.reply, Format.grouped(Double(l.bytes)), Format.latency(l.analyzerSeconds), Format.latency(l.pipelineSeconds),
                           l.spellingSeconds.map(Format.latency) ?? "-"])
        }
        out.append(longTable.render())
        if let embeddings {
            out.append("")
            out.append(embeddings.rendered())
        }
        if let reading { out += ["", reading.rendered()] }
        if let list { out += ["", list.rendered()] }
        if let storeWriters { out.append(storeWriters.rendered()) }
        if let lint { out += ["", lint.rendered()] }
        if let replay { out += ["", replay.rendered()] }
        if let explore { out += ["", explore.rendered()] }
        if let report { out += ["", report.rendered()] }
        if let postgresReport { out += ["", postgresReport.rendered()] }
        return out.joined(separator: "\n")
    }
}

/// The sentence-embedding model (meaning-based matching): load time, latency per kind of reply on
/// one thread (`OMP_NUM_THREADS=1` unless set), and the time of a cache hit.
struct EmbeddingsBench: Encodable {
    struct Row: Encodable {
        var replies: String
        var characters: Int
        var samples: Int
        var p50Seconds: Double
        var p95Seconds: Double
        var p99Seconds: Double

        enum CodingKeys: String, CodingKey {
            case replies, characters, samples, p50Seconds = "p50_seconds", p95Seconds = "p95_seconds", p99Seconds = "p99_seconds"
        }
    }

    var modelID: String
    var threads: String
    var loadSeconds: Double
    var rows: [Row]
    /// The lexicon with the tone model, per reply, embeddings not cached (nil without the tone model).
    var tone: Row?

    /// The most one reply may take with the tone model (issue 8).
    static let toneAnchorSeconds = 0.100

    enum CodingKeys: String, CodingKey {
        case modelID = "model_id", threads, loadSeconds = "load_seconds", rows, tone = "tone_model_per_reply"
    }

    static func run(passes: Int, toneReplies: [(Language, String)], notes: inout [String]) -> EmbeddingsBench? {
        let environment = ProcessInfo.processInfo.environment
        let clock = ContinuousClock()
        let start = clock.now
        let files: EmbeddingsDiscovery.Files
        let model: E5Embedder
        do {
            files = try EmbeddingsDiscovery.locate(environment: environment).get()
            model = try E5Embedder.load(library: files.library, model: files.model).get()
        } catch {
            notes.append("embedding figures skipped: \(error.message(.en))")
            return nil
        }
        let loadSeconds = (clock.now - start).seconds

        let short = BuiltInReplies.english + BuiltInReplies.russian
        let medium = [
            BuiltInReplies.longText(bytes: 300, language: .en), BuiltInReplies.longText(bytes: 300, language: .ru),
        ]
        let long = [BuiltInReplies.longText(bytes: 10_000, language: .en), String(repeating: "а", count: 10_000)]
        var rows: [Row] = []
        for (name, texts) in [("short replies", short), ("medium replies", medium), ("10,000-character replies", long)] {
            _ = model.embed(texts[0])   // warm-up
            var seconds: [Double] = []
            for _ in 0..<max(passes, 5) {
                for text in texts {
                    let t0 = clock.now
                    _ = model.embed(text)
                    seconds.append((clock.now - t0).seconds)
                }
            }
            rows.append(row(name, texts, seconds))
        }

        // Cache hits: a cache in a fresh temporary folder, filled once, then read.
        let folder = NSTemporaryDirectory() + "supportsim-bench-cache-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cached = CachingEmbedder(model, cacheFolder: folder)
        _ = cached.embed(batch: short)
        var hits: [Double] = []
        for _ in 0..<max(passes, 10) {
            for text in short {
                let t0 = clock.now
                _ = cached.embed(text)
                hits.append((clock.now - t0).seconds)
            }
        }
        rows.append(row("cache hits (short replies)", short, hits))

        // The lexicon with the tone model: every reply read once, nothing cached.
        var tone: Row?
        switch BundledToneModel.model {
        case .success(let toneModel):
            if let toned = TonedPolitenessAnalyzer(analyzer: BundledLexicons.analyzer, model: toneModel, embedder: model) {
                var seconds: [Double] = []
                for (language, text) in toneReplies {
                    let t0 = clock.now
                    _ = toned.replyScore(text, context: ReplyContext(language: language))
                    seconds.append((clock.now - t0).seconds)
                }
                tone = row("lexicon + tone model (replies of the files)", toneReplies.map(\.1), seconds)
            } else {
                notes.append("tone model figures skipped: the model was trained on \(toneModel.embeddingModel) vectors")
            }
        case .failure(let error):
            notes.append("tone model figures skipped: \(error.message(.en))")
        }
        return EmbeddingsBench(
            modelID: model.modelID, threads: environment["OMP_NUM_THREADS"].map { "OMP_NUM_THREADS=\($0)" } ?? "1 (default)",
            loadSeconds: loadSeconds, rows: rows, tone: tone
        )
    }

    private static func row(_ name: String, _ texts: [String], _ seconds: [Double]) -> Row {
        let sorted = seconds.sorted()
        return Row(
            replies: name, characters: texts.map(\.count).max() ?? 0, samples: sorted.count,
            p50Seconds: Metrics.percentile(sorted: sorted, 50) ?? 0, p95Seconds: Metrics.percentile(sorted: sorted, 95) ?? 0,
            p99Seconds: Metrics.percentile(sorted: sorted, 99) ?? 0
        )
    }

    func rendered() -> String {
        var out = ["Embeddings: \(modelID), threads: \(threads), model load \(Format.latency(loadSeconds)); "
            + "texts over \(E5Embedder.maximumScalars) scalars are cut to that length"]
        var table = TextTable(["embedding", "max chars", "samples", "p50", "p95", "p99"])
        for r in rows {
            table.add([r.replies, Format.grouped(Double(r.characters)), "\(r.samples)", Format.latency(r.p50Seconds),
                       Format.latency(r.p95Seconds), Format.latency(r.p99Seconds)])
        }
        out.append(table.render())
        if let tone {
            out.append("Tone model (lexicon + sentence embeddings, uncached, \(tone.samples) replies): p50 \(Format.latency(tone.p50Seconds)), "
                + "p95 \(Format.latency(tone.p95Seconds)), p99 \(Format.latency(tone.p99Seconds)) per reply "
                + "(anchor: p99 <= \(Format.latency(Self.toneAnchorSeconds)); \(tone.p99Seconds <= Self.toneAnchorSeconds ? "met" : "NOT met"))")
        }
        return out.joined(separator: "\n")
    }
}
