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
    /// A human-readable name, for capabilities documents.
    public var title: String
    /// True when CRS units are degrees (x = longitude, y = latitude).
    public var isGeographic: Bool
    /// The OGC well-known scale set or tile matrix set URI, when the grid is a registered one.
    public var uri: String?

    public init(identifier: String, crs: CRSDefinition, extent: BoundingBox, origin: Point, tileSize: Int, resolutions: [Double],
                title: String? = nil, isGeographic: Bool = false, uri: String? = nil) {
        self.identifier = identifier
        self.crs = crs
        self.extent = extent
        self.origin = origin
        self.tileSize = tileSize
        self.resolutions = resolutions
        self.title = title ?? identifier
        self.isGeographic = isGeographic
        self.uri = uri
    }

    /// Metres per CRS unit (at the equator for degrees), as OGC scale denominators assume.
    public var metersPerUnit: Double { isGeographic ? 6_378_137 * 2 * .pi / 360 : 1 }

    /// The OGC scale denominator of zoom `z`, with the standard 0.28 mm rendering pixel.
    public func scaleDenominator(at z: Int) -> Double { resolutions[z] * metersPerUnit / 0.000_28 }

    /// Whether each level splits every tile of the level above into 2×2, with one origin:
    /// then parents and children can be computed by halving and doubling.
    public var isQuadtree: Bool {
        resolutions.indices.dropFirst().allSatisfy { abs(resolutions[$0 - 1] / resolutions[$0] - 2) < 1e-9 }
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
            resolutions: (0...24).map { base / Double(1 << $0) },
            title: "Google Maps Compatible for the World",
            uri: "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
        )
    }()

    /// OGC WorldCRS84Quad: longitude/latitude, two 256 px tiles at level 0, zoom 0 to 20.
    public static let worldCRS84Quad: TileGrid = TileGrid(
        identifier: "WorldCRS84Quad",
        crs: .wgs84,
        extent: BoundingBox(minX: -180, minY: -90, maxX: 180, maxY: 90),
        origin: Point(-180, 90),
        tileSize: 256,
        resolutions: (0...20).map { 0.703125 / Double(1 << $0) },
        title: "CRS84 for the World",
        isGeographic: true,
        uri: "http://www.opengis.net/def/tilematrixset/OGC/1.0/WorldCRS84Quad"
    )

    /// Hải Phòng in VN-2000 / TM-3 105°45′ (EPSG:9210): one 256 px tile of 163.84 km at level 0
    /// (640 m per pixel), halving down to 0.078 m at level 13; the top-left corner at
    /// E 550 000, N 2 340 000 covers the city and its islands.
    public static let vn2000HaiPhong: TileGrid = TileGrid(
        identifier: "VN2000HaiPhong",
        crs: .epsg(9210),
        extent: BoundingBox(minX: 550_000, minY: 2_340_000 - 163_840, maxX: 550_000 + 163_840, maxY: 2_340_000),
        origin: Point(550_000, 2_340_000),
        tileSize: 256,
        resolutions: (0...13).map { 640 / Double(1 << $0) },
        title: "Hải Phòng, VN-2000 / TM-3 105°45′ (EPSG:9210)"
    )

    /// The grids Cairn knows without configuration.
    public static let builtIn: [TileGrid] = [.webMercator, .worldCRS84Quad, .vn2000HaiPhong]

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
