import CairnTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A Cairn cluster as separate hosts on a test network (`TestNetwork`): `db` (PostgreSQL + PostGIS with a
/// `pois` table and Cairn's change triggers), `cairn-1…N` (`cairn serve` with the same configuration, each
/// its own cache folder, admin API on its own loopback) and `front` (nginx with njs routing by metatile,
/// caching with a lock and ETag revalidation, moving on to the next instance when one fails). Test
/// clients run in the `front` namespace. Everything stops and the namespaces go with `shutdown()`.
final class CairnCluster: @unchecked Sendable {
    // @unchecked: set up in `init`; `instances` changes only from the test's own task (restart).
    static let password = "clu5ter-pw-" + String(UUID().uuidString.prefix(6))
    static let adminToken = "clu5ter-adm1n-" + String(UUID().uuidString.prefix(12)) + "-never-logged"
    static let cairnPort = 8080
    static let adminPort = 9090
    static let frontPort = 80
    static let map = "live"

    let network: TestNetwork
    let database: PostgresCluster
    let folder: String
    let instanceNames: [String]
    let metatile: Int
    let maxAge: Int
    private(set) var instances: [String: NamespacedProcess] = [:]
    private(set) var front: NamespacedProcess?

    /// Why the cluster cannot be made here, or nil.
    static var unavailableReason: String? {
        if let reason = TestNetwork.unavailableReason { return reason }
        if let reason = PostgresCluster.unavailableReason { return reason }
        if !FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx") { return "nginx is missing: run scripts/install-deps" }
        if !FileManager.default.fileExists(atPath: "/usr/lib/nginx/modules/ngx_http_js_module.so") {
            return "nginx's njs module is missing (libnginx-mod-http-js): run scripts/install-deps"
        }
        return nil
    }

    var frontBase: String { "http://\(network["front"].address):\(Self.frontPort)" }
    var accessLogPath: String { folder + "/front/access.log" }

    /// - Parameters:
    ///   - instances: how many Cairn instances (hosts `cairn-1…`).
    ///   - maxAge: the map's `max_age`, which is how long the front serves a tile without asking.
    init(instances count: Int = 3, metatile: Int = 4, maxAge: Int = 2) async throws {
        instanceNames = (1...count).map { "cairn-\($0)" }
        self.metatile = metatile
        self.maxAge = maxAge
        folder = CommandLineTests.temporary("cluster")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        network = try TestNetwork(hostNames: ["front", "db"] + instanceNames)
        do {
            database = try PostgresCluster(host: network["db"].address, namespace: network["db"].namespace, clients: TestNetwork.subnet)
        } catch {
            network.shutdown()
            throw error
        }
        do {
            try loadData()
            try writeConfiguration()
            try installTriggers()
            for name in instanceNames { try startInstance(name) }
            for name in instanceNames { try await waitUntilReady(name) }
            try startFront()
        } catch {
            shutdown()
            throw error
        }
    }

    deinit { shutdown() }

    func shutdown() {
        network.shutdown()
        database.shutdown()
    }

    // MARK: Setting up

    /// 10,000 points over central Hải Phòng, 0.001° apart (106.6–106.7 E, 20.8–20.9 N).
    private func loadData() throws {
        try database.createDatabase("city")
        try database.psql("""
            CREATE TABLE pois (id serial PRIMARY KEY, name text, geom geometry(Point, 4326));
            INSERT INTO pois (name, geom) SELECT 'p' || i, ST_SetSRID(ST_MakePoint(106.6 + (i % 100) * 0.001, 20.8 + (i / 100) * 0.001), 4326)
              FROM generate_series(0, 9999) AS i;
            CREATE INDEX ON pois USING gist (geom);
            """, database: "city")
        try database.createRole("cairn", password: Self.password, readOnlyOn: "city")
    }

    /// One configuration for every instance (each runs it from a folder of its own, where the relative
    /// cache folder lands): listens on every address of its host, reads and listens on `db`.
    var configuration: String {
        let style = LiveEditServer.style
        try? style.write(toFile: folder + "/style.json", atomically: true, encoding: .utf8)
        return """
            listen: {host: 0.0.0.0, port: \(Self.cairnPort)}
            cache: {directory: tiles-cache}
            cluster:
              instances: [\(instanceNames.map { "\"\(address(of: $0))\"" }.joined(separator: ", "))]
            databases:
              city:
                url: postgresql://cairn@\(network["db"].address):\(database.port)/city
                password_env: CAIRN_TEST_DB_PASSWORD
                tls: disable
            limits:                     # every request comes from the front's one address
              per_ip: {requests_per_second: 100000, burst: 100000, renders_per_second: 100000, render_burst: 100000}
            maps:
              - name: \(Self.map)
                style: \(folder)/style.json
                minzoom: 10
                maxzoom: 18
                metatile: \(metatile)
                scales: [1]
                max_age: \(maxAge)
                refresh_zooms: 14-16        # edited tiles are re-rendered at once, as a live map would be set up

            """
    }

    private func writeConfiguration() throws {
        let text = configuration
        for name in instanceNames {
            try FileManager.default.createDirectory(atPath: folder + "/" + name, withIntermediateDirectories: true)
            try text.write(toFile: folder + "/\(name)/cairn.yaml", atomically: true, encoding: .utf8)
        }
    }

    /// As the table owner, from an instance's host (the database is reachable only on the test network).
    private func installTriggers() throws {
        try network.run([CommandLineTests.binary, "postgis", "install-triggers", "--config", folder + "/\(instanceNames[0])/cairn.yaml",
                         "--database", "city", "--table", "public.pois", "--owner-url", database.url(database: "city")],
                        on: instanceNames[0])
    }

    /// Starts `cairn serve` on host `name` (again, after a kill: same folder, same cache).
    func startInstance(_ name: String) throws {
        let process = try network.start(
            [CommandLineTests.binary, "serve", "--config", folder + "/\(name)/cairn.yaml", "--admin-port", String(Self.adminPort)],
            on: name, log: folder + "/\(name)/server.log",
            environment: ["CAIRN_TEST_DB_PASSWORD": Self.password, "CAIRN_ADMIN_TOKEN": Self.adminToken])
        instances[name] = process
    }

    /// Waits until `name` answers `/health` on its network address and its LISTEN connection is up.
    func waitUntilReady(_ name: String, timeout: Duration = .seconds(90)) async throws {
        let ready = await Wait.until(timeout: timeout, interval: .milliseconds(100)) {
            guard self.instances[name]?.isRunning == true else { return true }
            return self.listenState(name) == "connected"
        }
        guard ready, instances[name]?.isRunning == true else {
            throw InteropError("\(name) did not come up: \(instances[name]?.output.suffix(3000) ?? "")")
        }
    }

    /// `/health`'s `databases.city.listen.state` of an instance, asked on its network address.
    func listenState(_ name: String) -> String? {
        guard let text = try? network.run(["/usr/bin/curl", "-s", "--max-time", "5", "http://\(network[name].address):\(Self.cairnPort)/health"], on: name),
              let health = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
        return (((health["databases"] as? [String: Any])?["city"] as? [String: Any])?["listen"] as? [String: Any])?["state"] as? String
    }

    static let deployFolder = CommandLineTests.repositoryRoot.appendingPathComponent("deploy/nginx").path

    /// The front: nginx running deploy/nginx/cairn-cluster.conf and cairn.js as shipped, templated only
    /// for paths and the listening address, with the upstream block `cairn cluster nginx-upstream`
    /// prints for the instances' configuration (a short fail_timeout, so a returning instance is
    /// tried again within the test). The main file adds an access log naming the metatile key and
    /// every instance tried.
    private func startFront() throws {
        let dir = folder + "/front"
        try FileManager.default.createDirectory(atPath: dir + "/cache", withIntermediateDirectories: true)
        var cluster = try String(contentsOfFile: Self.deployFolder + "/cairn-cluster.conf", encoding: .utf8)
        for (shipped, test) in [("/etc/nginx/cairn/", dir + "/"), ("/var/cache/nginx/cairn", dir + "/cache"),
                                ("listen 80;", "listen \(network["front"].address):\(Self.frontPort);"), ("listen [::]:80;", "")] {
            guard cluster.contains(shipped) else { throw InteropError("deploy/nginx/cairn-cluster.conf no longer contains \"\(shipped)\"; update the cluster test's templating") }
            cluster = cluster.replacingOccurrences(of: shipped, with: test)
        }
        try cluster.write(toFile: dir + "/cairn-cluster.conf", atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: dir + "/cairn.js")
        try FileManager.default.copyItem(atPath: Self.deployFolder + "/cairn.js", toPath: dir + "/cairn.js")
        let upstream = try CairnProcess.cairn(["cluster", "nginx-upstream", "--config", folder + "/\(instanceNames[0])/cairn.yaml",
                                               "--max-fails", "1", "--fail-timeout", "2"])
        guard upstream.status == 0 else { throw InteropError("cairn cluster nginx-upstream failed: \(upstream.output)") }
        try upstream.output.write(toFile: dir + "/cairn-upstream.conf", atomically: true, encoding: .utf8)
        let config = """
            daemon off;
            user root;
            worker_processes 2;
            pid \(dir)/nginx.pid;
            error_log \(dir)/error.log warn;
            load_module /usr/lib/nginx/modules/ngx_http_js_module.so;
            events { worker_connections 4096; }
            http {
                log_format cluster '$msec $status $upstream_cache_status "$upstream_addr" "$upstream_status" $cairn_metatile $uri';
                access_log \(dir)/access.log cluster;
                client_body_temp_path \(dir)/body;
                proxy_temp_path \(dir)/proxy;
                fastcgi_temp_path \(dir)/fastcgi;
                uwsgi_temp_path \(dir)/uwsgi;
                scgi_temp_path \(dir)/scgi;
                include \(dir)/cairn-cluster.conf;
            }

            """
        try config.write(toFile: dir + "/nginx.conf", atomically: true, encoding: .utf8)
        front = try network.start(["/usr/sbin/nginx", "-p", dir, "-c", dir + "/nginx.conf", "-e", dir + "/error.log"], on: "front", log: dir + "/nginx.out")
        let up = Wait.untilBlocking(timeout: .seconds(20), interval: .milliseconds(50)) {
            guard self.front?.isRunning == true else { return true }
            return (try? self.network.run(["/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", self.frontBase + "/health"], on: "front")) == "200"
        }
        guard up, front?.isRunning == true else {
            throw InteropError("nginx did not start: \(front?.output ?? "") \((try? String(contentsOfFile: dir + "/error.log", encoding: .utf8)) ?? "")")
        }
    }

    // MARK: Asking

    /// The admin metrics of an instance (name with labels → value), asked on its own loopback.
    func metrics(_ name: String) throws -> [String: Double] {
        let text = try network.run(["/usr/bin/curl", "-s", "--max-time", "10", "-H", "Authorization: Bearer \(Self.adminToken)",
                                    "http://127.0.0.1:\(Self.adminPort)/admin/metrics"], on: name)
        var values: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = Double(parts[1]) { values[String(parts[0])] = value }
        }
        return values
    }

    func metric(_ name: String, on instance: String) -> Double { (try? metrics(instance)[name]) ?? -1 }

    /// One GET through the front from the front's host: status, headers (lower-cased), body.
    func get(_ path: String) throws -> HTTPReply {
        let id = UUID().uuidString
        let headerFile = folder + "/h-\(id)", bodyFile = folder + "/b-\(id)"
        defer {
            try? FileManager.default.removeItem(atPath: headerFile)
            try? FileManager.default.removeItem(atPath: bodyFile)
        }
        let status = try network.run(["/usr/bin/curl", "-s", "--max-time", "60", "-D", headerFile, "-o", bodyFile, "-w", "%{http_code}", frontBase + path], on: "front")
        var fields: [String: String] = [:]
        for line in ((try? String(contentsOfFile: headerFile, encoding: .utf8)) ?? "").split(separator: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return HTTPReply(status: Int(status) ?? 0, headers: fields, body: Array(FileManager.default.contents(atPath: bodyFile) ?? Data()))
    }

    /// Starts curl in the front's host fetching `paths` through the front, `parallel` at once; each
    /// transfer's status and URL is a line of its log (status 000: no answer at all).
    func startClient(_ paths: [String], parallel: Int, name: String) throws -> NamespacedProcess {
        let list = folder + "/\(name)-urls.txt"
        try paths.map { "url = \"\(frontBase)\($0)\"\noutput = \"/dev/null\"\n" }.joined().write(toFile: list, atomically: true, encoding: .utf8)
        return try network.start(["/usr/bin/curl", "-s", "--no-progress-meter", "-Z", "--parallel-max", String(parallel), "--max-time", "120",
                                  "-w", "%{http_code} %{url_effective}\\n", "--config", list],
                                 on: "front", log: folder + "/\(name)-client.log")
    }

    /// Fetches `paths` through the front, `parallel` at once; status → count.
    func fetchAll(_ paths: [String], parallel: Int, name: String) async throws -> [Int: Int] {
        let client = try startClient(paths, parallel: parallel, name: name)
        guard await Wait.until(timeout: .seconds(300), interval: .milliseconds(50), { !client.isRunning }) else {
            client.kill9()
            throw InteropError("the client fetching \(paths.count) tiles did not finish in 5 minutes")
        }
        return Self.statuses(client.output)
    }

    static func statuses(_ output: String) -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for line in output.split(separator: "\n") {
            if let status = line.split(separator: " ").first.flatMap({ Int($0) }) { counts[status, default: 0] += 1 }
        }
        return counts
    }

    /// The front's access log: one entry per request.
    struct LogEntry {
        var time: Double
        var status: Int
        var cacheStatus: String
        /// Every instance tried, in order (`host:port`); empty when the front's cache answered.
        var upstreams: [String]
        var upstreamStatuses: [String]
        var key: String
        var uri: String
    }

    /// The front's access log, tile requests only (not the readiness probes' `/health`).
    func accessLog() -> [LogEntry] {
        fullAccessLog().filter { $0.uri.hasPrefix("/maps/") }
    }

    func fullAccessLog() -> [LogEntry] {
        let text = (try? String(contentsOfFile: accessLogPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let quoted = line.split(separator: "\"")
            let head = quoted.first?.split(separator: " ") ?? []
            let tail = quoted.count > 4 ? quoted[4].split(separator: " ") : []
            guard head.count >= 3, quoted.count >= 5, tail.count >= 2, let time = Double(head[0]), let status = Int(head[1]) else { return nil }
            func list(_ text: Substring) -> [String] {
                text == "-" ? [] : text.components(separatedBy: ", ")
            }
            return LogEntry(time: time, status: status, cacheStatus: String(head[2]), upstreams: list(quoted[1]),
                            upstreamStatuses: list(quoted[3]), key: String(tail[0]), uri: String(tail[1]))
        }
    }

    func address(of name: String) -> String { "\(network[name].address):\(Self.cairnPort)" }

    // MARK: Tiles (arithmetic independent of Cairn's)

    struct Tile: Hashable, CustomStringConvertible {
        var z: Int, x: Int, y: Int
        var description: String { "\(z)/\(x)/\(y)" }
        var path: String { "/maps/\(CairnCluster.map)/\(z)/\(x)/\(y).png" }
    }

    struct MetatileKey: Hashable, CustomStringConvertible {
        var z: Int, column: Int, row: Int
        var description: String { "\(z)/\(column)/\(row)" }
    }

    func metatile(of tile: Tile) -> MetatileKey { MetatileKey(z: tile.z, column: tile.x / metatile, row: tile.y / metatile) }

    static func tile(_ longitude: Double, _ latitude: Double, z: Int) -> Tile {
        let n = Double(1 << z)
        let x = Int(((longitude + 180) / 360 * n).rounded(.down))
        let radians = latitude * .pi / 180
        let y = Int(((1 - log(tan(radians) + 1 / cos(radians)) / .pi) / 2 * n).rounded(.down))
        return Tile(z: z, x: x, y: y)
    }

    /// Every tile of zooms `zooms` over a box in degrees.
    static func tiles(west: Double, south: Double, east: Double, north: Double, zooms: ClosedRange<Int>) -> [Tile] {
        zooms.flatMap { z -> [Tile] in
            let low = tile(west, north, z: z), high = tile(east, south, z: z)
            return (low.y...high.y).flatMap { y in (low.x...high.x).map { x in Tile(z: z, x: x, y: y) } }
        }
    }
}
