internal import CairnCairo

/// A label waiting for collision detection: the ways it may be placed, tried in order.
///
/// Placement and drawing are separate steps: `Canvas.placeLabels()` chooses, from boxes alone, which
/// candidates and which option of each are placed; `Canvas.draw(_: PlacedLabels)` then draws the chosen
/// options, for the whole canvas or one tile's window of it.
struct LabelCandidate {
    let style: TextSymbolizer
    /// One per anchor tried (`text-variable-anchor`), in order; never empty.
    var options: [LabelOption]
    let priority: Int
    let order: Int
    /// The symbol's icon, placed and drawn with the text (see `Canvas+Icons`); with an icon the text has
    /// one option, which may be empty (an icon-only symbol).
    var icon: PlacedIcon? = nil
}

/// One way to place a label: where its text goes and the boxes it occupies.
struct LabelOption {
    enum Placement {
        /// The layout origin in canvas pixels.
        case point(x: Double, y: Double)
        case line(LineLabelPath)
    }

    let layout: PangoTextLayout
    let placement: Placement
    /// Collision boxes, padding included.
    let boxes: [PixelRect]
    /// Around everything drawn (ink and halo).
    let extent: PixelRect
    /// False for labels wholly outside the label frame: they take part in collisions (as they do on the
    /// neighbouring metatile, which draws them) but are not drawn here.
    let drawable: Bool
}

/// Where text set along a line goes: each letter is moved rigidly to its place on the line and turned
/// to the line's direction there (as MapLibre places line labels glyph by glyph).
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
    /// Layout x extent of each letter (grapheme cluster), ascending.
    let clusters: [(start: Double, end: Double)]

    /// The canvas position and direction of layout x `x` on the line.
    private func frame(at x: Double) -> (x: Double, y: Double, tx: Double, ty: Double) {
        let u = x - textLeft
        let d = reversed ? start + textWidth - u : start + u
        var p = line.position(at: d)
        if reversed {
            p.tx = -p.tx
            p.ty = -p.ty
        }
        return p
    }

    /// The canvas position of layout point (x, y) on a smoothly bent copy of the text.
    func map(_ x: Double, _ y: Double) -> (Double, Double) {
        let p = frame(at: x)
        let v = y - middle
        // (-ty, tx) points "down" for text running along (tx, ty) when y grows down.
        return (p.x - p.ty * v, p.y + p.tx * v)
    }

    /// The rigid move of the letter around layout x `middleX`: the letter's centre goes onto the line,
    /// turned to the line's direction there.
    func letterTransform(_ middleX: Double) -> (Double, Double) -> (Double, Double) {
        let cx: Double
        if let letter = letter(containing: middleX) {
            cx = (letter.start + letter.end) / 2
        } else {
            cx = middleX
        }
        let p = frame(at: cx)
        let middle = self.middle
        return { x, y in
            let u = x - cx, v = y - middle
            return (p.x + p.tx * u - p.ty * v, p.y + p.ty * u + p.tx * v)
        }
    }

    private func letter(containing x: Double) -> (start: Double, end: Double)? {
        guard !clusters.isEmpty else { return nil }
        var low = 0, high = clusters.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if clusters[mid].start <= x { low = mid } else { high = mid - 1 }
        }
        return clusters[low]
    }
}
