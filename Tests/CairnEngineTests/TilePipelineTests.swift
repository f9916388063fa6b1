@testable import CairnConfiguration
import CairnCore
import Foundation
import Testing
@testable import CairnEngine

/// PNG and vector tiles share one pipeline: the same cache file naming, budgets, queue cap and counters.
struct TilePipelineTests {
    static let tile = TileCoordinate(z: 13, x: 6523, y: 3610)

    func engine(cache: String = TestPaths.temporaryFolder(), maxFeatures: Int? = nil, maxQueuedRenders: Int? = nil) -> TileEngine {
        var configuration = CairnConfiguration(cacheDirectory: cache, maps: [
            MapConfiguration(name: "mini", stylePath: TestPaths.miniStyle, metatileSize: 2),
        ])
        if let maxFeatures { configuration.limits.renderMaxFeatures = maxFeatures }
        return TileEngine(configuration: configuration, renderThreads: 2, maxQueuedRenders: maxQueuedRenders)
    }

    @Test func eachProductKeepsItsCacheFileName() async throws {
        let cache = TestPaths.temporaryFolder()
        let engine = self.engine(cache: cache)
        _ = try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited)
        _ = try await engine.tile(map: "mini", Self.tile, scale: 2, admission: .unlimited)
        _ = try await engine.vectorTile(map: "mini", Self.tile, admission: .unlimited)
        try await engine.shutdown()
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".mbtiles") })
        #expect(files == ["mini.mbtiles", "mini@2x.mbtiles", "mini.pbf.mbtiles"])
        // A second engine answers all three from those files.
        let again = self.engine(cache: cache)
        #expect(try await again.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited).cacheHit)
        #expect(try await again.tile(map: "mini", Self.tile, scale: 2, admission: .unlimited).cacheHit)
        #expect(try await again.vectorTile(map: "mini", Self.tile, admission: .unlimited).cacheHit)
        #expect(again.metrics.png.hitCount == 2 && again.metrics.pbf.hitCount == 1)
        try await again.shutdown()
    }

    @Test func vectorTilesAreBudgeted() async throws {
        let engine = self.engine(maxFeatures: 1)
        do {
            _ = try await engine.vectorTile(map: "mini", Self.tile, admission: .unlimited)
            Issue.record("an encode over budget answered")
        } catch let error as EngineError {
            #expect(error.code == .overloaded)
            #expect(error.detail?.contains("features") == true)
        }
        #expect(engine.metrics.pbf.budgetExceededCount == 1)
        try await engine.shutdown()
    }

    @Test func vectorTilesShareTheRenderQueueCap() async throws {
        let engine = self.engine(maxQueuedRenders: 0)
        await #expect(throws: EngineError.self) { try await engine.vectorTile(map: "mini", Self.tile, admission: .unlimited) }
        await #expect(throws: EngineError.self) { try await engine.tile(map: "mini", Self.tile, scale: 1, admission: .unlimited) }
        #expect(engine.metrics.pbf.queueFullCount == 1)
        #expect(engine.metrics.png.queueFullCount == 1)
        try await engine.shutdown()
    }
}
