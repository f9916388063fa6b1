import CairnCore
import Foundation
import Testing
@testable import CairnCache

/// Failed renders are recorded for --retry-failed and cleared when the tile is stored.
struct MBTilesFailureTests {
    typealias Support = MBTilesTestSupport

    @Test func recordsListsAndClearsFailures() throws {
        let store = try MBTilesStore(path: try Support.temporaryFile(), metadata: Support.metadata)
        let a = TileCoordinate(z: 12, x: 3, y: 1), b = TileCoordinate(z: 12, x: 3, y: 2), c = TileCoordinate(z: 2, x: 1, y: 0)
        try store.recordFailures([(b, "timeout"), (a, "out of memory"), (c, "bad geometry")])
        try store.recordFailures([(b, "timeout again")])
        #expect(try store.failures().map(\.tile) == [c, a, b])
        #expect(try store.failures().map(\.reason) == ["bad geometry", "out of memory", "timeout again"])
        // Stored in TMS rows like `map`: XYZ 12/3/1 is row 4094.
        #expect(try Support.rows(store.path, "SELECT tile_row FROM cairn_failures WHERE zoom_level = 12 ORDER BY tile_row") == ["4093", "4094"])
        #expect(try store.statistics().failures == 3)
        try store.clearFailures([c, TileCoordinate(z: 0, x: 0, y: 0)])
        #expect(try store.failures().map(\.tile) == [a, b])
    }

    @Test func storingATileClearsItsFailureInTheSameTransaction() throws {
        let store = try MBTilesStore(path: try Support.temporaryFile(), metadata: Support.metadata)
        let a = TileCoordinate(z: 12, x: 3, y: 1), b = TileCoordinate(z: 12, x: 3, y: 2)
        try store.recordFailures([(a, "x"), (b, "y")])
        try store.store([(a, [1], etag: "a")], fingerprint: "v1", clearingFailures: false)
        #expect(try store.failures().count == 2)
        try store.store([(a, [1], etag: "a")], fingerprint: "v1")
        #expect(try store.failures().map(\.tile) == [b])
        // A rejected batch (one bad address) writes nothing and keeps the record.
        #expect(throws: MBTilesError.self) {
            try store.store([(b, [2], etag: "b"), (TileCoordinate(z: 1, x: 5, y: 0), [3], etag: "c")], fingerprint: "v1")
        }
        #expect(try store.failures().map(\.tile) == [b])
        #expect(try store.tile(b) == nil)
    }
}
