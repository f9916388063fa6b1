import CairnCore

/// Groups the rings of a shapefile Polygon record into polygons.
///
/// A shapefile stores all rings of a (multi)polygon in one flat list: outer rings run clockwise,
/// holes counter-clockwise. Each hole goes to the smallest outer ring that contains its first
/// vertex (falling back to box containment when that vertex lies on an outer boundary). A hole
/// that no outer ring contains becomes a polygon of its own, so nothing is lost. Degenerate
/// (zero-area) rings count as outer rings.
enum ShapefilePolygonAssembler {
    static func polygons(fromRings rings: [[Point]]) -> [[[Point]]] {
        if rings.count == 1 { return [rings] }

        var outers: [(ring: Int, area: Double, box: BoundingBox)] = []
        var holes: [Int] = []
        for index in rings.indices {
            let area = signedArea(rings[index])
            if area > 0 {
                holes.append(index)
            } else {
                outers.append((index, -area, box(of: rings[index])))
            }
        }
        if holes.isEmpty { return rings.map { [$0] } }

        var polygons: [[[Point]]] = outers.map { [rings[$0.ring]] }
        for hole in holes {
            let ring = rings[hole]
            let holeBox = box(of: ring)
            var best: Int?
            if let vertex = ring.first {
                for (position, outer) in outers.enumerated() where outer.box.contains(vertex) {
                    if contains(rings[outer.ring], vertex), best.map({ outer.area < outers[$0].area }) ?? true {
                        best = position
                    }
                }
            }
            if best == nil {
                for (position, outer) in outers.enumerated() where contains(outer.box, holeBox) {
                    if best.map({ outer.area < outers[$0].area }) ?? true { best = position }
                }
            }
            if let best {
                polygons[best].append(ring)
            } else {
                polygons.append([ring])
            }
        }
        return polygons
    }

    /// Shoelace sum: positive for counter-clockwise rings (with y pointing up).
    static func signedArea(_ ring: [Point]) -> Double {
        guard ring.count >= 3 else { return 0 }
        var sum = 0.0
        var previous = ring[ring.count - 1]
        for point in ring {
            sum += (previous.x - point.x) * (previous.y + point.y)
            previous = point
        }
        return sum / 2
    }

    /// Even-odd ray casting.
    static func contains(_ ring: [Point], _ point: Point) -> Bool {
        guard ring.count >= 3 else { return false }
        var inside = false
        var previous = ring[ring.count - 1]
        for current in ring {
            if (current.y > point.y) != (previous.y > point.y) {
                let crossingX = current.x + (point.y - current.y) * (previous.x - current.x) / (previous.y - current.y)
                if point.x < crossingX { inside.toggle() }
            }
            previous = current
        }
        return inside
    }

    private static func box(of ring: [Point]) -> BoundingBox {
        var box = BoundingBox.empty
        for point in ring { box.extend(with: point) }
        return box
    }

    private static func contains(_ outer: BoundingBox, _ inner: BoundingBox) -> Bool {
        inner.minX >= outer.minX && inner.maxX <= outer.maxX && inner.minY >= outer.minY && inner.maxY <= outer.maxY
    }
}
