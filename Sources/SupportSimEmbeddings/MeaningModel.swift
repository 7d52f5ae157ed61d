import Foundation
import SupportSimCore

/// The one entry point the app calls for meaning-based matching.
public enum MeaningModel {
    /// Finds the engine and the model (`EmbeddingsDiscovery`), checks and loads them
    /// (`E5Embedder`), and puts the memory and disk cache in front (`CachingEmbedder`, folder from
    /// `EmbeddingDiskCache.folder(environment:)`). On failure, the reason says what to do.
    ///
    /// Environment: `SUPPORTSIM_EMBEDDINGS` (`off`, a folder, or a model file), `PATH` (to find
    /// `python3`), `SUPPORTSIM_CACHE_DIR` / `XDG_CACHE_HOME` / `HOME` (the cache). The process's own
    /// `OMP_NUM_THREADS` is set to 1 when unset, before the engine is loaded.
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Result<CachingEmbedder, EmbeddingsUnavailable> {
        EmbeddingsDiscovery.locate(environment: environment)
            .flatMap { E5Embedder.load(library: $0.library, model: $0.model) }
            .map { CachingEmbedder($0, cacheFolder: EmbeddingDiskCache.folder(environment: environment)) }
    }
}
