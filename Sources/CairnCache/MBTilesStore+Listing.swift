import CairnCore

/// Which recorded tiles a listing returns: the stale ones, the failed ones, or both.
public struct TileListing: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let stale = TileListing(rawValue: 1)
    public static let failed = TileListing(rawValue: 2)
}

/// Stale and failed tiles read a page at a time, in bands of metatile columns, so that
/// `cairn seed --stale-only` / `--retry-failed` over millions of tiles holds one page, not the
/// list. Both queries run on indexes (`map_stale`, `cairn_failures`' key) by zoom and column.
extension MBTilesStore {
    /// The smallest column ≥ `column` at zoom `z` holding a listed tile, or nil.
    public func firstListedColumn(_ listing: TileListing, zoom z: Int, from column: Int) throws -> Int? {
        var parts: [String] = []
        if listing.contains(.stale) { parts.append("SELECT min(tile_column) AS c FROM map WHERE stale = 1 AND zoom_level = ?1 AND tile_column >= ?2") }
        if listing.contains(.failed) { parts.append("SELECT min(tile_column) AS c FROM cairn_failures WHERE zoom_level = ?1 AND tile_column >= ?2") }
        guard !parts.isEmpty else { return nil }
        try checkZoom(z, tile: "\(z)/\(column)/-")
        return try read {
            try query("SELECT min(c) FROM (" + parts.joined(separator: " UNION ALL ") + ")") { statement in
                try statement.bind(z, at: 1)
                try statement.bind(column, at: 2)
                guard try statement.step(), !statement.isNull(0) else { return nil }
                return Int(statement.int64(0))
            }
        }
    }

    /// Up to `limit` listed tiles (XYZ) at zoom `z` with a column in `columns` and a row ≥ `fromRow`
    /// (XYZ), each once, ordered by row and then column.
    public func listedTiles(_ listing: TileListing, zoom z: Int, columns: ClosedRange<Int>, fromRow: Int, limit: Int) throws -> [TileCoordinate] {
        var parts: [String] = []
        let condition = "zoom_level = ?1 AND tile_column BETWEEN ?2 AND ?3 AND tile_row <= ?4"
        if listing.contains(.stale) { parts.append("SELECT tile_column, tile_row FROM map WHERE stale = 1 AND " + condition) }
        if listing.contains(.failed) { parts.append("SELECT tile_column, tile_row FROM cairn_failures WHERE " + condition) }
        guard !parts.isEmpty, limit > 0 else { return [] }
        try checkZoom(z, tile: "\(z)/\(columns.lowerBound)/\(fromRow)")
        let rows = matrixSize(z).rows
        return try read {
            // UNION drops tiles both stale and failed; TMS rows descend as XYZ rows ascend.
            try query(parts.joined(separator: " UNION ") + " ORDER BY 2 DESC, 1 LIMIT ?5") { statement in
                try statement.bind(z, at: 1)
                try statement.bind(columns.lowerBound, at: 2)
                try statement.bind(columns.upperBound, at: 3)
                try statement.bind(rows - 1 - fromRow, at: 4)
                try statement.bind(limit, at: 5)
                var tiles: [TileCoordinate] = []
                while try statement.step() {
                    tiles.append(TileCoordinate(z: z, x: Int(statement.int64(0)), y: rows - 1 - Int(statement.int64(1))))
                }
                return tiles
            }
        }
    }
}
