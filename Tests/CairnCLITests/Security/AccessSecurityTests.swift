import Foundation
import Testing
import CairnTestSupport

/// Internal maps against a live server (T8–T10, T12, T13): forbidden looks like unknown, a cached
/// internal tile never reaches a client without its credential (directly or through a caching
/// proxy), CORS only for allowed origins, one render when authorised and refused clients race.
@Suite(.interop)
struct AccessSecurityTests {
    static let jwtSecret = "jwt-test-secret-" + UUID().uuidString
    static let audience = "cairn-tiles"
    static let tile = "/13/6523/3610.png"

    /// The server, an API key for map `secret` (origins: https://portal.example) and one for map `other`.
    struct Fixture {
        let server: SecurityServer
        let keyA: String
        let keyB: String
    }

    static func start(_ name: String, perKey: String = "{requests_per_second: 0, renders_per_second: 0}",
                      perIP: String = "{requests_per_second: 0, renders_per_second: 0}") async throws -> Fixture {
        var keys: [String] = []
        let style = CommandLineTests.miniStyle
        let server = try await SecurityServer.start(name, mapLines: """
              - name: mini
                style: \(style)
                metatile: 2
              - name: secret
                style: \(style)
                metatile: 2
                access: internal
              - name: other
                style: \(style)
                metatile: 2
                access: internal

            """, preamble: """
            limits:
              per_ip: \(perIP)
              per_key: \(perKey)
            auth:
              keys_file: keys.yaml
              jwt:
                audience: \(audience)
                keys: [{kid: k1, alg: HS256, secret_env: CAIRN_TEST_JWT_SECRET}]

            """, admin: true, environment: ["CAIRN_TEST_JWT_SECRET": jwtSecret]) { folder in
            for (map, origins) in [("secret", "https://portal.example"), ("other", "https://other.example")] {
                let run = try runProgram(CommandLineTests.binary, ["keys", "create", "--keys-file", folder + "/keys.yaml", "--maps", map, "--origins", origins])
                guard run.status == 0 else { throw InteropError("cairn keys create failed: \(run.output)") }
                keys.append(run.output.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        return Fixture(server: server, keyA: keys[0], keyB: keys[1])
    }

    /// An HS256 JWT (or, with `alg: none`, an unsigned one) made with python3's hmac.
    static func jwt(header: [String: Any] = ["alg": "HS256", "kid": "k1", "typ": "JWT"], claims: [String: Any], secret: String = jwtSecret) throws -> String {
        let script = """
            import base64, hashlib, hmac, json, sys
            b = lambda x: base64.urlsafe_b64encode(x).rstrip(b'=').decode()
            header, claims, secret = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3].encode()
            signing = b(json.dumps(header).encode()) + '.' + b(json.dumps(claims).encode())
            signature = b(hmac.new(secret, signing.encode(), hashlib.sha256).digest()) if header.get('alg') == 'HS256' else ''
            print(signing + '.' + signature)
            """
        let headerText = String(decoding: try JSONSerialization.data(withJSONObject: header), as: UTF8.self)
        let claimsText = String(decoding: try JSONSerialization.data(withJSONObject: claims), as: UTF8.self)
        let run = try runProgram("/usr/bin/python3", ["-c", script, headerText, claimsText, secret])
        return run.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func claims(maps: [String] = ["secret"], lifetime: Double = 600, notBefore: Double? = nil, audience: String = audience) -> [String: Any] {
        let now = Date().timeIntervalSince1970
        var claims: [String: Any] = ["aud": audience, "maps": maps, "exp": Int(now + lifetime), "iat": Int(now), "sub": "test"]
        if let notBefore { claims["nbf"] = Int(now + notBefore) }
        return claims
    }

    static func isPNG(_ reply: HTTPReply) -> Bool { reply.body.starts(with: [0x89, 0x50, 0x4E, 0x47]) }

    // T8
    @Test func forbiddenAndUnknownInternalMapsAnswerTheSame() async throws {
        let fixture = try await Self.start("access-t8")
        let server = fixture.server
        defer { server.stop() }
        for suffix in [Self.tile, "/tiles.json", "/", "/grids/WebMercatorQuad/tiles.json"] {
            for headers in [[], ["Authorization: Bearer \(fixture.keyB)"]] {
                let forbidden = try server.request("/maps/secret" + suffix, headers: headers)
                let unknown = try server.request("/maps/nosuchmap" + suffix, headers: headers)
                #expect(forbidden.status == 404, "\(suffix) \(headers.count): \(forbidden.status)")
                #expect(forbidden.status == unknown.status && forbidden.body == unknown.body, "\(suffix): \(forbidden.text) vs \(unknown.text)")
                #expect(forbidden.header("Cache-Control") == unknown.header("Cache-Control"))
                #expect(forbidden.header("Content-Type") == unknown.header("Content-Type"))
            }
        }
        let listing = try server.request("/maps")
        #expect(!listing.text.contains("secret") && !listing.text.contains("other"), "the anonymous index lists internal maps")
        let capabilities = try server.request("/wmts/1.0.0/WMTSCapabilities.xml")
        #expect(!capabilities.text.contains(">secret<"), "WMTS capabilities list an internal map")
        #expect(server.isAlive())
    }

    // T9, T13
    @Test func aCachedInternalTileNeedsItsCredentialEveryTime() async throws {
        let fixture = try await Self.start("access-t9")
        let server = fixture.server
        defer { server.stop() }
        let path = "/maps/secret" + Self.tile
        let first = try server.request(path, headers: ["Authorization: Bearer \(fixture.keyA)"])
        #expect(first.status == 200 && Self.isPNG(first))
        #expect(first.header("Cache-Control")?.contains("private") == true && first.header("Cache-Control")?.contains("public") == false,
                "\(first.header("Cache-Control") ?? "none")")
        #expect(try server.requestWhenCached(path, headers: ["X-API-Key: \(fixture.keyA)"]).header("X-Cairn-Cache") == "HIT")

        let expired = try Self.jwt(claims: Self.claims(lifetime: -120))
        let algNone = try Self.jwt(header: ["alg": "none", "kid": "k1", "typ": "JWT"], claims: Self.claims())
        let algNoneNoKid = try Self.jwt(header: ["alg": "none"], claims: Self.claims())
        let wrongSecret = try Self.jwt(claims: Self.claims(), secret: "not-the-secret")
        let wrongAudience = try Self.jwt(claims: Self.claims(audience: "someone-else"))
        let notYet = try Self.jwt(claims: Self.claims(notBefore: 3600))
        let tenYears = try Self.jwt(claims: Self.claims(lifetime: 10 * 365 * 86400))
        let unknownKid = try Self.jwt(header: ["alg": "HS256", "kid": "k9", "typ": "JWT"], claims: Self.claims())
        let otherMap = try Self.jwt(claims: Self.claims(maps: ["other"]))
        let refused: [(String, [String], String)] = [
            ("no credential", [], ""), ("key of another map", ["Authorization: Bearer \(fixture.keyB)"], ""),
            ("key of another map in the query", [], "?key=\(fixture.keyB)"),
            ("expired token", ["Authorization: Bearer \(expired)"], ""), ("expired token in the query", [], "?token=\(expired)"),
            ("alg none", ["Authorization: Bearer \(algNone)"], ""), ("alg none without kid", ["Authorization: Bearer \(algNoneNoKid)"], ""),
            ("wrong secret", ["Authorization: Bearer \(wrongSecret)"], ""), ("wrong audience", ["Authorization: Bearer \(wrongAudience)"], ""),
            ("nbf in the future", ["Authorization: Bearer \(notYet)"], ""), ("ten-year token", ["Authorization: Bearer \(tenYears)"], ""),
            ("unknown kid", ["Authorization: Bearer \(unknownKid)"], ""), ("token for another map", ["Authorization: Bearer \(otherMap)"], ""),
            ("empty bearer", ["Authorization: Bearer "], ""), ("8 KB of garbage", ["Authorization: Bearer " + String(repeating: "x", count: 8192)], ""),
            ("base64 junk", ["Authorization: Bearer aGVsbG8.d29ybGQ.Zm9v"], ""), ("forged referer", ["Referer: https://portal.example/", "Origin: https://portal.example"], ""),
            ("basic auth", ["Authorization: Basic dXNlcjpwYXNz"], ""),
        ]
        for (label, headers, query) in refused {
            let reply = try server.request(path + query, headers: headers)
            #expect([401, 404].contains(reply.status), "\(label): \(reply.status)")
            #expect(!Self.isPNG(reply), "\(label) got the image")
            #expect(reply.header("Cache-Control") == "no-store", "\(label): \(reply.header("Cache-Control") ?? "none")")
        }
        let valid = try Self.jwt(claims: Self.claims())
        let ok = try server.request(path, headers: ["Authorization: Bearer \(valid)"])
        #expect(ok.status == 200 && ok.body == first.body)
        #expect(server.isAlive())
        server.stop()
        for secret in [fixture.keyA, fixture.keyB, valid, Self.jwtSecret] {
            #expect(!server.log.contains(secret), "a credential reached the server log")
        }
    }

    // T9 through a real shared cache
    @Test func aCachingProxyNeverHandsAnInternalTileToAnotherClient() async throws {
        let nginx = "/usr/sbin/nginx"
        try #require(FileManager.default.isExecutableFile(atPath: nginx), "nginx is missing: run scripts/install-deps")
        let fixture = try await Self.start("access-proxy")
        let server = fixture.server
        defer { server.stop() }
        let proxy = try CachingProxy.start(nginx: nginx, upstream: server.port, folder: server.folder + "/nginx")
        defer { proxy.stop() }
        let base = "http://127.0.0.1:\(proxy.port)"
        // The proxy does cache: a public tile is a HIT the second time.
        _ = try HTTPReply.curl(base + "/maps/mini" + Self.tile, method: "GET", headers: [], body: nil, folder: server.folder)
        let publicAgain = try HTTPReply.curl(base + "/maps/mini" + Self.tile, method: "GET", headers: [], body: nil, folder: server.folder)
        #expect(publicAgain.header("X-Proxy-Cache") == "HIT", "the proxy did not cache a public tile: \(publicAgain.headers)")

        let path = base + "/maps/secret" + Self.tile
        let token = try Self.jwt(claims: Self.claims())
        for credential in ["Authorization: Bearer \(fixture.keyA)", "Authorization: Bearer \(token)", "X-API-Key: \(fixture.keyA)"] {
            let authorised = try HTTPReply.curl(path, method: "GET", headers: [credential], body: nil, folder: server.folder)
            #expect(authorised.status == 200 && Self.isPNG(authorised))
            for headers in [[], ["Authorization: Bearer \(fixture.keyB)"], ["Authorization: Bearer \(try Self.jwt(claims: Self.claims(lifetime: -120)))"]] {
                let other = try HTTPReply.curl(path, method: "GET", headers: headers, body: nil, folder: server.folder)
                #expect(!Self.isPNG(other) && [401, 404].contains(other.status), "the proxy served the internal tile: \(other.status) \(other.headers)")
            }
        }
        #expect(server.isAlive())
    }

    // T12
    @Test func corsOnlyForAllowedOriginsAndAlwaysVaryOrigin() async throws {
        let fixture = try await Self.start("access-cors")
        let server = fixture.server
        defer { server.stop() }
        let path = "/maps/secret" + Self.tile
        let auth = "Authorization: Bearer \(fixture.keyA)"
        let allowed = try server.request(path, headers: [auth, "Origin: https://portal.example"])
        #expect(allowed.status == 200)
        #expect(allowed.header("Access-Control-Allow-Origin") == "https://portal.example")
        let refused = try server.request(path, headers: [auth, "Origin: https://evil.example"])
        #expect(refused.header("Access-Control-Allow-Origin") == nil)
        let none = try server.request(path, headers: [auth])
        #expect(none.header("Access-Control-Allow-Origin") == nil)
        for reply in [allowed, refused, none] {
            #expect(reply.header("Vary")?.lowercased().contains("origin") == true, "no Vary: Origin: \(reply.headers)")
            #expect(reply.header("Access-Control-Allow-Credentials") == nil)
        }
        let preflight = try server.request(path, method: "OPTIONS", headers: [
            "Origin: https://portal.example", "Access-Control-Request-Method: GET", "Access-Control-Request-Headers: authorization",
        ])
        #expect([200, 204].contains(preflight.status), "preflight: \(preflight.status)")
        #expect(preflight.header("Access-Control-Allow-Headers")?.lowercased().contains("authorization") == true, "\(preflight.headers)")
        #expect(preflight.header("Vary")?.lowercased().contains("origin") == true)
        #expect(preflight.header("Access-Control-Allow-Credentials") == nil)
        let publicTile = try server.request("/maps/mini" + Self.tile, headers: ["Origin: https://evil.example"])
        #expect(publicTile.header("Access-Control-Allow-Origin") == "*")
        #expect(publicTile.header("Access-Control-Allow-Credentials") == nil)
        #expect(server.isAlive())
    }

    // T30 per key
    @Test func aKeyOverItsQuotaGets429WhileOthersAreServed() async throws {
        let fixture = try await Self.start("access-quota", perKey: "{requests_per_second: 0.5, burst: 3}")
        let server = fixture.server
        defer { server.stop() }
        let statuses = try (0..<6).map { _ in try server.request("/maps/secret" + Self.tile, headers: ["Authorization: Bearer \(fixture.keyA)"]).status }
        #expect(statuses.prefix(3).allSatisfy { $0 == 200 } && statuses.last == 429, "\(statuses)")
        let refused = try server.request("/maps/secret/tiles.json", headers: ["X-API-Key: \(fixture.keyA)"])
        #expect(refused.status == 429 && Int(refused.header("Retry-After") ?? "") ?? 0 >= 1)
        #expect(try server.request("/maps/other" + Self.tile, headers: ["Authorization: Bearer \(fixture.keyB)"]).status == 200, "another key has its own bucket")
        #expect(server.isAlive(), "anonymous clients are counted apart")
    }

    // T13, T30: guessing credentials is rate limited per address.
    @Test func refusedCredentialsAreThrottledPerAddress() async throws {
        let fixture = try await Self.start("access-guess", perIP: "{requests_per_second: 0.2, burst: 4}")
        let server = fixture.server
        defer { server.stop() }
        let guesses = try (0..<8).map { index in
            try server.request("/maps/secret" + Self.tile, headers: ["Authorization: Bearer cairn_guess\(index)"])
        }
        #expect(guesses.prefix(4).allSatisfy { [401, 404].contains($0.status) }, "\(guesses.map(\.status))")
        #expect(guesses.suffix(3).allSatisfy { $0.status == 429 && Int($0.header("Retry-After") ?? "") ?? 0 >= 1 }, "\(guesses.map(\.status))")
        #expect(try server.metrics()["cairn_rate_limited_total"] ?? 0 >= 3)
    }

    // T10
    @Test func fiftyRacingRequestsForAColdInternalTileRenderOnceAndLeakNothing() async throws {
        let fixture = try await Self.start("access-race")
        let server = fixture.server
        defer { server.stop() }
        let before = try server.metrics()["cairn_renders_total"] ?? -1
        let path = "/maps/secret/14/13047/7221.png"
        let (keyA, keyB) = (fixture.keyA, fixture.keyB)
        let replies = await withTaskGroup(of: (Bool, HTTPReply?).self) { group in
            for index in 0..<50 {
                let authorised = index % 2 == 0
                group.addTask { (authorised, try? server.request(path, headers: ["Authorization: Bearer \(authorised ? keyA : keyB)"])) }
            }
            return await group.reduce(into: [(Bool, HTTPReply?)]()) { $0.append($1) }
        }
        let imagesA = replies.filter(\.0).compactMap(\.1)
        let repliesB = replies.filter { !$0.0 }.compactMap(\.1)
        #expect(imagesA.count == 25 && repliesB.count == 25)
        #expect(imagesA.allSatisfy { $0.status == 200 && Self.isPNG($0) })
        #expect(Set(imagesA.map(\.body)).count == 1, "authorised clients got different bytes")
        #expect(repliesB.allSatisfy { $0.status == 404 && !Self.isPNG($0) }, "\(repliesB.map(\.status))")
        #expect(try server.metrics()["cairn_renders_total"] == before + 1)
        #expect(server.isAlive())
    }
}

/// nginx as a shared caching proxy on 127.0.0.1 (its own folder, pid file and logs, run as a
/// child process without daemonising), honouring Cache-Control as shipped.
struct CachingProxy {
    let process: Process
    let port: Int

    static func start(nginx: String, upstream: Int, folder: String) throws -> CachingProxy {
        try FileManager.default.createDirectory(atPath: folder + "/cache", withIntermediateDirectories: true)
        // Workers may run as another user when the tests run as root.
        _ = try? runProgram("/bin/chmod", ["-R", "777", folder])
        let port = try InteropServer.freePort()
        let config = """
            daemon off;
            worker_processes 1;
            pid \(folder)/nginx.pid;
            error_log \(folder)/error.log;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path \(folder)/body;
                proxy_temp_path \(folder)/proxy;
                fastcgi_temp_path \(folder)/fastcgi;
                uwsgi_temp_path \(folder)/uwsgi;
                scgi_temp_path \(folder)/scgi;
                proxy_cache_path \(folder)/cache levels=1:2 keys_zone=tiles:1m max_size=50m inactive=10m use_temp_path=off;
                server {
                    listen 127.0.0.1:\(port);
                    location / {
                        proxy_pass http://127.0.0.1:\(upstream);
                        proxy_cache tiles;
                        add_header X-Proxy-Cache $upstream_cache_status always;
                    }
                }
            }
            """
        try config.write(toFile: folder + "/nginx.conf", atomically: true, encoding: .utf8)
        let process = try NginxProcess.start(nginx, folder: folder, port: port) { curlStatus("http://127.0.0.1:\(port)/health") == 200 }
        return CachingProxy(process: process, port: port)
    }

    func stop() { NginxProcess.stop(process) }
}
