import CairnCore
import CairnSQLite
import CairnZlib
import Foundation
import Testing
@testable import CairnCache

/// Checksums written with every image, read back with every tile; read-only opening; damaged
/// images dropped; a bounded write-ahead log.
struct MBTilesIntegrityTests {
    typealias Support = MBTilesTestSupport

    func seeded() throws -> (path: String, store: MBTilesStore) {
        let path = try Support.temporaryFile()
        let store = try MBTilesStore(path: path, metadata: Support.metadata)
        try store.store(Support.fixtureTiles.map { ($0.0, $0.1, etag: "etag-\($0.0.x)-\($0.0.y)") }, fingerprint: "v1")
        return (path, store)
    }

    @Test func everyImageCarriesItsCRC() throws {
        let (_, store) = try seeded()
        for (coordinate, data) in Support.fixtureTiles {
            let cached = try #require(try store.tile(coordinate, matching: "v1"))
            #expect(cached.checksum == Zlib.crc32(data))
            #expect(cached.problem(expecting: .png(side: 256)) == nil)
        }
    }

    @Test func anImageRewrittenBehindTheCacheFailsItsCheck() throws {
        let (path, store) = try seeded()
        let db = try SQLiteConnection(path: path, flags: .readWrite)
        try db.execute("UPDATE images SET tile_data = CAST('<html><body>not a tile</body></html>' AS BLOB)")
        let coordinate = Support.fixtureTiles[0].0
        let cached = try #require(try store.tile(coordinate, matching: "v1"))
        #expect(cached.problem(expecting: .png(side: 256))?.contains("CRC-32") == true)
        // Dropping it removes its address (and every other address using the image) and the image.
        #expect(try store.removeDamagedImage(etag: cached.etag) == 1)
        #expect(try store.tile(coordinate, matching: "v1") == nil)
        #expect(try Support.danglingRows(path) == (0, 0))
    }

    @Test func aFileWithoutTheChecksumColumnIsMigratedAndStillServes() throws {
        let (path, store) = try seeded()
        _ = store
        let db = try SQLiteConnection(path: path, flags: .readWrite)
        // What a file of an earlier build looks like: images without cairn_crc32.
        try db.execute("""
            CREATE TABLE images_old (tile_id TEXT PRIMARY KEY, tile_data BLOB NOT NULL) WITHOUT ROWID;
            INSERT INTO images_old SELECT tile_id, tile_data FROM images;
            DROP VIEW tiles; DROP TABLE images; ALTER TABLE images_old RENAME TO images;
            CREATE VIEW tiles AS SELECT map.zoom_level AS zoom_level, map.tile_column AS tile_column,
                map.tile_row AS tile_row, images.tile_data AS tile_data FROM map JOIN images ON images.tile_id = map.tile_id;
            """)
        let readOnly = try MBTilesStore(readingOnly: path, immutable: false)
        let old = try #require(try readOnly.tile(Support.fixtureTiles[0].0, matching: "v1"))
        #expect(old.checksum == nil)
        #expect(old.problem(expecting: .png(side: 256)) == nil)
        let reopened = try MBTilesStore(path: path, metadata: Support.metadata)
        let migrated = try #require(try reopened.tile(Support.fixtureTiles[0].0, matching: "v1"))
        #expect(migrated.checksum == nil && migrated.data == Support.fixtureTiles[0].1)
        try reopened.store([(Support.fixtureTiles[0].0, Support.fixtureTiles[1].1, etag: "new")], fingerprint: "v1")
        #expect(try reopened.tile(Support.fixtureTiles[0].0, matching: "v1")?.checksum == Zlib.crc32(Support.fixtureTiles[1].1))
    }

    @Test func aReadOnlyOpenServesAndNeverWrites() throws {
        let (path, store) = try seeded()
        store.checkpointAndTruncate()
        for immutable in [false, true] {
            let readOnly = try MBTilesStore(readingOnly: path, immutable: immutable)
            #expect(readOnly.isReadOnly)
            #expect(try readOnly.tile(Support.fixtureTiles[2].0, matching: "v1")?.data == Support.fixtureTiles[2].1)
            #expect(throws: MBTilesError.self) { try readOnly.store([(Support.fixtureTiles[0].0, [1], etag: "x")], fingerprint: "v1") }
        }
    }

    @Test func aFileThatIsNotACacheIsRefusedReadOnlyToo() throws {
        let path = try Support.temporaryFile()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(Support.fixtureTiles[0].1).write(to: URL(fileURLWithPath: path))
        #expect(throws: MBTilesError.self) { try MBTilesStore(readingOnly: path, immutable: true) }
        do {
            _ = try MBTilesStore(path: path, metadata: Support.metadata)
            Issue.record("a PNG opened as a cache")
        } catch let error as MBTilesError {
            #expect(error.isDamagedFile)  // SQLITE_NOTADB
        }
    }

    /// A reader holding an old snapshot keeps checkpoints from resetting the log, which then
    /// grows; once it lets go, the log is cut back to `walSizeLimit` instead of keeping its size.
    @Test func theWriteAheadLogStaysBounded() throws {
        let (path, store) = try seeded()
        let wal = path + "-wal"
        func walSize() -> Int { ((try? FileManager.default.attributesOfItem(atPath: wal))?[.size] as? Int) ?? 0 }
        // SQLite stores blobs as they are, so the content does not matter, only the size; every
        // tile has its own etag, so none is deduplicated.
        func batch(_ round: Int) -> [(TileCoordinate, [UInt8], etag: String)] {
            (0..<16).map { index in
                (TileCoordinate(z: 12, x: round % 4096, y: index), [UInt8](repeating: UInt8(truncatingIfNeeded: round), count: 16_384),
                 etag: "r\(round)-\(index)")
            }
        }
        let reader = try SQLiteConnection(path: path, flags: .readOnly)
        try reader.execute("BEGIN")
        let pin = try reader.prepare("SELECT count(*) FROM map")
        _ = try pin.step()  // the snapshot is now held
        for round in 0..<60 { try store.store(batch(round), fingerprint: "v1") }
        let grown = walSize()
        #expect(grown > MBTilesStore.walSizeLimit, "the pinned reader should have let the log grow (\(grown) bytes)")
        pin.reset()
        try reader.execute("COMMIT")
        var largest = 0
        for round in 60..<120 {
            try store.store(batch(round), fingerprint: "v1")
            if round >= 70 { largest = max(largest, walSize()) }
        }
        // One batch is ~270 KB; after the first checkpoint with the reader gone, never more than
        // the limit plus a checkpoint interval's worth of commits.
        let bound = MBTilesStore.walSizeLimit + MBTilesStore.walAutocheckpointPages * 4096 + 600_000
        #expect(largest <= bound, "WAL reached \(largest) bytes after the reader let go (bound \(bound), grown to \(grown) while pinned)")
        store.checkpointAndTruncate()
        #expect(walSize() == 0)
        print("WAL: \(grown) bytes while a reader pinned it, at most \(largest) bytes afterwards, 0 after the end-of-seed checkpoint")
    }
}
