import Foundation
import Testing
import CairnTestSupport

/// T11 against a live `cairn serve`: map `mini` is public, its tiles get cached, then cairn.yaml
/// switches it to internal and `POST /admin/reload` on the admin listener applies that. From then on
/// anonymous clients get, for every resource of the map (cached PNG and `.pbf` tiles, TileJSON,
/// style, viewer), the same 404 as for an unknown map, and nothing is served `Cache-Control: public`.
@Suite(.interop)
struct AccessReloadSecurityTests {
    @Test func switchingAMapToInternalHidesItsCachedTiles() async throws {
        var key = ""
        let mapLines = "  - name: mini\n    style: \(CommandLineTests.miniStyle)\n    access: public\n"
        let server = try await SecurityServer.start("t11-reload", mapLines: mapLines, preamble: "auth:\n  keys_file: keys.yaml\n",
                                                    admin: true) { folder in
            let run = try runProgram(CommandLineTests.binary, ["keys", "create", "--keys-file", folder + "/keys.yaml", "--maps", "mini"])
            guard run.status == 0 else { throw InteropError("cairn keys create failed: \(run.output)") }
            key = run.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        defer { server.stop() }
        let resources = ["/maps/{m}/13/6523/3610.png", "/maps/{m}/13/6523/3610.pbf", "/maps/{m}/tiles.json",
                         "/maps/{m}/vector.json", "/maps/{m}/style.json", "/maps/{m}/", "/tms/1.0.0/{m}/13/6523/4581.png"]
        for resource in resources {
            let reply = try server.request(resource.replacingOccurrences(of: "{m}", with: "mini"))
            #expect(reply.status == 200, "\(resource)")
        }
        let cached = try server.requestWhenCached("/maps/mini/13/6523/3610.png")
        #expect(cached.header("X-Cairn-Cache") == "HIT")
        #expect(cached.header("Cache-Control")?.hasPrefix("public") == true)

        let config = server.folder + "/cairn.yaml"
        let text = try String(contentsOfFile: config, encoding: .utf8)
        try text.replacingOccurrences(of: "access: public", with: "access: internal").write(toFile: config, atomically: true, encoding: .utf8)
        let reload = try server.request("/admin/reload", method: "POST", headers: ["Authorization: Bearer \(SecurityServer.adminToken)"], admin: true)
        #expect(reload.status == 200)
        #expect(reload.text.contains("\"configuration\":\"ok\""), "\(reload.text)")

        for resource in resources {
            let unknown = try server.request(resource.replacingOccurrences(of: "{m}", with: "nosuch"))
            let reply = try server.request(resource.replacingOccurrences(of: "{m}", with: "mini"))
            #expect(reply.status == 404, "\(resource)")
            #expect(reply.status == unknown.status && reply.body == unknown.body, "\(resource)")
            #expect(reply.header("Cache-Control") == "no-store", "\(resource)")
        }
        for listing in ["/", "/maps", "/ogcapi/collections", "/wmts/1.0.0/WMTSCapabilities.xml"] {
            #expect(!(try server.request(listing)).text.contains("mini"), "\(listing)")
        }
        for resource in resources.prefix(5) {
            let reply = try server.request(resource.replacingOccurrences(of: "{m}", with: "mini"), headers: ["X-API-Key: \(key)"])
            #expect(reply.status == 200, "\(resource)")
            let cacheControl = reply.header("Cache-Control") ?? ""
            #expect(cacheControl.hasPrefix("private") && !cacheControl.contains("public"), "\(resource): \(cacheControl)")
        }
    }
}
