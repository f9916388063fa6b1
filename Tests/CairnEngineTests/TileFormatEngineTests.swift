@testable import CairnConfiguration
import CairnCore
import CairnPNG
import CairnRender
import Foundation
import Testing
@testable import CairnEngine
import CairnTestSupport

/// The map's PNG format (`format: png8 | png32`) and WebP tiles through the engine: what is cached,
/// under which fingerprint and file.
struct TileFormatEngineTests {
    static let centre = TileCoordinate(z: 13, x: 6523, y: 3610)

    func makeEngine(format: PNGTileFormat, cache: String) -> TileEngine {
        var map = MapConfiguration(name: "mini", stylePath: TestPaths.miniStyle)
        map.pngFormat = format
        return TileEngine(configuration: CairnConfiguration(cacheDirectory: cache, maps: [map]), renderThreads: 2)
    }

    @Test func png8TilesArePalettePNGsCloseToPNG32Ones() async throws {
        let cache8 = TestPaths.temporaryFolder(), cache32 = TestPaths.temporaryFolder()
        let engine8 = makeEngine(format: .png8, cache: cache8), engine32 = makeEngine(format: .png32, cache: cache32)
        let palette = try await engine8.tile(map: "mini", Self.centre, scale: 1, admission: .unlimited)
        let truecolour = try await engine32.tile(map: "mini", Self.centre, scale: 1, admission: .unlimited)
        #expect(palette.data[25] == 3, "colour type 3: palette")
        #expect(truecolour.data[25] == 2 || truecolour.data[25] == 6)
        #expect(palette.data.count < truecolour.data.count)
        #expect(palette.etag != truecolour.etag)
        let a = try PNGDecoder.decode(palette.data), b = try PNGDecoder.decode(truecolour.data)
        let total = zip(a.rgba, b.rgba).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        #expect(Double(total) / Double(a.rgba.count) < 1.0)
        try await engine8.shutdown()
        try await engine32.shutdown()
    }

    @Test func formatIsPartOfTheCacheFingerprint() throws {
        let loaded = try MapLoader.load(MapConfiguration(name: "mini", stylePath: TestPaths.miniStyle))
        var truecolour = loaded
        truecolour.configuration.pngFormat = .png32
        let png8 = TileProducer(png: loaded, scale: 1), png32 = TileProducer(png: truecolour, scale: 1)
        let webp = TileProducer(webp: loaded, scale: 1)
        #expect(png32.cacheFingerprint == loaded.fingerprint, "png32 caches from before png8 existed stay valid")
        #expect(Set([png8.cacheFingerprint, png32.cacheFingerprint, webp.cacheFingerprint]).count == 3)
        #expect(png8.fileName == png32.fileName)
        #expect(webp.fileName == "mini.webp.mbtiles")
        #expect(TileProducer(webp: loaded, scale: 2).fileName == "mini@2x.webp.mbtiles")
        #expect(webp.metadata.format == "webp" && png8.metadata.format == "png")
    }

    @Test func webpTilesAreCachedInTheirOwnFile() async throws {
        let cache = TestPaths.temporaryFolder()
        let engine = makeEngine(format: .png8, cache: cache)
        let first = try await engine.webpTile(map: "mini", Self.centre, scale: 1, admission: .unlimited)
        #expect(!first.cacheHit)
        #expect(Array(first.data[0..<4]) == Array("RIFF".utf8))
        let second = try await engine.webpTile(map: "mini", Self.centre, scale: 1, admission: .unlimited)
        #expect(second.cacheHit && second.data == first.data && second.etag == first.etag)
        #expect(FileManager.default.fileExists(atPath: cache + "/mini.webp.mbtiles"))
        let png = try await engine.tile(map: "mini", Self.centre, scale: 1, admission: .unlimited)
        #expect(!png.cacheHit, "PNG and WebP are separate products")
        await #expect(throws: EngineError.self) { try await engine.webpTile(map: "mini", Self.centre, scale: 3, admission: .unlimited) }
        try await engine.shutdown()
    }
}
