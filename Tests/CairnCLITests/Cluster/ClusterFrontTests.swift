import CairnEngine
import Foundation
import Testing
import CairnTestSupport

/// The cluster front of deploy/ (nginx + njs, issue 16): three real instances behind real nginx on
/// 127.0.0.1. Routing matches Cairn's own ring for every tile, each metatile is rendered once in the
/// cluster, concurrent misses collapse, expired tiles revalidate with a 304, internal maps never pass
/// through the shared cache, and `cairn seed --shard` seeds exactly what the front sends each instance.
@Suite(.interop, .serialized)
struct ClusterFrontTests {
    /// Web Mercator tiles over central Hải Phòng at zooms `zooms`, row-major per zoom.
    static func tiles(_ zooms: ClosedRange<Int>, west: Double = 106.62, south: Double = 20.82, east: Double = 106.74, north: Double = 20.90) -> [(z: Int, x: Int, y: Int)] {
        func column(_ lon: Double, _ z: Int) -> Int { Int(((lon + 180) / 360 * Double(1 << z)).rounded(.down)) }
        func row(_ lat: Double, _ z: Int) -> Int {
            let r = lat * .pi / 180
            return Int(((1 - log(tan(r) + 1 / cos(r)) / .pi) / 2 * Double(1 << z)).rounded(.down))
        }
        var result: [(z: Int, x: Int, y: Int)] = []
        for z in zooms {
            for y in row(north, z)...row(south, z) {
                for x in column(west, z)...column(east, z) { result.append((z, x, y)) }
            }
        }
        return result
    }

    // (a) and (b)
    @Test func everyTileReachesTheInstanceTheRingPredictsAndEachMetatileRendersOnce() async throws {
        let cluster = try await ClusterFixture.start("cluster-ring")
        defer { cluster.stop() }
        let tiles = Self.tiles(11...16)
        #expect(tiles.count >= 300, "\(tiles.count) tiles")
        let before = try cluster.renderCounts()
        let paths = tiles.map { "/maps/mini/\($0.z)/\($0.x)/\($0.y).png" }
        let statuses = try cluster.front.getAll(paths)
        #expect(statuses.allSatisfy { $0 == 200 }, "statuses: \(Dictionary(grouping: statuses, by: { $0 }).mapValues(\.count))")
        let entries = await cluster.front.logEntries(for: Set(paths), atLeast: paths.count)
        let byPath = Dictionary(entries.map { ($0.uri, $0) }, uniquingKeysWith: { first, _ in first })
        var agree = 0
        var perInstance = [0, 0, 0]
        for (tile, path) in zip(tiles, paths) {
            guard let entry = byPath[path], let predicted = cluster.predictedInstance(z: tile.z, x: tile.x, y: tile.y) else { continue }
            if entry.upstreams == [cluster.addresses[predicted]] { agree += 1 }
            perInstance[predicted] += 1
        }
        #expect(agree == tiles.count, "\(agree) of \(tiles.count) tiles reached the instance the ring predicts")
        #expect(perInstance.allSatisfy { $0 > 0 }, "every instance owns some tiles: \(perInstance)")

        // Every metatile of the set rendered exactly once in the whole cluster.
        let metatiles = Set(tiles.map { "\($0.z)/\($0.x / 2)/\($0.y / 2)" })
        let after = try cluster.renderCounts()
        let renders = zip(after, before).map { $0 - $1 }
        var owned = [0, 0, 0]
        for tile in Set(tiles.map { "\($0.z)/\($0.x / 2 * 2)/\($0.y / 2 * 2)" }) {
            let parts = tile.split(separator: "/").compactMap { Int($0) }
            if let owner = cluster.predictedInstance(z: parts[0], x: parts[1], y: parts[2]) { owned[owner] += 1 }
        }
        #expect(renders.map { Int($0) } == owned, "renders per instance \(renders), metatiles owned \(owned) of \(metatiles.count)")

        // The other tile routes of the same tiles reach the same instance: njs keys them alike.
        let sample = stride(from: 0, to: tiles.count, by: 17).map { tiles[$0] }
        var routes: [(path: String, instance: Int)] = []
        for tile in sample {
            guard let predicted = cluster.predictedInstance(z: tile.z, x: tile.x, y: tile.y) else { continue }
            let flipped = (1 << tile.z) - 1 - tile.y
            for path in ["/maps/mini/\(tile.z)/\(tile.x)/\(tile.y)@2x.png",
                         "/maps/mini/grids/WebMercatorQuad/\(tile.z)/\(tile.x)/\(tile.y).png",
                         "/tms/1.0.0/mini/\(tile.z)/\(tile.x)/\(flipped).png",
                         "/wmts/mini/default/WebMercatorQuad/\(tile.z)/\(tile.y)/\(tile.x).png",
                         "/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=mini&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=\(tile.z)&TILEROW=\(tile.y)&TILECOL=\(tile.x)",
                         "/ogcapi/collections/mini/map/tiles/WebMercatorQuad/\(tile.z)/\(tile.y)/\(tile.x)"] {
                routes.append((path, predicted))
            }
        }
        let routeStatuses = try cluster.front.getAll(routes.map(\.path))
        let routeEntries = await cluster.front.logEntries(for: Set(routes.map(\.path)), atLeast: routes.count)
        let routeByPath = Dictionary(routeEntries.map { ($0.uri, $0) }, uniquingKeysWith: { first, _ in first })
        for ((path, predicted), status) in zip(routes, routeStatuses) {
            #expect(status == 200, "\(path): \(status)")
            #expect(routeByPath[path]?.upstreams == [cluster.addresses[predicted]], "\(path) reached \(routeByPath[path]?.upstreams ?? []), the ring says \(cluster.addresses[predicted])")
        }
    }

    /// A stopped instance's metatiles go where the ring's failover says — the next instance on the
    /// ring, skipping the stopped one's points — and nobody sees an error; other tiles stay put.
    @Test func aStoppedInstancesTilesGoToTheNextInstanceOnTheRing() async throws {
        let cluster = try await ClusterFixture.start("cluster-failover")
        defer { cluster.stop() }
        cluster.instances[2].stop()
        let tiles = Self.tiles(13...15)
        let paths = tiles.map { "/maps/mini/\($0.z)/\($0.x)/\($0.y).png" }
        let statuses = try cluster.front.getAll(paths, parallel: 4)
        #expect(statuses.allSatisfy { $0 == 200 }, "statuses: \(Dictionary(grouping: statuses, by: { $0 }).mapValues(\.count))")
        let entries = await cluster.front.logEntries(for: Set(paths), atLeast: paths.count)
        let byPath = Dictionary(entries.map { ($0.uri, $0) }, uniquingKeysWith: { first, _ in first })
        var moved = 0
        for (tile, path) in zip(tiles, paths) {
            let key = ClusterRing.metatileKey(map: "mini", z: tile.z, x: tile.x, y: tile.y, metatileSize: 2)
            let owner = try #require(cluster.ring.instance(for: key))
            let failover = try #require(cluster.ring.instance(for: key, unavailable: [2]))
            if owner == 2 { moved += 1 } else { #expect(failover == owner) }
            #expect(byPath[path]?.upstreams.last == cluster.addresses[failover], "\(path): \(byPath[path]?.upstreams ?? []), the ring says \(cluster.addresses[failover])")
        }
        #expect(moved > 0, "no tile of the set belonged to the stopped instance")
    }

    // (c) and (d)
    @Test func concurrentMissesCollapseAndExpiredTilesRevalidate() async throws {
        let cluster = try await ClusterFixture.start("cluster-cache")
        defer { cluster.stop() }
        // 16 clients at once for one cold tile: one request reaches an instance.
        let cold = "/maps/mini/17/104375/57766.png"
        let statuses = try cluster.front.getAll(Array(repeating: cold, count: 16), parallel: 16)
        #expect(statuses == Array(repeating: 200, count: 16), "\(statuses)")
        let entries = await cluster.front.logEntries(for: [cold], atLeast: 16)
        #expect(entries.count == 16)
        let upstream = entries.filter { $0.upstreams != ["-"] }
        #expect(upstream.count == 1, "\(upstream.count) of 16 concurrent misses reached an instance: \(entries.map(\.cacheStatus))")

        // max_age is 2 s: after it the front asks with If-None-Match and gets a 304.
        let path = "/maps/mini/14/13047/7221.png"
        let first = try cluster.front.get(path)
        #expect(first.status == 200 && first.header("X-Cache-Status") == "MISS", "\(first.status) \(first.headers)")
        var revalidated: HTTPReply?
        _ = try await Wait.until(timeout: .seconds(15), interval: .milliseconds(200)) {
            let reply = try cluster.front.get(path)
            if reply.header("X-Cache-Status") == "REVALIDATED" { revalidated = reply }
            return revalidated != nil
        }
        let again = try #require(revalidated, "the front never revalidated the expired tile")
        #expect(again.status == 200 && again.body == first.body)
        let log = cluster.front.log().filter { $0.uri == path }
        #expect(log.contains { $0.upstreamStatuses == ["304"] }, "no 304 from the instance: \(log.map(\.upstreamStatuses))")

        // An edit (the style's water and land colours) comes through after an expiry as new bytes.
        let style = cluster.folder + "/style/style.json"
        let text = try String(contentsOfFile: style, encoding: .utf8)
        try text.replacingOccurrences(of: "#aad3df", with: "#223344").replacingOccurrences(of: "#f2efe9", with: "#443322")
            .write(toFile: style, atomically: true, encoding: .utf8)
        var changed: HTTPReply?
        _ = try await Wait.until(timeout: .seconds(20), interval: .milliseconds(200)) {
            let reply = try cluster.front.get(path)
            if reply.status == 200, reply.body != first.body { changed = reply }
            return changed != nil
        }
        let edited = try #require(changed, "the edited tile never came through the front")
        #expect(edited.header("X-Cache-Status") == "EXPIRED", "\(edited.headers)")
        #expect(AccessSecurityTests.isPNG(edited))
    }

    // (e)
    @Test func anInternalTileThroughTheFrontNeverReachesAnotherClient() async throws {
        let cluster = try await ClusterFixture.start("cluster-internal")
        defer { cluster.stop() }
        let path = "/maps/secret/13/6523/3610.png"
        for credential in [["Authorization: Bearer \(cluster.key)"], ["X-API-Key: \(cluster.key)"]] {
            let authorised = try cluster.front.get(path, headers: credential)
            #expect(authorised.status == 200 && AccessSecurityTests.isPNG(authorised))
            #expect(authorised.header("X-Cache-Status") == "BYPASS", "\(authorised.headers)")
            #expect(authorised.header("Cache-Control")?.hasPrefix("private") == true, "\(authorised.headers)")
            for headers in [[], ["Authorization: Bearer cairn_not_a_key"]] {
                let other = try cluster.front.get(path, headers: headers)
                #expect([401, 404].contains(other.status) && !AccessSecurityTests.isPNG(other), "the front served the internal tile: \(other.status) \(other.headers)")
            }
        }
        let inQuery = try cluster.front.get(path + "?key=\(cluster.key)")
        #expect(inQuery.status == 200 && inQuery.header("X-Cache-Status") == "BYPASS")
        let withoutQuery = try cluster.front.get(path)
        #expect(withoutQuery.status == 404 && !AccessSecurityTests.isPNG(withoutQuery))
        let sameURLAnonymous = try cluster.front.get(path + "?key=")
        #expect(!AccessSecurityTests.isPNG(sameURLAnonymous), "\(sameURLAnonymous.status)")
    }

    // (f)
    @Test func shardedSeedsAreDisjointCoverTheAreaAndAreServedAsHits() async throws {
        let cluster = try await ClusterFixture.start("cluster-seed")
        defer { cluster.stop() }
        let bbox = "106.62,20.82,106.74,20.90"
        var shards: [Set<String>] = []
        for (index, instance) in cluster.instances.enumerated() {
            let run = try CommandLineTests.cairn(["seed", "--config", instance.folder + "/cairn.yaml", "--map", "mini", "--zoom", "11-15",
                                                  "--bbox", bbox, "--shard", "\(index + 1)/3", "--progress", "none"])
            #expect(run.status == 0, "shard \(index + 1): \(run.output)")
            shards.append(try Self.storedTiles(instance.folder + "/cache/mini.mbtiles"))
        }
        let whole = cluster.folder + "/whole.mbtiles"
        let run = try CommandLineTests.cairn(["seed", "--config", cluster.instances[0].folder + "/cairn.yaml", "--map", "mini", "--zoom", "11-15",
                                              "--bbox", bbox, "--mbtiles", whole, "--progress", "none"])
        #expect(run.status == 0, "\(run.output)")
        let all = try Self.storedTiles(whole)
        #expect(all.count == Self.tiles(11...15).count, "\(all.count) tiles in the whole seed")
        for i in 0..<3 {
            #expect(!shards[i].isEmpty, "shard \(i + 1) is empty")
            for j in (i + 1)..<3 { #expect(shards[i].isDisjoint(with: shards[j]), "shards \(i + 1) and \(j + 1) overlap") }
        }
        #expect(shards.reduce(Set<String>()) { $0.union($1) } == all, "the shards do not make the whole seed")

        // Through the front, each tile reaches the instance that seeded it: a cache hit there.
        for (index, shard) in shards.enumerated() {
            for tile in shard.sorted().prefix(40) {
                let reply = try cluster.front.get("/maps/mini/\(tile).png")
                #expect(reply.status == 200 && reply.header("X-Cairn-Cache") == "HIT", "\(tile) of shard \(index + 1): \(reply.status) \(reply.headers)")
            }
        }
    }

    // (g)
    @Test func clusterMistakesAreExplained() async throws {
        let folder = CommandLineTests.temporary("cluster-errors")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let plain = folder + "/plain.yaml"
        try "maps:\n  - name: mini\n    style: \(CommandLineTests.miniStyle)\n".write(toFile: plain, atomically: true, encoding: .utf8)
        let clustered = folder + "/cluster.yaml"
        try "cluster:\n  instances: [\"10.0.0.11:8080\", \"10.0.0.12:8080\"]\nmaps:\n  - name: mini\n    style: \(CommandLineTests.miniStyle)\n    metatile: 4\n"
            .write(toFile: clustered, atomically: true, encoding: .utf8)
        let seed = ["seed", "--map", "mini", "--zoom", "12", "--bbox", "106.6,20.8,106.7,20.9", "--dry-run"]

        let noCluster = try CommandLineTests.cairn(seed + ["--config", plain, "--shard", "1/2"])
        #expect(noCluster.status == 1 && noCluster.output.contains("no `cluster:` section"), "\(noCluster.output)")
        let wrongCount = try CommandLineTests.cairn(seed + ["--config", clustered, "--shard", "1/3"])
        #expect(wrongCount.status == 1 && wrongCount.output.contains("N must be the number of instances in cluster.instances, 2"), "\(wrongCount.output)")
        for bad in ["0/2", "3/2", "1", "a/b", "1/2/3"] {
            let run = try CommandLineTests.cairn(seed + ["--config", clustered, "--shard", bad])
            #expect(run.status == 1 && run.output.contains("expected K/N with 1 <= K <= N"), "\(bad): \(run.output)")
        }
        let upstream = try CommandLineTests.cairn(["cluster", "nginx-upstream", "--config", clustered])
        #expect(upstream.status == 0)
        #expect(upstream.output.contains("hash $cairn_metatile consistent;"))
        #expect(upstream.output.contains("server 10.0.0.11:8080 max_fails=2 fail_timeout=10s;"))
        #expect(upstream.output.contains("    mini 4;"), "\(upstream.output)")
        let noSection = try CommandLineTests.cairn(["cluster", "nginx-upstream", "--config", plain])
        #expect(noSection.status == 1 && noSection.output.contains("no `cluster:` section"), "\(noSection.output)")

        // deploy/nginx/cairn-upstream.conf is what the command prints for deploy/README.md's example.
        let example = folder + "/example.yaml"
        try "cluster:\n  instances: [\"10.0.0.11:8080\", \"10.0.0.12:8080\", \"10.0.0.13:8080\"]\nmaps:\n  - name: hai-phong\n    style: \(CommandLineTests.miniStyle)\n"
            .write(toFile: example, atomically: true, encoding: .utf8)
        let shipped = try String(contentsOfFile: ClusterFront.deployFolder + "/cairn-upstream.conf", encoding: .utf8)
        let printed = try CommandLineTests.cairn(["cluster", "nginx-upstream", "--config", example])
        #expect(shipped.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).joined(separator: "\n") == printed.output,
                "deploy/nginx/cairn-upstream.conf differs from what `cairn cluster nginx-upstream` prints")

        // The two shards' dry runs add up to the whole.
        let whole = try CommandLineTests.cairn(seed + ["--config", clustered])
        let parts = try (1...2).map { try CommandLineTests.cairn(seed + ["--config", clustered, "--shard", "\($0)/2"]) }
        func total(_ run: CommandLineTests.Run) -> Int? {
            run.output.split(separator: "\n").first { $0.hasPrefix("all") }.flatMap { Int($0.split(separator: " ")[1]) }
        }
        let sum = parts.compactMap(total).reduce(0, +)
        #expect(total(whole) != nil && sum == total(whole), "\(whole.output)\n\(parts.map(\.output))")
    }

    /// The tiles of an MBTiles file as "z/x/y" (XYZ rows), read with sqlite3.
    static func storedTiles(_ path: String) throws -> Set<String> {
        let run = try runProgram("/usr/bin/sqlite3", [path, "SELECT zoom_level || '/' || tile_column || '/' || ((1 << zoom_level) - 1 - tile_row) FROM tiles;"])
        return Set(run.output.split(separator: "\n").map(String.init))
    }
}
