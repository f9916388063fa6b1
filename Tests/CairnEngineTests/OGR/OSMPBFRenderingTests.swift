@testable import CairnConfiguration
import CairnCore
import CairnSources
import CairnTestSupport
import Foundation
import Testing
@testable import CairnEngine

/// The districts as OpenStreetMap PBF (multipolygon relations written at test time by
/// `OSMPBFWriter`), read through GDAL's OSM driver (layer `multipolygons`), render like their
/// GeoJSON twin.
@Suite(.interop)
struct OSMPBFRenderingTests {
    static func writeDistricts(_ fixtures: OGRFixtures, to path: String) throws {
        let districts = try GeoJSONPolygonFile.read(fixtures.districtsGeoJSON)
        let polygons = districts.map { district in
            (tags: ["boundary": "administrative", "admin_level": "6", "name": district.properties["ten"] ?? ""],
             polygons: district.polygons)
        }
        try OSMPBFWriter.write(polygons: polygons, to: path)
    }

    @Test(arguments: OGRFormatRenderingTests.tiles)
    func districtsFromOSMPBFRenderLikeTheirGeoJSONTwin(tile: TileCoordinate) throws {
        let fixtures = try OGRFormatRenderingTests.fixtures()
        let folder = TestPaths.temporaryFolder()
        let pbf = folder + "/districts.osm.pbf"
        try Self.writeDistricts(fixtures, to: pbf)
        let drawing = TwinStyle.Drawing.districts(labels: false)
        let twin = try TwinStyle.write(data: fixtures.districtsGeoJSON, drawing: drawing, in: folder, name: "geojson")
        let copy = try TwinStyle.write(data: pbf, sourceLayer: "multipolygons", drawing: drawing, in: folder, name: "osm-pbf")
        let comparison = try OGRFormatRenderingTests.compare(twin: twin, copy: copy, at: tile, name: "osm-pbf")
        #expect(comparison.differingFraction <= 0.005,
                "OSM PBF at \(tile): \(comparison.differingPixels) of \(comparison.totalPixels) pixels differ")
    }

    @Test func theRelationsKeepTheirNamesAndTheirCRS() throws {
        let fixtures = try OGRFormatRenderingTests.fixtures()
        let folder = TestPaths.temporaryFolder()
        let pbf = folder + "/districts.osm.pbf"
        try Self.writeDistricts(fixtures, to: pbf)
        let layer = try OGRReader(path: pbf).read(LayerQuery(layer: "multipolygons", attributes: ["name", "admin_level"]))
        let names = Set(layer.features.compactMap { $0.properties["name"]?.stringValue })
        let expected = Set(try GeoJSONPolygonFile.read(fixtures.districtsGeoJSON).compactMap { $0.properties["ten"] })
        #expect(layer.features.count == 15)
        #expect(names == expected)
        #expect(layer.crs == .epsg(4326))
    }
}
