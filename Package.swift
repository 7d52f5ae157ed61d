// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "SupportSim",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "supportsim", targets: ["supportsim"]),
        .library(name: "SupportSimCore", targets: ["SupportSimCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CReadline", path: "Sources/CReadline"),
        .target(
            name: "SupportSimCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "SupportSimStore",
            dependencies: ["SupportSimCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "SupportSimReport",
            dependencies: ["SupportSimCore", "SupportSimStore"]
        ),
        .target(
            name: "SupportSimREPL",
            dependencies: ["SupportSimCore", "SupportSimStore", "CReadline"]
        ),
        .executableTarget(
            name: "supportsim",
            dependencies: [
                "SupportSimCore", "SupportSimStore", "SupportSimReport", "SupportSimREPL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "SupportSimCoreTests", dependencies: ["SupportSimCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SupportSimStoreTests", dependencies: ["SupportSimStore"]),
        .testTarget(name: "SupportSimReportTests", dependencies: ["SupportSimReport"]),
        .testTarget(name: "SupportSimREPLTests", dependencies: ["SupportSimREPL"]),
        .testTarget(name: "EndToEndTests", dependencies: ["SupportSimCore"]),
    ],
    swiftLanguageModes: [.v6]
)
