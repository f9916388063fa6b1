import CairnCore

/// What to pre-render: zoom levels and an area in degrees (west, south, east, north).
public struct SeedRequest: Sendable {
    public var zooms: ClosedRange<Int>
    public var bbox: BoundingBox?
    public var scale: Int
    /// Write to this MBTiles file instead of the map's cache file.
    public var mbtilesPath: String?

    public init(zooms: ClosedRange<Int>, bbox: BoundingBox? = nil, scale: Int = 1, mbtilesPath: String? = nil) {
        self.zooms = zooms
        self.bbox = bbox
        self.scale = scale
        self.mbtilesPath = mbtilesPath
    }
}

/// Counts from a seeding run.
public struct SeedProgress: Sendable {
    public var totalTiles: Int
    public var doneTiles: Int
    public var renderedTiles: Int
    public var cachedTiles: Int
    public var failedMetatiles: Int
}
