import CairnCore
import CairnProjection
import CairnRender
import CairnSources
import CairnStyle
import Foundation

/// Draws a map's style over its layers into one canvas per metatile, then cuts PNG tiles.
/// This is where style values become symbolizers: the renderer never sees expressions.
public enum MapRenderer {
    /// Extra pixels drawn around a metatile (CSS px), so lines and fills continue across
    /// its edges and labels near the edge are decided with their neighbours in view.
    public static let bufferPixels = 64

    /// How far beyond a metatile (CSS px) label candidates are gathered. Labels there are not drawn but
    /// take part in collisions, so that two neighbouring metatiles, placing the same candidates in the
    /// same order near their shared edge, agree on every label crossing it (each draws its half).
    /// It covers the longest labels (half a label reaches over the edge) plus the labels that decide theirs.
    public static let labelBufferPixels = 384

    /// Renders every tile of `metatile` at `scale` (1 = 256 px tiles, 2 = 512 px).
    /// - Parameter budget: time, feature and vertex caps; over it, `RenderBudgetExceeded` is thrown.
    /// - Returns: PNG bytes per tile.
    public static func render(_ map: LoadedMap, metatile: Metatile, scale: Int, budget: RenderBudget = .unlimited) throws -> [TileCoordinate: [UInt8]] {
        let frame = try MetatileCanvas(map, metatile: metatile, scale: scale)
        let canvas = frame.canvas, tilePixels = frame.tilePixels, buffer = frame.buffer
        var meter = RenderBudgetMeter(budget)
        try draw(map, on: canvas, zoom: map.styleZoom(at: metatile.z), query: frame.query, labelQuery: frame.labelQuery, meter: &meter)
        let pngs = try canvas.encodeTiles(columns: metatile.columns, rows: metatile.rows, tilePixels: tilePixels, bufferPixels: buffer)
        var result: [TileCoordinate: [UInt8]] = [:]
        for (index, tile) in metatile.tiles.enumerated() { result[tile] = pngs[index] }
        return result
    }

    /// MapLibre's zoom is defined on a 512 px Web Mercator world: a 256 px tile at level z is
    /// style zoom z − 1. Other grids use the zoom whose Web Mercator resolution matches theirs.
    public static func styleZoom(mercatorResolution: Double) -> Double {
        log2(2 * .pi * 6_378_137 / 512 / mercatorResolution)
    }

    /// Style zoom of level `z` of a Web Mercator grid.
    public static func styleZoom(z: Int, grid: TileGrid) -> Double {
        styleZoom(mercatorResolution: grid.resolution(at: z))
    }

    /// - Parameter labelQuery: the area whose features give label candidates (wider than `query`).
    static func draw(_ map: LoadedMap, on canvas: Canvas, zoom: Double, query: BoundingBox, labelQuery: BoundingBox,
                     meter: inout RenderBudgetMeter, drawLabels: Bool = true) throws {
        // Vector tile sources: the covering source tiles are looked up once per render.
        var sourceTiles: [String: [VectorSourceTile]] = [:]
        for (layerIndex, layer) in map.style.layers.enumerated() {
            guard layer.isVisible, layer.isVisible(atZoom: zoom) else { continue }
            try meter.checkTime()
            if layer.type == .background, let background = layer.background {
                let context = EvaluationContext(zoom: zoom)
                canvas.fillBackground(background.color.evaluate(context), opacity: background.opacity.evaluate(context))
                continue
            }
            let layerQuery = layer.type == .symbol ? labelQuery : query
            if let source = layer.source, let vectorSource = map.vectorSources[source] {
                let tiles: [VectorSourceTile]
                let key = layer.type == .symbol ? source + "\u{0}labels" : source
                if let known = sourceTiles[key] {
                    tiles = known
                } else {
                    tiles = vectorSource.tiles(covering: layerQuery, styleZoom: zoom)
                    sourceTiles[key] = tiles
                }
                let painter = LayerPainter(layer: layer, zoom: zoom, canvas: canvas, labelPriority: layerIndex)
                try VectorLayerDrawing.draw(painter, tiles: tiles, query: layerQuery, meter: &meter)
                continue
            }
            guard let source = layer.source,
                  let data = map.layers[LoadedMap.layerKey(source: source, sourceLayer: layer.sourceLayer)] else { continue }
            let painter = LayerPainter(layer: layer, zoom: zoom, canvas: canvas, labelPriority: layerIndex)
            try data.forEachFeature(intersecting: layerQuery) { feature in
                try meter.charge(feature)
                painter.paint(feature)
            }
        }
        try meter.checkTime()
        if drawLabels { _ = canvas.drawLabels() }
    }

    /// The labels placed on `metatile` and drawn on it (text, and world box around ink and halo), without
    /// drawing anything: what neighbouring metatiles must agree on.
    static func placedLabels(_ map: LoadedMap, metatile: Metatile, scale: Int) throws -> [(text: String, box: BoundingBox)] {
        let frame = try MetatileCanvas(map, metatile: metatile, scale: scale)
        var meter = RenderBudgetMeter(.unlimited)
        try draw(map, on: frame.canvas, zoom: map.styleZoom(at: metatile.z), query: frame.query, labelQuery: frame.labelQuery,
                 meter: &meter, drawLabels: false)
        return frame.canvas.placedLabelBoxes()
    }
}

/// The canvas of one metatile with its buffer, and the areas whose features are drawn on it.
struct MetatileCanvas {
    let canvas: Canvas
    let tilePixels: Int
    /// Device pixels around the metatile.
    let buffer: Int
    /// Features drawn: the metatile, its buffer and a half more.
    let query: BoundingBox
    /// Features giving label candidates: the metatile and `MapRenderer.labelBufferPixels` around it.
    let labelQuery: BoundingBox

    init(_ map: LoadedMap, metatile: Metatile, scale: Int) throws {
        let grid = map.grid
        tilePixels = grid.tileSize * scale
        buffer = MapRenderer.bufferPixels * scale
        let width = metatile.columns * tilePixels + 2 * buffer
        let height = metatile.rows * tilePixels + 2 * buffer
        let bounds = metatile.bounds(in: grid)
        let pixelsPerUnit = Double(scale) / grid.resolution(at: metatile.z)
        let bufferUnits = Double(buffer) / pixelsPerUnit
        let transform = PixelTransform(origin: Point(bounds.minX - bufferUnits, bounds.maxY + bufferUnits), pixelsPerUnit: pixelsPerUnit)
        let labelFrame = PixelRect(x: Double(buffer), y: Double(buffer),
                                   width: Double(metatile.columns * tilePixels), height: Double(metatile.rows * tilePixels))
        canvas = try Canvas(width: width, height: height, scale: Double(scale), transform: transform, labelFrame: labelFrame)
        let labelBuffer = Double(MapRenderer.labelBufferPixels * scale)
        canvas.labelMargin = labelBuffer
        query = bounds.expanded(by: bufferUnits * 1.5)
        labelQuery = bounds.expanded(by: labelBuffer / pixelsPerUnit)
    }
}
