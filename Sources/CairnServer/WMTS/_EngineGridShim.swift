import CairnCore
import CairnEngine

// TEMPORARY stand-in for the multi-grid engine API, built on the single-grid engine so
// WMTS compiles and is tested now. Delete this file when the multi-grid engine is merged.
extension TileEngine {
    /// The grids a map is offered in, its default (WebMercatorQuad) first. Throws EngineError(.notFound) for unknown maps.
    public func grids(for map: String) async throws -> [TileGrid] {
        _ = try await self.map(named: map)
        return [.webMercator]
    }

    /// A tile in one of the map's grids; tile.x = column, tile.y = row counted from the top-left.
    public func tile(map: String, grid: String, _ tile: TileCoordinate, scale: Int) async throws -> TileResult {
        guard grid == TileGrid.webMercator.identifier else { throw EngineError(.notFound, "the map is not offered in that grid") }
        return try await self.tile(map: map, tile, scale: scale)
    }
}
