@testable import CairnConfiguration
import CairnCore
import CairnPNG
import CairnRender
import Foundation
import Testing
@testable import CairnEngine
import CairnTestSupport

/// The OpenMapTiles-schema styles over the MBTiles in `data/`, compared with reviewed reference
/// images (same conventions as `GoldenTileTests`: `CAIRN_RECORD=1` re-records, `CI` makes a missing
/// reference a failure), plus seam checks of over-zoomed tiles across source tile edges.
struct VectorTileGoldenTests {
    static let liechtenstein: Result<LoadedMap, any Error> = Result {
        try MapLoader.load(MapConfiguration(name: "liechtenstein-omt", stylePath: VectorTileMapTests.liechtensteinStyle))
    }
    static let haiPhong: Result<LoadedMap, any Error> = Result {
        try MapLoader.load(MapConfiguration(name: "hai-phong-omt", stylePath: VectorTileMapTests.haiPhongStyle))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var map: String
        var tile: TileCoordinate
        var scale: Int = 1
        var testDescription: String { "\(map) \(tile)" + (scale == 2 ? "@2x" : "") }
        var fileName: String { "\(map)/\(tile.z)-\(tile.x)-\(tile.y)" + (scale == 2 ? "@2x" : "") + ".png" }
    }

    /// Vaduz and central Hải Phòng from overview to z16 (over-zoomed from z14 data), and @2x.
    static let cases: [Case] = [
        Case(map: "liechtenstein-omt", tile: TileCoordinate(z: 10, x: 539, y: 359)),
        Case(map: "liechtenstein-omt", tile: TileCoordinate(z: 12, x: 2156, y: 1438)),
        Case(map: "liechtenstein-omt", tile: TileCoordinate(z: 14, x: 8625, y: 5753)),
        Case(map: "liechtenstein-omt", tile: TileCoordinate(z: 15, x: 17250, y: 11506)),
        Case(map: "liechtenstein-omt", tile: TileCoordinate(z: 16, x: 34501, y: 23013)),
        Case(map: "liechtenstein-omt", tile: TileCoordinate(z: 14, x: 8625, y: 5753), scale: 2),
        Case(map: "hai-phong-omt", tile: TileCoordinate(z: 10, x: 815, y: 451)),
        Case(map: "hai-phong-omt", tile: TileCoordinate(z: 12, x: 3261, y: 1805)),
        Case(map: "hai-phong-omt", tile: TileCoordinate(z: 14, x: 13047, y: 7221)),
        Case(map: "hai-phong-omt", tile: TileCoordinate(z: 16, x: 52188, y: 28884)),
    ]

    static func map(_ name: String) throws -> LoadedMap {
        try (name == "hai-phong-omt" ? haiPhong : liechtenstein).get()
    }

    @Test(arguments: cases)
    func tileMatchesItsReference(_ testCase: Case) throws {
        let map = try Self.map(testCase.map)
        // 4x4 metatiles keep the debug-build test time reasonable; labels are placed per metatile.
        let metatile = Metatile(containing: testCase.tile, size: 4, in: map.grid)
        let tiles = try MapRenderer.render(map, metatile: metatile, scale: testCase.scale)
        let png = try #require(tiles[testCase.tile])
        let image = try PNGDecoder.decode(png)
        #expect(image.width == 256 * testCase.scale && image.height == 256 * testCase.scale)
        let golden = TestPaths.fixtures.appendingPathComponent("golden/\(testCase.fileName)")
        if ProcessInfo.processInfo.environment["CAIRN_RECORD"] != nil {
            try? FileManager.default.removeItem(at: golden)
        }
        let check = try ImageComparison.assertSimilar(png, golden: golden, channelThreshold: 8, maxFraction: 0.005)
        #expect(check.outcome != .failed, "\(check.message)")
    }

    /// The style without its symbol layers: labels legitimately differ between metatile sizes
    /// (a label crossing a metatile edge is dropped), fills and lines must not.
    static func unlabelledMap(_ stylePath: String, tiles: String) throws -> LoadedMap {
        let data = try Data(contentsOf: URL(fileURLWithPath: stylePath))
        var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let layers = try #require(json["layers"] as? [[String: Any]])
        json["layers"] = layers.filter { $0["type"] as? String != "symbol" }
        json["sources"] = ["omt": ["type": "vector", "url": "mbtiles://" + tiles]]
        let folder = TestPaths.temporaryFolder()
        let path = folder + "/unlabelled.json"
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        return try MapLoader.load(MapConfiguration(name: "unlabelled", stylePath: path))
    }

    /// Fraction of pixels in columns (or rows) `range` of two images that differ by more than 8 in a channel.
    static func differingFraction(_ a: PNGDecoder.Image, _ aOffset: (x: Int, y: Int), _ b: PNGDecoder.Image,
                                  _ bOffset: (x: Int, y: Int), width: Int, height: Int) -> Double {
        var differing = 0
        for y in 0..<height {
            for x in 0..<width {
                let i = ((y + aOffset.y) * a.width + x + aOffset.x) * 4
                let j = ((y + bOffset.y) * b.width + x + bOffset.x) * 4
                if (0..<4).contains(where: { abs(Int(a.rgba[i + $0]) - Int(b.rgba[j + $0])) > 8 }) { differing += 1 }
            }
        }
        return Double(differing) / Double(width * height)
    }

    /// Two z16 tiles on either side of a z14 source tile edge, rendered alone and as one 2x2 metatile:
    /// the pixels along the shared edge must agree (nothing drawn twice, nothing missing).
    @Test(arguments: [
        ("liechtenstein", TileCoordinate(z: 16, x: 34499, y: 23012)),
        ("hai-phong", TileCoordinate(z: 16, x: 52187, y: 28884)),
    ])
    func overzoomedTilesMeetWithoutASeam(_ name: String, _ west: TileCoordinate) throws {
        #expect((west.x + 1) % 4 == 0, "the shared edge is a z14 tile edge")
        let map = name == "hai-phong"
            ? try Self.unlabelledMap(VectorTileMapTests.haiPhongStyle, tiles: VectorTileMapTests.haiPhongTiles)
            : try Self.unlabelledMap(VectorTileMapTests.liechtensteinStyle, tiles: VectorTileMapTests.liechtensteinTiles)
        let east = TileCoordinate(z: west.z, x: west.x + 1, y: west.y)
        func alone(_ tile: TileCoordinate) throws -> PNGDecoder.Image {
            try PNGDecoder.decode(try #require(try MapRenderer.render(map, metatile: Metatile(containing: tile, size: 1, in: map.grid), scale: 1)[tile]))
        }
        var block = Metatile(containing: west, size: 2, in: map.grid)
        block.origin = west
        block.columns = 2
        block.rows = 2
        let together = try MapRenderer.render(map, metatile: block, scale: 1)
        let westInBlock = try PNGDecoder.decode(try #require(together[west]))
        let eastInBlock = try PNGDecoder.decode(try #require(together[east]))
        let westAlone = try alone(west), eastAlone = try alone(east)
        // 8 px strips on each side of the edge.
        let westStrip = Self.differingFraction(westAlone, (248, 0), westInBlock, (248, 0), width: 8, height: 256)
        let eastStrip = Self.differingFraction(eastAlone, (0, 0), eastInBlock, (0, 0), width: 8, height: 256)
        #expect(westStrip < 0.01, "west strip differs in \(westStrip * 100)% of pixels")
        #expect(eastStrip < 0.01, "east strip differs in \(eastStrip * 100)% of pixels")
        // And the edge itself is not a line of its own: the last west column and first east column
        // of the metatile render differ no more than columns 4 px apart inside one tile do.
        let across = Self.differingFraction(westInBlock, (255, 0), eastInBlock, (0, 0), width: 1, height: 256)
        let inside = Self.differingFraction(westInBlock, (250, 0), westInBlock, (251, 0), width: 1, height: 256)
        #expect(across <= inside + 0.1, "edge columns differ in \(across * 100)%, neighbouring columns inside a tile in \(inside * 100)%")
    }

    /// Half-transparent black water over white: every water pixel is drawn exactly once, so none is
    /// darker than one 50 % layer, including the strips where z14 source tiles overlap (their buffers).
    @Test func overlappingSourceTileBuffersAreNotDrawnTwice() throws {
        let folder = TestPaths.temporaryFolder()
        let style = """
        {"version": 8, "sources": {"omt": {"type": "vector", "url": "mbtiles://\(VectorTileMapTests.haiPhongTiles)"}},
         "layers": [
           {"id": "bg", "type": "background", "paint": {"background-color": "#ffffff"}},
           {"id": "water", "type": "fill", "source": "omt", "source-layer": "water",
            "paint": {"fill-color": "#000000", "fill-opacity": 0.5, "fill-antialias": false}}]}
        """
        try style.write(toFile: folder + "/water.json", atomically: true, encoding: .utf8)
        let map = try MapLoader.load(MapConfiguration(name: "water", stylePath: folder + "/water.json"))
        // z16 tiles around the corner of four z14 tiles (x and y boundaries at 52188 and 28884).
        var block = Metatile(containing: TileCoordinate(z: 16, x: 52186, y: 28882), size: 1, in: map.grid)
        block.columns = 4
        block.rows = 4
        var once = 0, twice = 0
        for png in try MapRenderer.render(map, metatile: block, scale: 1).values {
            let image = try PNGDecoder.decode(png)
            for i in stride(from: 0, to: image.rgba.count, by: 4) {
                switch image.rgba[i] {
                case 120...135: once += 1
                case 0..<120: twice += 1
                default: break
                }
            }
        }
        #expect(once > 100_000, "the area should hold plenty of water, found \(once) pixels")
        #expect(twice == 0, "\(twice) pixels were drawn more than once")
    }

    /// A timing check (performance belongs in scripts/bench): interop tier, run alone, generous bound.
    @Test(.interop) func rendersAZ14MetatileQuicklyEnough() throws {
        let map = try Self.map("liechtenstein-omt")
        let metatile = Metatile(containing: TileCoordinate(z: 14, x: 8625, y: 5753), size: 8, in: map.grid)
        _ = try MapRenderer.render(map, metatile: metatile, scale: 1)   // warm the tile cache and fonts
        let clock = ContinuousClock()
        let elapsed = try clock.measure { _ = try MapRenderer.render(map, metatile: metatile, scale: 1) }
        // Generous for debug builds on a shared machine; the figure is in the test log.
        #expect(elapsed < .seconds(20), "z14 8x8 metatile took \(elapsed)")
    }
}
