import CairnCore

/// Cairo converts coordinates to 24.8 fixed point, which wraps past ±8 388 608 pixels: geometry that
/// reaches that far (a country outline at zoom 18) is clipped to a box around the canvas first. This
/// slower path runs only for such geometry.
extension Canvas {
    static let safeCoordinate = 4_000_000.0

    /// True when part of `box` (world units) lies too far from the canvas for Cairo.
    func exceedsSafeRange(_ box: BoundingBox) -> Bool {
        let limit = Self.safeCoordinate
        return abs((box.minX - originX) * pixelsPerUnit) > limit || abs((box.maxX - originX) * pixelsPerUnit) > limit
            || abs((originY - box.minY) * pixelsPerUnit) > limit || abs((originY - box.maxY) * pixelsPerUnit) > limit
    }

    /// Adds a ring clipped (Sutherland–Hodgman) to the canvas grown by `margin` pixels. Filling inside the
    /// box is unchanged, because the box is convex.
    func appendClippedRing(_ ring: [Point], margin: Double) {
        var polygon = ring.map { (x: ($0.x - originX) * pixelsPerUnit, y: (originY - $0.y) * pixelsPerUnit) }
        let minX = -margin, minY = -margin, maxX = Double(width) + margin, maxY = Double(height) + margin
        // Each edge: is a point inside, and where does a segment cross the edge.
        let edges: [((Double, Double) -> Bool, (Double, Double, Double, Double) -> (x: Double, y: Double))] = [
            ({ x, _ in x >= minX }, { x0, y0, x1, y1 in (minX, y0 + (y1 - y0) * (minX - x0) / (x1 - x0)) }),
            ({ x, _ in x <= maxX }, { x0, y0, x1, y1 in (maxX, y0 + (y1 - y0) * (maxX - x0) / (x1 - x0)) }),
            ({ _, y in y >= minY }, { x0, y0, x1, y1 in (x0 + (x1 - x0) * (minY - y0) / (y1 - y0), minY) }),
            ({ _, y in y <= maxY }, { x0, y0, x1, y1 in (x0 + (x1 - x0) * (maxY - y0) / (y1 - y0), maxY) }),
        ]
        for (inside, cross) in edges {
            guard let last = polygon.last else { return }
            var output: [(x: Double, y: Double)] = []
            output.reserveCapacity(polygon.count + 4)
            var previous = last
            for current in polygon {
                let currentIn = inside(current.x, current.y), previousIn = inside(previous.x, previous.y)
                if currentIn {
                    if !previousIn { output.append(cross(previous.x, previous.y, current.x, current.y)) }
                    output.append(current)
                } else if previousIn {
                    output.append(cross(previous.x, previous.y, current.x, current.y))
                }
                previous = current
            }
            polygon = output
        }
        guard polygon.count >= 3 else { return }
        context.moveTo(polygon[0].x, polygon[0].y)
        for p in polygon.dropFirst() { context.lineTo(p.x, p.y) }
        context.closePath()
    }

    /// Adds the parts of a line inside the canvas grown by `margin` pixels (Liang–Barsky per segment).
    func appendClippedLine(_ line: [Point], margin: Double) {
        let minX = -margin, minY = -margin, maxX = Double(width) + margin, maxY = Double(height) + margin
        var penDown = false
        for i in 1..<line.count {
            let x0 = (line[i - 1].x - originX) * pixelsPerUnit, y0 = (originY - line[i - 1].y) * pixelsPerUnit
            let x1 = (line[i].x - originX) * pixelsPerUnit, y1 = (originY - line[i].y) * pixelsPerUnit
            let dx = x1 - x0, dy = y1 - y0
            var t0 = 0.0, t1 = 1.0
            var visible = true
            for (p, q) in [(-dx, x0 - minX), (dx, maxX - x0), (-dy, y0 - minY), (dy, maxY - y0)] {
                if p == 0 {
                    if q < 0 { visible = false; break }
                } else {
                    let r = q / p
                    if p < 0 { if r > t1 { visible = false; break } else if r > t0 { t0 = r } }
                    else { if r < t0 { visible = false; break } else if r < t1 { t1 = r } }
                }
            }
            guard visible else { penDown = false; continue }
            if !penDown || t0 > 0 { context.moveTo(x0 + t0 * dx, y0 + t0 * dy) }
            context.lineTo(x0 + t1 * dx, y0 + t1 * dy)
            penDown = t1 == 1
        }
    }
}
