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

    /// How many tiles and metatiles the request covers, zoom by zoom, before any work.
    public func planSeed(map name: String, _ request: SeedRequest) async throws -> SeedPlan {
        let map = try await seedMap(named: name, request)
        let producer = seedProducer(for: map, request)
        let store = try await seedFile(for: producer, request).reconciledStore(for: producer)
        return try await plan(map, request, store: store)
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
        let plan = try await plan(map, request, store: store)
        let result = try await runSeed(plan, request, store: store, progress: progress) { metatile, wanted in
            await self.seed(metatile, wanted: wanted, of: producer, file: file, store: store)
        }
        do {
            try await file.refreshStoredExtent(of: producer)
        } catch {
            logger.error("could not describe the seeded tiles in the file's metadata", metadata: ["file": "\(file.path)", "error": "\(error)"])
        }
        return result
    }

    /// The product a seed makes: PNG at the request's scale, or the map's vector tiles.
    func seedProducer(for map: LoadedMap, _ request: SeedRequest) -> TileProducer {
        switch request.format {
        case .png: TileProducer(png: map, scale: request.scale)
        case .pbf: TileProducer(pbf: map, plan: vectorPlans.plan(for: map))
        }
    }

    /// The map's cache file of the product (the file the server answers from), or the file at the
    /// request's `mbtilesPath`, handled the same way (metadata, stale marks of older versions).
    func seedFile(for producer: TileProducer, _ request: SeedRequest) -> CacheFile {
        if let path = request.mbtilesPath { return cacheFiles.standaloneFile(at: path, of: producer) }
        return cacheFiles.file(for: producer)
    }

    /// The planned batches, `workers` at a time, until done, cancelled or past the time limit.
    private func runSeed(_ plan: SeedPlan, _ request: SeedRequest, store: MBTilesStore,
                         progress: @escaping @Sendable (SeedProgress) -> Void,
                         batch: @escaping @Sendable (Metatile, [TileCoordinate]) async -> SeedBatchOutcome) async throws -> SeedProgress {
        let start = ContinuousClock.now
        let deadline = request.maxDuration.map { start + $0 }
        var state = SeedProgress(totalTiles: plan.totalTiles, totalMetatiles: plan.totalMetatiles)
        progress(state)
        let workers = max(1, request.workers ?? ProcessInfo.processInfo.activeProcessorCount)

        try await withThrowingTaskGroup(of: SeedBatchOutcome.self) { group in
            var iterator = plan.work.makeIterator()
            func addNext() -> Bool {
                if Task.isCancelled { return false }
                if let deadline, ContinuousClock.now >= deadline { state.stoppedEarly = true; return false }
                guard let (metatile, wanted) = iterator.next() else { return false }
                group.addTask { await batch(metatile, wanted) }
                return true
            }
            for _ in 0..<(workers * 2) where !addNext() { break }
            while let outcome = try await group.next() {
                state.cachedTiles += outcome.cached
                state.renderedTiles += outcome.rendered
                state.blankTiles += outcome.blank
                state.failedTiles += outcome.failed
                state.bytes += outcome.bytes
                state.doneTiles += outcome.cached + outcome.rendered + outcome.failed
                state.elapsedSeconds = (ContinuousClock.now - start).secondsValue
                progress(state)
                _ = addNext()
            }
        }
        if Task.isCancelled { state.stoppedEarly = true }
        state.elapsedSeconds = (ContinuousClock.now - start).secondsValue
        // The whole log into the file and the log cut to nothing: a seed leaves no large WAL behind.
        _ = try? await ioPool.runIfActive { store.checkpointAndTruncate() }
        progress(state)
        return state
    }

    /// One batch of a seed: the wanted tiles not cached yet are made and stored; failures are
    /// recorded in the file for `--retry-failed`.
    private func seed(_ metatile: Metatile, wanted: [TileCoordinate], of producer: TileProducer, file: CacheFile, store: MBTilesStore) async -> SeedBatchOutcome {
        var outcome = SeedBatchOutcome()
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
            let reason = (error as? EngineError)?.detail ?? String(describing: error)
            logger.error("seeding failed", metadata: ["map": "\(producer.map.name)", "product": "\(producer.product)", "batch": "\(metatile)", "error": "\(reason)"])
            do {
                try await seedPool.runIfActive { try store.recordFailures(missing.map { ($0, reason) }) }
            } catch {
                logger.error("could not record failed tiles", metadata: ["file": "\(file.path)", "error": "\(error)"])
            }
        }
        return outcome
    }

    func plan(_ map: LoadedMap, _ request: SeedRequest, store: MBTilesStore) async throws -> SeedPlan {
        let zooms = max(request.zooms.lowerBound, map.configuration.minZoom)...min(request.zooms.upperBound, map.configuration.maxZoom, map.grid.maxZoom)
        let area = try resolveArea(request.area, for: map)
        var byZoom: [Int: [TileCoordinate]] = [:]
        if request.staleOnly || request.retryFailed {
            let staleOnly = request.staleOnly, retryFailed = request.retryFailed
            let listed = try await ioPool.runIfActive { () throws -> [TileCoordinate] in
                var listed: [TileCoordinate] = []
                if staleOnly { listed += try store.staleTiles() }
                if retryFailed { listed += try store.failures().map(\.tile) }
                return listed
            }
            for tile in Set(listed) where zooms.contains(tile.z) && area.coverage(of: map.grid.bounds(of: tile)) != .outside {
                byZoom[tile.z, default: []].append(tile)
            }
            for z in byZoom.keys { byZoom[z]?.sort { ($0.y, $0.x) < ($1.y, $1.x) } }
        } else if zooms.lowerBound <= zooms.upperBound {
            byZoom = area.tiles(in: map.grid, zooms: zooms)
        }
        let batchSide = request.format == .pbf ? Self.vectorSeedBatchSide : map.configuration.metatileSize
        var levels: [SeedPlan.Level] = []
        var work: [(Metatile, [TileCoordinate])] = []
        for z in byZoom.keys.sorted() {
            guard let tiles = byZoom[z], !tiles.isEmpty else { continue }
            var order: [TileCoordinate] = []
            var groups: [TileCoordinate: (Metatile, [TileCoordinate])] = [:]
            for tile in tiles {
                let metatile = Metatile(containing: tile, size: batchSide, in: map.grid)
                if groups[metatile.origin] == nil { order.append(metatile.origin); groups[metatile.origin] = (metatile, []) }
                groups[metatile.origin]!.1.append(tile)
            }
            levels.append(SeedPlan.Level(zoom: z, tiles: tiles.count, metatiles: order.count))
            work += order.map { groups[$0]! }
        }
        return SeedPlan(levels: levels, work: work)
    }
}

extension Duration {
    var secondsValue: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
