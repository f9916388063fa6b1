import CairnCore
import CairnSources
import Testing

@Suite struct GeoJSONPropertyTests {
    let layer: LayerData

    init() throws {
        layer = try GeoJSONReader(path: GeoJSONFixtures.path("all_types.geojson")).read(LayerQuery())
    }

    @Test func scalarTypes() {
        let properties = layer.features[0].properties
        #expect(properties["name"] == .string("Hải Phòng"))
        #expect(properties["n"] == .int(3))
        #expect(properties["x"] == .double(2.5))
        #expect(properties["whole"] == .double(4), "4.0 is written with a fraction, so it stays a double")
        #expect(properties["big"] == .int(12_345_678_901_234))
        #expect(properties["ok"] == .bool(true))
        #expect(properties["no"] == .bool(false))
        #expect(properties["nothing"] == .null)
    }

    @Test func nestedValuesBecomeJSONText() {
        let properties = layer.features[0].properties
        #expect(properties["nested"] == .string(#"{"a":"x/y","b":[1,2]}"#))
        #expect(properties["list"] == .string(#"[1,"two"]"#))
    }

    @Test func ids() {
        #expect(layer.features[0].id == 1)
        #expect(layer.features[0].properties["$id"] == nil)
        #expect(layer.features[1].id == nil)
        #expect(layer.features[1].properties["$id"] == .string("poi-2"))
        #expect(layer.features[2].id == nil)
        #expect(layer.features[2].properties == ["$id": .double(3.5)])
    }

    @Test func attributeFilterKeepsOnlyNamedKeys() throws {
        let reader = try GeoJSONReader(path: GeoJSONFixtures.path("all_types.geojson"))
        let data = try reader.read(LayerQuery(attributes: ["name", "missing"]))
        #expect(data.features.count == 8)
        #expect(data.features[0].properties == ["name": .string("Hải Phòng")])
        #expect(data.features[1].properties == ["name": .string("Thủy Nguyên")], "$id was not asked for")
        #expect(data.features[4].properties.isEmpty)
    }

    @Test func bboxFilterSkipsFeaturesOutside() throws {
        let reader = try GeoJSONReader(path: GeoJSONFixtures.path("all_types.geojson"))
        let data = try reader.read(LayerQuery(bbox: BoundingBox(minX: 19, minY: 1, maxX: 60, maxY: 60)))
        // MultiPolygon (reaches x 20...25) and both parts of the collection (40...51).
        #expect(data.features.map { $0.properties["kind"] } == [.string("multi"), .string("collection"), .string("collection")])
    }
}
