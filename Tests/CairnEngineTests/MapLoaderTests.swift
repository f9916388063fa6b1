@testable import CairnConfiguration
import CairnCore
import Foundation
import Testing
@testable import CairnEngine

struct MapLoaderTests {
    @Test func loadsEveryLayerTheStyleUsesReprojected() throws {
        let map = try MapLoader.load(MapConfiguration(name: "mini", stylePath: TestPaths.miniStyle))
        #expect(map.layers.count == 2)
        #expect(map.title == "Mini Hải Phòng")
        #expect(map.attribution == "test data")
        // Data extent comes back in degrees, around the fixture's features.
        #expect(abs(map.geographicBounds.minX - 106.60) < 1e-6)
        #expect(abs(map.geographicBounds.maxY - 20.89) < 1e-6)
    }

    @Test func aMissingDataFileNamesTheFile() throws {
        let folder = try TestPaths.copyOfMiniFixture()
        try FileManager.default.removeItem(atPath: folder + "/places.geojson")
        #expect {
            try MapLoader.load(MapConfiguration(name: "mini", stylePath: folder + "/style.json"))
        } throws: { error in
            String(describing: error).contains("places.geojson")
        }
    }

    @Test func fingerprintFollowsTheFiles() throws {
        let folder = try TestPaths.copyOfMiniFixture()
        let configuration = MapConfiguration(name: "mini", stylePath: folder + "/style.json")
        let first = try MapLoader.load(configuration)
        #expect(try MapLoader.load(configuration).fingerprint == first.fingerprint)
        #expect(!first.filesChanged())
        let data = folder + "/places.geojson"
        var text = try String(contentsOfFile: data, encoding: .utf8)
        text = text.replacingOccurrences(of: "Đồ Sơn", with: "Đồ Sơn (mới)")
        try text.write(toFile: data, atomically: true, encoding: .utf8)
        #expect(first.filesChanged())
        #expect(try MapLoader.load(configuration).fingerprint != first.fingerprint)
    }

    @Test func styleZoomIsMapLibreZoom() {
        #expect(MapRenderer.styleZoom(z: 14, grid: .webMercator) == 13)
    }
}
