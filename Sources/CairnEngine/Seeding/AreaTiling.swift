import CairnCore
import Synchronization

/// The tiles and metatiles of an area, counted and walked zoom by zoom without ever listing
/// them, so a seed or a dry run of any area and zoom range runs in constant memory.
///
/// At each zoom the candidates are the tiles of `grid.tileRange(covering: area.bounds)`; a tile
/// belongs to the area when its box is not wholly outside it, and a metatile when one of its
/// tiles does. Levels are taken one by one from the grid's own resolutions, so grids whose
/// levels do not double (national grids) are handled exactly too.
///
/// Cost: a box covers its whole tile rectangle, so its counts are arithmetic, O(1) per zoom
/// (the world at z0–22 in microseconds). A polygon's rectangle of cells is halved until each
/// part is wholly inside (counted at once), wholly outside (skipped) or one cell on the
/// boundary: O(boundary cells × log side) coverage tests per zoom, each a query of the edge
/// index. A city boundary crosses some 10⁴–10⁵ tiles at z22 (well under a second); a detailed
/// coastline can cross millions there and take minutes. Memory is a stack of at most ~100
/// ranges whatever the zoom.
struct AreaTiling: Sendable {
    let area: AreaOfInterest
    let grid: TileGrid
    /// Tiles per metatile side.
    let metatileSize: Int

    /// One zoom level's candidate rectangle, in cells of `size` tiles per side (1: tiles).
    struct Level: Sendable {
        let z: Int
        let range: TileRange
        let size: Int

        var cellColumns: ClosedRange<Int> { range.minX / size...range.maxX / size }
        var cellRows: ClosedRange<Int> { range.minY / size...range.maxY / size }

        /// The tile columns of a run of cells, clipped to the candidate rectangle.
        func tileColumns(_ cells: ClosedRange<Int>) -> ClosedRange<Int> {
            max(cells.lowerBound * size, range.minX)...min(cells.upperBound * size + size - 1, range.maxX)
        }

        func tileRows(_ cells: ClosedRange<Int>) -> ClosedRange<Int> {
            max(cells.lowerBound * size, range.minY)...min(cells.upperBound * size + size - 1, range.maxY)
        }
    }

    func level(_ z: Int, size: Int) -> Level? {
        guard z >= 0, z <= grid.maxZoom, let range = grid.tileRange(covering: clampedBounds, at: z) else { return nil }
        return Level(z: z, range: range, size: max(1, size))
    }

    /// The area's bounds within the grid's extent (which loses no tile), so that a huge or
    /// non-finite box never reaches the tile arithmetic; an empty box when nothing is left.
    var clampedBounds: BoundingBox {
        let b = area.bounds, e = grid.extent
        let box = BoundingBox(minX: max(b.minX, e.minX), minY: max(b.minY, e.minY), maxX: min(b.maxX, e.maxX), maxY: min(b.maxY, e.maxY))
        guard [box.minX, box.minY, box.maxX, box.maxY].allSatisfy(\.isFinite), box.minX <= box.maxX, box.minY <= box.maxY,
              [b.minX, b.minY, b.maxX, b.maxY].allSatisfy({ !$0.isNaN }) else {
            return BoundingBox(minX: e.maxX + 1, minY: e.maxY + 1, maxX: e.maxX + 2, maxY: e.maxY + 2)
        }
        return box
    }

    /// The box of a rectangle of tiles, from its corner tiles, so that a one-tile rectangle has
    /// exactly that tile's box.
    func box(_ z: Int, columns: ClosedRange<Int>, rows: ClosedRange<Int>) -> BoundingBox {
        let first = grid.bounds(of: TileCoordinate(z: z, x: columns.lowerBound, y: rows.lowerBound))
        let last = grid.bounds(of: TileCoordinate(z: z, x: columns.upperBound, y: rows.upperBound))
        return BoundingBox(minX: first.minX, minY: last.minY, maxX: last.maxX, maxY: first.maxY)
    }

    /// How a rectangle of cells relates to the area; a box area covers its whole rectangle.
    func coverage(_ level: Level, columns: ClosedRange<Int>, rows: ClosedRange<Int>) -> AreaOfInterest.Coverage {
        if area.isBox { return .inside }
        return area.coverage(of: box(level.z, columns: level.tileColumns(columns), rows: level.tileRows(rows)))
    }

    /// The tiles of one cell that belong to the area, row-major; `limit` stops early.
    func tiles(_ level: Level, cellColumn cx: Int, cellRow cy: Int, knownInside: Bool, limit: Int = .max) -> [TileCoordinate] {
        var tiles: [TileCoordinate] = []
        for y in level.tileRows(cy...cy) {
            for x in level.tileColumns(cx...cx) {
                let tile = TileCoordinate(z: level.z, x: x, y: y)
                if knownInside || area.isBox || area.coverage(of: grid.bounds(of: tile)) != .outside {
                    tiles.append(tile)
                    if tiles.count >= limit { return tiles }
                }
            }
        }
        return tiles
    }

    /// Cells of `level` holding at least one tile of the area. `shouldStop` is asked now and
    /// then; when it answers true the count stops early and is meaningless.
    func count(_ level: Level, shouldStop: () -> Bool = { false }) -> Int {
        if area.isBox { return level.cellColumns.count * level.cellRows.count }
        var total = 0
        var stack = [(columns: level.cellColumns, rows: level.cellRows)]
        var steps = 0
        while let (columns, rows) = stack.popLast() {
            steps += 1
            if steps & 4095 == 0, shouldStop() { return total }
            switch coverage(level, columns: columns, rows: rows) {
            case .outside:
                continue
            case .inside:
                total += columns.count * rows.count
            case .partial:
                if columns.count == 1, rows.count == 1 {
                    // A boundary crossing the cell touches one of its tiles; asked tile by tile
                    // all the same, so counting and walking agree to the last bit.
                    if level.size == 1 || !tiles(level, cellColumn: columns.lowerBound, cellRow: rows.lowerBound, knownInside: false, limit: 1).isEmpty {
                        total += 1
                    }
                } else if columns.count >= rows.count {
                    let middle = columns.lowerBound + columns.count / 2
                    stack.append((middle...columns.upperBound, rows))
                    stack.append((columns.lowerBound...middle - 1, rows))
                } else {
                    let middle = rows.lowerBound + rows.count / 2
                    stack.append((columns, middle...rows.upperBound))
                    stack.append((columns, rows.lowerBound...middle - 1))
                }
            }
        }
        return total
    }

    /// Tiles and metatiles per zoom.
    func levels(_ zooms: ClosedRange<Int>, shouldStop: () -> Bool = { false }) -> [SeedPlan.Level] {
        var levels: [SeedPlan.Level] = []
        for z in zooms {
            guard let tileLevel = level(z, size: 1), let metaLevel = level(z, size: metatileSize) else { continue }
            let tiles = count(tileLevel, shouldStop: shouldStop)
            if shouldStop() { break }
            guard tiles > 0 else { continue }
            levels.append(SeedPlan.Level(zoom: z, tiles: tiles, metatiles: count(metaLevel, shouldStop: shouldStop)))
        }
        return levels
    }

    /// The metatiles of the area over `zooms`, lazily: zoom by zoom, metatile rows top to
    /// bottom, left to right, each with the tiles of it that belong to the area.
    func walk(_ zooms: ClosedRange<Int>) -> Walk { Walk(tiling: self, zooms: zooms) }

    struct Walk: IteratorProtocol, Sendable {
        let tiling: AreaTiling
        let zooms: ClosedRange<Int>
        private var z: Int
        private var level: Level?
        private var row = 0
        /// Runs of cells of the current row still to look at, the leftmost last.
        private var pending: [ClosedRange<Int>] = []
        /// Cells known to lie wholly inside, handed out one by one.
        private var inside: ClosedRange<Int>?

        init(tiling: AreaTiling, zooms: ClosedRange<Int>) {
            self.tiling = tiling
            self.zooms = zooms
            z = zooms.lowerBound - 1
        }

        mutating func next() -> (Metatile, [TileCoordinate])? {
            while true {
                if let run = inside, let level {
                    let column = run.lowerBound
                    inside = column < run.upperBound ? column + 1...run.upperBound : nil
                    return item(level, column, knownInside: true)
                }
                if let columns = pending.popLast(), let level {
                    switch tiling.coverage(level, columns: columns, rows: row...row) {
                    case .outside:
                        continue
                    case .inside:
                        inside = columns
                    case .partial:
                        if columns.count == 1 {
                            if let found = item(level, columns.lowerBound, knownInside: false) { return found }
                        } else {
                            let middle = columns.lowerBound + columns.count / 2
                            pending.append(middle...columns.upperBound)
                            pending.append(columns.lowerBound...middle - 1)
                        }
                    }
                    continue
                }
                if let level, row < level.cellRows.upperBound {
                    row += 1
                    pending = [level.cellColumns]
                    continue
                }
                guard z < zooms.upperBound else { return nil }
                z += 1
                level = tiling.level(z, size: tiling.metatileSize)
                if let level {
                    row = level.cellRows.lowerBound
                    pending = [level.cellColumns]
                }
            }
        }

        private func item(_ level: Level, _ column: Int, knownInside: Bool) -> (Metatile, [TileCoordinate])? {
            let tiles = tiling.tiles(level, cellColumn: column, cellRow: row, knownInside: knownInside)
            guard let first = tiles.first else { return nil }
            return (Metatile(containing: first, size: level.size, in: tiling.grid), tiles)
        }
    }
}

/// Set from a cancellation handler, read by synchronous work on a thread pool.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func stop() { value.store(true, ordering: .relaxed) }
    var isStopped: Bool { value.load(ordering: .relaxed) }
}
