import CairnCore
import Synchronization

/// Encoded tiles in memory, in front of the MBTiles files: a hit costs a hash lookup under one
/// shard's lock (the shards split the tiles by hash, so maps and threads rarely meet on one), no
/// SQLite call and no copy. Bounded in bytes (`cache.memory`); each shard evicts by CLOCK, a
/// second chance for every tile read since the hand last passed it (LRU's choice without
/// reordering a list on every hit).
///
/// An entry is served only while everything it was made under still holds, so it is invalidated
/// exactly when the MBTiles tile is: it carries its map version's fingerprint (a new version
/// misses), the cache's `generation` (bumped by `removeAll`, on a reload) and its file's
/// `memoryEpoch` when its read or render began (bumped by every expiry of the file and whenever
/// the file is closed, deleted or replaced). An entry whose read began before such a change is
/// refused when stored; expiries also remove the tiles they mark, once marked, so the rest of the
/// file's tiles stay.
final class MemoryTileCache: Sendable {
    /// What makes a tile distinct besides its file's version: the map, its grid (nil: the
    /// map's default grid, which the XYZ routes serve), the product (format and scale) and the tile.
    struct Key: Hashable, Sendable {
        var map: String
        var grid: String?
        var product: TileProduct
        var tile: TileCoordinate
    }

    /// When a read began: an entry made from it is stored only if nothing changed since.
    struct Stamp: Sendable {
        var generation: UInt64
        var fileEpoch: UInt64
    }

    private struct Entry {
        var key: Key
        var tile: MemoryTile
        var fingerprint: String
        var file: CacheFile
        var stamp: Stamp
        var referenced = false
    }

    private struct Shard {
        var slots: [Entry?] = []
        var index: [Key: Int] = [:]
        var free: [Int] = []
        var hand = 0
        var bytes = 0

        mutating func remove(at slot: Int) {
            guard let entry = slots[slot] else { return }
            bytes -= entry.tile.cost
            index[entry.key] = nil
            slots[slot] = nil
            free.append(slot)
        }

        /// Evicts by CLOCK until `needed` more bytes fit in `capacity`.
        mutating func makeRoom(_ needed: Int, capacity: Int) {
            while bytes + needed > capacity, !index.isEmpty {
                if hand >= slots.count { hand = 0 }
                if slots[hand]?.referenced == true {
                    slots[hand]?.referenced = false
                } else if slots[hand] != nil {
                    remove(at: hand)
                }
                hand += 1
            }
        }
    }

    private final class ShardBox: Sendable {
        let state = Mutex(Shard())
    }

    /// The bound, in bytes (0: nothing is kept).
    let capacity: Int
    private let shards: [ShardBox]
    private let shardCapacity: Int
    private let generation = Atomic<UInt64>(0)

    static let defaultCapacity = 256 << 20

    init(capacity: Int, shards shardCount: Int = 16) {
        self.capacity = max(0, capacity)
        // A small cache keeps fewer shards, so one large tile still fits in one.
        let count = max(1, min(shardCount, self.capacity / (1 << 20)))
        shards = (0..<count).map { _ in ShardBox() }
        shardCapacity = self.capacity / count
    }

    var isEnabled: Bool { capacity > 0 }

    /// The stamp to store an entry under, taken before the read or render it is made from.
    func stamp(_ file: CacheFile) -> Stamp {
        Stamp(generation: generation.load(ordering: .acquiring), fileEpoch: file.memoryEpoch)
    }

    private func shard(_ key: Key) -> ShardBox {
        shards[Int(UInt(bitPattern: key.hashValue) % UInt(shards.count))]
    }

    /// The tile at `key`, when it is of `fingerprint` (nil: whichever the entry has) and still valid.
    func tile(_ key: Key, fingerprint: String?) -> (tile: MemoryTile, fingerprint: String, file: CacheFile)? {
        guard isEnabled else { return nil }
        let current = generation.load(ordering: .acquiring)
        return shard(key).state.withLock { shard -> (tile: MemoryTile, fingerprint: String, file: CacheFile)? in
            guard let slot = shard.index[key], let entry = shard.slots[slot] else { return nil }
            guard entry.stamp.generation == current, entry.stamp.fileEpoch == entry.file.memoryEpoch else {
                shard.remove(at: slot)
                return nil
            }
            if let fingerprint, entry.fingerprint != fingerprint { return nil }
            if !entry.referenced { shard.slots[slot]?.referenced = true }
            return (entry.tile, entry.fingerprint, entry.file)
        }
    }

    /// Keeps `tile` at `key` unless the cache or the file changed since `stamp` was taken (checked
    /// under the shard's lock, which removals take after bumping the epoch: an entry stored before
    /// a removal is removed by it, one stored after it is refused here).
    func store(_ tile: MemoryTile, at key: Key, fingerprint: String, file: CacheFile, stamp: Stamp) {
        guard isEnabled, tile.cost <= shardCapacity else { return }
        shard(key).state.withLock { shard in
            guard generation.load(ordering: .acquiring) == stamp.generation, file.memoryEpoch == stamp.fileEpoch else { return }
            if let old = shard.index[key] { shard.remove(at: old) }
            shard.makeRoom(tile.cost, capacity: shardCapacity)
            let entry = Entry(key: key, tile: tile, fingerprint: fingerprint, file: file, stamp: stamp)
            let slot: Int
            if let reused = shard.free.popLast() {
                slot = reused
                shard.slots[slot] = entry
            } else {
                slot = shard.slots.count
                shard.slots.append(entry)
            }
            shard.index[key] = slot
            shard.bytes += tile.cost
        }
    }

    /// Removes `file`'s entries whose tile `matches`. Call after bumping the file's epoch and
    /// changing the MBTiles rows.
    func remove(of file: CacheFile, where matches: (TileCoordinate) -> Bool) {
        guard isEnabled else { return }
        for box in shards {
            box.state.withLock { shard in
                for slot in shard.slots.indices {
                    if let entry = shard.slots[slot], entry.file === file, matches(entry.key.tile) { shard.remove(at: slot) }
                }
            }
        }
    }

    /// Forgets every tile (a reload: maps, their versions and access may all have changed).
    func removeAll() {
        generation.wrappingAdd(1, ordering: .acquiringAndReleasing)
        for box in shards {
            box.state.withLock { $0 = Shard() }
        }
    }

    /// Bytes held now (tiles plus their fixed overhead) and the number of tiles.
    var usage: (bytes: Int, tiles: Int) {
        shards.reduce(into: (0, 0)) { total, box in
            let (bytes, tiles) = box.state.withLock { ($0.bytes, $0.index.count) }
            total.0 += bytes
            total.1 += tiles
        }
    }
}
