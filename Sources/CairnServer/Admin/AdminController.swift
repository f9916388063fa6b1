import CairnJobs
import CairnConfiguration
import CairnEngine
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The admin routes: seed jobs, their status and cancellation, health, map reload, cache purge
/// and metrics. Reached only
/// through the admin listener, behind `AdminAuthMiddleware`.
struct AdminController<Context: RequestContext>: Sendable {
    let engine: TileEngine
    let jobs: JobManager
    let maxBodyBytes: Int
    /// With `configurationFile`: reload also re-reads the maps' access classes and embed origins.
    var access: AccessControl? = nil
    var configurationFile: String? = nil

    func register(in router: Router<Context>) {
        router.post("/admin/seed") { request, _ in try await startSeed(request) }
        router.get("/admin/jobs") { _, _ in try await list() }
        router.get("/admin/jobs/:id") { _, context in try await status(context) }
        router.delete("/admin/jobs/:id") { _, context in try await cancel(context) }
        router.get("/admin/health") { _, _ in try await health() }
        router.post("/admin/reload") { _, _ in try await reload() }
        router.post("/admin/purge") { request, _ in try await purge(request) }
        router.get("/admin/metrics") { _, _ in await metrics() }
    }

    func startSeed(_ request: Request) async throws -> Response {
        let body = try await Self.collect(request, upTo: maxBodyBytes)
        let seed = try SeedJobBody.parse(body)
        let id: JobID
        do {
            id = try await jobs.startSeed(map: seed.map, request: seed.request)
        } catch let error as SeedLimitError {
            return try Self.json(SeedRefusal(error: error.message, code: error.code.rawValue, tiles: error.tiles, limit: error.limit),
                                 status: .contentTooLarge)
        }
        guard let status = await jobs.job(id) else { throw EngineError(.notFound, "no such job") }
        var response = try Self.json(status, status: .accepted)
        response.headers[.location] = "/admin/jobs/\(id)"
        return response
    }

    func list() async throws -> Response {
        try Self.json(JobList(jobs: await jobs.jobs()))
    }

    func status(_ context: Context) async throws -> Response {
        try Self.json(try await job(context))
    }

    /// Cancelling a finished job changes nothing and answers its final status.
    func cancel(_ context: Context) async throws -> Response {
        let id = try await job(context).id
        await jobs.cancel(id)
        guard let status = await jobs.job(id) else { throw EngineError(.notFound, "no such job") }
        return try Self.json(status)
    }

    func health() async throws -> Response {
        let (queued, running) = await jobs.counts()
        return try Self.json(Health(status: "ok", maps: engine.mapNames.count,
                                    jobs: .init(queued: queued, running: running, maxConcurrent: jobs.maxConcurrentJobs)))
    }

    /// Re-reads the maps' `access` and `embed_origins` from the configuration file (when the server
    /// was started from one; a file that fails to load changes nothing), then loads every map again;
    /// a map that fails keeps its last good version in service.
    func reload() async throws -> Response {
        var configuration: String?
        if let access, let configurationFile {
            do {
                access.updateMaps(from: try CairnConfiguration.load(path: configurationFile))
                configuration = "ok"
            } catch {
                configuration = String(describing: error).prefix(2000).description
                access.configurationRejected(file: configurationFile, error: configuration ?? "")
            }
        }
        let failures = await engine.reloadMaps()
        var maps: [String: String] = [:]
        for (name, status) in await engine.mapStatus() { maps[name] = failures[name] ?? (status.error == nil ? "ok" : "unavailable") }
        return try Self.json(ReloadResult(maps: maps, configuration: configuration))
    }

    struct ReloadResult: Encodable {
        var maps: [String: String]
        /// "ok" or why the configuration file could not be read; absent when the server has none.
        var configuration: String?
    }

    /// Deletes cached tiles of a map (all, or a bbox and zoom range) through the expiry code.
    func purge(_ request: Request) async throws -> Response {
        let body = try PurgeBody.parse(try await Self.collect(request, upTo: maxBodyBytes))
        let map = try await engine.map(named: body.map)
        let result = try await engine.expire(map: body.map, body.expireRequest(for: map))
        return try Self.json(result)
    }

    func metrics() async -> Response {
        let text = PrometheusText.render(engine.metrics, engine: engine, jobs: await jobs.counts())
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func job(_ context: Context) async throws -> JobStatus {
        guard let id = context.parameters.get("id").flatMap({ JobID($0) }), let status = await jobs.job(id) else {
            throw EngineError(.notFound, "no such job")
        }
        return status
    }

    /// The whole body, refusing more than `limit` bytes (413) before reading it when the
    /// client announces its length, and while reading it otherwise.
    static func collect(_ request: Request, upTo limit: Int) async throws -> Data {
        let tooLarge = HTTPError(.contentTooLarge, message: "the request body is larger than \(limit) bytes")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw tooLarge }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw tooLarge
        }
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        let data = try encoder.encode(value)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A seed request over `limits.max_seed_tiles`: the message with both numbers as fields.
    struct SeedRefusal: Encodable {
        var error: String
        var code: String
        var tiles: Int
        var limit: Int
    }

    struct JobList: Encodable {
        var jobs: [JobStatus]
    }

    struct Health: Encodable {
        struct Jobs: Encodable {
            var queued: Int
            var running: Int
            var maxConcurrent: Int
        }
        var status: String
        var maps: Int
        var jobs: Jobs
    }
}
