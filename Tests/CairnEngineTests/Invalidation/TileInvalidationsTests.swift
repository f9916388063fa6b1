import CairnConfiguration
import CairnCore
@testable import CairnEngine
import CairnTestSupport
import Foundation
import Testing

/// The engine's broadcast of tile invalidations: the cap, order, slow readers, ending, and what
/// `TileEngine.expire` publishes.
struct TileInvalidationsTests {
    static func invalidation(_ map: String = "mini") -> TileInvalidation {
        TileInvalidation(map: map, zooms: 13...13, bbox: nil, tiles: [TileRange(z: 13, minX: 1, minY: 2, maxX: 3, maxY: 4)],
                         formats: [.png], scales: [1], deleted: false)
    }

    @Test func subscriptionsAreCappedAndAnEndedOneFreesItsPlace() {
        let hub = TileInvalidations(capacity: 2)
        let first = hub.subscribe(map: "mini")
        let second = hub.subscribe(map: "other")
        #expect(first != nil && second != nil)
        #expect(hub.subscribe(map: "mini") == nil)
        #expect(hub.subscriberCount == 2)
        first?.end()
        first?.end()
        #expect(hub.subscriberCount == 1)
        #expect(hub.subscribe(map: "mini") != nil)
    }

    @Test func subscribersGetTheirMapsInvalidationsInIDOrder() async {
        let hub = TileInvalidations(capacity: 10)
        let mini = hub.subscribe(map: "mini")!
        let other = hub.subscribe(map: "other")!
        let a = hub.publish(Self.invalidation())
        hub.publish(Self.invalidation("other"))
        let c = hub.publish(Self.invalidation())
        // Ids count per map: another map's invalidations leave no gap.
        #expect(c.id == a.id + 1)
        #expect(hub.lastID(of: "mini") == c.id)
        // They start at the server's start time (milliseconds), so they increase across restarts.
        #expect(a.id > Int(Date().timeIntervalSince1970 * 1000) - 60_000)
        #expect(await mini.next() == [.invalidated(a), .invalidated(c)])
        #expect(await other.next()?.count == 1)
    }

    @Test func aReaderTooFarBehindGetsOneResetThenGoesOn() async {
        let hub = TileInvalidations(capacity: 10, backlogLimit: 3)
        let slow = hub.subscribe(map: "mini")!
        for _ in 0..<5 { hub.publish(Self.invalidation()) }
        #expect(await slow.next() == [.reset])
        let next = hub.publish(Self.invalidation())
        #expect(await slow.next() == [.invalidated(next)])
    }

    @Test func aWaitingReaderIsWokenByPublishingWakingEndingAndCancellation() async {
        let hub = TileInvalidations(capacity: 10)
        let subscription = hub.subscribe(map: "mini")!
        async let published = subscription.next()
        await Wait.until { subscription.isWaiting }
        let invalidation = hub.publish(Self.invalidation())
        #expect(await published == [.invalidated(invalidation)])

        async let woken = subscription.next()
        await Wait.until { subscription.isWaiting }
        subscription.wake()
        #expect(await woken == [])

        let reader = Task { await subscription.next() }
        await Wait.until { subscription.isWaiting }
        reader.cancel()
        #expect(await reader.value == nil)
        #expect(hub.subscriberCount == 0)
        #expect(await subscription.next() == nil)

        let closing = hub.subscribe(map: "mini")!
        async let closed = closing.next()
        await Wait.until { closing.isWaiting }
        hub.close()
        #expect(await closed == nil)
        #expect(hub.subscribe(map: "mini") == nil)
    }

    @Test func anExpiryIsPublishedWithItsWebMercatorRanges() async throws {
        let engine = TileEngine(configuration: CairnConfiguration(cacheDirectory: TestPaths.temporaryFolder(), maps: [
            MapConfiguration(name: "mini", stylePath: TestPaths.miniStyle),
        ]), renderThreads: 1)
        let subscription = try #require(engine.invalidations.subscribe(map: "mini"))
        _ = try await engine.expire(map: "mini", ExpireRequest(zooms: 12...14, tiles: [TileCoordinate(z: 13, x: 6523, y: 3610)], scales: [2]))
        let deliveries = await subscription.next()
        guard case .invalidated(let event)? = deliveries?.first else {
            Issue.record("expected an invalidation, got \(String(describing: deliveries))")
            return
        }
        #expect(event.map == "mini")
        #expect(event.zooms == 12...14)
        #expect(event.tiles == [TileRange(z: 12, minX: 3261, minY: 1805, maxX: 3261, maxY: 1805),
                                TileRange(z: 13, minX: 6523, minY: 3610, maxX: 6523, maxY: 3610),
                                TileRange(z: 14, minX: 13046, minY: 7220, maxX: 13047, maxY: 7221)])
        #expect(event.scales == [2])
        #expect(event.formats == [.png, .pbf, .webp])
        #expect(event.deleted == false)
        let bbox = try #require(event.bbox)
        #expect(abs(bbox.minX - 106.6552734375) < 1e-9 && abs(bbox.maxX - 106.69921875) < 1e-9)
        #expect(abs(bbox.minY - 20.838277806058926) < 1e-9 && abs(bbox.maxY - 20.879342971957897) < 1e-9)
        #expect(event.json.text.hasPrefix(#"{"id":\#(event.id),"map":"mini","zooms":[12,14],"bbox":[106.655273,20.838278,106.699219,20.879343],"tiles":[{"z":12,"minX":3261"#))
        subscription.end()
        try await engine.shutdown()
    }

    @Test func aLongTileListIsMergedIntoOneRangePerZoom() async throws {
        let engine = TileEngine(configuration: CairnConfiguration(cacheDirectory: TestPaths.temporaryFolder(), maps: [
            MapConfiguration(name: "mini", stylePath: TestPaths.miniStyle),
        ]), renderThreads: 1)
        let subscription = try #require(engine.invalidations.subscribe(map: "mini"))
        // 600 tiles in a row at z16: more ranges than an event carries.
        let tiles = (0..<600).map { TileCoordinate(z: 16, x: 52_000 + 2 * $0, y: 28_800) }
        _ = try await engine.expire(map: "mini", ExpireRequest(zooms: 16...16, tiles: tiles, delete: true))
        guard case .invalidated(let event)? = await subscription.next()?.first else {
            Issue.record("expected an invalidation")
            return
        }
        #expect(event.tiles == [TileRange(z: 16, minX: 52_000, minY: 28_800, maxX: 53_198, maxY: 28_800)])
        #expect(event.deleted)
        subscription.end()
        try await engine.shutdown()
    }
}
