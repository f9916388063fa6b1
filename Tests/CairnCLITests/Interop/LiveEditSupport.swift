import CairnTestSupport
import Foundation
import Testing

/// A real PostGIS database with a `pois` table (10,000 points over Hải Phòng, 0.001° apart),
/// Cairn's triggers installed on it by `cairn postgis install-triggers`, and a real `cairn serve`
/// (read-only role, password from the environment, admin metrics) whose maps read the table.
/// With `readReplica`, a hot standby of the database streams its WAL: Cairn reads from it (`url`)
/// and listens on the primary (`listen_url`).
final class LiveEditServer: @unchecked Sendable {
    /// The live map: the mini fixture's land under red points from the `public.pois` table of database `city`.
    static var style: String {
        let mini = CommandLineTests.repositoryRoot.appendingPathComponent("Tests/CairnEngineTests/Fixtures/mini").path
        return """
            {"version": 8, "name": "Live", "sources": {
               "shapes": {"type": "geojson", "data": "\(mini)/shapes.geojson"},
               "city": {"type": "vector", "url": "postgis://city"}},
             "layers": [
               {"id": "bg", "type": "background", "paint": {"background-color": "#aad3df"}},
               {"id": "land", "type": "fill", "source": "shapes", "paint": {"fill-color": "#f2efe9"}},
               {"id": "pois", "type": "circle", "source": "city", "source-layer": "public.pois", "paint": {"circle-radius": 3, "circle-color": "#c00"}}]}
            """
    }

    static let password = "liSten-pw-" + String(UUID().uuidString.prefix(6))
    /// The primary: edits go here.
    let cluster: PostgresCluster
    /// The standby Cairn reads from, when started with `readReplica`.
    let replica: PostgresCluster?
    let server: SecurityServer

    /// A standby for reads, replaying the primary's commits `applyDelay` late (e.g. "2s") when given.
    struct ReadReplica { var applyDelay: String? }

    /// Web Mercator tiles of `z` as (x, y).
    struct Tile: Hashable, CustomStringConvertible { var z: Int, x: Int, y: Int; var description: String { "\(z)/\(x)/\(y)" } }

    /// - Parameter extraMaps: more `maps:` entries (the first map, `live`, is always there).
    init(_ name: String, mapSettings: String = "    metatile: 1\n    scales: [1]\n", extraMaps: String = "",
         readReplica: ReadReplica? = nil) async throws {
        let cluster = try PostgresCluster()
        self.cluster = cluster
        try cluster.createDatabase("city")
        try cluster.psql("""
            CREATE TABLE pois (id serial PRIMARY KEY, name text, geom geometry(Point, 4326));
            INSERT INTO pois (name, geom) SELECT 'p' || i, ST_SetSRID(ST_MakePoint(106.6 + (i % 100) * 0.001, 20.8 + (i / 100) * 0.001), 4326)
              FROM generate_series(0, 9999) AS i;
            """, database: "city")
        try cluster.createRole("cairn", password: Self.password, readOnlyOn: "city")
        let replica = try readReplica.map { try PostgresCluster(standbyOf: cluster, applyDelay: $0.applyDelay) }
        self.replica = replica
        var address = "url: postgresql://cairn@127.0.0.1:\(cluster.port)/city"
        if let replica {
            address = "url: postgresql://cairn@127.0.0.1:\(replica.port)/city\n    listen_url: postgresql://cairn@127.0.0.1:\(cluster.port)/city"
            // The rows and the role must have reached the standby before Cairn reads from it.
            let replayed = await Wait.until(timeout: .seconds(30), interval: .milliseconds(50)) {
                (try? replica.psql("SELECT count(*) FROM pois WHERE has_table_privilege('cairn', 'pois', 'SELECT')", database: "city")) == "10000"
            }
            guard replayed else { throw InteropError("the standby did not replay the primary's rows: \(replica.serverLog.suffix(2000))") }
        }
        let style = LiveEditServer.style
        let preamble = """
            databases:
              city:
                \(address)
                password_env: CAIRN_TEST_DB_PASSWORD
                tls: disable
            limits:                     # the tests re-render whole blocks of tiles from one address
              per_ip: {requests_per_second: 10000, burst: 10000, renders_per_second: 10000, render_burst: 10000}

            """
        let maps = "  - name: live\n    style: style.json\n    minzoom: 10\n    maxzoom: 16\n" + mapSettings + extraMaps
        server = try await SecurityServer.start(name, mapLines: maps, preamble: preamble, admin: true,
                                                environment: ["CAIRN_TEST_DB_PASSWORD": Self.password]) { folder in
            try style.write(toFile: folder + "/style.json", atomically: true, encoding: .utf8)
        }
        let install = try CairnProcess.cairn(["postgis", "install-triggers", "--config", server.folder + "/cairn.yaml", "--database", "city",
                                              "--table", "public.pois", "--owner-url", cluster.url(database: "city")])
        guard install.status == 0 else { throw InteropError("install-triggers failed: \(install.output)") }
        guard await waitForListener("connected") else { throw InteropError("the LISTEN connection did not come up: \(server.log.suffix(2000))") }
    }

    deinit {
        server.stop()
        replica?.shutdown()
        cluster.shutdown()
    }

    /// `/health` as JSON.
    func health() -> [String: Any] {
        guard let reply = try? server.request("/health") else { return [:] }
        return (try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]) ?? [:]
    }

    /// `/health`'s entry for the database's LISTEN connection.
    func listener() -> [String: Any] {
        (((health()["databases"] as? [String: Any])?["city"] as? [String: Any])?["listen"] as? [String: Any]) ?? [:]
    }

    func waitForListener(_ state: String, timeout: Duration = .seconds(30)) async -> Bool {
        await Wait.until(timeout: timeout, interval: .milliseconds(20)) { self.listener()["state"] as? String == state }
    }

    func metric(_ name: String) -> Double { (try? server.metrics()[name]) ?? -1 }

    /// Waits until `name` reaches `value`; false on timeout.
    func waitForMetric(_ name: String, atLeast value: Double, timeout: Duration = .seconds(20)) async -> Bool {
        await Wait.until(timeout: timeout, interval: .milliseconds(20)) { self.metric(name) >= value }
    }

    /// GET a PNG tile of `map`: status, X-Cairn-Cache and ETag.
    func get(_ tile: Tile, map: String = "live", format: String = "png", grid: String? = nil) throws -> (status: Int, cache: String?, etag: String?) {
        let prefix = grid.map { "/maps/\(map)/grids/\($0)" } ?? "/maps/\(map)"
        let reply = try server.request("\(prefix)/\(tile.z)/\(tile.x)/\(tile.y).\(format)")
        return (reply.status, reply.header("x-cairn-cache"), reply.header("etag"))
    }

    // MARK: Tile arithmetic, independent of Cairn's

    static let half = 20037508.342789244

    static func mercator(_ lon: Double, _ lat: Double) -> (x: Double, y: Double) {
        (lon * half / 180, log(tan((90 + lat) * .pi / 360)) * 6378137)
    }

    /// Tiles of `z` within `pixels` (256-px tile pixels) of any of the boxes (degrees).
    static func tiles(touching boxes: [(west: Double, south: Double, east: Double, north: Double)], z: Int, pixels: Double = 64) -> Set<Tile> {
        let span = 2 * half / Double(1 << z)
        let margin = pixels * span / 256
        var result: Set<Tile> = []
        for box in boxes {
            let low = mercator(box.west, box.south), high = mercator(box.east, box.north)
            let x0 = Int(((low.x - margin + half) / span).rounded(.down)), x1 = Int(((high.x + margin + half) / span).rounded(.down))
            let y0 = Int(((half - high.y - margin) / span).rounded(.down)), y1 = Int(((half - low.y + margin) / span).rounded(.down))
            for x in x0...x1 { for y in y0...y1 { result.insert(Tile(z: z, x: x, y: y)) } }
        }
        return result
    }

    static func tile(_ lon: Double, _ lat: Double, z: Int) -> Tile {
        let p = mercator(lon, lat)
        let span = 2 * half / Double(1 << z)
        return Tile(z: z, x: Int(((p.x + half) / span).rounded(.down)), y: Int(((half - p.y) / span).rounded(.down)))
    }

    /// A square of tiles of `radius` around the tile of (lon, lat).
    static func block(around lon: Double, _ lat: Double, z: Int, radius: Int) -> [Tile] {
        let centre = tile(lon, lat, z: z)
        return (-radius...radius).flatMap { dy in (-radius...radius).map { dx in Tile(z: z, x: centre.x + dx, y: centre.y + dy) } }
    }
}
