import CairnTestSupport
import Foundation
import Testing

/// Edits in PostGIS reach the tiles of a real `cairn serve`: exactly the tiles an edit touches
/// (plus the renderer's buffer) are expired, in the background for `refresh_zooms`; a lost LISTEN
/// connection, a database restart, a bulk edit and foreign payloads each do what the README says.
@Suite(.interop, .serialized)
struct LiveEditTests {
    typealias Tile = LiveEditServer.Tile

    @Test func anEditExpiresExactlyTheTilesItTouchesAndRefreshZoomsRenderAhead() async throws {
        let live = try await LiveEditServer("live-exact", extraMaps: "  - name: ahead\n    style: style.json\n    metatile: 1\n    scales: [1]\n    minzoom: 10\n    maxzoom: 16\n    refresh_zooms: 14-14\n")
        // Row 1 is at (106.6, 20.8); it moves about 700 m north-east.
        let (old, new) = ((106.6, 20.8), (106.606, 20.806))
        let block = LiveEditServer.block(around: 106.603, 20.803, z: 14, radius: 2)
        let far = Tile(z: 14, x: block[0].x + 20, y: block[0].y)
        var etags: [String: [Tile: String]] = [:]
        for map in ["live", "ahead"] {
            for tile in block + [far] {
                let reply = try live.get(tile, map: map)
                #expect(reply.status == 200)
                etags[map, default: [:]][tile] = reply.etag
            }
        }
        let expected = LiveEditServer.tiles(touching: [(old.0, old.1, old.0, old.1), (new.0, new.1, new.0, new.1)], z: 14).intersection(block)
        #expect(!expected.isEmpty && expected.count < block.count)
        let (expired, renders, received) = (live.metric("cairn_live_edit_expired_tiles_total"), live.metric("cairn_renders_total"),
                                            live.metric("cairn_live_edit_notifications_total"))

        // A page showing the map learns of the edit: its event stream announces at least the touched tiles.
        let events = try EventStreamCapture(url: live.server.base + "/maps/live/events")
        defer { events.stop() }
        #expect(await events.waitFor("retry:"))

        try live.cluster.psql("UPDATE pois SET geom = ST_SetSRID(ST_MakePoint(\(new.0), \(new.1)), 4326) WHERE id = 1", database: "city")
        #expect(await live.waitForMetric("cairn_live_edit_expired_tiles_total", atLeast: expired + Double(2 * expected.count)))
        #expect(await events.waitFor("event: invalidate"))
        let announced = events.invalidatedTiles(z: 14)
        #expect(expected.isSubset(of: announced), "the stream announced \(announced.count) z14 tiles, missing \(expected.subtracting(announced))")
        #expect(!announced.contains(far), "the far tile is not announced")
        // `ahead` re-renders its expired tiles in the background, without a request.
        #expect(await live.waitForMetric("cairn_renders_total", atLeast: renders + Double(expected.count)))
        #expect(live.metric("cairn_live_edit_notifications_total") == received + 1)
        #expect(live.metric("cairn_live_edit_expired_tiles_total") == expired + Double(2 * expected.count), "only the touched tiles of both maps")
        #expect(live.metric("cairn_live_edit_expiry_seconds_count") >= 1)

        var missed: Set<Tile> = []
        for tile in block + [far] {
            let reply = try live.get(tile, map: "live")
            if reply.cache == "MISS" { missed.insert(tile) }
        }
        #expect(missed == expected, "re-rendered \(missed.sorted { $0.description < $1.description }), expected \(expected.sorted { $0.description < $1.description })")
        let farReply = try live.get(far, map: "live")
        #expect(farReply.cache == "HIT" && farReply.etag == etags["live"]?[far])
        for tile in block + [far] {
            #expect(try live.get(tile, map: "ahead").cache == "HIT", "\(tile) of the refresh_zooms map was refreshed before it was asked for")
        }
        #expect(live.metric("cairn_renders_total") == renders + Double(2 * expected.count))
    }

    @Test func anEditReachesEveryGridScaleAndVectorTiles() async throws {
        let live = try await LiveEditServer("live-grids", mapSettings: "    metatile: 2\n    scales: [1, 2]\n    grids: [WebMercatorQuad, WorldCRS84Quad]\n")
        let near = LiveEditServer.tile(106.6, 20.8, z: 14)
        let far = Tile(z: 14, x: near.x + 20, y: near.y)
        // WorldCRS84Quad: 2 × 1 tiles of 180° at z0.
        let span = 180.0 / Double(1 << 13)
        let nearCRS84 = Tile(z: 13, x: Int(((106.6 + 180) / span).rounded(.down)), y: Int(((90 - 20.8) / span).rounded(.down)))
        let farCRS84 = Tile(z: 13, x: nearCRS84.x + 20, y: nearCRS84.y)
        let requests: [(String, Tile, String, String?)] = [
            ("png", near, "", nil), ("png", far, "", nil), ("png", near, "@2x", nil), ("png", far, "@2x", nil),
            ("pbf", near, "", nil), ("pbf", far, "", nil), ("png", nearCRS84, "", "WorldCRS84Quad"), ("png", farCRS84, "", "WorldCRS84Quad"),
        ]
        func get(_ request: (String, Tile, String, String?)) throws -> (status: Int, cache: String?, etag: String?) {
            let (format, tile, suffix, grid) = request
            let prefix = grid.map { "/maps/live/grids/\($0)" } ?? "/maps/live"
            let reply = try live.server.request("\(prefix)/\(tile.z)/\(tile.x)/\(tile.y)\(suffix).\(format)")
            return (reply.status, reply.header("x-cairn-cache"), reply.header("etag"))
        }
        for request in requests { #expect(try get(request).status == 200, "\(request)") }
        for request in requests { #expect(try get(request).cache == "HIT", "\(request)") }
        let expired = live.metric("cairn_live_edit_expired_tiles_total")
        try live.cluster.psql("UPDATE pois SET geom = ST_SetSRID(ST_MakePoint(106.6001, 20.8001), 4326) WHERE id = 1", database: "city")
        #expect(await live.waitForMetric("cairn_live_edit_expired_tiles_total", atLeast: expired + 4))
        for request in requests {
            let isNear = request.1 == near || request.1 == nearCRS84
            #expect(try get(request).cache == (isNear ? "MISS" : "HIT"), "\(request)")
        }
    }

    @Test func foreignPayloadsALostConnectionARestartAndABulkEdit() async throws {
        let live = try await LiveEditServer("live-faults")
        let block = LiveEditServer.block(around: 106.603, 20.803, z: 14, radius: 2)
        let far = Tile(z: 14, x: block[0].x + 20, y: block[0].y)
        for tile in block + [far] { #expect(try live.get(tile).status == 200) }
        let cached = Double(block.count + 1)

        // Someone else's messages on the channel: logged, ignored, nothing expired, server fine.
        var expired = live.metric("cairn_live_edit_expired_tiles_total")
        try live.cluster.psql("NOTIFY cairn_changes, 'garbage'", database: "city")
        try live.cluster.psql(#"NOTIFY cairn_changes, '{"event":"order_created","id":7}'"#, database: "city")
        #expect(await live.waitForMetric("cairn_live_edit_notifications_ignored_total", atLeast: 2))
        #expect(live.server.log.contains("ignored a notification on cairn_changes that is not Cairn's: not JSON"), "\(live.server.log.suffix(2000))")
        #expect(live.server.log.contains("ignored a notification on cairn_changes that is not Cairn's: $.v: expected 1"))
        #expect(live.metric("cairn_live_edit_expired_tiles_total") == expired)
        #expect(live.health()["status"] as? String == "ok")
        #expect(try live.get(far).cache == "HIT")

        // The LISTEN connection killed while the role cannot log in: /health says reconnecting and
        // why; once back, every tile drawn from the database is stale (edits may have been missed).
        try live.cluster.psql("ALTER ROLE cairn NOLOGIN")
        try live.cluster.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'")
        #expect(await live.waitForListener("reconnecting"))
        #expect(await Wait.until(timeout: .seconds(20)) {
            (live.listener()["reason"] as? String)?.contains("not permitted to log in") == true
        }, "\(live.listener())")
        #expect(live.health()["status"] as? String == "degraded")
        #expect(try live.get(far).status == 200, "tiles are served meanwhile")
        try live.cluster.psql("ALTER ROLE cairn LOGIN")
        #expect(await live.waitForListener("connected"))
        #expect(await live.waitForMetric("cairn_live_edit_expired_tiles_total", atLeast: expired + cached))
        #expect(live.metric("cairn_live_edit_listener_reconnects_total") == 1)
        #expect(live.listener()["reconnects"] as? Int == 1)
        #expect(live.health()["status"] as? String == "ok")
        #expect(try live.get(far).cache == "MISS", "stale after the reconnection")
        for tile in block { _ = try live.get(tile) }

        // A restart during an edit: the uncommitted edit is lost with the session; the listener
        // comes back and marks everything stale; the next edit is heard.
        expired = live.metric("cairn_live_edit_expired_tiles_total")
        let cluster = live.cluster
        let pending = Thread {
            _ = try? cluster.psql("BEGIN; UPDATE pois SET name = 'lost' WHERE id < 10; SELECT pg_sleep(60); COMMIT;", database: "city")
        }
        pending.start()
        #expect(await Wait.until(timeout: .seconds(10)) {
            (try? cluster.psql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'BEGIN; UPDATE pois%'")) == "1"
        })
        try live.cluster.stop()
        #expect(await live.waitForListener("reconnecting"))
        let restarting = live.listener()
        #expect(restarting["reason"] is String, "\(restarting)")
        #expect(try live.get(far).status == 200)
        try live.cluster.start()
        #expect(await live.waitForListener("connected"))
        #expect(await live.waitForMetric("cairn_live_edit_expired_tiles_total", atLeast: expired + cached))
        #expect(live.metric("cairn_live_edit_listener_reconnects_total") == 2)
        #expect(try live.cluster.psql("SELECT count(*) FROM pois WHERE name = 'lost'", database: "city") == "0")
        for tile in block + [far] {
            let reply = try live.get(tile)
            #expect(reply.cache == "MISS", "\(tile) was marked stale: \(reply)\n\(live.server.log.suffix(1500))")
        }
        for tile in block + [far] { #expect(try live.get(tile).cache == "HIT", "\(tile) was re-rendered") }

        // 10,000 rows in one statement: one notification, the tiles of its extent expired.
        expired = live.metric("cairn_live_edit_expired_tiles_total")
        let received = live.metric("cairn_live_edit_notifications_total")
        try live.cluster.psql("UPDATE pois SET name = name || '!'", database: "city")
        let extent = LiveEditServer.tiles(touching: [(106.6, 20.8, 106.699, 20.899)], z: 14).intersection(block + [far])
        #expect(await live.waitForMetric("cairn_live_edit_expired_tiles_total", atLeast: expired + Double(extent.count)))
        #expect(live.metric("cairn_live_edit_notifications_total") == received + 1)
        #expect(live.metric("cairn_live_edit_expired_tiles_total") == expired + Double(extent.count), "\(live.server.log.suffix(3000))")
        let farAfterBulk = try live.get(far)
        #expect(farAfterBulk.cache == (extent.contains(far) ? "MISS" : "HIT"), "\(farAfterBulk)")

        // Secrets stay out of what the server says.
        #expect(!live.server.log.contains(LiveEditServer.password))
        #expect(!String(describing: live.health()).contains(LiveEditServer.password))
    }

    /// Each of 20 edits becomes visible: the tile drawing the moved point changes (a new ETag) on a
    /// request after the commit (timings are measured by `scripts/bench-freshness`, not asserted).
    @Test func everyEditBecomesVisible() async throws {
        let live = try await LiveEditServer("live-fresh")
        let tile = LiveEditServer.tile(106.6, 20.8, z: 14)
        for edit in 1...20 {
            let before = try live.get(tile)
            #expect(before.status == 200)
            let lon = 106.6 + Double(edit % 2) * 0.0003
            try live.cluster.psql("UPDATE pois SET geom = ST_SetSRID(ST_MakePoint(\(lon), 20.8), 4326) WHERE id = 1", database: "city")
            #expect(await Wait.until(timeout: .seconds(10), interval: .milliseconds(10)) {
                guard let reply = try? live.get(tile) else { return false }
                return reply.status == 200 && reply.etag != before.etag
            }, "edit \(edit) never reached the tile")
        }
    }
}
