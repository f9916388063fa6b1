import Foundation
import Testing
import CairnTestSupport

/// Attack and bad-input cases (docs: security-and-reliability-cases.md §5) against a live
/// `cairn serve`: each asserts the answer, that nothing rendered, and that the server still
/// serves a normal tile afterwards.
@Suite(.interop, .serialized) struct SecurityProbeTests {
    static let mapLines = "  - name: mini\n    style: \(CommandLineTests.miniStyle)\n    metatile: 2\n"
    /// Rate limits off, so the probes measure the parser and routes alone.
    static let noRateLimits = """
        limits:
          per_ip: {requests_per_second: 0, renders_per_second: 0}

        """

    static func server(_ name: String) async throws -> SecurityServer {
        let server = try await SecurityServer.start(name, mapLines: mapLines, preamble: noRateLimits, admin: true)
        #expect(server.isAlive(), "the warm-up tile failed")
        return server
    }

    /// Runs `probe`, then checks that no render started and that a normal tile is still served.
    static func expectNoRenders(_ server: SecurityServer, _ probe: () throws -> Void) throws {
        let before = try server.metrics()["cairn_renders_total"] ?? -1
        try probe()
        #expect(server.isAlive())
        #expect(try server.metrics()["cairn_renders_total"] == before, "a bad request started a render")
    }

    // T1
    @Test func pathTricksInMapNamesNeverReachTheFileSystem() async throws {
        let server = try await Self.server("t1")
        defer { server.stop() }
        let paths = [
            "/maps/../../etc/passwd", "/maps/..%2F..%2Fetc%2Fpasswd/0/0/0.png", "/maps/%2e%2e/0/0/0.png",
            "/maps/%2E%2E/%2E%2E/etc/passwd", "/maps/a%00b/0/0/0.png", "/maps/a\\..\\b/0/0/0.png",
            "/maps/" + String(repeating: "a", count: 300) + "/0/0/0.png", "/maps/m%D1%96ni/0/0/0.png", "/maps/MINI/0/0/0.png",
            "/maps/mini%2F..%2F..%2Fcairn.yaml/0/0/0.png", "/maps/mini/..%2f..%2fcairn.yaml", "/maps/%2e%2e/tiles.json",
            "/maps/..%5c..%5ccairn.yaml/", "/maps/../cairn.yaml", "/tms/1.0.0/..%2Fcache/0/0/0.png",
            "/maps/mini/grids/..%2F..%2Fetc/0/0/0.png", "/ogcapi/collections/%2e%2e%2fcairn.yaml", "/wmts/..%2F/default/x/0/0/0.png",
        ]
        try Self.expectNoRenders(server) {
            for path in paths {
                let reply = try server.request(path)
                #expect([400, 404].contains(reply.status), "\(path.prefix(80)) gave \(reply.status)")
                #expect(!reply.text.contains("root:") && !reply.text.contains("listen:") && !reply.text.contains("SQLite format"),
                        "\(path.prefix(80)) leaked file content")
            }
        }
    }

    // T2
    @Test func malformedTileNumbersAreRefusedAtOnce() async throws {
        let server = try await Self.server("t2")
        defer { server.stop() }
        let malformed = ["-1/0/0", "0/-1/0", "0/0/-1", "1e3/0/0", "+1/0/0", "0x10/0/0", "007/0/0", "1/01/0", "%D9%A1%D9%A2/0/0",
                         "3.0/0/0", "0/0/99999999999999999999", "0/99999999999999999999/0", "999/0/0", "%EF%BC%91/0/0"]
        let outOfRange = ["99/0/0", "21/0/0", "1/2/0", "1/0/2", "13/8192/0", "2/0/4"]
        try Self.expectNoRenders(server) {
            for tile in malformed {
                let started = ContinuousClock.now
                let reply = try server.request("/maps/mini/\(tile).png")
                #expect(reply.status == 400, "\(tile) gave \(reply.status)")
                #expect(reply.header("Cache-Control") == "no-store")
                #expect(ContinuousClock.now - started < .seconds(1))
            }
            for tile in outOfRange {
                let reply = try server.request("/maps/mini/\(tile).png")
                #expect(reply.status == 404, "\(tile) gave \(reply.status)")
            }
            for path in ["/maps/mini//0/0.png", "/maps/mini/0//0.png", "/maps/mini/0/0/.png", "/maps/mini/0/0/0.PNG", "/maps/mini/0/0/0.png.png",
                         "/maps/mini/0/0/0", "/maps/mini/0/0/0.jpg", "/maps/mini/0/0/0.png%00", "/tms/1.0.0/mini/007/0/0.png",
                         "/maps/mini/grids/WebMercatorQuad/-1/0/0.png", "/ogcapi/collections/mini/map/tiles/WebMercatorQuad/1e3/0/0"] {
                let reply = try server.request(path)
                #expect([400, 404].contains(reply.status), "\(path) gave \(reply.status)")
            }
        }
    }

    // T3
    @Test func brokenPercentEncodingIsABadRequest() async throws {
        let server = try await Self.server("t3")
        defer { server.stop() }
        try Self.expectNoRenders(server) {
            for path in ["/maps/mini/0/0/0%4.png", "/maps/mini/0/0/0%ZZ.png", "/maps/%C0%AE%C0%AE/0/0/0.png", "/maps/mini/%ED%A0%80/0/0.png",
                         "/maps/mini/0/0/0.png?x=%ZZ", "/maps/mini/0/0/0.png?x=%C0%AE", "/maps/mini/0/0/0.png?x=%ED%A0%80", "/maps/mini%00/0/0/0.png",
                         "/maps/mini/0/0/0.png?x=%0A", "/maps/mini/0/0/0.png?x=%"] {
                let reply = try server.request(path)
                #expect(reply.status == 400, "\(path) gave \(reply.status)")
            }
            for target in ["/maps/mini/\u{FF}/0/0.png", "/maps/mini/0/0/0.png?x=\u{FF}\u{FE}"] {
                let bytes = Array("GET ".utf8) + target.unicodeScalars.map { UInt8($0.value) } + Array(" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)
                let answer = try server.raw(bytes)
                #expect(answer.hasPrefix("HTTP/1.1 400"), "raw bytes in \(target.debugDescription) gave \(answer.prefix(40))")
            }
        }
    }

    // T4, T21 (request line)
    @Test func repeatedAndOversizedQueriesAreCapped() async throws {
        let server = try await Self.server("t4")
        defer { server.stop() }
        try Self.expectNoRenders(server) {
            let tile = "/maps/mini/0/0/0.png"
            let layers = "?layers=" + Array(repeating: "a", count: 1500).joined(separator: ",")
            let tooLong = [414, 431]  // a target past the header budget is refused by the HTTP decoder already
            #expect(tooLong.contains(try server.request(tile + layers).status))
            let many = "?" + (0..<10_000).map { "p\($0)=1" }.joined(separator: "&")
            #expect(tooLong.contains(try server.request(tile + many).status))
            let same = "?f=1" + String(repeating: "&f=1", count: 599)
            #expect(tooLong.contains(try server.request(tile + same).status))
            #expect(try server.request(tile + "?f=json&f=json").status == 400)
            #expect(try server.request(tile + "?scheme=tms&SCHEME=xyz").status == 400)
            #expect(try server.request(tile + "?" + (0..<17).map { "p\($0)=1" }.joined(separator: "&")).status == 400)
            #expect(try server.request("/maps/mini/" + String(repeating: "0/", count: 700) + "0.png").status == 414)
            // A 2 MB request line: refused before it is buffered, connection closed.
            let line = Array("GET /maps/mini/0/0/0.png?q=".utf8) + Array(repeating: UInt8(ascii: "a"), count: 2_000_000) + Array(" HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            let answer = try server.raw(line, timeout: 10)
            // The server may close before the client has sent it all; a reset connection is a refusal too.
            #expect(answer.isEmpty || ["HTTP/1.1 431", "HTTP/1.1 414", "HTTP/1.1 400"].contains(String(answer.prefix(12))), "\(answer.prefix(60))")
        }
    }

    // T5
    @Test func scalesAndFormatsOutsideTheAllowListNeverRender() async throws {
        let server = try await Self.server("t5")
        defer { server.stop() }
        try Self.expectNoRenders(server) {
            for file in ["0@100x.png", "0@0x.png", "0@2.5x.png", "0@3x.png", "0@2X.png", "0@-2x.png", "0@1x.png", "0@02x.png", "0.PNG", "0.png.png", "0@2x@2x.png",
                         "0.jpeg", "0.WEBP", "0.svg"] {
                let reply = try server.request("/maps/mini/0/0/\(file)")
                #expect([400, 404].contains(reply.status), "\(file) gave \(reply.status)")
            }
            for path in ["/maps/mini/grids/WebMercatorQuad/0/0/0@100x.png", "/tms/1.0.0/mini/0/0/0@0x.png",
                         "/wmts/mini/default/WebMercatorQuad/0/0/0.PNG", "/wmts/mini/default/WebMercatorQuad/0/0/0@100x.png",
                         "/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=mini&STYLE=default&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=0&TILEROW=0&TILECOL=0&FORMAT=image/tiff"] {
                let reply = try server.request(path)
                #expect([400, 404].contains(reply.status), "\(path) gave \(reply.status)")
            }
        }
    }

    // T7
    @Test func probesAreNeverEchoedUnescaped() async throws {
        let server = try await Self.server("t7")
        defer { server.stop() }
        let probes = [#""><script>alert(1)</script>"#, "'-alert(1)-'", "<svg onload=alert(1)>", "--><x>alert(1)"]
        func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
        try Self.expectNoRenders(server) {
            for probe in probes {
                let p = encoded(probe)
                let paths = [
                    "/maps/\(p)/0/0/0.png", "/maps/mini/\(p)/0/0.png", "/maps/mini/0/0/\(p).png", "/maps/\(p)/tiles.json", "/maps/\(p)/", "/maps/\(p)",
                    "/maps/mini/grids/\(p)/tiles.json", "/wmts?SERVICE=WMTS&REQUEST=\(p)", "/wmts?SERVICE=\(p)&REQUEST=GetCapabilities",
                    "/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=\(p)&STYLE=default&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=0&TILEROW=0&TILECOL=0&FORMAT=image/png",
                    "/wmts/\(p)/default/WebMercatorQuad/0/0/0.png", "/ogcapi/collections/\(p)?f=html", "/ogcapi/collections/mini/map/tiles/\(p)?f=html",
                    "/ogcapi/tileMatrixSets/\(p)?f=html", "/ogcapi?f=\(p)", "/maps/mini/tiles.json?scheme=\(p)", "/\(p)",
                ]
                for path in paths {
                    let reply = try server.request(path)
                    for needle in ["alert(1)", "<script>alert", "<svg onload", "--><x>"] {
                        #expect(!reply.text.contains(needle), "\(path.prefix(90)) echoed \(needle): \(reply.text.prefix(200))")
                    }
                    if reply.status >= 400 {
                        #expect(reply.header("X-Content-Type-Options") == "nosniff", "\(path.prefix(90)) \(reply.status) without nosniff")
                        #expect(!(reply.header("Content-Type") ?? "").contains("text/html"), "\(path.prefix(90)) error served as HTML")
                    }
                }
                for page in ["/maps/mini/", "/maps/mini/tiles.json", "/", "/ogcapi/collections/mini?f=html", "/wmts/1.0.0/WMTSCapabilities.xml"] {
                    let reply = try server.request(page, headers: ["Origin: \(probe)", "Referer: https://x.example/\(p)", "Accept: \(probe)", "X-Forwarded-Host: \(probe)"])
                    #expect(!reply.text.contains("alert(1)"), "\(page) echoed a header probe")
                }
            }
        }
    }

    // T20
    @Test func adminSurfaceDoesNotExistOnThePublicListener() async throws {
        let server = try await Self.server("t20")
        defer { server.stop() }
        let auth = "Authorization: Bearer \(SecurityServer.adminToken)"
        try Self.expectNoRenders(server) {
            for (method, path) in [("POST", "/admin/seed"), ("POST", "/admin/purge"), ("POST", "/admin/reload"), ("GET", "/admin/metrics"),
                                   ("GET", "/admin/config"), ("GET", "/admin/jobs"), ("GET", "/admin/health"), ("GET", "/metrics"),
                                   ("GET", "/debug"), ("GET", "/config"), ("GET", "/demo"), ("GET", "/admin/"), ("GET", "/cairn.yaml")] {
                for headers in [[], [auth]] {
                    let reply = try server.request(path, method: method, headers: headers, body: method == "POST" ? #"{"map":"mini"}"# : nil)
                    #expect(reply.status == 404, "\(method) \(path) on the public port gave \(reply.status)")
                    #expect(!reply.text.contains("cairn_"), "\(path) showed metrics")
                }
            }
        }
    }

    // T21
    @Test func httpParserAbuseIsRefusedAndNothingIsSmuggled() async throws {
        let server = try await Self.server("t21")
        defer { server.stop() }
        try Self.expectNoRenders(server) {
            let big = try server.request("/health", headers: ["X-Big: " + String(repeating: "a", count: 100_000)])
            #expect(big.status == 431, "a 100 KB header gave \(big.status)")
            let manyHeaders = Array("GET /health HTTP/1.1\r\nHost: x\r\n".utf8) + (0..<10_000).flatMap { Array("X-\($0): a\r\n".utf8) } + Array("\r\n".utf8)
            let many = try server.raw(manyHeaders)
            #expect(many.hasPrefix("HTTP/1.1 431"), "10,000 headers gave \(many.prefix(40))")
            #expect(try server.request("/health", headers: (0..<100).map { "X-\($0): a" }).status == 431)
            // The second request hides in the body the first one's second Content-Length would announce.
            let smuggled = "GET /admin/metrics HTTP/1.1\r\nHost: x\r\n\r\n"
            let twoLengths = "GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: \(smuggled.utf8.count)\r\n\r\n" + smuggled
            let answer1 = try server.raw(Array(twoLengths.utf8))
            #expect(answer1.hasPrefix("HTTP/1.1 400"), "two Content-Lengths gave \(answer1.prefix(40))")
            #expect(answer1.components(separatedBy: "HTTP/1.1 ").count == 2, "a smuggled request was answered: \(answer1.prefix(300))")
            let clte = "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled
            let answer2 = try server.raw(Array(clte.utf8))
            #expect(answer2.hasPrefix("HTTP/1.1 400"), "CL + TE gave \(answer2.prefix(40))")
            #expect(answer2.components(separatedBy: "HTTP/1.1 ").count == 2, "a smuggled request was answered: \(answer2.prefix(300))")
            let http10 = try server.raw(Array("GET /health HTTP/1.0\r\n\r\n".utf8))
            #expect(http10.hasPrefix("HTTP/1."), "HTTP/1.0 without Host gave \(http10.prefix(40))")
            let bodyOnGet = try server.raw(Array("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello".utf8))
            #expect(bodyOnGet.hasPrefix("HTTP/1.1 "), "a body on GET gave \(bodyOnGet.prefix(40))")
            let pipelined = Array(String(repeating: "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", count: 200).utf8)
            let answers = try server.raw(pipelined).components(separatedBy: "HTTP/1.1 200").count - 1
            #expect(answers == 200, "200 pipelined requests got \(answers) answers")
        }
    }

    // T17, T19: URLs and SQL/expression text in every parameter are inert.
    @Test func sqlExpressionAndURLProbesAreInert() async throws {
        let server = try await Self.server("t19")
        defer { server.stop() }
        let probes = ["name' OR '1'='1", "1;DROP TABLE tiles", "exec(java.lang.Runtime.getRuntime(),'id')", "${jndi:ldap://x}",
                      "strStartsWith(name,'x'')", "http://169.254.169.254/latest/meta-data/", "file:///etc/passwd", "gopher://127.0.0.1:6379/", "//evil.example/x"]
        try Self.expectNoRenders(server) {
            for probe in probes {
                let p = probe.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                for path in ["/maps/\(p)/0/0/0.png", "/maps/mini/\(p)/0/0.png", "/maps/mini/13/6523/3610.png?f=\(p)", "/maps/mini/tiles.json?scheme=\(p)",
                             "/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=\(p)&STYLE=default&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=0&TILEROW=0&TILECOL=0&FORMAT=image/png",
                             "/ogcapi/collections/mini/map/tiles/\(p)", "/maps/mini/?url=\(p)"] {
                    let reply = try server.request(path)
                    #expect(reply.status < 500, "\(path.prefix(90)) gave \(reply.status)")
                    #expect(!reply.text.contains("root:") && !reply.text.contains("ami-id"))
                }
            }
            let cache = try FileManager.default.contentsOfDirectory(atPath: server.folder + "/cache")
            #expect(cache.allSatisfy { $0.hasPrefix("mini") }, "a probe created a cache file: \(cache)")
        }
    }

    // T15: secrets in requests never reach the log, the metrics or an error body.
    @Test func secretsNeverReachLogsOrMetrics() async throws {
        let server = try await Self.server("t15")
        defer { server.stop() }
        let secret = "SECRET" + String(UUID().uuidString.prefix(12))
        let replies = try [
            server.request("/maps/mini/0/0/0.png?token=\(secret)"), server.request("/maps/mini/0/0/0.png?key=\(secret)"),
            server.request("/maps/nope/0/0/0.png?token=\(secret)"), server.request("/maps/mini/0/0/0%ZZ.png?token=\(secret)"),
            server.request("/maps/mini/", headers: ["Authorization: Bearer \(secret)"]),
            server.request("/admin/metrics", headers: ["Authorization: Bearer \(secret)"], admin: true),
            server.request("/admin/purge", method: "POST", headers: ["Authorization: Bearer \(secret)"], body: "{}", admin: true),
            server.request("/admin/purge", method: "POST", headers: ["Authorization: Bearer \(SecurityServer.adminToken)"], body: #"{"map": "\#(secret)"}"#, admin: true),
        ]
        for reply in replies { #expect(!reply.text.contains(secret)) }
        let metrics = try server.request("/admin/metrics", headers: ["Authorization: Bearer \(SecurityServer.adminToken)"], admin: true)
        #expect(metrics.status == 200)
        #expect(!metrics.text.contains(secret) && !metrics.text.contains(SecurityServer.adminToken))
        #expect(server.isAlive())
        server.stop()
        #expect(!server.log.contains(secret), "a secret reached the log")
        #expect(!server.log.contains(SecurityServer.adminToken), "the admin token reached the log")
    }
}
