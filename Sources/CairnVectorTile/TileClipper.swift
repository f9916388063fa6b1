import CairnCore

/// Clips tile-coordinate geometry to an axis-aligned square (the tile plus its buffer).
struct TileClipper {
    let minX: Double
    let minY: Double
    let maxX: Double
    let maxY: Double

    init(min: Double, max: Double) {
        minX = min
        minY = min
        maxX = max
        maxY = max
    }

    @inline(__always)
    func contains(_ p: Point) -> Bool {
        p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY
    }

    /// Clips a line into the parts that lie inside (Liang–Barsky per segment); a line leaving and
    /// re-entering the square becomes several parts.
    func clipLine(_ line: [Point], into parts: inout [[Point]]) {
        guard line.count >= 2 else { return }
        var current: [Point] = []
        for index in 1..<line.count {
            let a = line[index - 1], b = line[index]
            guard let (start, end) = clipSegment(a, b) else {
                if current.count >= 2 { parts.append(current) }
                current.removeAll()
                continue
            }
            if current.isEmpty {
                current.append(start)
            } else if current[current.count - 1] != start {
                // The segment re-enters away from where the last one ended: a new part.
                if current.count >= 2 { parts.append(current) }
                current = [start]
            }
            current.append(end)
            if end != b {
                // Left the square inside this segment.
                if current.count >= 2 { parts.append(current) }
                current.removeAll()
            }
        }
        if current.count >= 2 { parts.append(current) }
    }

    /// Liang–Barsky: the part of segment ab inside the square, or nil.
    private func clipSegment(_ a: Point, _ b: Point) -> (Point, Point)? {
        let dx = b.x - a.x, dy = b.y - a.y
        var t0 = 0.0, t1 = 1.0
        guard Self.narrow(-dx, a.x - minX, &t0, &t1), Self.narrow(dx, maxX - a.x, &t0, &t1),
              Self.narrow(-dy, a.y - minY, &t0, &t1), Self.narrow(dy, maxY - a.y, &t0, &t1) else { return nil }
        let start = t0 == 0 ? a : Point(a.x + t0 * dx, a.y + t0 * dy)
        let end = t1 == 1 ? b : Point(a.x + t1 * dx, a.y + t1 * dy)
        return (start, end)
    }

    /// One Liang–Barsky edge test: narrows [t0, t1], false when nothing is left.
    @inline(__always)
    private static func narrow(_ p: Double, _ q: Double, _ t0: inout Double, _ t1: inout Double) -> Bool {
        if p == 0 { return q >= 0 }
        let r = q / p
        if p < 0 {
            if r > t1 { return false }
            if r > t0 { t0 = r }
        } else {
            if r < t0 { return false }
            if r < t1 { t1 = r }
        }
        return true
    }

    /// Sutherland–Hodgman against the four edges. Takes an open or closed ring, returns an open one
    /// (possibly empty when the ring lies outside).
    func clipRing(_ ring: [Point]) -> [Point] {
        var points = ring
        if points.count > 1, points[0] == points[points.count - 1] { points.removeLast() }
        var box = BoundingBox.empty
        for p in points { box.extend(with: p) }
        if box.minX >= minX && box.maxX <= maxX && box.minY >= minY && box.maxY <= maxY { return points }
        var output: [Point] = []
        for edge in 0..<4 {
            guard !points.isEmpty else { break }
            output.removeAll(keepingCapacity: true)
            var previous = points[points.count - 1]
            var previousInside = inside(previous, edge: edge)
            for point in points {
                let pointInside = inside(point, edge: edge)
                if pointInside {
                    if !previousInside { output.append(intersection(previous, point, edge: edge)) }
                    output.append(point)
                } else if previousInside {
                    output.append(intersection(previous, point, edge: edge))
                }
                previous = point
                previousInside = pointInside
            }
            swap(&points, &output)
        }
        return points
    }

    @inline(__always)
    private func inside(_ p: Point, edge: Int) -> Bool {
        switch edge {
        case 0: return p.x >= minX
        case 1: return p.x <= maxX
        case 2: return p.y >= minY
        default: return p.y <= maxY
        }
    }

    @inline(__always)
    private func intersection(_ a: Point, _ b: Point, edge: Int) -> Point {
        switch edge {
        case 0, 1:
            let x = edge == 0 ? minX : maxX
            let t = (x - a.x) / (b.x - a.x)
            return Point(x, a.y + t * (b.y - a.y))
        default:
            let y = edge == 2 ? minY : maxY
            let t = (y - a.y) / (b.y - a.y)
            return Point(a.x + t * (b.x - a.x), y)
        }
    }
}
