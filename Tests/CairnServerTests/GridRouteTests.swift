@testable import CairnConfiguration
import CairnCore
import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import CairnServer

struct GridRouteTests {
    func engine() -> TileEngine {
        var map = MapConfiguration(name: "mini", stylePath: ServerFixtures.miniStyle, metatileSize: 2)
        map.grids = ["WebMercatorQuad", "VN2000HaiPhong"]
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-grids-\(UUID().uuidString)").path
        var logger = Logger(label: "cairn-test")
        logger.logLevel = .error
        return TileEngine(configuration: CairnConfiguration(cacheDirectory: cache, maps: [map]), logger: logger, renderThreads: 2)
    }

    @Test func tilesInANationalGridAndTheirTileJSON() async throws {
        let engine = engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            try await client.execute(uri: "/maps/mini/grids/VN2000HaiPhong/7/36/25.png", method: .get) { response in
                #expect(response.status == .ok)
                #expect(Array(response.body.readableBytesView.prefix(8)) == pngSignature)
            }
            try await client.execute(uri: "/maps/mini/grids/VN2000HaiPhong/14/0/0.png", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/maps/mini/grids/NoSuchGrid/1/0/0.png", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/maps/mini/grids/VN2000HaiPhong/tiles.json", method: .get) { response in
                let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(json["tilejson"] as? String == "3.0.0")
                #expect(json["crs"] as? String == "EPSG:9210")
                #expect((json["tiles"] as? [String])?.first?.hasSuffix("/maps/mini/grids/VN2000HaiPhong/{z}/{x}/{y}.png") == true)
                #expect(json["maxzoom"] as? Int == 13)
            }
        }
        try await engine.shutdown()
    }

    @Test func tmsRowsCountFromTheBottom() async throws {
        let engine = engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            let xyz = try await client.execute(uri: "/maps/mini/13/6523/3610.png", method: .get) { $0.headers[.eTag] }
            // TMS row = 2^13 - 1 - 3610 = 4581.
            try await client.execute(uri: "/tms/1.0.0/mini/13/6523/4581.png", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] == xyz)
            }
            try await client.execute(uri: "/maps/mini/tiles.json?scheme=tms", method: .get) { response in
                let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(json["scheme"] as? String == "tms")
                #expect((json["tiles"] as? [String])?.first?.hasSuffix("/tms/1.0.0/mini/{z}/{x}/{y}.png") == true)
            }
        }
        try await engine.shutdown()
    }
}
