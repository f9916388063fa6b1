import CairnCore
import Foundation
import Testing
@testable import CairnSources

/// Reads the committed Hai Phong demo GeoPackage (`data/hai_phong_demo.gpkg`, 10 layers, the buildings of four
/// districts) and the stations fixture beside this file; reference numbers come from `ogrinfo` and `sqlite3`.
struct GeoPackageReaderTests {
    static let dataPath = RepositoryData.data("hai_phong_demo.gpkg")
    static let stationsPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/syn_env_stations.gpkg").path

    let reader: GeoPackageReader

    init() throws {
        reader = try GeoPackageReader(path: Self.dataPath)
    }

    @Test func listsTheTenLayersInOrder() throws {
        let names = try reader.layerNames()
        #expect(names.count == 10)
        #expect(names.first == "hp_land")
        #expect(names.last == "syn_buildings")
        #expect(names.contains("syn_buildings"))
    }

    @Test func districtsInWGS84() throws {
        let data = try reader.read(LayerQuery(layer: "hp_districts"))
        #expect(data.name == "hp_districts")
        #expect(data.features.count == 15)
        #expect(data.crs == .epsg(4326))
        #expect(data.features.allSatisfy { $0.geometry.kind == .polygon && !$0.geometry.isEmpty })
        var box = BoundingBox.empty
        for feature in data.features { box.extend(with: feature.geometry.boundingBox) }
        #expect(abs(box.minX - 106.4008767) < 1e-6 && abs(box.maxX - 107.7385998) < 1e-6)
        #expect(abs(box.minY - 20.1271485) < 1e-6 && abs(box.maxY - 21.021214) < 1e-6)
    }

    @Test func vietnameseTextAndTypedAttributes() throws {
        let data = try reader.read(LayerQuery(layer: "hp_districts"))
        let first = try #require(data.features.first { $0.id == 1 })
        #expect(first.properties["ten"] == .string("Hồng Bàng"))
        #expect(first.properties["ten_day_du"] == .string("Quận Hồng Bàng"))
        #expect(first.properties["ma_huyen"] == .string("303"))
        #expect(first.properties["so_xa_phuong_2025"] == .int(10))
        #expect(first.properties["dien_tich_km2"] == .double(14.354))
        #expect(first.properties["fid"] == nil)
        #expect(first.properties["geom"] == nil)
    }

    @Test func buildingsInVN2000() throws {
        let data = try reader.read(LayerQuery(layer: "syn_buildings"))
        #expect(data.crs == .epsg(9210))
        // ogrinfo -so: Extent: (588202.000000, 2299437.310000) - (609644.910000, 2311667.600000)
        let box = data.features.reduce(into: BoundingBox.empty) { $0.extend(with: $1.geometry.boundingBox) }
        #expect(abs(box.minX - 588202.0) < 0.01 && abs(box.minY - 2299437.31) < 0.01)
        #expect(abs(box.maxX - 609644.91) < 0.01 && abs(box.maxY - 2311667.6) < 0.01)
    }

    @Test func buildingsMatchOgrinfo() throws {
        let data = try reader.read(LayerQuery(layer: "syn_buildings"))
        #expect(data.features.count == 14594)
        #expect(data.crs == .epsg(9210))
        // ogrinfo data/hai_phong_demo.gpkg syn_buildings -fid 100
        let building = try #require(data.features.first { $0.id == 100 })
        #expect(building.properties["ma_cong_trinh"] == .string("31-11296-000100"))
        #expect(building.properties["cong_nang"] == .string("công cộng"))
        #expect(building.properties["so_tang"] == .int(4))
        #expect(building.properties["chieu_cao_m"] == .double(14.2))
        #expect(building.properties["nam_xay_dung"] == .int(2024))
        guard case .polygons(let polygons) = building.geometry else { Issue.record("not a polygon"); return }
        #expect(polygons.count == 1 && polygons[0].count == 1 && polygons[0][0].count == 5)
        #expect(polygons[0][0][0] == Point(589970.54, 2310616.33))
        #expect(polygons[0][0][2] == Point(589984.94, 2310632.19))
    }

    @Test func stationsInUTM48NWithDateText() throws {
        let data = try GeoPackageReader(path: Self.stationsPath).read(LayerQuery(layer: "syn_env_stations"))
        #expect(data.features.count == 35)
        #expect(data.crs == .epsg(3405))
        let first = try #require(data.features.first { $0.id == 1 })
        #expect(first.properties["ngay_do"] == .string("2025-06-17"))
        #expect(first.properties["aqi"] == .int(66))
        #expect(first.properties["ph"] == .null)
        #expect(first.geometry.kind == .point)
    }

    @Test func bboxThroughRTreeMatchesFullScan() throws {
        let layer = try reader.layer(named: "syn_buildings")
        #expect(layer.spatialIndexTable == "rtree_syn_buildings_geom")
        let box = BoundingBox(minX: 600000, minY: 2300000, maxX: 605000, maxY: 2305000)
        let indexed = try reader.read(LayerQuery(layer: "syn_buildings", bbox: box))
        var scanning = reader
        scanning.usesSpatialIndex = false
        let scanned = try scanning.read(LayerQuery(layer: "syn_buildings", bbox: box))
        let indexedIDs = Set(indexed.features.compactMap(\.id))
        #expect(indexedIDs == Set(scanned.features.compactMap(\.id)))
        #expect(indexedIDs.count > 0 && indexedIDs.count < 14594)
        // sqlite3: SELECT count(*) FROM rtree_syn_buildings_geom WHERE minx <= 605000 AND maxx >= 600000 ...
        #expect(indexedIDs.count <= 969 && indexedIDs.count > 940)
        #expect(indexed.features.allSatisfy { $0.geometry.boundingBox.intersects(box) })
    }

    @Test func attributesLimitTheColumnsRead() throws {
        let data = try reader.read(LayerQuery(layer: "syn_buildings", attributes: ["so_tang", "no_such_column"]))
        #expect(data.features.count == 14594)
        #expect(data.features.allSatisfy { Array($0.properties.keys) == ["so_tang"] })
    }

    @Test func firstLayerWhenNoneIsNamed() throws {
        #expect(try reader.read(LayerQuery()).name == "hp_land")
    }

    @Test func unknownLayerNamesTheLayers() throws {
        let error = try #require(throws: SourceError.self) { try reader.read(LayerQuery(layer: "roads")) }
        #expect(error.code == .unknownLayer)
        #expect(error.message.contains("syn_roads"))
    }
}
