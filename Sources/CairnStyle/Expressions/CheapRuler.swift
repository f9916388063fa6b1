import CairnCore
import Foundation

/// Fast geodesic approximations in metres near a latitude (the WGS84 formulas of Mapbox's cheap-ruler,
/// which MapLibre's `distance` uses, so results agree with it).
struct CheapRuler {
    let kx: Double
    let ky: Double

    init(latitude: Double) {
        let equatorialRadius = 6378.137, flattening = 1 / 298.257223563
        let e2 = flattening * (2 - flattening)
        let m = Double.pi / 180 * equatorialRadius * 1000
        let coslat = cos(latitude * Double.pi / 180)
        let w2 = 1 / (1 - e2 * (1 - coslat * coslat))
        let w = w2.squareRoot()
        kx = m * w * coslat
        ky = m * w * w2 * (1 - e2)
    }

    private func wrap(_ degrees: Double) -> Double {
        var d = degrees
        while d < -180 { d += 360 }
        while d > 180 { d -= 360 }
        return d
    }

    func distance(_ a: Point, _ b: Point) -> Double {
        let dx = wrap(a.x - b.x) * kx, dy = (a.y - b.y) * ky
        return (dx * dx + dy * dy).squareRoot()
    }

    /// The point of `line` nearest to `p`.
    func nearestPoint(on line: [Point], to p: Point) -> Point? {
        var best = Double.infinity
        var nearest: Point?
        for i in 0..<max(0, line.count - 1) {
            var x = line[i].x, y = line[i].y
            var dx = wrap(line[i + 1].x - x) * kx, dy = (line[i + 1].y - y) * ky
            if dx != 0 || dy != 0 {
                let t = (wrap(p.x - x) * kx * dx + (p.y - y) * ky * dy) / (dx * dx + dy * dy)
                if t > 1 {
                    x = line[i + 1].x; y = line[i + 1].y
                } else if t > 0 {
                    x += dx / kx * t; y += dy / ky * t
                }
            }
            dx = wrap(p.x - x) * kx; dy = (p.y - y) * ky
            let squared = dx * dx + dy * dy
            if squared < best { best = squared; nearest = Point(x, y) }
        }
        return nearest
    }

    func distance(from p: Point, toLine line: [Point]) -> Double {
        guard let nearest = nearestPoint(on: line, to: p) else { return .infinity }
        return distance(p, nearest)
    }

    func distance(segment p1: Point, _ p2: Point, segment q1: Point, _ q2: Point) -> Double {
        min(distance(from: p1, toLine: [q1, q2]), distance(from: p2, toLine: [q1, q2]),
            distance(from: q1, toLine: [p1, p2]), distance(from: q2, toLine: [p1, p2]))
    }
}
