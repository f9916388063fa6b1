import CairnCore
import CairnRender

/// Where a metatile's canvas lies: its size (buffer included), world-to-pixel transform, label frame
/// and the data query. One definition, so that a tile drawn alone lands on exactly the pixels it has
/// in its metatile.
struct MetatileFrame {
    let metatile: Metatile
    let scale: Int
    let tilePixels: Int
    /// Buffer around the metatile, device pixels.
    let buffer: Int
    let width: Int
    let height: Int
    let transform: PixelTransform
    let labelFrame: PixelRect
    /// The features drawn: the metatile's bounds grown by 1.5 buffers.
    let query: BoundingBox
    /// The features giving label candidates: the metatile and `MapRenderer.labelBufferPixels` around it.
    let labelQuery: BoundingBox
    /// Device pixels beyond the label frame where candidates are gathered.
    let labelMargin: Double
    let bufferUnits: Double
    let grid: TileGrid
    /// The map's icons and patterns, drawn by scale.
    let sprites: SpriteAtlas

    init(map: LoadedMap, metatile: Metatile, scale: Int) {
        let grid = map.grid
        sprites = map.sprites
        self.grid = grid
        self.metatile = metatile
        self.scale = scale
        tilePixels = grid.tileSize * scale
        buffer = MapRenderer.bufferPixels * scale
        width = metatile.columns * tilePixels + 2 * buffer
        height = metatile.rows * tilePixels + 2 * buffer
        let bounds = metatile.bounds(in: grid)
        let pixelsPerUnit = Double(scale) / grid.resolution(at: metatile.z)
        bufferUnits = Double(buffer) / pixelsPerUnit
        transform = PixelTransform(origin: Point(bounds.minX - bufferUnits, bounds.maxY + bufferUnits), pixelsPerUnit: pixelsPerUnit)
        labelFrame = PixelRect(x: Double(buffer), y: Double(buffer),
                               width: Double(metatile.columns * tilePixels), height: Double(metatile.rows * tilePixels))
        query = bounds.expanded(by: bufferUnits * 1.5)
        labelMargin = Double(MapRenderer.labelBufferPixels * scale)
        labelQuery = bounds.expanded(by: labelMargin / pixelsPerUnit)
    }

    /// The canvas of the whole metatile, or of one tile's square of it (`window`).
    func canvas(window: PixelRect? = nil) throws -> Canvas {
        let canvas = try Canvas(width: width, height: height, scale: Double(scale), transform: transform, labelFrame: labelFrame, window: window)
        canvas.sprites = sprites
        canvas.labelMargin = labelMargin
        return canvas
    }

    /// Index of `tile` in `metatile.tiles` (row by row).
    func index(of tile: TileCoordinate) -> Int {
        (tile.y - metatile.origin.y) * metatile.columns + (tile.x - metatile.origin.x)
    }

    /// The square of `tile` on the canvas, device pixels.
    func window(of tile: TileCoordinate) -> PixelRect {
        PixelRect(x: Double(buffer + (tile.x - metatile.origin.x) * tilePixels), y: Double(buffer + (tile.y - metatile.origin.y) * tilePixels),
                  width: Double(tilePixels), height: Double(tilePixels))
    }

    /// The features that can reach `tile`'s pixels: its bounds grown by 1.5 buffers, as `query` for the metatile.
    func query(for tile: TileCoordinate) -> BoundingBox {
        grid.bounds(of: tile).expanded(by: bufferUnits * 1.5)
    }
}
