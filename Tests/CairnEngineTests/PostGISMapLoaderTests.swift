import CairnConfiguration
import CairnCore
import CairnEngine
import CairnPostGIS
import Foundation
import Testing

/// Loading a map with `postgis://` sources needs no database: the layers are recorded with their
/// tables (names checked), the fingerprint covers database and table names, and the engine says which
/// maps draw from which tables. Nothing here connects.
@Suite
struct PostGISMapLoaderTests {
    static func style(sourceLayer: String, database: String = "city", extraSource: String = "") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let json = """
            {"version": 8, "sources": {"city": {"type": "vector", "url": "postgis://\(database)"}\(extraSource)},
             "layers": [
               {"id": "bg", "type": "background", "paint": {"background-color": "#fff"}},
               {"id": "parcels", "type": "fill", "source": "city", "source-layer": \(JSONString(sourceLayer)),
                "paint": {"fill-color": ["match", ["get", "loai_dat"], "ODT", "#f00", "#0f0"]}},
               {"id": "labels", "type": "symbol", "source": "city", "source-layer": \(JSONString(sourceLayer)),
                "layout": {"text-field": ["get", "ten"], "text-font": ["Noto Sans Regular"]}}
             ]}
            """
        let path = folder.appendingPathComponent("style.json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func JSONString(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast().description
    }

    @Test func postgisLayersAreRecordedWithTheirTablesAndTheAttributesTheStyleReads() throws {
        let map = try MapLoader.load(MapConfiguration(name: "city", stylePath: Self.style(sourceLayer: "quy_hoach.thua_dat")), databases: ["city"])
        #expect(map.layers.isEmpty)
        let layer = try #require(map.postgisLayers.values.first)
        #expect(map.postgisLayers.count == 1)
        #expect(layer.database == "city")
        #expect(layer.table == PostGISTableName(schema: "quy_hoach", table: "thua_dat"))
        #expect(layer.attributes == ["loai_dat", "ten"])
    }

    @Test func theFingerprintFollowsTheTableNotTheStyleFileAlone() throws {
        let a = try MapLoader.load(MapConfiguration(name: "m", stylePath: Self.style(sourceLayer: "parcels")), databases: ["city"])
        let b = try MapLoader.load(MapConfiguration(name: "m", stylePath: Self.style(sourceLayer: "parcels")), databases: ["city"])
        let c = try MapLoader.load(MapConfiguration(name: "m", stylePath: Self.style(sourceLayer: "parcels_2026")), databases: ["city"])
        #expect(a.fingerprint == b.fingerprint)
        #expect(a.fingerprint != c.fingerprint)
    }

    @Test func aSourceLayerThatCouldCarrySQLIsAStyleError() throws {
        let path = try Self.style(sourceLayer: #"parcels"; DROP TABLE x; --"#)
        do {
            _ = try MapLoader.load(MapConfiguration(name: "evil", stylePath: path), databases: ["city"])
            Issue.record("loaded")
        } catch let error as EngineError {
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.contains(#"layers[1] ("parcels").source-layer: expected a table or view name"#), "\(error.message)")
            #expect(error.message.contains(path))
        }
    }

    @Test func aDatabaseTheConfigurationLacksIsNamed() throws {
        do {
            _ = try MapLoader.load(MapConfiguration(name: "m", stylePath: Self.style(sourceLayer: "parcels", database: "gis")), databases: ["city"])
            Issue.record("loaded")
        } catch let error as EngineError {
            #expect(error.message.contains("postgis://gis names no database of the configuration's `databases:` (configured: city)"), "\(error.message)")
        }
    }

    @Test func theEngineListsWhichMapsDrawFromWhichTables() async throws {
        var configuration = CairnConfiguration(cacheDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("cairn-pg-\(UUID().uuidString)").path,
                                               maps: [MapConfiguration(name: "city", stylePath: try Self.style(sourceLayer: "parcels"))])
        configuration.databases = ["city": DatabaseConfiguration(name: "city", host: "127.0.0.1", port: 1, user: "cairn", database: "gis")]
        let engine = TileEngine(configuration: configuration)
        #expect(await engine.loadMaps().isEmpty)
        let uses = await engine.postgisTableUses()
        #expect(uses.map(\.map) == ["city"])
        #expect(uses.first?.table == PostGISTableName(table: "parcels"))
        #expect(uses.first?.database == "city")
        #expect(await engine.maps(drawingFrom: PostGISTableName(table: "parcels"), in: "city") == ["city"])
        #expect(await engine.maps(drawingFrom: PostGISTableName(table: "roads"), in: "city").isEmpty)
        // Not run: the database is only described, never connected to.
        #expect(engine.databaseStatuses.map(\.health) == [.starting])
        try await engine.shutdown()
    }
}
