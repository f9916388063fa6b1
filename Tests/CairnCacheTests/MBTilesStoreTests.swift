import CairnCore
import CairnSQLite
import Foundation
import Testing
@testable import CairnCache
import CairnTestSupport

struct MBTilesStoreTests {
    typealias Support = MBTilesTestSupport

    @Test(.interop) func roundTripStoresInTMSOrder() throws {
        let path = try Support.temporaryFile()
        let store = try MBTilesStore(path: path, metadata: Support.metadata)
        try store.store(Support.fixtureTiles.map { ($0.0, $0.1, etag: "etag-\($0.0.x)-\($0.0.y)") }, fingerprint: "v1")
        #expect(store.count() == 4)
        for (coordinate, data) in Support.fixtureTiles {
            let cached = try #require(try store.tile(coordinate))
            #expect(cached.data == data)
            #expect(cached.etag == "\"etag-\(coordinate.x)-\(coordinate.y)\"")  // returned in its quoted HTTP form
            #expect(!cached.isStale)
            #expect(cached.fingerprint == "v1")
        }
        #expect(try store.tile(TileCoordinate(z: 10, x: 0, y: 0)) == nil)

        // XYZ 10/815/451 is TMS row 1023 - 451 = 572, seen through the spec's `tiles` view.
        let db = try SQLiteConnection(path: path)
        let query = try db.prepare("SELECT tile_data FROM tiles WHERE zoom_level = 10 AND tile_column = 815 AND tile_row = ?")
        try query.bind(Int64(572), at: 1)
        #expect(try query.step())
        #expect(query.blob(0) == Support.fixtureTiles[0].1)

        let cli = try Support.run(["sqlite3", path, "SELECT tile_column || '/' || tile_row FROM tiles ORDER BY tile_column, tile_row"])
        #expect(cli.status == 0)
        #expect(cli.output.split(separator: "\n") == ["815/571", "815/572", "816/571", "816/572"])
    }

    @Test func flipsRowsAtEveryZoom() throws {
        let store = try MBTilesStore(path: try Support.temporaryFile(), metadata: Support.metadata)
        let tiles = [TileCoordinate(z: 0, x: 0, y: 0), TileCoordinate(z: 1, x: 1, y: 0), TileCoordinate(z: 14, x: 13025, y: 7215)]
        try store.store(tiles.map { ($0, [UInt8($0.z)], etag: "e") }, fingerprint: "f")
        let db = try SQLiteConnection(path: store.path)
        let rows = try db.prepare("SELECT zoom_level, tile_column, tile_row FROM tiles ORDER BY zoom_level")
        var found: [[Int64]] = []
        while try rows.step() { found.append([rows.int64(0), rows.int64(1), rows.int64(2)]) }
        #expect(found == [[0, 0, 0], [1, 1, 1], [14, 13025, 16383 - 7215]])
    }

    @Test func staleFingerprintIsNeverServed() throws {
        let store = try MBTilesStore(path: try Support.temporaryFile(), metadata: Support.metadata)
        let (coordinate, data) = Support.fixtureTiles[0]
        try store.store([(coordinate, data, etag: "a")], fingerprint: "style-1")
        #expect(try store.tile(coordinate, matching: "style-1")?.data == data)
        #expect(try store.tile(coordinate, matching: "style-2") == nil)
        try store.store([(coordinate, [1, 2, 3], etag: "b")], fingerprint: "style-2")
        #expect(try store.tile(coordinate, matching: "style-1") == nil)
        #expect(try store.tile(coordinate, matching: "style-2") == CachedTile(data: [1, 2, 3], etag: "\"b\"", fingerprint: "style-2"))
        #expect(store.count() == 1)
    }

    @Test func removesTilesOfOtherFingerprints() throws {
        let store = try MBTilesStore(path: try Support.temporaryFile(), metadata: Support.metadata)
        let tiles = Support.fixtureTiles.map { ($0.0, $0.1, etag: "e") }
        try store.store(Array(tiles[0..<3]), fingerprint: "old")
        try store.store([tiles[3]], fingerprint: "new")
        #expect(try store.removeTiles(notMatching: "new") == 3)
        #expect(store.count() == 1)
        #expect(try store.tile(tiles[3].0) != nil)
        try store.removeAll()
        #expect(store.count() == 0)
        #expect(store.metadata()["name"] == "Hai Phong test")
    }

    @Test(.interop) func usesWALAndSpecMetadata() throws {
        let store = try MBTilesStore(path: try Support.temporaryFile(), metadata: Support.metadata)
        let cli = try Support.run(["sqlite3", store.path, "PRAGMA journal_mode"])
        #expect(cli.output.trimmingCharacters(in: .whitespacesAndNewlines) == "wal")
        let rows = store.metadata()
        #expect(rows["name"] == "Hai Phong test")
        #expect(rows["format"] == "png")
        #expect(rows["bounds"] == "106.5234375,20.30341752,107.2265625,20.96143961")
        #expect(rows["center"] == "106.875,20.63,10")
        #expect(rows["minzoom"] == "10")
        #expect(rows["maxzoom"] == "10")
        #expect(rows["attribution"] == "Test data")
        #expect(rows["description"] == "Cairn cache test")
        #expect(rows["type"] == "baselayer")
        #expect(rows["generator"] == "CairnCacheTests")
    }

    @Test(.interop) func updatesMetadataInPlace() throws {
        let store = try MBTilesStore(path: try Support.temporaryFile(), metadata: Support.metadata)
        try store.updateMetadata(["attribution": "© OpenStreetMap", "extra": "1"])
        var changed = Support.metadata
        changed.maxZoom = 12
        try store.updateMetadata(changed)
        let rows = store.metadata()
        #expect(rows["maxzoom"] == "12")
        #expect(rows["attribution"] == "Test data")
        #expect(rows["extra"] == "1")
        let count = try Support.run(["sqlite3", store.path, "SELECT count(*) FROM metadata WHERE name = 'maxzoom'"])
        #expect(count.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    }

    @Test func reopeningKeepsTiles() throws {
        let path = try Support.temporaryFile()
        do {
            let store = try MBTilesStore(path: path, metadata: Support.metadata)
            try store.store(Support.fixtureTiles.map { ($0.0, $0.1, etag: "e") }, fingerprint: "v1")
        }
        let reopened = try MBTilesStore(path: path, metadata: Support.metadata)
        #expect(reopened.count() == 4)
        #expect(try reopened.tile(Support.fixtureTiles[2].0, matching: "v1")?.data == Support.fixtureTiles[2].1)
    }

    @Test(arguments: [
        TileCoordinate(z: 1, x: 2, y: 0), TileCoordinate(z: 1, x: 0, y: -1),
        TileCoordinate(z: -1, x: 0, y: 0), TileCoordinate(z: 31, x: 0, y: 0),
    ])
    func rejectsTilesOutsideTheGrid(tile: TileCoordinate) throws {
        let store = try MBTilesStore(path: try Support.temporaryFile(), metadata: Support.metadata)
        let error = try #require(throws: MBTilesError.self) { try store.store([(tile, [1], etag: "e")], fingerprint: "f") }
        #expect(error.code == .invalidTile)
        #expect(throws: MBTilesError.self) { try store.tile(tile) }
    }

    @Test func refusesAForeignMBTilesFile() throws {
        let path = try Support.temporaryFile()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try SQLiteConnection(path: path, flags: .readWriteCreate).execute(
            "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
        let error = try #require(throws: MBTilesError.self) { try MBTilesStore(path: path, metadata: Support.metadata) }
        #expect(error.code == .notACache)
    }

    @Test func refusesTheEarlierSingleTableLayout() throws {
        let path = try Support.temporaryFile()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try SQLiteConnection(path: path, flags: .readWriteCreate).execute("""
            CREATE TABLE cairn_tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB,
                etag TEXT, fingerprint TEXT, created_at INTEGER);
            CREATE VIEW tiles AS SELECT zoom_level, tile_column, tile_row, tile_data FROM cairn_tiles;
            """)
        let error = try #require(throws: MBTilesError.self) { try MBTilesStore(path: path, metadata: Support.metadata) }
        #expect(error.code == .notACache)
        #expect(error.message.contains("cairn_tiles"))
    }

    @Test func refusesAForeignMapImagesFile() throws {
        let path = try Support.temporaryFile()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try SQLiteConnection(path: path, flags: .readWriteCreate).execute("""
            CREATE TABLE map (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_id TEXT);
            CREATE TABLE images (tile_data BLOB, tile_id TEXT);
            """)
        let error = try #require(throws: MBTilesError.self) { try MBTilesStore(path: path, metadata: Support.metadata) }
        #expect(error.code == .notACache)
    }

    @Test(arguments: ["", "\"\"", "a\"b"])
    func rejectsETagsThatCannotNameAnImage(etag: String) throws {
        let store = try MBTilesStore(path: try Support.temporaryFile(), metadata: Support.metadata)
        let error = try #require(throws: MBTilesError.self) {
            try store.store([(TileCoordinate(z: 1, x: 0, y: 0), [1], etag: etag)], fingerprint: "f")
        }
        #expect(error.code == .invalidETag)
        #expect(store.count() == 0)
    }
}
