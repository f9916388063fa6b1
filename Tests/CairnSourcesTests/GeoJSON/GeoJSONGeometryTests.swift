import CairnCore
import CairnSources
import Testing

@Suite struct GeoJSONGeometryTests {
    let layer: LayerData

    init() throws {
        layer = try GeoJSONReader(path: GeoJSONFixtures.path("all_types.geojson")).read(LayerQuery())
    }

    @Test func layerIsNamedAfterTheFile() throws {
        #expect(layer.name == "all_types")
        #expect(try GeoJSONReader(path: GeoJSONFixtures.path("all_types.geojson")).layerNames() == ["all_types"])
    }

    @Test func everyGeometryTypeIsRead() {
        // 8 features: the null geometry is skipped, the GeometryCollection splits into points + polygons.
        #expect(layer.features.count == 8)
        #expect(layer.features[0].geometry == .points([Point(106.68, 20.86)]))
        #expect(layer.features[1].geometry == .points([Point(0, 0), Point(1, 1)]))
        #expect(layer.features[2].geometry == .lines([[Point(0, 0), Point(1, 1), Point(2, 0)]]))
        #expect(layer.features[3].geometry == .lines([[Point(0, 0), Point(1, 1)], [Point(2, 2), Point(3, 3)]]))
    }

    @Test func polygonKeepsItsHole() throws {
        guard case .polygons(let polygons) = layer.features[4].geometry else { Issue.record("not a polygon"); return }
        #expect(polygons.count == 1)
        #expect(polygons[0].count == 2)
        #expect(polygons[0][1].first == Point(2, 2))
    }

    @Test func multiPolygonHasTwoPolygons() throws {
        guard case .polygons(let polygons) = layer.features[5].geometry else { Issue.record("not a polygon"); return }
        #expect(polygons.map(\.count) == [2, 1])
        #expect(layer.features[5].geometry.boundingBox == BoundingBox(minX: 0, minY: 0, maxX: 25, maxY: 10))
    }

    @Test func geometryCollectionIsSplitByKind() {
        let parts = layer.features.filter { $0.properties["kind"] == .string("collection") }
        #expect(parts.count == 2)
        #expect(parts.allSatisfy { $0.id == 7 })
        #expect(parts[0].geometry == .points([Point(50, 50), Point(51, 51)]))
        #expect(parts[1].geometry.kind == .polygon)
    }

    @Test func singleFeatureRoot() throws {
        let data = try GeoJSONReader(path: GeoJSONFixtures.path("single_feature.geojson")).read(LayerQuery())
        #expect(data.features.count == 1)
        #expect(data.features[0].id == 42)
        #expect(data.features[0].properties["ten"] == .string("Cát Bà"))
        #expect(data.crs == .wgs84)
    }

    @Test func bareGeometryRoot() throws {
        let data = try GeoJSONReader(path: GeoJSONFixtures.path("bare_geometry.geojson")).read(LayerQuery())
        #expect(data.features.count == 1)
        #expect(data.features[0].geometry == .lines([[Point(106.6, 20.8), Point(106.7, 20.9)]]))
        #expect(data.features[0].properties.isEmpty)
    }
}
