/// A block of `size`×`size` tiles rendered in one go and then split, so that
/// per-render costs are shared and labels inside the block are drawn once and whole.
public struct Metatile: Hashable, Sendable, CustomStringConvertible {
    /// The top-left tile of the block.
    public var origin: TileCoordinate
    /// Columns and rows actually in the grid (smaller than the nominal size at low zooms).
    public var columns: Int
    public var rows: Int

    /// The metatile of nominal size `size` that holds `tile`.
    public init(containing tile: TileCoordinate, size: Int, in grid: TileGrid) {
        let matrix = grid.matrixSize(at: tile.z)
        let x0 = (tile.x / size) * size
        let y0 = (tile.y / size) * size
        origin = TileCoordinate(z: tile.z, x: x0, y: y0)
        columns = min(size, matrix.columns - x0)
        rows = min(size, matrix.rows - y0)
    }

    public var z: Int { origin.z }

    public var tiles: [TileCoordinate] {
        var result: [TileCoordinate] = []
        result.reserveCapacity(columns * rows)
        for dy in 0..<rows {
            for dx in 0..<columns {
                result.append(TileCoordinate(z: origin.z, x: origin.x + dx, y: origin.y + dy))
            }
        }
        return result
    }

    public func contains(_ tile: TileCoordinate) -> Bool {
        tile.z == origin.z && tile.x >= origin.x && tile.x < origin.x + columns
            && tile.y >= origin.y && tile.y < origin.y + rows
    }

    /// The area the block covers, in grid CRS units.
    public func bounds(in grid: TileGrid) -> BoundingBox {
        let first = grid.bounds(of: origin)
        let span = grid.tileSpan(at: origin.z)
        return BoundingBox(minX: first.minX, minY: first.maxY - span * Double(rows),
                           maxX: first.minX + span * Double(columns), maxY: first.maxY)
    }

    public var description: String { "\(origin)+\(columns)x\(rows)" }
}
