import CairnCore

/// A point inside a polygon for its label: its pole of inaccessibility (the interior point farthest
/// from the outline, found to a tolerance as MapLibre's `findPoleOfInaccessibility` does), so the
/// label sits in the widest part of the shape, never in a notch or outside as a centroid can.
enum InteriorPoint {
    /// Cells examined at most; past that the best point so far is good enough for a label.
    private static let maximumCells = 500

    /// - Parameter tolerance: how close to the true pole is close enough, in the polygon's units
    ///   (a couple of pixels); never finer than a hundredth of the polygon's size.
    static func of(_ polygon: [[Point]], tolerance: Double = 0) -> Point? {
        guard let exterior = polygon.first, exterior.count >= 3 else { return nil }
        var box = BoundingBox.empty
        for p in exterior { box.extend(with: p) }
        guard box.width > 0, box.height > 0 else { return Point(box.center.x, box.center.y) }
        // Square cells; at most 64 along the long side of a thin shape.
        let side = max(min(box.width, box.height), max(box.width, box.height) / 64)
        let rings = polygon.filter { $0.count >= 3 }
        let precision = max(tolerance, max(box.width, box.height) / 100)

        struct Cell {
            let x: Double, y: Double, half: Double, distance: Double
            var potential: Double { distance + half * 2.0.squareRoot() }
        }
        func cell(_ x: Double, _ y: Double, _ half: Double) -> Cell {
            Cell(x: x, y: y, half: half, distance: signedDistance(x, y, rings))
        }
        // A max-heap on potential.
        var heap: [Cell] = []
        func push(_ c: Cell) {
            heap.append(c)
            var i = heap.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard heap[parent].potential < heap[i].potential else { break }
                heap.swapAt(parent, i)
                i = parent
            }
        }
        func pop() -> Cell {
            let top = heap[0]
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap[0] = last
                var i = 0
                while true {
                    let l = 2 * i + 1, r = l + 1
                    var largest = i
                    if l < heap.count && heap[l].potential > heap[largest].potential { largest = l }
                    if r < heap.count && heap[r].potential > heap[largest].potential { largest = r }
                    if largest == i { break }
                    heap.swapAt(i, largest)
                    i = largest
                }
            }
            return top
        }

        let half = side / 2
        var y = box.minY
        while y < box.maxY {
            var x = box.minX
            while x < box.maxX {
                push(cell(x + half, y + half, half))
                x += side
            }
            y += side
        }
        // Seeds: the scan-line point (always inside) and the box centre.
        var best = cell(box.center.x, box.center.y, 0)
        if let scan = scanLinePoint(rings, box) {
            let c = cell(scan.x, scan.y, 0)
            if c.distance > best.distance { best = c }
        }
        var examined = 0
        while !heap.isEmpty && examined < maximumCells {
            let c = pop()
            examined += 1
            if c.distance > best.distance { best = c }
            guard c.potential - best.distance > precision else { continue }
            let h = c.half / 2
            push(cell(c.x - h, c.y - h, h))
            push(cell(c.x + h, c.y - h, h))
            push(cell(c.x - h, c.y + h, h))
            push(cell(c.x + h, c.y + h, h))
        }
        return Point(best.x, best.y)
    }

    /// Distance to the nearest ring, positive inside the polygon (even-odd), negative outside.
    private static func signedDistance(_ x: Double, _ y: Double, _ rings: [[Point]]) -> Double {
        var inside = false
        var nearest = Double.infinity
        for ring in rings {
            var previous = ring[ring.count - 1]
            for current in ring {
                if (current.y > y) != (previous.y > y),
                   x < (previous.x - current.x) * (y - current.y) / (previous.y - current.y) + current.x {
                    inside.toggle()
                }
                nearest = min(nearest, Point(x, y).squaredDistance(toSegment: current, previous))
                previous = current
            }
        }
        let d = nearest.squareRoot()
        return inside ? d : -d
    }

    /// The middle of the widest span of the horizontal line through the middle of the box.
    private static func scanLinePoint(_ rings: [[Point]], _ box: BoundingBox) -> Point? {
        // Nudged off the exact middle so the scan line rarely runs through a vertex.
        let y = box.minY + box.height * 0.500_013
        var crossings: [Double] = []
        for ring in rings {
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
        return best.map { Point($0.x, y) }
    }
}
