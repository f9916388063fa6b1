// TEMPORARY: stands in for the multi-grid engine API until it is merged; delete this file then.
import CairnCore
import CairnEngine

extension TileEngine {
    /// The grids a map is offered in, its default (WebMercatorQuad) first. Throws EngineError(.notFound) for unknown maps.
    public func grids(for map: String) async throws -> [TileGrid] {
        _ = try await self.map(named: map)
        return [.webMercator]
    }

    /// A tile in one of the map's grids; tile.x = column, tile.y = row from the top-left.
    public func tile(map: String, grid: String, _ tile: TileCoordinate, scale: Int) async throws -> TileResult {
        guard grid == TileGrid.webMercator.identifier else { throw EngineError(.notFound, "the map is not offered in that tile matrix set") }
        return try await self.tile(map: map, tile, scale: scale)
    }

    /// Every grid the server knows (built-in plus configured), by identifier.
    public var knownGrids: [TileGrid] { TileGrid.builtIn }
}
