@testable import CairnConfiguration
import CairnCore
import CairnEngine
import CairnVectorTile
import CairnZlib
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CairnServer

/// The Hải Phòng demo (GeoPackage, Shapefile and GeoJSON sources, 40-odd layers) as vector tiles.
struct VectorDemoMapTests {
    static let root = ServerFixtures.testsFolder.deletingLastPathComponent().path

    static func engine() -> TileEngine {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-mvt-demo-\(UUID().uuidString)").path
        let configuration = CairnConfiguration(cacheDirectory: cache, maps: [MapConfiguration(name: "hai-phong", stylePath: root + "/styles/hai-phong.json")])
        return TileEngine(configuration: configuration, renderThreads: 2)
    }

    @Test func everyClientLayerFindsItsSourceLayerAndTilesCarryOnlyStyledAttributes() async throws {
        let engine = Self.engine()
        try await buildApplication(engine: engine, host: "127.0.0.1", port: 0).test(.router) { client in
            let tileJSON = try await client.execute(uri: "/maps/hai-phong/vector.json", method: .get) {
                try #require(try JSONSerialization.jsonObject(with: Data($0.body.readableBytesView)) as? [String: Any])
            }
            let vectorLayers = try #require(tileJSON["vector_layers"] as? [[String: Any]])
            var fields: [String: Set<String>] = [:]
            for layer in vectorLayers {
                fields[try #require(layer["id"] as? String)] = Set((layer["fields"] as? [String: String] ?? [:]).keys)
            }
            // A GeoPackage table, a Shapefile and a GeoJSON file; two sources have a layer "hp_districts".
            #expect(fields["syn_roads"] == ["highway", "cau", "ten"])
            #expect(fields["syn_land_use_vn2000_tm3"] == ["MaLoaiDat", "ma_loai_dat"])
            #expect(fields["hp.hp_districts"] != nil && fields["districts.hp_districts"] != nil)
            #expect(vectorLayers.first { $0["id"] as? String == "syn_buildings" }?["minzoom"] as? Int == 13)

            let style = try await client.execute(uri: "/maps/hai-phong/style.json", method: .get) {
                try #require(try JSONSerialization.jsonObject(with: Data($0.body.readableBytesView)) as? [String: Any])
            }
            let layers = try #require(style["layers"] as? [[String: Any]])
            #expect(layers.count > 20)
            #expect(layers.contains { $0["type"] as? String == "symbol" }, "Cairn's glyphs: the text layers are kept")
            #expect((style["glyphs"] as? String)?.hasSuffix("/fonts/{fontstack}/{range}.pbf") == true)
            for layer in layers where layer["type"] as? String != "background" {
                let sourceLayer = try #require(layer["source-layer"] as? String)
                #expect(fields[sourceLayer] != nil, "\(layer["id"] ?? "?"): \(sourceLayer) is not a vector layer")
            }

            // Central Hải Phòng at z14: roads, buildings, land use; each feature with only the style's attributes.
            let body = try await client.execute(uri: "/maps/hai-phong/14/13047/7221.pbf", method: .get, headers: [.acceptEncoding: "gzip"]) { response in
                #expect(response.status == .ok)
                return Array(response.body.readableBytesView)
            }
            let tile = try VectorTileDecoder.decode(try Zlib.decompress(body))
            for name in ["syn_roads", "syn_buildings", "syn_land_use_vn2000_tm3"] {
                let layer = try #require(tile.layer(named: name), "\(name) missing from \(tile.layers.map(\.name))")
                #expect(!layer.features.isEmpty)
                for feature in layer.features {
                    #expect(Set(feature.properties.keys).isSubset(of: fields[name] ?? []), "\(name): \(feature.properties.keys.sorted())")
                }
            }
            // At z8 only the layers drawn there: no buildings (minzoom 13), and only the roads a z8 style layer draws.
            let low = try await client.execute(uri: "/maps/hai-phong/8/203/112.pbf", method: .get, headers: [.acceptEncoding: "gzip"]) {
                Array($0.body.readableBytesView)
            }
            let lowTile = try VectorTileDecoder.decode(try Zlib.decompress(low))
            #expect(lowTile.layer(named: "syn_buildings") == nil)
            let kinds = Set(lowTile.layer(named: "syn_roads")?.features.compactMap { $0.properties["highway"]?.stringValue } ?? [])
            #expect(!kinds.contains("service") && !kinds.contains("residential"), "\(kinds)")
        }
        try await engine.shutdown()
    }
}
