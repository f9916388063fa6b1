import CairnCore
import CairnSources
import Testing

/// Reference numbers from GDAL 3.6: `ogrinfo -al -so` and `ogrinfo -fid N` on the committed files:
/// `data/hp_districts.geojson` and the POI sample in Fixtures/hai_phong (see its README).
@Suite struct GeoJSONRealDataTests {
    private func path(_ name: String) throws -> String {
        name == "hp_districts.geojson" ? RepositoryData.data(name) : GeoJSONFixtures.path("hai_phong/" + name)
    }

    private func expectBox(_ box: BoundingBox, _ minX: Double, _ minY: Double, _ maxX: Double, _ maxY: Double) {
        #expect(abs(box.minX - minX) < 1e-6 && abs(box.minY - minY) < 1e-6, "\(box)")
        #expect(abs(box.maxX - maxX) < 1e-6 && abs(box.maxY - maxY) < 1e-6, "\(box)")
    }

    @Test func districts() throws {
        let data = try GeoJSONReader(path: try path("hp_districts.geojson")).read(LayerQuery())
        #expect(data.name == "hp_districts")
        #expect(data.crs == .wgs84)
        #expect(data.features.count == 15)
        var box = BoundingBox.empty
        for feature in data.features { box.extend(with: feature.geometry.boundingBox) }
        expectBox(box, 106.400877, 20.127149, 107.738600, 21.021214)

        let polygonCounts = data.features.map { feature -> Int in
            if case .polygons(let polygons) = feature.geometry { return polygons.count }
            return 0
        }
        #expect(polygonCounts.filter { $0 == 1 }.count == 13, "13 Polygon features")
        #expect(polygonCounts[5] == 2, "Đồ Sơn is a MultiPolygon of 2")

        let thuyNguyen = data.features[7].properties
        #expect(thuyNguyen["ten"] == .string("Thuỷ Nguyên"))
        #expect(thuyNguyen["ten_day_du_2025"] == .string("Thành phố Thuỷ Nguyên"))
        #expect(thuyNguyen["so_xa_phuong_2025"] == .int(21))
        #expect(thuyNguyen["dien_tich_km2"] == .double(261.611))
        #expect(data.features[0].geometry.pointCount == 112)
    }

    @Test func pois() throws {
        let reader = try GeoJSONReader(path: try path("syn_pois_sample.geojson"))
        let layer = try reader.read(LayerQuery())
        #expect(layer.name == "syn_pois_sample")
        #expect(layer.features.count == 95)
        #expect(layer.features.allSatisfy { $0.geometry.kind == .point })
        var box = BoundingBox.empty
        for feature in layer.features { box.extend(with: feature.geometry.boundingBox) }
        expectBox(box, 106.415582, 20.133384, 107.733003, 20.999505)

        let first = layer.features[0].properties
        #expect(first["ten"] == .string("UBND Phường Quán Toan"))
        #expect(first["tong_hop"] == .int(1))
        let last = layer.features[94]
        #expect(last.properties["ten"] == .string("Trường THPT Bạch Long Vĩ"))
        #expect(last.properties["ma_xa"] == .null)
        #expect(last.geometry == .points([Point(107.7330028, 20.1333836)]))
    }

    @Test func poisInABox() throws {
        let reader = try GeoJSONReader(path: try path("syn_pois_sample.geojson"))
        let data = try reader.read(LayerQuery(bbox: BoundingBox(minX: 106.6, minY: 20.8, maxX: 106.7, maxY: 20.9),
                                              attributes: ["ten"]))
        #expect(data.features.count == 18, "ogrinfo -spat 106.6 20.8 106.7 20.9")
        #expect(data.features.allSatisfy { $0.properties.count == 1 && $0.properties["ten"] != nil })
    }
}
