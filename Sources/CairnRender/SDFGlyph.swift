import CairnFreeType

/// One glyph of a MapLibre glyph range: a signed distance field of its outline with metrics in
/// pixels at `SDFGlyph.pixelSize` (MapLibre's `ONE_EM`), as node-fontnik makes them.
public struct SDFGlyph: Sendable, Equatable {
    /// Em size glyphs are rendered at; MapLibre scales from it.
    public static let pixelSize = 24
    /// Pixels of distance field around the glyph's box on every side.
    public static let border = 3
    /// Distances beyond this many pixels are clamped.
    public static let radius = 8.0
    /// The share of the 0–255 scale spent inside the outline: the edge is at 255 − 0.25 × 256 = 191,
    /// which is where MapLibre's shader draws it (0.75).
    public static let cutoff = 0.25

    public var codePoint: UInt32
    /// `(width + 2 × border) × (height + 2 × border)` bytes, rows top to bottom; empty for a glyph with no ink.
    public var bitmap: [UInt8]
    public var width: Int
    public var height: Int
    /// From the pen position to the left of the glyph's box.
    public var left: Int
    /// From the baseline up to the top of the glyph's box.
    public var top: Int
    public var advance: Int

    /// The distance field of `outline`, whose box is rounded to whole pixels first (as fontnik does).
    public init(codePoint: UInt32, outline: GlyphOutline) {
        self.codePoint = codePoint
        advance = outline.advance
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for ring in outline.rings {
            for p in ring {
                minX = min(minX, p.x); maxX = max(maxX, p.x)
                minY = min(minY, p.y); maxY = max(maxY, p.y)
            }
        }
        guard minX.isFinite else {
            (bitmap, width, height, left, top) = ([], 0, 0, 0, 0)
            return
        }
        minX = minX.rounded(); minY = minY.rounded(); maxX = maxX.rounded(); maxY = maxY.rounded()
        guard maxX > minX, maxY > minY else {
            (bitmap, width, height, left, top) = ([], 0, 0, 0, 0)
            return
        }
        width = Int(maxX - minX)
        height = Int(maxY - minY)
        left = Int(minX)
        top = Int(maxY)
        let border = Double(Self.border)
        let field = DistanceField(rings: outline.rings.map { ring in
            ring.map { GlyphOutline.Point(x: $0.x - minX + border, y: $0.y - minY + border) }
        }, radius: Self.radius)
        let columns = width + 2 * Self.border, rows = height + 2 * Self.border
        var bitmap = [UInt8](repeating: 0, count: columns * rows)
        for y in 0..<rows {
            // Rows are stored top down; the outline's y grows upwards.
            let row = (rows - 1 - y) * columns
            for x in 0..<columns {
                bitmap[row + x] = field.value(at: GlyphOutline.Point(x: Double(x) + 0.5, y: Double(y) + 0.5), cutoff: Self.cutoff)
            }
        }
        self.bitmap = bitmap
    }

    /// A glyph given as is (decoded from a glyph PBF).
    public init(codePoint: UInt32, bitmap: [UInt8], width: Int, height: Int, left: Int, top: Int, advance: Int) {
        self.codePoint = codePoint
        self.bitmap = bitmap
        self.width = width
        self.height = height
        self.left = left
        self.top = top
        self.advance = advance
    }
}

/// Signed distance from points to a set of closed rings (even-odd inside), looked up through a
/// grid of one-pixel cells so each point only measures the segments within `radius`.
struct DistanceField {
    typealias Point = GlyphOutline.Point
    private struct Segment { var a: Point; var b: Point }

    private let segments: [Segment]
    private let radius: Double
    /// Segment indices per cell, cells `cellSize` px square covering the segments' box plus the radius.
    private let cells: [[Int32]]
    private let columns: Int, rows: Int
    private let originX: Double, originY: Double
    private let cellSize = 4.0

    init(rings: [[Point]], radius: Double) {
        var segments: [Segment] = []
        for ring in rings where ring.count > 1 {
            for i in 1..<ring.count { segments.append(Segment(a: ring[i - 1], b: ring[i])) }
        }
        self.segments = segments
        self.radius = radius
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for s in segments {
            minX = min(minX, s.a.x, s.b.x); maxX = max(maxX, s.a.x, s.b.x)
            minY = min(minY, s.a.y, s.b.y); maxY = max(maxY, s.a.y, s.b.y)
        }
        if !minX.isFinite { (minX, minY, maxX, maxY) = (0, 0, 0, 0) }
        originX = minX - radius
        originY = minY - radius
        columns = Int(((maxX + radius - originX) / cellSize).rounded(.up)) + 1
        rows = Int(((maxY + radius - originY) / cellSize).rounded(.up)) + 1
        var cells = [[Int32]](repeating: [], count: columns * rows)
        for (n, s) in segments.enumerated() {
            let x0 = Int((min(s.a.x, s.b.x) - radius - originX) / cellSize), x1 = Int((max(s.a.x, s.b.x) + radius - originX) / cellSize)
            let y0 = Int((min(s.a.y, s.b.y) - radius - originY) / cellSize), y1 = Int((max(s.a.y, s.b.y) + radius - originY) / cellSize)
            for cy in max(0, y0)...min(rows - 1, max(0, y1)) {
                for cx in max(0, x0)...min(columns - 1, max(0, x1)) { cells[cy * columns + cx].append(Int32(n)) }
            }
        }
        self.cells = cells
    }

    /// 255 deep inside … 255 − cutoff × 256 on the outline … 0 at `radius` or more outside.
    func value(at p: Point, cutoff: Double) -> UInt8 {
        var distance = nearestDistance(p) * (256 / radius)
        if contains(p) { distance = -distance }
        distance += cutoff * 256
        let clamped = Int(min(255, max(0, distance)))
        return UInt8(255 - clamped)
    }

    /// The distance to the nearest segment, or infinity when none is within the radius.
    private func nearestDistance(_ p: Point) -> Double {
        let cx = Int((p.x - originX) / cellSize), cy = Int((p.y - originY) / cellSize)
        guard cx >= 0, cy >= 0, cx < columns, cy < rows else { return .infinity }
        var best = radius * radius
        var found = false
        for n in cells[cy * columns + cx] {
            let s = segments[Int(n)]
            let d = Self.squaredDistance(p, s.a, s.b)
            if d < best { best = d; found = true }
        }
        return found ? best.squareRoot() : .infinity
    }

    private static func squaredDistance(_ p: Point, _ v: Point, _ w: Point) -> Double {
        let dx = w.x - v.x, dy = w.y - v.y
        let l2 = dx * dx + dy * dy
        var t = l2 == 0 ? 0 : ((p.x - v.x) * dx + (p.y - v.y) * dy) / l2
        t = min(1, max(0, t))
        let x = v.x + t * dx - p.x, y = v.y + t * dy - p.y
        return x * x + y * y
    }

    /// Non-zero winding, as FreeType fills outlines: overlapping contours (common in fonts made
    /// from variable masters) stay filled where fontnik's even-odd test would punch holes.
    private func contains(_ p: Point) -> Bool {
        var winding = 0
        for s in segments where (s.a.y > p.y) != (s.b.y > p.y) {
            if p.x < (s.b.x - s.a.x) * (p.y - s.a.y) / (s.b.y - s.a.y) + s.a.x { winding += s.b.y > s.a.y ? 1 : -1 }
        }
        return winding != 0
    }
}
