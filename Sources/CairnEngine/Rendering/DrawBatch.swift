import CairnCore
import CairnRender

/// Runs of consecutive polygon features of one layer that fill alike, handed to the canvas as one path.
///
/// Cairo's cost is mostly per call (a polygon, a scan conversion and a composite each time), and a map
/// fills thousands of buildings of one colour. Only opaque fills are joined: where such polygons
/// overlap, filling them once or one over another gives the same pixels, while translucent ones would
/// no longer darken where they overlap, as they do in MapLibre. Lines are not joined: Cairo strokes
/// one long path of many lines more slowly than the lines one by one (measured with `cairn bench`).
///
/// A run is drawn once it holds `maxVertices`: the render budget's clock is read between features, so
/// what Cairo draws in one call must stay small (a layer of huge self-crossing polygons, filled as one
/// path, would run past any deadline), and Cairo's cost per call is paid off long before that.
final class DrawBatch {
    static let maxVertices = 4096

    private let canvas: Canvas
    private var polygons: [[[Point]]] = []
    private var symbolizer: FillSymbolizer?
    private var vertices = 0

    init(canvas: Canvas) {
        self.canvas = canvas
    }

    func fill(_ more: [[[Point]]], _ fill: FillSymbolizer) {
        let outlineOpaque = fill.outlineColor.map { $0.withOpacity(fill.opacity).alpha >= 1 } ?? true
        guard fill.pattern == nil, fill.color.withOpacity(fill.opacity).alpha >= 1, outlineOpaque else {
            flush()
            canvas.fill(more, fill)
            return
        }
        if symbolizer != fill {
            flush()
            symbolizer = fill
        }
        polygons.append(contentsOf: more)
        for polygon in more { for ring in polygon { vertices += ring.count } }
        if vertices >= Self.maxVertices { flush() }
    }

    /// Draws what is pending; called before anything else reaches the canvas (a clip, another layer).
    func flush() {
        guard let pending = symbolizer else { return }
        canvas.fill(polygons, pending)
        polygons.removeAll(keepingCapacity: true)
        symbolizer = nil
        vertices = 0
    }
}
