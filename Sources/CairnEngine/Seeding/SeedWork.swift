import CairnCache
import CairnCore
import NIOPosix

/// The metatiles a seed works through, produced one at a time so that memory stays constant
/// for any area and zoom range: either the area's metatiles (`AreaTiling.Walk`), or the stale
/// and/or failed tiles recorded in the file, read a page at a time (`ListedTiles`).
struct SeedWork: Sendable {
    private enum Source: Sendable {
        case area(AreaTiling.Walk)
        case listed(ListedTiles)
        case nothing
    }

    private var source: Source
    /// When set, only the tiles of the shard's metatiles; batches left empty are skipped.
    private let shard: SeedShard?

    init(area walk: AreaTiling.Walk, shard: SeedShard? = nil) { source = .area(walk); self.shard = shard }
    init(listed: ListedTiles, shard: SeedShard? = nil) { source = .listed(listed); self.shard = shard }
    /// No zoom of the request is the map's.
    init() { source = .nothing; shard = nil }

    /// The next metatile with the tiles of it to make, or nil at the end.
    mutating func next() async throws -> (Metatile, [TileCoordinate])? {
        while true {
            let item: (Metatile, [TileCoordinate])?
            switch source {
            case .area(var walk):
                item = walk.next()
                source = .area(walk)
            case .listed(var listed):
                item = try await listed.next()
                source = .listed(listed)
            case .nothing:
                item = nil
            }
            guard let (metatile, tiles) = item else { return nil }
            guard let shard else { return (metatile, tiles) }
            let owned = shard.filter(tiles)
            if !owned.isEmpty { return (metatile, owned) }
        }
    }

    /// `next()` for an area walk, synchronously (counting a shard on the seeding threads).
    mutating func nextFromArea() -> (Metatile, [TileCoordinate])? {
        guard case .area(var walk) = source else { return nil }
        defer { source = .area(walk) }
        while let (metatile, tiles) = walk.next() {
            guard let shard else { return (metatile, tiles) }
            let owned = shard.filter(tiles)
            if !owned.isEmpty { return (metatile, owned) }
        }
        return nil
    }
}

/// Stale and/or failed tiles of a file, zoom by zoom, in bands of one metatile column, a page
/// at a time; tiles outside the area are dropped. A page always ends on a metatile boundary,
/// so no metatile is split over two batches (and rendered twice).
struct ListedTiles: Sendable {
    let store: MBTilesStore
    let listing: TileListing
    let tiling: AreaTiling
    let zooms: ClosedRange<Int>
    let pool: NIOThreadPool
    /// Tiles per page; more than a metatile holds, so a full page has a whole metatile to cut at.
    let pageSize: Int

    private var z: Int
    /// The band of columns being read, and the next row in it.
    private var band: ClosedRange<Int>?
    private var row = 0
    /// The first column of the next band.
    private var column = 0
    private var finished = false
    private var buffer: [(Metatile, [TileCoordinate])] = []
    private var position = 0

    init(store: MBTilesStore, listing: TileListing, tiling: AreaTiling, zooms: ClosedRange<Int>, pool: NIOThreadPool, pageSize: Int = 4096) {
        self.store = store
        self.listing = listing
        self.tiling = tiling
        self.zooms = zooms
        self.pool = pool
        self.pageSize = max(pageSize, tiling.metatileSize * tiling.metatileSize + 1)
        z = zooms.lowerBound
        finished = zooms.isEmpty
    }

    mutating func next() async throws -> (Metatile, [TileCoordinate])? {
        while position >= buffer.count {
            if finished { return nil }
            try await readPage()
        }
        defer { position += 1 }
        return buffer[position]
    }

    /// Reads the next page into `buffer` (possibly empty) and advances the position.
    private mutating func readPage() async throws {
        buffer.removeAll(keepingCapacity: true)
        position = 0
        let state = (z: z, band: band, row: row, column: column)
        let (store, listing, tiling, pageSize) = (store, listing, tiling, pageSize)
        let grid = tiling.grid, size = tiling.metatileSize
        let page = try await pool.runIfActive { () throws -> (band: ClosedRange<Int>?, row: Int, column: Int, tiles: [TileCoordinate])? in
            var band = state.band
            if band == nil {
                guard let first = try store.firstListedColumn(listing, zoom: state.z, from: state.column) else {
                    return nil
                }
                let start = first / size * size
                band = start...start + size - 1
            }
            let fromRow = band == state.band ? state.row : 0
            var tiles = try store.listedTiles(listing, zoom: state.z, columns: band!, fromRow: fromRow, limit: pageSize)
            if tiles.count == pageSize, let last = tiles.last {
                // The last metatile row may go on in the next page: read it whole from there.
                let cut = last.y / size * size
                tiles.removeAll { $0.y >= cut }
                return (band, cut, state.column, tiles)
            }
            return (nil, 0, band!.upperBound + 1, tiles)
        }
        guard let page else {
            // No listed tile left at this zoom.
            if z >= zooms.upperBound { finished = true } else { z += 1; column = 0; band = nil; row = 0 }
            return
        }
        band = page.band
        row = page.row
        if page.band == nil { column = page.column }
        var start = 0
        let tiles = page.tiles
        while start < tiles.count {
            let metatile = Metatile(containing: tiles[start], size: size, in: grid)
            var end = start
            var wanted: [TileCoordinate] = []
            while end < tiles.count, metatile.contains(tiles[end]) {
                if tiling.area.coverage(of: grid.bounds(of: tiles[end])) != .outside, grid.contains(tiles[end]) { wanted.append(tiles[end]) }
                end += 1
            }
            if !wanted.isEmpty { buffer.append((metatile, wanted)) }
            start = end
        }
    }
}
