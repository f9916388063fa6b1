@testable import CairnConfiguration
import CairnCore
import CairnProjection
import CairnRender
import CairnSources
import Foundation
import Testing
@testable import CairnEngine

/// The same districts delivered in EPSG:9210 (shapefile) and EPSG:4326 (GeoJSON) must land on
/// the same pixels: VN-2000 needs its datum shift, or everything moves about 224 m.
struct AlignmentTests {
    static let folder = TestPaths.fixtures.appendingPathComponent("alignment")

    func projected(_ file: String) throws -> (ProjectedLayer, LayerData) {
        let path = Self.folder.appendingPathComponent(file).path
        let reader = try SourceOpener.reader(for: path)
        let data = try reader.read(LayerQuery())
        let crs = try #require(data.crs)
        return (try ProjectedLayer(name: data.name, features: data.features, from: crs, to: .webMercator), data)
    }

    @Test func everyVertexLandsWithinAMetre() throws {
        let (fromShapefile, shapefileData) = try projected("hp_districts_vn2000_tm3.shp")
        let (fromGeoJSON, _) = try projected("hp_districts.geojson")
        // The .prj is ESRI WKT without an EPSG code or TOWGS84, as governments deliver it.
        #expect(shapefileData.crs?.projInput.contains("TOWGS84") == false)
        #expect(fromShapefile.features.count == 15 && fromGeoJSON.features.count == 15)

        func code(_ feature: Feature, _ key: String) -> Int64? {
            switch feature.properties[key] {
            case .int(let v): return v
            case .double(let v): return Int64(v)
            case .string(let s): return Int64(s)
            default: return nil
            }
        }
        var compared = 0
        var worst = 0.0
        for district in fromGeoJSON.features {
            let id = try #require(code(district, "ma_huyen"))
            let twin = try #require(fromShapefile.features.first { code($0, "MaHuyen") == id })
            var a: [Point] = [], b: [Point] = []
            district.geometry.forEachPoint { a.append($0) }
            twin.geometry.forEachPoint { b.append($0) }
            // Shapefile rings may start elsewhere or run the other way; compare each vertex with its nearest twin.
            let sample = stride(from: 0, to: a.count, by: max(1, a.count / 40)).map { a[$0] }
            for p in sample {
                let nearest = b.reduce(Double.infinity) { min($0, hypot($1.x - p.x, $1.y - p.y)) }
                worst = max(worst, nearest)
                compared += 1
            }
        }
        #expect(compared > 300)
        // Web Mercator metres at 20.8° N are 1.07 ground metres; one z16 pixel is 2.4 m.
        #expect(worst < 1.0, "worst vertex offset \(worst) m")
    }

    @Test func withoutTheDatumShiftTheDistrictsWouldBeFarOff() throws {
        let noShift = CRSDefinition.text("+proj=tmerc +lat_0=0 +lon_0=105.75 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +towgs84=0,0,0 +units=m +no_defs +type=crs")
        let (fromShapefile, data) = try projected("hp_districts_vn2000_tm3.shp")
        let wrong = try ProjectedLayer(name: "wrong", features: data.features, from: noShift, to: .webMercator)
        let right = fromShapefile.features[0].geometry.boundingBox.center
        let shifted = wrong.features[0].geometry.boundingBox.center
        // Mercator metres → ground metres at this latitude.
        let metres = hypot(right.x - shifted.x, right.y - shifted.y) * cos(20.85 * .pi / 180)
        #expect(metres > 200 && metres < 250, "offset without the shift: \(metres) m")
    }

    @Test(arguments: [TileCoordinate(z: 12, x: 3261, y: 1805), TileCoordinate(z: 14, x: 13047, y: 7221)])
    func bothCopiesRenderToTheSamePixels(tile: TileCoordinate) throws {
        func render(_ style: String) throws -> [UInt8] {
            let map = try MapLoader.load(MapConfiguration(name: "d", stylePath: Self.folder.appendingPathComponent(style).path))
            let tiles = try MapRenderer.render(map, metatile: Metatile(containing: tile, size: 1, in: map.grid), scale: 1)
            return try #require(tiles[tile])
        }
        let geojson = try render("districts-geojson.json")
        let shapefile = try render("districts-shapefile.json")
        let comparison = try ImageComparison.compare(expected: geojson, actual: shapefile, channelThreshold: 24)
        // Anti-aliased edges may shift by a fraction of a pixel; nothing more.
        #expect(comparison.differingPixels < comparison.totalPixels / 500, "\(comparison.differingPixels) of \(comparison.totalPixels) pixels differ")
    }
}
