/// PMTiles tile ids: a tile's position on the Hilbert curve of its zoom level, counted on from
/// all tiles of the lower levels, so ids sort tiles by zoom and, within a zoom, neighbours
/// near each other (what clustered tile data and run lengths rely on).
public enum PMTilesTileID {
    /// The id of z/x/y (z at most 31, x and y within the level).
    public static func id(z: Int, x: Int, y: Int) -> UInt64 {
        precondition((0...31).contains(z) && (0..<(1 << z)).contains(x) && (0..<(1 << z)).contains(y), "tile \(z)/\(x)/\(y) has no PMTiles id")
        // Tiles of all lower zoom levels: (4^z - 1) / 3.
        var id = ((UInt64(1) << (2 * UInt64(z))) - 1) / 3
        var x = UInt64(x), y = UInt64(y)
        var level = z - 1
        while level >= 0 {
            let side = UInt64(1) << UInt64(level)
            let rx: UInt64 = x & side != 0 ? 1 : 0
            let ry: UInt64 = y & side != 0 ? 1 : 0
            id += ((3 * rx) ^ ry) << (2 * UInt64(level))
            (x, y) = rotate(side, x, y, rx, ry)
            level -= 1
        }
        return id
    }

    /// The z/x/y of an id (the inverse of `id`).
    public static func coordinate(of id: UInt64) -> (z: Int, x: Int, y: Int) {
        var z = 0
        var levelStart: UInt64 = 0
        while z < 31 {
            let next = levelStart + (UInt64(1) << (2 * UInt64(z)))
            if id < next { break }
            levelStart = next
            z += 1
        }
        var position = id - levelStart
        var x: UInt64 = 0, y: UInt64 = 0
        var side: UInt64 = 1
        while side < UInt64(1) << UInt64(z) {
            let rx = 1 & (position / 2)
            let ry = 1 & (position ^ rx)
            (x, y) = rotate(side, x, y, rx, ry)
            x += side * rx
            y += side * ry
            position /= 4
            side *= 2
        }
        return (z, Int(x), Int(y))
    }

    private static func rotate(_ side: UInt64, _ x: UInt64, _ y: UInt64, _ rx: UInt64, _ ry: UInt64) -> (UInt64, UInt64) {
        guard ry == 0 else { return (x, y) }
        // Only the bits below `side` matter from here on: wrapping keeps them right.
        if rx == 1 { return (side &- 1 &- y, side &- 1 &- x) }
        return (y, x)
    }
}
