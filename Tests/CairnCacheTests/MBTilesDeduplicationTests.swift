import CairnCore
import Foundation
import Testing
@testable import CairnCache

/// Identical tiles share one image; no write leaves an image that no tile uses.
struct MBTilesDeduplicationTests {
    typealias Support = MBTilesTestSupport

    static let blank = [UInt8](repeating: 0xAB, count: 300)

    @Test func hundredIdenticalTilesShareOneImage() throws {
        let store = try MBTilesStore(path: try Support.temporaryFile(), metadata: Support.metadata)
        let tiles = (0..<100).map { (TileCoordinate(z: 8, x: $0 % 10, y: $0 / 10), Self.blank, etag: "\"sea\"") }
        try store.store(Array(tiles[0..<50]), fingerprint: "v1")
        try store.store(Array(tiles[50...]), fingerprint: "v1")
        #expect(try store.statistics() == MBTilesStatistics(tiles: 100, images: 1, imageBytes: 300, staleTiles: 0, failures: 0))
        #expect(try Support.rows(store.path, "SELECT tile_id FROM images") == ["sea"])
        #expect(try store.tile(TileCoordinate(z: 8, x: 9, y: 9)) == CachedTile(data: Self.blank, etag: "\"sea\"", fingerprint: "v1"))
    }

    @Test func overwritingATileDeletesItsUnusedImage() throws {
        let store = try MBTilesStore(path: try Support.temporaryFile(), metadata: Support.metadata)
        let shared = TileCoordinate(z: 5, x: 1, y: 1), alone = TileCoordinate(z: 5, x: 2, y: 2)
        try store.store([(shared, Self.blank, etag: "blank"), (alone, [1, 2, 3], etag: "a")], fingerprint: "v1")
        try store.store([(TileCoordinate(z: 5, x: 3, y: 3), Self.blank, etag: "blank")], fingerprint: "v1")
        // `alone` gets new content: image "a" goes. `shared` too, but "blank" is still used by 5/3/3.
        try store.store([(alone, [4, 5], etag: "b"), (shared, [6], etag: "c")], fingerprint: "v2")
        #expect(try Support.rows(store.path, "SELECT tile_id FROM images ORDER BY tile_id") == ["b", "blank", "c"])
        #expect(try Support.danglingRows(store.path) == (0, 0))
        // Rewriting a tile with the image it already has keeps that image.
        try store.store([(alone, [4, 5], etag: "b")], fingerprint: "v2")
        #expect(try store.tile(alone)?.data == [4, 5])
        #expect(try Support.danglingRows(store.path) == (0, 0))
    }

    @Test func deletingTilesDeletesOnlyImagesNoTileUses() throws {
        let store = try MBTilesStore(path: try Support.temporaryFile(), metadata: Support.metadata)
        var tiles = (0..<8).map { (TileCoordinate(z: 6, x: $0, y: 0), Self.blank, etag: "blank") }
        tiles += (0..<8).map { (TileCoordinate(z: 6, x: $0, y: 1), [UInt8($0)], etag: "t\($0)") }
        try store.store(tiles, fingerprint: "v1")
        #expect(try store.deleteTiles([TileCoordinate(z: 6, x: 0, y: 0), TileCoordinate(z: 6, x: 0, y: 1), TileCoordinate(z: 6, x: 0, y: 5)]) == 2)
        #expect(try store.statistics().images == 8)  // "t0" went, "blank" stays
        #expect(try store.deleteTiles(zoom: 6, minX: 0, minY: 0, maxX: 7, maxY: 0) == 7)
        #expect(try Support.rows(store.path, "SELECT count(*) FROM images WHERE tile_id = 'blank'") == ["0"])
        #expect(try store.removeTiles(notMatching: "v2") == 7)
        #expect(try store.statistics() == MBTilesStatistics(tiles: 0, images: 0, imageBytes: 0, staleTiles: 0, failures: 0))
    }

    @Test func removeAllEmptiesTilesAndImages() throws {
        let store = try MBTilesStore(path: try Support.temporaryFile(), metadata: Support.metadata)
        try store.store([(TileCoordinate(z: 1, x: 0, y: 0), [1], etag: "x")], fingerprint: "v1")
        try store.removeAll()
        #expect(try store.statistics() == MBTilesStatistics(tiles: 0, images: 0, imageBytes: 0, staleTiles: 0, failures: 0))
    }

    @Test func differentImagesUnderOneETagAreBothKept() throws {
        let store = try MBTilesStore(path: try Support.temporaryFile(), metadata: Support.metadata)
        let a = TileCoordinate(z: 4, x: 0, y: 0), b = TileCoordinate(z: 4, x: 1, y: 0), c = TileCoordinate(z: 4, x: 2, y: 0)
        try store.store([(a, [1, 1], etag: "\"h\""), (b, [2, 2], etag: "\"h\""), (c, [1, 1], etag: "\"h\"")], fingerprint: "v1")
        #expect(try store.tile(a)?.data == [1, 1])
        #expect(try store.tile(b)?.data == [2, 2])
        #expect(try store.tile(b)?.etag == "\"h~1\"")  // a different image gets a different validator
        #expect(try store.tile(c)?.etag == "\"h\"")
        #expect(try store.statistics().images == 2)
    }
}
