import CairnCore

/// Planar tests shared by `within` and `distance`, with MapLibre's boundary conventions.
enum PlanarGeometry {
    struct Box {
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity

        mutating func extend(_ p: Point) {
            minX = min(minX, p.x); minY = min(minY, p.y); maxX = max(maxX, p.x); maxY = max(maxY, p.y)
        }

        /// Strictly inside `other` (MapLibre's `boxWithinBox`).
        func isStrictlyInside(_ other: Box) -> Bool {
            minX > other.minX && maxX < other.maxX && minY > other.minY && maxY < other.maxY
        }
    }

    static func rayIntersects(_ p: Point, _ a: Point, _ b: Point) -> Bool {
        (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x
    }

    static func isOnBoundary(_ p: Point, _ a: Point, _ b: Point) -> Bool {
        let x1 = p.x - a.x, y1 = p.y - a.y, x2 = p.x - b.x, y2 = p.y - b.y
        return x1 * y2 - x2 * y1 == 0 && x1 * x2 <= 0 && y1 * y2 <= 0
    }

    /// Ray casting over every ring; a point on an edge counts as `onBoundary`.
    static func pointInPolygon(_ p: Point, _ rings: [[Point]], onBoundary: Bool = false) -> Bool {
        var inside = false
        for ring in rings where ring.count > 1 {
            for j in 0..<(ring.count - 1) {
                if isOnBoundary(p, ring[j], ring[j + 1]) { return onBoundary }
                if rayIntersects(p, ring[j], ring[j + 1]) { inside.toggle() }
            }
        }
        return inside
    }

    private static func cross(_ a: Point, _ b: Point) -> Double { a.x * b.y - a.y * b.x }

    /// Whether p1 and p2 lie strictly on different sides of the line q1→q2.
    private static func twoSided(_ p1: Point, _ p2: Point, _ q1: Point, _ q2: Point) -> Bool {
        let x1 = p1.x - q1.x, y1 = p1.y - q1.y, x2 = p2.x - q1.x, y2 = p2.y - q1.y
        let x3 = q2.x - q1.x, y3 = q2.y - q1.y
        let det1 = x1 * y3 - x3 * y1, det2 = x2 * y3 - x3 * y2
        return (det1 > 0 && det2 < 0) || (det1 < 0 && det2 > 0)
    }

    /// Proper crossing of segments a–b and c–d (parallel segments never cross).
    static func segmentsCross(_ a: Point, _ b: Point, _ c: Point, _ d: Point) -> Bool {
        let p = Point(b.x - a.x, b.y - a.y), q = Point(d.x - c.x, d.y - c.y)
        if cross(q, p) == 0 { return false }
        return twoSided(a, b, c, d) && twoSided(c, d, a, b)
    }

    static func lineCrossesPolygon(_ a: Point, _ b: Point, _ rings: [[Point]]) -> Bool {
        for ring in rings where ring.count > 1 {
            for j in 0..<(ring.count - 1) where segmentsCross(a, b, ring[j], ring[j + 1]) { return true }
        }
        return false
    }

    static func lineInPolygon(_ line: [Point], _ rings: [[Point]]) -> Bool {
        guard line.allSatisfy({ pointInPolygon($0, rings) }) else { return false }
        for i in 0..<max(0, line.count - 1) where lineCrossesPolygon(line[i], line[i + 1], rings) { return false }
        return true
    }
}
