@testable import CairnConfiguration
import CairnCore
import CairnRender
import CairnSources
import Foundation
import Testing
@testable import CairnEngine

/// `"format": "ogr"` reads a GeoJSON, GeoPackage or Shapefile through GDAL instead of Cairn's native
/// reader, and the map comes out the same.
struct OGRForcedFormatTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var sourceLayer: String?
        var testDescription: String { file }
    }

    static let cases = [
        Case(file: "hp_districts.geojson"),
        Case(file: "hai_phong_demo.gpkg", sourceLayer: "hp_districts"),
        Case(file: "syn_land_use_vn2000_tm3.shp"),
    ]

    @Test(arguments: cases)
    func formatOGRReadsThroughGDALAndRendersTheSame(_ testCase: Case) throws {
        let data = TestPaths.repositoryRoot.appendingPathComponent("data/" + testCase.file).path
        let folder = TestPaths.temporaryFolder()
        let drawing = TwinStyle.Drawing.districts(labels: false)
        let native = try TwinStyle.write(data: data, sourceLayer: testCase.sourceLayer, drawing: drawing, in: folder, name: "native")
        let forced = try TwinStyle.write(data: data, format: "ogr", sourceLayer: testCase.sourceLayer, drawing: drawing, in: folder, name: "ogr")

        let nativeMap = try MapLoader.load(MapConfiguration(name: "native", stylePath: native))
        let forcedMap = try MapLoader.load(MapConfiguration(name: "ogr", stylePath: forced))
        let source = try #require(forcedMap.style.sources["d"]), nativeSource = try #require(nativeMap.style.sources["d"])
        #expect(source.readsThroughOGR && !nativeSource.readsThroughOGR)
        #expect(try SourceOpener.reader(for: source) is OGRReader)
        #expect(!(try SourceOpener.reader(for: nativeSource) is OGRReader))

        let nativeLayer = try #require(nativeMap.layers.values.first), forcedLayer = try #require(forcedMap.layers.values.first)
        #expect(forcedLayer.features.count == nativeLayer.features.count && !nativeLayer.features.isEmpty)
        let a = forcedMap.dataBounds, b = nativeMap.dataBounds
        #expect([a.minX - b.minX, a.minY - b.minY, a.maxX - b.maxX, a.maxY - b.maxY].allSatisfy { abs($0) < 0.01 }, "\(a) against \(b)")

        // Where the data is: central Hải Phòng for the districts, the synthetic parcels' own corner otherwise.
        let centre = nativeMap.geographicBounds.center
        let tile = testCase.file.hasSuffix(".shp")
            ? TileCoordinate(z: 14, x: Int((centre.x + 180) / 360 * 16384), y: Self.row(latitude: centre.y, zoom: 14))
            : TileCoordinate(z: 12, x: 3261, y: 1805)
        func render(_ map: LoadedMap) throws -> [UInt8] {
            try #require(try MapRenderer.render(map, metatile: Metatile(containing: tile, size: 1, in: map.grid), scale: 1)[tile])
        }
        let comparison = try ImageComparison.compare(expected: render(nativeMap), actual: render(forcedMap), channelThreshold: 16)
        #expect(comparison.differingFraction <= 0.005, "\(comparison.differingPixels) of \(comparison.totalPixels) pixels differ at \(tile)")
    }

    static func row(latitude: Double, zoom: Int) -> Int {
        let radians = latitude * .pi / 180
        return Int((1 - log(tan(radians) + 1 / cos(radians)) / .pi) / 2 * Double(1 << zoom))
    }
}
