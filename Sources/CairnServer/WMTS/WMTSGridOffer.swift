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

    /// `map` is the map as loaded in `grid`: its data extent is then known in the grid's CRS.
    init(grid: TileGrid, map: LoadedMap) {
        self.grid = grid
        let top = min(map.configuration.maxZoom, grid.maxZoom)
        // The same levels the engine serves for this grid.
        self.levels = map.configuration.minZoom <= top ? map.configuration.minZoom...top : nil
        self.dataExtent = map.grid.identifier == grid.identifier && !map.dataBounds.isEmpty ? map.dataBounds : nil
    }

    /// The tiles of level `z` that hold data; the whole matrix when the extent is unknown
    /// or lies outside the grid.
    func limits(at z: Int) -> TileRange {
        if let dataExtent, let range = grid.tileRange(covering: dataExtent, at: z) { return range }
        let size = grid.matrixSize(at: z)
        return TileRange(z: z, minX: 0, minY: 0, maxX: size.columns - 1, maxY: size.rows - 1)
    }
}
