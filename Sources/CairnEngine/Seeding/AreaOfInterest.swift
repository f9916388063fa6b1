import CairnCore

/// Where to seed or expire, in the tile grid's CRS: a box, optionally narrowed to polygons
/// (a city boundary, say). Tiles are classified against it so that only tiles touching the
/// area are rendered, and whole subtrees inside or outside it are decided at once.
public struct AreaOfInterest: Sendable {
    public enum Coverage: Sendable { case outside, partial, inside }

    /// The area's bounding box, grid CRS.
    public let bounds: BoundingBox
    private let rings: [[Point]]
    private let edges: [(Point, Point)]
    private let edgeIndex: FeatureIndex?

    /// The whole of `box`.
    public init(box: BoundingBox) {
        bounds = box
        rings = []
        edges = []
        edgeIndex = nil
    }

    /// The polygons' interiors (holes excluded), clipped to nothing: tiles touching any polygon count.
    public init(polygons: [[[Point]]]) {
        var rings: [[Point]] = []
        var edges: [(Point, Point)] = []
        var box = BoundingBox.empty
        for polygon in polygons {
            for ring in polygon where ring.count >= 3 {
                rings.append(ring)
                for i in 0..<ring.count {
                    let a = ring[i], b = ring[(i + 1) % ring.count]
                    if a != b { edges.append((a, b)) }
                    box.extend(with: a)
                }
            }
        }
        bounds = box
        self.rings = rings
        self.edges = edges
        edgeIndex = FeatureIndex(boxes: edges.map { a, b in
            BoundingBox(minX: min(a.x, b.x), minY: min(a.y, b.y), maxX: max(a.x, b.x), maxY: max(a.y, b.y))
        })
    }

    /// True for a plain box: every tile of its tile range belongs to it.
    public var isBox: Bool { edgeIndex == nil }

    /// How `box` relates to the area.
    public func coverage(of box: BoundingBox) -> Coverage {
        guard box.intersects(bounds) else { return .outside }
        guard let edgeIndex else {
            let inside = box.minX >= bounds.minX && box.maxX <= bounds.maxX && box.minY >= bounds.minY && box.maxY <= bounds.maxY
            return inside ? .inside : .partial
        }
        var crossed = false
        edgeIndex.forEach(intersecting: box) { index in
            if !crossed, Self.segment(edges[Int(index)], intersects: box) { crossed = true }
        }
        if crossed { return .partial }
        // No boundary crosses the box: it lies wholly inside or wholly outside.
        return contains(box.center) ? .inside : .outside
    }

    /// Even-odd point in polygon over every ring (holes subtract).
    func contains(_ p: Point) -> Bool {
        var inside = false
        for ring in rings {
            var j = ring.count - 1
            for i in 0..<ring.count {
                let a = ring[i], b = ring[j]
                if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
                    inside.toggle()
                }
                j = i
            }
        }
        return inside
    }

    /// Whether the segment touches the rectangle (Liang–Barsky clipping).
    static func segment(_ s: (Point, Point), intersects box: BoundingBox) -> Bool {
        let (a, b) = s
        if box.contains(a) || box.contains(b) { return true }
        var t0 = 0.0, t1 = 1.0
        let dx = b.x - a.x, dy = b.y - a.y
        for (p, q) in [(-dx, a.x - box.minX), (dx, box.maxX - a.x), (-dy, a.y - box.minY), (dy, box.maxY - a.y)] {
            if p == 0 {
                if q < 0 { return false }
            } else {
                let r = q / p
                if p < 0 { if r > t1 { return false }; if r > t0 { t0 = r } }
                else { if r < t0 { return false }; if r < t1 { t1 = r } }
            }
        }
        return true
    }

    /// Every tile of `zooms` that touches the area, zoom by zoom, in row-major order.
    public func tiles(in grid: TileGrid, zooms: ClosedRange<Int>) -> [Int: [TileCoordinate]] {
        var result: [Int: [TileCoordinate]] = [:]
        for z in zooms { result[z] = [] }
        guard zooms.upperBound >= 0, let top = grid.tileRange(covering: bounds, at: zooms.lowerBound) else { return result }
        func visit(_ tile: TileCoordinate, _ known: Coverage?) {
            let coverage = known ?? coverage(of: grid.bounds(of: tile))
            if coverage == .outside { return }
            result[tile.z, default: []].append(tile)
            guard tile.z < zooms.upperBound else { return }
            let next = coverage == .inside ? Coverage.inside : nil
            // Children in a grid that doubles per level.
            for dy in 0..<2 {
                for dx in 0..<2 {
                    let child = TileCoordinate(z: tile.z + 1, x: tile.x * 2 + dx, y: tile.y * 2 + dy)
                    if grid.contains(child) { visit(child, next) }
                }
            }
        }
        for tile in top { visit(tile, nil) }
        for z in zooms { result[z]?.sort { ($0.y, $0.x) < ($1.y, $1.x) } }
        return result
    }
}
