import Foundation
import Testing
import CairnTestSupport

/// The admin listener's reload, purge and metrics: token required, and they do what they say.
@Suite(.interop)
struct AdminEndpointTests {
    @Test func reloadPurgeAndMetricsNeedTheTokenAndWork() async throws {
        let server = try await SecurityServer.start("admin", mapLines: "  - name: mini\n    style: \(CommandLineTests.miniStyle)\n    metatile: 1\n", admin: true)
        defer { server.stop() }
        let auth = "Authorization: Bearer \(SecurityServer.adminToken)"
        for (method, path) in [("POST", "/admin/reload"), ("POST", "/admin/purge"), ("GET", "/admin/metrics")] {
            #expect(try server.request(path, method: method, body: method == "POST" ? #"{"map":"mini"}"# : nil, admin: true).status == 401)
            #expect(try server.request(path, method: method, headers: ["Authorization: Bearer wrong-token-0123456789"],
                                       body: method == "POST" ? #"{"map":"mini"}"# : nil, admin: true).status == 401)
        }
        #expect(try server.request("/maps/mini/13/6523/3610.png").header("X-Cairn-Cache") == "MISS")
        #expect(try server.requestWhenCached("/maps/mini/13/6523/3610.png").header("X-Cairn-Cache") == "HIT")
        let metrics = try server.request("/admin/metrics", headers: [auth], admin: true)
        #expect(metrics.status == 200)
        #expect(metrics.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(metrics.text.contains("# TYPE cairn_renders_total counter\ncairn_renders_total 1\n"), "\(metrics.text)")
        #expect(metrics.text.contains("cairn_tile_cache_hits_total 1\n"))
        #expect(metrics.text.contains(#"cairn_http_responses_total{class="2xx"} "#))

        // Purge a box around the tile at its zoom; elsewhere stays cached.
        #expect(try server.request("/maps/mini/13/6530/3610.png").status == 200)
        let purge = try server.request("/admin/purge", method: "POST", headers: [auth],
                                       body: #"{"map": "mini", "zooms": "13-13", "bbox": [106.66, 20.86, 106.67, 20.87]}"#, admin: true)
        #expect(purge.status == 200, "\(purge.text)")
        #expect(purge.text.contains(#""tiles":1"#), "\(purge.text)")
        #expect(try server.request("/maps/mini/13/6523/3610.png").header("X-Cairn-Cache") == "MISS")
        #expect(try server.request("/maps/mini/13/6530/3610.png").header("X-Cairn-Cache") == "HIT")
        // Everything of the map.
        let all = try server.request("/admin/purge", method: "POST", headers: [auth], body: #"{"map": "mini"}"#, admin: true)
        #expect(all.text.contains(#""tiles":2"#), "\(all.text)")
        #expect(try server.request("/maps/mini/13/6530/3610.png").header("X-Cairn-Cache") == "MISS")
        for bad in [#"{"map": "nope"}"#, #"{"map": "mini", "zooms": "x"}"#, #"{"map": "mini", "bbox": [1, 2]}"#, #"{"map": "mini", "extra": 1}"#, "[]"] {
            #expect([400, 404].contains(try server.request("/admin/purge", method: "POST", headers: [auth], body: bad, admin: true).status), "\(bad)")
        }

        let reload = try server.request("/admin/reload", method: "POST", headers: [auth], admin: true)
        #expect(reload.status == 200)
        #expect(reload.text.contains(#""mini":"ok""#), "\(reload.text)")
        #expect(server.isAlive())
    }
}
