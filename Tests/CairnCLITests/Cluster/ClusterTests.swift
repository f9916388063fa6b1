import CairnTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Three `cairn serve` instances as separate hosts (network namespaces on a bridge), PostGIS on a fourth
/// and nginx with njs in front, all from Debian packages: one render per metatile across the cluster, an
/// instance killed under load, and a database edit seen through the front.
@Suite(.interop, .serialized, .clusterHosts)
struct ClusterTests {
    /// Central Hải Phòng, where the test data lies.
    static let area = (west: 106.60, south: 20.80, east: 106.70, north: 20.90)

    @Test func everyMetatileIsRenderedOnceAcrossTheCluster() async throws {
        let cluster = try await CairnCluster()
        defer { cluster.shutdown() }
        let tiles = CairnCluster.tiles(west: Self.area.west, south: Self.area.south, east: Self.area.east, north: Self.area.north, zooms: 14...15)
        let metatiles = Set(tiles.map(cluster.metatile(of:)))

        // Every tile at once, in an order that spreads each metatile's tiles over the run.
        let statuses = try await cluster.fetchAll(tiles.shuffled().map(\.path), parallel: 48, name: "all")
        #expect(statuses == [200: tiles.count], "\(statuses)")

        var renders: [String: Int] = [:]
        for name in cluster.instanceNames { renders[name] = Int(cluster.metric("cairn_renders_total", on: name)) }
        let total = renders.values.reduce(0, +)
        #expect(total == metatiles.count, "renders per instance \(renders) for \(metatiles.count) metatiles of \(tiles.count) tiles")
        for name in cluster.instanceNames {
            #expect(renders[name, default: 0] > 0, "\(name) rendered nothing: \(renders)")
        }

        // The front's own account: each metatile's tiles went to exactly one instance, and that
        // instance's render count is the number of metatiles routed to it.
        let upstream = cluster.accessLog().filter { !$0.upstreams.isEmpty }
        var instancesOfKey: [String: Set<String>] = [:]
        for entry in upstream { instancesOfKey[entry.key, default: []].insert(entry.upstreams.last!) }
        #expect(instancesOfKey.count == metatiles.count)
        #expect(instancesOfKey.values.allSatisfy { $0.count == 1 }, "\(instancesOfKey.filter { $0.value.count > 1 })")
        for name in cluster.instanceNames {
            let routed = instancesOfKey.values.filter { $0.first == cluster.address(of: name) }.count
            #expect(routed == renders[name], "\(name): \(routed) metatiles routed, \(renders[name] ?? -1) rendered")
        }
        print("cluster: \(tiles.count) tiles, \(metatiles.count) metatiles, renders per instance \(renders.sorted { $0.key < $1.key })")
    }

    @Test func anInstanceKilledUnderLoadCostsNoClientErrorsAndRejoins() async throws {
        let cluster = try await CairnCluster()
        defer { cluster.shutdown() }
        let victim = "cairn-2"
        let victimAddress = cluster.address(of: victim)
        let tiles = CairnCluster.tiles(west: Self.area.west, south: Self.area.south, east: 106.66, north: 20.86, zooms: 16...17).shuffled()

        // Many concurrent requests through the front, each a render (nothing is cached yet); cairn-2 is
        // SIGKILLed once it has rendered and a quarter of the answers are in.
        let client = try cluster.startClient(tiles.map(\.path), parallel: 32, name: "load")
        let busy = await Wait.until(timeout: .seconds(120), interval: .milliseconds(20)) {
            client.output.split(separator: "\n").count >= tiles.count / 4 && cluster.metric("cairn_renders_total", on: victim) > 0
        }
        #expect(busy, "the load never reached \(victim): \(client.output.suffix(500))")
        let killedAt = Date().timeIntervalSince1970
        cluster.instances[victim]!.kill9()
        let finished = await Wait.until(timeout: .seconds(300), interval: .milliseconds(50)) { !client.isRunning }
        #expect(finished)
        let answered = client.output.split(separator: "\n").count
        let statuses = CairnCluster.statuses(client.output)
        let log = cluster.accessLog()
        let retried = log.filter { $0.upstreams.count > 1 }
        // In-flight requests on the killed instance were retried on the next one (proxy_next_upstream),
        // so the client sees no error at all.
        #expect(answered == tiles.count)
        #expect(statuses == [200: tiles.count], "\(statuses); requests moved to another instance: \(retried.count)")
        #expect(retried.allSatisfy { $0.upstreams.first == victimAddress }, "\(retried.prefix(5).map(\.upstreams))")

        // Its metatiles moved: each one asked after the kill was served by one other instance.
        let before = log.filter { $0.time < killedAt && $0.upstreams.last == victimAddress }
        let victimKeys = Set(before.map(\.key))
        var servedAfter: [String: Set<String>] = [:]
        for entry in log where entry.time > killedAt + 0.5 && victimKeys.contains(entry.key) && !entry.upstreams.isEmpty {
            servedAfter[entry.key, default: []].insert(entry.upstreams.last!)
        }
        #expect(!victimKeys.isEmpty)
        #expect(servedAfter.values.allSatisfy { $0.count == 1 && !$0.contains(victimAddress) }, "\(servedAfter)")

        // Restarted, it rejoins: requests for its metatiles reach it again (once the front's entries
        // expire and nginx tries it after fail_timeout).
        let restartedAt = Date().timeIntervalSince1970
        try cluster.startInstance(victim)
        try await cluster.waitUntilReady(victim)
        let probes = Array(Dictionary(grouping: before, by: \.key).values.compactMap(\.first?.uri).prefix(24))
        var backOnVictim: [CairnCluster.LogEntry] = []
        let rejoined = try await Wait.until(timeout: .seconds(60), interval: .milliseconds(300)) {
            _ = try await cluster.fetchAll(probes, parallel: 8, name: "probe")
            backOnVictim = cluster.accessLog().filter { $0.time > restartedAt && $0.upstreams.last == victimAddress && $0.status == 200 }
            return !backOnVictim.isEmpty
        }
        #expect(rejoined, "\(victim) got no requests after its restart")
        let tileAnswers = cluster.metric(#"cairn_http_responses_total{class="3xx"}"#, on: victim) + cluster.metric("cairn_tile_cache_hits_total", on: victim)
        #expect(tileAnswers > 0, "\(victim)'s own counters show no tile request after its restart")
        print("failover: \(tiles.count) tiles, \(victimKeys.count) metatiles on \(victim) before its kill, \(retried.count) requests in flight moved to another instance, statuses \(statuses)")
    }

    @Test func aPostGISEditIsSeenThroughTheFrontWithinMaxAgePlusOneSecond() async throws {
        let cluster = try await CairnCluster(maxAge: 2)
        defer { cluster.shutdown() }
        // The point at (106.65, 20.85) moves 0.0004° east (about 19 pixels at zoom 15).
        let touched = CairnCluster.tile(106.65, 20.85, z: 15)
        let untouched = CairnCluster.tile(106.61, 20.89, z: 15)
        let first = try cluster.get(touched.path)
        let other = try cluster.get(untouched.path)
        #expect(first.status == 200 && other.status == 200)
        let etag = first.header("etag")

        // Wait until the touched tile is in the front's cache, so the measurement includes its max_age.
        #expect(try cluster.get(touched.path).header("x-cache-status") == "HIT")
        try cluster.database.psql("UPDATE pois SET geom = ST_Translate(geom, 0.0004, 0) WHERE ST_DWithin(geom, ST_SetSRID(ST_MakePoint(106.65, 20.85), 4326), 0.0001)", database: "city")
        let committed = ContinuousClock.now
        var fresh: HTTPReply?
        let seen = try await Wait.until(timeout: .seconds(30), interval: .milliseconds(50)) {
            let reply = try cluster.get(touched.path)
            if reply.status == 200 && reply.body != first.body { fresh = reply }
            return fresh != nil
        }
        let elapsed = ContinuousClock.now - committed
        #expect(seen)
        #expect(elapsed <= .seconds(1 + cluster.maxAge), "the edit took \(elapsed) to reach the front (max_age \(cluster.maxAge) s)")
        #expect(fresh?.header("etag") != etag)

        // Every instance listened and heard it; the touched tile's instance expired it.
        for name in cluster.instanceNames {
            #expect(await Wait.until(timeout: .seconds(10)) { cluster.metric("cairn_live_edit_notifications_total", on: name) >= 1 }, "\(name) heard no notification")
        }
        let expired = cluster.instanceNames.map { cluster.metric("cairn_live_edit_expired_tiles_total", on: $0) }
        #expect(expired.contains { $0 > 0 }, "\(expired)")

        // The untouched tile, once its max_age is over, costs a 304 upstream and the front keeps its bytes.
        let revalidated = try await Wait.until(timeout: .seconds(15), interval: .milliseconds(100)) {
            let reply = try cluster.get(untouched.path)
            #expect(reply.status == 200 && reply.body == other.body)
            return reply.header("x-cache-status") == "REVALIDATED"
        }
        #expect(revalidated)
        let upstreamStatuses = cluster.accessLog().filter { $0.uri == untouched.path && !$0.upstreams.isEmpty }.map(\.upstreamStatuses)
        #expect(upstreamStatuses.first == ["200"] && upstreamStatuses.dropFirst().allSatisfy { $0 == ["304"] } && upstreamStatuses.count >= 2, "\(upstreamStatuses)")
        print("edit: commit → new tile through the front in \(elapsed) (max_age \(cluster.maxAge) s)")
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs only where the cluster's hosts can be made: root with `ip netns`, PostgreSQL + PostGIS, nginx's njs;
    /// skipped otherwise with the reason (CI and this machine have them all).
    static var clusterHosts: Self {
        .enabled(if: CairnCluster.unavailableReason == nil, Comment(rawValue: CairnCluster.unavailableReason ?? ""))
    }
}
