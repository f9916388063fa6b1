public import CairnCore

/// Clipping to the square of one source tile. Vector tiles carry their features a little past
/// their square (a buffer); drawing each tile's features only inside its own square, snapped to
/// whole device pixels, makes neighbouring tiles meet without drawing anything twice or leaving a gap.
extension Canvas {
    /// Restricts drawing to `box` (world units), its edges rounded to whole pixels, until `endClip()`.
    public func beginClip(to box: BoundingBox) {
        let x0 = ((box.minX - originX) * pixelsPerUnit).rounded()
        let x1 = ((box.maxX - originX) * pixelsPerUnit).rounded()
        let y0 = ((originY - box.maxY) * pixelsPerUnit).rounded()
        let y1 = ((originY - box.minY) * pixelsPerUnit).rounded()
        // A box far outside the canvas must not overflow Cairo's fixed point: clamp to just around it.
        let limit = Double(max(width, height)) + 16
        func clamp(_ v: Double) -> Double { min(max(v, -16), limit) }
        context.save()
        context.newPath()
        context.rectangle(x: clamp(x0), y: clamp(y0), width: clamp(x1) - clamp(x0), height: clamp(y1) - clamp(y0))
        context.clip()
    }

    /// Ends the clip of the matching `beginClip(to:)`.
    public func endClip() {
        context.restore()
    }
}
