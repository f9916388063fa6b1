// swift-tools-version: 6.1
import PackageDescription

// One set of compiler settings for every target (as Hummingbird does).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "Cairn",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "CairnCore", targets: ["CairnCore"]),
    ],
    dependencies: [],
    targets: [
        // C libraries, each behind one system library target found with pkg-config.
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev"])]),
        .systemLibrary(name: "CProj", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),

        // Thin, non-Sendable wrappers of the C libraries.
        .target(name: "CairnSQLite", dependencies: ["CSQLite"], swiftSettings: swiftSettings),
        .target(name: "CairnProj", dependencies: ["CProj"], swiftSettings: swiftSettings),
        .target(name: "CairnCairo", dependencies: ["CCairo", "CPangoCairo"], swiftSettings: swiftSettings),
        .target(name: "CairnPNG", dependencies: ["CPNG"], swiftSettings: swiftSettings),

        // Pipeline stages.
        .target(name: "CairnCore", swiftSettings: swiftSettings),
        .target(name: "CairnSources", dependencies: ["CairnCore", "CairnSQLite"], swiftSettings: swiftSettings),
        .target(name: "CairnProjection", dependencies: ["CairnCore", "CairnProj"], swiftSettings: swiftSettings),
        .target(name: "CairnStyle", dependencies: ["CairnCore"], swiftSettings: swiftSettings),
        .target(name: "CairnRender", dependencies: ["CairnCore", "CairnCairo", "CairnPNG"], swiftSettings: swiftSettings),
        .target(name: "CairnCache", dependencies: ["CairnCore", "CairnSQLite"], swiftSettings: swiftSettings),

        .testTarget(name: "CairnCoreTests", dependencies: ["CairnCore"], swiftSettings: swiftSettings),
        .testTarget(name: "CairnSourcesTests", dependencies: ["CairnSources"], swiftSettings: swiftSettings),
        .testTarget(name: "CairnProjectionTests", dependencies: ["CairnProjection", "CairnSources"], swiftSettings: swiftSettings),
        .testTarget(name: "CairnStyleTests", dependencies: ["CairnStyle"], swiftSettings: swiftSettings),
        .testTarget(name: "CairnRenderTests", dependencies: ["CairnRender"], swiftSettings: swiftSettings),
        .testTarget(name: "CairnCacheTests", dependencies: ["CairnCache"], swiftSettings: swiftSettings),
    ]
)
