import CairnCore
import CairnSQLite

/// Expiry: marking tiles stale (kept and servable, re-rendered by the next seed or request) or
/// deleting them, by list or by XYZ range.
extension MBTilesStore {
    /// Marks `tiles` (XYZ) stale in one transaction; returns how many cached tiles went from
    /// fresh to stale (absent and already-stale tiles are not counted).
    @discardableResult
    public func markStale(_ tiles: [TileCoordinate]) throws -> Int {
        let rows = try tiles.map { try tmsRow($0) }
        return try write {
            var marked = 0
            for (index, tile) in tiles.enumerated() {
                marked += try execute("""
                    UPDATE map SET stale = 1 WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3 AND stale = 0
                    """) { statement in
                    try statement.bind(tile.z, at: 1)
                    try statement.bind(tile.x, at: 2)
                    try statement.bind(rows[index], at: 3)
                }
            }
            return marked
        }
    }

    /// Marks stale every cached tile at `zoom` with x in minX...maxX and y (XYZ) in
    /// minY...maxY, in one UPDATE; the range is clipped to the zoom's grid. Returns how many
    /// tiles went from fresh to stale.
    @discardableResult
    public func markStale(zoom: Int, minX: Int, minY: Int, maxX: Int, maxY: Int) throws -> Int {
        guard let range = try tmsRange(zoom: zoom, minX: minX, minY: minY, maxX: maxX, maxY: maxY) else { return 0 }
        return try write {
            try execute("""
                UPDATE map SET stale = 1 WHERE zoom_level = ?1 AND tile_column BETWEEN ?2 AND ?3
                AND tile_row BETWEEN ?4 AND ?5 AND stale = 0
                """) { statement in try range.bind(statement) }
        }
    }

    /// Marks every tile rendered from another style or data version stale, in one UPDATE. Such
    /// tiles are never served (``tile(_:matching:)`` wants the current fingerprint); marking them
    /// lets `seed --stale-only` re-render exactly what the cache held. Returns how many went stale.
    @discardableResult
    public func markStale(notMatching fingerprint: String) throws -> Int {
        try write {
            try execute("UPDATE map SET stale = 1 WHERE fingerprint <> ?1 AND stale = 0") { statement in
                try statement.bind(fingerprint, at: 1)
            }
        }
    }

    /// Deletes `tiles` (XYZ) and the images only they used, in one transaction; returns how
    /// many cached tiles went.
    @discardableResult
    public func deleteTiles(_ tiles: [TileCoordinate]) throws -> Int {
        let rows = try tiles.map { try tmsRow($0) }
        return try write {
            var deleted = 0
            for (index, tile) in tiles.enumerated() {
                try execute("""
                    INSERT OR IGNORE INTO temp.cairn_released (tile_id)
                    SELECT tile_id FROM map WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3
                    """) { statement in
                    try statement.bind(tile.z, at: 1)
                    try statement.bind(tile.x, at: 2)
                    try statement.bind(rows[index], at: 3)
                }
                deleted += try execute("DELETE FROM map WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3") { statement in
                    try statement.bind(tile.z, at: 1)
                    try statement.bind(tile.x, at: 2)
                    try statement.bind(rows[index], at: 3)
                }
            }
            try deleteReleasedImages()
            return deleted
        }
    }

    /// Deletes every cached tile at `zoom` with x in minX...maxX and y (XYZ) in minY...maxY,
    /// and the images only they used, in one transaction of three statements; the range is
    /// clipped to the zoom's grid. Returns how many tiles went.
    @discardableResult
    public func deleteTiles(zoom: Int, minX: Int, minY: Int, maxX: Int, maxY: Int) throws -> Int {
        guard let range = try tmsRange(zoom: zoom, minX: minX, minY: minY, maxX: maxX, maxY: maxY) else { return 0 }
        return try write {
            try deleteMapRows(where: "zoom_level = ?1 AND tile_column BETWEEN ?2 AND ?3 AND tile_row BETWEEN ?4 AND ?5") { statement in
                try range.bind(statement)
            }
        }
    }

    /// The stale tiles (XYZ), ordered by z, x, y; at most `limit` of them.
    public func staleTiles(limit: Int? = nil) throws -> [TileCoordinate] {
        try read {
            try query("""
                SELECT zoom_level, tile_column, tile_row FROM map WHERE stale = 1
                ORDER BY zoom_level, tile_column, tile_row DESC LIMIT ?1
                """) { statement in
                try statement.bind(limit.map { max(0, $0) } ?? -1, at: 1)
                var tiles: [TileCoordinate] = []
                while try statement.step() { tiles.append(self.xyz(statement)) }
                return tiles
            }
        }
    }

    /// The number of stale tiles; 0 when the file cannot be read.
    public func staleCount() -> Int {
        (try? read {
            try query("SELECT count(*) FROM map WHERE stale = 1") { statement in
                try statement.step() ? Int(statement.int64(0)) : 0
            }
        }) ?? 0
    }

    /// The XYZ tile of a row whose first three columns are zoom_level, tile_column, tile_row (TMS).
    func xyz(_ statement: SQLiteStatement) -> TileCoordinate {
        let z = Int(statement.int64(0))
        return TileCoordinate(z: z, x: Int(statement.int64(1)), y: matrixSize(z).rows - 1 - Int(statement.int64(2)))
    }

    /// An XYZ range clipped to the grid, as TMS bounds; nil when nothing is left.
    private func tmsRange(zoom: Int, minX: Int, minY: Int, maxX: Int, maxY: Int) throws -> TMSRange? {
        try checkZoom(zoom, tile: "\(zoom)/\(minX)-\(maxX)/\(minY)-\(maxY)")
        let last = matrixSize(zoom).rows - 1
        let lastColumn = matrixSize(zoom).columns - 1
        let x0 = max(0, minX), x1 = min(lastColumn, maxX), y0 = max(0, minY), y1 = min(last, maxY)
        guard x0 <= x1, y0 <= y1 else { return nil }
        return TMSRange(zoom: zoom, minX: x0, maxX: x1, minRow: last - y1, maxRow: last - y0)
    }
}

/// Bounds of a rectangle of TMS rows, bound as ?1 (zoom) to ?5.
private struct TMSRange {
    var zoom, minX, maxX, minRow, maxRow: Int

    func bind(_ statement: SQLiteStatement) throws {
        try statement.bind(zoom, at: 1)
        try statement.bind(minX, at: 2)
        try statement.bind(maxX, at: 3)
        try statement.bind(minRow, at: 4)
        try statement.bind(maxRow, at: 5)
    }
}
