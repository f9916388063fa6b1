import CairnPNG
import CairnTestSupport
import Foundation
import Testing

/// Issue 16, "edits everywhere" with read replicas: a real primary and a hot standby streaming its
/// WAL (Debian's PostgreSQL, `pg_basebackup -R`), `cairn serve` reading from the standby (`url`) and
/// listening on the primary (`listen_url`). Reads must hit the standby only, LISTEN the primary
/// only, and an edit must show in the tile even when the standby replays it seconds after the
/// primary notified.
@Suite(.interop, .serialized)
struct ReadReplicaTests {
    typealias Tile = LiveEditServer.Tile

    /// The `cairn` role's sessions on `cluster` (Cairn's pool and LISTEN connections log in as it)
    /// and the last statement of each, joined by " | ".
    static func cairnSessions(on cluster: PostgresCluster) throws -> (count: Int, queries: String) {
        let count = try cluster.psql("SELECT count(*) FROM pg_stat_activity WHERE usename = 'cairn'")
        let queries = try cluster.psql("SELECT coalesce(string_agg(query, ' | '), '') FROM pg_stat_activity WHERE usename = 'cairn'")
        return (Int(count) ?? -1, queries)
    }

    /// A tile far from every point of `pois` (land or sea only), and its centre (lon, lat).
    static var emptyTile: (tile: Tile, lon: Double, lat: Double) {
        let tile = LiveEditServer.tile(106.75, 20.95, z: 16)
        let scale = Double(1 << tile.z)
        let lon = (Double(tile.x) + 0.5) / scale * 360 - 180
        let lat = atan(sinh(Double.pi * (1 - 2 * (Double(tile.y) + 0.5) / scale))) * 180 / .pi
        return (tile, lon, lat)
    }

    /// The PNG tile: its ETag, X-Cairn-Cache, and whether its centre pixel is a POI's red.
    static func image(of tile: Tile, from live: LiveEditServer) throws -> (etag: String?, cache: String?, redAtCentre: Bool) {
        let reply = try live.server.request("/maps/live/\(tile.z)/\(tile.x)/\(tile.y).png")
        guard reply.status == 200 else { throw InteropError("tile \(tile): \(reply.status) \(reply.text.prefix(200))") }
        let png = try PNGDecoder.decode(reply.body)
        let centre = (128 * png.width + 128) * 4
        let red = png.rgba[centre] > 180 && png.rgba[centre + 1] < 40 && png.rgba[centre + 2] < 40
        return (reply.header("etag"), reply.header("x-cairn-cache"), red)
    }

    @Test func readsGoToTheReplicaAndListenToThePrimary() async throws {
        let live = try await LiveEditServer("replica-reads", readReplica: .init())
        let replica = try #require(live.replica)
        let block = LiveEditServer.block(around: 106.65, 20.85, z: 14, radius: 1)
        for tile in block { #expect(try live.get(tile).status == 200) }

        let onReplica = try Self.cairnSessions(on: replica)
        let onPrimary = try Self.cairnSessions(on: live.cluster)
        #expect(onReplica.count >= 1 && onReplica.queries.contains("\"pois\""), "the tiles were read from the replica: \(onReplica)")
        #expect(!onReplica.queries.contains("LISTEN"), "\(onReplica)")
        #expect(onPrimary.count == 1 && onPrimary.queries.contains("LISTEN"), "only the LISTEN connection is on the primary: \(onPrimary)")
        #expect(!onPrimary.queries.contains("pois"), "no tile query ran on the primary: \(onPrimary)")

        // An edit on the primary reaches the tiles read from the replica, after the replica replayed it.
        let expired = live.metric("cairn_live_edit_expired_tiles_total")
        try live.cluster.psql("UPDATE pois SET geom = ST_SetSRID(ST_MakePoint(106.6505, 20.8505), 4326) WHERE id = 1", database: "city")
        #expect(await live.waitForMetric("cairn_live_edit_expired_tiles_total", atLeast: expired + 1))
        #expect(live.metric("cairn_live_edit_replica_waits_total") == 1)
        #expect(live.metric("cairn_live_edit_replica_wait_timeouts_total") == 0)
        let afterEdit = try Self.cairnSessions(on: live.cluster)
        #expect(afterEdit.count == 1 && afterEdit.queries.contains("pg_current_wal_insert_lsn"),
                "the primary's WAL position is read on the LISTEN connection: \(afterEdit)")
    }

    /// The replay-lag race made certain: the standby applies commits 2 s late, so the notification
    /// arrives (and, without waiting, the 100 ms debounce would expire the tile) while the standby
    /// still has the old rows. The test checks that moment happened (the row is absent on the
    /// standby once the notification is counted), then asks for the tile every 50 ms: without the
    /// wait, the first request after the expiry would re-render it from the old rows (a MISS with
    /// the old image) and cache it as fresh, and the edit would never show. With it, every answer
    /// until the replay is the cached tile (a HIT), and the next one shows the edit and is cached.
    @Test func anEditShowsInTheTileThoughTheReplicaReplaysItLate() async throws {
        let live = try await LiveEditServer("replica-lag", readReplica: .init(applyDelay: "2s"))
        let replica = try #require(live.replica)
        // Far from every point of `pois`: the tile is land or sea only, until the edit puts a point at its centre.
        let (tile, lon, lat) = Self.emptyTile

        func image() throws -> (etag: String?, cache: String?, redAtCentre: Bool) { try Self.image(of: tile, from: live) }

        let before = try image()
        #expect(!before.redAtCentre)
        #expect(try image().cache == "HIT")
        let received = live.metric("cairn_live_edit_notifications_total")
        let committed = ContinuousClock.now
        try live.cluster.psql("INSERT INTO pois (name, geom) VALUES ('lagged', ST_SetSRID(ST_MakePoint(\(lon), \(lat)), 4326))", database: "city")
        #expect(await live.waitForMetric("cairn_live_edit_notifications_total", atLeast: received + 1))
        let notified = ContinuousClock.now - committed
        // The race is on: Cairn knows of the edit, the replica does not have it yet.
        #expect(try replica.psql("SELECT count(*) FROM pois WHERE name = 'lagged'", database: "city") == "0",
                "the standby replayed the edit before the notification was handled; the race did not happen")

        var answers: [(cache: String?, etag: String?)] = []
        var after: (etag: String?, cache: String?, redAtCentre: Bool)?
        let shown = try await Wait.until(timeout: .seconds(20), interval: .milliseconds(50)) {
            let reply = try image()
            answers.append((reply.cache, reply.etag))
            guard reply.etag != before.etag else { return false }
            after = reply
            return true
        }
        let visible = ContinuousClock.now - committed
        #expect(shown, "the edit never showed: \(answers.count) answers, \(answers.suffix(5)), log: \(live.server.log.suffix(2000))")
        #expect(after?.redAtCentre == true, "the new tile shows the inserted point")
        #expect(after?.cache == "MISS")
        let early = answers.dropLast()
        #expect(!early.isEmpty && early.allSatisfy { $0.cache == "HIT" && $0.etag == before.etag },
                "while the standby lagged the tile was never re-rendered from the old rows: \(early.map { $0.cache ?? "-" })")
        #expect(visible >= .milliseconds(1500), "the new tile came after the standby's 2 s apply delay (notified after \(notified), shown after \(visible))")
        let again = try image()
        #expect(again.cache == "HIT" && again.etag == after?.etag && again.redAtCentre, "the edited tile is what is cached")

        #expect(live.metric("cairn_live_edit_replica_waits_total") == 1)
        #expect(live.metric("cairn_live_edit_replica_wait_timeouts_total") == 0)
        #expect(live.metric("cairn_live_edit_replica_wait_seconds_total") >= 1.0)
    }

    /// An edit made while the LISTEN connection is down is never notified: once the connection is
    /// back, every tile drawn from the database is expired, and that too must wait for the standby
    /// (2 s late) to replay what the primary holds, or the tiles are re-rendered without the edit.
    @Test func anEditMissedWhileTheListenerWasDownShowsOnceTheReplicaReplayedIt() async throws {
        let live = try await LiveEditServer("replica-resume", readReplica: .init(applyDelay: "2s"))
        let replica = try #require(live.replica)
        let (tile, lon, lat) = Self.emptyTile
        let before = try Self.image(of: tile, from: live)
        let again = try Self.image(of: tile, from: live)
        #expect(!before.redAtCentre && again.cache == "HIT")

        // The primary refuses Cairn's role and ends its LISTEN session; the edit is made meanwhile.
        try live.cluster.rejectConnections(of: ["cairn"])
        try live.cluster.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'cairn'")
        #expect(await live.waitForListener("reconnecting"))
        let committed = ContinuousClock.now
        try live.cluster.psql("INSERT INTO pois (name, geom) VALUES ('missed', ST_SetSRID(ST_MakePoint(\(lon), \(lat)), 4326))", database: "city")
        try live.cluster.rejectConnections(of: [])
        #expect(await live.waitForMetric("cairn_live_edit_listener_reconnects_total", atLeast: 1))
        #expect(try replica.psql("SELECT count(*) FROM pois WHERE name = 'missed'", database: "city") == "0",
                "the standby replayed the edit before the listener was back; the race did not happen")

        var answers: [String?] = []
        var after: (etag: String?, cache: String?, redAtCentre: Bool)?
        let shown = try await Wait.until(timeout: .seconds(20), interval: .milliseconds(50)) {
            let reply = try Self.image(of: tile, from: live)
            answers.append(reply.cache)
            guard reply.etag != before.etag else { return false }
            after = reply
            return true
        }
        #expect(shown, "the missed edit never showed: \(answers.suffix(5)), log: \(live.server.log.suffix(2000))")
        #expect(after?.redAtCentre == true)
        #expect(answers.dropLast().allSatisfy { $0 == "HIT" }, "never re-rendered from the old rows: \(answers)")
        #expect(ContinuousClock.now - committed >= .milliseconds(1500))
        #expect(live.metric("cairn_live_edit_replica_waits_total") == 1)
        #expect(live.metric("cairn_live_edit_replica_wait_timeouts_total") == 0)
    }

    /// A standby that stops replaying (`pg_wal_replay_pause()`) holds an edit's expiry only for the
    /// bounded wait: then the tiles are expired anyway, with a warning naming both positions and
    /// the timeout counted.
    @Test func aStandbyThatStopsReplayingDelaysExpiryOnlyBoundedlyAndIsReported() async throws {
        let live = try await LiveEditServer("replica-paused", readReplica: .init())
        let replica = try #require(live.replica)
        let block = LiveEditServer.block(around: 106.6, 20.8, z: 14, radius: 1)
        for tile in block { #expect(try live.get(tile).status == 200) }
        try replica.psql("SELECT pg_wal_replay_pause()")
        defer { _ = try? replica.psql("SELECT pg_wal_replay_resume()") }
        let expired = live.metric("cairn_live_edit_expired_tiles_total")
        let edited = ContinuousClock.now
        try live.cluster.psql("UPDATE pois SET name = 'paused' WHERE id = 1", database: "city")
        #expect(await live.waitForMetric("cairn_live_edit_replica_wait_timeouts_total", atLeast: 1, timeout: .seconds(40)))
        #expect(await live.waitForMetric("cairn_live_edit_expired_tiles_total", atLeast: expired + 1))
        let waited = ContinuousClock.now - edited
        #expect(waited >= .seconds(9), "the expiry waited for the replica the full 10 s (\(waited))")
        #expect(live.metric("cairn_live_edit_replica_waits_total") == 1)
        let warning = live.server.log.split(separator: "\n").first { $0.contains("the read replica has not replayed the edit yet") }
        #expect(warning?.contains("primary_lsn=") == true && warning?.contains("replica_lsn=") == true && warning?.contains("public.pois") == true,
                "\(warning ?? "no warning"): \(live.server.log.suffix(2000))")
        #expect(!(warning?.contains(LiveEditServer.password) ?? true))
    }
}
