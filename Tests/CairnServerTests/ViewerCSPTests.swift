@testable import CairnConfiguration
import CairnAccess
import CairnCore
import CairnEngine
import CairnTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import CairnServer

/// Every HTML page Cairn serves works under a Content-Security-Policy without `unsafe-inline`:
/// no `<style>` elements, `style=` or `on…=` attributes, and no executable inline `<script>`.
struct ViewerContentSecurityTests {
    static let csp = HTTPField.Name("Content-Security-Policy")!

    /// The pages, with the internal map's viewer opened with a key.
    @Test func noServedHTMLPageAllowsInlineCode() async throws {
        let f = try await AccessFixture()
        let key = f.secretKey.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        try await f.application().test(.router) { client in
            for uri in ["/", "/maps/mini/", "/maps/secret/?key=\(key)", "/ogcapi?f=html", "/ogcapi/collections?f=html",
                        "/ogcapi/collections/mini?f=html", "/embed/mini", "/embed/mini?center=106.68,20.85&zoom=12"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8", "\(uri)")
                    let policy = response.headers[Self.csp] ?? ""
                    #expect(!policy.isEmpty && !policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"), "\(uri): \(policy)")
                    #expect(policy.contains("script-src 'self'") && policy.contains("style-src 'self'"), "\(uri): \(policy)")
                    #expect(policy.contains("base-uri 'none'") && policy.contains("frame-ancestors 'self'"), "\(uri): \(policy)")
                    let problems = Self.inlineCode(in: String(buffer: response.body))
                    #expect(problems.isEmpty, "\(uri): \(problems)")
                }
            }
        }
        try await f.engine.shutdown()
    }

    @Test func viewerPolicyIsExactlyTheStrictOne() async throws {
        let f = try await AccessFixture()
        try await f.application().test(.router) { client in
            try await client.execute(uri: "/maps/mini/", method: .get) { response in
                #expect(response.headers[Self.csp] == "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
                    + "worker-src blob:; child-src blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
                let page = String(buffer: response.body)
                #expect(page.contains("<script type=\"application/json\" id=\"cairn-config\">"))
                #expect(page.contains("<script src=\"/assets/viewer.js?v="))
                #expect(page.contains("<link rel=\"stylesheet\" href=\"/assets/viewer.css?v="))
            }
        }
        try await f.engine.shutdown()
    }

    /// `/assets/viewer.js`, `viewer.css` and `ogc.css`: compiled in, typed, `nosniff`, validators.
    @Test func assetsAreServedWithTypesAndValidators() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            for (name, type) in [("viewer.js", "text/javascript; charset=utf-8"), ("viewer.css", "text/css; charset=utf-8"),
                                 ("ogc.css", "text/css; charset=utf-8")] {
                var etag = ""
                try await client.execute(uri: ViewerAssets.url(name), method: .get) { response in
                    #expect(response.status == .ok, "\(name)")
                    #expect(response.headers[.contentType] == type)
                    #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                    #expect(response.headers[.cacheControl] == "public, max-age=86400")
                    etag = response.headers[.eTag] ?? ""
                    #expect(etag.hasPrefix("\"") && etag.count > 4)
                    #expect(ViewerAssets.url(name).hasSuffix("?v=" + etag.dropFirst().dropLast()))
                    #expect(response.body.readableBytes > 100)
                }
                try await client.execute(uri: "/assets/" + name, method: .get, headers: [.ifNoneMatch: etag]) { response in
                    #expect(response.status == .notModified)
                    #expect(response.body.readableBytes == 0)
                }
            }
            try await client.execute(uri: "/assets/viewer.js", method: .get) { response in
                let script = String(buffer: response.body)
                #expect(script.contains("getElementById(\"cairn-config\")"))
                #expect(script.contains("transformRequest: withToken"))
                #expect(!script.contains("CAIRN_MAP"))
            }
        }
        try await engine.shutdown()
    }

    /// Names, titles and attributions from configuration cannot end the JSON block or open a comment,
    /// and the block is still the JSON the script parses.
    @Test func configurationBlockCannotBeBrokenOut() throws {
        let hostile = "</script><script>alert(1)</script><!--\u{2028}\u{2029}&'\""
        let page = ViewerPage.html(mapName: "m" + hostile, title: hostile, tileURLTemplate: "/maps/m/{z}/{x}/{y}.png?token=" + hostile,
                                   center: (106.6, 20.8), zoom: 12, minZoom: 0, maxZoom: 18, attribution: hostile,
                                   vector: .init(map: "m" + hostile, unavailableReason: hostile), tileToken: hostile)
        let open = "<script type=\"application/json\" id=\"cairn-config\">"
        let start = try #require(page.range(of: open))
        let end = try #require(page.range(of: "</script>", range: start.upperBound..<page.endIndex))
        let block = String(page[start.upperBound..<end.lowerBound])
        for forbidden in ["<", ">", "&", "\u{2028}", "\u{2029}", "'"] { #expect(!block.contains(forbidden), "\(forbidden)") }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(block.utf8)) as? [String: Any])
        #expect(json["name"] as? String == "m" + hostile)
        #expect(json["token"] as? String == hostile)
        #expect((json["vector"] as? [String: Any])?["style"] as? String == "/maps/" + ViewerPage.percentEncodePathSegment("m" + hostile) + "/style.json")
        // Exactly two script elements: the data block and the external script.
        #expect(page.components(separatedBy: "<script").count == 3)
        #expect(!page.contains("<script>alert"))
        #expect(Self.inlineCode(in: page).isEmpty)
    }

    /// What a strict CSP would block: `<style>`, `style=`/`on…=` attributes, `javascript:` URLs, and
    /// `<script>` elements that are neither external (`src=`) nor the JSON data block.
    static func inlineCode(in html: String) -> [String] {
        var problems: [String] = []
        let lower = html.lowercased()
        if lower.contains("<style") { problems.append("<style>") }
        if lower.contains("javascript:") { problems.append("javascript: URL") }
        if lower.range(of: #"\s(style|on[a-z]+)\s*="#, options: .regularExpression) != nil { problems.append("inline attribute") }
        var rest = lower[...]
        while let open = rest.range(of: "<script") {
            let tagEnd = rest[open.upperBound...].firstIndex(of: ">") ?? rest.endIndex
            let tag = String(rest[open.lowerBound..<tagEnd])
            if !tag.contains(" src=\"/") && !tag.contains("type=\"application/json\"") { problems.append(tag) }
            rest = rest[tagEnd...]
        }
        return problems
    }
}

/// The viewer's vector mode for an internal map: MapLibre's requests carry the page's tile token,
/// and none of the documents leaks it or is publicly cacheable.
struct InternalVectorModeTests {
    static var tile: TileCoordinate { VectorTileRouteTests.tile }

    /// The token the viewer page of `secret` (opened with a key) hands to its script.
    static func pageToken(_ client: some TestClientProtocol, key: String) async throws -> String {
        let encoded = key.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        return try await client.execute(uri: "/maps/secret/?key=\(encoded)", method: .get) { response in
            #expect(response.status == .ok)
            let page = String(buffer: response.body)
            let start = try #require(page.range(of: "id=\"cairn-config\">"))
            let end = try #require(page.range(of: "</script>", range: start.upperBound..<page.endIndex))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(page[start.upperBound..<end.lowerBound].utf8)) as? [String: Any])
            let token = try #require(json["token"] as? String)
            #expect(token.hasPrefix("ct1."))
            #expect((json["tiles"] as? String)?.hasSuffix("?token=" + token) == true)
            #expect((json["vector"] as? [String: Any])?["base"] as? String == "/maps/secret/")
            return token
        }
    }

    @Test func styleTileJSONAndTilesWorkWithThePageToken() async throws {
        let f = try await AccessFixture()
        try await f.application().test(.router) { client in
            let token = try await Self.pageToken(client, key: f.secretKey)
            let t = Self.tile
            for path in ["style.json", "vector.json", "\(t.z)/\(t.x)/\(t.y).pbf", "\(t.z)/\(t.x)/\(t.y).png"] {
                try await client.execute(uri: "/maps/secret/\(path)?token=\(token)", method: .get,
                                         headers: [.acceptEncoding: "gzip", .origin: "https://evil.example"]) { response in
                    #expect(response.status == .ok, "\(path)")
                    let cacheControl = response.headers[.cacheControl] ?? ""
                    #expect(cacheControl.hasPrefix("private"), "\(path): \(cacheControl)")
                    #expect(!cacheControl.contains("public"))
                    #expect(response.headers[.vary]?.contains("Authorization") == true)
                    #expect(response.headers[.accessControlAllowOrigin] == nil, "\(path)")
                    // Documents name plain URLs: the token never comes back in a body.
                    #expect(!String(buffer: response.body).contains(token), "\(path)")
                }
            }
        }
        try await f.engine.shutdown()
    }

    /// Without a credential (or with one for another map) the vector resources of an internal map
    /// are the very 404 of a map that does not exist.
    @Test func withoutTheCredentialTheyAreUnknown() async throws {
        let f = try await AccessFixture()
        try await f.application().test(.router) { client in
            let t = Self.tile
            let planning = f.planningKey.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            for path in ["style.json", "vector.json", "\(t.z)/\(t.x)/\(t.y).pbf"] {
                let unknown = try await client.execute(uri: "/maps/nosuch/\(path)", method: .get) { response in
                    (response.status, String(buffer: response.body), response.headers[.cacheControl], response.headers[.contentType])
                }
                #expect(unknown.0 == .notFound)
                for query in ["", "?key=\(planning)"] {
                    try await client.execute(uri: "/maps/secret/\(path)\(query)", method: .get) { response in
                        #expect(response.status == unknown.0, "\(path)\(query)")
                        #expect(String(buffer: response.body) == unknown.1)
                        #expect(response.headers[.cacheControl] == "no-store")
                        #expect(response.headers[.contentType] == unknown.3)
                    }
                }
            }
        }
        try await f.engine.shutdown()
    }

    /// A public map's page has no token, and its style names plain URLs even when asked with a credential.
    @Test func publicMapsNeverCarryAToken() async throws {
        let f = try await AccessFixture()
        let key = f.secretKey.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        try await f.application().test(.router) { client in
            try await client.execute(uri: "/maps/mini/?key=\(key)", method: .get) { response in
                let page = String(buffer: response.body)
                #expect(!page.contains("\"token\""))
                #expect(!page.contains("ct1."))
            }
            for path in ["style.json", "vector.json"] {
                try await client.execute(uri: "/maps/mini/\(path)?key=\(key)", method: .get) { response in
                    #expect(response.status == .ok)
                    let body = String(buffer: response.body)
                    #expect(!body.contains("token") && !body.contains("key=") && !body.contains("ct1."), "\(path)")
                }
            }
        }
        try await f.engine.shutdown()
    }
}

/// T11: a map switched from public to internal in the configuration file and reloaded through
/// `POST /admin/reload` while its tiles are cached: from then on, anonymous clients get the same 404
/// as for an unknown map for every resource, and nothing is served `public`.
struct AccessReloadTests {
    static func yaml(cache: String, access: String) -> String {
        "cache: {directory: \(cache)}\nmaps:\n  - name: mini\n    style: \(ServerFixtures.miniStyle)\n    title: Mini\n    access: \(access)\n"
    }

    @Test func publicToInternalTakesEffectOnReload() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-reload-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/cairn.yaml"
        try Self.yaml(cache: folder + "/cache", access: "public").write(toFile: file, atomically: true, encoding: .utf8)
        let configuration = try CairnConfiguration.load(path: file)
        var logger = Logger(label: "cairn-test")
        logger.logLevel = .error
        let engine = TileEngine(configuration: configuration, logger: logger, renderThreads: 2)
        let made = APIKey.generate(maps: ["mini"])
        let verifier = CredentialVerifier(keys: KeyStore(records: [made.record]), signer: URLSigner(secret: Array(AccessFixture.signingSecret.utf8)))
        let control = AccessControl(configuration: configuration, verifier: verifier)
        let app = buildApplication(engine: engine, host: "127.0.0.1", port: 0, logger: logger, access: control)
        let admin = buildAdminApplication(engine: engine, jobs: AdminFixtures.jobs(engine), host: "127.0.0.1", port: 0,
                                          token: AdminFixtures.token, access: control, configurationFile: file, logger: logger)
        let t = InternalVectorModeTests.tile
        let resources = ["/maps/{m}/\(t.z)/\(t.x)/\(t.y).png", "/maps/{m}/\(t.z)/\(t.x)/\(t.y).pbf", "/maps/{m}/tiles.json",
                         "/maps/{m}/vector.json", "/maps/{m}/style.json", "/maps/{m}/", "/tms/1.0.0/{m}/\(t.z)/\(t.x)/\((1 << t.z) - 1 - t.y).png",
                         "/embed/{m}", "/ogcapi/collections/{m}"]
        try await app.test(.router) { client in
            // Public: everything served, the tiles cached and publicly cacheable.
            for resource in resources {
                let uri = resource.replacingOccurrences(of: "{m}", with: "mini")
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                }
            }
            // The cold answer above came before the rest of its metatile was stored.
            #expect(await Wait.until { engine.batchesFinishingBehindAnswers == 0 })
            try await client.execute(uri: "/maps/mini/\(t.z)/\(t.x)/\(t.y).png", method: .get) { response in
                #expect(response.headers[HTTPField.Name("X-Cairn-Cache")!] == "HIT")
                #expect(response.headers[.cacheControl]?.hasPrefix("public") == true)
            }
            // A configuration that does not load changes nothing.
            try "maps: [".write(toFile: file, atomically: true, encoding: .utf8)
            try await admin.test(.router) { adminClient in
                try await adminClient.execute(uri: "/admin/reload", method: .post, headers: AdminFixtures.authorization) { response in
                    #expect(response.status == .ok)
                    let body = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                    #expect((body["configuration"] as? String).map { $0 != "ok" && !$0.isEmpty } == true)
                }
            }
            try await client.execute(uri: "/maps/mini/tiles.json", method: .get) { response in
                #expect(response.status == .ok)
            }
            // Switched to internal and reloaded.
            try Self.yaml(cache: folder + "/cache", access: "internal").write(toFile: file, atomically: true, encoding: .utf8)
            try await admin.test(.router) { adminClient in
                try await adminClient.execute(uri: "/admin/reload", method: .post, headers: AdminFixtures.authorization) { response in
                    #expect(response.status == .ok)
                    let body = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                    #expect(body["configuration"] as? String == "ok")
                }
            }
            for resource in resources {
                let unknown = try await client.execute(uri: resource.replacingOccurrences(of: "{m}", with: "nosuch"), method: .get) { response in
                    (response.status, String(buffer: response.body), response.headers[.cacheControl], response.headers[.contentType])
                }
                let uri = resource.replacingOccurrences(of: "{m}", with: "mini")
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    #expect(response.status == unknown.0 && String(buffer: response.body) == unknown.1, "\(uri)")
                    #expect(response.headers[.cacheControl] == "no-store", "\(uri)")
                    #expect(response.headers[.contentType] == unknown.3, "\(uri)")
                }
            }
            for listing in ["/", "/maps", "/ogcapi/collections", "/wmts/1.0.0/WMTSCapabilities.xml"] {
                try await client.execute(uri: listing, method: .get) { response in
                    #expect(!String(buffer: response.body).contains("mini"), "\(listing)")
                }
            }
            // With the key: still served (the cached tile too), but only privately.
            for resource in resources.prefix(5) {
                let uri = resource.replacingOccurrences(of: "{m}", with: "mini")
                try await client.execute(uri: uri, method: .get, headers: [HTTPField.Name("X-API-Key")!: made.key]) { response in
                    #expect(response.status == .ok, "\(uri)")
                    let cacheControl = response.headers[.cacheControl] ?? ""
                    #expect(cacheControl.hasPrefix("private") && !cacheControl.contains("public"), "\(uri): \(cacheControl)")
                }
            }
        }
        try await engine.shutdown()
    }
}
