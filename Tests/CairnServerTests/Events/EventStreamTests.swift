import CairnAccess
@testable import CairnConfiguration
import CairnCore
import CairnEngine
import CairnJobs
import CairnTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import CairnServer

/// `GET /maps/{map}/events` on a live server: what an expiry announces, who may listen, the cap,
/// keep-alives, and that a stream ends (and frees its place) when its client or the server goes.
struct EventStreamTests {
    /// A box inside tile 13/6523/3610 of the mini map that covers four of its children at z14.
    static let purge = #"{"map": "mini", "zooms": "13-14", "bbox": [106.67, 20.85, 106.69, 20.87]}"#

    static func logger() -> Logger {
        var logger = Logger(label: "cairn-events-test")
        logger.logLevel = .critical
        return logger
    }

    static func engine(maxSubscribers: Int = 1_000) -> TileEngine {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-events-\(UUID().uuidString)").path
        var configuration = CairnConfiguration(
            cacheDirectory: cache,
            maps: [MapConfiguration(name: "mini", stylePath: ServerFixtures.miniStyle, title: "Mini", maxAgeSeconds: 600)]
        )
        configuration.limits.maxEventSubscribers = maxSubscribers
        return TileEngine(configuration: configuration, logger: logger(), renderThreads: 2)
    }

    /// The public listener, live on a port of its own (read from the box once it runs).
    static func application(_ engine: TileEngine, port: PortBox, access: AccessControl? = nil,
                            keepAlive: Duration = .seconds(20)) -> some ApplicationProtocol {
        buildApplication(engine: engine, host: "127.0.0.1", port: 0, logger: logger(), access: access,
                         connections: ServerFixtures.patientConnections(), eventKeepAlive: keepAlive) { port.set($0) }
    }

    /// The `data:` JSON of the stream's `invalidate` events, in order.
    static func invalidations(_ text: String) -> [[String: Any]] {
        text.components(separatedBy: "\n\n").compactMap { event -> [String: Any]? in
            let lines = event.components(separatedBy: "\n")
            guard lines.contains("event: invalidate"), let data = lines.first(where: { $0.hasPrefix("data: ") }) else { return nil }
            return try? JSONSerialization.jsonObject(with: Data(data.dropFirst(6).utf8)) as? [String: Any]
        }
    }

    @Test func aPurgeThroughTheAdminAPIIsAnnouncedWithItsTileRanges() async throws {
        let engine = Self.engine()
        let port = PortBox()
        try await Self.application(engine, port: port).test(.live) { _ in
            let stream = try await EventStreamClient.open(port: port.get(), path: "/maps/mini/events")
            // The opening comment is written once the subscription exists.
            #expect(await stream.waitFor { $0.contains(": invalidations of mini") })
            #expect(stream.status == 200)
            let head = stream.text.lowercased()
            #expect(head.contains("content-type: text/event-stream"))
            #expect(head.contains("cache-control: no-store"))
            #expect(head.contains("x-accel-buffering: no"))
            #expect(head.contains("access-control-allow-origin: *"))

            try await AdminFixtures.application(engine, AdminFixtures.jobs(engine)).test(.router) { admin in
                try await admin.execute(uri: "/admin/purge", method: .post, headers: AdminFixtures.authorization,
                                        body: AdminFixtures.body(Self.purge)) { response in
                    #expect(response.status == .ok, "\(String(buffer: response.body))")
                }
            }
            #expect(await stream.waitFor { Self.invalidations($0).count == 1 })
            let event = try #require(Self.invalidations(stream.text).first)
            #expect(event["map"] as? String == "mini")
            #expect(event["zooms"] as? [Int] == [13, 14])
            #expect(event["deleted"] as? Bool == true)
            #expect(event["formats"] as? [String] == ["png", "pbf", "webp"])
            #expect(event["scales"] as? [Int] == [1, 2])
            let tiles = try #require(event["tiles"] as? [[String: Int]])
            #expect(tiles == [["z": 13, "minX": 6523, "minY": 3610, "maxX": 6523, "maxY": 3610],
                              ["z": 14, "minX": 13046, "minY": 7220, "maxX": 13047, "maxY": 7221]])
            let bbox = try #require(event["bbox"] as? [Double])
            #expect(bbox == [106.67, 20.85, 106.69, 20.87])
            // The SSE id is the event's.
            let id = try #require(event["id"] as? Int)
            #expect(stream.text.contains("id: \(id)\nevent: invalidate\n"))
            await stream.close()
        }
        try await engine.shutdown()
    }

    @Test func anInternalMapsStreamIsRefusedAsItsTilesAreAndOpensWithAKey() async throws {
        let fixture = try await AccessFixture()
        let port = PortBox()
        try await Self.application(fixture.engine, port: port, access: fixture.control).test(.live) { client in
            // Anonymous, a wrong key, a key for another map: the same answer as the map's tiles.
            let credentials: [HTTPFields] = [[:], [.xAPIKey: "ck_nonsense"], [.xAPIKey: fixture.planningKey]]
            for headers in credentials {
                let tile = try await client.execute(uri: "/maps/secret/13/6523/3610.png", method: .get, headers: headers) { $0 }
                let events = try await client.execute(uri: "/maps/secret/events", method: .get, headers: headers) { $0 }
                #expect(events.status == tile.status)
                #expect(String(buffer: events.body) == String(buffer: tile.body))
                for name in [HTTPField.Name.contentType, .cacheControl, .vary, .wwwAuthenticate, .accessControlAllowOrigin] {
                    #expect(events.headers[name] == tile.headers[name], "\(name)")
                }
                #expect(tile.status != .ok)
            }
            // What the map's tiles accept opens the stream: an API key (in a header, or as `?key=`), a
            // signed token, and the viewer's tile token (`?token=`, which is how `EventSource` sends it).
            let jwt = try await AccessFixture.token()
            let tileToken = fixture.signer.tileToken(for: EmbedGrant(map: "secret", expiresAt: Date().addingTimeInterval(300), id: "viewer"))
            for (path, headers) in [("/maps/secret/events", ["X-API-Key: \(fixture.secretKey)"]),
                                    ("/maps/secret/events?key=\(fixture.secretKey)", []),
                                    ("/maps/secret/events", ["Authorization: Bearer \(jwt)"]),
                                    ("/maps/secret/events?token=\(tileToken)", [])] {
                let stream = try await EventStreamClient.open(port: port.get(), path: path, headers: headers)
                #expect(await stream.waitFor { $0.contains(": invalidations of secret") })
                #expect(stream.status == 200)
                #expect(stream.text.lowercased().contains("cache-control: no-store"))
                // Not `*`: an internal map's responses name only the origins its credential allows.
                #expect(!stream.text.lowercased().contains("access-control-allow-origin: *"))
                await stream.close()
            }
        }
        try await fixture.engine.shutdown()
    }

    @Test func streamsBeyondTheCapAreRefusedWith503() async throws {
        let engine = Self.engine(maxSubscribers: 2)
        let port = PortBox()
        try await Self.application(engine, port: port).test(.live) { client in
            var open: [EventStreamClient] = []
            for _ in 0..<2 {
                let stream = try await EventStreamClient.open(port: port.get(), path: "/maps/mini/events")
                #expect(await stream.waitFor { $0.contains(": invalidations of mini") })
                open.append(stream)
            }
            try await client.execute(uri: "/maps/mini/events", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "30")
                #expect(String(buffer: response.body).contains("too many event streams"))
            }
            // Tiles are not affected by the cap.
            try await client.execute(uri: "/maps/mini/13/6523/3610.png", method: .get) { #expect($0.status == .ok) }
            for stream in open { await stream.close() }
        }
        try await engine.shutdown()
    }

    @Test func aClientThatGoesAwayFreesItsPlace() async throws {
        let engine = Self.engine(maxSubscribers: 1)
        let port = PortBox()
        try await Self.application(engine, port: port).test(.live) { client in
            let first = try await EventStreamClient.open(port: port.get(), path: "/maps/mini/events")
            #expect(await first.waitFor { $0.contains(": invalidations of mini") })
            #expect(engine.invalidations.subscriberCount == 1)
            await first.close()
            // Noticed when the connection closes, not at the next keep-alive (20 s away).
            #expect(await Wait.until(timeout: .seconds(10)) { engine.invalidations.subscriberCount == 0 })
            let second = try await EventStreamClient.open(port: port.get(), path: "/maps/mini/events")
            #expect(await second.waitFor { $0.contains(": invalidations of mini") })
            #expect(second.status == 200)
            await second.close()
            _ = client
        }
        try await engine.shutdown()
    }

    @Test func idleStreamsGetKeepAliveComments() async throws {
        let engine = Self.engine()
        let port = PortBox()
        try await Self.application(engine, port: port, keepAlive: .milliseconds(50)).test(.live) { _ in
            let stream = try await EventStreamClient.open(port: port.get(), path: "/maps/mini/events")
            #expect(await stream.waitFor { $0.components(separatedBy: ": keep-alive\n\n").count > 3 })
            await stream.close()
        }
        try await engine.shutdown()
    }

    @Test func streamsEndWhenTheServerShutsDown() async throws {
        let engine = Self.engine()
        let port = PortBox()
        // The test closure returning shuts the server down gracefully; an open stream must not hold it up.
        let ended = try await Self.application(engine, port: port).test(.live) { _ in
            let stream = try await EventStreamClient.open(port: port.get(), path: "/maps/mini/events")
            #expect(await stream.waitFor { $0.contains(": invalidations of mini") })
            return stream
        }
        #expect(await Wait.until(timeout: .seconds(10)) { ended.isClosed })
        #expect(engine.invalidations.subscriberCount == 0)
        try await engine.shutdown()
    }

    @Test func aReconnectingClientThatMissedInvalidationsIsToldToReset() async throws {
        let engine = Self.engine()
        let port = PortBox()
        try await Self.application(engine, port: port).test(.live) { _ in
            _ = try await engine.expire(map: "mini", ExpireRequest(zooms: 13...13, tiles: [TileCoordinate(z: 13, x: 6523, y: 3610)]))
            let latest = try #require(engine.invalidations.lastID(of: "mini"))
            let behind = try await EventStreamClient.open(port: port.get(), path: "/maps/mini/events", headers: ["Last-Event-ID: \(latest - 1)"])
            #expect(await behind.waitFor { $0.contains("event: reset\ndata: {\"map\":\"mini\"}\n\n") })
            let current = try await EventStreamClient.open(port: port.get(), path: "/maps/mini/events", headers: ["Last-Event-ID: \(latest)"])
            #expect(await current.waitFor { $0.contains(": invalidations of mini") })
            #expect(!current.text.contains("event: reset"))
            await behind.close()
            await current.close()
        }
        try await engine.shutdown()
    }
}
