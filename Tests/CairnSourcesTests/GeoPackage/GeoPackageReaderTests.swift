import CairnCore
import Foundation
import Testing
@testable import CairnSources

/// Reads the real Hai Phong GeoPackage; reference numbers come from `ogrinfo` and `sqlite3`.
struct GeoPackageReaderTests {
    /// `<repo root>/../shared/data` as on CI; worktrees sit one level deeper, so walk up until it is found.
    static let dataPath: String = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = folder.appendingPathComponent("shared/data/hai_phong.gpkg")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
            folder.deleteLastPathComponent()
        }
        return "shared/data/hai_phong.gpkg (not found above \(#filePath))"
    }()

    let reader: GeoPackageReader

    init() throws {
        reader = try GeoPackageReader(path: Self.dataPath)
    }

    @Test func listsTheFourteenLayersInOrder() throws {
        let names = try reader.layerNames()
        #expect(names.count == 14)
        #expect(names.first == "hp_city_boundary")
        #expect(names.last == "syn_env_stations")
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

    @Test func districtsInVN2000() throws {
        let data = try reader.read(LayerQuery(layer: "hp_districts_vn2000"))
        #expect(data.features.count == 15)
        #expect(data.crs == .epsg(9210))
        let box = data.features.reduce(into: BoundingBox.empty) { $0.extend(with: $1.geometry.boundingBox) }
        #expect(abs(box.minX - 567609.44) < 0.01 && abs(box.maxY - 2325543.8) < 0.01)
    }

    @Test func buildingsMatchOgrinfo() throws {
        let data = try reader.read(LayerQuery(layer: "syn_buildings"))
        #expect(data.features.count == 38002)
        #expect(data.crs == .epsg(9210))
        // ogrinfo hai_phong.gpkg syn_buildings -fid 100
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
        let data = try reader.read(LayerQuery(layer: "syn_env_stations"))
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
        #expect(indexedIDs.count > 0 && indexedIDs.count < 38002)
        // sqlite3: SELECT count(*) FROM rtree_syn_buildings_geom WHERE minx <= 605000 AND maxx >= 600000 ...
        #expect(indexedIDs.count <= 1131 && indexedIDs.count > 1100)
        #expect(indexed.features.allSatisfy { $0.geometry.boundingBox.intersects(box) })
    }

    @Test func attributesLimitTheColumnsRead() throws {
        let data = try reader.read(LayerQuery(layer: "syn_buildings", attributes: ["so_tang", "no_such_column"]))
        #expect(data.features.count == 38002)
        #expect(data.features.allSatisfy { Array($0.properties.keys) == ["so_tang"] })
    }

    @Test func firstLayerWhenNoneIsNamed() throws {
        #expect(try reader.read(LayerQuery()).name == "hp_city_boundary")
    }

    @Test func unknownLayerNamesTheLayers() throws {
        let error = try #require(throws: SourceError.self) { try reader.read(LayerQuery(layer: "roads")) }
        #expect(error.code == .unknownLayer)
        #expect(error.message.contains("syn_roads"))
    }

    @Test func buildingsReadQuickly() throws {
        let clock = ContinuousClock()
        let elapsed = try clock.measure { _ = try reader.read(LayerQuery(layer: "syn_buildings")) }
        // Release builds take well under a second; debug builds get headroom.
        #expect(elapsed < .seconds(5))
    }
}
