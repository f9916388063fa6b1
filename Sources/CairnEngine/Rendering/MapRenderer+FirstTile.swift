import CairnCore
import CairnRender

extension MapRenderer {
    /// Renders every tile of `metatile` like `render(_:metatile:scale:budget:)`, byte for byte, but
    /// hands `first` to `deliver` as soon as its own pixels are ready: the labels of the whole
    /// metatile are placed first (placement needs no pixels), then only `first`'s square is drawn
    /// and encoded, then the whole metatile (the placed labels drawn again, not placed again).
    /// The tile is drawn on a canvas of the whole metatile's size (Cairo draws a primitive the same
    /// only on a surface of the same size), with only what reaches the tile: a fraction of the work.
    /// - Parameter format: as `render`'s (nil: the map's PNG format).
    /// - Returns: encoded bytes per tile, `first` included.
    static func render(_ map: LoadedMap, metatile: Metatile, scale: Int, format: TileImageFormat? = nil, budget: RenderBudget = .unlimited,
                       first: TileCoordinate, deliver: ([UInt8]) -> Void) throws -> [TileCoordinate: [UInt8]] {
        let format = format ?? map.pngImageFormat
        guard metatile.contains(first), metatile.columns * metatile.rows > 1 else {
            let tiles = try render(map, metatile: metatile, scale: scale, format: format, budget: budget)
            if let tile = tiles[first] { deliver(tile) }
            return tiles
        }
        let frame = MetatileFrame(map: map, metatile: metatile, scale: scale)
        let zoom = map.styleZoom(at: metatile.z)
        var meter = RenderBudgetMeter(budget)

        // The tile's canvas also holds the label candidates: their layouts live as long as it does.
        let tileCanvas = try frame.canvas(window: frame.window(of: first))
        try draw(map, on: tileCanvas, zoom: zoom, query: frame.query, labelQuery: frame.labelQuery, meter: &meter, pass: .labels)
        let placed = tileCanvas.placeLabels()
        // The tile's features are a subset of the metatile's, which are charged below.
        var tileMeter = meter
        try draw(map, on: tileCanvas, zoom: zoom, query: frame.query(for: first), labelQuery: frame.labelQuery, meter: &tileMeter, pass: .graphics)
        tileCanvas.draw(placed)
        let firstPNG = try tileCanvas.encodeWindow(format: format)
        deliver(firstPNG)

        let canvas = try frame.canvas()
        try draw(map, on: canvas, zoom: zoom, query: frame.query, labelQuery: frame.labelQuery, meter: &meter, pass: .graphics)
        try meter.checkTime()
        canvas.draw(placed)
        let firstIndex = frame.index(of: first)
        var pngs = try canvas.encodeTiles(columns: metatile.columns, rows: metatile.rows, tilePixels: frame.tilePixels,
                                          bufferPixels: frame.buffer, format: format, skipping: firstIndex)
        pngs[firstIndex] = firstPNG
        var result: [TileCoordinate: [UInt8]] = [:]
        for (index, tile) in metatile.tiles.enumerated() { result[tile] = pngs[index] }
        return result
    }
}
