/// Placed label boxes bucketed in a coarse grid, so collision tests look only at nearby boxes.
struct CollisionIndex {
    private let cellSize = 64.0
    private let originX: Double
    private let originY: Double
    private let columns: Int
    private let rows: Int
    private var cells: [[Int32]]
    private var boxes: [PixelRect] = []

    /// - Parameter margin: boxes reach this far outside the `width`×`height` canvas (label candidates
    ///   gathered beyond it); beyond that they share the outermost cells.
    init(width: Int, height: Int, margin: Double = 0) {
        let margin = max(0, margin)
        originX = -margin
        originY = -margin
        columns = max(1, Int(((Double(width) + 2 * margin) / cellSize).rounded(.up)))
        rows = max(1, Int(((Double(height) + 2 * margin) / cellSize).rounded(.up)))
        cells = Array(repeating: [], count: columns * rows)
    }

    func collides(_ box: PixelRect) -> Bool {
        let (c0, r0, c1, r1) = cellRange(box)
        for r in r0...r1 {
            for c in c0...c1 {
                for index in cells[r * columns + c] where boxes[Int(index)].intersects(box) { return true }
            }
        }
        return false
    }

    mutating func insert(_ box: PixelRect) {
        let index = Int32(boxes.count)
        boxes.append(box)
        let (c0, r0, c1, r1) = cellRange(box)
        for r in r0...r1 {
            for c in c0...c1 { cells[r * columns + c].append(index) }
        }
    }

    private func cellRange(_ box: PixelRect) -> (Int, Int, Int, Int) {
        func clampColumn(_ x: Double) -> Int { min(columns - 1, max(0, Int(((x - originX) / cellSize).rounded(.down)))) }
        func clampRow(_ y: Double) -> Int { min(rows - 1, max(0, Int(((y - originY) / cellSize).rounded(.down)))) }
        return (clampColumn(box.x), clampRow(box.y), clampColumn(box.maxX), clampRow(box.maxY))
    }
}
