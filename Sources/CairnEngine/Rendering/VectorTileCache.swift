import CairnCore
import CairnSources

/// A least-recently-used map from source tile address to decoded tile; nil values remember tiles
/// that are missing or corrupt, so they are not read (or logged) again on every metatile.
struct VectorTileCache {
    private var entries: [TileCoordinate: (tile: VectorSourceTile?, lastUse: UInt64)] = [:]
    private var clock: UInt64 = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        entries.reserveCapacity(self.capacity + 1)
    }

    var count: Int { entries.count }

    /// `.some(tile)` (possibly `.some(nil)` for a known-missing tile) on a hit, nil on a miss.
    mutating func value(for key: TileCoordinate) -> VectorSourceTile?? {
        guard let entry = entries[key] else { return nil }
        clock += 1
        entries[key] = (entry.tile, clock)
        return .some(entry.tile)
    }

    mutating func insert(_ tile: VectorSourceTile?, for key: TileCoordinate) {
        clock += 1
        entries[key] = (tile, clock)
        guard entries.count > capacity else { return }
        // Evict the oldest eighth at once, so the scan is paid rarely.
        let excess = entries.count - capacity + capacity / 8
        let oldest = entries.sorted { $0.value.lastUse < $1.value.lastUse }.prefix(excess).map(\.key)
        for key in oldest { entries.removeValue(forKey: key) }
    }
}
