internal import CairnCairo

/// A laid-out label waiting for collision detection.
struct LabelCandidate {
    enum Placement {
        /// The layout origin in canvas pixels.
        case point(x: Double, y: Double)
        case line(LineLabelPath)
    }

    let layout: PangoTextLayout
    let style: TextSymbolizer
    let placement: Placement
    /// Collision boxes, padding included.
    let boxes: [PixelRect]
    /// False for labels wholly in the buffer: they take part in collisions (as they do on the neighbouring
    /// metatile, which draws them) but are not drawn here.
    let drawable: Bool
    let priority: Int
    let order: Int
    /// The symbol's icon, placed and drawn with the text (see `Canvas+Icons`).
    var icon: PlacedIcon? = nil
}

/// Where text bent along a line goes: maps layout coordinates onto the line.
struct LineLabelPath {
    let line: PixelPolyline
    /// Distance along the line where the text starts (in the line's own direction).
    let start: Double
    let textWidth: Double
    /// True when the text runs against the line's direction, to stay upright.
    let reversed: Bool
    /// Layout x of the text's left edge.
    let textLeft: Double
    /// Layout y that sits on the line (the text's vertical middle, moved by the offset).
    let middle: Double

    /// The canvas position of layout point (x, y).
    func map(_ x: Double, _ y: Double) -> (Double, Double) {
        let u = x - textLeft
        let v = y - middle
        let d = reversed ? start + textWidth - u : start + u
        var p = line.position(at: d)
        if reversed {
            p.tx = -p.tx
            p.ty = -p.ty
        }
        // (-ty, tx) points "down" for text running along (tx, ty) when y grows down.
        return (p.x - p.ty * v, p.y + p.tx * v)
    }
}
