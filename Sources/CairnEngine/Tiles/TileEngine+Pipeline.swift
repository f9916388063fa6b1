import CairnCache
import CairnCore
import Logging
import NIOPosix

/// The one cached-tile pipeline, for every product: (access was decided by the server) cache
/// lookup → coalesced render or encode → store → answer, with one in-flight table, one queue
/// cap and one set of counters (by format).
extension TileEngine {
    /// Why tiles are made: who pays, which threads make them and whether the queue cap applies.
    enum MakePurpose: Sendable {
        /// A client's request: pays `admission` when it starts the work; limited by the queue cap.
        case request(RenderAdmission)
        /// A serve-stale refresh: paid by no client (a client's budget must not be spent, or
        /// silently refuse it), but still limited by the queue cap.
        case refresh
        /// Seeding: on the niced seeding threads, its concurrency bounded by its workers.
        case seeding
    }

    /// A tile of `producer`'s product: from the cache when current (and intact), else made (or
    /// joined). A cache file that cannot be used does not fail the request: the tile is made and
    /// not stored (see `CacheFile.servingStore`).
    func serve(_ tile: TileCoordinate, of producer: TileProducer, admission: RenderAdmission) async throws -> TileResult {
        let counters = metrics.tiles(producer.format)
        let file = cacheFiles.file(for: producer)
        let store = await file.servingStore(for: producer)
        let writable = store?.isReadOnly == false ? store : nil
        // Memory before the file (whose checks ran above); the stamp is taken before the file is
        // read, so a tile read before an expiry is not kept.
        let (memoryKey, stamp) = (memoryCacheKey(tile, of: producer), memory.stamp(file))
        file.noteServed(producer.cacheFingerprint)
        if let remembered = memory.tile(memoryKey, fingerprint: producer.cacheFingerprint) {
            counters.hits.wrappingAdd(1, ordering: .relaxed)
            return remembered.tile.result
        }
        if let store, let cached = await file.read(tile, from: store, matching: producer.cacheFingerprint,
                                                   kind: producer.cachedImageKind, counters: counters) {
            if !cached.isStale {
                counters.hits.wrappingAdd(1, ordering: .relaxed)
                let result = TileResult(data: cached.data, etag: cached.etag, cacheHit: true)
                remember(result, at: memoryKey, of: producer, file: file, stamp: stamp)
                return result
            }
            if producer.map.configuration.serveStale {
                // Answer now with the expired tile and refresh it for the next request (a
                // read-only file keeps it: a refresh could not be stored).
                counters.hits.wrappingAdd(1, ordering: .relaxed)
                if let writable { refreshInBackground(tile, of: producer, file: file, store: writable) }
                return TileResult(data: cached.data, etag: cached.etag, cacheHit: true)
            }
        }
        counters.misses.wrappingAdd(1, ordering: .relaxed)
        let batch = producer.batch(containing: tile)
        guard case .png = producer.product else {
            let made = try await make(batch, wanted: batch.tiles, of: producer, file: file, store: writable, purpose: .request(admission))
            let result = try requested(tile, of: made, batch: batch, producer: producer)
            rememberMade(result, at: memoryKey, of: producer, file: file, store: writable, stamp: stamp)
            return result
        }
        // A PNG tile is answered as soon as its own pixels are encoded; the rest of its metatile is
        // drawn and stored behind the answer, by work that outlives the request (a client that goes
        // away must not stop the others' tiles from being stored). A request that joins a batch in
        // flight, or finds it stored meanwhile, is answered when the batch is done; every failure
        // before the early answer reaches the client.
        let handoff = TileHandoff(tile)
        finishingBehindAnswers.wrappingAdd(1, ordering: .relaxed)
        Task {
            defer { self.finishingBehindAnswers.wrappingSubtract(1, ordering: .releasing) }
            do {
                let made = try await self.make(batch, wanted: batch.tiles, of: producer, file: file, store: writable,
                                               purpose: .request(admission), handoff: handoff)
                let result = try self.requested(tile, of: made, batch: batch, producer: producer)
                // The early answer is not remembered: memory holds only what the file holds, and
                // the file is written after it. The stored tile is.
                self.rememberMade(result, at: memoryKey, of: producer, file: file, store: writable, stamp: stamp)
                handoff.resolve(.success(result))
            } catch {
                handoff.resolve(.failure(error))
            }
        }
        return try await handoff.value()
    }

    /// `tile` of the tiles made for `batch`.
    private func requested(_ tile: TileCoordinate, of made: [TileCoordinate: TileResult], batch: Metatile, producer: TileProducer) throws -> TileResult {
        guard let result = made[tile] else {
            throw EngineError(.renderFailed, "the tile could not be rendered", detail: "\(producer.map.name) \(producer.product) \(tile) missing from its batch \(batch)")
        }
        return result
    }

    /// Keeps a tile just made in memory when the file holds it too: expiries reach memory through
    /// the file. The map was checked when the request began; a render can outlast the hot path's
    /// trust window, so it is renewed.
    private func rememberMade(_ result: TileResult, at key: MemoryTileCache.Key, of producer: TileProducer, file: CacheFile,
                              store writable: MBTilesStore?, stamp: MemoryTileCache.Stamp) {
        guard writable != nil, result.stored else { return }
        file.noteServed(producer.cacheFingerprint)
        remember(result, at: key, of: producer, file: file, stamp: stamp)
    }

    /// Makes (or waits for the making of) `wanted` of `batch` and caches them (all, or only
    /// `storing`) in `store` (nil: the file is render-through or read-only, nothing is stored).
    /// PNG renders the whole metatile whatever `wanted` says. `handoff`: a tile someone waits for,
    /// given to it as soon as it is made when this call starts the work (not when it joins).
    func make(_ batch: Metatile, wanted: [TileCoordinate], storing: Set<TileCoordinate>? = nil, of producer: TileProducer,
              file: CacheFile, store: MBTilesStore?, purpose: MakePurpose, handoff: TileHandoff? = nil) async throws -> [TileCoordinate: TileResult] {
        let map = producer.map
        var key = "\(producer.product)/\(map.name)/\(map.grid.identifier)/\(producer.cacheFingerprint)/\(batch)/\(file.path)"
        // Vector tiles make only what is wanted, so a partial batch is other work than the whole one.
        if producer.product == .pbf, wanted.count != batch.columns * batch.rows { key += "/" + wanted.map(\.description).joined(separator: ",") }
        let admission: RenderAdmission
        let pool: NIOThreadPool
        let queued: Bool
        switch purpose {
        case .request(let paying):
            admission = paying
            pool = threadPool
            queued = true
        case .refresh:
            admission = .unlimited
            pool = threadPool
            queued = true
        case .seeding:
            admission = .unlimited
            pool = seedPool
            queued = false
        }
        let seeding = !queued
        let counters = metrics.tiles(producer.format)
        let budget = configuration.limits.renderBudget()
        let logger = self.logger
        let limit = maxQueuedRenders
        return try await inflight.value(for: key, admission: admission) {
            // A render of this batch may have stored it and left the in-flight table between the
            // caller's cache miss and its arrival here: then the batch is not rendered twice.
            if case .request = purpose, let store, let stored = await self.storedMeanwhile(wanted, of: producer, store: store) {
                return stored
            }
            if queued {
                let depth = self.queuedRenders.wrappingAdd(1, ordering: .relaxed).newValue
                if depth > limit {
                    self.queuedRenders.wrappingSubtract(1, ordering: .relaxed)
                    counters.queueFull.wrappingAdd(1, ordering: .relaxed)
                    throw EngineError(.overloaded, "too many tiles are being rendered; try again shortly",
                                      detail: "render queue full: \(depth - 1) queued or running, limit \(limit)")
                }
            }
            defer { if queued { self.queuedRenders.wrappingSubtract(1, ordering: .relaxed) } }
            // Taken before any data is read: an expiry after this point may concern what the render reads.
            let epoch = file.expiryEpoch
            // PostGIS layers are queried first, asynchronously: the render threads never wait on a database.
            let postgis = try await self.fetchPostGIS(for: producer, batch: batch, wanted: wanted, budget: budget)
            counters.renders.wrappingAdd(producer.renderCount(wanted: wanted), ordering: .relaxed)
            let work: @Sendable () throws -> [TileCoordinate: TileResult] = {
                if seeding { RenderPriority.lowerCurrentThread() }
                let made: [TileCoordinate: [UInt8]]
                do {
                    made = try producer.make(batch, wanted: wanted, budget: budget, postgis: postgis, first: handoff?.tile) { data in
                        let etag = TileResult.etag(for: data, fingerprint: producer.cacheFingerprint)
                        handoff?.resolve(.success(TileResult(data: data, etag: etag, cacheHit: false)))
                    }
                } catch let error as RenderBudgetExceeded {
                    counters.budgetExceeded.wrappingAdd(1, ordering: .relaxed)
                    logger.warning("render over budget; nothing cached", metadata: [
                        "map": "\(map.name)", "product": "\(producer.product)", "batch": "\(batch)", "reason": "\(error.reason)",
                    ])
                    throw EngineError(.overloaded, "the tile is too complex to render within the server's budget; try again later",
                                      detail: "\(map.name) \(producer.product) \(batch): \(error.reason)")
                } catch {
                    counters.failures.wrappingAdd(1, ordering: .relaxed)
                    logger.error("render failed", metadata: [
                        "map": "\(map.name)", "product": "\(producer.product)", "batch": "\(batch)", "error": "\(error)",
                    ])
                    throw EngineError(.renderFailed, "the tile could not be rendered",
                                      detail: "\(map.name) \(producer.product) \(batch): \(error)")
                }
                var results: [TileCoordinate: TileResult] = [:]
                var rows: [(TileCoordinate, [UInt8], etag: String)] = []
                for (coordinate, data) in made {
                    let etag = TileResult.etag(for: data, fingerprint: producer.cacheFingerprint)
                    results[coordinate] = TileResult(data: data, etag: etag, cacheHit: false)
                    if storing?.contains(coordinate) ?? true { rows.append((coordinate, data, etag: etag)) }
                }
                guard let store else { return results }
                do {
                    try file.write(rows, fingerprint: producer.cacheFingerprint, to: store, of: producer, renderedAt: epoch)
                    for row in rows { results[row.0]?.stored = true }
                } catch {
                    // A cache that cannot be written must not stop tiles from being served; a seed
                    // that cannot store has made nothing. The file logged it (once per interval)
                    // and, when it cannot be written at all, turned render-through.
                    if seeding { throw error }
                }
                return results
            }
            do {
                return try await pool.runIfActive(work)
            } catch let error as EngineError {
                throw error
            } catch let error as CacheWriteError {
                throw error
            } catch {
                throw EngineError(.overloaded, "the server is shutting down; try again shortly", detail: "render pool: \(error)")
            }
        }
    }

    /// `wanted`, when every one of them is now current and intact in the cache; nil at the first
    /// that is not, so a true miss pays one extra tile read. Quiet: a damaged or unreadable tile is
    /// the caller's cache read's to count and drop, and here only means "render".
    private func storedMeanwhile(_ wanted: [TileCoordinate], of producer: TileProducer, store: MBTilesStore) async -> [TileCoordinate: TileResult]? {
        let (fingerprint, kind) = (producer.cacheFingerprint, producer.cachedImageKind)
        return try? await ioPool.runIfActive { () throws -> [TileCoordinate: TileResult]? in
            var results: [TileCoordinate: TileResult] = [:]
            for tile in wanted {
                guard let cached = try store.tile(tile, matching: fingerprint), !cached.isStale,
                      cached.problem(expecting: kind) == nil else { return nil }
                results[tile] = TileResult(data: cached.data, etag: cached.etag, cacheHit: true)
            }
            return results.isEmpty ? nil : results
        }
    }

    /// Refreshes a stale tile's batch behind the answer that served it. Not paid from the
    /// client's budget; when it cannot run (queue full, failure, shutdown) it is counted and
    /// logged, and the stale tile stays for the next request to try again.
    private func refreshInBackground(_ tile: TileCoordinate, of producer: TileProducer, file: CacheFile, store: MBTilesStore) {
        let counters = metrics.tiles(producer.format)
        let logger = self.logger
        Task {
            let batch = producer.batch(containing: tile)
            do {
                _ = try await self.make(batch, wanted: batch.tiles, of: producer, file: file, store: store, purpose: .refresh)
            } catch {
                counters.refreshesDropped.wrappingAdd(1, ordering: .relaxed)
                let detail = (error as? EngineError)?.detail ?? "\(error)"
                logger.warning("serve-stale refresh did not run; the stale tile is served until one does", metadata: [
                    "map": "\(producer.map.name)", "product": "\(producer.product)", "tile": "\(tile)", "error": "\(detail)",
                ])
            }
        }
    }
}
