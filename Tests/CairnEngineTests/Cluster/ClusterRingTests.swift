@testable import CairnConfiguration
@testable import CairnEngine
import CairnCore
import Testing

/// `ClusterRing`, nginx's `hash … consistent` in Swift (its agreement with a running nginx is
/// ClusterFrontTests' business), and the metatile key the front routes by.
struct ClusterRingTests {
    static let instances = ["10.0.0.11:8080", "10.0.0.12:8080", "10.0.0.13:8080"]

    @Test func pointsAreNginxsKetamaPoints() {
        let ring = ClusterRing(instances: Self.instances)
        // 160 points per instance, no repeated hash among these; values worked out by hand with
        // Python's zlib.crc32 following ngx_http_upstream_init_chash.
        #expect(ring.points.count == 480)
        #expect(ring.points.first == ClusterRing.Point(hash: 11_996_897, instance: 0))
        #expect(ring.points.last == ClusterRing.Point(hash: 4_270_566_451, instance: 0))
        #expect(zip(ring.points, ring.points.dropFirst()).allSatisfy { $0.hash < $1.hash })
        for (key, instance) in [("hai-phong/14/1630/902", 2), ("hai-phong/15/3261/1805", 1), ("mini/13/3261/1805", 1),
                                ("hai-phong/VN2000HaiPhong/5/1/1", 1), ("/health", 2), ("x", 0)] {
            #expect(ring.instance(for: key) == instance, "\(key)")
        }
    }

    @Test func splitsServersAsNginxDoes() {
        #expect(ClusterRing.hostAndPort("10.0.0.11:8080") == ("10.0.0.11", "8080"))
        #expect(ClusterRing.hostAndPort("[fd00::11]:8080") == ("[fd00::11]", "8080"))
        #expect(ClusterRing.hostAndPort("tiles.example") == ("tiles.example", ""))
        #expect(ClusterRing.hostAndPort("unix:/run/cairn.sock") == ("/run/cairn.sock", ""))
    }

    @Test func keysSpreadOverTheInstances() {
        let ring = ClusterRing(instances: Self.instances)
        var counts = [0, 0, 0]
        for x in 0..<100 {
            for y in 0..<100 { counts[ring.instance(for: ClusterRing.metatileKey(map: "hai-phong", z: 14, x: x * 8, y: y * 8, metatileSize: 8))!] += 1 }
        }
        #expect(counts.allSatisfy { $0 > 2_000 && $0 < 5_000 }, "\(counts)")
    }

    /// A failed instance's keys go to the next point, which is where a ring without it puts them;
    /// every other key stays where it was.
    @Test func anUnavailableInstanceMovesOnlyItsOwnKeys() {
        let ring = ClusterRing(instances: Self.instances)
        let smaller = ClusterRing(instances: Array(Self.instances.prefix(2)))
        for index in 0..<5_000 {
            let key = "map/15/\(index)/\(index * 7 % 997)"
            let owner = ring.instance(for: key)!
            let failover = ring.instance(for: key, unavailable: [2])!
            #expect(failover == smaller.instance(for: key))
            if owner != 2 { #expect(failover == owner) }
        }
        #expect(ring.instance(for: "x", unavailable: [0, 1, 2]) == nil)
    }

    @Test func theKeyNamesTheMetatile() {
        #expect(ClusterRing.metatileKey(map: "hai-phong", z: 14, x: 13047, y: 7221, metatileSize: 8) == "hai-phong/14/1630/902")
        #expect(ClusterRing.metatileKey(map: "hai-phong", z: 14, x: 13040, y: 7216, metatileSize: 8) == "hai-phong/14/1630/902")
        #expect(ClusterRing.metatileKey(map: "m", grid: "WebMercatorQuad", z: 3, x: 5, y: 6, metatileSize: 4) == "m/3/1/1")
        #expect(ClusterRing.metatileKey(map: "m", grid: "VN2000HaiPhong", z: 5, x: 9, y: 10, metatileSize: 8) == "m/VN2000HaiPhong/5/1/1")
        // Cairn's own metatile: the key's numbers are its origin divided by the size.
        let metatile = Metatile(containing: TileCoordinate(z: 14, x: 13047, y: 7221), size: 8, in: .webMercator)
        #expect(ClusterRing.metatileKey(map: "hai-phong", z: 14, x: metatile.origin.x, y: metatile.origin.y, metatileSize: 8) == "hai-phong/14/1630/902")
    }

    @Test func shardsPartitionTiles() throws {
        let map = MapConfiguration(name: "hai-phong", stylePath: "/dev/null", metatileSize: 4)
        let cluster = ClusterConfiguration(instances: Self.instances)
        let shards = try (1...3).map { try SeedShard("\($0)/3", cluster: cluster, map: map) }
        let tiles = (0..<40).flatMap { x in (0..<40).map { TileCoordinate(z: 12, x: 3200 + x, y: 1800 + $0) } }
        let parts = shards.map { Set($0.filter(tiles)) }
        #expect(parts.map(\.count).reduce(0, +) == tiles.count)
        #expect(parts.reduce(Set<TileCoordinate>()) { $0.union($1) } == Set(tiles))
        // A metatile is never split between shards.
        for part in parts {
            for tile in part {
                let metatile = Metatile(containing: tile, size: 4, in: .webMercator)
                #expect(metatile.tiles.allSatisfy { part.contains($0) })
            }
        }
    }

    @Test(arguments: [("0/3", "expected K/N"), ("4/3", "expected K/N"), ("1", "expected K/N"), ("1/3/1", "expected K/N"), ("-1/3", "expected K/N"),
                      ("1/2", "N must be the number of instances in cluster.instances, 3")])
    func refusesABadShard(_ text: String, _ message: String) {
        let map = MapConfiguration(name: "m", stylePath: "/dev/null")
        #expect { try SeedShard(text, cluster: ClusterConfiguration(instances: Self.instances), map: map) } throws: { error in
            (error as? EngineError)?.message.contains(message) == true
        }
        #expect { try SeedShard("1/1", cluster: nil, map: map) } throws: { error in
            (error as? EngineError)?.message.contains("no `cluster:` section") == true
        }
    }
}

/// `cluster:` in cairn.yaml.
struct ClusterConfigurationTests {
    func parse(_ cluster: String) throws -> CairnConfiguration {
        try CairnConfiguration.parse(yaml: "cluster: \(cluster)\nmaps:\n  - name: mini\n    style: \(TestPaths.miniStyle)\n", path: "cairn.yaml")
    }

    @Test func readsTheInstancesInOrder() throws {
        let configuration = try parse("{instances: [\"10.0.0.12:8080\", \"cairn-1.internal:80\", \"[fd00::11]:8080\"]}")
        #expect(configuration.cluster?.instances == ["10.0.0.12:8080", "cairn-1.internal:80", "[fd00::11]:8080"])
        let plain = try CairnConfiguration.parse(yaml: "maps:\n  - name: mini\n    style: \(TestPaths.miniStyle)\n", path: "cairn.yaml")
        #expect(plain.cluster == nil)
    }

    @Test(arguments: [
        ("[\"10.0.0.11:8080\"]", "cairn.yaml:1: cluster: expected a mapping with `instances`, a list of \"host:port\", got a list"),
        ("{}", "cairn.yaml:1: cluster.instances: missing; expected a list of \"host:port\", one per Cairn instance"),
        ("{instances: []}", "cairn.yaml:1: cluster.instances: expected a non-empty list of \"host:port\", got a list"),
        ("{instances: [\"10.0.0.11\"]}", "cairn.yaml:1: cluster.instances[0]: expected \"host:port\""),
        ("{instances: [\"10.0.0.11:0\"]}", "cairn.yaml:1: cluster.instances[0]: expected \"host:port\""),
        ("{instances: [\"10.0.0.11:08080\"]}", "cairn.yaml:1: cluster.instances[0]: expected \"host:port\""),
        ("{instances: [\"http://10.0.0.11:8080\"]}", "cairn.yaml:1: cluster.instances[0]: expected \"host:port\""),
        ("{instances: [\"fd00::11:8080\"]}", "cairn.yaml:1: cluster.instances[0]: expected \"host:port\""),
        ("{instances: [\"a:1\", \"a:1\"]}", "cairn.yaml:1: cluster.instances[1]: duplicate instance \"a:1\""),
        ("{instances: [\"a:1\"], weights: [1]}", "cairn.yaml:1: cluster.weights: unknown key; expected one of instances"),
    ])
    func explainsMistakes(_ cluster: String, _ message: String) throws {
        let error = try #require(throws: ConfigurationErrors.self) { try parse(cluster) }
        #expect(error.description.hasPrefix(message), "\(error)")
    }

    @Test func namesTheLineOfTheBadInstance() throws {
        let yaml = "cluster:\n  instances:\n    - \"10.0.0.11:8080\"\n    - \"10.0.0.12\"\nmaps:\n  - name: mini\n    style: \(TestPaths.miniStyle)\n"
        let error = try #require(throws: ConfigurationErrors.self) { try CairnConfiguration.parse(yaml: yaml, path: "/etc/cairn/cairn.yaml") }
        #expect(error.description.hasPrefix("/etc/cairn/cairn.yaml:4: cluster.instances[1]: expected \"host:port\""), "\(error)")
    }
}
