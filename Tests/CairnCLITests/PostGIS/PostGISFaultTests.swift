import CairnTestSupport
import Foundation
import Testing

/// A database that stops, is down at start, refuses the password or loses a table degrades the maps
/// that read it, never the server: cached tiles are served, cold tiles answer 503, `/health` says
/// which database or table and why (never the password), and all recovers without a restart.
@Suite(.interop, .serialized)
struct PostGISFaultTests {
    static let demoTile = (z: 15, x: 26094, y: 14440)

    /// A style drawing buildings and roads from the database, and a file map beside it.
    static func configuration(_ demo: PostGISDemo, files: String, postgis: String) -> String {
        demo.databasesYAML() + """
            maps:
              - name: files
                style: \(files)
                metatile: 1
              - name: pg
                style: \(postgis)
                metatile: 1

            """
    }

    static func styles(_ demo: PostGISDemo) throws -> (files: String, postgis: String) {
        let keep: Set<String> = ["background", "land", "buildings", "road-minor", "road-primary"]
        func trim(_ style: inout [String: Any]) {
            style["layers"] = (style["layers"] as! [[String: Any]]).filter { keep.contains($0["id"] as? String ?? "") }
        }
        return (try demo.style(named: "files", postgisSources: [], edit: trim), try demo.style(named: "pg", postgisSources: ["hp"], edit: trim))
    }

    /// Tiles around a building at z16, each a distinct cold tile.
    static func tiles(_ demo: PostGISDemo, count: Int) throws -> [String] {
        let point = try PostGISRenderingTests.pointOn("syn_buildings", in: demo)
        let t = PostGISRenderingTests.tile(longitude: point.0, latitude: point.1, z: 16)
        return (0..<count).map { "16/\(t.x + $0 % 4)/\(t.y + $0 / 4).png" }
    }

    static func databaseHealth(_ server: PostGISServer) -> [String: Any]? {
        ((try? server.health())?["databases"] as? [String: Any])?["city"] as? [String: Any]
    }

    @Test func aStoppedDatabaseDegradesItsMapsAndTheyRecoverWhenItReturns() async throws {
        let demo = try PostGISDemo.start(layers: ["hp_land", "syn_buildings", "syn_roads"], landUse: false)
        defer { demo.shutdown() }
        let (files, postgis) = try Self.styles(demo)
        let server = try await PostGISServer.start(folder: demo.folder, configuration: Self.configuration(demo, files: files, postgis: postgis))
        defer { server.stop() }
        let tiles = try Self.tiles(demo, count: 3)

        let warm = try server.get("/maps/pg/" + tiles[0])
        #expect(warm.status == 200, "\(warm.text) \(server.log.suffix(2000))")
        #expect(await Wait.until(timeout: .seconds(30)) { Self.databaseHealth(server)?["status"] as? String == "up" })

        try demo.cluster.stop()
        // Cached: still served.
        let cached = try server.get("/maps/pg/" + tiles[0])
        #expect(cached.status == 200)
        // Cold: 503 with Retry-After, the other map unaffected.
        var cold = try server.get("/maps/pg/" + tiles[1])
        if cold.status == 200 { cold = try server.get("/maps/pg/" + tiles[2]) }
        #expect(cold.status == 503, "\(cold.status) \(cold.text)")
        #expect(cold.headers["retry-after"] != nil)
        #expect(try server.get("/maps/files/" + tiles[1]).status == 200)
        #expect(await Wait.until(timeout: .seconds(30)) { Self.databaseHealth(server)?["status"] as? String == "down" })
        let health = try server.health()
        #expect(health["status"] as? String == "degraded")
        let pg = (health["maps"] as? [String: Any])?["pg"] as? [String: Any]
        #expect(pg?["status"] as? String == "degraded")
        #expect((pg?["database"] as? String)?.contains("city") == true, "\(String(describing: pg))")
        #expect((Self.databaseHealth(server)?["url"] as? String)?.hasPrefix("postgresql://cairn@127.0.0.1:") == true)

        try demo.cluster.start()
        // Recovers by itself: no restart, no reload.
        let recovered = await Wait.until(timeout: .seconds(90), interval: .milliseconds(500)) {
            (try? server.get("/maps/pg/" + tiles[1]).status) == 200
        }
        #expect(recovered, "\(server.log.suffix(3000))")
        #expect(await Wait.until(timeout: .seconds(30)) { Self.databaseHealth(server)?["status"] as? String == "up" })
        #expect(server.process.isRunning)
        #expect(!server.log.contains(PostGISDemo.password))
    }

    @Test func aDatabaseDownAtStartLeavesTheServerUpAndItsMapsDegradedUntilItComes() async throws {
        let demo = try PostGISDemo.start(layers: ["hp_land", "syn_buildings", "syn_roads"], landUse: false)
        defer { demo.shutdown() }
        let (files, postgis) = try Self.styles(demo)
        try demo.cluster.stop()
        let server = try await PostGISServer.start(folder: demo.folder, configuration: Self.configuration(demo, files: files, postgis: postgis))
        defer { server.stop() }
        let tiles = try? Self.tiles(demo, count: 1)  // the cluster is down: compute from a known point instead
        let tile = tiles?.first ?? "16/52189/28880.png"

        #expect(await Wait.until(timeout: .seconds(30)) { Self.databaseHealth(server)?["status"] as? String == "down" })
        let cold = try server.get("/maps/pg/" + tile)
        #expect(cold.status == 503, "\(cold.text)")
        #expect(try server.get("/maps/files/" + tile).status == 200)
        let maps = try server.health()["maps"] as? [String: Any]
        #expect((maps?["pg"] as? [String: Any])?["status"] as? String == "degraded")

        try demo.cluster.start()
        let recovered = await Wait.until(timeout: .seconds(90), interval: .milliseconds(500)) {
            (try? server.get("/maps/pg/" + tile).status) == 200
        }
        #expect(recovered, "\(server.log.suffix(3000))")
    }

    @Test func aWrongPasswordIsReportedAsAnAuthenticationFailureWithoutThePassword() async throws {
        let demo = try PostGISDemo.start(layers: ["hp_land", "syn_buildings", "syn_roads"], landUse: false)
        defer { demo.shutdown() }
        let (files, postgis) = try Self.styles(demo)
        let wrong = "Wr0ng-Passw0rd-d41d8"
        let server = try await PostGISServer.start(folder: demo.folder, configuration: Self.configuration(demo, files: files, postgis: postgis), password: wrong)
        defer { server.stop() }
        let tile = try Self.tiles(demo, count: 1)[0]

        #expect(await Wait.until(timeout: .seconds(30)) {
            (Self.databaseHealth(server)?["reason"] as? String)?.contains("authentication failed for user cairn") == true
        }, "\(String(describing: Self.databaseHealth(server)))")
        let cold = try server.get("/maps/pg/" + tile)
        #expect(cold.status == 503)
        let healthText = try server.get("/health").text
        #expect(healthText.contains("postgresql://cairn@127.0.0.1"))
        #expect(await Wait.until(timeout: .seconds(10)) { server.log.contains("authentication failed for user cairn") })
        for text in [server.log, healthText, cold.text] {
            #expect(!text.contains(wrong))
            #expect(!text.contains(PostGISDemo.password))
        }
        // The validator says the same, also without the password.
        let config = demo.folder + "/validate.yaml"
        try (demo.databasesYAML() + "maps:\n  - name: pg\n    style: \(postgis)\n").write(toFile: config, atomically: true, encoding: .utf8)
        let validate = try PostGISRenderingTests().runCairn(["validate", "--config", config], password: wrong)
        #expect(validate.status != 0)
        #expect(validate.output.contains("authentication failed for user cairn at postgresql://cairn@127.0.0.1:\(demo.cluster.port)/city"), "\(validate.output)")
        #expect(!validate.output.contains(wrong))
    }

    @Test func aDroppedTableFailsOnlyItsMapsColdTilesAndIsNamedInHealth() async throws {
        let demo = try PostGISDemo.start(layers: ["hp_land", "syn_buildings", "syn_roads"], landUse: false)
        defer { demo.shutdown() }
        let (files, postgis) = try Self.styles(demo)
        let server = try await PostGISServer.start(folder: demo.folder, configuration: Self.configuration(demo, files: files, postgis: postgis))
        defer { server.stop() }
        let tiles = try Self.tiles(demo, count: 3)
        #expect(try server.get("/maps/pg/" + tiles[0]).status == 200)

        try demo.cluster.psql("DROP TABLE syn_buildings", database: "city")
        let cold = try server.get("/maps/pg/" + tiles[1])
        #expect(cold.status == 503 || cold.status == 500, "\(cold.status) \(cold.text)")
        #expect(try server.get("/maps/pg/" + tiles[0]).status == 200)  // cached
        #expect(try server.get("/maps/files/" + tiles[1]).status == 200)
        let health = try server.health()
        #expect(health["status"] as? String == "degraded")
        let pg = (health["maps"] as? [String: Any])?["pg"] as? [String: Any]
        #expect((pg?["data"] as? String)?.contains("syn_buildings") == true, "\(String(describing: pg))")
        #expect(((health["maps"] as? [String: Any])?["files"] as? [String: Any])?["status"] as? String == "ok")
        #expect(server.log.contains("syn_buildings"))
        // The database itself is fine.
        #expect(Self.databaseHealth(server)?["status"] as? String == "up")
    }

    @Test func anInjectionInSourceLayerIsRefusedAsAStyleErrorAndNothingRuns() async throws {
        let demo = try PostGISDemo.start(layers: ["hp_land", "syn_buildings"], landUse: false)
        defer { demo.shutdown() }
        try demo.cluster.psql("CREATE TABLE victim (id int)", database: "city")
        try demo.cluster.psql("ALTER SYSTEM SET log_statement = 'all'")
        try demo.cluster.psql("SELECT pg_reload_conf()")
        let evil = #"syn_buildings"; DROP TABLE victim; --"#
        let postgis = try demo.style(named: "evil", postgisSources: ["hp"]) { style in
            style["layers"] = (style["layers"] as! [[String: Any]]).filter { ($0["id"] as? String) == "buildings" }.map { layer in
                var layer = layer
                layer["source-layer"] = evil
                return layer
            }
        }
        let config = demo.folder + "/evil.yaml"
        try (demo.databasesYAML() + "maps:\n  - name: evil\n    style: \(postgis)\n").write(toFile: config, atomically: true, encoding: .utf8)
        let validate = try PostGISRenderingTests().runCairn(["validate", "--config", config])
        #expect(validate.status != 0)
        #expect(validate.output.contains("source-layer"), "\(validate.output)")
        #expect(validate.output.contains("expected a table or view name"), "\(validate.output)")

        let server = try await PostGISServer.start(folder: demo.folder, configuration: demo.databasesYAML() + "maps:\n  - name: evil\n    style: \(postgis)\n")
        defer { server.stop() }
        let answer = try server.get("/maps/evil/16/52189/28880.png")
        #expect(answer.status == 503 || answer.status == 404)
        #expect(try demo.cluster.psql("SELECT count(*) FROM victim", database: "city").trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        #expect(!demo.cluster.serverLog.contains("DROP TABLE victim"))
    }
}
