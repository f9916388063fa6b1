import CairnCache
import CairnCore
import CairnZlib

extension TileEngine {
    /// A Mapbox Vector Tile of the map in Web Mercator, gzip-compressed (`data`), from the
    /// `NAME.pbf.mbtiles` cache or encoded once however many requests ask for it at the same time.
    /// - Throws: `EngineError` `.notFound` for unknown maps, maps not offered in Web Mercator and
    ///   tiles outside the map's zoom levels or the grid; `.overloaded` when too many encodes queue.
    /// - Parameter admission: not consulted yet: encoding a vector tile is not budgeted as a render.
    public func vectorTile(map name: String, _ tile: TileCoordinate, admission: RenderAdmission = .unlimited) async throws -> TileResult {
        let map = try await self.map(named: name, grid: TileGrid.webMercator.identifier)
        guard tile.z >= map.configuration.minZoom, tile.z <= map.configuration.maxZoom, map.grid.contains(tile) else {
            throw EngineError(.notFound, "tile \(tile) is outside the map's zoom levels or grid")
        }
        let plan = vectorTiles.plan(for: map)
        let store = try vectorTiles.store(for: map, plan: plan)
        let fingerprint = VectorTileCache.fingerprint(of: map)
        if let cached = try? store.tile(tile, matching: fingerprint) {
            if !cached.isStale {
                return TileResult(data: cached.data, etag: cached.etag, cacheHit: true)
            }
            if map.configuration.serveStale {
                Task { _ = try? await self.encodeVectorTile(tile, of: map, plan: plan, store: store) }
                return TileResult(data: cached.data, etag: cached.etag, cacheHit: true)
            }
        }
        return try await encodeVectorTile(tile, of: map, plan: plan, store: store)
    }

    /// The `vector_layers` of the map's vector tiles (TileJSON and MBTiles metadata).
    public func vectorLayerPlan(map name: String) async throws -> VectorLayerPlan {
        let map = try await self.map(named: name, grid: TileGrid.webMercator.identifier)
        return vectorTiles.plan(for: map)
    }

    /// How many vector tiles have been encoded since launch.
    public var vectorEncodeCount: Int { vectorTiles.encodeCounter.load(ordering: .relaxed) }

    func encodeVectorTile(_ tile: TileCoordinate, of map: LoadedMap, plan: VectorLayerPlan, store: MBTilesStore) async throws -> TileResult {
        let fingerprint = VectorTileCache.fingerprint(of: map)
        let key = "\(map.name)/\(fingerprint)/\(tile.z)/\(tile.x)/\(tile.y)"
        let state = vectorTiles
        let logger = self.logger
        return try await state.inflight.value(for: key) {
            if state.queued.wrappingAdd(1, ordering: .relaxed).newValue > self.maxQueuedRenders {
                state.queued.wrappingSubtract(1, ordering: .relaxed)
                throw EngineError(.overloaded, "too many tiles are being encoded; try again shortly")
            }
            defer { state.queued.wrappingSubtract(1, ordering: .relaxed) }
            state.encodeCounter.wrappingAdd(1, ordering: .relaxed)
            return try await self.threadPool.runIfActive {
                let compressed: [UInt8]
                do {
                    compressed = try Zlib.gzip(VectorTileBuilder.encode(map, plan: plan, tile: tile))
                } catch {
                    logger.error("vector tile failed", metadata: ["map": "\(map.name)", "tile": "\(tile)", "error": "\(error)"])
                    throw EngineError(.renderFailed, "the tile could not be encoded", detail: String(describing: error))
                }
                let etag = TileResult.etag(for: compressed, fingerprint: fingerprint)
                do {
                    try store.store([(tile, compressed, etag: etag)], fingerprint: fingerprint)
                } catch {
                    // A cache that cannot be written must not stop tiles from being served.
                    logger.error("could not cache vector tile", metadata: ["map": "\(map.name)", "tile": "\(tile)", "error": "\(error)"])
                }
                return TileResult(data: compressed, etag: etag, cacheHit: false)
            }
        }
    }
}
