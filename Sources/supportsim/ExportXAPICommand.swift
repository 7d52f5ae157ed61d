import ArgumentParser
import Foundation
import SupportSimCore
import SupportSimReport
import SupportSimStore

/// `supportsim export xapi`: one cmi5 xAPI statement per stored attempt, to a file, standard output
/// or a Learning Record Store. See docs/xapi.md.
struct ExportXAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xapi",
        abstract: "Write one cmi5 xAPI statement per stored attempt, or send them to an LRS.",
        discussion: """
        passed or failed with the scaled score, completed for a finished attempt without a result, \
        abandoned for an attempt that was never finished; category scores as result extensions. \
        Statement ids are name-based UUIDs of the attempt and the verb, so exporting again gives the \
        same ids and an LRS keeps one copy. Attempts are read one at a time (memory does not grow \
        with the store). The database is only read. The filters are those of `report` (--trainee, \
        --scenario, --tag, --line, --since, --until, --mode, --status). See docs/xapi.md.
        Exit codes: 0 exported; 64 usage error; 1 the database cannot be read, the output cannot be \
        written or the LRS refused a batch.
        """
    )

    @Option(name: .long, help: "The attempts store: a SQLite file or postgres://USER@HOST/DATABASE (default: $SUPPORTSIM_DB, else db in ~/.config/supportsim/config, else $XDG_DATA_HOME/supportsim/supportsim.sqlite).")
    var db: String?

    @OptionGroup var filters: ReportFilterOptions

    @Option(name: .long, help: "Write the statements to this file (a JSON array; NDJSON with --ndjson) instead of standard output.")
    var output: String?

    @Flag(name: .long, help: "One statement per line (NDJSON) instead of a JSON array.")
    var ndjson = false

    @Option(name: .long, help: "POST the statements to this LRS endpoint (e.g. https://lrs.example/xapi/).")
    var lrs: String?

    @Option(name: .long, help: "user:password for the LRS (HTTP Basic); default: $SUPPORTSIM_LRS_AUTH.")
    var auth: String?

    @Option(name: .long, help: "Statements per POST to the LRS (1–1000).")
    var batch = 100

    @Option(name: .long, help: "The homePage of the trainees' accounts.")
    var actorHomepage = XAPIStatementBuilder.defaultActorHomePage

    @Option(name: .long, help: "The base of activity ids and extension IRIs; keep it the same across exports.")
    var activityBase = XAPIStatementBuilder.defaultActivityBase

    func validate() throws {
        if lrs != nil, output != nil || ndjson {
            throw ValidationError("--lrs sends the statements; it cannot be combined with --output or --ndjson.")
        }
        if auth != nil, lrs == nil { throw ValidationError("--auth is for --lrs.") }
        guard (1...1000).contains(batch) else { throw ValidationError("--batch expects 1 to 1000, got \(batch).") }
        guard XAPIStatementBuilder.isHTTPIRI(actorHomepage) else {
            throw ValidationError("--actor-homepage expects an http or https URL, got '\(TerminalText.sanitize(actorHomepage))'.")
        }
        guard XAPIStatementBuilder.isHTTPIRI(activityBase) else {
            throw ValidationError("--activity-base expects an http or https URL, got '\(TerminalText.sanitize(activityBase))'.")
        }
    }

    func run() throws {
        let builder = XAPIStatementBuilder(activityBase: activityBase, actorHomePage: actorHomepage)
        let filter = try filters.filter(now: Date())
        let path = RunEnvironment.databasePath(db)
        let database = try StoreAccess.openForReading(path)
        var tally = Tally()
        if let lrs {
            let client = try LRSClient(endpoint: lrs, credentials: auth ?? RunEnvironment.variables["SUPPORTSIM_LRS_AUTH"])
            var sender = BatchSender(client: client, size: batch)
            try database?.forEachAttempt(filter, order: .byID, includePaths: false) { row in
                guard let statement = builder.statement(for: row) else { tally.skipped += 1; return }
                tally.count(statement.verb)
                try sender.add(statement)
            }
            try sender.flush()
            print(sender.summary(tally))
        } else {
            let sink = try output.map(TextSink.init(path:)) ?? TextSink()
            if !ndjson { sink.write("[") }
            try database?.forEachAttempt(filter, order: .byID, includePaths: false) { row in
                guard let statement = builder.statement(for: row) else { tally.skipped += 1; return }
                if ndjson {
                    sink.write(statement.json + "\n")
                } else {
                    sink.write((tally.total == 0 ? "\n" : ",\n") + statement.json)
                }
                tally.count(statement.verb)
            }
            if !ndjson { sink.write(tally.total == 0 ? "]\n" : "\n]\n") }
            try sink.finish()
            let target = output.map { " to \(TerminalText.sanitize($0))" } ?? ""
            FileHandle.standardError.write(Data("wrote \(tally)\(target)\n".utf8))
        }
        if tally.skipped > 0 {
            FileHandle.standardError.write(Data(
                "note: \(tally.skipped) attempt(s) with a status this version does not know were left out\n".utf8))
        }
    }

    /// How many statements of each verb.
    struct Tally: CustomStringConvertible {
        var byVerb: [XAPIVerb: Int] = [:]
        var skipped = 0
        var total: Int { byVerb.values.reduce(0, +) }
        mutating func count(_ verb: XAPIVerb) { byVerb[verb, default: 0] += 1 }
        var description: String {
            let parts = XAPIVerb.allCases.compactMap { verb in byVerb[verb].map { "\($0) \(verb.rawValue)" } }
            return "\(total) statement\(total == 1 ? "" : "s")" + (parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")")
        }
    }

    /// Collects statements and sends them in batches, reporting each batch on standard output.
    struct BatchSender {
        let client: LRSClient
        let size: Int
        var pending: [XAPIStatement] = []
        var batches = 0
        var stored = 0
        var conflicts = 0

        mutating func add(_ statement: XAPIStatement) throws {
            pending.append(statement)
            if pending.count >= size { try flush() }
        }

        mutating func flush() throws {
            guard !pending.isEmpty else { return }
            batches += 1
            let batch = pending
            pending = []
            let response = try client.post(batch.map(\.json))
            switch response.status {
            case 200, 204:
                stored += batch.count
                print("batch \(batches): \(batch.count) statement\(batch.count == 1 ? "" : "s") stored")
                if response.status == 200, let ids = try? JSONSerialization.jsonObject(with: response.body) as? [String],
                    Set(ids.map { $0.lowercased() }) != Set(batch.map { $0.id.uuidString.lowercased() })
                {
                    FileHandle.standardError.write(Data("note: the LRS answered batch \(batches) with other statement ids than were sent\n".utf8))
                }
            case 409:
                // Some statement ids are at the LRS already (an earlier export): send each one on its own
                // with PUT, which stores the new ones and leaves those it has.
                var new = 0, differ = 0
                for statement in batch {
                    let answer = try client.put(statement.json, id: statement.id)
                    switch answer.status {
                    case 200, 204: new += 1
                    case 409: differ += 1
                    default: throw refused(answer, what: "statement \(statement.id.uuidString.lowercased()) of attempt #\(statement.attemptID)")
                    }
                }
                // An LRS answers PUT with 204 both for a new statement and for one it holds unchanged.
                stored += new; conflicts += differ
                print("batch \(batches): \(batch.count) statement\(batch.count == 1 ? "" : "s"): the LRS held some already; "
                    + "sent one by one: \(new) stored or already there unchanged"
                    + (differ > 0 ? ", \(differ) already there with other content (kept as first sent)" : ""))
            default:
                let first = batch.first!.attemptID, last = batch.last!.attemptID
                throw refused(response, what: "batch \(batches) (attempts #\(first)–#\(last))")
            }
        }

        private func refused(_ response: LRSClient.Response, what: String) -> UserError {
            var hint = ""
            if response.status == 401 || response.status == 403 { hint = " Check --auth (or $SUPPORTSIM_LRS_AUTH)." }
            if response.status == 404 { hint = " Check that --lrs names the LRS endpoint (…/xapi/)." }
            let body = response.text.isEmpty ? "" : ": \(response.text)"
            return UserError("the LRS at \(client.statementsURL.absoluteString) refused \(what) with HTTP \(response.status)"
                + "\(body).\(hint) Statements sent before were stored; exporting again is safe (the same ids).")
        }

        func summary(_ tally: Tally) -> String {
            var text = "sent \(tally) to \(client.statementsURL.absoluteString) in \(batches) batch\(batches == 1 ? "" : "es")"
            if conflicts > 0 { text += "; \(conflicts) were at the LRS already with other content and were kept as first sent" }
            return text
        }
    }
}
