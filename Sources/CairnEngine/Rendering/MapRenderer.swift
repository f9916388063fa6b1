import CairnCore
import CairnProjection
import CairnRender
import CairnSources
import CairnStyle
import Foundation

/// Draws a map's style over its layers into one canvas per metatile, then cuts PNG (or WebP) tiles.
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
    /// - Parameter format: how tiles are encoded; nil: the map's PNG format (`format:` of the map).
    /// - Parameter budget: time, feature and vertex caps; over it, `RenderBudgetExceeded` is thrown.
    /// - Returns: encoded bytes per tile.
    public static func render(_ map: LoadedMap, metatile: Metatile, scale: Int, format: TileImageFormat? = nil,
                              budget: RenderBudget = .unlimited) throws -> [TileCoordinate: [UInt8]] {
        let (canvas, tilePixels, buffer) = try drawCanvas(map, metatile: metatile, scale: scale, budget: budget)
        let tiles = try canvas.encodeTiles(columns: metatile.columns, rows: metatile.rows, tilePixels: tilePixels, bufferPixels: buffer,
                                           format: format ?? map.pngImageFormat)
        var result: [TileCoordinate: [UInt8]] = [:]
        for (index, tile) in metatile.tiles.enumerated() { result[tile] = tiles[index] }
        return result
    }

    /// Draws `metatile` with its buffer into a new canvas, not yet encoded (`render`, and the
    /// format comparison of `cairn bench --formats`).
    public static func drawCanvas(_ map: LoadedMap, metatile: Metatile, scale: Int,
                                  budget: RenderBudget = .unlimited) throws -> (canvas: Canvas, tilePixels: Int, bufferPixels: Int) {
        let frame = MetatileFrame(map: map, metatile: metatile, scale: scale)
        let canvas = try frame.canvas()
        var meter = RenderBudgetMeter(budget)
        try draw(map, on: canvas, zoom: map.styleZoom(at: metatile.z), query: frame.query, labelQuery: frame.labelQuery, meter: &meter)
        return (canvas, frame.tilePixels, frame.buffer)
    }

    /// The labels placed on `metatile` and drawn on it (text, and world box around ink and halo), without
    /// drawing anything: what neighbouring metatiles must agree on.
    static func placedLabels(_ map: LoadedMap, metatile: Metatile, scale: Int) throws -> [(text: String, box: BoundingBox)] {
        let frame = MetatileFrame(map: map, metatile: metatile, scale: scale)
        let canvas = try frame.canvas()
        var meter = RenderBudgetMeter(.unlimited)
        try draw(map, on: canvas, zoom: map.styleZoom(at: metatile.z), query: frame.query, labelQuery: frame.labelQuery,
                 meter: &meter, pass: .labels)
        return canvas.placedLabelBoxes()
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
    /// - Parameter pass: which layers are drawn; only `.all` places and draws the labels.
    static func draw(_ map: LoadedMap, on canvas: Canvas, zoom: Double, query: BoundingBox, labelQuery: BoundingBox,
                     meter: inout RenderBudgetMeter, pass: DrawPass = .all) throws {
        // Vector tile sources: the covering source tiles are looked up once per render.
        var sourceTiles: [String: [VectorSourceTile]] = [:]
        let geometryCoordinates = FeatureGeometry.Coordinates(crs: map.grid.crs)
        for (layerIndex, layer) in map.style.layers.enumerated() {
            guard layer.isVisible, layer.isVisible(atZoom: zoom), pass.includes(layer) else { continue }
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
                let painter = LayerPainter(layer: layer, zoom: zoom, canvas: canvas, labelPriority: layerIndex + 1,
                                           geometryCoordinates: geometryCoordinates)
                try VectorLayerDrawing.draw(painter, tiles: tiles, query: layerQuery, meter: &meter)
                continue
            }
            guard let source = layer.source,
                  let data = map.layers[LoadedMap.layerKey(source: source, sourceLayer: layer.sourceLayer)] else { continue }
            // A `let`: a closure capturing a `var` would copy the whole painter out of its box for every feature.
            let painter = LayerPainter(layer: layer, zoom: zoom, canvas: canvas, labelPriority: layerIndex + 1,
                                       geometryCoordinates: geometryCoordinates)
            try data.forEachFeature(intersecting: layerQuery) { feature in
                try meter.charge(feature)
                painter.paint(feature)
            }
            painter.finish()
        }
        try meter.checkTime()
        if pass == .all { _ = canvas.drawLabels() }
    }
}
