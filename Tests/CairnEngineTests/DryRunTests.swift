@testable import CairnConfiguration
import CairnCore
import Foundation
import Testing
@testable import CairnEngine

/// `cairn seed --dry-run` (the engine's `planSeed`) counts without creating or writing a cache file.
struct DryRunTests {
    @Test(arguments: [false, true])
    func planningCreatesNoCacheFile(retryFailed: Bool) async throws {
        let cache = TestPaths.temporaryFolder()
        let configuration = CairnConfiguration(cacheDirectory: cache, maps: [
            MapConfiguration(name: "mini", stylePath: TestPaths.miniStyle, metatileSize: 2),
        ])
        let engine = TileEngine(configuration: configuration, renderThreads: 1)
        let standalone = cache + "/elsewhere/standalone.mbtiles"
        let plan = try await engine.planSeed(map: "mini", SeedRequest(zooms: 10...12, retryFailed: retryFailed))
        let other = try await engine.planSeed(map: "mini", SeedRequest(zooms: 10...12, mbtilesPath: standalone, retryFailed: retryFailed))
        try await engine.shutdown()
        // Nothing failed in a cache that does not exist; without --retry-failed, the area's tiles.
        #expect(retryFailed ? plan.totalTiles == 0 : plan.totalTiles > 0)
        #expect(other.totalTiles == plan.totalTiles)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache).isEmpty, "the dry run wrote into the cache folder")
    }

    @Test func planningLeavesAnExistingCacheFileAlone() async throws {
        let cache = TestPaths.temporaryFolder()
        let configuration = CairnConfiguration(cacheDirectory: cache, maps: [
            MapConfiguration(name: "mini", stylePath: TestPaths.miniStyle, metatileSize: 2),
        ])
        let engine = TileEngine(configuration: configuration, renderThreads: 1)
        _ = try await engine.seed(map: "mini", SeedRequest(zooms: 10...10))
        try await engine.shutdown()
        let before = try Self.snapshot(cache)
        let again = TileEngine(configuration: configuration, renderThreads: 1)
        let plan = try await again.planSeed(map: "mini", SeedRequest(zooms: 10...12))
        try await again.shutdown()
        #expect(plan.totalTiles > 0)
        #expect(try Self.snapshot(cache) == before, "the dry run changed the cache folder")
    }

    /// Every file in `folder` with its size and modification time.
    static func snapshot(_ folder: String) throws -> [String: String] {
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/" + name)
            files[name] = "\(attributes[.size] ?? 0) \((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        }
        return files
    }
}
