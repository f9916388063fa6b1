import CairnAccess
import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CairnServer

/// Coalescing across principals and echoed request data in every document type.
struct AccessHardeningTests {
    /// 50 concurrent requests for one cold internal tile, half allowed and half not: the allowed
    /// ones get the image, the others 404, and the tile is rendered once.
    @Test func coalescingNeverCrossesPrincipals() async throws {
        let f = try await AccessFixture()
        let allowed = try await AccessFixture.token(maps: ["secret"])
        let other = try await AccessFixture.token(maps: ["planning"])
        try await f.application().test(.router) { client in
            let results = try await withThrowingTaskGroup(of: (Bool, HTTPResponse.Status, Bool).self) { group in
                for index in 0..<50 {
                    let good = index % 2 == 0
                    group.addTask {
                        try await client.execute(uri: "/maps/secret/13/6523/3610.png", method: .get,
                                                 headers: [.authorization: "Bearer " + (good ? allowed : other)]) { response in
                            (good, response.status, response.headers[.contentType] == "image/png")
                        }
                    }
                }
                var all: [(Bool, HTTPResponse.Status, Bool)] = []
                for try await result in group { all.append(result) }
                return all
            }
            #expect(results.filter { $0.0 }.allSatisfy { $0.1 == .ok && $0.2 })
            #expect(results.filter { !$0.0 }.allSatisfy { $0.1 == .notFound && !$0.2 })
        }
        #expect(f.engine.renderCount == 1)
        try await f.engine.shutdown()
    }

    /// XSS probes in path segments, query parameters and headers never come back unescaped.
    @Test func probesAreNeverEchoed() async throws {
        let f = try await AccessFixture()
        let probes = ["\"><script>alert(1)</script>", "'-alert(1)-'", "<svg onload=alert(1)>", "-->"]
        try await f.application().test(.router) { client in
            for probe in probes {
                let p = probe.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let uris = [
                    "/maps/\(p)/tiles.json", "/maps/mini/tiles.json?scheme=\(p)", "/maps/mini/?x=\(p)", "/?x=\(p)", "/maps?x=\(p)",
                    "/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=\(p)&STYLE=\(p)&TILEMATRIXSET=\(p)&TILEMATRIX=\(p)&TILEROW=0&TILECOL=0&FORMAT=image/png",
                    "/wmts?SERVICE=WMTS&REQUEST=\(p)", "/wmts?SERVICE=\(p)", "/wmts/1.0.0/WMTSCapabilities.xml?x=\(p)",
                    "/ogcapi/collections?f=html&x=\(p)", "/ogcapi/collections/\(p)?f=html", "/ogcapi?f=\(p)",
                    "/embed/mini?center=\(p)&zoom=\(p)&marker=\(p)", "/embed/\(p)",
                ]
                for uri in uris {
                    try await client.execute(uri: uri, method: .get, headers: [.origin: probe.filter { $0 != "\n" }, .referer: "https://x/" + p]) { response in
                        let body = String(buffer: response.body)
                        #expect(!body.contains(probe), "\(uri)")
                        #expect(!body.contains("<script>alert"), "\(uri)")
                        #expect(response.headers[.accessControlAllowOrigin] != probe)
                    }
                }
            }
        }
        try await f.engine.shutdown()
    }
}
