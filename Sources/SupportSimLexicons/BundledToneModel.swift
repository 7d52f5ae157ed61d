import Foundation
import SupportSimCore

/// The tone model shipped with SupportSim (`Models/tone.json`, written by `Scripts/train-tone.sh`).
public enum BundledToneModel {
    /// The bundled model, read and checked once per process; a missing or damaged file is an
    /// error value (politeness is then judged by the lexicon alone).
    public static let model: Result<ToneModel, ToneModelFileError> = {
        guard let url = Bundle.module.url(forResource: "tone", withExtension: "json", subdirectory: "Models")
            ?? Bundle.module.url(forResource: "tone", withExtension: "json") else {
            return .failure(.missing(path: "Models/tone.json"))
        }
        return load(path: url.path)
    }()

    /// A tone model file at `path`, checked (format, version, checksum, shapes).
    public static func load(path: String) -> Result<ToneModel, ToneModelFileError> {
        guard FileManager.default.fileExists(atPath: path) else { return .failure(.missing(path: path)) }
        guard let data = FileManager.default.contents(atPath: path) else { return .failure(.missing(path: path)) }
        return ToneModelFile.decode(data)
    }

    /// The lexicon with the bundled tone model over `embedder`, or nil (the lexicon alone) when the
    /// model file cannot be used or was trained on another embedding model.
    public static func analyzer(embedder: (any SentenceEmbedder)?,
                                lexicon: PolitenessAnalyzer = BundledLexicons.analyzer) -> TonedPolitenessAnalyzer? {
        guard let embedder, case .success(let model) = model else { return nil }
        return TonedPolitenessAnalyzer(analyzer: lexicon, model: model, embedder: embedder)
    }
}
