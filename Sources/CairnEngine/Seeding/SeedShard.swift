import CairnConfiguration
import CairnCore

/// `cairn seed --shard K/N`: the part of a seed the front's ring sends to instance K (1-based, in
/// `cluster.instances` order) of N. A tile belongs to the shard when the key of its metatile — at
/// the map's configured metatile size, the one the front's table has — hashes to instance K, so the
/// N shards of one seed are disjoint and together make the whole seed.
public struct SeedShard: Sendable {
    public let ring: ClusterRing
    /// 0-based index into `ring.instances`.
    public let instance: Int
    public let map: String
    public let metatileSize: Int

    public init(ring: ClusterRing, instance: Int, map: String, metatileSize: Int) {
        self.ring = ring
        self.instance = instance
        self.map = map
        self.metatileSize = metatileSize
    }

    /// Parses `K/N` against the configuration's `cluster:` section.
    /// - Throws: `EngineError(.badRequest)` naming what is wrong and what was expected.
    public init(_ text: String, cluster: ClusterConfiguration?, map: MapConfiguration) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = TileAddress.number(parts[0], maxDigits: 4), let n = TileAddress.number(parts[1], maxDigits: 4),
              k >= 1, k <= n else {
            throw EngineError(.badRequest, "--shard: expected K/N with 1 <= K <= N (e.g. 2/3), got \"\(text)\"")
        }
        guard let cluster else {
            throw EngineError(.badRequest, "--shard \(text): the configuration has no `cluster:` section; list the instances as the front's "
                + "`server` lines, e.g. cluster: {instances: [\"10.0.0.11:8080\", \"10.0.0.12:8080\"]}")
        }
        guard n == cluster.instances.count else {
            throw EngineError(.badRequest, "--shard \(text): N must be the number of instances in cluster.instances, "
                + "\(cluster.instances.count) (\(cluster.instances.joined(separator: ", "))), got \(n)")
        }
        self.init(ring: ClusterRing(instances: cluster.instances), instance: k - 1, map: map.name, metatileSize: map.metatileSize)
    }

    /// The instance the front sends `tile` of the map's default grid to.
    public func owner(of tile: TileCoordinate) -> Int? {
        ring.instance(for: ClusterRing.metatileKey(map: map, z: tile.z, x: tile.x, y: tile.y, metatileSize: metatileSize))
    }

    /// The tiles of `tiles` in this shard, each metatile's owner looked up once.
    func filter(_ tiles: [TileCoordinate]) -> [TileCoordinate] {
        var owned: [TileCoordinate] = []
        var last: (z: Int, column: Int, row: Int, mine: Bool)?
        for tile in tiles {
            let column = tile.x / metatileSize, row = tile.y / metatileSize
            let mine: Bool
            if let last, last.z == tile.z, last.column == column, last.row == row {
                mine = last.mine
            } else {
                mine = owner(of: tile) == instance
                last = (tile.z, column, row, mine)
            }
            if mine { owned.append(tile) }
        }
        return owned
    }
}
