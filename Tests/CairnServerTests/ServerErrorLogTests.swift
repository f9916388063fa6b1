@testable import CairnConfiguration
import CairnEngine
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import CairnTestSupport
import Testing
@testable import CairnServer

/// Every 5xx is logged once, with its cause; the cause never reaches the client.
struct ServerErrorLogTests {
    /// A map whose style file is missing: every tile is a server failure (503, the map is unavailable).
    /// (A cache that cannot be opened no longer fails requests: its tiles are rendered through.)
    static func brokenMapEngine() throws -> (TileEngine, String) {
        let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-missing-\(UUID().uuidString)").path
        let configuration = CairnConfiguration(
            cacheDirectory: blocker + "/cache",
            maps: [MapConfiguration(name: "mini", stylePath: blocker + "/style.json", title: "Mini", maxAgeSeconds: 600)]
        )
        var logger = Logger(label: "cairn-test")
        logger.logLevel = .critical
        return (TileEngine(configuration: configuration, logger: logger, renderThreads: 1), blocker)
    }

    @Test func aServerFailureIsLoggedOnceWithItsDetailAndRedactedPath() async throws {
        let (engine, blocker) = try Self.brokenMapEngine()
        await engine.loadMaps()
        let log = CapturedLog()
        let app = buildApplication(engine: engine, host: "127.0.0.1", port: 0, logger: log.logger())
        try await app.test(.router) { client in
            for path in ["/maps/mini/13/6523/3610.png?key=topsecret", "/wmts/mini/default/WebMercatorQuad/13/3610/6523.png?token=topsecret"] {
                log.clear()
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .serviceUnavailable, "\(path)")
                    let body = String(buffer: response.body)
                    #expect(!body.contains(blocker), "the detail must not reach the client: \(body)")
                    #expect(!body.contains("style.json"))
                }
                let errors = log.entries.filter { $0.level == .error }
                #expect(errors.count == 1, "\(path): \(log.entries)")
                let entry = try #require(errors.first)
                #expect(entry.metadata["status"] == "503")
                #expect(entry.metadata["code"] == "mapUnavailable")
                #expect(entry.metadata["message"] == "map mini is not available")
                #expect(entry.metadata["detail"]?.description.contains("style.json") == true)
                let loggedPath = try #require(entry.metadata["path"]?.description)
                #expect(loggedPath.contains("REDACTED"))
                #expect(!loggedPath.contains("topsecret"))
            }
            // Client errors are not server failures.
            log.clear()
            try await client.execute(uri: "/maps/nosuch/13/0/0.png", method: .get) { response in
                #expect(response.status.code < 500)
            }
            #expect(log.entries.filter { $0.level == .error }.isEmpty)
        }
        try await engine.shutdown()
    }
}
