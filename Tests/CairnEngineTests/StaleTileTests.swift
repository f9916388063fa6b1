@testable import CairnConfiguration
import CairnCache
import CairnCore
import Foundation
import Testing
@testable import CairnEngine
import CairnTestSupport

struct StaleTileTests {
    static let tile = TileCoordinate(z: 13, x: 6523, y: 3610)

    func engine(serveStale: Bool, cache: String) -> TileEngine {
        TileEngine(configuration: CairnConfiguration(cacheDirectory: cache, maps: [
            MapConfiguration(name: "mini", stylePath: TestPaths.miniStyle, metatileSize: 2, serveStale: serveStale),
        ]), renderThreads: 2)
    }

    func expire(_ engine: TileEngine) async throws {
        let result = try await engine.expire(map: "mini", ExpireRequest(zooms: 13...13, tiles: [Self.tile], scales: [1]))
        #expect(result.tiles == 1)
    }

    @Test func anExpiredTileIsRenderedAgainOnRequest() async throws {
        let engine = engine(serveStale: false, cache: TestPaths.temporaryFolder())
        _ = try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited)
        #expect(await engine.untilBatchesStored())
        let renders = engine.renderCount
        try await expire(engine)
        let again = try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited)
        #expect(!again.cacheHit)
        #expect(engine.renderCount == renders + 1)
        #expect(await engine.untilBatchesStored())
        #expect(try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited).cacheHit)
        try await engine.shutdown()
    }

    @Test func serveStaleAnswersAtOnceAndRefreshesBehind() async throws {
        let engine = engine(serveStale: true, cache: TestPaths.temporaryFolder())
        let first = try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited)
        #expect(await engine.untilBatchesStored())
        try await expire(engine)
        let stale = try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited)
        #expect(stale.cacheHit)
        #expect(stale.data == first.data)
        // The background render refreshes the cache; the stale mark goes.
        let fresh = try await Wait.until(timeout: .seconds(30), interval: .milliseconds(20)) {
            let map = try await engine.map(named: "mini")
            let producer = TileProducer(png: map, scale: 1)
            let store = try await engine.cacheFiles.file(for: producer).store(for: producer)
            return (try store.tile(Self.tile, matching: producer.cacheFingerprint))?.isStale == false
        }
        #expect(fresh)
        try await engine.shutdown()
    }

    @Test func aWaiterThatGoesAwayDoesNotCancelTheRender() async throws {
        let engine = engine(serveStale: false, cache: TestPaths.temporaryFolder())
        let first = Task { try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited) }
        // Cancel the first waiter once its render has started.
        let started = await Wait.until(timeout: .seconds(120), interval: .milliseconds(1)) { engine.renderCount >= 1 }
        #expect(started)
        first.cancel()
        let others = try await withThrowingTaskGroup(of: TileResult.self) { group in
            for _ in 0..<20 { group.addTask { try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited) } }
            return try await group.reduce(into: [TileResult]()) { $0.append($1) }
        }
        #expect(engine.renderCount == 1)
        #expect(Set(others.map(\.etag)).count == 1)
        try await engine.shutdown()
    }

    /// A render that read its data before an expiry began (a database edit committed meanwhile)
    /// and stores after it: its tiles are stored stale, so the next request renders them again.
    @Test(arguments: [true, false])
    func tilesRenderedAcrossAnExpiryAreStoredStale(expiryDuringRender: Bool) async throws {
        let engine = engine(serveStale: false, cache: TestPaths.temporaryFolder())
        let map = try await engine.map(named: "mini")
        let producer = TileProducer(png: map, scale: 1)
        let file = engine.cacheFiles.file(for: producer)
        let store = try await file.store(for: producer)
        let epoch = file.expiryEpoch
        if expiryDuringRender {
            _ = try await engine.expire(map: "mini", ExpireRequest(zooms: 13...13, tiles: [Self.tile], scales: [1]))
        }
        let batch = producer.batch(containing: Self.tile)
        let made = try producer.make(batch, wanted: batch.tiles, budget: .unlimited)
        let rows = made.map { ($0.key, $0.value, etag: TileResult.etag(for: $0.value, fingerprint: producer.cacheFingerprint)) }
        try file.write(rows, fingerprint: producer.cacheFingerprint, to: store, of: producer, renderedAt: epoch)
        let stored = try #require(try store.tile(Self.tile, matching: producer.cacheFingerprint))
        #expect(stored.isStale == expiryDuringRender)
        let served = try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited)
        #expect(served.cacheHit == !expiryDuringRender)
        try await engine.shutdown()
    }
}
