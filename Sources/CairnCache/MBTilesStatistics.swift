/// What an MBTiles cache holds, for reports and benchmarks.
public struct MBTilesStatistics: Sendable, Hashable {
    /// Tile addresses (rows of `map`).
    public var tiles: Int
    /// Distinct images (rows of `images`); `tiles - images` addresses share an image with another.
    public var images: Int
    /// The bytes of all distinct images, i.e. the tile data actually on disk.
    public var imageBytes: Int
    /// Tiles marked stale (expired) and not re-rendered since.
    public var staleTiles: Int
    /// Tiles whose last render failed (rows of `cairn_failures`).
    public var failures: Int

    public init(tiles: Int, images: Int, imageBytes: Int, staleTiles: Int, failures: Int) {
        self.tiles = tiles
        self.images = images
        self.imageBytes = imageBytes
        self.staleTiles = staleTiles
        self.failures = failures
    }
}
