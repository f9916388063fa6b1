import CairnCore
import Foundation

/// Failed renders, kept for `cairn seed --retry-failed`. Storing a tile clears its record.
extension MBTilesStore {
    /// Records (or replaces) why each tile (XYZ) failed, with the current time, in one transaction.
    public func recordFailures(_ failures: [(TileCoordinate, String)]) throws {
        let rows = try failures.map { try tmsRow($0.0) }
        let now = Int64(Date().timeIntervalSince1970)
        try write {
            for (index, (tile, reason)) in failures.enumerated() {
                try execute("""
                    INSERT OR REPLACE INTO cairn_failures (zoom_level, tile_column, tile_row, reason, failed_at)
                    VALUES (?1, ?2, ?3, ?4, ?5)
                    """) { statement in
                    try statement.bind(tile.z, at: 1)
                    try statement.bind(tile.x, at: 2)
                    try statement.bind(rows[index], at: 3)
                    try statement.bind(reason, at: 4)
                    try statement.bind(now, at: 5)
                }
            }
        }
    }

    /// Every recorded failure (XYZ tile and reason), ordered by z, x, y.
    public func failures() throws -> [(tile: TileCoordinate, reason: String)] {
        try read {
            try query("SELECT zoom_level, tile_column, tile_row, reason FROM cairn_failures ORDER BY zoom_level, tile_column, tile_row DESC") { statement in
                var failures: [(tile: TileCoordinate, reason: String)] = []
                while try statement.step() { failures.append((self.xyz(statement), statement.string(3) ?? "")) }
                return failures
            }
        }
    }

    /// Forgets the failures of `tiles` (XYZ), in one transaction.
    public func clearFailures(_ tiles: [TileCoordinate]) throws {
        let rows = try tiles.map { try tmsRow($0) }
        try write {
            for (index, tile) in tiles.enumerated() {
                try execute("DELETE FROM cairn_failures WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3") { statement in
                    try statement.bind(tile.z, at: 1)
                    try statement.bind(tile.x, at: 2)
                    try statement.bind(rows[index], at: 3)
                }
            }
        }
    }
}
