import CairnCore
import Foundation

extension JobManager {
    /// Checks a seed request against the map and queues it as a "seed" job.
    /// - Throws: `EngineError`: `.notFound` / `.mapUnavailable` for the map, `.badRequest` for a
    ///   scale or zoom range the map does not offer, `.overloaded` when the queue is full.
    public func startSeed(map name: String, request: SeedRequest) async throws -> JobID {
        guard MapConfiguration.isValidName(name) else { throw EngineError(.notFound, "no such map") }
        let map = try await engine.map(named: name)
        let configuration = map.configuration
        guard configuration.scales.contains(request.scale) else {
            throw EngineError(.badRequest, "scale: the map \(name) offers \(configuration.scales.map(String.init).joined(separator: ", ")), not \(request.scale)")
        }
        guard request.zooms.lowerBound >= configuration.minZoom, request.zooms.upperBound <= configuration.maxZoom else {
            throw EngineError(.badRequest, "zooms: the map \(name) has zoom levels \(configuration.minZoom)-\(configuration.maxZoom)")
        }
        let seed = SeedJob(engine: engine, map: name, request: request, plannedTotal: SeedJob.tileCount(of: request, in: map))
        return try start(kind: "seed", map: name, progress: JobProgress(total: seed.plannedTotal), work: seed.run)
    }
}

/// A seeding run as a job: one zoom level at a time, with the cancellation checked between
/// levels. The seeder does not check `Task.isCancelled` between metatiles yet; once it does,
/// cancelling stops within a level too, with no change here.
struct SeedJob: Sendable {
    let engine: TileEngine
    let map: String
    let request: SeedRequest
    /// Tiles the whole request covers, so progress has its real total from the start.
    let plannedTotal: Int

    func run(_ reporter: JobReporter) async throws {
        // A separate MBTiles file gets its zoom range written into its metadata by each seeding
        // call, so it is seeded in one piece.
        let levels: [SeedRequest] = request.mbtilesPath != nil ? [request] : request.zooms.map { z in
            var level = request
            level.zooms = z...z
            return level
        }
        var finished = JobProgress(total: plannedTotal)
        reporter.report(finished)
        for level in levels {
            try Task.checkCancellation()
            let before = finished
            let planned = plannedTotal
            let result = try await engine.seed(map: map, level) { progress in
                reporter.report(before.adding(progress, plannedTotal: planned))
            }
            finished = before.adding(result, plannedTotal: planned)
            reporter.report(finished)
        }
        // The map may have been reloaded with other bounds meanwhile; a finished job counts what it did.
        finished.total = finished.done
        reporter.report(finished)
        if finished.failed > 0 {
            throw JobFailure("\(finished.failed) metatile(s) failed to render; see the server log")
        }
    }

    /// The tiles `request` covers in `map`, counted as the seeder counts them.
    static func tileCount(of request: SeedRequest, in map: LoadedMap) -> Int {
        let area = WebMercator.project(request.bbox ?? map.geographicBounds)
        var count = 0
        for z in request.zooms where z >= 0 && z <= map.grid.maxZoom {
            count += map.grid.tileRange(covering: area, at: z)?.count ?? 0
        }
        return count
    }
}

extension JobProgress {
    /// These counts plus one seeding call's.
    func adding(_ seed: SeedProgress, plannedTotal: Int) -> JobProgress {
        let done = self.done + seed.doneTiles
        return JobProgress(total: max(plannedTotal, done), done: done, rendered: rendered + seed.renderedTiles,
                           cached: cached + seed.cachedTiles, failed: failed + seed.failedMetatiles)
    }
}
