import CairnCore

/// What the file actually holds, for the `minzoom`, `maxzoom` and `bounds` metadata rows: readers
/// such as GDAL open a tileset at its `maxzoom`, so those rows must describe stored tiles, not
/// the zoom levels the map could be rendered at.
extension MBTilesStore {
    /// The XYZ tile range stored at one zoom level.
    public struct ZoomExtent: Sendable, Hashable {
        public var zoom: Int
        public var minX: Int
        public var minY: Int
        public var maxX: Int
        public var maxY: Int

        public init(zoom: Int, minX: Int, minY: Int, maxX: Int, maxY: Int) {
            self.zoom = zoom
            self.minX = minX
            self.minY = minY
            self.maxX = maxX
            self.maxY = maxY
        }
    }

    /// The stored tile range of every zoom level that has tiles, lowest zoom first. One pass
    /// over `map` on the serving connection (no write lock), so a running write never delays it.
    public func storedExtents() throws -> [ZoomExtent] {
        try serve("""
            SELECT zoom_level, min(tile_column), max(tile_column), min(tile_row), max(tile_row)
            FROM map GROUP BY zoom_level ORDER BY zoom_level
            """) { statement in
            var extents: [ZoomExtent] = []
            while try statement.step() {
                let z = Int(statement.int64(0))
                let rows = matrixSize(z).rows
                // TMS rows count from the bottom: the highest row is the northernmost XYZ y.
                extents.append(ZoomExtent(zoom: z, minX: Int(statement.int64(1)), minY: rows - 1 - Int(statement.int64(4)),
                                          maxX: Int(statement.int64(2)), maxY: rows - 1 - Int(statement.int64(3))))
            }
            return extents
        }
    }
}
