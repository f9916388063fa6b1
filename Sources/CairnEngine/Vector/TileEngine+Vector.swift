import CairnCore

extension TileEngine {
    /// A Mapbox Vector Tile of the map in Web Mercator, gzip-compressed (`data`), from the
    /// `NAME.pbf.mbtiles` cache or encoded once however many requests ask for it at the same time.
    /// `admission` is asked before an encode this request would start, as for PNG tiles.
    /// - Throws: `EngineError` `.notFound` for unknown maps, maps not offered in Web Mercator and
    ///   tiles outside the map's zoom levels or the grid; `.overloaded` when too many renders
    ///   queue or the encode is over budget; whatever `admission` throws.
    public func vectorTile(map name: String, _ tile: TileCoordinate, admission: RenderAdmission) async throws -> TileResult {
        let map = try await self.map(named: name, grid: TileGrid.webMercator.identifier)
        guard tile.z >= map.configuration.minZoom, tile.z <= map.configuration.maxZoom, map.grid.contains(tile) else {
            throw EngineError(.notFound, "tile \(tile) is outside the map's zoom levels or grid")
        }
        return try await serve(tile, of: TileProducer(pbf: map, plan: vectorPlans.plan(for: map)), admission: admission)
    }

    /// The `vector_layers` of the map's vector tiles (TileJSON and MBTiles metadata).
    public func vectorLayerPlan(map name: String) async throws -> VectorLayerPlan {
        let map = try await self.map(named: name, grid: TileGrid.webMercator.identifier)
        return vectorPlans.plan(for: map)
    }

    /// How many vector tiles have been encoded since launch.
    public var vectorEncodeCount: Int { metrics.pbf.renderCount }
}
