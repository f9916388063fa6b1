import CairnCore
import CairnVectorTile
import Foundation
import Testing
import CairnTestSupport

/// Round trips with the PyPI `mapbox-vector-tile` package (pinned in scripts/install-deps, in the
/// .build/mvt-python venv): it decodes Cairn's tiles, and Cairn decodes tiles it encodes.
struct MapboxVectorTileInteropTests {
    /// Decodes a tile file (argv[1]) and prints layers as JSON with typed property values.
    static let decodeScript = """
        import json, sys
        import mapbox_vector_tile as mvt
        def typed(v):
            if isinstance(v, bool): return ["bool", v]
            if isinstance(v, int): return ["int", v]
            if isinstance(v, float): return ["double", v]
            return ["string", v]
        tile = mvt.decode(open(sys.argv[1], "rb").read(), default_options={"y_coord_down": True})
        out = {}
        for name, layer in tile.items():
            out[name] = {"extent": layer["extent"], "version": layer["version"], "features": [
                {"id": f.get("id"), "type": f["geometry"]["type"], "coordinates": f["geometry"]["coordinates"],
                 "properties": {k: typed(v) for k, v in f["properties"].items()}} for f in layer["features"]]}
        print(json.dumps(out))
        """

    /// Encodes a fixed tile with mapbox-vector-tile into argv[1].
    static let encodeScript = """
        import sys
        import mapbox_vector_tile as mvt
        layers = [
            {"name": "duong", "features": [
                {"geometry": "LINESTRING (10 10, 200 40, 400 4000)", "id": 12,
                 "properties": {"ten": "Cầu Bính", "lan": 6, "toc_do": 60.5, "mot_chieu": True}},
                {"geometry": "MULTILINESTRING ((0 0, 5 5), (100 100, 120 90, 130 140))", "properties": {"lan": -2}}]},
            {"name": "vung", "features": [
                {"geometry": "POLYGON ((0 0, 1000 0, 1000 1000, 0 1000, 0 0), (100 100, 100 300, 300 300, 300 100, 100 100))",
                 "id": 3, "properties": {"ten": "Hồ Tam Bạc"}},
                {"geometry": "MULTIPOLYGON (((2000 2000, 2500 2000, 2500 2500, 2000 2000)), ((3000 3000, 3100 3000, 3100 3100, 3000 3100, 3000 3000)))",
                 "properties": {"ma": 2}}]},
            {"name": "diem", "features": [
                {"geometry": "POINT (2048 1024)", "id": 1, "properties": {"ten": "Đồ Sơn", "cao": 12.25}},
                {"geometry": "MULTIPOINT ((1 2), (3 4))", "properties": {}}]},
        ]
        open(sys.argv[1], "wb").write(mvt.encode(layers, default_options={"y_coord_down": True}))
        """

    static func pythonDecode(_ bytes: [UInt8]) throws -> [String: Any] {
        let directory = try InteropSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("tile.mvt")
        try Data(bytes).write(to: file)
        let (status, output) = try InteropSupport.run(InteropSupport.python, ["-c", decodeScript, file.path])
        try #require(status == 0, "mapbox-vector-tile failed: \(output)")
        return try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    }

    static func property(_ typed: Any) -> PropertyValue? {
        guard let pair = typed as? [Any], pair.count == 2, let type = pair[0] as? String else { return nil }
        switch type {
        case "bool": return (pair[1] as? NSNumber).map { .bool($0.boolValue) }
        case "int": return (pair[1] as? NSNumber).map { .int($0.int64Value) }
        case "double": return (pair[1] as? NSNumber).map { .double($0.doubleValue) }
        default: return (pair[1] as? String).map { .string($0) }
        }
    }

    /// Flattens GeoJSON-style nested coordinate arrays into x, y, x, y...
    static func flatten(_ coordinates: Any) -> [Double] {
        if let number = coordinates as? NSNumber { return [number.doubleValue] }
        if let array = coordinates as? [Any] { return array.flatMap(flatten) }
        return []
    }

    static func geoJSONType(_ geometry: Geometry) -> String {
        switch geometry {
        case .points(let p): return p.count == 1 ? "Point" : "MultiPoint"
        case .lines(let l): return l.count == 1 ? "LineString" : "MultiLineString"
        case .polygons(let p): return p.count == 1 ? "Polygon" : "MultiPolygon"
        }
    }

    static func flatten(_ geometry: Geometry) -> [Double] {
        var values: [Double] = []
        geometry.forEachPoint { values += [$0.x, $0.y] }
        return values
    }

    /// Asserts the Python decoding of a tile says what Cairn's does.
    static func expectSame(_ tile: VectorTile, _ python: [String: Any]) {
        #expect(Set(python.keys) == Set(tile.layers.map(\.name)))
        for layer in tile.layers {
            guard let json = python[layer.name] as? [String: Any], let features = json["features"] as? [[String: Any]] else {
                Issue.record("layer \(layer.name) missing in the Python decoding")
                continue
            }
            #expect((json["extent"] as? NSNumber)?.intValue == layer.extent)
            #expect((json["version"] as? NSNumber)?.intValue == layer.version)
            #expect(features.count == layer.features.count, "layer \(layer.name)")
            for (feature, f) in zip(layer.features, features) {
                // mapbox-vector-tile reports a missing id as 0.
                #expect((f["id"] as? NSNumber)?.uint64Value ?? 0 == feature.id ?? 0)
                let properties = (f["properties"] as? [String: Any] ?? [:]).compactMapValues(property)
                #expect(properties == feature.properties)
                #expect(f["type"] as? String == geoJSONType(feature.geometry))
                let theirs = flatten(f["coordinates"] as Any), ours = flatten(feature.geometry)
                #expect(theirs.count == ours.count, "\(layer.name): \(theirs) vs \(ours)")
                #expect(zip(theirs, ours).allSatisfy { abs($0 - $1) <= 1 }, "\(layer.name): \(theirs) vs \(ours)")
            }
        }
    }

    @Test(.interop)
    func mapboxVectorTileDecodesCairnTiles() throws {
        let encoder = InteropSupport.haiPhongEncoder()
        Self.expectSame(encoder.tile, try Self.pythonDecode(encoder.encode()))
    }

    @Test(.interop)
    func cairnDecodesMapboxVectorTileTiles() throws {
        let directory = try InteropSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("python.mvt")
        let (status, output) = try InteropSupport.run(InteropSupport.python, ["-c", Self.encodeScript, file.path])
        try #require(status == 0, "mapbox-vector-tile failed: \(output)")
        let bytes = [UInt8](try Data(contentsOf: file))
        let tile = try VectorTileDecoder.decode(bytes)
        #expect(tile.layers.map(\.name) == ["duong", "vung", "diem"])
        Self.expectSame(tile, try Self.pythonDecode(bytes))
        let road = try #require(tile.layer(named: "duong")?.features.first)
        #expect(road.properties == ["ten": .string("Cầu Bính"), "lan": .int(6), "toc_do": .double(60.5), "mot_chieu": .bool(true)])
        #expect(road.geometry == .lines([[Point(10, 10), Point(200, 40), Point(400, 4000)]]))
        guard case .polygons(let lake) = tile.layer(named: "vung")?.features.first?.geometry else {
            Issue.record("no polygon")
            return
        }
        #expect(lake.count == 1 && lake[0].count == 2)
    }
}
