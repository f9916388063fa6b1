import CairnCache
import CairnCore
import CairnZlib

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

    /// The map's `NAME.pbf.mbtiles` (the file the server answers `.pbf` requests from), or the file
    /// at `path` with the same vector metadata; tiles of older map versions in it are marked stale.
    func vectorSeedStore(for map: LoadedMap, path: String?) throws -> MBTilesStore {
        let plan = vectorTiles.plan(for: map)
        guard let path else { return try vectorTiles.store(for: map, plan: plan) }
        let store: MBTilesStore
        do {
            store = try MBTilesStore(path: path, metadata: VectorTileCache.metadata(map, plan: plan))
        } catch {
            throw EngineError(.cacheFailed, "cannot open the tile cache", detail: "\(path): \(error)")
        }
        try VectorTileCache.reconcile(store, with: map, plan: plan)
        return store
    }

    /// Encodes the tiles of `wanted` not cached under the map's current vector fingerprint, exactly
    /// as the server does (VectorTileBuilder, then gzip), on the niced seeding threads, and commits
    /// them in one transaction. Tiles that fail are recorded for `--retry-failed`.
    func seedVectorTiles(_ wanted: [TileCoordinate], of map: LoadedMap, plan: VectorLayerPlan, store: MBTilesStore) async -> SeedBatchOutcome {
        var outcome = SeedBatchOutcome()
        let fingerprint = VectorTileCache.fingerprint(of: map)
        let existing = (try? store.existingTiles(wanted, matching: fingerprint)) ?? []
        let missing = wanted.filter { !existing.contains($0) }
        outcome.cached = wanted.count - missing.count
        guard !missing.isEmpty else { return outcome }
        let cache = vectorTiles
        let logger = self.logger
        do {
            let encoded = try await seedPool.runIfActive { () -> SeedBatchOutcome in
                RenderPriority.lowerCurrentThread()
                var batch = SeedBatchOutcome()
                var rows: [(TileCoordinate, [UInt8], etag: String)] = []
                var failures: [(TileCoordinate, String)] = []
                rows.reserveCapacity(missing.count)
                for tile in missing {
                    cache.encodeCounter.wrappingAdd(1, ordering: .relaxed)
                    let protobuf = VectorTileBuilder.encode(map, plan: plan, tile: tile)
                    do {
                        let compressed = try Zlib.gzip(protobuf)
                        rows.append((tile, compressed, etag: TileResult.etag(for: compressed, fingerprint: fingerprint)))
                        batch.bytes += compressed.count
                        if protobuf.isEmpty { batch.blank += 1 }
                    } catch {
                        failures.append((tile, String(describing: error)))
                    }
                }
                do {
                    try store.store(rows, fingerprint: fingerprint)
                    batch.rendered = rows.count
                } catch {
                    logger.error("could not cache vector tiles", metadata: ["map": "\(map.name)", "error": "\(error)"])
                    failures += rows.map { ($0.0, "could not cache the tile: \(error)") }
                    batch.bytes = 0
                    batch.blank = 0
                }
                batch.failed = failures.count
                if !failures.isEmpty {
                    logger.error("seeding vector tiles failed", metadata: ["map": "\(map.name)", "tiles": "\(failures.count)", "error": "\(failures[0].1)"])
                    try? store.recordFailures(failures)
                }
                return batch
            }
            outcome.rendered = encoded.rendered
            outcome.blank = encoded.blank
            outcome.failed = encoded.failed
            outcome.bytes = encoded.bytes
        } catch {
            // The pool is shutting down: nothing of this batch was stored.
            outcome.failed = missing.count
        }
        return outcome
    }
}
