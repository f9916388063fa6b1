@testable import CairnConfiguration
import CairnCache
import CairnCore
import CairnTestSupport
import Foundation
import NIOPosix
import Testing
@testable import CairnEngine

/// Seeds plan by counting, stream their metatiles (also from the stale/failed lists, a page at
/// a time), and share the work with concurrent seeds of the same file.
struct SeedStreamingTests {
    static func engine(cache: String, maxZoom: Int = 20, metatileSize: Int = 2) -> TileEngine {
        TileEngine(configuration: CairnConfiguration(cacheDirectory: cache, maps: [
            MapConfiguration(name: "mini", stylePath: TestPaths.miniStyle, metatileSize: metatileSize, maxZoom: maxZoom),
        ]), renderThreads: 2)
    }

    /// `cairn seed --dry-run` over the world at z0–22 goes through this: counted, not listed.
    @Test func worldPlanAtZoom0To22IsCountedNotListed() async throws {
        let engine = Self.engine(cache: TestPaths.temporaryFolder(), maxZoom: 22, metatileSize: 8)
        _ = try await engine.map(named: "mini")
        ProcessMemory.resetPeak()
        let before = ProcessMemory.peakResidentBytes
        let start = ContinuousClock.now
        let world = SeedRequest(zooms: 0...22, area: .box(TileGrid.webMercator.extent, crs: .webMercator))
        let plan = try await engine.planSeed(map: "mini", world)
        let elapsed = ContinuousClock.now - start
        #expect(plan.totalTiles == ((1 << 46) - 1) / 3)
        #expect(plan.levels.map(\.zoom) == Array(0...22))
        #expect(plan.levels.last?.tiles == 1 << 44)
        #expect(plan.levels.last?.metatiles == 1 << 38)
        #expect(elapsed < .seconds(10), "generous: it takes milliseconds")
        if let before, let after = ProcessMemory.peakResidentBytes {
            print("planSeed world z0-22: \(plan.totalTiles) tiles in \(elapsed); peak RSS grew \((after - before) / 1024) KiB")
            #expect(after - before < 512 << 20, "listing them would take terabytes; other tests share the process")
        }
        try await engine.shutdown()
    }

    /// Zooms beyond the map's are dropped, not a crash.
    @Test func zoomsOutsideTheMapPlanNothing() async throws {
        let engine = Self.engine(cache: TestPaths.temporaryFolder(), maxZoom: 14)
        let plan = try await engine.planSeed(map: "mini", SeedRequest(zooms: 16...18))
        #expect(plan.levels.isEmpty)
        let result = try await engine.seed(map: "mini", SeedRequest(zooms: 16...18))
        #expect(result.totalTiles == 0 && result.doneTiles == 0)
        try await engine.shutdown()
    }

    /// Failed tiles read back a page at a time in metatile bands: each metatile once, whole.
    @Test func listedTilesArePagedByWholeMetatiles() async throws {
        let path = TestPaths.temporaryFolder() + "/listed.mbtiles"
        let store = try MBTilesStore(path: path, metadata: MBTilesMetadata(
            name: "listed", bounds: BoundingBox(minX: -180, minY: -85, maxX: 180, maxY: 85),
            center: .init(longitude: 0, latitude: 0, zoom: 0), minZoom: 0, maxZoom: 14, attribution: ""))
        var generator = SplitMix64(seed: 11)
        var recorded: Set<TileCoordinate> = []
        for z in [11, 12] {
            while recorded.filter({ $0.z == z }).count < 400 {
                recorded.insert(TileCoordinate(z: z, x: 100 + Int(generator.next() % 37), y: 200 + Int(generator.next() % 41)))
            }
        }
        try store.recordFailures(recorded.map { ($0, "test") })
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let tiling = AreaTiling(area: AreaOfInterest(box: TileGrid.webMercator.extent), grid: .webMercator, metatileSize: 4)
        // 17 tiles a page: one more than a metatile holds, so pages end mid-band all the time.
        var listed = ListedTiles(store: store, listing: .failed, tiling: tiling, zooms: 10...13, pool: pool, pageSize: 17)
        var seen: Set<TileCoordinate> = []
        var metatiles: Set<Metatile> = []
        while let (metatile, tiles) = try await listed.next() {
            #expect(!metatiles.contains(metatile), "\(metatile) came twice")
            metatiles.insert(metatile)
            for tile in tiles {
                #expect(metatile.contains(tile))
                #expect(!seen.contains(tile))
                seen.insert(tile)
            }
        }
        #expect(seen == recorded)
        #expect(metatiles.count == Set(recorded.map { Metatile(containing: $0, size: 4, in: .webMercator) }).count)
        // Stale and failed together list each tile once.
        var both = ListedTiles(store: store, listing: [.stale, .failed], tiling: tiling, zooms: 10...13, pool: pool, pageSize: 17)
        var count = 0
        while let (_, tiles) = try await both.next() { count += tiles.count }
        #expect(count == recorded.count)
        try await pool.shutdownGracefully()
    }

    /// `--stale-only` plans and renders exactly the stale tiles, read from the file.
    @Test func staleOnlySeedRendersTheStaleTiles() async throws {
        let engine = Self.engine(cache: TestPaths.temporaryFolder())
        let first = try await engine.seed(map: "mini", SeedRequest(zooms: 11...13, workers: 2))
        #expect(first.failedTiles == 0 && first.doneTiles == first.totalTiles)
        let everywhere = AreaSpecification.box(BoundingBox(minX: -180, minY: -85, maxX: 180, maxY: 85), crs: .wgs84)
        let expired = try await engine.expire(map: "mini", ExpireRequest(zooms: 12...13, area: everywhere, scales: [1]))
        #expect(expired.tiles > 0)
        var request = SeedRequest(zooms: 11...13, workers: 2)
        request.staleOnly = true
        let plan = try await engine.planSeed(map: "mini", request)
        #expect(plan.totalTiles == expired.tiles)
        #expect(plan.levels.map(\.zoom) == [12, 13])
        let again = try await engine.seed(map: "mini", request)
        #expect(again.totalTiles == expired.tiles)
        #expect(again.renderedTiles == expired.tiles)
        #expect(try await engine.planSeed(map: "mini", request).totalTiles == 0)
        try await engine.shutdown()
    }

    /// Expiry by polygon walks the area in chunks instead of listing it, and marks exactly the
    /// cached tiles the polygon touches (as the old enumeration lists them).
    @Test func polygonExpiryMarksTheTilesThePolygonTouches() async throws {
        let engine = Self.engine(cache: TestPaths.temporaryFolder())
        let seed = try await engine.seed(map: "mini", SeedRequest(zooms: 11...13, workers: 2))
        #expect(seed.failedTiles == 0)
        let map = try await engine.map(named: "mini")
        var seeded: Set<TileCoordinate> = []
        var walk = AreaTiling(area: try engine.resolveArea(nil, for: map), grid: map.grid, metatileSize: 2).walk(11...13)
        while let (_, tiles) = walk.next() { seeded.formUnion(tiles) }
        #expect(seeded.count == seed.totalTiles)
        let b = map.geographicBounds
        func at(_ fx: Double, _ fy: Double) -> String { "[\(b.minX + (b.maxX - b.minX) * fx), \(b.minY + (b.maxY - b.minY) * fy)]" }
        let file = TestPaths.temporaryFolder() + "/triangle.geojson"
        try """
            {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon",
             "coordinates": [[\(at(0.11, 0.13)), \(at(0.83, 0.29)), \(at(0.37, 0.91)), \(at(0.11, 0.13))]]}}]}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let polygon = try engine.resolveArea(.polygons(path: file, layer: nil), for: map)
        let expected = polygon.tiles(in: map.grid, zooms: 11...13).values.flatMap { $0 }.filter(seeded.contains).count
        let result = try await engine.expire(map: "mini", ExpireRequest(zooms: 11...13, area: .polygons(path: file, layer: nil), scales: [1]))
        #expect(expected > 0 && expected < seeded.count)
        #expect(result.tiles == expected)
        try await engine.shutdown()
    }

    /// Counting a polygon's tiles at z22 follows millions of boundary tiles; cancelling the
    /// task stops the count on its thread at once.
    @Test func cancellingAPolygonCountStopsIt() async throws {
        let engine = Self.engine(cache: TestPaths.temporaryFolder(), maxZoom: 22, metatileSize: 8)
        _ = try await engine.map(named: "mini")
        let file = TestPaths.temporaryFolder() + "/world-triangle.geojson"
        try #"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[-160.3, -70.1], [170.2, -60.7], [10.4, 80.3], [-160.3, -70.1]]]}}]}"#
            .write(toFile: file, atomically: true, encoding: .utf8)
        let start = ContinuousClock.now
        let task = Task { try await engine.planSeed(map: "mini", SeedRequest(zooms: 0...22, area: .polygons(path: file, layer: nil))) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        let elapsed = ContinuousClock.now - start
        print("a z0-22 polygon count cancelled after \(elapsed)")
        #expect(elapsed < .seconds(30), "generous: uncancelled, the count takes many minutes")
        try await engine.shutdown()
    }

    /// Two seeders of one cache file (two engines: two connections, as two processes have) over
    /// the same area render each metatile once between them, and both end with all of it cached.
    @Test func concurrentSeedsOfOneFileShareTheWork() async throws {
        let cache = TestPaths.temporaryFolder()
        let engines = [Self.engine(cache: cache), Self.engine(cache: cache)]
        let request = SeedRequest(zooms: 10...15, workers: 2)
        let results = try await withThrowingTaskGroup(of: SeedProgress.self) { group in
            for engine in engines { group.addTask { try await engine.seed(map: "mini", request) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let total = results[0].totalTiles
        #expect(total > 100)
        for result in results {
            #expect(result.totalTiles == total)
            #expect(result.doneTiles == total)
            #expect(result.failedTiles == 0)
            #expect(result.renderedTiles + result.cachedTiles == total)
        }
        print("two concurrent seeds of \(total) tiles rendered \(results.map(\.renderedTiles)) (sum \(results.reduce(0) { $0 + $1.renderedTiles }))")
        #expect(results.reduce(0) { $0 + $1.renderedTiles } == total, "each tile rendered once between the two")
        for engine in engines { try await engine.shutdown() }
    }

    /// A cancelled seed stops while planning or walking, promptly, whatever its size.
    @Test func cancellingAWorldSeedStopsPromptly() async throws {
        let engine = Self.engine(cache: TestPaths.temporaryFolder(), maxZoom: 20, metatileSize: 8)
        let task = Task { try await engine.seed(map: "mini", SeedRequest(zooms: 0...20, area: .box(BoundingBox(minX: -180, minY: -85, maxX: 180, maxY: 85), crs: .wgs84), workers: 2)) }
        let started = await Wait.until(timeout: .seconds(60), interval: .milliseconds(5)) { engine.renderCount >= 2 }
        #expect(started)
        task.cancel()
        let result = try await task.value
        #expect(result.stoppedEarly)
        #expect(result.totalTiles > 1_000_000_000_000)
        #expect(result.doneTiles < 10_000)
        try await engine.shutdown()
    }
}

