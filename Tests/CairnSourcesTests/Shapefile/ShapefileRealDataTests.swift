import CairnCore
import CairnSources
import Testing

/// Reference numbers from GDAL 3.6: `ogrinfo -al -so` and `ogrinfo -al -geom=SUMMARY` on the committed
/// files: the districts in Fixtures/hai_phong (see its README) and the land use in `data/`.
@Suite struct ShapefileRealDataTests {
    private func path(_ name: String) throws -> String {
        name.hasPrefix("hp_districts") ? ShapefileFixtures.path("hai_phong/" + name) : RepositoryData.data(name)
    }

    private func extent(_ features: [Feature]) -> BoundingBox {
        var box = BoundingBox.empty
        for feature in features { box.extend(with: feature.geometry.boundingBox) }
        return box
    }

    private func expectBox(_ box: BoundingBox, _ minX: Double, _ minY: Double, _ maxX: Double, _ maxY: Double) {
        #expect(abs(box.minX - minX) < 1e-3 && abs(box.minY - minY) < 1e-3, "\(box)")
        #expect(abs(box.maxX - maxX) < 1e-3 && abs(box.maxY - maxY) < 1e-3, "\(box)")
    }

    @Test func districts() throws {
        let data = try ShapefileReader(path: try path("hp_districts_vn2000_tm3.shp")).read(LayerQuery())
        #expect(data.name == "hp_districts_vn2000_tm3")
        #expect(data.features.count == 15)
        expectBox(extent(data.features), 567609.44, 2227559.42, 707727.71, 2325543.80)
        guard case .text(let wkt) = data.crs else { Issue.record("no .prj CRS"); return }
        #expect(wkt.hasPrefix("PROJCS[\"VN-2000_TM-3_105-45\""))

        let names = data.features.map { $0.properties["Ten"]?.stringValue ?? "" }
        #expect(names[0] == "Hồng Bàng")
        #expect(names[5] == "Đồ Sơn")
        #expect(names[7] == "Thuỷ Nguyên")
        #expect(names[14] == "Bạch Long Vĩ")
        #expect(data.features[7].properties["Ten2025"] == .string("Thành phố Thuỷ Nguyên"))
        #expect(data.features[0].properties["DienTich"] == .double(14.354))
        #expect(data.features[0].properties["MaHuyen"] == .string("303"))

        func polygonSizes(_ feature: Feature) -> [Int] {
            guard case .polygons(let polygons) = feature.geometry else { return [] }
            return polygons.map { $0.reduce(0) { $0 + $1.count } }
        }
        #expect(polygonSizes(data.features[0]) == [112])
        #expect(polygonSizes(data.features[5]) == [17, 227], "Đồ Sơn: MULTIPOLYGON of 2")
        #expect(polygonSizes(data.features[13]).count == 96, "Cát Hải: MULTIPOLYGON of 96")
    }

    @Test func landUse() throws {
        let data = try ShapefileReader(path: try path("syn_land_use_vn2000_tm3.shp")).read(LayerQuery())
        #expect(data.features.count == 812)
        expectBox(extent(data.features), 567624.46, 2278625.86, 644955.26, 2325527.63)
        let first = data.features[0].properties
        #expect(first["MaLoaiDat"] == .string("TMD"))
        #expect(first["TenLoaiDat"] == .string("Đất thương mại, dịch vụ"))
        #expect(first["SoThua"] == .int(1))
        #expect(first["DienTich"] == .double(200133.7))
        #expect(first["NamQH"] == .int(2030))
        let last = data.features[811].properties
        #expect(last["TenLoaiDat"] == .string("Đất rừng phòng hộ"))
        #expect(last["DienTich"] == .double(1033646))
    }

    @Test func landUseInABox() throws {
        let reader = try ShapefileReader(path: try path("syn_land_use_vn2000_tm3.shp"))
        let box = BoundingBox(minX: 600000, minY: 2300000, maxX: 610000, maxY: 2310000)
        let all = try reader.read(LayerQuery()).features
        let filtered = try reader.read(LayerQuery(bbox: box, attributes: ["MaLoaiDat"])).features
        #expect(filtered.map(\.id) == all.filter { box.intersects($0.geometry.boundingBox) }.map(\.id))
        // GDAL's -spat also tests the exact geometry, so it keeps a subset of the box matches.
        #expect(filtered.count >= 47)
        #expect(filtered.allSatisfy { $0.properties.keys.sorted() == ["MaLoaiDat"] })
    }
}
