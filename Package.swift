// swift-tools-version: 6.1
import PackageDescription

// One set of compiler settings for every target (as Hummingbird does). Release builds keep Swift's
// checks (plain -O): the server parses untrusted input; what dropping them would save is measured
// by scripts/checks-cost (README, "Release builds keep Swift's checks").
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Cairn",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "cairn", targets: ["CairnCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.0.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
    ],
    targets: [
        // C libraries, each behind one system library target found with pkg-config.
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev"])]),
        .systemLibrary(name: "CProj", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibdeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(name: "CWebP", pkgConfig: "libwebp", providers: [.apt(["libwebp-dev"])]),
        .systemLibrary(name: "CGDAL", pkgConfig: "gdal", providers: [.apt(["libgdal-dev"])]),
        .systemLibrary(name: "CFreeType", pkgConfig: "freetype2", providers: [.apt(["libfreetype-dev"])]),
        .systemLibrary(name: "CFontconfig", pkgConfig: "fontconfig", providers: [.apt(["libfontconfig-dev"])]),
        // SVG icons drawn onto Cairo surfaces, for sprites built from a folder of SVGs.
        .systemLibrary(name: "CRsvg", pkgConfig: "librsvg-2.0", providers: [.apt(["librsvg2-dev"])]),

        // Thin, non-Sendable wrappers of the C libraries.
        .target(name: "CairnSQLite", dependencies: ["CSQLite"], swiftSettings: swiftSettings),
        .target(name: "CairnProj", dependencies: ["CProj"], swiftSettings: swiftSettings),
        .target(name: "CairnCairo", dependencies: ["CCairo", "CPangoCairo", "CRsvg"], swiftSettings: swiftSettings),
        // Optimised in debug builds too: every test tile goes through its per-pixel palette quantiser.
        .target(name: "CairnPNG", dependencies: ["CairnCore", "CPNG", "CLibdeflate"],
                swiftSettings: swiftSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "CairnWebP", dependencies: ["CWebP"], swiftSettings: swiftSettings),
        .target(name: "CairnZlib", dependencies: ["CZlib"], swiftSettings: swiftSettings),
        // GDAL/OGR's vector C API: datasets, layers, features, spatial references, captured errors.
        .target(name: "CairnGDAL", dependencies: ["CGDAL"], swiftSettings: swiftSettings),
        // Font files as fontconfig sorts them for a family list, and FreeType glyph outlines.
        .target(name: "CairnFreeType", dependencies: ["CFreeType", "CFontconfig"], swiftSettings: swiftSettings),

        // Pipeline stages.
        .target(name: "CairnCore", swiftSettings: swiftSettings),
        .target(name: "CairnSources", dependencies: ["CairnCore", "CairnSQLite", "CairnVectorTile", "CairnZlib", "CairnGDAL"], swiftSettings: swiftSettings),
        .target(name: "CairnProjection", dependencies: ["CairnCore", "CairnProj"], swiftSettings: swiftSettings),
        .target(name: "CairnStyle", dependencies: ["CairnCore"], swiftSettings: swiftSettings),
        .target(name: "CairnRender", dependencies: ["CairnCore", "CairnCairo", "CairnPNG", "CairnWebP", "CairnFreeType"], swiftSettings: swiftSettings),
        .target(name: "CairnCache", dependencies: ["CairnCore", "CairnSQLite", "CairnZlib"], swiftSettings: swiftSettings),
        // PostgreSQL/PostGIS databases: connection settings, pooled clients, table discovery,
        // per-metatile feature queries (WKB through CairnSources' decoder), LISTEN for edits.
        .target(
            name: "CairnPostGIS",
            dependencies: [
                "CairnCore", "CairnSources", "CairnConfiguration",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Mapbox Vector Tiles 2.1: protobuf wire format, geometry commands, tile encoding.
        .target(name: "CairnVectorTile", dependencies: ["CairnCore", "CairnZlib"], swiftSettings: swiftSettings),
        // API keys, signed tokens and signed URLs for internal maps.
        .target(
            name: "CairnAccess",
            dependencies: ["CairnCore", .product(name: "JWTKit", package: "jwt-kit"), .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),

        // The configuration file (maps, limits, access, auth) and tile matrix set documents: read and
        // checked with errors naming file and line, before anything is loaded or served.
        .target(
            name: "CairnConfiguration",
            dependencies: ["CairnCore", "CairnAccess", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // Map loading, the tile pipeline (cache, coalesced renders and encodes), seeding and expiry.
        .target(
            name: "CairnEngine",
            dependencies: [
                "CairnCore", "CairnSources", "CairnProjection", "CairnStyle", "CairnRender", "CairnCache",
                "CairnVectorTile", "CairnAccess", "CairnConfiguration", "CairnPostGIS", "CairnGDAL", "CairnZlib",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        // Background admin jobs (seeding through the admin API): queued, listed, cancellable, a Service.
        .target(
            name: "CairnJobs",
            dependencies: [
                "CairnCore", "CairnConfiguration", "CairnEngine",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The only module that imports Hummingbird.
        .target(
            name: "CairnServer",
            dependencies: [
                "CairnEngine", "CairnConfiguration", "CairnJobs",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                // Event streams end on graceful shutdown instead of holding the server open.
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The built-in pages' scripts and style sheets, served by `ViewerAssets`.
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        // The only module that imports ArgumentParser.
        .executableTarget(
            name: "CairnCLI",
            dependencies: ["CairnServer", "CairnEngine", "CairnConfiguration", "CairnJobs", "CairnPostGIS", "CairnPNG", "CairnWebP", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),

        // Shared by the test targets: the fast/interop tiers, conformance-suite lookup, waiting on conditions.
        .target(name: "CairnTestSupport", dependencies: [.product(name: "Logging", package: "swift-log")], path: "Tests/CairnTestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "CairnCoreTests", dependencies: ["CairnCore", "CairnTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "CairnSourcesTests", dependencies: ["CairnSources", "CairnTestSupport"], exclude: ["GeoJSON/Fixtures", "Shapefile/Fixtures", "GeoPackage/Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "CairnProjectionTests", dependencies: ["CairnProjection", "CairnSources", "CairnTestSupport"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "CairnStyleTests", dependencies: ["CairnStyle", "CairnTestSupport"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "CairnRenderTests", dependencies: ["CairnRender", "CairnPNG", "CairnWebP", "CairnZlib", "CairnTestSupport"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "CairnPostGISTests", dependencies: ["CairnPostGIS", "CairnConfiguration", "CairnCore", "CairnTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "CairnCacheTests", dependencies: ["CairnCache", "CairnZlib", "CairnTestSupport"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "CairnVectorTileTests", dependencies: ["CairnVectorTile", "CairnZlib", "CairnTestSupport"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "CairnAccessTests", dependencies: ["CairnAccess", "CairnTestSupport", .product(name: "JWTKit", package: "jwt-kit"),
                                                         .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto")], swiftSettings: swiftSettings),
        .testTarget(name: "CairnEngineTests", dependencies: ["CairnEngine", "CairnConfiguration", "CairnPostGIS", "CairnTestSupport"], exclude: ["Fixtures", "Grids/Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "CairnCLITests", dependencies: ["CairnCLI", "CairnConfiguration", "CairnEngine", "CairnVectorTile", "CairnZlib", "CairnSQLite", "CairnRender", "CairnPNG", "CairnTestSupport"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CairnServerTests",
            dependencies: ["CairnServer", "CairnConfiguration", "CairnJobs", "CairnPNG", "CairnWebP", "CairnTestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "JWTKit", package: "jwt-kit")],
            swiftSettings: swiftSettings
        ),
    ]
)
