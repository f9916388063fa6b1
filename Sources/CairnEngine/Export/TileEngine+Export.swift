import CairnCache
import CairnConfiguration
import CairnCore
import Foundation

extension TileEngine {
    /// Writes the map's tiles of `request` into a PMTiles v3 archive at `path`, for object storage
    /// and CDNs (MapLibre's PMTiles protocol reads it with no server).
    ///
    /// The tiles are those the server serves: first the map's cache is filled exactly as `seed`
    /// fills it (same area semantics, metatile renders, fingerprints, progress reports), then each
    /// tile is read back from the cache, checked as the server checks it, and added to the archive;
    /// a tile missing or stale by then is made again through the same pipeline. Tile bytes are
    /// spooled to disk, never all held in memory (`PMTilesWriter`).
    /// - Throws: `EngineError` `.notFound` (no such map), `.badRequest` (internal map without
    ///   `includeInternal`, zooms outside the map's, a grid other than Web Mercator, the output
    ///   exists), `.cacheFailed` (the output cannot be written), `.renderFailed` (tiles failed).
    public func export(map name: String, _ request: ExportRequest, to path: String,
                       progress: @escaping @Sendable (SeedProgress) -> Void = { _ in }) async throws -> ExportResult {
        let start = ContinuousClock.now
        let seedRequest = SeedRequest(zooms: request.zooms, area: request.area, scale: request.scale, workers: request.workers, format: request.format)
        let map = try await seedMap(named: name, seedRequest)
        try checkExportable(map, request)

        let writer: PMTilesWriter
        do {
            let overwrite = request.overwrite
            writer = try await ioPool.runIfActive { try PMTilesWriter(path: path, overwrite: overwrite) }
        } catch let error as PMTilesError {
            throw Self.engineError(error)
        }

        let seeded = try await seed(map: name, seedRequest, progress: progress)
        if let full = seeded.cacheFull {
            throw EngineError(.cacheFailed, "the cache's disk filled up while rendering the tiles to export; nothing was exported", detail: "\(full)")
        }
        if seeded.failedTiles > 0 {
            throw EngineError(.renderFailed, "\(seeded.failedTiles) tiles could not be rendered; nothing was exported",
                              detail: "run `cairn seed` for the same map and zooms with --retry-failed to see why, then export again")
        }
        if seeded.stoppedEarly { throw EngineError(.overloaded, "the export was interrupted before all tiles were rendered") }

        let producer = seedProducer(for: map, seedRequest)
        let file = seedFile(for: producer, seedRequest)
        let store = try await file.reconciledStore(for: producer)
        let scope = try seedScope(map, seedRequest)
        var work = work(scope, store: store)
        let fingerprint = producer.cacheFingerprint
        let kind = producer.cachedImageKind
        let extent = ExportExtent(maxZoom: scope.zooms?.upperBound ?? 0)
        var remade = 0
        while let (metatile, tiles) = try await work.next() {
            try Task.checkCancellation()
            let missing = try await ioPool.runIfActive { () throws -> [TileCoordinate] in
                var missing: [TileCoordinate] = []
                for tile in tiles {
                    guard let cached = try store.tile(tile, matching: fingerprint), !cached.isStale, cached.problem(expecting: kind) == nil else {
                        missing.append(tile)
                        continue
                    }
                    try writer.add(tile, data: cached.data)
                    extent.include(tile)
                }
                return missing
            }
            guard !missing.isEmpty else { continue }
            let made = try await make(metatile, wanted: missing, storing: Set(missing), of: producer, file: file, store: store, purpose: .seeding)
            try await ioPool.runIfActive {
                for tile in missing {
                    guard let result = made[tile] else {
                        throw EngineError(.renderFailed, "tile \(tile) could not be made; nothing was exported")
                    }
                    try writer.add(tile, data: result.data)
                    extent.include(tile)
                }
            }
            remade += missing.count
        }

        let description = try exportDescription(of: producer, request, bounds: extent.bounds ?? map.geographicBounds)
        let summary: PMTilesWriter.Summary
        do {
            summary = try await ioPool.runIfActive { try writer.finish(description) }
        } catch let error as PMTilesError {
            throw Self.engineError(error)
        }
        return ExportResult(seed: seeded, remadeTiles: remade, archive: summary, elapsedSeconds: (ContinuousClock.now - start).secondsValue)
    }

    /// Internal maps only when asked for; zooms within the map's; Web Mercator tiles only.
    private func checkExportable(_ map: LoadedMap, _ request: ExportRequest) throws {
        if map.configuration.access == .internal && !request.includeInternal {
            throw EngineError(.badRequest, "the map \(map.name) is internal (access: internal); a PMTiles archive has no access control, so anyone "
                              + "who gets the file or its URL could read every tile. Export it only with --include-internal, and publish the file only "
                              + "where its readers are allowed to see the map")
        }
        let low = map.configuration.minZoom, high = min(map.configuration.maxZoom, map.grid.maxZoom)
        guard request.zooms.lowerBound >= low && request.zooms.upperBound <= high else {
            throw EngineError(.badRequest, "--zoom \(request.zooms.lowerBound)-\(request.zooms.upperBound) is outside the map \(map.name)'s zoom levels, \(low)-\(high)")
        }
        guard map.grid.identifier == TileGrid.webMercator.identifier else {
            throw EngineError(.badRequest, "PMTiles archives hold Web Mercator (\(TileGrid.webMercator.identifier)) tiles, and the map \(map.name) is rendered in \(map.grid.identifier)")
        }
    }

    /// Header and metadata of the archive: the tile type, the bounds of the tiles written, the
    /// map's centre (inside those bounds) and the MBTiles metadata the cache has, as JSON.
    private func exportDescription(of producer: TileProducer, _ request: ExportRequest, bounds: BoundingBox) throws -> PMTilesWriter.Description {
        let metadata = producer.metadata
        var json: JSONValue = [
            "name": JSONValue(metadata.name), "attribution": JSONValue(metadata.attribution), "type": JSONValue(metadata.type),
            "version": JSONValue(metadata.version), "format": JSONValue(metadata.format), "generator": "Cairn",
            "cairn:fingerprint": JSONValue(producer.cacheFingerprint),
        ]
        if let description = metadata.description { json[member: "description"] = JSONValue(description) }
        if case .png(let scale) = producer.product, scale != 1 {
            json[member: "tile_size"] = JSONValue(producer.map.grid.tileSize * scale)
        }
        if let text = metadata.extra["json"], let layers = (try? JSONParser.parse(Array(text.utf8)))?["vector_layers"] {
            json[member: "vector_layers"] = layers
        }
        let center = producer.map.center
        let inside = bounds.minX <= center.longitude && center.longitude <= bounds.maxX && bounds.minY <= center.latitude && center.latitude <= bounds.maxY
        return PMTilesWriter.Description(
            tileType: request.format == .pbf ? .mvt : .png,
            // Cairn's vector tiles are gzip as cached and served; PNG is already compressed.
            tileCompression: request.format == .pbf ? .gzip : .none,
            bounds: bounds,
            centerLongitude: inside ? center.longitude : (bounds.minX + bounds.maxX) / 2,
            centerLatitude: inside ? center.latitude : (bounds.minY + bounds.maxY) / 2,
            centerZoom: center.zoom, metadata: Array(json.text.utf8))
    }

    static func engineError(_ error: PMTilesError) -> EngineError {
        switch error.code {
        case .exists: EngineError(.badRequest, "the output file exists; give --force to replace it", detail: error.description)
        case .noSpace: EngineError(.cacheFailed, "the disk holding the output is full", detail: error.description)
        default: EngineError(.cacheFailed, "the PMTiles archive could not be written", detail: error.description)
        }
    }
}

/// The geographic box of the tiles written at the highest zoom (every lower zoom covers it).
private final class ExportExtent: @unchecked Sendable {
    // Guarded by `lock`: updated from IO threads one metatile at a time.
    private let lock = NSLock()
    private let maxZoom: Int
    private var columns: ClosedRange<Int>?
    private var rows: ClosedRange<Int>?

    init(maxZoom: Int) { self.maxZoom = maxZoom }

    func include(_ tile: TileCoordinate) {
        guard tile.z == maxZoom else { return }
        lock.lock(); defer { lock.unlock() }
        columns = columns.map { min($0.lowerBound, tile.x)...max($0.upperBound, tile.x) } ?? tile.x...tile.x
        rows = rows.map { min($0.lowerBound, tile.y)...max($0.upperBound, tile.y) } ?? tile.y...tile.y
    }

    /// West, south, east, north in degrees.
    var bounds: BoundingBox? {
        lock.lock(); defer { lock.unlock() }
        guard let columns, let rows else { return nil }
        let n = Double(1 << maxZoom)
        func longitude(_ x: Int) -> Double { Double(x) / n * 360 - 180 }
        func latitude(_ y: Int) -> Double { atan(sinh(Double.pi * (1 - 2 * Double(y) / n))) * 180 / Double.pi }
        return BoundingBox(minX: longitude(columns.lowerBound), minY: latitude(rows.upperBound + 1),
                           maxX: longitude(columns.upperBound + 1), maxY: latitude(rows.lowerBound))
    }
}
