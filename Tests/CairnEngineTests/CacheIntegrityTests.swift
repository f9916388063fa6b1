@testable import CairnConfiguration
import CairnCache
import CairnCore
import CairnSQLite
import CairnTestSupport
import Foundation
import Testing
@testable import CairnEngine

/// Issue 11, items 2 and 3, in process with real SQLite files: nothing that is not an intact tile
/// is ever served; a cache file that cannot be used puts only its own map into render-through
/// (visible in the statuses behind /health and the metrics, logged once) or read-only mode; a file
/// deleted or replaced under the engine is noticed and opened again.
struct CacheIntegrityTests {
    static let tile = TileCoordinate(z: 13, x: 6523, y: 3610)
    /// 36 tiles (9 metatiles of 2x2) around the fixture's data.
    static let area: [TileCoordinate] = (6520..<6526).flatMap { x in (3608..<3614).map { TileCoordinate(z: 13, x: x, y: $0) } }

    /// Two maps on one style, so one map's broken file can be shown not to touch the other.
    func engine(cache: String, log: CapturedLog = CapturedLog(), retry: Duration = .seconds(30)) -> TileEngine {
        let configuration = CairnConfiguration(cacheDirectory: cache, maps: [
            MapConfiguration(name: "mini", stylePath: TestPaths.miniStyle, metatileSize: 2),
            MapConfiguration(name: "other", stylePath: TestPaths.miniStyle, metatileSize: 2),
        ])
        return TileEngine(configuration: configuration, logger: log.logger(), renderThreads: 2, cacheRetryInterval: retry)
    }

    /// The tile passes the strictest check there is: PNG signature, IHDR of 256x256, every chunk's CRC.
    func expectIntactPNG(_ result: TileResult, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        let problem = CachedTile(data: result.data, etag: result.etag, fingerprint: "").problem(expecting: .png(side: 256))
        #expect(problem == nil, comment, sourceLocation: sourceLocation)
    }

    /// The other map still renders, caches and serves hits.
    func expectOtherMapUnaffected(_ engine: TileEngine, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        expectIntactPNG(try await engine.tile(map: "other", Self.tile, scale: 1, admission: .unlimited))
        #expect(await engine.untilBatchesStored(), sourceLocation: sourceLocation)
        #expect(try await engine.tile(map: "other", Self.tile, scale: 1, admission: .unlimited).cacheHit, sourceLocation: sourceLocation)
        #expect(engine.cacheStatuses.first { $0.map == "other" }?.state == .ok, sourceLocation: sourceLocation)
    }

    func status(_ engine: TileEngine, map: String = "mini") -> CacheFileStatus? {
        engine.cacheStatuses.first { $0.map == map }
    }

    /// Caches `tiles` of mini in `cache` and leaves everything in the main file (no WAL), as a
    /// finished `cairn seed` does.
    func seed(_ tiles: [TileCoordinate], in cache: String, map: String = "mini") async throws {
        let engine = self.engine(cache: cache)
        for tile in tiles { _ = try await engine.tile(map: map, tile, scale: 1, admission: .unlimited) }
        try await engine.shutdown()
        try SQLiteConnection(path: cache + "/\(map).mbtiles", flags: .readWrite, busyTimeoutMilliseconds: 5000)
            .execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    @Test func anHTMLBodyInImagesIsNeverServed() async throws {
        let cache = TestPaths.temporaryFolder()
        try await seed([Self.tile], in: cache)
        let db = try SQLiteConnection(path: cache + "/mini.mbtiles", flags: .readWrite)
        try db.execute("UPDATE images SET tile_data = CAST('<html><body>gotcha</body></html>' AS BLOB)")
        let log = CapturedLog()
        let engine = self.engine(cache: cache, log: log)
        let first = try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited)
        #expect(!first.cacheHit)
        expectIntactPNG(first)
        #expect(engine.metrics.damagedCachedTileCount == 1)
        let line = try #require(log.entries(containing: "damaged tile in the cache").first)
        #expect(line.metadata["file"]?.description == cache + "/mini.mbtiles")
        #expect(line.metadata["problem"]?.description.contains("CRC-32") == true)
        // Dropped and stored again: the next request is an intact hit.
        #expect(await engine.untilBatchesStored())
        let again = try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited)
        #expect(again.cacheHit)
        expectIntactPNG(again)
        #expect(status(engine)?.state == .ok)
        try await expectOtherMapUnaffected(engine)
        try await engine.shutdown()
    }

    @Test func randomBytesInTenPagesNeverServeABrokenTile() async throws {
        let cache = TestPaths.temporaryFolder()
        try await seed(Self.area, in: cache)
        let path = cache + "/mini.mbtiles"
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let pages = size / 4096
        #expect(pages > 12)
        // Ten pages past the header page, chosen and filled reproducibly.
        var generator = SplitMix64(seed: 11)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        var chosen: Set<Int> = []
        while chosen.count < 10 { chosen.insert(Int.random(in: 1..<pages, using: &generator)) }
        for page in chosen {
            try handle.seek(toOffset: UInt64(page * 4096))
            try handle.write(contentsOf: Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }))
        }
        try handle.close()
        let log = CapturedLog()
        let engine = self.engine(cache: cache, log: log)
        var served = 0
        for tile in Self.area {
            let result = try await engine.tile(map: "mini", tile, scale: 1, admission: .unlimited)
            expectIntactPNG(result, "tile \(tile) (hit: \(result.cacheHit))")
            served += 1
        }
        #expect(served == Self.area.count)
        // Either damaged images were caught one by one, or the file failed as a whole.
        let damaged = engine.metrics.damagedCachedTileCount
        let renderThrough = log.entries(containing: "cache file unusable")
        #expect(damaged > 0 || !renderThrough.isEmpty)
        #expect(renderThrough.count <= 1, "logged once: \(renderThrough)")
        print("10 damaged pages of \(pages): \(damaged) damaged tiles caught, \(renderThrough.count) render-through, \(engine.metrics.cacheReadErrorCount) read errors; \(served) intact tiles served")
        try await expectOtherMapUnaffected(engine)
        try await engine.shutdown()
    }

    /// Damage SQLite cannot see (it keeps no page checksums): bytes changed inside stored images.
    @Test func bytesChangedInsideStoredImagesAreCaughtByTheirChecksum() async throws {
        let cache = TestPaths.temporaryFolder()
        try await seed(Self.area, in: cache)
        let path = cache + "/mini.mbtiles"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let idat = Array("IDAT".utf8)
        var damagedImages = 0
        var index = 0
        while index + 12 < bytes.count {
            if bytes[index] == idat[0], Array(bytes[index..<(index + 4)]) == idat {
                bytes[index + 6] ^= 0x5A  // inside the compressed pixels
                damagedImages += 1
                index += 4
            } else {
                index += 1
            }
        }
        #expect(damagedImages > 0)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let log = CapturedLog()
        let engine = self.engine(cache: cache, log: log)
        for tile in Self.area { expectIntactPNG(try await engine.tile(map: "mini", tile, scale: 1, admission: .unlimited), "tile \(tile)") }
        #expect(engine.metrics.damagedCachedTileCount > 0)
        #expect(status(engine)?.state == .ok)
        let lines = log.entries(containing: "damaged tile in the cache")
        #expect(lines.count == 1, "logged once a minute, with the count: \(lines)")
        // Dropped and re-rendered: a second pass is all hits.
        for tile in Self.area { #expect(try await engine.tile(map: "mini", tile, scale: 1, admission: .unlimited).cacheHit) }
        print("\(damagedImages) images damaged in the file: \(engine.metrics.damagedCachedTileCount) tile reads caught, none served")
        try await expectOtherMapUnaffected(engine)
        try await engine.shutdown()
    }

    enum Breakage: String, CaseIterable, CustomTestStringConvertible {
        case truncatedToHalf, pngRenamedToMBTiles, mapTableDropped, mapTableCorrupted
        var testDescription: String { rawValue }
    }

    @Test(arguments: Breakage.allCases)
    func anUnusableFileRendersThroughOnlyItsMap(_ breakage: Breakage) async throws {
        let cache = TestPaths.temporaryFolder()
        try await seed(Self.area, in: cache)
        let path = cache + "/mini.mbtiles"
        switch breakage {
        case .truncatedToHalf:
            let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            #expect(truncate(path, off_t(size / 2)) == 0)
        case .pngRenamedToMBTiles:
            let renderer = engine(cache: TestPaths.temporaryFolder())
            let png = try await renderer.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited).data
            try await renderer.shutdown()
            try FileManager.default.removeItem(atPath: path)
            try Data(png).write(to: URL(fileURLWithPath: path))
        case .mapTableDropped:
            try SQLiteConnection(path: path, flags: .readWrite).execute("DROP TABLE map")
        case .mapTableCorrupted:
            // Overwrite the map table's root page (the b-tree every lookup starts from).
            let db = try SQLiteConnection(path: path, flags: .readOnly)
            let root = try db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'map'")
            #expect(try root.step())
            let page = Int(root.int64(0))
            root.reset()
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            try handle.seek(toOffset: UInt64((page - 1) * 4096))
            try handle.write(contentsOf: Data(repeating: 0xA5, count: 4096))
            try handle.close()
        }
        let log = CapturedLog()
        let engine = self.engine(cache: cache, log: log)
        for tile in Self.area.prefix(8) {
            let result = try await engine.tile(map: "mini", tile, scale: 1, admission: .unlimited)
            #expect(!result.cacheHit)
            expectIntactPNG(result)
        }
        let current = try #require(self.status(engine))
        #expect(current.state == .renderThrough)
        #expect(current.reason?.isEmpty == false)
        let lines = log.entries(containing: "cache file unusable")
        #expect(lines.count == 1, "logged once: \(lines)")
        #expect(lines.first?.metadata["file"]?.description == path)
        #expect(lines.first?.metadata["reason"]?.description == current.reason)
        // Render-through stores nothing: the broken file is left as the operator found it.
        try await expectOtherMapUnaffected(engine)
        try await engine.shutdown()
    }

    @Test func aZeroByteFileIsAnEmptyCache() async throws {
        let cache = TestPaths.temporaryFolder()
        #expect(FileManager.default.createFile(atPath: cache + "/mini.mbtiles", contents: Data()))
        let engine = self.engine(cache: cache)
        #expect(!(try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited).cacheHit))
        #expect(await engine.untilBatchesStored())
        #expect(try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited).cacheHit)
        #expect(status(engine)?.state == .ok)
        try await engine.shutdown()
    }

    @Test func aFixedFileIsUsedAgainAfterTheRetryInterval() async throws {
        let cache = TestPaths.temporaryFolder()
        let path = cache + "/mini.mbtiles"
        try Data("this is not a database, and it is long enough to say so".utf8).write(to: URL(fileURLWithPath: path))
        let log = CapturedLog()
        let engine = self.engine(cache: cache, log: log, retry: .milliseconds(200))
        _ = try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited)
        #expect(status(engine)?.state == .renderThrough)
        // The operator removes the bad file; no restart.
        try FileManager.default.removeItem(atPath: path)
        let recovered = try await Wait.until(timeout: .seconds(20), interval: .milliseconds(50)) {
            _ = try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited)
            return self.status(engine)?.state == .ok
        }
        #expect(recovered)
        // The last request may have been rendered before the file was usable (not stored): one more,
        // then its metatile is stored behind the answer.
        _ = try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited)
        #expect(await engine.untilBatchesStored())
        #expect(try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited).cacheHit)
        #expect(!log.entries(containing: "cache file usable again").isEmpty)
        try await engine.shutdown()
    }

    @Test func aFileDeletedWhileServingIsRecreatedAndWhatIsWrittenThereIsServed() async throws {
        let cache = TestPaths.temporaryFolder()
        let path = cache + "/mini.mbtiles"
        let log = CapturedLog()
        let engine = self.engine(cache: cache, log: log)
        _ = try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited)
        #expect(await engine.untilBatchesStored())
        #expect(try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited).cacheHit)
        let before = try #require(FileIdentity(path: path))
        try FileManager.default.removeItem(atPath: path)
        let noticed = try await Wait.until(timeout: .seconds(20), interval: .milliseconds(100)) {
            _ = try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited)
            return !log.entries(containing: "cache file changed under the server").isEmpty
        }
        #expect(noticed)
        #expect(log.entries(containing: "cache file changed under the server").first?.metadata["reason"]?.description == "the file was deleted")
        let recreated = try #require(FileIdentity(path: path))
        #expect(!recreated.isSameFile(as: before))
        // Another process (a `cairn seed`) writes the file now at the path; the engine serves it.
        let fresh = TileCoordinate(z: 13, x: 6520, y: 3608)
        try await seed([fresh], in: cache)
        #expect(try await engine.tile(map: "mini", fresh, scale: 1, admission: .unlimited).cacheHit)
        #expect(status(engine)?.state == .ok)
        try await expectOtherMapUnaffected(engine)
        try await engine.shutdown()
    }

    @Test func aFileReplacedWithMvIsServed() async throws {
        let cache = TestPaths.temporaryFolder()
        let path = cache + "/mini.mbtiles"
        let log = CapturedLog()
        let engine = self.engine(cache: cache, log: log)
        _ = try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited)
        // A cache built elsewhere, with a tile the running engine never rendered, moved over the file.
        let elsewhere = TestPaths.temporaryFolder()
        let fresh = TileCoordinate(z: 13, x: 6520, y: 3608)
        try await seed([fresh], in: elsewhere)
        #expect(rename(elsewhere + "/mini.mbtiles", path) == 0)
        // Requests for another tile (one asking for `fresh` would render it into the old file).
        let noticed = try await Wait.until(timeout: .seconds(20), interval: .milliseconds(100)) {
            _ = try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited)
            return !log.entries(containing: "cache file changed under the server").isEmpty
        }
        #expect(noticed)
        #expect(log.entries(containing: "cache file changed under the server").first?.metadata["reason"]?.description.contains("replaced") == true)
        #expect(try await engine.tile(map: "mini", fresh, scale: 1, admission: .unlimited).cacheHit)
        #expect(status(engine)?.state == .ok)
        try await expectOtherMapUnaffected(engine)
        try await engine.shutdown()
    }
}

