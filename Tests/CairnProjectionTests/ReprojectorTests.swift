import CairnCore
import CairnProj
import CairnProjection
import Foundation
import Testing

struct ReprojectorTests {
    @Test func keepsStructureAndOrder() throws {
        let features = [
            Feature(id: 1, geometry: .points([Point(597000, 2306000)])),
            Feature(id: 2, geometry: .lines([[Point(597000, 2306000), Point(598000, 2307000)], [Point(590000, 2300000)]])),
            Feature(id: 3, geometry: .polygons([[
                [Point(0, 0), Point(1, 0), Point(1, 1), Point(0, 0)].map { Point(597000 + $0.x * 100, 2306000 + $0.y * 100) },
                [Point(597010, 2306010), Point(597020, 2306010), Point(597010, 2306020), Point(597010, 2306010)],
            ]])),
            Feature(id: 4, geometry: .points([])),
        ]
        let result = try Reprojector(from: .epsg(9210), to: .webMercator).reproject(features)
        #expect(result.droppedCount == 0)
        #expect(result.features.map(\.id) == [1, 2, 3, 4])
        let transformation = try ProjTransformation(from: .epsg(9210), to: .webMercator)
        for (original, projected) in zip(features, result.features) {
            #expect(try original.geometry.mapPoints { try transformation.transform($0) } == projected.geometry)
        }
    }

    @Test func dropsFeaturesThatFail() throws {
        let features = [
            Feature(id: 1, geometry: .points([Point(106.7, 20.8)])),
            Feature(id: 2, geometry: .lines([[Point(106.7, 20.8), Point(106.7, 95)]])),
            Feature(id: 3, geometry: .points([Point(.nan, 20)])),
            Feature(id: 4, geometry: .points([Point(107, 21)])),
        ]
        let viaPROJ = try Reprojector(from: .wgs84, to: .epsg(3395)).reproject(features)
        #expect(viaPROJ.features.map(\.id) == [1, 4])
        #expect(viaPROJ.droppedCount == 2)
        let fastPath = try Reprojector(from: .wgs84, to: .webMercator).reproject(features)
        #expect(fastPath.features.map(\.id) == [1, 2, 4])  // the fast path clamps latitude like MapLibre
        #expect(fastPath.droppedCount == 1)
    }

    @Test func unknownCRSThrows() {
        #expect(throws: ProjError.self) {
            try Reprojector(from: .epsg(999_999), to: .webMercator).reproject([Feature(geometry: .points([Point(0, 0)]))])
        }
        #expect(Reprojector(from: .webMercator, to: .webMercator).isIdentity)
    }

    /// 38k five-vertex polygons in EPSG:9210 (the size of syn_buildings) reproject in one batch.
    @Test func buildingSizedLayer() throws {
        var generator = SeededGenerator(seed: 38)
        let features = (0..<38_000).map { index -> Feature in
            let x = 569_000 + generator.unit() * 67_000
            let y = 2_280_000 + generator.unit() * 44_000
            let ring = [Point(x, y), Point(x + 5, y), Point(x + 5, y + 15), Point(x, y + 15), Point(x, y)]
            return Feature(id: Int64(index), geometry: .polygons([[ring]]))
        }
        // Speed is measured by scripts/bench, not here.
        let projected = try ProjectedLayer(name: "syn_buildings", features: features, from: .epsg(9210), to: .webMercator)
        #expect(projected.features.count == 38_000 && projected.droppedFeatureCount == 0)
    }
}

/// Hồng Bàng (district 303) from the WGS 84 and the VN-2000 copies of the districts land on
/// the same Web Mercator positions only if the VN-2000 datum shift is applied.
struct DistrictAlignmentTests {
    @Test func hongBangVerticesAlignInWebMercator() throws {
        let wgs84 = try readPointCSV(TestPaths.fixtures.appendingPathComponent("hong_bang_303_hp_districts.csv"))
        let vn2000 = try readPointCSV(TestPaths.fixtures.appendingPathComponent("hong_bang_303_hp_districts_vn2000.csv"))
        try #require(wgs84.count == 12 && wgs84.map(\.vertex) == vn2000.map(\.vertex))

        let fromWGS84 = try Reprojector(from: .wgs84, to: .webMercator)
            .reproject([Feature(geometry: .points(wgs84.map(\.point)))])
        let fromVN2000 = try Reprojector(from: .epsg(9210), to: .webMercator)
            .reproject([Feature(geometry: .points(vn2000.map(\.point)))])
        let prj = try String(contentsOf: TestPaths.districtsPrj, encoding: .utf8)
        let fromPrj = try Reprojector(from: .text(prj), to: .webMercator)
            .reproject([Feature(geometry: .points(vn2000.map(\.point)))])

        guard case .points(let a) = try #require(fromWGS84.features.first).geometry,
            case .points(let b) = try #require(fromVN2000.features.first).geometry,
            case .points(let c) = try #require(fromPrj.features.first).geometry
        else {
            Issue.record("expected point geometries")
            return
        }
        for index in a.indices {
            #expect(distance(a[index], b[index]) < 1, "vertex \(wgs84[index].vertex): \(distance(a[index], b[index])) m")
            #expect(distance(a[index], c[index]) < 1, "vertex \(wgs84[index].vertex) via .prj")
        }
    }
}

struct ProjectedLayerTests {
    @Test func indexMatchesFeatureBoxes() {
        var generator = SeededGenerator(seed: 11)
        let features = (0..<500).map { index -> Feature in
            let x = generator.unit() * 10_000
            let y = generator.unit() * 10_000
            if index % 7 == 0 { return Feature(id: Int64(index), geometry: .points([Point(x, y)])) }
            return Feature(id: Int64(index), geometry: .lines([[Point(x, y), Point(x + 300, y + 120)]]))
        }
        let layer = ProjectedLayer(name: "test", features: features)
        #expect(layer.bounds == features.reduce(into: BoundingBox.empty) { $0.extend(with: $1.geometry.boundingBox) })
        let query = BoundingBox(minX: 2_000, minY: 3_000, maxX: 4_500, maxY: 5_000)
        let expected = features.indices.filter { features[$0].geometry.boundingBox.intersects(query) }.map { Int32($0) }
        #expect(layer.featureIndices(intersecting: query) == expected)
        var ids: [Int64?] = []
        layer.forEachFeature(intersecting: query) { ids.append($0.id) }
        #expect(ids == expected.map { Int64($0) })
    }
}
