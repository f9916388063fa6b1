import CairnCore

/// A point inside a polygon for its label: the middle of the widest span of the horizontal line
/// through the middle of its bounding box (cheap, and always inside, unlike the centroid).
enum InteriorPoint {
    static func of(_ polygon: [[Point]]) -> Point? {
        guard let exterior = polygon.first, exterior.count >= 3 else { return nil }
        var box = BoundingBox.empty
        for p in exterior { box.extend(with: p) }
        // Nudged off the exact middle so the scan line rarely runs through a vertex.
        let y = box.minY + box.height * 0.500_013
        var crossings: [Double] = []
        for ring in polygon where ring.count >= 3 {
            var previous = ring[ring.count - 1]
            for current in ring {
                if (current.y > y) != (previous.y > y) {
                    let t = (y - previous.y) / (current.y - previous.y)
                    crossings.append(previous.x + t * (current.x - previous.x))
                }
                previous = current
            }
        }
        crossings.sort()
        var best: (x: Double, width: Double)?
        var i = 0
        while i + 1 < crossings.count {
            let width = crossings[i + 1] - crossings[i]
            if width > (best?.width ?? -1) { best = ((crossings[i] + crossings[i + 1]) / 2, width) }
            i += 2
        }
        return Point(best?.x ?? box.center.x, y)
    }
}
