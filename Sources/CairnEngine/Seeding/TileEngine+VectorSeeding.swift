import CairnCore

extension TileEngine {
    /// Vector tiles per side of a seeding batch: each batch's tiles are committed in one
    /// transaction (16 tiles), so a killed run loses at most the batches in flight.
    static var vectorSeedBatchSide: Int { 4 }

    /// The map in the grid the request's tiles are made in: its default grid for PNG, Web
    /// Mercator for vector tiles.
    /// - Throws: `EngineError(.badRequest)` for vector tiles of a map not offered in WebMercatorQuad.
    func seedMap(named name: String, _ request: SeedRequest) async throws -> LoadedMap {
        guard request.format == .pbf else { return try await map(named: name) }
        let webMercator = TileGrid.webMercator.identifier
        guard try await grids(for: name).contains(where: { $0.identifier == webMercator }) else {
            throw EngineError(.badRequest, "vector tiles (pbf) are only made in \(webMercator), and the map \(name) is not offered in it; add \(webMercator) to its grids")
        }
        return try await map(named: name, grid: webMercator)
    }
}
