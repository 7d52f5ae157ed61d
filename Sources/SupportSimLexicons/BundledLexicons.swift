import Foundation
import SupportSimCore

/// The lexicons shipped with SupportSim, read from this module's resources (`Lexicons/*.yaml`).
public enum BundledLexicons {
    /// The lexicon files, in the order they are merged.
    public static let politenessFiles = ["politeness.en", "politeness.ru"]

    /// The bundled politeness lexicon: the English file with the Russian one laid over it.
    /// Throws `PolitenessLexiconError` (with the file name and line) when a file is malformed.
    public static func politeness() throws -> PolitenessLexicon {
        var lexicon = PolitenessLexicon()
        for name in politenessFiles {
            lexicon = lexicon.merging(try politenessFile(name))
        }
        return lexicon
    }

    /// One bundled lexicon file, parsed.
    public static func politenessFile(_ name: String) throws -> PolitenessLexicon {
        guard let url = Bundle.module.url(forResource: name, withExtension: "yaml", subdirectory: "Lexicons")
            ?? Bundle.module.url(forResource: name, withExtension: "yaml") else {
            throw PolitenessLexiconError(line: 0, message: "bundled lexicon \(name).yaml is missing")
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        do {
            return try PolitenessLexicon(yaml: text)
        } catch var error as PolitenessLexiconError {
            error.file = "\(name).yaml"
            throw error
        }
    }

    /// The analyzer for the bundled lexicon, compiled once per process. The bundled files are
    /// part of the build and checked by the tests, so a failure here is a packaging error.
    public static let analyzer: PolitenessAnalyzer = {
        do {
            return PolitenessAnalyzer(lexicon: try politeness())
        } catch {
            fatalError("SupportSim: cannot load the bundled politeness lexicon: \(error)")
        }
    }()
}
