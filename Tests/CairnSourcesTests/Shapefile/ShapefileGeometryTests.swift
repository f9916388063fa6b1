import CairnCore
import CairnSources
import Testing

@Suite struct ShapefileGeometryTests {
    private func read(_ name: String, _ query: LayerQuery = LayerQuery()) throws -> LayerData {
        try ShapefileReader(path: ShapefileFixtures.path(name + ".shp")).read(query)
    }

    @Test func points() throws {
        let data = try read("points")
        #expect(data.name == "points")
        // 5 records: the Null shape (record 3) and the deleted row (record 5) are skipped.
        #expect(data.features.map(\.id) == [0, 1, 3])
        #expect(data.features[0].geometry == .points([Point(106.68, 20.86)]))
    }

    @Test func multiPointWithoutIndex() throws {
        let data = try read("multipoints")
        #expect(data.features.map(\.geometry) == [.points([Point(0, 0), Point(1, 1), Point(2, 0)]), .points([Point(10, 10)])])
        #expect(data.crs == nil, "no .prj")
    }

    @Test func polyLines() throws {
        let data = try read("lines")
        #expect(data.features[0].geometry == .lines([[Point(0, 0), Point(1, 1)], [Point(2, 2), Point(3, 2), Point(4, 3)]]))
        #expect(data.features[1].geometry == .lines([[Point(5, 5), Point(6, 6)]]))
    }

    @Test func polygonWithHoleAndMultiPolygon() throws {
        let data = try read("polygons")
        let square = [Point(0, 0), Point(0, 10), Point(10, 10), Point(10, 0), Point(0, 0)]
        let hole = [Point(2, 2), Point(4, 2), Point(4, 4), Point(2, 4), Point(2, 2)]
        let far = [Point(20, 0), Point(20, 5), Point(25, 5), Point(25, 0), Point(20, 0)]
        let farHole = [Point(21, 1), Point(22, 1), Point(22, 2), Point(21, 2), Point(21, 1)]
        #expect(data.features[0].geometry == .polygons([[square, hole]]))
        // Same as ogrinfo: MULTIPOLYGON (((square),(hole)),((far),(far hole))).
        #expect(data.features[1].geometry == .polygons([[square, hole], [far, farHole]]))
        #expect(data.features[2].geometry == .polygons([[far]]))
    }

    @Test func zAndMVariantsIgnoreTheExtraOrdinates() throws {
        #expect(try read("point_z").features.map(\.geometry) == [.points([Point(1, 2)])])
        #expect(try read("multipoint_m").features.map(\.geometry) == [.points([Point(1, 2), Point(3, 4)])])
        #expect(try read("polyline_z").features.map(\.geometry) == [.lines([[Point(0, 0), Point(1, 1), Point(2, 0)]])])
        let polygonM = try read("polygon_m").features
        guard case .polygons(let polygons) = polygonM.first?.geometry else { Issue.record("no polygon"); return }
        #expect(polygons.map(\.count) == [2])
        #expect(try read("polygon_z").features.first?.geometry.pointCount == 5)
        #expect(try read("point_z").features.first?.properties.isEmpty == true, "no .dbf")
    }

    @Test func bboxFilterUsesRecordBoxes() throws {
        let data = try read("polygons", LayerQuery(bbox: BoundingBox(minX: 19, minY: 1, maxX: 30, maxY: 2)))
        #expect(data.features.map(\.id) == [1, 2])
        let points = try read("points", LayerQuery(bbox: BoundingBox(minX: 106.65, minY: 20.85, maxX: 106.69, maxY: 20.95)))
        #expect(points.features.map(\.id) == [0, 1])
    }
}
