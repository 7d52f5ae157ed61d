// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "SupportSim",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "supportsim", targets: ["supportsim"]),
        .library(name: "SupportSimCore", targets: ["SupportSimCore"]),
        .executable(name: "supportsim-eval", targets: ["supportsim-eval"]),
        .executable(name: "supportsim-bench", targets: ["supportsim-bench"]),
    ],
    // The shared PostgreSQL store pulls in SwiftNIO, swift-crypto and BoringSSL (several minutes of
    // building), so it is off by default: `swift build --traits Postgres` (or `make build-postgres`).
    traits: [
        .trait(name: "Postgres", description: "The team store on PostgreSQL (postgres-nio): --db postgres://…"),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // Signal handling and GNU readline in one C file: one copy of the signal flags.
        .target(name: "CSupportSimTerminal", linkerSettings: [.linkedLibrary("readline")]),
        .systemLibrary(name: "CStemmer", path: "Sources/CStemmer"),
        .systemLibrary(
            name: "CHunspell", path: "Sources/CHunspell", pkgConfig: "hunspell",
            providers: [.apt(["libhunspell-dev"]), .brew(["hunspell"])]
        ),
        .target(name: "SupportSimSpelling", dependencies: ["SupportSimCore", "CHunspell"]),
        .target(
            name: "SupportSimCore",
            dependencies: [.product(name: "Yams", package: "Yams"), "CStemmer"]
        ),
        .target(
            name: "SupportSimStore",
            dependencies: ["SupportSimCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The PostgreSQL backend of the store; an empty module unless the Postgres trait is on.
        .target(
            name: "SupportSimPostgres",
            dependencies: [
                "SupportSimCore", "SupportSimStore",
                .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["Postgres"])),
            ]
        ),
        .target(
            name: "SupportSimReport",
            // SupportSimREPL for the debrief's wording of evidence (UIStrings, EvidenceText) and TextLayout.
            dependencies: ["SupportSimCore", "SupportSimStore", "SupportSimREPL"]
        ),
        .target(
            name: "SupportSimREPL",
            dependencies: ["SupportSimCore", "SupportSimLexicons", "CSupportSimTerminal"]
        ),
        .executableTarget(
            name: "supportsim",
            dependencies: [
                "SupportSimCore", "SupportSimStore", "SupportSimReport", "SupportSimREPL", "SupportSimSpelling",
                "SupportSimLexicons", "SupportSimEmbeddings", "SupportSimPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "SupportSimLexicons", dependencies: ["SupportSimCore"], resources: [.copy("Lexicons"), .copy("Models")]),
        .target(name: "SupportSimEval", dependencies: ["SupportSimCore"]),
        // Meaning matching: the e5 engine and model found at run time (dlopen), plus the embedding cache.
        .target(name: "SupportSimEmbeddings", dependencies: ["SupportSimCore"]),
        .executableTarget(
            name: "supportsim-eval",
            dependencies: [
                "SupportSimEval", "SupportSimCore", "SupportSimLexicons", "SupportSimEmbeddings",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "supportsim-bench",
            dependencies: [
                "SupportSimEval", "SupportSimCore", "SupportSimSpelling", "SupportSimLexicons", "SupportSimEmbeddings",
                "SupportSimStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "SupportSimCoreTests", dependencies: ["SupportSimCore", "SupportSimLexicons", "SupportSimEmbeddings", .product(name: "Yams", package: "Yams")], resources: [.copy("Fixtures")]),
        .testTarget(name: "SupportSimStoreTests", dependencies: ["SupportSimStore", "SupportSimPostgres"]),
        .testTarget(name: "SupportSimReportTests", dependencies: ["SupportSimReport"]),
        .testTarget(name: "SupportSimREPLTests", dependencies: ["SupportSimREPL", "SupportSimLexicons"]),
        .testTarget(name: "SupportSimEvalTests", dependencies: ["SupportSimEval"]),
        .testTarget(name: "SupportSimSpellingTests", dependencies: ["SupportSimSpelling", "SupportSimCore"]),
        .testTarget(name: "SupportSimEmbeddingsTests", dependencies: ["SupportSimEmbeddings", "SupportSimCore"]),
        .testTarget(name: "EndToEndTests", dependencies: ["supportsim", "SupportSimCore", "SupportSimStore"]),
    ],
    swiftLanguageModes: [.v6]
)
