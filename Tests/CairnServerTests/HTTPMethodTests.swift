import CairnEngine
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import CairnTestSupport
import Testing
@testable import CairnServer

/// HEAD wherever GET is; 405 with `Allow` for other methods on known paths; 404 on unknown ones.
struct HTTPMethodTests {
    static let getPaths = [
        "/", "/maps", "/health", "/maps/mini", "/maps/mini/tiles.json", "/maps/mini/13/6523/3610.png", "/maps/mini/13/6523/3610.webp",
        "/wmts/1.0.0/WMTSCapabilities.xml", "/ogcapi/collections", "/assets/viewer.js", "/embed/mini",
        "/maps/nope/13/6523/3610.png",
    ]

    /// Headers that differ between two requests for reasons other than the method.
    static let varying: Set<HTTPField.Name> = [.date]

    @Test func headAnswersAsGetWithoutABody() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            for path in Self.getPaths {
                // GET first, so a tile is cached (its metatile stored behind the answer) and both see
                // the same X-Cairn-Cache.
                _ = try await client.execute(uri: path, method: .get) { _ in }
                #expect(await Wait.until { engine.batchesFinishingBehindAnswers == 0 })
                let get = try await client.execute(uri: path, method: .get) { $0 }
                try await client.execute(uri: path, method: .head) { head in
                    #expect(head.status == get.status, "\(path)")
                    #expect(head.body.readableBytes == 0, "\(path)")
                    let getHeaders = get.headers.filter { !Self.varying.contains($0.name) }
                    let headHeaders = head.headers.filter { !Self.varying.contains($0.name) }
                    #expect(headHeaders == getHeaders, "\(path)")
                    #expect(head.headers[.contentLength] == String(get.body.readableBytes), "\(path)")
                }
            }
        }
        try await engine.shutdown()
    }

    @Test func otherMethodsOnKnownPathsGet405WithAllow() async throws {
        let engine = ServerFixtures.engine()
        try await ServerFixtures.application(engine).test(.router) { client in
            for path in ["/maps", "/maps/mini/13/6523/3610.png", "/wmts", "/ogcapi/collections/mini", "/maps/nope/tiles.json"] {
                for method in [HTTPRequest.Method.post, .put, .delete, .patch] {
                    try await client.execute(uri: path, method: method) { response in
                        #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                        #expect(response.headers[.allow] == "GET, HEAD, OPTIONS", "\(method) \(path)")
                        #expect(response.headers[.cacheControl] == "no-store")
                    }
                }
            }
            // A plain OPTIONS says what the resource takes; a CORS preflight is still a preflight.
            try await client.execute(uri: "/maps/mini/tiles.json", method: .options) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.allow] == "GET, HEAD, OPTIONS")
            }
            try await client.execute(uri: "/maps/mini/tiles.json", method: .options,
                                     headers: [.origin: "https://a.example", .accessControlRequestMethod: "GET"]) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowMethods] == "GET, HEAD, OPTIONS")
                #expect(response.headers[.allow] == nil)
            }
            // Unknown paths stay 404 whatever the method.
            for method in [HTTPRequest.Method.get, .head, .post, .delete, .options] {
                try await client.execute(uri: "/no/such/path", method: method) { response in
                    #expect(response.status == .notFound, "\(method)")
                }
            }
        }
        try await engine.shutdown()
    }

    /// HEAD and other methods on an internal map get exactly what GET gets: the same 404 as an unknown map.
    @Test func headAndOtherMethodsRevealNothingAboutInternalMaps() async throws {
        let f = try await AccessFixture()
        try await f.application().test(.router) { client in
            for method in [HTTPRequest.Method.get, .head] {
                let secret = try await client.execute(uri: "/maps/secret/13/6523/3610.png", method: method) { $0 }
                let unknown = try await client.execute(uri: "/maps/unknown/13/6523/3610.png", method: method) { $0 }
                #expect(secret.status == .notFound)
                #expect(secret.status == unknown.status)
                #expect(secret.headers.filter { $0.name != .date } == unknown.headers.filter { $0.name != .date })
                #expect(secret.body == unknown.body)
            }
            try await client.execute(uri: "/maps/secret/13/6523/3610.png", method: .head, headers: [.xAPIKey: f.secretKey]) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == 0)
                #expect(response.headers[.cacheControl]?.hasPrefix("private") == true)
            }
            let secret = try await client.execute(uri: "/maps/secret/13/6523/3610.png", method: .post) { $0 }
            let unknown = try await client.execute(uri: "/maps/unknown/13/6523/3610.png", method: .post) { $0 }
            #expect(secret.status == .methodNotAllowed)
            #expect(secret.body == unknown.body)
        }
        try await f.engine.shutdown()
    }

    @Test(.interop) func curlHeadAgainstALiveServer() async throws {
        let engine = ServerFixtures.engine()
        let port = PortBox()
        let app = buildApplication(engine: engine, host: "127.0.0.1", port: 0, connections: ServerFixtures.patientConnections()) { port.set($0) }
        try await app.test(.live) { _ in
            let run = try Self.curl(["-sI", "--max-time", "20", "http://127.0.0.1:\(port.get())/maps/mini/13/6523/3610.png"])
            let lines = run.split(separator: "\r\n").map(String.init)
            #expect(lines.first?.hasPrefix("HTTP/1.1 200") == true, "\(run)")
            #expect(lines.contains { $0.lowercased() == "content-type: image/png" })
            #expect(lines.contains { $0.lowercased().hasPrefix("content-length: ") && !$0.hasSuffix(": 0") })
            let post = try Self.curl(["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "--max-time", "20",
                                      "http://127.0.0.1:\(port.get())/health"])
            #expect(post == "405")
        }
        try await engine.shutdown()
    }

    static func curl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(data: data, encoding: .utf8) ?? ""
    }
}
