import CairnCache
import CairnCore
import CairnProjection
import CairnSources
import Foundation

extension TileEngine {
    /// The area in the map's grid CRS; nil means the map's data extent.
    public func resolveArea(_ specification: AreaSpecification?, for map: LoadedMap) throws -> AreaOfInterest {
        switch specification {
        case nil:
            return AreaOfInterest(box: try transformBoundingBox(map.geographicBounds, from: .wgs84, to: map.grid.crs))
        case .box(let box, let crs)?:
            return AreaOfInterest(box: try transformBoundingBox(box, from: crs, to: map.grid.crs))
        case .polygons(let path, let layer)?:
            let data = try SourceOpener.reader(for: path).read(LayerQuery(layer: layer, attributes: []))
            guard let crs = data.crs else {
                throw SourceError(.malformed, path: path, "the area layer declares no CRS")
            }
            let projected = try ProjectedLayer(name: data.name, features: data.features, from: crs, to: map.grid.crs)
            var polygons: [[[Point]]] = []
            for feature in projected.features {
                if case .polygons(let p) = feature.geometry { polygons.append(contentsOf: p) }
            }
            guard !polygons.isEmpty else {
                throw SourceError(.unsupportedGeometry, path: path, "layer \(data.name) has no polygons to use as an area")
            }
            return AreaOfInterest(polygons: polygons)
        }
    }

    /// How many tiles and metatiles the request covers, zoom by zoom, before any work: counted,
    /// not listed (see `AreaTiling`), so any area and zoom range costs constant memory. Creates
    /// and writes nothing (`cairn seed --dry-run`): only `staleOnly` / `retryFailed` read the
    /// cache file (a page at a time), when there is one (none means nothing stale and nothing failed).
    public func planSeed(map name: String, _ request: SeedRequest) async throws -> SeedPlan {
        let map = try await seedMap(named: name, request)
        let scope = try seedScope(map, request)
        guard scope.listing != nil else { return try await count(scope, store: nil) }
        let producer = seedProducer(for: map, request)
        let file = seedFile(for: producer, request)
        let path = file.path
        guard try await ioPool.runIfActive({ FileManager.default.fileExists(atPath: path) }) else { return SeedPlan(levels: []) }
        let store = try await file.reconciledStore(for: producer)
        return try await count(scope, store: store)
    }

    /// Renders every metatile with tiles touching the request's area, skipping tiles already cached
    /// under the current fingerprint, one render per core, at a lower priority than interactive
    /// requests. Each metatile's tiles are committed in one transaction, so a run killed at any
    /// moment loses at most the metatiles in flight and the next run continues from there.
    /// With `format: .pbf` it encodes the map's vector tiles instead (Web Mercator only), tile by
    /// tile, committing them in batches of up to `vectorSeedBatchSide`² tiles. Both go through the
    /// serving pipeline's make-and-store step, so seeded tiles are exactly the served ones. At the
    /// end the file's `minzoom`, `maxzoom` and `bounds` describe what it holds.
    /// - Throws: `EngineError(.badRequest)` for vector tiles of a map not offered in WebMercatorQuad.
    public func seed(map name: String, _ request: SeedRequest, progress: @escaping @Sendable (SeedProgress) -> Void = { _ in }) async throws -> SeedProgress {
        let map = try await seedMap(named: name, request)
        let producer = seedProducer(for: map, request)
        let file = seedFile(for: producer, request)
        let store = try await file.reconciledStore(for: producer)
        let scope = try seedScope(map, request)
        let plan = try await count(scope, store: store)
        let claims = await SeedClaims.open(store, renderTimeout: configuration.limits.renderBudget().timeout ?? .seconds(60), pool: ioPool, logger: logger)
        let halt = SeedHalt()
        let pending = PendingFailures()
        let reserve = try? await seedPool.runIfActive { SeedReserve(beside: file.path) }
        var result: SeedProgress
        do {
            result = try await runSeed(plan, work(scope, store: store), request, store: store, halt: halt, progress: progress) { metatile, wanted, wait in
                await claims.withClaim(metatile, wait: wait) {
                    await self.seed(metatile, wanted: wanted, of: producer, file: file, store: store, halt: halt, pending: pending)
                }
            }
        } catch {
            if let reserve { _ = try? await seedPool.runIfActive { reserve.release() } }
            throw error
        }
        if let full = halt.reason {
            result.stoppedEarly = true
            result.cacheFull = full
        }
        let (unrecorded, dropped) = pending.take()
        result.unrecordedFailures = dropped
        if !unrecorded.isEmpty {
            // On a full disk the failures could not be recorded as they happened: the reserve's
            // space makes room for them now.
            if halt.isHalted, let reserve { _ = try? await seedPool.runIfActive { reserve.release() } }
            do {
                try await seedPool.runIfActive { try store.recordFailures(unrecorded) }
            } catch {
                result.unrecordedFailures += unrecorded.count
            }
        }
        if result.unrecordedFailures > 0 {
            logger.error("could not record failed tiles for --retry-failed; a plain rerun renders them", metadata: [
                "file": "\(file.path)", "tiles": "\(result.unrecordedFailures)",
            ])
        }
        progress(result)
        // On a full disk this would fail too; the next run describes the file.
        if !halt.isHalted {
            do {
                try await file.refreshStoredExtent(of: producer)
            } catch {
                logger.error("could not describe the seeded tiles in the file's metadata", metadata: ["file": "\(file.path)", "error": "\(error)"])
            }
        }
        if let reserve { _ = try? await seedPool.runIfActive { reserve.release() } }
        return result
    }

    /// The product a seed makes: PNG or WebP at the request's scale, or the map's vector tiles.
    func seedProducer(for map: LoadedMap, _ request: SeedRequest) -> TileProducer {
        switch request.format {
        case .png: TileProducer(png: map, scale: request.scale)
        case .webp: TileProducer(webp: map, scale: request.scale)
        case .pbf: TileProducer(pbf: map, plan: vectorPlans.plan(for: map))
        }
    }

    /// The map's cache file of the product (the file the server answers from), or the file at the
    /// request's `mbtilesPath`, handled the same way (metadata, stale marks of older versions).
    func seedFile(for producer: TileProducer, _ request: SeedRequest) -> CacheFile {
        if let path = request.mbtilesPath { return cacheFiles.standaloneFile(at: path, of: producer) }
        return cacheFiles.file(for: producer)
    }

    /// The batches `work` produces, `workers` at a time, until done, cancelled, past the time
    /// limit or halted by a full disk. A batch another seeder holds (`batch` answers nil) is put
    /// aside and taken up again once the rest is done, or once too many wait, then waiting for
    /// that seeder: each metatile is made once, and this run still ends only when all of its
    /// tiles are in the cache.
    private func runSeed(_ plan: SeedPlan, _ work: SeedWork, _ request: SeedRequest, store: MBTilesStore, halt: SeedHalt,
                         progress: @escaping @Sendable (SeedProgress) -> Void,
                         batch: @escaping @Sendable (Metatile, [TileCoordinate], _ wait: Bool) async -> SeedBatchOutcome?) async throws -> SeedProgress {
        let start = ContinuousClock.now
        let deadline = request.maxDuration.map { start + $0 }
        var state = SeedProgress(totalTiles: plan.totalTiles, totalMetatiles: plan.totalMetatiles)
        progress(state)
        let workers = max(1, request.workers ?? ProcessInfo.processInfo.activeProcessorCount)
        typealias Item = (Metatile, [TileCoordinate])

        try await withThrowingTaskGroup(of: (Item, SeedBatchOutcome?).self) { group in
            var work = work
            var setAside: [Item] = []
            var setAsideStart = 0
            func addNext() async throws -> Bool {
                if Task.isCancelled { return false }
                if halt.isHalted { state.stoppedEarly = true; return false }
                if let deadline, ContinuousClock.now >= deadline { state.stoppedEarly = true; return false }
                var item: Item?
                var wait = true
                if setAside.count - setAsideStart < Self.maxSetAsideBatches, let next = try await work.next() {
                    item = next
                    wait = false
                } else if setAsideStart < setAside.count {
                    item = setAside[setAsideStart]
                    setAsideStart += 1
                    if setAsideStart > 256, setAsideStart * 2 > setAside.count {
                        setAside.removeFirst(setAsideStart)
                        setAsideStart = 0
                    }
                }
                guard let item else { return false }
                let waiting = wait
                group.addTask { (item, await batch(item.0, item.1, waiting)) }
                return true
            }
            for _ in 0..<(workers * 2) {
                if !(try await addNext()) { break }
            }
            while let (item, outcome) = try await group.next() {
                if let outcome {
                    state.cachedTiles += outcome.cached
                    state.renderedTiles += outcome.rendered
                    state.blankTiles += outcome.blank
                    state.failedTiles += outcome.failed
                    state.bytes += outcome.bytes
                    state.doneTiles += outcome.cached + outcome.rendered + outcome.failed
                    state.elapsedSeconds = (ContinuousClock.now - start).secondsValue
                    progress(state)
                } else {
                    setAside.append(item)
                }
                // A batch set aside frees its slot without work done: refill until one runs.
                _ = try await addNext()
            }
        }
        if Task.isCancelled { state.stoppedEarly = true }
        state.elapsedSeconds = (ContinuousClock.now - start).secondsValue
        // The whole log into the file and the log cut to nothing: a seed leaves no large WAL behind.
        _ = try? await ioPool.runIfActive { store.checkpointAndTruncate() }
        progress(state)
        return state
    }

    /// Batches another seeder holds, kept aside before this seed waits for the oldest of them.
    static var maxSetAsideBatches: Int { 1024 }

    /// One batch of a seed: the wanted tiles not cached yet are made and stored; failures are
    /// recorded in the file for `--retry-failed`.
    private func seed(_ metatile: Metatile, wanted: [TileCoordinate], of producer: TileProducer, file: CacheFile, store: MBTilesStore,
                      halt: SeedHalt, pending: PendingFailures) async -> SeedBatchOutcome {
        var outcome = SeedBatchOutcome()
        // Queued before the disk filled: not started, so neither done nor failed.
        if halt.isHalted { return outcome }
        let fingerprint = producer.cacheFingerprint
        let existing: Set<TileCoordinate>
        do {
            existing = try await seedPool.runIfActive { try store.existingTiles(wanted, matching: fingerprint) }
        } catch {
            // Not knowing what is cached costs renders, not correctness.
            logger.warning("could not list cached tiles; rendering them again", metadata: ["file": "\(file.path)", "error": "\(error)"])
            existing = []
        }
        let missing = wanted.filter { !existing.contains($0) }
        outcome.cached = wanted.count - missing.count
        guard !missing.isEmpty else { return outcome }
        do {
            let results = try await make(metatile, wanted: missing, storing: Set(missing), of: producer, file: file, store: store, purpose: .seeding)
            for tile in missing {
                guard let result = results[tile] else { continue }
                outcome.rendered += 1
                outcome.bytes += result.data.count
                if producer.isBlank(result.data) { outcome.blank += 1 }
            }
        } catch {
            outcome.failed = missing.count
            let reason: String
            if let failure = error as? CacheWriteError {
                // Already logged by the file, once per interval.
                reason = failure.code == .noSpace ? "the disk was full" : "could not be stored: \(failure.message)"
                if failure.code == .noSpace { halt.halt(failure) }
            } else {
                reason = (error as? EngineError)?.detail ?? String(describing: error)
                logger.error("seeding failed", metadata: ["map": "\(producer.map.name)", "product": "\(producer.product)", "batch": "\(metatile)", "error": "\(reason)"])
            }
            let failures = missing.map { ($0, reason) }
            // Once the disk is full they are recorded at the end of the run, with the reserve's space.
            if halt.isHalted {
                pending.append(failures)
            } else {
                do {
                    try await seedPool.runIfActive { try store.recordFailures(failures) }
                } catch {
                    let path = file.path
                    let failure = (try? await seedPool.runIfActive { CacheWriteError(error, path: path) }) ?? CacheWriteError(error, path: path)
                    file.writeFailures.record(failure, "could not record failed tiles", metadata: ["map": "\(producer.map.name)"], logger: logger)
                    pending.append(failures)
                }
            }
        }
        return outcome
    }

    /// The request's zooms within the map's, its area in the grid and its batch size.
    func seedScope(_ map: LoadedMap, _ request: SeedRequest) throws -> SeedScope {
        let low = max(request.zooms.lowerBound, map.configuration.minZoom, 0)
        let high = min(request.zooms.upperBound, map.configuration.maxZoom, map.grid.maxZoom)
        let batchSide = request.format == .pbf ? Self.vectorSeedBatchSide : map.configuration.metatileSize
        var listing: TileListing = []
        if request.staleOnly { listing.insert(.stale) }
        if request.retryFailed { listing.insert(.failed) }
        return SeedScope(tiling: AreaTiling(area: try resolveArea(request.area, for: map), grid: map.grid, metatileSize: batchSide),
                         zooms: low <= high ? low...high : nil, listing: listing.isEmpty ? nil : listing, shard: request.shard)
    }

    /// Tiles and metatiles per zoom. A box is counted at once; a polygon on the seeding threads,
    /// stopping when the task is cancelled; listed tiles by reading the list through once.
    func count(_ scope: SeedScope, store: MBTilesStore?) async throws -> SeedPlan {
        guard let zooms = scope.zooms else { return SeedPlan(levels: []) }
        if let shard = scope.shard, scope.listing == nil {
            // A shard's share is known only by asking the ring metatile by metatile.
            let tiling = scope.tiling
            let stop = StopFlag()
            let levels = try await withTaskCancellationHandler {
                try await seedPool.runIfActive {
                    var work = SeedWork(area: tiling.walk(zooms), shard: shard)
                    var levels: [SeedPlan.Level] = []
                    while !stop.isStopped, let (metatile, tiles) = work.nextFromArea() {
                        if levels.last?.zoom != metatile.z { levels.append(SeedPlan.Level(zoom: metatile.z, tiles: 0, metatiles: 0)) }
                        levels[levels.count - 1].tiles += tiles.count
                        levels[levels.count - 1].metatiles += 1
                    }
                    return levels
                }
            } onCancel: {
                stop.stop()
            }
            try Task.checkCancellation()
            return SeedPlan(levels: levels)
        }
        if let listing = scope.listing, let store {
            var work = SeedWork(listed: ListedTiles(store: store, listing: listing, tiling: scope.tiling, zooms: zooms, pool: ioPool), shard: scope.shard)
            var levels: [SeedPlan.Level] = []
            while let (metatile, tiles) = try await work.next() {
                try Task.checkCancellation()
                if levels.last?.zoom != metatile.z { levels.append(SeedPlan.Level(zoom: metatile.z, tiles: 0, metatiles: 0)) }
                levels[levels.count - 1].tiles += tiles.count
                levels[levels.count - 1].metatiles += 1
            }
            return SeedPlan(levels: levels)
        }
        let tiling = scope.tiling
        if tiling.area.isBox { return SeedPlan(levels: tiling.levels(zooms)) }
        let stop = StopFlag()
        let levels = try await withTaskCancellationHandler {
            try await seedPool.runIfActive { tiling.levels(zooms, shouldStop: { stop.isStopped }) }
        } onCancel: {
            stop.stop()
        }
        try Task.checkCancellation()
        return SeedPlan(levels: levels)
    }

    /// A fresh walk over the scope's metatiles.
    func work(_ scope: SeedScope, store: MBTilesStore) -> SeedWork {
        guard let zooms = scope.zooms else { return SeedWork() }
        if let listing = scope.listing {
            return SeedWork(listed: ListedTiles(store: store, listing: listing, tiling: scope.tiling, zooms: zooms, pool: ioPool), shard: scope.shard)
        }
        return SeedWork(area: scope.tiling.walk(zooms), shard: scope.shard)
    }
}

extension Duration {
    var secondsValue: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
