import CairnCore
import CairnEngine

/// How one map is offered in one tile matrix set: the levels it serves and, per level,
/// the tiles covering its data (the layer's TileMatrixSetLimits).
struct WMTSGridOffer: Sendable {
    var grid: TileGrid
    /// The levels of `grid` the map serves; nil when none does.
    var levels: ClosedRange<Int>?
    /// The map's data extent in the grid's CRS, when it can be computed without PROJ.
    var dataExtent: BoundingBox?

    init(grid: TileGrid, levels: ClosedRange<Int>?, dataExtent: BoundingBox?) {
        self.grid = grid
        self.levels = levels
        self.dataExtent = dataExtent
    }

    init(grid: TileGrid, map: LoadedMap) {
        self.grid = grid
        self.levels = Self.levels(of: grid, minZoom: map.configuration.minZoom, maxZoom: map.configuration.maxZoom)
        self.dataExtent = Self.extent(of: map.geographicBounds, in: grid)
    }

    /// A map's zoom range is given in Web Mercator zoom levels; other grids serve the levels
    /// whose scale is within half a zoom step of that range (at the equator, as OGC scales are).
    static func levels(of grid: TileGrid, minZoom: Int, maxZoom: Int) -> ClosedRange<Int>? {
        let mercator = TileGrid.webMercator
        if grid.identifier == mercator.identifier {
            let top = min(maxZoom, grid.maxZoom)
            return minZoom <= top ? minZoom...top : nil
        }
        let low = max(0, min(minZoom, mercator.maxZoom)), high = max(0, min(maxZoom, mercator.maxZoom))
        let coarsest = mercator.scaleDenominator(at: low) * 2.squareRoot()
        let finest = mercator.scaleDenominator(at: high) / 2.squareRoot()
        let matching = grid.resolutions.indices.filter { z in
            let scale = grid.scaleDenominator(at: z)
            return scale <= coarsest && scale >= finest
        }
        guard let first = matching.first, let last = matching.last else { return nil }
        return first...last
    }

    static func extent(of bounds: BoundingBox, in grid: TileGrid) -> BoundingBox? {
        guard !bounds.isEmpty else { return nil }
        if grid.crs == .webMercator { return WebMercator.project(bounds) }
        if grid.isGeographic && grid.crs == .wgs84 { return bounds }
        return nil
    }

    /// The tiles of level `z` that hold data; the whole matrix when the extent is unknown
    /// or lies outside the grid.
    func limits(at z: Int) -> TileRange {
        if let dataExtent, let range = grid.tileRange(covering: dataExtent, at: z) { return range }
        let size = grid.matrixSize(at: z)
        return TileRange(z: z, minX: 0, minY: 0, maxX: size.columns - 1, maxY: size.rows - 1)
    }
}
