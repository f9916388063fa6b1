import CairnCore
import CairnRender
import CairnSources

/// Draws one style layer from the source tiles of a vector tile source, so that tile edges never show.
///
/// Source tiles repeat the features near their edges (the tile buffer). Fills, lines and circles of
/// each source tile are therefore drawn clipped to that tile's own square, snapped to device pixels:
/// every pixel is drawn from exactly one tile, with the caps and joins the neighbour's copy supplies.
/// Labels are not clipped but deduplicated: a point is labelled only by the tile whose square holds
/// it, a line along its parts inside each tile, re-joined across tiles by label text, and a polygon
/// once per feature id (its largest piece).
enum VectorLayerDrawing {
    /// - Parameter query: the area drawn (metatile and buffer); features wholly outside it are skipped.
    /// - Parameter meter: the render budget; each feature drawn is charged to it.
    static func draw(_ painter: LayerPainter, tiles: [VectorSourceTile], query: BoundingBox,
                     meter: inout RenderBudgetMeter) throws {
        guard let sourceLayer = painter.layer.sourceLayer else { return }
        if painter.layer.type == .symbol {
            try drawLabels(painter, tiles: tiles, sourceLayer: sourceLayer, query: query, meter: &meter)
            return
        }
        let canvas = painter.canvas
        for tile in tiles {
            guard let features = tile.layers[sourceLayer], !features.isEmpty,
                  let boxes = tile.featureBounds[sourceLayer] else { continue }
            let wholeTile = query.contains(Point(tile.bounds.minX, tile.bounds.minY)) && query.contains(Point(tile.bounds.maxX, tile.bounds.maxY))
            var clipping = false
            for (index, feature) in features.enumerated() {
                if !wholeTile && !boxes[index].intersects(query) { continue }
                guard let context = painter.context(for: feature) else { continue }
                if !clipping {
                    canvas.beginClip(to: tile.bounds)
                    clipping = true
                }
                do {
                    try meter.charge(feature)
                } catch {
                    painter.finish()
                    canvas.endClip()
                    throw error
                }
                painter.paint(feature, in: context)
            }
            painter.finish()
            if clipping { canvas.endClip() }
        }
    }

    private static func drawLabels(_ painter: LayerPainter, tiles: [VectorSourceTile], sourceLayer: String, query: BoundingBox,
                                   meter: inout RenderBudgetMeter) throws {
        // Polygons with an id: the piece with the largest bounding box, in first-seen order.
        var polygonOrder: [Int64] = []
        var polygonPieces: [Int64: (area: Double, feature: Feature)] = [:]
        var lineOrder: [String] = []
        var linePieces: [String: (first: Feature, pieces: [[Point]])] = [:]
        for tile in tiles {
            guard let features = tile.layers[sourceLayer], let boxes = tile.featureBounds[sourceLayer] else { continue }
            let square = tile.bounds
            for (index, feature) in features.enumerated() {
                guard boxes[index].intersects(query), let context = painter.context(for: feature) else { continue }
                try meter.charge(feature)
                switch feature.geometry {
                case .points(let points):
                    if points.allSatisfy({ owns(square, $0) }) {
                        painter.paint(feature, in: context)
                    } else {
                        let own = points.filter { owns(square, $0) }
                        guard !own.isEmpty else { continue }
                        painter.paint(Feature(id: feature.id, geometry: .points(own), properties: feature.properties), in: context)
                    }
                case .lines(let lines):
                    let clipped = clip(lines, to: square)
                    guard !clipped.isEmpty else { continue }
                    // Pieces with the same text are joined end to end across tiles (as MapLibre's
                    // mergeLines does within a tile), so a street gets labels spaced along its whole length.
                    let text = painter.layer.symbol?.textField?.evaluate(context) ?? ""
                    if linePieces[text] == nil {
                        lineOrder.append(text)
                        linePieces[text] = (feature, [])
                    }
                    linePieces[text]?.pieces.append(contentsOf: clipped)
                case .polygons:
                    let box = boxes[index]
                    guard let id = feature.id else {
                        if owns(square, box.center) { painter.paint(feature, in: context) }
                        continue
                    }
                    let area = box.width * box.height
                    if let known = polygonPieces[id] {
                        if area > known.area { polygonPieces[id] = (area, feature) }
                    } else {
                        polygonOrder.append(id)
                        polygonPieces[id] = (area, feature)
                    }
                }
            }
        }
        for text in lineOrder {
            guard let group = linePieces[text] else { continue }
            let merged = Feature(id: group.first.id, geometry: .lines(mergeLines(group.pieces)), properties: group.first.properties)
            guard let context = painter.context(for: merged) else { continue }
            painter.paint(merged, in: context)
        }
        for id in polygonOrder {
            guard let piece = polygonPieces[id], let context = painter.context(for: piece.feature) else { continue }
            painter.paint(piece.feature, in: context)
        }
    }

    /// Joins lines whose end meets another's start (within a centimetre), keeping their direction.
    static func mergeLines(_ lines: [[Point]]) -> [[Point]] {
        guard lines.count > 1 else { return lines }
        struct Key: Hashable { let x: Int64, y: Int64 }
        func key(_ p: Point) -> Key { Key(x: Int64((p.x * 100).rounded()), y: Int64((p.y * 100).rounded())) }
        var merged: [[Point]] = []
        var alive: [Bool] = []
        var byEnd: [Key: Int] = [:]
        var byStart: [Key: Int] = [:]
        for line in lines {
            guard let first = line.first, let last = line.last else { continue }
            let start = key(first), end = key(last)
            let before = byEnd[start], after = byStart[end]
            if let i = before, let j = after, i != j {
                byEnd[start] = nil
                byStart[end] = nil
                byEnd[key(merged[j].last!)] = i
                merged[i] += line.dropFirst()
                merged[i] += merged[j].dropFirst()
                merged[j] = []
                alive[j] = false
            } else if let i = before {
                byEnd[start] = nil
                merged[i] += line.dropFirst()
                byEnd[end] = i
            } else if let j = after {
                byStart[end] = nil
                merged[j] = line + merged[j].dropFirst()
                byStart[start] = j
            } else {
                merged.append(line)
                alive.append(true)
                byStart[start] = merged.count - 1
                byEnd[end] = merged.count - 1
            }
        }
        return merged.indices.compactMap { alive[$0] && merged[$0].count >= 2 ? merged[$0] : nil }
    }

    /// Half-open ownership, so a point exactly on an edge belongs to one tile only.
    @inline(__always)
    static func owns(_ square: BoundingBox, _ p: Point) -> Bool {
        p.x >= square.minX && p.x < square.maxX && p.y > square.minY && p.y <= square.maxY
    }

    /// The parts of `lines` inside `box` (Liang–Barsky per segment), joined where consecutive segments stay inside.
    static func clip(_ lines: [[Point]], to box: BoundingBox) -> [[Point]] {
        var result: [[Point]] = []
        for line in lines where line.count >= 2 {
            var lineBox = BoundingBox.empty
            for p in line { lineBox.extend(with: p) }
            if lineBox.minX >= box.minX && lineBox.maxX <= box.maxX && lineBox.minY >= box.minY && lineBox.maxY <= box.maxY {
                result.append(line)
                continue
            }
            guard lineBox.intersects(box) else { continue }
            var current: [Point] = []
            for i in 1..<line.count {
                let a = line[i - 1], b = line[i]
                let dx = b.x - a.x, dy = b.y - a.y
                var t0 = 0.0, t1 = 1.0
                var visible = true
                for (p, q) in [(-dx, a.x - box.minX), (dx, box.maxX - a.x), (-dy, a.y - box.minY), (dy, box.maxY - a.y)] {
                    if p == 0 {
                        if q < 0 { visible = false; break }
                    } else {
                        let r = q / p
                        if p < 0 {
                            if r > t1 { visible = false; break } else if r > t0 { t0 = r }
                        } else {
                            if r < t0 { visible = false; break } else if r < t1 { t1 = r }
                        }
                    }
                }
                guard visible else {
                    if current.count >= 2 { result.append(current) }
                    current.removeAll(keepingCapacity: true)
                    continue
                }
                let start = Point(a.x + t0 * dx, a.y + t0 * dy)
                let end = Point(a.x + t1 * dx, a.y + t1 * dy)
                if current.isEmpty || t0 > 0 {
                    if current.count >= 2 { result.append(current) }
                    current = [start]
                }
                current.append(end)
                if t1 < 1 {
                    result.append(current)
                    current = []
                }
            }
            if current.count >= 2 { result.append(current) }
        }
        return result
    }
}
