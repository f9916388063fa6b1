@testable import CairnConfiguration
import CairnCore
import CairnProjection
import CairnRender
import CairnSources
import CairnTestSupport
import Foundation
import Testing
@testable import CairnEngine

/// Every format read through GDAL renders like its GeoJSON twin: the districts written by `ogr2ogr`
/// as MapInfo TAB (VN-2000 with a wrong datum, put right by `"crs"`), MIF, DGN v7, DXF, File
/// Geodatabase, KML, KMZ, GML, FlatGeobuf and CSV, and the places as CSV with lon/lat columns, drawn
/// with one style over central Hải Phòng at z10, z12 and z14. `swift test --attachments-path DIR`
/// keeps the rendered tiles.
@Suite(.interop)
struct OGRFormatRenderingTests {
    /// Central Hải Phòng (106.68 E, 20.86 N).
    static let tiles = [TileCoordinate(z: 10, x: 815, y: 451), TileCoordinate(z: 12, x: 3261, y: 1805),
                        TileCoordinate(z: 14, x: 13047, y: 7221)]

    static func fixtures() throws -> OGRFixtures { try OGRFixtures.shared.get() }

    static func render(_ style: String, _ tile: TileCoordinate) throws -> [UInt8] {
        let map = try MapLoader.load(MapConfiguration(name: "twin", stylePath: style))
        let tiles = try MapRenderer.render(map, metatile: Metatile(containing: tile, size: 1, in: map.grid), scale: 1)
        return try #require(tiles[tile])
    }

    /// Renders both styles at `tile`, keeps the images as attachments, and compares them.
    static func compare(twin: String, copy: String, at tile: TileCoordinate, name: String) throws -> ImageComparisonResult {
        let expected = try render(twin, tile)
        let actual = try render(copy, tile)
        let label = "\(name)-\(tile.z)-\(tile.x)-\(tile.y)"
        Attachment.record(expected, named: label + "-geojson.png")
        Attachment.record(actual, named: label + ".png")
        return try ImageComparison.compare(expected: expected, actual: actual, channelThreshold: 16)
    }

    @Test(arguments: OGRFixtures.Format.allCases, tiles)
    func rendersLikeItsGeoJSONTwin(format: OGRFixtures.Format, tile: TileCoordinate) throws {
        let fixtures = try Self.fixtures()
        let folder = TestPaths.temporaryFolder()
        let drawing = TwinStyle.Drawing.districts(labels: format.keepsDistrictNames)
        let twin = try TwinStyle.write(data: fixtures.districtsGeoJSON, drawing: drawing, in: folder, name: "geojson")
        let copy = try TwinStyle.write(data: fixtures.path(format), crs: format.styleCRS, drawing: drawing, in: folder, name: format.rawValue)
        let comparison = try Self.compare(twin: twin, copy: copy, at: tile, name: format.rawValue)
        // The same vertices, read another way: anti-aliased edges may differ by rounding, nothing more.
        #expect(comparison.differingFraction <= 0.005,
                "\(format) at \(tile): \(comparison.differingPixels) of \(comparison.totalPixels) pixels differ (max channel delta \(comparison.maxChannelDelta))")
    }

    @Test(arguments: tiles)
    func placesFromLonLatColumnsRenderLikeTheirGeoJSONTwin(tile: TileCoordinate) throws {
        let fixtures = try Self.fixtures()
        let folder = TestPaths.temporaryFolder()
        let twin = try TwinStyle.write(data: fixtures.placesGeoJSON, drawing: .places, in: folder, name: "geojson")
        let copy = try TwinStyle.write(data: fixtures.placesCSV, crs: "EPSG:4326",
                                       openOptions: ["X_POSSIBLE_NAMES": "lon", "Y_POSSIBLE_NAMES": "lat"],
                                       drawing: .places, in: folder, name: "places-csv")
        let comparison = try Self.compare(twin: twin, copy: copy, at: tile, name: "places-csv")
        #expect(comparison.differingFraction <= 0.005,
                "places CSV at \(tile): \(comparison.differingPixels) of \(comparison.totalPixels) pixels differ")
    }

    /// The TAB says TM-3 on WGS84 without a datum shift; read as it says, VN-2000 coordinates land a
    /// couple of hundred metres off, which is why the style's `"crs"` must override it.
    @Test func theWrongDatumOfTheMapInfoCopyIsVisiblyOffWithoutTheOverride() throws {
        let fixtures = try Self.fixtures()
        let folder = TestPaths.temporaryFolder()
        let drawing = TwinStyle.Drawing.districts(labels: false)
        let twin = try TwinStyle.write(data: fixtures.districtsGeoJSON, drawing: drawing, in: folder, name: "geojson")
        let asDeclared = try TwinStyle.write(data: fixtures.path(.mapInfoTAB), drawing: drawing, in: folder, name: "tab-as-declared")

        let tile = TileCoordinate(z: 14, x: 13047, y: 7221)
        let comparison = try Self.compare(twin: twin, copy: asDeclared, at: tile, name: "tab-as-declared")
        #expect(comparison.differingFraction > 0.02, "only \(comparison.differingPixels) of \(comparison.totalPixels) pixels differ")

        func layer(_ style: String) throws -> ProjectedLayer {
            let map = try MapLoader.load(MapConfiguration(name: "twin", stylePath: style))
            return try #require(map.layers.values.first)
        }
        let right = try layer(twin), wrong = try layer(asDeclared)
        #expect(right.features.count == 15 && wrong.features.count == 15)
        // Web Mercator metres to ground metres at 20.85° N.
        let scale = cos(20.85 * .pi / 180)
        var offsets: [Double] = []
        for (a, b) in zip(right.features, wrong.features) {
            let p = a.geometry.boundingBox.center, q = b.geometry.boundingBox.center
            offsets.append(hypot(p.x - q.x, p.y - q.y) * scale)
        }
        #expect(offsets.allSatisfy { $0 > 180 && $0 < 320 }, "offsets without the override: \(offsets) m")
    }

    @Test func aDGNWithoutTheOverrideIsAnErrorNamingTheFile() throws {
        let fixtures = try Self.fixtures()
        let folder = TestPaths.temporaryFolder()
        let style = try TwinStyle.write(data: fixtures.path(.dgn), drawing: .districts(labels: false), in: folder, name: "dgn-no-crs")
        #expect { try MapLoader.load(MapConfiguration(name: "dgn", stylePath: style)) } throws: { error in
            let text = "\(error)"
            return text.contains(fixtures.path(.dgn)) && text.contains("declares no CRS") && text.contains("elements")
                && text.contains(style)
        }
    }
}
