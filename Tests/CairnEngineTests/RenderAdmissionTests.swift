@testable import CairnConfiguration
import CairnCore
import CairnSQLite
import Foundation
import Synchronization
import CairnTestSupport
import Testing
@testable import CairnEngine

/// Render admission is paid by the request that starts a render or encode, and only by it.
struct RenderAdmissionTests {
    static let tile = TileCoordinate(z: 13, x: 6523, y: 3610)

    struct Refused: Error {}

    final class Counter: Sendable {
        let value = Atomic<Int>(0)
        var admission: RenderAdmission { RenderAdmission { self.value.wrappingAdd(1, ordering: .relaxed) } }
        var count: Int { value.load(ordering: .relaxed) }
    }

    func engine(serveStale: Bool = false, cache: String = TestPaths.temporaryFolder(), memory: Int? = nil) -> TileEngine {
        var configuration = CairnConfiguration(cacheDirectory: cache, maps: [
            MapConfiguration(name: "mini", stylePath: TestPaths.miniStyle, metatileSize: 2, serveStale: serveStale),
        ])
        if let memory { configuration.memoryCacheBytes = memory }
        return TileEngine(configuration: configuration, renderThreads: 2)
    }

    @Test func onlyTheRequestStartingARenderPays() async throws {
        let engine = engine()
        let counter = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<10 { group.addTask { _ = try await engine.tile(map: "mini", Self.tile, scale: 1, admission: counter.admission) } }
            try await group.waitForAll()
        }
        #expect(counter.count == 1)
        #expect(await engine.untilBatchesStored())
        #expect(try await engine.tile(map: "mini", Self.tile, scale: 1, admission: counter.admission).cacheHit)
        #expect(counter.count == 1)
        try await engine.shutdown()
    }

    @Test func aRefusedAdmissionStartsNoRender() async throws {
        let engine = engine()
        await #expect(throws: Refused.self) {
            try await engine.tile(map: "mini", Self.tile, scale: 1, admission: RenderAdmission { throw Refused() })
        }
        await #expect(throws: Refused.self) {
            try await engine.vectorTile(map: "mini", Self.tile, admission: RenderAdmission { throw Refused() })
        }
        #expect(engine.renderCount == 0)
        #expect(engine.vectorEncodeCount == 0)
        try await engine.shutdown()
    }

    @Test func vectorTilesAreAdmittedAndCounted() async throws {
        let engine = engine()
        let counter = Counter()
        #expect(try await !engine.vectorTile(map: "mini", Self.tile, admission: counter.admission).cacheHit)
        #expect(try await engine.vectorTile(map: "mini", Self.tile, admission: counter.admission).cacheHit)
        #expect(counter.count == 1)
        #expect(engine.metrics.pbf.missCount == 1)
        #expect(engine.metrics.pbf.hitCount == 1)
        #expect(engine.metrics.pbf.renderCount == 1)
        #expect(engine.metrics.png.missCount == 0)
        try await engine.shutdown()
    }

    @Test func aServeStaleRefreshDoesNotSpendTheClientsBudget() async throws {
        let engine = engine(serveStale: true)
        _ = try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited)
        let renders = engine.renderCount
        _ = try await engine.expire(map: "mini", ExpireRequest(zooms: 13...13, tiles: [Self.tile], scales: [1]))
        // A client whose render budget is spent still gets the stale tile, and the refresh runs.
        let stale = try await engine.tile(map: "mini", Self.tile, scale: 1, admission: RenderAdmission { throw Refused() })
        #expect(stale.cacheHit)
        let refreshed = await Wait.until(timeout: .seconds(60), interval: .milliseconds(20)) { engine.renderCount > renders }
        #expect(refreshed)
        #expect(engine.metrics.staleRefreshesDroppedCount == 0)
        try await engine.shutdown()
    }

    @Test func aCacheReadErrorIsCountedAndTheTileRenderedInstead() async throws {
        let cache = TestPaths.temporaryFolder()
        // No memory cache: the tile must be read from the file to meet its broken table.
        let engine = engine(cache: cache, memory: 0)
        let first = try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited)
        #expect(await engine.untilBatchesStored())
        // Break the file under the engine: its reads now fail.
        let connection = try SQLiteConnection(path: cache + "/mini.mbtiles", flags: .readWrite, busyTimeoutMilliseconds: 5000)
        try connection.execute("ALTER TABLE images RENAME TO images_moved")
        let again = try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited)
        #expect(!again.cacheHit)
        #expect(again.data == first.data)
        #expect(engine.metrics.cacheReadErrorCount == 1)
        try await engine.shutdown()
    }
}
