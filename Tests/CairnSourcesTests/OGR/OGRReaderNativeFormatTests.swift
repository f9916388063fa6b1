import CairnCore
import Foundation
import Testing
@testable import CairnSources

/// The repository's GeoPackage, GeoJSON and Shapefile read through GDAL (what `"format": "ogr"`
/// does) give the features the native readers give: the same layers, geometries, attributes and CRS.
struct OGRReaderNativeFormatTests {
    static let demo = RepositoryData.data("hai_phong_demo.gpkg")
    static let districts = RepositoryData.data("hp_districts.geojson")
    static let landUse = RepositoryData.data("syn_land_use_vn2000_tm3.shp")

    static func text(_ value: PropertyValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    @Test func aGeoPackageGivesTheNativeReadersLayersFeaturesAndCRS() throws {
        let native = try GeoPackageReader(path: Self.demo)
        let ogr = try OGRReader(path: Self.demo)
        #expect(try ogr.layerNames() == native.layerNames())
        let query = LayerQuery(layer: "hp_districts")
        let expected = try native.read(query), actual = try ogr.read(query)
        #expect(actual.name == "hp_districts" && actual.crs == .epsg(4326) && expected.crs == .epsg(4326))
        #expect(actual.features.count == expected.features.count && actual.features.count == 15)
        for (a, e) in zip(actual.features, expected.features) {
            #expect(a.id == e.id && a.geometry == e.geometry)
            #expect(a.properties == e.properties, "feature \(e.id.map(String.init) ?? "?")")
        }
    }

    @Test func aGeoJSONGivesTheSameGeometriesAndNames() throws {
        let expected = try GeoJSONReader(path: Self.districts).read(LayerQuery())
        let actual = try OGRReader(path: Self.districts).read(LayerQuery())
        #expect(actual.name == "hp_districts" && actual.crs == .epsg(4326))
        #expect(actual.features.count == 15 && expected.features.count == 15)
        for (a, e) in zip(actual.features, expected.features) {
            #expect(a.geometry == e.geometry)
            #expect(Self.text(a.properties["ten"]) == Self.text(e.properties["ten"]) && Self.text(a.properties["ten"]) != nil)
        }
    }

    @Test func aShapefileGivesTheSamePartsVerticesAndAttributes() throws {
        let expected = try ShapefileReader(path: Self.landUse).read(LayerQuery())
        let actual = try OGRReader(path: Self.landUse).read(LayerQuery(attributes: ["MaLoaiDat", "SoThua"]))
        #expect(actual.features.count == expected.features.count && actual.features.count == 812)
        // The .prj is ESRI WKT naming the D_Vietnam_2000 datum: the native reader hands the text to PROJ,
        // GDAL's shapefile driver recognises it as EPSG:9210. Both apply the VN-2000 datum shift.
        #expect(actual.crs == .epsg(9210))
        guard case .text(let wkt)? = expected.crs else { Issue.record("native CRS \(String(describing: expected.crs))"); return }
        #expect(wkt.contains("D_Vietnam_2000"))
        for (a, e) in zip(actual.features, expected.features) {
            #expect(a.geometry.pointCount == e.geometry.pointCount)
            #expect(a.geometry.boundingBox == e.geometry.boundingBox)
            #expect(Set(a.properties.keys) == ["MaLoaiDat", "SoThua"])
            #expect(a.properties["MaLoaiDat"] == e.properties["MaLoaiDat"] && a.properties["SoThua"] == e.properties["SoThua"])
        }
    }

    @Test func onlyTheWantedAttributesAreRead() throws {
        let data = try OGRReader(path: Self.districts).read(LayerQuery(attributes: ["ten", "so_xa_phuong_2025"]))
        #expect(data.features.allSatisfy { Set($0.properties.keys) == ["ten", "so_xa_phuong_2025"] })
        #expect(data.features.allSatisfy { if case .int? = $0.properties["so_xa_phuong_2025"] { true } else { false } })
        let none = try OGRReader(path: Self.districts).read(LayerQuery(attributes: []))
        #expect(none.features.count == 15 && none.features.allSatisfy(\.properties.isEmpty))
    }

    @Test func aBoxReadsOnlyTheFeaturesMeetingIt() throws {
        // Around central Hải Phòng: the urban districts, not Bạch Long Vĩ out at sea.
        let box = BoundingBox(minX: 106.66, minY: 20.84, maxX: 106.70, maxY: 20.88)
        let data = try OGRReader(path: Self.districts).read(LayerQuery(bbox: box, attributes: ["ten"]))
        let names = Set(data.features.compactMap { Self.text($0.properties["ten"]) })
        #expect(!names.isEmpty && data.features.count < 15 && names.contains("Ngô Quyền") && !names.contains("Bạch Long Vĩ"))
    }

    @Test func aFileOfSeveralLayersNeedsTheLayerNamed() throws {
        let reader = try OGRReader(path: Self.demo)
        #expect { try reader.read(LayerQuery()) } throws: { error in
            let text = "\(error)"
            return text.contains(Self.demo) && text.contains("source-layer") && text.contains("\"hp_districts\"") && text.contains("\"syn_buildings\"")
        }
    }

    @Test func anUnknownLayerIsAnErrorListingTheLayers() throws {
        let reader = try OGRReader(path: Self.demo)
        #expect { try reader.read(LayerQuery(layer: "districts")) } throws: { error in
            guard let error = error as? SourceError else { return false }
            let text = "\(error)"
            return error.code == .unknownLayer && text.contains(Self.demo) && text.contains("no layer \"districts\"")
                && text.contains("\"hp_districts\"") && text.contains("\"hp_places_geonames\"")
        }
    }

    @Test func describeGivesTheDriverFieldsExtentAndCRS() throws {
        let layers = try OGRReader(path: Self.districts).describe()
        let layer = try #require(layers.first)
        #expect(layers.count == 1 && layer.name == "hp_districts" && layer.driver == "GeoJSON")
        #expect(layer.fields.map(\.name).contains("ten"))
        let extent = try #require(layer.extent)
        #expect(abs(extent.minX - 106.400877) < 1e-5 && abs(extent.maxY - 21.021214) < 1e-5)
        #expect(layer.spatialReference?.authorityCode == 4326)
    }
}
