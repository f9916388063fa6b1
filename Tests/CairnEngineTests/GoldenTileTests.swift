@testable import CairnConfiguration
import CairnCore
import CairnPNG
import CairnRender
import Foundation
import Testing
@testable import CairnEngine

/// Tiles of the Hải Phòng demo map compared with reviewed reference images.
/// `CAIRN_RECORD=1` re-records them (look at them before committing); with `CI` set a
/// missing reference fails instead of being written.
struct GoldenTileTests {
    static let demo: Result<LoadedMap, any Error> = Result {
        try MapLoader.load(MapConfiguration(name: "hai-phong", stylePath: TestPaths.demoStyle))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var tile: TileCoordinate
        var scale: Int
        var testDescription: String { "\(tile)" + (scale == 2 ? "@2x" : "") }
        var fileName: String { "\(tile.z)-\(tile.x)-\(tile.y)" + (scale == 2 ? "@2x" : "") + ".png" }
    }

    /// Central Hải Phòng (106.6826 E, 20.8561 N) from z10 to z16, Đồ Sơn, open sea, and @2x.
    static let cases: [Case] = [
        Case(tile: TileCoordinate(z: 10, x: 815, y: 451), scale: 1),
        Case(tile: TileCoordinate(z: 11, x: 1630, y: 902), scale: 1),
        Case(tile: TileCoordinate(z: 12, x: 3261, y: 1805), scale: 1),
        Case(tile: TileCoordinate(z: 13, x: 6523, y: 3610), scale: 1),
        Case(tile: TileCoordinate(z: 14, x: 13047, y: 7221), scale: 1),
        Case(tile: TileCoordinate(z: 15, x: 26094, y: 14442), scale: 1),
        Case(tile: TileCoordinate(z: 16, x: 52188, y: 28884), scale: 1),
        Case(tile: TileCoordinate(z: 12, x: 3268, y: 1810), scale: 1),
        Case(tile: TileCoordinate(z: 14, x: 13047, y: 7221), scale: 2),
        Case(tile: TileCoordinate(z: 12, x: 3261, y: 1805), scale: 2),
    ]

    @Test(arguments: cases)
    func demoTileMatchesItsReference(_ testCase: Case) throws {
        let map = try Self.demo.get()
        let metatile = Metatile(containing: testCase.tile, size: map.configuration.metatileSize, in: map.grid)
        let tiles = try MapRenderer.render(map, metatile: metatile, scale: testCase.scale)
        let png = try #require(tiles[testCase.tile])
        let image = try PNGDecoder.decode(png)
        #expect(image.width == 256 * testCase.scale && image.height == 256 * testCase.scale)

        let golden = TestPaths.fixtures.appendingPathComponent("golden/hai-phong/\(testCase.fileName)")
        if ProcessInfo.processInfo.environment["CAIRN_RECORD"] != nil {
            try? FileManager.default.removeItem(at: golden)
        }
        let check = try ImageComparison.assertSimilar(png, golden: golden, channelThreshold: 8, maxFraction: 0.005)
        #expect(check.outcome != .failed, "\(check.message)")
    }

    @Test func openSeaIsAOneColourTileAndTiny() throws {
        let map = try Self.demo.get()
        // The Gulf of Tonkin between Đồ Sơn and Bạch Long Vĩ: nothing but sea.
        let tile = TileCoordinate(z: 12, x: 3268, y: 1810)
        let tiles = try MapRenderer.render(map, metatile: Metatile(containing: tile, size: 1, in: map.grid), scale: 1)
        let png = try #require(tiles[tile])
        #expect(png.count < 200, "a one-colour tile took \(png.count) bytes")
    }

    @Test func nfdAndNfcLabelsRenderTheSame() throws {
        // The mini fixture's "Thủy Nguyên" is stored decomposed (NFD); a precomposed copy must match it.
        let folder = try TestPaths.copyOfMiniFixture()
        let places = folder + "/places.geojson"
        let decomposed = try String(contentsOfFile: places, encoding: .utf8)
        #expect(decomposed.unicodeScalars.contains("\u{0309}"))
        let tile = TileCoordinate(z: 13, x: 6522, y: 3610)
        func render() throws -> [UInt8] {
            let map = try MapLoader.load(MapConfiguration(name: "mini", stylePath: folder + "/style.json"))
            return try #require(try MapRenderer.render(map, metatile: Metatile(containing: tile, size: 2, in: map.grid), scale: 1)[tile])
        }
        let before = try render()
        try decomposed.precomposedStringWithCanonicalMapping.write(toFile: places, atomically: true, encoding: .utf8)
        let after = try render()
        #expect(before == after)
    }
}
