@testable import CairnConfiguration
import CairnCore
import Foundation
import Testing
@testable import CairnEngine

/// A cold tile drawn alone (its metatile's features that reach it, on a canvas of the metatile's size)
/// is byte for byte the metatile's tile at low zooms too, where long district boundaries cross many
/// tiles: found by `PMTilesExportTests` comparing exported tiles with served ones.
struct FirstTileLowZoomTests {
    @Test(arguments: ["8/203/112", "11/1631/903", "9/406/225", "12/3261/1805"])
    func firstTileEqualsTheMetatilesTile(spec: String) throws {
        let style = TestPaths.repositoryRoot.appendingPathComponent("Tests/CairnCLITests/Fixtures/interop/district-fills.json").path
        let map = try MapLoader.load(MapConfiguration(name: "hp", stylePath: style, metatileSize: 8))
        let p = spec.split(separator: "/").map { Int($0)! }
        let tile = TileCoordinate(z: p[0], x: p[1], y: p[2])
        let metatile = Metatile(containing: tile, size: 8, in: map.grid)
        let whole = try MapRenderer.render(map, metatile: metatile, scale: 1)
        var early: [UInt8] = []
        let progressive = try MapRenderer.render(map, metatile: metatile, scale: 1, first: tile) { early = $0 }
        #expect(early == whole[tile], "early tile differs")
        #expect(progressive[tile] == whole[tile])
    }
}
