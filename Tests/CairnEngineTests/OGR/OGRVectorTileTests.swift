@testable import CairnConfiguration
import CairnCore
import CairnTestSupport
import CairnVectorTile
import Foundation
import Testing
@testable import CairnEngine

/// MVT out of a map whose source is read through GDAL: the `.pbf` tiles carry the same layer, the
/// same features and the same names as those of the GeoJSON twin's map.
@Suite(.interop)
struct OGRVectorTileTests {
    /// What a tile's layer holds, in a form two readings of the same data agree on.
    struct Summary: Equatable, CustomStringConvertible {
        var features: Int
        /// Polygon parts: DGN and DXF split a multipolygon into one feature per part.
        var parts: Int
        var vertices: Int
        var names: [String]
        var description: String { "\(features) features, \(parts) parts, \(vertices) vertices, names \(names)" }

        init(_ layer: VectorTileLayer) {
            features = layer.features.count
            parts = layer.features.reduce(0) { count, feature in
                if case .polygons(let polygons) = feature.geometry { return count + polygons.count }
                return count
            }
            vertices = layer.features.reduce(0) { $0 + $1.geometry.pointCount }
            names = layer.features.compactMap { feature -> String? in
                if case .string(let name)? = feature.properties["ten"] { return name }
                return nil
            }.sorted()
        }
    }

    static func tile(_ style: String, _ tile: TileCoordinate) throws -> VectorTile {
        let map = try MapLoader.load(MapConfiguration(name: "twin", stylePath: style))
        return try VectorTileDecoder.decode(VectorTileBuilder.encode(map, plan: VectorLayerPlan(map: map), tile: tile))
    }

    @Test(arguments: OGRFixtures.Format.allCases)
    func aTileOfTheCopyHoldsWhatTheTwinsTileHolds(format: OGRFixtures.Format) throws {
        let fixtures = try OGRFixtures.shared.get()
        let folder = TestPaths.temporaryFolder()
        let drawing = TwinStyle.Drawing.districts(labels: format.keepsDistrictNames)
        let twinStyle = try TwinStyle.write(data: fixtures.districtsGeoJSON, drawing: drawing, in: folder, name: "geojson")
        let copyStyle = try TwinStyle.write(data: fixtures.path(format), crs: format.styleCRS, drawing: drawing, in: folder, name: format.rawValue)
        for coordinate in [TileCoordinate(z: 10, x: 815, y: 451), TileCoordinate(z: 12, x: 3261, y: 1805)] {
            let twin = try Self.tile(twinStyle, coordinate), copy = try Self.tile(copyStyle, coordinate)
            #expect(copy.layers.map(\.name) == ["d"] && twin.layers.map(\.name) == ["d"])
            let expected = Summary(try #require(twin.layer(named: "d"))), actual = Summary(try #require(copy.layer(named: "d")))
            #expect(actual.parts == expected.parts, "\(format) at \(coordinate): \(actual) against \(expected)")
            // Reprojected through VN-2000 and back, a vertex may round to its neighbour and be simplified away.
            #expect(abs(actual.vertices - expected.vertices) <= expected.vertices / 50, "\(format) at \(coordinate): \(actual) against \(expected)")
            if format.keepsDistrictNames {
                #expect(actual.features == expected.features && actual.names == expected.names && !actual.names.isEmpty,
                        "\(format) at \(coordinate): \(actual) against \(expected)")
            } else {
                #expect(actual.features >= expected.features)
            }
        }
    }
}
