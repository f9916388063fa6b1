@testable import CairnConfiguration
import CairnCore
import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CairnServer

/// OGC API - Tiles under /ogcapi, in process.
struct OGCAPITests {
    /// The router test client sends the authority "localhost" (the Host guard is MapController's, tested live).
    static let base = "http://localhost/ogcapi"
    static let host: HTTPFields = [:]

    func json(_ uri: String, _ client: some TestClientProtocol) async throws -> [String: Any] {
        try await client.execute(uri: uri, method: .get, headers: Self.host) { response in
            #expect(response.status == .ok, "\(uri)")
            #expect(response.headers[.contentType] == "application/json; charset=utf-8", "\(uri)")
            return try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
        }
    }

    func links(_ document: [String: Any]) -> [[String: Any]] { (document["links"] as? [[String: Any]]) ?? [] }

    func href(_ document: [String: Any], rel: String, type: String? = nil) -> String? {
        links(document).first { $0["rel"] as? String == rel && (type == nil || $0["type"] as? String == type) }?["href"] as? String
    }

    @Test func landingPageAndConformance() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            let landing = try await json("/ogcapi", client)
            #expect(href(landing, rel: "self") == Self.base + "?f=json")
            #expect(href(landing, rel: "alternate") == Self.base + "?f=html")
            #expect(href(landing, rel: "conformance") == Self.base + "/conformance")
            #expect(href(landing, rel: "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes") == Self.base + "/tileMatrixSets")
            #expect(href(landing, rel: "http://www.opengis.net/def/rel/ogc/1.0/data") == Self.base + "/collections")
            let conformance = try await json("/ogcapi/conformance?f=json", client)
            let classes = try #require(conformance["conformsTo"] as? [String])
            for required in ["http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core", "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
                             "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list", "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/png",
                             "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core", "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset"] {
                #expect(classes.contains(required))
            }
        }
        try await engine.shutdown()
    }

    @Test func tileMatrixSets() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            let list = try await json("/ogcapi/tileMatrixSets", client)
            let sets = try #require(list["tileMatrixSets"] as? [[String: Any]])
            #expect(sets.compactMap { $0["id"] as? String } == TileGrid.builtIn.map(\.identifier))
            let first = sets[0]
            #expect(first["uri"] as? String == "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad")
            #expect(href(first, rel: "self") == Self.base + "/tileMatrixSets/WebMercatorQuad")

            let data = try await client.execute(uri: "/ogcapi/tileMatrixSets/VN2000HaiPhong", method: .get, headers: Self.host) { Data(buffer: $0.body) }
            #expect(try TileMatrixSetDocument.parse(data, path: "served") == .vn2000HaiPhong)
            let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(href(document, rel: "self") == Self.base + "/tileMatrixSets/VN2000HaiPhong?f=json")
            #expect(document["crs"] as? String == "http://www.opengis.net/def/crs/EPSG/0/9210")
        }
        try await engine.shutdown()
    }

    @Test func collectionsAndTilesets() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            let collections = try await json("/ogcapi/collections", client)
            let list = try #require(collections["collections"] as? [[String: Any]])
            #expect(list.count == 1)
            let collection = try await json("/ogcapi/collections/mini", client)
            #expect(collection["id"] as? String == "mini")
            #expect(collection["title"] as? String == "Mini <Hải Phòng>")
            let extent = try #require(collection["extent"] as? [String: Any])
            let spatial = try #require(extent["spatial"] as? [String: Any])
            let bbox = try #require((spatial["bbox"] as? [[Double]])?.first)
            #expect(bbox.count == 4 && bbox[0] < bbox[2] && bbox[1] < bbox[3] && bbox[0] > 100 && bbox[2] < 110)
            #expect(spatial["crs"] as? String == "http://www.opengis.net/def/crs/OGC/1.3/CRS84")
            let tilesetsURL = try #require(href(collection, rel: "http://www.opengis.net/def/rel/ogc/1.0/tilesets-map"))
            #expect(tilesetsURL == Self.base + "/collections/mini/map/tiles")

            let tilesets = try await json("/ogcapi/collections/mini/map/tiles", client)
            let sets = try #require(tilesets["tilesets"] as? [[String: Any]])
            #expect(sets.count == 1)
            #expect(sets[0]["dataType"] as? String == "map")
            #expect(sets[0]["tileMatrixSetURI"] as? String == TileGrid.webMercator.uri)
            #expect(sets[0]["crs"] as? String == "http://www.opengis.net/def/crs/EPSG/0/3857")
            #expect(href(sets[0], rel: "self") == Self.base + "/collections/mini/map/tiles/WebMercatorQuad")
            #expect(href(sets[0], rel: "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme") == Self.base + "/tileMatrixSets/WebMercatorQuad")

            let tileset = try await json("/ogcapi/collections/mini/map/tiles/WebMercatorQuad", client)
            #expect(tileset["dataType"] as? String == "map")
            #expect(tileset["tileMatrixSetURI"] as? String == TileGrid.webMercator.uri)
            let limits = try #require(tileset["tileMatrixSetLimits"] as? [[String: Any]])
            #expect(limits.count == 21)
            #expect(limits[3]["tileMatrix"] as? String == "3")
            #expect(limits[3]["maxTileRow"] as? Int == 7 && limits[3]["maxTileCol"] as? Int == 7 && limits[3]["minTileRow"] as? Int == 0)
            let item = try #require(links(tileset).first { $0["rel"] as? String == "item" })
            #expect(item["href"] as? String == Self.base + "/collections/mini/map/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}")
            #expect(item["type"] as? String == "image/png")
            #expect(item["templated"] as? Bool == true)
        }
        try await engine.shutdown()
    }

    @Test func tileEqualsTheXYZTile() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            let xyz = try await client.execute(uri: "/maps/mini/13/6523/3610.png", method: .get) { Array($0.body.readableBytesView) }
            let (ogc, etag) = try await client.execute(uri: "/ogcapi/collections/mini/map/tiles/WebMercatorQuad/13/3610/6523", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/png")
                #expect(response.headers[.cacheControl] == "public, max-age=600")
                #expect(response.headers[.accessControlAllowOrigin] == "*")
                return (Array(response.body.readableBytesView), response.headers[.eTag])
            }
            #expect(Array(ogc.prefix(8)) == pngSignature)
            #expect(ogc == xyz)
            let unwrapped = try #require(etag)
            try await client.execute(uri: "/ogcapi/collections/mini/map/tiles/WebMercatorQuad/13/3610/6523", method: .get,
                                     headers: [.ifNoneMatch: unwrapped]) { response in
                #expect(response.status == .notModified)
            }
        }
        try await engine.shutdown()
    }

    @Test(arguments: [
        ("/ogcapi/collections/mini/map/tiles/WebMercatorQuad/013/0/0", HTTPResponse.Status.badRequest),
        ("/ogcapi/collections/mini/map/tiles/WebMercatorQuad/3/-1/0", .badRequest),
        ("/ogcapi/collections/mini/map/tiles/WebMercatorQuad/3/0/1e3", .badRequest),
        ("/ogcapi/collections/mini/map/tiles/WebMercatorQuad/100/0/0", .badRequest),
        ("/ogcapi/collections/mini/map/tiles/WebMercatorQuad/3/0/0.png", .badRequest),
        ("/ogcapi/collections/mini/map/tiles/WebMercatorQuad/3/8/0", .notFound),
        ("/ogcapi/collections/mini/map/tiles/WebMercatorQuad/3/0/8", .notFound),
        ("/ogcapi/collections/mini/map/tiles/WebMercatorQuad/25/0/0", .notFound),
        ("/ogcapi/collections/mini/map/tiles/VN2000HaiPhong/0/0/0", .notFound),
        ("/ogcapi/collections/mini/map/tiles/Nope/0/0/0", .notFound),
        ("/ogcapi/collections/nope/map/tiles/WebMercatorQuad/0/0/0", .notFound),
        ("/ogcapi/collections/nope", .notFound),
        ("/ogcapi/collections/nope/map/tiles", .notFound),
        ("/ogcapi/collections/mini/map/tiles/Nope", .notFound),
        ("/ogcapi/tileMatrixSets/Nope", .notFound),
        ("/ogcapi/collections?f=xml", .badRequest),
    ])
    func badRequests(uri: String, status: HTTPResponse.Status) async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == status, "\(uri)")
                #expect(response.headers[.cacheControl] == "no-store")
            }
        }
        try await engine.shutdown()
    }

    @Test(arguments: ["/ogcapi/collections?f=html", "/ogcapi/collections/mini?f=html", "/ogcapi/collections/mini/map/tiles?f=html",
                      "/ogcapi/collections/mini/map/tiles/WebMercatorQuad?f=html"])
    func htmlEscapesTheMapTitle(uri: String) async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let page = String(buffer: response.body)
                #expect(page.contains("Mini &lt;Hải Phòng&gt;"))
                #expect(!page.contains("<Hải"))
                #expect(page.contains("<a href=\"http://localhost/ogcapi/collections/mini"))
            }
        }
        try await engine.shutdown()
    }

    @Test func browsersGetHTML() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            let accept: HTTPFields = [.accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"]
            try await client.execute(uri: "/ogcapi", method: .get, headers: accept) { response in
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(String(buffer: response.body).contains("href=\"http://localhost/ogcapi/tileMatrixSets\""))
            }
            try await client.execute(uri: "/ogcapi", method: .get, headers: [.accept: "*/*"]) { response in
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            }
            try await client.execute(uri: "/ogcapi?f=json", method: .get, headers: accept) { response in
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            }
        }
        try await engine.shutdown()
    }

    @Test func acceptQualities() {
        #expect(OGCResponseFormat.quality(of: "text/html", in: "application/json;q=0.5, text/*") == 1)
        #expect(OGCResponseFormat.quality(of: "application/json", in: "application/json;q=0.5, text/*") == 0.5)
        #expect(OGCResponseFormat.quality(of: "application/json", in: "text/html") == 0)
    }
}
