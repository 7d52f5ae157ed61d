import Foundation
import SupportSimCore
import SupportSimStore

/// The cmi5 verbs an exported attempt can have (see docs/xapi.md for the mapping).
public enum XAPIVerb: String, Sendable, CaseIterable {
    /// A completed attempt that passed.
    case passed
    /// A completed attempt that failed (below the pass mark, or a critical error).
    case failed
    /// A completed attempt without a pass/fail result (it was not scored).
    case completed
    /// An attempt that was never finished (the session was lost, input ended, the trainee left).
    case abandoned

    public var iri: String {
        switch self {
        case .passed: "http://adlnet.gov/expapi/verbs/passed"
        case .failed: "http://adlnet.gov/expapi/verbs/failed"
        case .completed: "http://adlnet.gov/expapi/verbs/completed"
        case .abandoned: "https://w3id.org/xapi/adl/verbs/abandoned"
        }
    }
}

/// One xAPI statement, ready to write or send.
public struct XAPIStatement: Sendable, Equatable {
    /// The statement id: a name-based UUID of the attempt and the verb, the same at every export.
    public var id: UUID
    public var verb: XAPIVerb
    public var attemptID: Int64
    /// The statement as compact JSON on one line (keys sorted, control characters escaped).
    public var json: String
}

/// Builds cmi5-conformant xAPI statements from stored attempts. Pure: values in, text out.
///
/// - passed / failed: `result.score` (scaled 0…1, raw 0…100), `result.success`, `result.duration`,
///   the moveOn and cmi5 category activities, and the mastery score when it agrees with the verb.
/// - completed (a finished attempt without a result): `result.completion` true and the duration.
/// - abandoned: only the duration and the cmi5 category (cmi5 allows neither a score nor success
///   nor completion on it, and no moveOn category).
///
/// Every statement carries the registration and the cmi5 session id (name-based UUIDs of the
/// attempt), the scenario's activity id per version, the scenario (all versions) as grouping, and
/// the actor as an account (`homePage` and the trainee's name).
public struct XAPIStatementBuilder {
    public static let defaultActivityBase = "https://supportsim.example/xapi"
    public static let defaultActorHomePage = "https://supportsim.example"

    public static let cmi5Category = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
    public static let moveOnCategory = "https://w3id.org/xapi/cmi5/context/categories/moveon"
    public static let sessionIDExtension = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
    public static let masteryScoreExtension = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
    public static let activityType = "http://adlnet.gov/expapi/activities/simulation"

    /// The base of activity ids and extension IRIs, without a trailing slash.
    public let activityBase: String
    public let actorHomePage: String
    private let encoder: JSONEncoder

    public init(activityBase: String = defaultActivityBase, actorHomePage: String = defaultActorHomePage) {
        var base = activityBase
        while base.hasSuffix("/") { base.removeLast() }
        self.activityBase = base
        self.actorHomePage = actorHomePage
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    // MARK: IRIs

    /// The category scores, 0–100 by category name (result extension).
    public var categoryScoresExtension: String { activityBase + "/extensions/category-scores" }
    /// The number of critical errors (result extension).
    public var criticalErrorsExtension: String { activityBase + "/extensions/critical-errors" }
    /// practice or exam (context extension).
    public var modeExtension: String { activityBase + "/extensions/mode" }
    /// The attempt's id in the SupportSim database (context extension).
    public var attemptExtension: String { activityBase + "/extensions/attempt" }
    /// How the conversation ended: resolved, escalated, left… (context extension).
    public var endingExtension: String { activityBase + "/extensions/ending" }

    /// The activity of one version of a scenario: the object of its statements.
    public func activityID(scenarioID: String, version: Int) -> String {
        scenarioActivityID(scenarioID) + "/v\(version)"
    }

    /// The scenario whatever its version (the grouping activity).
    public func scenarioActivityID(_ scenarioID: String) -> String {
        activityBase + "/scenarios/" + Self.percentEncoded(scenarioID)
    }

    /// True for an absolute http or https IRI (what `--activity-base` and `--actor-homepage` accept).
    public static func isHTTPIRI(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return false }
        return !text.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F }
    }

    // MARK: Statements

    /// The verb of an attempt; nil when its status was written by a newer SupportSim (not exported).
    public static func verb(of record: AttemptRecord) -> XAPIVerb? {
        switch record.status {
        case .known(.abandoned): .abandoned
        case .known(.completed):
            switch record.passed {
            case true?: .passed
            case false?: .failed
            case nil: .completed
            }
        case .unknown: nil
        }
    }

    /// The statement of one stored attempt; nil when its status is unknown to this version.
    public func statement(for row: AttemptRow) -> XAPIStatement? {
        let a = row.record
        guard let verb = Self.verb(of: a) else { return nil }
        let key = Self.attemptKey(a)
        let statementID = NameBasedUUID.v5(activityBase + "/attempts/" + key + "/statement/" + verb.rawValue)
        let registration = NameBasedUUID.v5(activityBase + "/attempts/" + key + "/registration")
        let session = NameBasedUUID.v5(activityBase + "/attempts/" + key + "/session")
        let end = a.endedAt ?? row.lastTurnAt ?? a.startedAt

        var result: [String: JSON] = ["duration": .string(Self.duration(end.timeIntervalSince(a.startedAt)))]
        var contextExtensions: [String: JSON] = [
            Self.sessionIDExtension: .string(session.uuidString.lowercased()),
            modeExtension: .string(a.mode.rawValue),
            attemptExtension: .int(Int(a.id)),
        ]
        if let ending = a.ending { contextExtensions[endingExtension] = .string(ending.rawValue) }
        var categories: [JSON] = [.object(["objectType": .string("Activity"), "id": .string(Self.cmi5Category)])]
        switch verb {
        case .passed, .failed:
            if let total = a.total {
                let raw = min(100, max(0, total))
                result["score"] = .object([
                    "scaled": .number(Double(raw) / 100), "raw": .int(raw), "min": .int(0), "max": .int(100),
                ])
                // cmi5 bases passed/failed on the mastery score: it is given only when the verb agrees
                // with it (an attempt failed for a critical error can have a total above the pass mark).
                if let passMark = a.passMark, (raw >= passMark) == (verb == .passed) {
                    contextExtensions[Self.masteryScoreExtension] = .number(Double(min(100, max(0, passMark))) / 100)
                }
            }
            result["success"] = .bool(verb == .passed)
            result["extensions"] = .object(resultExtensions(a))
            categories.insert(.object(["objectType": .string("Activity"), "id": .string(Self.moveOnCategory)]), at: 0)
        case .completed:
            result["completion"] = .bool(true)
            result["extensions"] = .object(resultExtensions(a))
            categories.insert(.object(["objectType": .string("Activity"), "id": .string(Self.moveOnCategory)]), at: 0)
        case .abandoned:
            break
        }
        let language = Self.languageTag(a.language.rawValue)
        let statement: JSON = .object([
            "id": .string(statementID.uuidString.lowercased()),
            "actor": .object([
                "objectType": .string("Agent"),
                "name": .string(a.trainee),
                "account": .object(["homePage": .string(actorHomePage), "name": .string(a.trainee)]),
            ]),
            "verb": .object(["id": .string(verb.iri), "display": .object(["en-US": .string(verb.rawValue)])]),
            "object": .object([
                "objectType": .string("Activity"),
                "id": .string(activityID(scenarioID: a.scenarioID, version: a.scenarioVersion)),
                "definition": .object([
                    "name": .object([language: .string(a.scenarioTitle)]),
                    "type": .string(Self.activityType),
                ]),
            ]),
            "result": .object(result),
            "context": .object([
                "registration": .string(registration.uuidString.lowercased()),
                "contextActivities": .object([
                    "category": .array(categories),
                    "grouping": .array([
                        .object(["objectType": .string("Activity"), "id": .string(scenarioActivityID(a.scenarioID))])
                    ]),
                ]),
                "extensions": .object(contextExtensions),
                "language": .string(language),
                "platform": .string("SupportSim"),
            ]),
            "timestamp": .string(Self.timestamp(end)),
        ])
        // Encoding strings, numbers and booleans cannot fail.
        let data = (try? encoder.encode(statement)) ?? Data("{}".utf8)
        // JSONEncoder leaves DEL, C1 and bidi controls raw: escape them so the text is inert on a terminal.
        let json = TerminalText.jsonEscapingControls(String(decoding: data, as: UTF8.self))
        return XAPIStatement(id: statementID, verb: verb, attemptID: a.id, json: json)
    }

    private func resultExtensions(_ a: AttemptRecord) -> [String: JSON] {
        var scores: [String: JSON] = [:]
        for category in Category.allCases {
            if let score = a.score(category) { scores[category.rawValue] = .int(score) }
        }
        return [categoryScoresExtension: .object(scores), criticalErrorsExtension: .int(a.criticalCount)]
    }

    // MARK: Helpers

    /// What identifies an attempt across databases: its id alone is not enough (every database has an
    /// attempt 1), so the trainee, scenario, start (to the millisecond) and seed are part of it.
    /// Each field is prefixed by its length, so no two attempts give the same key.
    static func attemptKey(_ a: AttemptRecord) -> String {
        let started = Int64((a.startedAt.timeIntervalSince1970 * 1000).rounded())
        return [String(a.id), a.trainee, a.scenarioID, String(started), String(a.seed)]
            .map { "\($0.utf8.count):\($0)" }.joined()
    }

    /// RFC 3986 unreserved characters are kept; everything else is percent-encoded (UTF-8).
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// A stored language as an RFC 5646 tag ("und" when it is not one).
    static func languageTag(_ raw: String) -> String {
        let ok = (2...8).contains(raw.count) && raw.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
        return ok ? raw : "und"
    }

    /// ISO 8601 duration to the hundredth of a second, e.g. "PT1H2M3.5S", "PT42S", "PT0S".
    public static func duration(_ seconds: TimeInterval) -> String {
        let centis = Int((max(0, seconds.isFinite ? seconds : 0) * 100).rounded())
        let hours = centis / 360_000, minutes = centis / 6_000 % 60, rest = centis % 6_000
        var out = "PT"
        if hours > 0 { out += "\(hours)H" }
        if minutes > 0 { out += "\(minutes)M" }
        if rest > 0 || (hours == 0 && minutes == 0) {
            out += String(rest / 100)
            if rest % 100 != 0 {
                var fraction = String(format: "%02d", rest % 100)
                if fraction.hasSuffix("0") { fraction.removeLast() }
                out += "." + fraction
            }
            out += "S"
        }
        return out
    }

    /// ISO 8601 in UTC to the millisecond, e.g. "2026-10-26T07:33:20.000Z".
    public static func timestamp(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(millis / 1000 - (millis % 1000 < 0 ? 1 : 0))
        let ms = Int((millis % 1000 + 1000) % 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), ms)
    }
}

/// A JSON value for statements, whose extension objects mix types.
enum JSON: Encodable {
    case string(String), int(Int), number(Double), bool(Bool), object([String: JSON]), array([JSON])

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .string(let v): var c = encoder.singleValueContainer(); try c.encode(v)
        case .int(let v): var c = encoder.singleValueContainer(); try c.encode(v)
        case .number(let v): var c = encoder.singleValueContainer(); try c.encode(v)
        case .bool(let v): var c = encoder.singleValueContainer(); try c.encode(v)
        case .array(let v): var c = encoder.singleValueContainer(); try c.encode(v)
        case .object(let v):
            var c = encoder.container(keyedBy: Key.self)
            for (key, value) in v { try c.encode(value, forKey: Key(key)) }
        }
    }

    struct Key: CodingKey {
        let stringValue: String
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }
}
