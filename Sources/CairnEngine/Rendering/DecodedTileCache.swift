import CairnCore
import CairnSources

/// A least-recently-used map from source tile address to decoded tile; nil values remember tiles
/// that are missing or corrupt, so they are not read (or logged) again on every metatile.
/// Bounded both in tiles and in features (a dense z14 city tile holds tens of thousands), so memory
/// stays around a few hundred megabytes at most.
struct DecodedTileCache {
    private var entries: [TileCoordinate: (tile: VectorSourceTile?, lastUse: UInt64, cost: Int)] = [:]
    private var clock: UInt64 = 0
    private var totalCost = 0
    let capacity: Int
    let featureBudget: Int

    init(capacity: Int, featureBudget: Int = 600_000) {
        self.capacity = max(1, capacity)
        self.featureBudget = max(1, featureBudget)
        entries.reserveCapacity(self.capacity + 1)
    }

    var count: Int { entries.count }
    var featureCount: Int { totalCost }

    /// `.some(tile)` (possibly `.some(nil)` for a known-missing tile) on a hit, nil on a miss.
    mutating func value(for key: TileCoordinate) -> VectorSourceTile?? {
        guard let entry = entries[key] else { return nil }
        clock += 1
        entries[key] = (entry.tile, clock, entry.cost)
        return .some(entry.tile)
    }

    mutating func insert(_ tile: VectorSourceTile?, for key: TileCoordinate) {
        clock += 1
        let cost = 1 + (tile?.featureCount ?? 0)
        if let old = entries.updateValue((tile, clock, cost), forKey: key) { totalCost -= old.cost }
        totalCost += cost
        guard entries.count > capacity || totalCost > featureBudget else { return }
        // Evict the oldest entries down to seven eighths of both limits, so the sort is paid rarely.
        let countTarget = capacity - capacity / 8
        let costTarget = featureBudget - featureBudget / 8
        for (oldKey, entry) in entries.sorted(by: { $0.value.lastUse < $1.value.lastUse }) {
            guard entries.count > countTarget || totalCost > costTarget, oldKey != key else { break }
            entries.removeValue(forKey: oldKey)
            totalCost -= entry.cost
        }
    }
}
