import Foundation

extension SessionJournal {
    /// A store's description fit to be written down or shown: a URL loses its password
    /// (`postgres://user:pass@host/db` becomes `postgres://user@host/db`, and a `password=` query
    /// parameter is left out); anything else (a database path) is returned as it is.
    public static func redactedTarget(_ target: String) -> String {
        guard let schemeEnd = target.range(of: "://") else { return target }
        let scheme = target[..<schemeEnd.lowerBound]
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }) else { return target }
        var rest = Substring(target[schemeEnd.upperBound...])
        // The authority ends at the first '/', '?' or '#'; its user information ends at its last '@'.
        let authorityEnd = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var cleanAuthority = String(authority)
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            let user = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            cleanAuthority = (user.isEmpty ? "" : user + "@") + authority[authority.index(after: at)...]
        }
        rest = rest[authorityEnd...]
        var tail = String(rest)
        if let question = rest.firstIndex(of: "?") {
            let path = rest[..<question]
            let afterQuery = rest[rest.index(after: question)...]
            let fragmentStart = afterQuery.firstIndex(of: "#") ?? afterQuery.endIndex
            let kept = afterQuery[..<fragmentStart].split(separator: "&").filter {
                !$0.lowercased().hasPrefix("password=")
            }
            tail = String(path) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&")) + afterQuery[fragmentStart...]
        }
        return scheme + "://" + cleanAuthority + tail
    }
}
