@testable import CairnConfiguration
import CairnCore
@testable import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import CairnServer
import CairnTestSupport

/// A cold PNG tile is answered as soon as its own pixels are ready; the rest of its metatile is
/// drawn and stored behind the answer. The answer and every stored tile are the bytes seeding makes.
struct ColdTileRouteTests {
    static let requested = TileCoordinate(z: 13, x: 6523, y: 3610)
    static let cacheHeader = HTTPField.Name("X-Cairn-Cache")!

    @Test func aColdTileIsAnsweredAndItsWholeMetatileStored() async throws {
        let metatile = Metatile(containing: Self.requested, size: 8, in: .webMercator)
        let seeded = try await Self.seededTiles(of: metatile)
        #expect(seeded.count == 64)

        let cache = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let engine = Self.engine(cache: cache)
        try await ServerFixtures.application(engine).test(.router) { client in
            try await client.execute(uri: Self.uri(Self.requested), method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[Self.cacheHeader] == "MISS")
                #expect(Array(response.body.readableBytesView) == seeded[Self.requested], "the cold answer differs from the seeded tile")
            }
            // The other 63 tiles end up stored: each is (soon) a cache hit with the seeded bytes. A
            // request while the metatile is still being drawn joins that render (a miss).
            for tile in metatile.tiles where tile != Self.requested {
                var body: [UInt8] = []
                let stored = try await Wait.until(timeout: .seconds(60)) {
                    try await client.execute(uri: Self.uri(tile), method: .get) { response in
                        body = Array(response.body.readableBytesView)
                        return response.status == .ok && response.headers[Self.cacheHeader] == "HIT"
                    }
                }
                #expect(stored, "\(tile) was not stored")
                #expect(body == seeded[tile], "\(tile): stored bytes differ from the seeded tile")
            }
        }
        #expect(engine.metrics.png.renderCount == 1, "the metatile was rendered more than once")
        try await engine.shutdown()

        // They are in the file: a new engine without a memory cache reads all 64 from it.
        let reopened = Self.engine(cache: cache, memory: 0)
        for tile in metatile.tiles {
            let result = try await reopened.tile(map: "mini", tile, scale: 1, admission: .unlimited)
            #expect(result.cacheHit, "\(tile) is not in the cache file")
            #expect(result.data == seeded[tile], "\(tile): the file's bytes differ from the seeded tile")
        }
        #expect(reopened.metrics.png.renderCount == 0)
        try await reopened.shutdown()
    }

    /// The metatile is stored even when the client that started its render goes away meanwhile.
    @Test func aClientGoingAwayDoesNotStopItsMetatileBeingStored() async throws {
        let metatile = Metatile(containing: Self.requested, size: 8, in: .webMercator)
        let cache = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let engine = Self.engine(cache: cache)
        let request = Task { try await engine.tile(map: "mini", Self.requested, scale: 1, admission: .unlimited) }
        // The whole parallel test run shares two cores: starting the render can take a while there.
        #expect(await Wait.until(timeout: .seconds(120)) { engine.renderCount >= 1 })
        request.cancel()
        _ = try? await request.value
        #expect(await Wait.until(timeout: .seconds(120)) { engine.batchesFinishingBehindAnswers == 0 })
        try await engine.shutdown()

        let reopened = Self.engine(cache: cache, memory: 0)
        for tile in metatile.tiles {
            #expect(try await reopened.tile(map: "mini", tile, scale: 1, admission: .unlimited).cacheHit, "\(tile) is not in the cache file")
        }
        try await reopened.shutdown()
    }

    /// What `cairn seed` stores for `metatile` (seeded in a cache of its own), read back from its file.
    static func seededTiles(of metatile: Metatile) async throws -> [TileCoordinate: [UInt8]] {
        let cache = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let engine = Self.engine(cache: cache)
        // The metatile's own square (a metre in from its edges, so no neighbour is seeded).
        let bounds = metatile.bounds(in: .webMercator)
        let inside = BoundingBox(minX: bounds.minX + 1, minY: bounds.minY + 1, maxX: bounds.maxX - 1, maxY: bounds.maxY - 1)
        let result = try await engine.seed(map: "mini", SeedRequest(zooms: metatile.z...metatile.z, area: .box(inside, crs: .webMercator)))
        #expect(result.failedTiles == 0 && result.doneTiles == 64)
        var tiles: [TileCoordinate: [UInt8]] = [:]
        for tile in metatile.tiles {
            let stored = try await engine.tile(map: "mini", tile, scale: 1, admission: .unlimited)
            #expect(stored.cacheHit, "\(tile) was not seeded")
            tiles[tile] = stored.data
        }
        try await engine.shutdown()
        return tiles
    }

    static func temporaryFolder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("cairn-cold-\(UUID().uuidString)").path
    }

    static func uri(_ tile: TileCoordinate) -> String { "/maps/mini/\(tile.z)/\(tile.x)/\(tile.y).png" }

    static func engine(cache: String, memory: Int? = nil) -> TileEngine {
        var configuration = CairnConfiguration(cacheDirectory: cache, maps: [
            MapConfiguration(name: "mini", stylePath: ServerFixtures.miniStyle, metatileSize: 8),
        ])
        if let memory { configuration.memoryCacheBytes = memory }
        var logger = Logger(label: "cairn-test")
        logger.logLevel = .error
        return TileEngine(configuration: configuration, logger: logger, renderThreads: 2)
    }
}
