@testable import CairnConfiguration
import CairnCore
import Foundation
import Logging
import NIOPosix
import Testing
@testable import CairnEngine

/// The memory cache on its own: its byte bound, CLOCK eviction, stamps and concurrency.
struct MemoryTileCacheTests {
    static func file(_ name: String = "a") -> CacheFile {
        CacheFile(path: "/nonexistent/\(name).mbtiles", mapName: name, productName: "png", ioPool: NIOThreadPool(numberOfThreads: 1),
                  maintenancePool: NIOThreadPool(numberOfThreads: 1), logger: Logger(label: "test"))
    }

    static func key(_ x: Int, map: String = "a") -> MemoryTileCache.Key {
        MemoryTileCache.Key(map: map, grid: nil, product: .png(scale: 1), tile: TileCoordinate(z: 10, x: x, y: 1))
    }

    static func tile(bytes: Int, etag: String = "\"e\"") -> MemoryTile {
        MemoryTile(data: [UInt8](repeating: 7, count: bytes), etag: etag, maxAgeSeconds: 60)
    }

    @Test func staysWithinItsBytes() {
        let cache = MemoryTileCache(capacity: 4 << 20)
        let file = Self.file()
        for x in 0..<2_000 {
            cache.store(Self.tile(bytes: 10_000), at: Self.key(x), fingerprint: "f", file: file, stamp: cache.stamp(file))
            #expect(cache.usage.bytes <= 4 << 20)
        }
        // About capacity / (10,000 + overhead) tiles stay, the newest among them.
        #expect(cache.usage.tiles > 300 && cache.usage.tiles <= 420)
        #expect(cache.tile(Self.key(1_999), fingerprint: "f") != nil)
        #expect(cache.tile(Self.key(0), fingerprint: "f") == nil)
    }

    @Test func evictsTheTileNotReadSinceTheHandPassed() {
        // One shard of three tiles' room: A and B stored, A read, C stored → B goes, A stays.
        let cache = MemoryTileCache(capacity: 3 * (1_000 + 256), shards: 1)
        let file = Self.file()
        let stamp = cache.stamp(file)
        cache.store(Self.tile(bytes: 1_000), at: Self.key(1), fingerprint: "f", file: file, stamp: stamp)
        cache.store(Self.tile(bytes: 1_000), at: Self.key(2), fingerprint: "f", file: file, stamp: stamp)
        cache.store(Self.tile(bytes: 1_000), at: Self.key(3), fingerprint: "f", file: file, stamp: stamp)
        #expect(cache.tile(Self.key(1), fingerprint: "f") != nil)
        cache.store(Self.tile(bytes: 1_000), at: Self.key(4), fingerprint: "f", file: file, stamp: stamp)
        #expect(cache.tile(Self.key(2), fingerprint: "f") == nil)
        #expect(cache.tile(Self.key(1), fingerprint: "f") != nil)
        #expect(cache.tile(Self.key(3), fingerprint: "f") != nil)
        #expect(cache.tile(Self.key(4), fingerprint: "f") != nil)
    }

    @Test func anotherVersionMisses() {
        let cache = MemoryTileCache(capacity: 1 << 20)
        let file = Self.file()
        cache.store(Self.tile(bytes: 10), at: Self.key(1), fingerprint: "old", file: file, stamp: cache.stamp(file))
        #expect(cache.tile(Self.key(1), fingerprint: "new") == nil)
        #expect(cache.tile(Self.key(1), fingerprint: "old") != nil)
        // Another map, scale or grid is another tile.
        #expect(cache.tile(Self.key(1, map: "b"), fingerprint: "old") == nil)
        var other = Self.key(1)
        other.product = .png(scale: 2)
        #expect(cache.tile(other, fingerprint: "old") == nil)
        other = Self.key(1)
        other.grid = "VN2000HaiPhong"
        #expect(cache.tile(other, fingerprint: "old") == nil)
    }

    @Test func anExpiryOfTheFileDropsItsTilesAndRefusesReadsFromBefore() {
        let cache = MemoryTileCache(capacity: 1 << 20)
        let (file, other) = (Self.file("a"), Self.file("b"))
        cache.store(Self.tile(bytes: 10), at: Self.key(1), fingerprint: "f", file: file, stamp: cache.stamp(file))
        cache.store(Self.tile(bytes: 10), at: Self.key(1, map: "b"), fingerprint: "f", file: other, stamp: cache.stamp(other))
        let before = cache.stamp(file)
        file.beginExpiry()
        #expect(cache.tile(Self.key(1), fingerprint: "f") == nil)
        #expect(cache.tile(Self.key(1, map: "b"), fingerprint: "f") != nil)
        // Read before the expiry, stored after it: not kept.
        cache.store(Self.tile(bytes: 10), at: Self.key(2), fingerprint: "f", file: file, stamp: before)
        #expect(cache.tile(Self.key(2), fingerprint: "f") == nil)
        cache.store(Self.tile(bytes: 10), at: Self.key(2), fingerprint: "f", file: file, stamp: cache.stamp(file))
        #expect(cache.tile(Self.key(2), fingerprint: "f") != nil)
        // Removing marked tiles leaves the rest of the file's.
        cache.store(Self.tile(bytes: 10), at: Self.key(3), fingerprint: "f", file: file, stamp: cache.stamp(file))
        cache.remove(of: file) { $0.x == 2 }
        #expect(cache.tile(Self.key(2), fingerprint: "f") == nil)
        #expect(cache.tile(Self.key(3), fingerprint: "f") != nil)
    }

    @Test func removeAllForgetsEverythingAndWhatWasReadBefore() {
        let cache = MemoryTileCache(capacity: 1 << 20)
        let file = Self.file()
        let before = cache.stamp(file)
        cache.store(Self.tile(bytes: 10), at: Self.key(1), fingerprint: "f", file: file, stamp: before)
        cache.removeAll()
        #expect(cache.tile(Self.key(1), fingerprint: "f") == nil)
        cache.store(Self.tile(bytes: 10), at: Self.key(2), fingerprint: "f", file: file, stamp: before)
        #expect(cache.tile(Self.key(2), fingerprint: "f") == nil)
        #expect(cache.usage.tiles == 0)
    }

    @Test func zeroKeepsNothing() {
        let cache = MemoryTileCache(capacity: 0)
        let file = Self.file()
        cache.store(Self.tile(bytes: 10), at: Self.key(1), fingerprint: "f", file: file, stamp: cache.stamp(file))
        #expect(cache.tile(Self.key(1), fingerprint: "f") == nil)
        #expect(!cache.isEnabled)
    }

    @Test func manyThreadsAtOnceKeepTheBoundAndTheTiles() async {
        let cache = MemoryTileCache(capacity: 2 << 20)
        let file = Self.file()
        await withTaskGroup(of: Int.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var found = 0
                    for round in 0..<2_000 {
                        let x = (worker * 7_919 + round * 31) % 500
                        if let hit = cache.tile(Self.key(x), fingerprint: "f") {
                            // A tile is never another's.
                            if hit.tile.etag == "\"\(x)\"" { found += 1 } else { return -1 }
                        } else {
                            cache.store(Self.tile(bytes: 8_000, etag: "\"\(x)\""), at: Self.key(x), fingerprint: "f", file: file,
                                        stamp: cache.stamp(file))
                        }
                        if round % 500 == 0 { file.beginExpiry() }
                    }
                    return found
                }
            }
            for await found in group { #expect(found >= 0) }
        }
        #expect(cache.usage.bytes <= 2 << 20)
    }

    @Test func sizesReadAsBytes() {
        #expect(ConfigurationReader.byteSize("256MB") == 256 << 20)
        #expect(ConfigurationReader.byteSize("1.5 GiB") == 3 << 29)
        #expect(ConfigurationReader.byteSize("512k") == 512 << 10)
        #expect(ConfigurationReader.byteSize("0") == 0)
        #expect(ConfigurationReader.byteSize("lots") == nil)
        #expect(ConfigurationReader.byteSize("-1MB") == nil)
        #expect(ConfigurationReader.byteSize("5 parsecs") == nil)
    }
}

/// The memory cache inside the engine: every way a cached tile goes stale reaches it.
struct MemoryCacheInvalidationTests {
    static let tile = TileCoordinate(z: 13, x: 6523, y: 3610)
    static let elsewhere = TileCoordinate(z: 13, x: 6400, y: 3610)

    func engine(cache: String, memory: Int = 64 << 20, serveStale: Bool = false) -> TileEngine {
        var map = MapConfiguration(name: "mini", stylePath: TestPaths.miniStyle, metatileSize: 2)
        map.serveStale = serveStale
        var configuration = CairnConfiguration(cacheDirectory: cache, maps: [map])
        configuration.memoryCacheBytes = memory
        var logger = Logger(label: "cairn-test")
        logger.logLevel = .critical
        return TileEngine(configuration: configuration, logger: logger, renderThreads: 2)
    }

    /// The tile, as a client gets it; after a miss, once its metatile is stored and the tile kept in
    /// memory (a cold tile is answered before the rest of its metatile is drawn and stored).
    func get(_ engine: TileEngine, _ tile: TileCoordinate = tile) async throws -> TileResult {
        let result = try await engine.tile(map: "mini", tile, scale: 1, admission: .unlimited)
        if !result.cacheHit { #expect(await engine.untilBatchesStored()) }
        return result
    }

    /// The tile as the hot path sees it right after the engine served it. The hot path trusts a
    /// version for a second only, which a loaded machine can spend between two lines, so the
    /// engine is asked again until the check falls inside that second.
    func inMemoryAfterServing(_ engine: TileEngine, _ tile: TileCoordinate = tile) async throws -> MemoryTile? {
        var found: MemoryTile?
        _ = try await eventually {
            _ = try await get(engine, tile)
            found = engine.memoryTile(map: "mini", scale: 1, tile)
            return found != nil
        }
        return found
    }

    /// Polls (the file checks run at most once a second) until `condition` holds; false at the deadline.
    func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test func aTileReadOnceIsAnsweredFromMemory() async throws {
        let engine = self.engine(cache: TestPaths.temporaryFolder())
        #expect(engine.memoryTile(map: "mini", scale: 1, Self.tile) == nil)
        let made = try await get(engine)
        #expect(!made.cacheHit)
        let remembered = try #require(try await inMemoryAfterServing(engine))
        #expect(remembered.etag == made.etag)
        #expect(Array(remembered.body.readableBytesView) == made.data)
        #expect(remembered.cacheControl == "public, max-age=3600" || remembered.cacheControl.hasPrefix("public, max-age="))
        let again = try await get(engine)
        #expect(again.cacheHit && again.data == made.data && again.body != nil)
        // Not another scale, not a tile never asked for.
        #expect(engine.memoryTile(map: "mini", scale: 2, Self.tile) == nil)
        #expect(engine.memoryTile(map: "mini", scale: 1, Self.elsewhere) == nil)
        try await engine.shutdown()
    }

    @Test func zeroTurnsItOff() async throws {
        let engine = self.engine(cache: TestPaths.temporaryFolder(), memory: 0)
        _ = try await get(engine)
        #expect(try await get(engine).cacheHit)
        #expect(engine.memoryTile(map: "mini", scale: 1, Self.tile) == nil)
        #expect(engine.memoryCacheUsage.tiles == 0)
        try await engine.shutdown()
    }

    @Test func anExpiryDropsWhatItMarksAndNothingElse() async throws {
        let engine = self.engine(cache: TestPaths.temporaryFolder())
        _ = try await get(engine)
        _ = try await get(engine, Self.elsewhere)
        let result = try await engine.expire(map: "mini", ExpireRequest(zooms: 13...13, tiles: [Self.tile]))
        #expect(result.tiles >= 1)
        #expect(engine.memoryTile(map: "mini", scale: 1, Self.tile) == nil)
        // The marked tile is rendered again (not served from memory). An expiry forgets every tile of
        // the file held in memory (its epoch moves, so no read begun before it can be kept); the
        // others are read from the file again, as current.
        #expect(!(try await get(engine)).cacheHit)
        #expect(engine.memoryTile(map: "mini", scale: 1, Self.elsewhere) == nil)
        #expect(try await get(engine, Self.elsewhere).cacheHit)
        #expect(try await inMemoryAfterServing(engine, Self.elsewhere) != nil)
        try await engine.shutdown()
    }

    @Test func aServeStaleExpiryAnswersTheStaleTileFromTheFile() async throws {
        let engine = self.engine(cache: TestPaths.temporaryFolder(), serveStale: true)
        let first = try await get(engine)
        _ = try await engine.expire(map: "mini", ExpireRequest(zooms: 13...13, tiles: [Self.tile]))
        let stale = try await get(engine)
        #expect(stale.cacheHit && stale.etag == first.etag)
        // The refresh stores the tile again; once it is current in the file it is kept in memory again.
        #expect(try await eventually {
            _ = try await get(engine)
            return engine.memoryTile(map: "mini", scale: 1, Self.tile) != nil
        })
        try await engine.shutdown()
    }

    @Test func anExpiryByAnotherProcessReachesMemory() async throws {
        let cache = TestPaths.temporaryFolder()
        let server = self.engine(cache: cache)
        _ = try await get(server)
        #expect(try await get(server).cacheHit)
        // Another engine on the same files, as `cairn expire` in its own process.
        let other = self.engine(cache: cache)
        _ = try await other.expire(map: "mini", ExpireRequest(zooms: 13...13, tiles: [Self.tile]))
        try await other.shutdown()
        #expect(try await eventually { !(try await get(server)).cacheHit })
        try await server.shutdown()
    }

    @Test func aDeletedCacheFileReachesMemory() async throws {
        let cache = TestPaths.temporaryFolder()
        let engine = self.engine(cache: cache)
        _ = try await get(engine)
        #expect(try await get(engine).cacheHit)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: cache + "/mini.mbtiles" + suffix) }
        #expect(try await eventually { !(try await get(engine)).cacheHit })
        try await engine.shutdown()
    }

    @Test func aReloadForgetsEverything() async throws {
        let engine = self.engine(cache: TestPaths.temporaryFolder())
        _ = try await get(engine)
        #expect(engine.memoryCacheUsage.tiles > 0)
        await engine.reloadMaps()
        #expect(engine.memoryCacheUsage.tiles == 0)
        #expect(engine.memoryTile(map: "mini", scale: 1, Self.tile) == nil)
        try await engine.shutdown()
    }

    @Test func theHotPathTrustsAVersionOnlyBriefly() async throws {
        let engine = self.engine(cache: TestPaths.temporaryFolder())
        #expect(try await inMemoryAfterServing(engine) != nil)
        // Without a request through the engine (which checks the map's files), the hot path stops answering.
        #expect(try await eventually { engine.memoryTile(map: "mini", scale: 1, Self.tile) == nil })
        #expect(try await inMemoryAfterServing(engine) != nil)
        try await engine.shutdown()
    }
}
