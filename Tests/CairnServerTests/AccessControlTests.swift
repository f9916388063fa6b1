@testable import CairnConfiguration
import CairnAccess
import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import Logging
import Testing
@testable import CairnServer
import CairnTestSupport

/// A server with one public map (`mini`), two internal ones (`secret`, `planning`), an API key
/// for `secret`, HS256 tokens and signed embed URLs, and an audit log.
struct AccessFixture {
    static let jwtSecret = "portal-secret-for-tests-only-0123456789"
    static let signingSecret = "embed-secret-for-tests-only-0123456789"
    let engine: TileEngine
    let control: AccessControl
    let secretKey: String
    let planningKey: String
    let auditPath: String
    let signer = URLSigner(secret: Array(signingSecret.utf8))

    init() async throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-access-\(UUID().uuidString)").path
        var secret = MapConfiguration(name: "secret", stylePath: ServerFixtures.miniStyle, title: "Secret <b>map</b>", maxAgeSeconds: 600)
        secret.access = .internal
        secret.embedOrigins = ["https://portal.example"]
        var planning = MapConfiguration(name: "planning", stylePath: ServerFixtures.miniStyle, title: "Planning")
        planning.access = .internal
        let configuration = CairnConfiguration(cacheDirectory: cache, maps: [
            MapConfiguration(name: "mini", stylePath: ServerFixtures.miniStyle, title: "Mini", maxAgeSeconds: 600), secret, planning,
        ])
        var logger = Logger(label: "cairn-test")
        logger.logLevel = .error
        engine = TileEngine(configuration: configuration, logger: logger, renderThreads: 2)
        let made = APIKey.generate(maps: ["secret"], origins: ["https://portal.example"])
        let other = APIKey.generate(maps: ["planning"])
        secretKey = made.key
        planningKey = other.key
        let jwt = JWTSettings(audience: "cairn-tiles", keys: [.init(kid: "portal", algorithm: .hs256, material: .secretEnvironment("PORTAL"))])
        let tokens = try await JWTVerifier(settings: jwt, environment: ["PORTAL": Self.jwtSecret])
        auditPath = cache + "-audit.jsonl"
        let verifier = CredentialVerifier(keys: KeyStore(records: [made.record, other.record]), tokens: tokens,
                                          signer: URLSigner(secret: Array(Self.signingSecret.utf8)))
        control = AccessControl(configuration: configuration, verifier: verifier, audit: try AuditLog(path: auditPath))
    }

    func application() -> some ApplicationProtocol {
        var logger = Logger(label: "cairn-test")
        logger.logLevel = .error
        return buildApplication(engine: engine, host: "127.0.0.1", port: 0, logger: logger, access: control)
    }

    struct Claims: JWTPayload {
        var sub = "alice"
        var aud = "cairn-tiles"
        var exp: Double
        var maps: [String]
        var bbox: [Double]?
        var origins: [String]?
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    static func token(maps: [String] = ["secret"], lifetime: Double = 300, bbox: [Double]? = nil) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: jwtSecret), digestAlgorithm: .sha256, kid: "portal")
        return try await keys.sign(Claims(exp: Date().timeIntervalSince1970 + lifetime, maps: maps, bbox: bbox), kid: "portal")
    }

    static func algNoneToken() throws -> String {
        func b64(_ data: Data) -> String {
            data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        let payload = try JSONEncoder().encode(Claims(exp: Date().timeIntervalSince1970 + 300, maps: ["secret"]))
        return b64(Data(#"{"alg":"none","kid":"portal"}"#.utf8)) + "." + b64(payload) + "."
    }
}

struct Snapshot: Equatable {
    var status: HTTPResponse.Status
    var headers: [String: String]
    var body: String

    init(_ response: TestResponse) {
        status = response.status
        headers = Dictionary(response.headers.map { ($0.name.canonicalName, $0.value) }, uniquingKeysWith: { $0 + "," + $1 })
        headers["date"] = nil
        body = String(buffer: response.body)
    }
}

struct AccessModelTests {
    let tile = "/13/6523/3610.png"

    @Test func forbiddenAndUnknownMapsAnswerIdentically() async throws {
        let f = try await AccessFixture()
        try await f.application().test(.router) { client in
            let cases: [(String, String)] = [
                ("/maps/secret/tiles.json", "/maps/nosuch/tiles.json"),
                ("/maps/secret" + tile, "/maps/nosuch" + tile),
                ("/maps/secret/", "/maps/nosuch/"),
                ("/tms/1.0.0/secret/13/6523/4581.png", "/tms/1.0.0/nosuch/13/6523/4581.png"),
                ("/maps/secret/grids/WebMercatorQuad/tiles.json", "/maps/nosuch/grids/WebMercatorQuad/tiles.json"),
                ("/ogcapi/collections/secret", "/ogcapi/collections/nosuch"),
                ("/ogcapi/collections/secret/map/tiles/WebMercatorQuad/13/3610/6523", "/ogcapi/collections/nosuch/map/tiles/WebMercatorQuad/13/3610/6523"),
                ("/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=secret&STYLE=default&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=13&TILEROW=3610&TILECOL=6523&FORMAT=image/png",
                 "/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=nosuch&STYLE=default&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=13&TILEROW=3610&TILECOL=6523&FORMAT=image/png"),
                ("/wmts/secret/default/WebMercatorQuad/13/3610/6523.png", "/wmts/nosuch/default/WebMercatorQuad/13/3610/6523.png"),
                ("/embed/secret", "/embed/nosuch"),
                ("/maps/secret/sprite.json", "/maps/nosuch/sprite.json"),
                ("/maps/secret/sprite@2x.png", "/maps/nosuch/sprite@2x.png"),
                ("/maps/secret/sprites/default/sprite.json", "/maps/nosuch/sprites/default/sprite.json"),
                ("/maps/secre%74/tiles.json", "/maps/nosuch/tiles.json"),
                ("/maps//secret/tiles.json", "/maps//nosuch/tiles.json"),
            ]
            for (forbidden, unknown) in cases {
                for headers: HTTPFields in [[:], [.authorization: "Bearer " + f.planningKey]] {
                    let a = try await client.execute(uri: forbidden, method: .get, headers: headers) { Snapshot($0) }
                    let b = try await client.execute(uri: unknown, method: .get, headers: headers) { Snapshot($0) }
                    #expect(a == b, "\(forbidden)")
                    #expect(a.status == .notFound || a.status == .badRequest)
                    #expect(a.headers["cache-control"] == "no-store")
                    #expect(!a.body.contains("secret"))
                }
            }
        }
        #expect(f.engine.renderCount == 0)
        try await f.engine.shutdown()
    }

    /// Forbidden and unknown maps take the same time: the median of 200 tries differs by < 5 ms.
    /// A timing measurement: interop tier, where tests run one at a time and nothing competes with it.
    @Test(.interop) func forbiddenAndUnknownTakeTheSameTime() async throws {
        let f = try await AccessFixture()
        try await f.application().test(.router) { client in
            var forbidden: [Duration] = []
            var unknown: [Duration] = []
            let clock = ContinuousClock()
            for _ in 0..<200 {
                forbidden.append(try await clock.measure { _ = try await client.execute(uri: "/maps/secret/tiles.json?key=" + f.planningKey, method: .get) { $0.status } })
                unknown.append(try await clock.measure { _ = try await client.execute(uri: "/maps/nosuch/tiles.json?key=" + f.planningKey, method: .get) { $0.status } })
            }
            let difference = forbidden.sorted()[100] - unknown.sorted()[100]
            #expect(abs(difference.components.attoseconds) < 5_000_000_000_000_000 && difference.components.seconds == 0)
        }
        try await f.engine.shutdown()
    }

    @Test func listingsShowOnlyPermittedMaps() async throws {
        let f = try await AccessFixture()
        try await f.application().test(.router) { client in
            for uri in ["/maps", "/", "/wmts/1.0.0/WMTSCapabilities.xml", "/ogcapi/collections"] {
                let anonymous = try await client.execute(uri: uri, method: .get) { String(buffer: $0.body) }
                #expect(anonymous.contains("mini"), "\(uri)")
                #expect(!anonymous.contains("secret"), "\(uri)")
                #expect(!anonymous.contains("planning"), "\(uri)")
                try await client.execute(uri: uri, method: .get, headers: [.init("X-API-Key")!: f.secretKey]) { response in
                    let body = String(buffer: response.body)
                    #expect(body.contains("secret"), "\(uri)")
                    #expect(!body.contains("planning"), "\(uri)")
                    #expect(response.headers[.cacheControl]?.hasPrefix("private") == true || response.headers[.cacheControl] == "no-store")
                    #expect(response.headers[.vary]?.contains("Authorization") == true)
                }
            }
            try await client.execute(uri: "/maps", method: .get, headers: [.authorization: "Bearer junk"]) { response in
                #expect(response.status == .unauthorized)
            }
        }
        try await f.engine.shutdown()
    }

    @Test func cachedInternalTileIsNeverServedWithoutTheRightCredential() async throws {
        let f = try await AccessFixture()
        let good = try await AccessFixture.token()
        let expired = try await AccessFixture.token(lifetime: -120)
        let otherMap = try await AccessFixture.token(maps: ["planning"])
        try await f.application().test(.router) { client in
            let uri = "/maps/secret" + tile
            try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer " + f.secretKey]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl] == "private, max-age=600")
                #expect(response.headers[.vary] == "Authorization, X-API-Key, Origin")
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
            let renders = f.engine.renderCount
            let refusals: [(HTTPFields, String, HTTPResponse.Status)] = [
                ([:], "", .notFound),
                ([.authorization: "Bearer " + f.planningKey], "", .notFound),
                ([:], "?key=" + f.planningKey, .notFound),
                ([.authorization: "Bearer " + otherMap], "", .notFound),
                ([.authorization: "Bearer " + expired], "", .unauthorized),
                ([:], "?token=" + expired, .unauthorized),
                ([.authorization: "Bearer " + (try AccessFixture.algNoneToken())], "", .unauthorized),
                // The last character changed (to one it is not), so the key is well-formed but wrong.
                ([.authorization: "Bearer " + f.secretKey.dropLast() + (f.secretKey.hasSuffix("A") ? "B" : "A")], "", .unauthorized),
                ([.referer: "https://portal.example/", .origin: "https://portal.example"], "", .notFound),
            ]
            for (headers, query, status) in refusals {
                try await client.execute(uri: uri + query, method: .get, headers: headers) { response in
                    #expect(response.status == status)
                    #expect(response.headers[.cacheControl] == "no-store")
                    #expect(response.headers[.contentType]?.hasPrefix("image/") != true)
                    #expect(response.headers[.vary]?.contains("Origin") == true)
                }
            }
            #expect(f.engine.renderCount == renders)
            // The cold answer above came before the rest of its metatile was stored.
            #expect(await Wait.until { f.engine.batchesFinishingBehindAnswers == 0 })
            // Valid JWT (header and query), key in X-API-Key and ?key=: cache hit, private, max-age ≤ token lifetime.
            for (headers, query) in [([HTTPField.Name.authorization: "Bearer " + good], ""), ([:], "?token=" + good),
                                     ([.init("X-API-Key")!: f.secretKey], ""), ([:], "?key=" + f.secretKey)] as [(HTTPFields, String)] {
                try await client.execute(uri: uri + query, method: .get, headers: headers) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.init("X-Cairn-Cache")!] == "HIT")
                    let cacheControl = response.headers[.cacheControl] ?? ""
                    #expect(cacheControl.hasPrefix("private, max-age="))
                    #expect(!cacheControl.contains("public"))
                    #expect((Int(cacheControl.split(separator: "=").last ?? "") ?? 9999) <= 600)
                }
            }
            try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer " + good]) { response in
                #expect((Int(response.headers[.cacheControl]?.split(separator: "=").last ?? "") ?? 9999) <= 300)
            }
        }
        try await f.engine.shutdown()
    }

    @Test func corsForPublicAndInternalMaps() async throws {
        let f = try await AccessFixture()
        try await f.application().test(.router) { client in
            try await client.execute(uri: "/maps/mini" + tile, method: .get, headers: [.origin: "https://evil.example"]) { response in
                #expect(response.headers[.cacheControl] == "public, max-age=600")
                #expect(response.headers[.accessControlAllowOrigin] == "*")
                #expect(response.headers[.accessControlAllowCredentials] == nil)
            }
            let uri = "/maps/secret" + tile
            for (origin, echoed) in [("https://portal.example", "https://portal.example"), ("https://evil.example", nil), (nil, nil)] as [(String?, String?)] {
                var headers: HTTPFields = [.init("X-API-Key")!: f.secretKey]
                if let origin { headers[.origin] = origin }
                try await client.execute(uri: uri, method: .get, headers: headers) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.accessControlAllowOrigin] == echoed)
                    #expect(response.headers[.vary]?.contains("Origin") == true)
                    #expect(response.headers[.accessControlAllowCredentials] == nil)
                }
            }
            try await client.execute(uri: uri, method: .options, headers: [
                .origin: "https://portal.example", .accessControlRequestMethod: "GET", .accessControlRequestHeaders: "authorization",
            ]) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == "https://portal.example")
                #expect(response.headers[.accessControlAllowHeaders]?.contains("Authorization") == true)
                #expect(response.headers[.accessControlAllowHeaders]?.contains("X-API-Key") == true)
                #expect(response.headers[.vary]?.contains("Origin") == true)
                #expect(response.headers[.accessControlAllowCredentials] == nil)
            }
        }
        try await f.engine.shutdown()
    }

    @Test func areaLimitedTokenSeesOnlyItsArea() async throws {
        let f = try await AccessFixture()
        let token = try await AccessFixture.token(bbox: [106.6, 20.8, 106.8, 20.9])
        try await f.application().test(.router) { client in
            try await client.execute(uri: "/maps/secret" + tile + "?token=" + token, method: .get) { #expect($0.status == .ok) }
            let renders = f.engine.renderCount
            for outside in ["/maps/secret/13/100/100.png", "/maps/secret/3/0/0.png", "/maps/secret/grids/vn2000-haiphong/3/0/0.png",
                            "/maps/secret/13/6523/x.png"] {
                try await client.execute(uri: outside + "?token=" + token, method: .get) { response in
                    #expect(response.status == .notFound, "\(outside)")
                    #expect(response.headers[.cacheControl] == "no-store")
                }
            }
            #expect(f.engine.renderCount == renders)
        }
        try await f.engine.shutdown()
    }

    @Test func viewerOfAnInternalMapHandsItsTilesATileToken() async throws {
        let f = try await AccessFixture()
        try await f.application().test(.router) { client in
            let body = try await client.execute(uri: "/maps/secret/", method: .get, headers: [.authorization: "Bearer " + f.secretKey]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl] == "private, no-cache")
                return String(buffer: response.body)
            }
            #expect(!body.contains(f.secretKey))
            let token = try #require(body.range(of: #"ct1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"#, options: .regularExpression).map { String(body[$0]) })
            try await client.execute(uri: "/maps/secret" + tile + "?token=" + token, method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/maps/planning" + tile + "?token=" + token, method: .get) { #expect($0.status == .notFound) }
            let publicViewer = try await client.execute(uri: "/maps/mini/", method: .get) { String(buffer: $0.body) }
            #expect(!publicViewer.contains("ct1."))
        }
        try await f.engine.shutdown()
    }

    @Test func auditLinesHaveNoSecrets() async throws {
        let f = try await AccessFixture()
        let token = try await AccessFixture.token()
        try await f.application().test(.router) { client in
            _ = try await client.execute(uri: "/maps/secret" + tile + "?key=" + f.secretKey, method: .get) { $0.status }
            _ = try await client.execute(uri: "/maps/secret/tiles.json?token=" + token, method: .get) { $0.status }
            _ = try await client.execute(uri: "/maps/secret/tiles.json?token=SECRET123", method: .get) { $0.status }
            _ = try await client.execute(uri: "/maps/secret/tiles.json", method: .get) { $0.status }
        }
        let text = try String(contentsOfFile: f.auditPath, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(!text.contains(f.secretKey))
        #expect(!text.contains(String(f.secretKey.suffix(43))))
        #expect(!text.contains(token))
        #expect(!text.contains("SECRET123"))
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(first?["principal"] as? String == "key:" + (APIKey.id(of: f.secretKey) ?? ""))
        #expect(first?["map"] as? String == "secret")
        #expect(first?["tile"] as? String == "13/6523/3610")
        #expect(first?["status"] as? Int == 200)
        #expect(first?["ms"] is Double || first?["ms"] is Int)
        #expect(text.contains("\"principal\":\"jwt:alice\""))
        #expect(text.contains("\"principal\":\"invalid-credential\""))
        #expect(text.contains("\"principal\":\"anonymous\""))
        try await f.engine.shutdown()
    }
}

struct EmbedPageTests {
    @Test func publicEmbedPageEscapesProbesAndSendsAStrictPolicy() async throws {
        let f = try await AccessFixture()
        try await f.application().test(.router) { client in
            let probes = ["\"><script>alert(1)</script>", "'-alert(1)-'", "<svg onload=alert(1)>", "-->"]
            for probe in probes {
                let encoded = probe.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                try await client.execute(uri: "/embed/mini?center=\(encoded)&zoom=\(encoded)&marker=\(encoded)", method: .get) { response in
                    #expect(response.status == .ok)
                    let body = String(buffer: response.body)
                    #expect(!body.contains(probe))
                    #expect(!body.contains("alert"))
                    let csp = response.headers[.init("Content-Security-Policy")!] ?? ""
                    #expect(csp.contains("frame-ancestors 'self'"))
                    #expect(csp.contains("script-src 'self'"))
                    #expect(!csp.contains("unsafe-inline"))
                    #expect(response.headers[.init("Referrer-Policy")!] == "strict-origin-when-cross-origin")
                    #expect(response.headers[.init("X-Content-Type-Options")!] == "nosniff")
                }
            }
            try await client.execute(uri: "/embed/mini?center=106.7,20.85&zoom=12&marker=106.68,20.86", method: .get) { response in
                let body = String(buffer: response.body)
                #expect(body.contains("\"marker\":[106.68,20.86]"))
                #expect(body.contains("\"zoom\":12"))
                #expect(body.contains("<script src=\"" + ViewerAssets.url("embed.js") + "\"></script>"))
            }
            try await client.execute(uri: "/assets/embed.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/javascript") == true)
            }
        }
        try await f.engine.shutdown()
    }

    @Test func signedEmbedURLOpensAnInternalMapAndItsTiles() async throws {
        let f = try await AccessFixture()
        let url = f.signer.signEmbed(map: "secret", expires: Date().addingTimeInterval(600), maxZoom: 16,
                                     origins: ["https://intranet.example"], zoom: 13)
        try await f.application().test(.router) { client in
            let body = try await client.execute(uri: url, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl] == "no-store")
                let csp = response.headers[.init("Content-Security-Policy")!] ?? ""
                #expect(csp.contains("frame-ancestors 'self' https://portal.example https://intranet.example"))
                return String(buffer: response.body)
            }
            #expect(!body.contains("<b>"))
            let template = try #require(body.range(of: #""tiles":"([^"]+)""#, options: .regularExpression).map { String(body[$0]) })
            #expect(template.contains("?token=ct1."))
            let token = String(template.split(separator: "=").last!.dropLast())
            try await client.execute(uri: "/maps/secret/13/6523/3610.png?token=" + token, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl]?.hasPrefix("private") == true)
            }
            try await client.execute(uri: "/maps/planning/13/6523/3610.png?token=" + token, method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/maps/secret/17/104370/57766.png?token=" + token, method: .get) { #expect($0.status == .notFound) }
            // Tampering: other map, appended parameter, second '?'.
            let query = String(url.split(separator: "?", maxSplits: 1)[1])
            for tampered in ["/embed/planning?" + query, url + "&zoom=3", url + "?x=1", url.replacingOccurrences(of: "maxzoom=16", with: "maxzoom=20")] {
                try await client.execute(uri: tampered, method: .get) { response in
                    // A repeated parameter (`zoom` twice) is refused as malformed (400) before access is checked.
                    #expect(response.status == .notFound || response.status == .badRequest, "\(tampered)")
                    #expect(response.headers[.cacheControl] == "no-store")
                }
            }
        }
        try await f.engine.shutdown()
    }
}
