import CairnConfiguration
import CairnCore
import CairnEngine
import Foundation

extension JobManager {
    /// Checks a seed request against the map, counts its tiles (arithmetic for a box: instant
    /// whatever the area and zooms) and queues it as a "seed" job, listed and cancellable at once;
    /// the job walks its metatiles lazily, so neither the request nor the job holds its tiles.
    /// - Throws: `EngineError`: `.notFound` / `.mapUnavailable` for the map, `.badRequest` for a
    ///   scale or zoom range the map does not offer, an area outside the map's grid or vector
    ///   tiles of a map not in WebMercatorQuad, `.overloaded` when the queue is full;
    ///   `SeedLimitError` above `limits.max_seed_tiles`.
    public func startSeed(map name: String, request: SeedRequest) async throws -> JobID {
        guard MapConfiguration.isValidName(name) else { throw EngineError(.notFound, "no such map") }
        let map = try await engine.map(named: name)
        let configuration = map.configuration
        // Vector tiles have no scale.
        guard request.format == .pbf || configuration.scales.contains(request.scale) else {
            throw EngineError(.badRequest, "scale: the map \(name) offers \(configuration.scales.map(String.init).joined(separator: ", ")), not \(request.scale)")
        }
        guard request.zooms.lowerBound >= configuration.minZoom, request.zooms.upperBound <= configuration.maxZoom else {
            throw EngineError(.badRequest, "zooms: the map \(name) has zoom levels \(configuration.minZoom)-\(configuration.maxZoom)")
        }
        let planned: Int
        do {
            planned = try await engine.planSeed(map: name, request).totalTiles
        } catch let error as EngineError {
            throw error
        } catch {
            // The box could not be placed in the map's grid (a projection that fails there).
            throw EngineError(.badRequest, "bbox: cannot be placed in the grid of the map \(name); give an area inside it", detail: "\(error)")
        }
        guard planned > 0 else {
            throw EngineError(.badRequest, "bbox: covers no tile of the map \(name) at zooms \(request.zooms.lowerBound)-\(request.zooms.upperBound)")
        }
        let limit = engine.configuration.limits.maxSeedTiles
        guard planned <= limit else { throw SeedLimitError(map: name, tiles: planned, limit: limit) }
        let seed = SeedJob(engine: engine, map: name, request: request, plannedTotal: planned)
        return try start(kind: "seed", map: name, progress: JobProgress(total: seed.plannedTotal), work: seed.run)
    }
}

/// A seeding run as a job. The seeder checks for cancellation between metatiles, so a
/// cancelled job stops after the renders in flight, with everything so far committed.
struct SeedJob: Sendable {
    let engine: TileEngine
    let map: String
    let request: SeedRequest
    /// Tiles the whole request covers, so progress has its real total from the start.
    let plannedTotal: Int

    func run(_ reporter: JobReporter) async throws {
        let start = JobProgress(total: plannedTotal)
        reporter.report(start)
        let planned = plannedTotal
        let result = try await engine.seed(map: map, request) { progress in
            reporter.report(start.adding(progress, plannedTotal: planned))
        }
        try Task.checkCancellation()
        var finished = start.adding(result, plannedTotal: planned)
        // The map may have been reloaded with other bounds meanwhile; a finished job counts what it did.
        finished.total = finished.done
        reporter.report(finished)
        // Never `succeeded` when tiles were not stored. The message reaches clients: no path.
        if let full = result.cacheFull {
            let free = full.space.map { FreeSpace.format($0.availableBytes) + " free" } ?? "free space unknown"
            throw JobFailure("stopped: the tile cache's disk is full (\(free)); \(result.renderedTiles) tile(s) stored, \(finished.failed) failed; "
                + "free some space and start the seed again (the server log names the file)")
        }
        if finished.failed > 0 {
            throw JobFailure("\(finished.failed) tile(s) failed to render; see the server log")
        }
    }
}

extension JobProgress {
    /// These counts plus one seeding call's.
    func adding(_ seed: SeedProgress, plannedTotal: Int) -> JobProgress {
        let done = self.done + seed.doneTiles
        return JobProgress(total: max(plannedTotal, done), done: done, rendered: rendered + seed.renderedTiles,
                           cached: cached + seed.cachedTiles, failed: failed + seed.failedTiles)
    }
}
