/// A tile matrix set as a value: the CRS, the extent the tiles cover, where the
/// top-left tile starts, the tile size and the resolution of every zoom level.
/// All tile math goes through a grid, so national grids can stand beside Web Mercator.
public struct TileGrid: Sendable, Hashable {
    public var identifier: String
    public var crs: CRSDefinition
    /// The extent covered by the tiles, in CRS units.
    public var extent: BoundingBox
    /// The top-left corner of tile (0, 0) in CRS units.
    public var origin: Point
    /// Tile size in pixels at scale 1.
    public var tileSize: Int
    /// CRS units per pixel, one per zoom level (index = zoom).
    public var resolutions: [Double]

    public init(identifier: String, crs: CRSDefinition, extent: BoundingBox, origin: Point, tileSize: Int, resolutions: [Double]) {
        self.identifier = identifier
        self.crs = crs
        self.extent = extent
        self.origin = origin
        self.tileSize = tileSize
        self.resolutions = resolutions
    }

    /// Google Maps compatible Web Mercator, EPSG:3857, 256 px tiles, zoom 0 to 24.
    public static let webMercator: TileGrid = {
        let half = 20_037_508.342789244
        let base = 2 * half / 256
        return TileGrid(
            identifier: "WebMercatorQuad",
            crs: .webMercator,
            extent: BoundingBox(minX: -half, minY: -half, maxX: half, maxY: half),
            origin: Point(-half, half),
            tileSize: 256,
            resolutions: (0...24).map { base / Double(1 << $0) }
        )
    }()

    public var maxZoom: Int { resolutions.count - 1 }

    /// CRS units per pixel at zoom `z` (scale 1).
    public func resolution(at z: Int) -> Double { resolutions[z] }

    /// Size of one tile in CRS units at zoom `z`.
    public func tileSpan(at z: Int) -> Double { resolutions[z] * Double(tileSize) }

    /// Number of tile columns and rows at zoom `z`.
    public func matrixSize(at z: Int) -> (columns: Int, rows: Int) {
        let span = tileSpan(at: z)
        let columns = Int(((extent.maxX - origin.x) / span - 1e-9).rounded(.up))
        let rows = Int(((origin.y - extent.minY) / span - 1e-9).rounded(.up))
        return (max(columns, 1), max(rows, 1))
    }

    /// Whether the tile exists in this grid.
    public func contains(_ tile: TileCoordinate) -> Bool {
        guard tile.z >= 0, tile.z <= maxZoom, tile.x >= 0, tile.y >= 0 else { return false }
        let size = matrixSize(at: tile.z)
        return tile.x < size.columns && tile.y < size.rows
    }

    /// The area a tile covers, in CRS units.
    public func bounds(of tile: TileCoordinate) -> BoundingBox {
        let span = tileSpan(at: tile.z)
        let minX = origin.x + Double(tile.x) * span
        let maxY = origin.y - Double(tile.y) * span
        return BoundingBox(minX: minX, minY: maxY - span, maxX: minX + span, maxY: maxY)
    }

    /// The tiles at zoom `z` that intersect `box` (CRS units), clamped to the grid.
    public func tileRange(covering box: BoundingBox, at z: Int) -> TileRange? {
        let span = tileSpan(at: z)
        let size = matrixSize(at: z)
        let epsilon = span * 1e-9
        var minX = Int(((box.minX - origin.x) / span).rounded(.down))
        var maxX = Int(((box.maxX - origin.x - epsilon) / span).rounded(.down))
        var minY = Int(((origin.y - box.maxY) / span).rounded(.down))
        var maxY = Int(((origin.y - box.minY - epsilon) / span).rounded(.down))
        minX = max(minX, 0); minY = max(minY, 0)
        maxX = min(maxX, size.columns - 1); maxY = min(maxY, size.rows - 1)
        guard minX <= maxX, minY <= maxY else { return nil }
        return TileRange(z: z, minX: minX, minY: minY, maxX: maxX, maxY: maxY)
    }
}

/// A rectangle of tiles at one zoom level, bounds inclusive.
public struct TileRange: Sendable, Hashable, Sequence {
    public var z: Int
    public var minX: Int
    public var minY: Int
    public var maxX: Int
    public var maxY: Int

    public init(z: Int, minX: Int, minY: Int, maxX: Int, maxY: Int) {
        self.z = z
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    public var count: Int { (maxX - minX + 1) * (maxY - minY + 1) }

    public func makeIterator() -> AnyIterator<TileCoordinate> {
        var x = minX
        var y = minY
        return AnyIterator {
            guard y <= self.maxY, x <= self.maxX else { return nil }
            let tile = TileCoordinate(z: self.z, x: x, y: y)
            x += 1
            if x > self.maxX { x = self.minX; y += 1 }
            return tile
        }
    }
}
