import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CairnServer

/// Issue 11, smaller items: every tile response is `nosniff`; documents whose URLs are built
/// from `Host` vary on it, tiles (which do not depend on it) do not.
struct ResponseHeadersTests {
    static let nosniffHeader = HTTPField.Name("X-Content-Type-Options")!

    static let tiles = [
        "/maps/mini/13/6523/3610.png",
        "/maps/mini/13/6523/3610.pbf",
        "/tms/1.0.0/mini/13/6523/4581.png",
        "/wmts/mini/default/WebMercatorQuad/13/3610/6523.png",
        "/ogcapi/collections/mini/map/tiles/WebMercatorQuad/13/3610/6523",
    ]
    static let documents = [
        "/maps/mini/tiles.json",
        "/maps/mini/vector.json",
        "/maps/mini/style.json",
        "/maps/mini/grids/WebMercatorQuad/tiles.json",
        "/wmts/1.0.0/WMTSCapabilities.xml",
    ]

    @Test func tilesAreNosniffAndDoNotVaryOnHost() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            for uri in Self.tiles {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                    #expect(response.headers[Self.nosniffHeader] == "nosniff", "\(uri)")
                    #expect(!response.headers[values: .vary].joined(separator: ",").lowercased().contains("host"), "\(uri)")
                }
            }
            // Refusals and errors too.
            try await client.execute(uri: "/maps/mini/99/0/0.png", method: .get) { response in
                #expect(response.headers[Self.nosniffHeader] == "nosniff")
            }
        }
        try await engine.shutdown()
    }

    @Test func documentsBuiltFromHostVaryOnHost() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            for uri in Self.documents {
                try await client.execute(uri: uri, method: .get, headers: [HTTPField.Name("Host")!: "tiles.example:8080"]) { response in
                    #expect(response.status == .ok, "\(uri)")
                    let vary = response.headers[values: .vary].joined(separator: ",").lowercased()
                    #expect(vary.contains("host"), "\(uri): Vary \(vary)")
                    #expect(response.headers[Self.nosniffHeader] == "nosniff", "\(uri)")
                }
            }
        }
        try await engine.shutdown()
    }

    @Test func varyIsMergedNotDuplicated() {
        var fields: HTTPFields = [.contentType: "application/json", .vary: "Origin"]
        ResponseHeadersMiddleware<CairnRequestContext>.decorate(&fields)
        #expect(fields[values: .vary] == ["Origin, Host"])
        ResponseHeadersMiddleware<CairnRequestContext>.decorate(&fields)
        #expect(fields[values: .vary] == ["Origin, Host"])
        var tile: HTTPFields = [.contentType: "image/png", Self.nosniffHeader: "nosniff"]
        ResponseHeadersMiddleware<CairnRequestContext>.decorate(&tile)
        #expect(tile[values: .vary].isEmpty)
        #expect(tile[values: Self.nosniffHeader] == ["nosniff"])
    }
}
