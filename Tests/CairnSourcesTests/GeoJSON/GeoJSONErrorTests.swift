import CairnCore
import CairnSources
import Testing

@Suite struct GeoJSONErrorTests {
    private func error(reading text: String) throws -> SourceError? {
        let path = try GeoJSONFixtures.temporaryFile(text)
        do {
            _ = try GeoJSONReader(path: path).read(LayerQuery())
            return nil
        } catch let error as SourceError {
            #expect(error.path == path)
            return error
        }
    }

    @Test func malformedCoordinatesNameTheJSONPath() throws {
        let path = GeoJSONFixtures.path("malformed_coordinates.geojson")
        let error = try #require(throws: SourceError.self) { try GeoJSONReader(path: path).read(LayerQuery()) }
        #expect(error.code == .malformed)
        #expect(error.path == path)
        #expect(error.message.hasPrefix("features[1].geometry.coordinates: expected an array of positions"), "\(error.message)")
    }

    @Test func badPositionInsideAPolygonNamesTheRing() throws {
        let error = try #require(try error(reading: """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":
            {"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[0,0],["a",0]]]]}}]}
            """))
        #expect(error.message.hasPrefix("features[0].geometry.coordinates[1][0]: expected an array of positions, but element 1"),
                "\(error.message)")
    }

    @Test func invalidJSON() throws {
        let error = try #require(try error(reading: #"{"type": "FeatureCollection", "features": [ }"#))
        #expect(error.code == .malformed)
        #expect(error.message.hasPrefix("not valid JSON"))
    }

    @Test func wrongMemberTypes() throws {
        let features = try #require(try error(reading: #"{"type":"FeatureCollection","features":{}}"#))
        #expect(features.message == "features: expected an array, found an object")
        let properties = try #require(try error(reading:
            #"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":[]}]}"#))
        #expect(properties.message.hasPrefix("features[0].properties: expected an object or null"))
        let point = try #require(try error(reading: #"{"type":"Point","coordinates":[1]}"#))
        #expect(point.message.hasPrefix("coordinates: expected a position"))
        let root = try #require(try error(reading: "[1, 2]"))
        #expect(root.message.hasPrefix("(root): expected a GeoJSON object"))
    }

    @Test func unknownGeometryType() throws {
        let error = try #require(try error(reading:
            #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Circle","coordinates":[0,0]}}]}"#))
        #expect(error.code == .unsupportedGeometry)
        #expect(error.message == #"features[0].geometry.type: unknown geometry type "Circle""#)
    }

    @Test func missingFileAndUnknownLayer() throws {
        let missing = try #require(throws: SourceError.self) { try GeoJSONReader(path: "/nonexistent/x.geojson") }
        #expect(missing.code == .notFound)
        let reader = try GeoJSONReader(path: GeoJSONFixtures.path("old_crs.geojson"))
        let unknown = try #require(throws: SourceError.self) { try reader.read(LayerQuery(layer: "roads")) }
        #expect(unknown.code == .unknownLayer)
    }
}
