@testable import CairnConfiguration
import CairnCore
import Foundation
import Testing
@testable import CairnEngine

/// OGC TMS 2.0 JSON read into grids and written back.
struct TileMatrixSetDocumentTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    func fixture(_ name: String) throws -> TileGrid {
        let url = Self.fixtures.appendingPathComponent(name)
        return try TileMatrixSetDocument.parse(try Data(contentsOf: url), path: "grids/" + name)
    }

    func expectEquivalent(_ parsed: TileGrid, _ expected: TileGrid) {
        #expect(parsed.identifier == expected.identifier)
        #expect(parsed.title == expected.title)
        #expect(parsed.uri == expected.uri)
        #expect(parsed.crs == expected.crs)
        #expect(parsed.isGeographic == expected.isGeographic)
        #expect(parsed.tileSize == expected.tileSize)
        #expect(parsed.resolutions.count == expected.resolutions.count)
        for (a, b) in zip(parsed.resolutions, expected.resolutions) {
            #expect(abs(a - b) / b < 1e-9, "resolution \(a) vs \(b)")
        }
        let tolerance = max(expected.extent.width, expected.extent.height) * 1e-12
        #expect(abs(parsed.origin.x - expected.origin.x) <= tolerance && abs(parsed.origin.y - expected.origin.y) <= tolerance)
        for (a, b) in [(parsed.extent.minX, expected.extent.minX), (parsed.extent.minY, expected.extent.minY),
                       (parsed.extent.maxX, expected.extent.maxX), (parsed.extent.maxY, expected.extent.maxY)] {
            #expect(abs(a - b) <= tolerance, "extent \(parsed.extent) vs \(expected.extent)")
        }
        for z in expected.resolutions.indices {
            #expect(parsed.matrixSize(at: z) == expected.matrixSize(at: z))
            #expect(abs(parsed.scaleDenominator(at: z) - expected.scaleDenominator(at: z)) / expected.scaleDenominator(at: z) < 1e-9)
        }
    }

    @Test func officialWebMercatorQuadIsTheBuiltInGrid() throws {
        let grid = try fixture("WebMercatorQuad.json")
        expectEquivalent(grid, .webMercator)
        #expect(abs(grid.scaleDenominator(at: 0) - 559_082_264.028_717_8) / 559_082_264.028_717_8 < 1e-9)
    }

    @Test func officialWorldCRS84QuadIsTheBuiltInGrid() throws {
        let grid = try fixture("WorldCRS84Quad.json")
        expectEquivalent(grid, .worldCRS84Quad)
        #expect(grid.matrixSize(at: 0) == (columns: 2, rows: 1))
        #expect(abs(grid.scaleDenominator(at: 0) - 279_541_132.014_358_9) / 279_541_132.014_358_9 < 1e-9)
    }

    @Test(arguments: TileGrid.builtIn)
    func builtInGridsRoundTrip(_ grid: TileGrid) throws {
        let links = [["rel": "self", "href": "http://example.test/ogcapi/tileMatrixSets/\(grid.identifier)", "type": "application/json"]]
        let data = TileMatrixSetDocument.encodedData(grid, links: links.map { JSONValue(sorting: $0.mapValues(JSONValue.string)) })
        let parsed = try TileMatrixSetDocument.parse(data, path: "round-trip.json")
        #expect(parsed == grid)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((object["links"] as? [[String: String]]) == links)
    }

    @Test func encodedDocumentHasTheTMS2Members() throws {
        let document = TileMatrixSetDocument.encode(.vn2000HaiPhong)
        #expect(document["id"] == "VN2000HaiPhong")
        #expect(document["crs"] == "http://www.opengis.net/def/crs/EPSG/0/9210")
        #expect(document["orderedAxes"] == ["E", "N"])
        let matrices = try #require(document["tileMatrices"]?.arrayValue)
        #expect(matrices.count == 14)
        let first = matrices[0]
        #expect(first["id"] == "0")
        #expect(first["cellSize"] == 640)
        #expect(first["cornerOfOrigin"] == "topLeft")
        #expect(first["pointOfOrigin"] == [550_000, 2_340_000])
        #expect(first["matrixWidth"] == 1)
        #expect(first["tileWidth"] == 256)
        #expect(abs((first["scaleDenominator"]?.numberValue ?? 0) - 640 / 0.000_28) < 1e-6)
        #expect(TileMatrixSetDocument.encode(.worldCRS84Quad)["crs"] == "http://www.opengis.net/def/crs/OGC/1.3/CRS84")
    }

    /// EPSG:4326 coordinates are latitude first; the grid keeps longitude as x.
    @Test func epsg4326PointOfOriginIsLatitudeFirst() throws {
        let json = """
        {"id": "WGS1984Quad", "crs": "EPSG:4326", "tileMatrices": [
          {"id": "0", "scaleDenominator": 279541132.0143589, "cellSize": 0.703125, "pointOfOrigin": [90, -180],
           "tileWidth": 256, "tileHeight": 256, "matrixWidth": 2, "matrixHeight": 1}]}
        """
        let grid = try TileMatrixSetDocument.parse(Data(json.utf8), path: "grids/wgs.json")
        #expect(grid.origin == Point(-180, 90))
        #expect(grid.extent == BoundingBox(minX: -180, minY: -90, maxX: 180, maxY: 90))
        #expect(grid.isGeographic)
        #expect(grid.crs == .epsg(4326))
    }

    @Test func crsForms() throws {
        func crs(_ value: String) throws -> CRSDefinition {
            let json = """
            {"id": "g", "crs": \(value), "tileMatrices": [{"id": "0", "scaleDenominator": 1000, "cellSize": 1,
             "pointOfOrigin": [0, 256], "tileWidth": 256, "tileHeight": 256, "matrixWidth": 1, "matrixHeight": 1}]}
            """
            return try TileMatrixSetDocument.parse(Data(json.utf8), path: "g.json").crs
        }
        #expect(try crs("\"http://www.opengis.net/def/crs/EPSG/0/9210\"") == .epsg(9210))
        #expect(try crs("\"EPSG:9210\"") == .epsg(9210))
        #expect(try crs("\"urn:ogc:def:crs:EPSG::3405\"") == .epsg(3405))
        #expect(try crs("{\"uri\": \"[EPSG:3857]\"}") == .epsg(3857))
        #expect(try crs("\"http://www.opengis.net/def/crs/OGC/1.3/CRS84\"") == .wgs84)
        #expect(try crs("{\"wkt\": \"PROJCRS[\\\"x\\\"]\"}") == .text("PROJCRS[\"x\"]"))
    }

    /// A valid document with one member replaced.
    func document(replacing jsonPath: [String], with value: Any?) throws -> Data {
        let data = TileMatrixSetDocument.encodedData(.vn2000HaiPhong)
        var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        if jsonPath.count == 1 {
            root[jsonPath[0]] = value
        } else {
            var matrices = try #require(root["tileMatrices"] as? [[String: Any]])
            let index = try #require(Int(jsonPath[0]))
            matrices[index][jsonPath[1]] = value
            root["tileMatrices"] = matrices
        }
        return try JSONSerialization.data(withJSONObject: root)
    }

    @Test(arguments: [
        (["3", "cellSize"], "-5" as String?, "grids/x.json: tileMatrices[3].cellSize: expected a positive number"),
        (["3", "cellSize"], "\"big\"", "grids/x.json: tileMatrices[3].cellSize: expected a positive number"),
        (["3", "cellSize"], "true", "grids/x.json: tileMatrices[3].cellSize: expected a positive number"),
        (["2", "cornerOfOrigin"], "\"bottomLeft\"", "grids/x.json: tileMatrices[2].cornerOfOrigin: only \"topLeft\" is supported, found \"bottomLeft\""),
        (["1", "tileWidth"], "1.5", "grids/x.json: tileMatrices[1].tileWidth: expected a positive integer"),
        (["1", "tileHeight"], "512", "grids/x.json: tileMatrices[1].tileHeight: expected square tiles (256), found 512"),
        (["4", "pointOfOrigin"], "[1]", "grids/x.json: tileMatrices[4].pointOfOrigin: expected an array of two numbers"),
        (["4", "pointOfOrigin"], "[0, 0]", "grids/x.json: tileMatrices[4].pointOfOrigin: expected the same point of origin on every level"),
        (["5", "matrixWidth"], "7", "grids/x.json: tileMatrices[5].matrixWidth: expected 32 to match the grid's extent, found 7"),
        (["5", "id"], "\"five\"", "grids/x.json: tileMatrices[5].id: expected \"5\": tile matrices must be numbered from \"0\" in order, found \"five\""),
        (["6", "cellSize"], "1000", "grids/x.json: tileMatrices[6].cellSize: expected a cell size smaller than tileMatrices[5]'s 20.0"),
        (["crs"], "\"http://example.com/crs/1\"", "grids/x.json: crs: expected an EPSG or OGC CRS84 URI, \"EPSG:n\", {\"uri\": ...} or {\"wkt\": ...}"),
        (["crs"], nil, "grids/x.json: crs: expected an EPSG or OGC CRS84 URI, \"EPSG:n\", {\"uri\": ...} or {\"wkt\": ...}"),
        (["id"], "\"../etc\"", "grids/x.json: id: expected 1 to 64 letters, digits, '.', '_' or '-'"),
        (["tileMatrices"], "[]", "grids/x.json: tileMatrices: expected a non-empty array of tile matrices"),
        (["orderedAxes"], "[\"h\", \"v\"]", "grids/x.json: orderedAxes: expected an easting/longitude and a northing/latitude axis, found \"h\", \"v\""),
    ])
    func errorsNameTheFileAndJSONPath(path: [String], json: String?, message: String) throws {
        let value = try json.map { try JSONSerialization.jsonObject(with: Data($0.utf8), options: [.fragmentsAllowed]) }
        let data = try document(replacing: path, with: value)
        let error = try #require(throws: TileMatrixSetError.self) { try TileMatrixSetDocument.parse(data, path: "grids/x.json") }
        #expect(error.description == message)
    }

    @Test func notJSONIsMalformed() throws {
        let error = try #require(throws: TileMatrixSetError.self) { try TileMatrixSetDocument.parse(Data("{nope".utf8), path: "grids/bad.json") }
        #expect(error.code == .malformed)
        #expect(error.description == "grids/bad.json: expected a JSON document: expected a string key, got 'n' at line 1, column 2 (byte 1)")
        let array = try #require(throws: TileMatrixSetError.self) { try TileMatrixSetDocument.parse(Data("[1]".utf8), path: "grids/a.json") }
        #expect(array.description == "grids/a.json: expected a JSON object")
    }

    @Test func missingIdentifierComesFromTheFileName() throws {
        let data = try document(replacing: ["id"], with: nil)
        #expect(try TileMatrixSetDocument.parse(data, path: "/etc/cairn/grids/HaiPhong3.json").identifier == "HaiPhong3")
    }
}
