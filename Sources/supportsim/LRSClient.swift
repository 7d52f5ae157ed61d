import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SupportSimCore

/// Sends xAPI statements to a Learning Record Store (xAPI 1.0.3 Statement resource).
final class LRSClient {
    /// The statements resource, e.g. `https://lrs.example/xapi/statements`.
    let statementsURL: URL
    private let authorization: String?
    private let session: URLSession

    /// An HTTP answer: status code and body.
    struct Response {
        var status: Int
        var body: Data
        var text: String { TerminalText.sanitize(String(decoding: body.prefix(400), as: UTF8.self), keepNewlines: false) }
    }

    /// - Parameters:
    ///   - endpoint: the LRS endpoint (`…/xapi/`) or its statements resource (`…/statements`).
    ///   - credentials: `user:password` for HTTP Basic authentication, if the LRS needs it.
    init(endpoint: String, credentials: String?) throws {
        guard let url = URL(string: endpoint), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host != nil
        else {
            throw UserError("--lrs expects an http or https URL of the LRS endpoint, got '\(endpoint)'.")
        }
        statementsURL = url.path.hasSuffix("/statements") ? url
            : URL(string: endpoint.hasSuffix("/") ? endpoint + "statements" : endpoint + "/statements")!
        if let credentials {
            guard credentials.contains(":") else { throw UserError("--auth expects user:password.") }
            authorization = "Basic " + Data(credentials.utf8).base64EncodedString()
        } else {
            authorization = nil
        }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 60
        session = URLSession(configuration: configuration)
    }

    /// POSTs statements (each one JSON object) as one array.
    func post(_ statements: [String]) throws -> Response {
        var request = self.request(statementsURL, method: "POST")
        request.httpBody = Data(("[" + statements.joined(separator: ",") + "]").utf8)
        return try send(request)
    }

    /// PUTs one statement under its id (xAPI's idempotent way to store a statement).
    func put(_ statement: String, id: UUID) throws -> Response {
        var components = URLComponents(url: statementsURL, resolvingAgainstBaseURL: false)!
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "statementId", value: id.uuidString.lowercased())]
        var request = self.request(components.url!, method: "PUT")
        request.httpBody = Data(statement.utf8)
        return try send(request)
    }

    private func request(_ url: URL, method: String) -> URLRequest {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue("1.0.3", forHTTPHeaderField: "X-Experience-API-Version")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        return request
    }

    /// The answer of one request, waited for.
    private func send(_ request: URLRequest) throws -> Response {
        final class Box: @unchecked Sendable {
            var response: Response?
            var error: (any Error)?
        }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        session.dataTask(with: request) { data, response, error in
            if let error {
                box.error = error
            } else {
                box.response = Response(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data ?? Data())
            }
            done.signal()
        }.resume()
        done.wait()
        if let error = box.error {
            throw UserError("cannot reach the LRS at \(statementsURL.absoluteString): \(error.localizedDescription)")
        }
        return box.response!
    }
}
