import CairnCore
import Foundation
import Testing
@testable import CairnCache

/// Marking tiles stale, listing them, and the resume check that skips what is cached.
struct MBTilesExpiryTests {
    typealias Support = MBTilesTestSupport

    /// z10 tiles x 0...7, y 0...7, each its own image.
    static func filledStore() throws -> MBTilesStore {
        let store = try MBTilesStore(path: try Support.temporaryFile(), metadata: Support.metadata)
        let tiles = (0..<64).map { (TileCoordinate(z: 10, x: $0 % 8, y: $0 / 8), [UInt8($0)], etag: "t\($0)") }
        try store.store(tiles, fingerprint: "v1")
        return store
    }

    @Test func marksAListStaleAndTileMatchingReportsIt() throws {
        let store = try Self.filledStore()
        let tile = TileCoordinate(z: 10, x: 3, y: 4)
        #expect(try store.markStale([tile, TileCoordinate(z: 10, x: 100, y: 100), TileCoordinate(z: 10, x: 0, y: 0)]) == 2)
        #expect(try store.markStale([tile]) == 0)  // already stale
        let cached = try #require(try store.tile(tile, matching: "v1"))
        #expect(cached.isStale)
        #expect(cached.data == [UInt8(4 * 8 + 3)])
        #expect(try store.tile(tile, matching: "v2") == nil)
        #expect(try store.tile(tile)?.isStale == true)
        #expect(try store.tile(TileCoordinate(z: 10, x: 3, y: 5), matching: "v1")?.isStale == false)
        #expect(store.staleCount() == 2)
        // Storing the tile again clears the flag.
        try store.store([(tile, [9], etag: "new")], fingerprint: "v1")
        #expect(try store.tile(tile, matching: "v1")?.isStale == false)
        #expect(try store.staleTiles() == [TileCoordinate(z: 10, x: 0, y: 0)])
    }

    @Test func marksAnXYZRangeStaleInTMSRows() throws {
        let store = try Self.filledStore()
        // XYZ rows 1...2 are TMS rows 1022...1021: the flip must hit exactly these 3 x 2 tiles.
        #expect(try store.markStale(zoom: 10, minX: 2, minY: 1, maxX: 4, maxY: 2) == 6)
        #expect(try store.staleTiles() == [2, 3, 4].flatMap { x in [1, 2].map { TileCoordinate(z: 10, x: x, y: $0) } })
        #expect(try store.staleTiles(limit: 2) == [TileCoordinate(z: 10, x: 2, y: 1), TileCoordinate(z: 10, x: 2, y: 2)])
        #expect(try store.statistics().staleTiles == 6)
        // Clipped to the grid; an empty range marks nothing; other zooms are untouched.
        #expect(try store.markStale(zoom: 10, minX: -50, minY: 7, maxX: 5000, maxY: 5000) == 8)
        #expect(try store.markStale(zoom: 10, minX: 5, minY: 0, maxX: 4, maxY: 9) == 0)
        #expect(try store.markStale(zoom: 11, minX: 0, minY: 0, maxX: 2047, maxY: 2047) == 0)
        #expect(store.staleCount() == 14)
        #expect(throws: MBTilesError.self) { try store.markStale(zoom: 31, minX: 0, minY: 0, maxX: 1, maxY: 1) }
    }

    @Test func deletesAnXYZRange() throws {
        let store = try Self.filledStore()
        #expect(try store.deleteTiles(zoom: 10, minX: 0, minY: 0, maxX: 7, maxY: 3) == 32)
        #expect(try store.tile(TileCoordinate(z: 10, x: 7, y: 3)) == nil)
        #expect(try store.tile(TileCoordinate(z: 10, x: 7, y: 4)) != nil)
        #expect(try store.statistics().images == 32)
        #expect(try Support.danglingRows(store.path) == (0, 0))
    }

    @Test func existingTilesFindsWhatAResumeMaySkip() throws {
        let store = try Self.filledStore()
        try store.store([(TileCoordinate(z: 10, x: 6, y: 6), [1], etag: "other")], fingerprint: "v0")
        try store.markStale([TileCoordinate(z: 10, x: 5, y: 5)])
        // An 8 x 8 metatile at 0/0 partly cached, asked for with its neighbours beyond the cache.
        let metatile = (0..<10).flatMap { x in (0..<10).map { TileCoordinate(z: 10, x: x, y: $0) } }
        let fresh = try store.existingTiles(metatile, matching: "v1")
        #expect(fresh.count == 62)
        #expect(!fresh.contains(TileCoordinate(z: 10, x: 6, y: 6)))  // another fingerprint
        #expect(!fresh.contains(TileCoordinate(z: 10, x: 5, y: 5)))  // stale
        #expect(try store.existingTiles(metatile, matching: "v1", includeStale: true).count == 63)
        // Scattered tiles and several zooms take the point-lookup path.
        let scattered = [TileCoordinate(z: 10, x: 0, y: 0), TileCoordinate(z: 10, x: 900, y: 900), TileCoordinate(z: 10, x: 7, y: 7), TileCoordinate(z: 3, x: 0, y: 0)]
        #expect(try store.existingTiles(scattered, matching: "v1") == [TileCoordinate(z: 10, x: 0, y: 0), TileCoordinate(z: 10, x: 7, y: 7)])
        #expect(try store.existingTiles([], matching: "v1").isEmpty)
        #expect(throws: MBTilesError.self) { try store.existingTiles([TileCoordinate(z: 2, x: 4, y: 0)], matching: "v1") }
    }
}
