import CairnCore

/// A line in canvas pixels with cumulative distances, for placing text along it.
struct PixelPolyline {
    var xs: [Double] = []
    var ys: [Double] = []
    /// `distances[i]` is the length of the line up to point i.
    var distances: [Double] = []

    init(_ points: [Point], transform: PixelTransform, minimumSegment: Double) {
        xs.reserveCapacity(points.count)
        ys.reserveCapacity(points.count)
        distances.reserveCapacity(points.count)
        var total = 0.0
        for p in points {
            let x = transform.pixelX(p.x), y = transform.pixelY(p.y)
            if let lx = xs.last, let ly = ys.last {
                let step = ((x - lx) * (x - lx) + (y - ly) * (y - ly)).squareRoot()
                if step < minimumSegment { continue }
                total += step
            }
            xs.append(x)
            ys.append(y)
            distances.append(total)
        }
    }

    var length: Double { distances.last ?? 0 }
    var count: Int { xs.count }

    /// The point at distance `d` along the line (extrapolated past either end) and the unit tangent there.
    func position(at d: Double) -> (x: Double, y: Double, tx: Double, ty: Double) {
        var low = 0, high = count - 1
        // The segment [i, i+1] holding d: the last i with distances[i] <= d, kept within 0...count-2.
        while high - low > 1 {
            let middle = (low + high) / 2
            if distances[middle] <= d { low = middle } else { high = middle }
        }
        let i = min(low, count - 2)
        let dx = xs[i + 1] - xs[i], dy = ys[i + 1] - ys[i]
        let segment = distances[i + 1] - distances[i]
        let tx = dx / segment, ty = dy / segment
        let along = d - distances[i]
        return (xs[i] + tx * along, ys[i] + ty * along, tx, ty)
    }

    /// True when the line turns by more than `maxAngle` radians within any stretch of `window` pixels
    /// between distances `from` and `to`.
    func bendsTooMuch(from: Double, to: Double, window: Double, maxAngle: Double) -> Bool {
        guard count > 2 else { return false }
        var turns: [(distance: Double, angle: Double)] = []
        for i in 1..<(count - 1) where distances[i] > from && distances[i] < to {
            let ax = xs[i] - xs[i - 1], ay = ys[i] - ys[i - 1]
            let bx = xs[i + 1] - xs[i], by = ys[i + 1] - ys[i]
            let angle = abs(atan2Approx(ax * by - ay * bx, ax * bx + ay * by))
            if angle > maxAngle { return true }
            turns.append((distances[i], angle))
        }
        for (j, turn) in turns.enumerated() {
            var sum = 0.0
            for k in j..<turns.count {
                if turns[k].distance - turn.distance > window { break }
                sum += turns[k].angle
                if sum > maxAngle { return true }
            }
        }
        return false
    }
}

/// atan2 without Foundation: the angle of (x, y) in -π...π.
@inline(__always)
func atan2Approx(_ y: Double, _ x: Double) -> Double {
    // Enough precision for bend thresholds; exact to ~0.0015 rad.
    let ax = abs(x), ay = abs(y)
    if ax == 0 && ay == 0 { return 0 }
    let a = min(ax, ay) / max(ax, ay)
    let s = a * a
    var r = ((-0.0464964749 * s + 0.15931422) * s - 0.327622764) * s * a + a
    if ay > ax { r = Double.pi / 2 - r }
    if x < 0 { r = Double.pi - r }
    return y < 0 ? -r : r
}
