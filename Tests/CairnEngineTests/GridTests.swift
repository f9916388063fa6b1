@testable import CairnConfiguration
import CairnCore
import CairnPNG
import CairnRender
import Foundation
import Testing
@testable import CairnEngine

/// Maps rendered directly in other grids: the layers are reprojected into the grid's CRS, so
/// nothing is resampled, and style zoom follows the map scale.
struct GridTests {
    static let demo = MapConfiguration(name: "hai-phong", stylePath: TestPaths.demoStyle)

    @Test func styleZoomMatchesTheMapScaleInEveryGrid() throws {
        let mercator = try MapLoader.load(Self.demo, grid: .webMercator)
        let vn2000 = try MapLoader.load(Self.demo, grid: .vn2000HaiPhong)
        let crs84 = try MapLoader.load(Self.demo, grid: .worldCRS84Quad)
        #expect(mercator.styleZoom(at: 14) == 13)
        // VN-2000 level 7 is 5 m per pixel on the ground; at 20.9° N a Web Mercator pixel of
        // zoom Z covers 156543 × cos(φ) / 2^Z m, so the equivalent style zoom is about 13.9.
        #expect(abs(vn2000.styleZoom(at: 7) - 13.87) < 0.05)
        // CRS84 level 12 is 0.703125 / 4096 degrees per pixel, about 19.1 m at the equator.
        #expect(abs(crs84.styleZoom(at: 12) - 12.0) < 0.01)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var grid: TileGrid
        var tile: TileCoordinate
        var testDescription: String { "\(grid.identifier) \(tile)" }
    }

    @Test(arguments: [
        Case(grid: .vn2000HaiPhong, tile: TileCoordinate(z: 7, x: 36, y: 25)),
        Case(grid: .vn2000HaiPhong, tile: TileCoordinate(z: 4, x: 4, y: 3)),
        Case(grid: .worldCRS84Quad, tile: TileCoordinate(z: 12, x: 6523, y: 1573)),
    ])
    func tileMatchesItsReference(_ testCase: Case) throws {
        let map = try MapLoader.load(Self.demo, grid: testCase.grid)
        let tiles = try MapRenderer.render(map, metatile: Metatile(containing: testCase.tile, size: 4, in: map.grid), scale: 1)
        let png = try #require(tiles[testCase.tile])
        let golden = TestPaths.fixtures.appendingPathComponent("golden/grids/\(testCase.grid.identifier)-\(testCase.tile.z)-\(testCase.tile.x)-\(testCase.tile.y).png")
        if ProcessInfo.processInfo.environment["CAIRN_RECORD"] != nil { try? FileManager.default.removeItem(at: golden) }
        let check = try ImageComparison.assertSimilar(png, golden: golden, channelThreshold: 8, maxFraction: 0.005)
        #expect(check.outcome != .failed, "\(check.message)")
    }

    @Test func eachGridHasItsOwnCacheFile() async throws {
        let cache = TestPaths.temporaryFolder()
        var map = MapConfiguration(name: "mini", stylePath: TestPaths.miniStyle, metatileSize: 2)
        map.grids = ["WebMercatorQuad", "VN2000HaiPhong", "WorldCRS84Quad"]
        let engine = TileEngine(configuration: CairnConfiguration(cacheDirectory: cache, maps: [map]), renderThreads: 2)
        #expect(try await engine.grids(for: "mini").map(\.identifier) == ["WebMercatorQuad", "VN2000HaiPhong", "WorldCRS84Quad"])
        _ = try await engine.tile(map: "mini", grid: "VN2000HaiPhong", TileCoordinate(z: 7, x: 36, y: 25), scale: 1, admission: .unlimited)
        _ = try await engine.tile(map: "mini", grid: "WorldCRS84Quad", TileCoordinate(z: 12, x: 6523, y: 1573), scale: 1, admission: .unlimited)
        #expect(FileManager.default.fileExists(atPath: cache + "/mini.VN2000HaiPhong.mbtiles"))
        #expect(FileManager.default.fileExists(atPath: cache + "/mini.WorldCRS84Quad.mbtiles"))
        #expect(await engine.untilBatchesStored())
        #expect(try await engine.tile(map: "mini", grid: "VN2000HaiPhong", TileCoordinate(z: 7, x: 36, y: 25), scale: 1, admission: .unlimited).cacheHit)
        await #expect(throws: EngineError.self) {
            try await engine.tile(map: "mini", grid: "NoSuchGrid", TileCoordinate(z: 1, x: 0, y: 0), scale: 1, admission: .unlimited)
        }
        await #expect(throws: EngineError.self) {
            try await engine.tile(map: "mini", grid: "VN2000HaiPhong", TileCoordinate(z: 14, x: 0, y: 0), scale: 1, admission: .unlimited)
        }
        try await engine.shutdown()
    }

    @Test func configurationNamesTheGrids() throws {
        let yaml = "maps:\n  - name: hp\n    style: \(TestPaths.miniStyle)\n    grids: [WebMercatorQuad, VN2000HaiPhong]\n"
        let configuration = try CairnConfiguration.parse(yaml: yaml, path: "c.yaml")
        #expect(configuration.maps[0].grids == ["WebMercatorQuad", "VN2000HaiPhong"])
        let error = try #require(throws: ConfigurationErrors.self) {
            try CairnConfiguration.parse(yaml: "maps:\n  - name: hp\n    style: \(TestPaths.miniStyle)\n    grids: [Mars]\n", path: "c.yaml")
        }
        #expect(error.description.contains("c.yaml:4: maps[0].grids: expected a list of tile grids"))
    }
}

struct ConfiguredGridTests {
    @Test func aTileMatrixSetFileDefinesAGridMapsCanUse() async throws {
        let folder = TestPaths.temporaryFolder()
        // VN-2000 / UTM zone 48N (EPSG:3405), the CRS of the city's monitoring stations.
        let utm = TileGrid(identifier: "HaiPhongUTM48", crs: .epsg(3405),
                           extent: BoundingBox(minX: 600_000, minY: 2_200_000, maxX: 731_072, maxY: 2_331_072),
                           origin: Point(600_000, 2_331_072), tileSize: 256, resolutions: (0...10).map { 512 / Double(1 << $0) })
        let gridFile = folder + "/utm48.json"
        try TileMatrixSetDocument.encodedData(utm).write(to: URL(fileURLWithPath: gridFile))
        let yaml = """
        cache: {directory: cache}
        grids:
          - file: utm48.json
        maps:
          - name: mini
            style: \(TestPaths.miniStyle)
            grids: [HaiPhongUTM48]
        """
        let configuration = try CairnConfiguration.parse(yaml: yaml, path: folder + "/cairn.yaml")
        let grid = try #require(configuration.grids["HaiPhongUTM48"])
        #expect(grid.crs == .epsg(3405))
        #expect(grid.resolutions.count == 11)
        let engine = TileEngine(configuration: configuration, renderThreads: 1)
        let tile = try await engine.tile(map: "mini", grid: "HaiPhongUTM48", TileCoordinate(z: 2, x: 0, y: 1), scale: 1, admission: .unlimited)
        #expect(tile.data.count > 100)
        try await engine.shutdown()

        let broken = folder + "/broken.json"
        try #"{"id": "X", "crs": "http://www.opengis.net/def/crs/EPSG/0/3405", "tileMatrices": [{"id": "0", "cellSize": -1}]}"#
            .write(toFile: broken, atomically: true, encoding: .utf8)
        let error = try #require(throws: ConfigurationErrors.self) {
            try CairnConfiguration.parse(yaml: "grids:\n  - file: broken.json\nmaps:\n  - name: m\n    style: \(TestPaths.miniStyle)\n", path: folder + "/c.yaml")
        }
        #expect(error.description.contains("c.yaml:2: grids[0].file: broken.json"), "\(error)")
    }
}
