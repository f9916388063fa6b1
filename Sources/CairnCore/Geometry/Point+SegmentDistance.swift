extension Point {
    /// The squared distance from this point to the segment from `a` to `b` (to `a` when they coincide).
    @inlinable
    public func squaredDistance(toSegment a: Point, _ b: Point) -> Double {
        var x = a.x, y = a.y
        let dx = b.x - x, dy = b.y - y
        if dx != 0 || dy != 0 {
            let t = ((self.x - x) * dx + (self.y - y) * dy) / (dx * dx + dy * dy)
            if t > 1 {
                x = b.x
                y = b.y
            } else if t > 0 {
                x += dx * t
                y += dy * t
            }
        }
        let ex = self.x - x, ey = self.y - y
        return ex * ex + ey * ey
    }
}
