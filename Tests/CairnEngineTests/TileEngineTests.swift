@testable import CairnConfiguration
import CairnCore
import CairnPNG
import Foundation
import Testing
@testable import CairnEngine
import CairnTestSupport

struct TileEngineTests {
    static let centre = TileCoordinate(z: 13, x: 6523, y: 3610)

    func makeEngine(stylePath: String = TestPaths.miniStyle, cache: String = TestPaths.temporaryFolder()) -> TileEngine {
        let configuration = CairnConfiguration(cacheDirectory: cache, maps: [MapConfiguration(name: "mini", stylePath: stylePath)])
        return TileEngine(configuration: configuration, renderThreads: 2)
    }

    @Test func rendersOnceThenServesFromTheCache() async throws {
        let cache = TestPaths.temporaryFolder()
        let engine = makeEngine(cache: cache)
        let first = try await engine.tile(map: "mini", Self.centre, scale: 1, admission: .unlimited)
        #expect(!first.cacheHit)
        #expect(Array(first.data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // Answered before the rest of its metatile is stored: wait for that, then everything is a hit.
        #expect(await engine.untilBatchesStored())
        let renders = engine.renderCount
        let second = try await engine.tile(map: "mini", Self.centre, scale: 1, admission: .unlimited)
        #expect(second.cacheHit)
        #expect(second.data == first.data)
        #expect(second.etag == first.etag)
        #expect(engine.renderCount == renders)
        // Its metatile neighbours came from the same render.
        let neighbour = try await engine.tile(map: "mini", TileCoordinate(z: 13, x: 6522, y: 3611), scale: 1, admission: .unlimited)
        #expect(neighbour.cacheHit)
        #expect(FileManager.default.fileExists(atPath: cache + "/mini.mbtiles"))
        try await engine.shutdown()
    }

    @Test func retinaTilesAre512PixelsAndCachedApart() async throws {
        let cache = TestPaths.temporaryFolder()
        let engine = makeEngine(cache: cache)
        let tile = try await engine.tile(map: "mini", Self.centre, scale: 2, admission: .unlimited)
        let image = try PNGDecoder.decode(tile.data)
        #expect(image.width == 512 && image.height == 512)
        #expect(FileManager.default.fileExists(atPath: cache + "/mini@2x.mbtiles"))
        try await engine.shutdown()
    }

    @Test func hundredConcurrentRequestsForOneColdTileRenderOnce() async throws {
        let engine = makeEngine()
        let results = try await withThrowingTaskGroup(of: TileResult.self) { group in
            for _ in 0..<100 { group.addTask { try await engine.tile(map: "mini", Self.centre, scale: 1, admission: .unlimited) } }
            return try await group.reduce(into: [TileResult]()) { $0.append($1) }
        }
        #expect(engine.renderCount == 1)
        #expect(Set(results.map(\.etag)).count == 1)
        #expect(Set(results.map(\.data)).count == 1)
        try await engine.shutdown()
    }

    @Test func unknownMapsAndOutOfRangeTilesAreNotFound() async throws {
        let engine = makeEngine()
        await #expect(throws: EngineError.self) { try await engine.tile(map: "nope", Self.centre, scale: 1, admission: .unlimited) }
        for tile in [TileCoordinate(z: 2, x: 4, y: 0), TileCoordinate(z: 25, x: 0, y: 0), TileCoordinate(z: 3, x: 0, y: 8)] {
            do {
                _ = try await engine.tile(map: "mini", tile, scale: 1, admission: .unlimited)
                Issue.record("\(tile) should not exist")
            } catch let error as EngineError {
                #expect(error.code == .notFound)
            }
        }
        #expect(engine.renderCount == 0)
        try await engine.shutdown()
    }

    @Test func editingTheStyleNeverServesStaleTiles() async throws {
        let folder = try TestPaths.copyOfMiniFixture()
        let stylePath = folder + "/style.json"
        let engine = makeEngine(stylePath: stylePath, cache: folder + "/cache")
        // An open-sea tile away from the land polygon shows only the background.
        let sea = TileCoordinate(z: 13, x: 6520, y: 3605)
        let before = try await engine.tile(map: "mini", sea, scale: 1, admission: .unlimited)
        #expect(try pixel(before.data, 128, 128) == [0xaa, 0xd3, 0xdf, 0xff])

        var style = try String(contentsOfFile: stylePath, encoding: .utf8)
        style = style.replacingOccurrences(of: "#aad3df", with: "#ff0000")
        try style.write(toFile: stylePath, atomically: true, encoding: .utf8)

        // The engine looks at the style file at most once a second: ask until the new version answers.
        let rendersBefore = engine.renderCount
        var after = try await engine.tile(map: "mini", sea, scale: 1, admission: .unlimited)
        try await Wait.until(timeout: .seconds(10), interval: .milliseconds(50)) {
            after = try await engine.tile(map: "mini", sea, scale: 1, admission: .unlimited)
            return after.etag != before.etag
        }
        #expect(engine.renderCount > rendersBefore, "the new version was rendered, not taken from the cache")
        #expect(after.etag != before.etag)
        #expect(try pixel(after.data, 128, 128) == [0xff, 0x00, 0x00, 0xff])
        try await engine.shutdown()
    }

    @Test func aBrokenEditKeepsTheLastGoodVersionInService() async throws {
        let folder = try TestPaths.copyOfMiniFixture()
        let stylePath = folder + "/style.json"
        let engine = makeEngine(stylePath: stylePath, cache: folder + "/cache")
        let before = try await engine.tile(map: "mini", Self.centre, scale: 1, admission: .unlimited)
        try "{ \"version\": 8, \"layers\": [".write(toFile: stylePath, atomically: true, encoding: .utf8)
        // The engine looks at the style file at most once a second: wait until it has seen the broken one.
        await Wait.until(timeout: .seconds(10), interval: .milliseconds(50)) {
            _ = try? await engine.tile(map: "mini", Self.centre, scale: 1, admission: .unlimited)
            return await engine.mapStatus()["mini"]?.error != nil
        }
        let after = try await engine.tile(map: "mini", Self.centre, scale: 1, admission: .unlimited)
        #expect(after.etag == before.etag)
        let status = await engine.mapStatus()
        #expect(status["mini"]?.error?.contains("style.json") == true)
        try await engine.shutdown()
    }

    func pixel(_ png: [UInt8], _ x: Int, _ y: Int) throws -> [UInt8] {
        let image = try PNGDecoder.decode(png)
        let offset = (y * image.width + x) * 4
        return Array(image.rgba[offset..<offset + 4])
    }
}
