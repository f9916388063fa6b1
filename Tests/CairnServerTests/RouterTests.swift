import CairnEngine
import CairnTestSupport
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import CairnServer

/// Routes tested in process, without sockets.
struct RouterTests {
    let tile = "/maps/mini/13/6523/3610.png"

    @Test func tileIsAPNGWithCachingHeaders() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            try await client.execute(uri: tile, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/png")
                #expect(response.headers[.cacheControl] == "public, max-age=600")
                #expect(response.headers[.accessControlAllowOrigin] == "*")
                #expect(response.headers[.eTag]?.hasPrefix("\"") == true)
                #expect(response.headers[HTTPField.Name("X-Cairn-Cache")!] == "MISS")
                #expect(Array(response.body.readableBytesView.prefix(8)) == pngSignature)
            }
            // The cold answer comes before the rest of its metatile is stored.
            #expect(await Wait.until { engine.batchesFinishingBehindAnswers == 0 })
            try await client.execute(uri: tile, method: .get) { response in
                #expect(response.headers[HTTPField.Name("X-Cairn-Cache")!] == "HIT")
            }
        }
        try await engine.shutdown()
    }

    @Test func ifNoneMatchGivesNotModified() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            let etag = try await client.execute(uri: tile, method: .get) { $0.headers[.eTag] }
            let unwrapped = try #require(etag)
            try await client.execute(uri: tile, method: .get, headers: [.ifNoneMatch: unwrapped]) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
                #expect(response.headers[.eTag] == unwrapped)
            }
            try await client.execute(uri: tile, method: .get, headers: [.ifNoneMatch: "\"other\", W/\(unwrapped)"]) { response in
                #expect(response.status == .notModified)
            }
            try await client.execute(uri: tile, method: .get, headers: [.ifNoneMatch: "\"other\""]) { response in
                #expect(response.status == .ok)
            }
        }
        try await engine.shutdown()
    }

    @Test(arguments: [
        ("/maps/mini/99/0/0.png", HTTPResponse.Status.notFound),
        ("/maps/mini/100/0/0.png", .badRequest),
        ("/maps/mini/-1/0/0.png", .badRequest),
        ("/maps/mini/1e3/0/0.png", .badRequest),
        ("/maps/mini/013/0/0.png", .badRequest),
        ("/maps/mini/3/0/0@100x.png", .badRequest),
        ("/maps/mini/3/0/0.jpg", .badRequest),
        ("/maps/mini/3/8/0.png", .notFound),
        ("/maps/mini/25/0/0.png", .notFound),
        ("/maps/mini/21/0/0.png", .notFound),
        ("/maps/nope/3/0/0.png", .notFound),
        ("/maps/..%2F..%2Fetc%2Fpasswd/0/0/0.png", .notFound),
        ("/maps/%2e%2e/0/0/0.png", .notFound),
        ("/maps/a%00b/0/0/0.png", .badRequest),  // a control character in the target
        ("/maps/nope/tiles.json", .notFound),
        ("/no/such/route", .notFound),
    ])
    func badAddressesAnswerAtOnce(uri: String, status: HTTPResponse.Status) async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == status, "\(uri)")
                #expect(response.headers[.cacheControl] == "no-store")
                let body = String(buffer: response.body)
                #expect(!body.contains("root:"))
                #expect(!body.contains("/work/"))
            }
        }
        #expect(engine.renderCount == 0)
        try await engine.shutdown()
    }

    @Test func tileJSONDescribesTheMap() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            try await client.execute(uri: "/maps/mini/tiles.json", method: .get) { response in
                #expect(response.status == .ok)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(json["tilejson"] as? String == "3.0.0")
                #expect((json["tiles"] as? [String])?.first?.hasSuffix("/maps/mini/{z}/{x}/{y}.png") == true)
                #expect((json["bounds"] as? [Double])?.count == 4)
                #expect((json["center"] as? [Double])?.count == 3)
                #expect(json["attribution"] as? String == "test data")
            }
        }
        try await engine.shutdown()
    }

    @Test func viewerAndIndexEscapeTitles() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            for uri in ["/", "/maps/mini/"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    let body = String(buffer: response.body)
                    #expect(body.contains("/maps/mini/"))
                    #expect(!body.contains("Mini <Hải Phòng>"), "the title must be escaped in \(uri)")
                }
            }
        }
        try await engine.shutdown()
    }

    @Test func healthReportsTheMaps() async throws {
        let engine = ServerFixtures.engine()
        await engine.loadMaps()
        try await ServerFixtures.application(engine).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(json["status"] as? String == "ok")
            }
        }
        try await engine.shutdown()
    }
}
