import CairnCache
import CairnCore
import Foundation
import Logging
import NIOPosix
import Synchronization

/// Serves tiles: checks the request against the map, answers from the MBTiles cache when
/// the cached tile was rendered from the current style and data, and otherwise renders its
/// metatile once on the render thread pool, stores all of its tiles and answers.
public final class TileEngine: Sendable {
    public let configuration: CairnConfiguration
    let logger: Logger
    let threadPool: NIOThreadPool
    /// Seeding renders on its own threads, niced, so interactive requests keep their latency.
    let seedPool: NIOThreadPool
    private let registry: MapRegistry
    private let inflight = InflightRenders<[TileCoordinate: TileResult]>()
    let cacheFiles: CacheFiles
    /// Vector tiles (`.pbf`): their cache files, layer plans and encodes in flight.
    let vectorTiles: VectorTileCache
    private let renderCounter = Atomic<Int>(0)
    private let queuedRenders = Atomic<Int>(0)
    /// Cold requests beyond this many queued renders are refused (503) instead of piling up.
    public let maxQueuedRenders: Int
    /// Counters for the admin metrics endpoint.
    public let metrics = ServiceMetrics()

    /// - Parameters:
    ///   - renderThreads: threads that render (CPU bound); defaults to the number of cores.
    ///   - maxQueuedRenders: defaults to the configuration's `limits.render_queue`.
    public init(configuration: CairnConfiguration, logger: Logger = Logger(label: "cairn"), renderThreads: Int? = nil, maxQueuedRenders: Int? = nil) {
        self.configuration = configuration
        self.logger = logger
        self.maxQueuedRenders = maxQueuedRenders ?? configuration.limits.renderQueue
        let threads = renderThreads ?? ProcessInfo.processInfo.activeProcessorCount
        let pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
        threadPool = pool
        let seedPool = NIOThreadPool(numberOfThreads: max(1, threads))
        seedPool.start()
        self.seedPool = seedPool
        let cacheFiles = CacheFiles(directory: configuration.cacheDirectory)
        self.cacheFiles = cacheFiles
        vectorTiles = VectorTileCache(directory: configuration.cacheDirectory)
        registry = MapRegistry(configuration: configuration, threadPool: pool, logger: logger)
    }

    public func shutdown() async throws {
        try await threadPool.shutdownGracefully()
        try await seedPool.shutdownGracefully()
    }

    /// Loads every map; returns load errors by map name.
    @discardableResult
    public func loadMaps() async -> [String: String] { await registry.loadAll() }

    /// Reloads every map now, changed or not; returns load errors by map.
    @discardableResult
    public func reloadMaps() async -> [String: String] { await registry.reloadAll() }

    public var mapNames: [String] { configuration.maps.map(\.name) }

    /// The current version of a map in its default grid, or in `grid`.
    /// - Throws: `EngineError` `.notFound` or `.mapUnavailable`.
    public func map(named name: String, grid: String? = nil) async throws -> LoadedMap {
        try await registry.map(named: name, grid: grid)
    }

    /// The grids a map is offered in, its default first. - Throws: `EngineError(.notFound)`.
    public func grids(for map: String) async throws -> [TileGrid] {
        try await registry.grids(for: map)
    }

    /// Every grid the server knows: the built-in ones first, then the configured ones by name.
    public var knownGrids: [TileGrid] {
        let builtIn = TileGrid.builtIn.map(\.identifier)
        return TileGrid.builtIn.compactMap { configuration.grids[$0.identifier] }
            + configuration.grids.values.filter { !builtIn.contains($0.identifier) }.sorted { $0.identifier < $1.identifier }
    }

    /// A tile of one of the map's grids: `tile.x` is the column and `tile.y` the row from the top.
    public func tile(map name: String, grid: String, _ tile: TileCoordinate, scale: Int,
                     admission: RenderAdmission = .unlimited) async throws -> TileResult {
        try await self.tile(map: name, tile, scale: scale, grid: grid, admission: admission)
    }

    public func mapStatus() async -> [String: (fingerprint: String?, error: String?)] { await registry.status() }

    /// How many metatile renders have started since launch.
    public var renderCount: Int { renderCounter.load(ordering: .relaxed) }

    /// One tile. - Throws: `EngineError` (`.notFound` for unknown maps and tiles outside the map's range).
    public func tile(map name: String, _ tile: TileCoordinate, scale: Int, grid: String? = nil,
                     admission: RenderAdmission = .unlimited) async throws -> TileResult {
        let map = try await registry.map(named: name, grid: grid)
        try Self.check(tile, scale: scale, in: map)
        let store = try cacheFiles.store(for: map, scale: scale)
        if let cached = try? store.tile(tile, matching: map.fingerprint) {
            if !cached.isStale {
                metrics.cacheHits.wrappingAdd(1, ordering: .relaxed)
                return TileResult(data: cached.data, etag: cached.etag, cacheHit: true)
            }
            if map.configuration.serveStale {
                // Answer now with the expired tile and refresh it for the next request.
                Task { _ = try? await self.renderMetatile(containing: tile, of: map, scale: scale, store: store) }
                return TileResult(data: cached.data, etag: cached.etag, cacheHit: true)
            }
        }
        metrics.cacheMisses.wrappingAdd(1, ordering: .relaxed)
        let rendered = try await renderMetatile(containing: tile, of: map, scale: scale, store: store, admission: admission)
        guard let result = rendered[tile] else { throw EngineError(.renderFailed, "tile missing from its metatile") }
        return result
    }

    /// Renders (or waits for the render of) the metatile holding `tile`, and caches its tiles
    /// (all of them, or only `storing`).
    func renderMetatile(containing tile: TileCoordinate, of map: LoadedMap, scale: Int, store: MBTilesStore,
                        storing: Set<TileCoordinate>? = nil, priority: RenderPriority = .interactive,
                        admission: RenderAdmission = .unlimited) async throws -> [TileCoordinate: TileResult] {
        let metatile = Metatile(containing: tile, size: map.configuration.metatileSize, in: map.grid)
        let key = "\(map.name)@\(scale)/\(map.grid.identifier)/\(map.fingerprint)/\(metatile)/\(store.path)"
        let pool = priority == .seeding ? seedPool : threadPool
        let logger = self.logger
        let metrics = self.metrics
        // A request that would start a render pays from its client's render budget; one that
        // joins a render already running does not.
        if priority == .interactive, await !inflight.isRunning(key) {
            try admission.admit()
        }
        let budget = configuration.limits.renderBudget()
        return try await inflight.value(for: key) {
            if self.queuedRenders.wrappingAdd(1, ordering: .relaxed).newValue > self.maxQueuedRenders {
                self.queuedRenders.wrappingSubtract(1, ordering: .relaxed)
                metrics.renderQueueFull.wrappingAdd(1, ordering: .relaxed)
                throw EngineError(.overloaded, "too many tiles are being rendered; try again shortly")
            }
            defer { self.queuedRenders.wrappingSubtract(1, ordering: .relaxed) }
            self.renderCounter.wrappingAdd(1, ordering: .relaxed)
            return try await pool.runIfActive {
                if priority == .seeding { RenderPriority.lowerCurrentThread() }
                let pngs: [TileCoordinate: [UInt8]]
                do {
                    pngs = try MapRenderer.render(map, metatile: metatile, scale: scale, budget: budget)
                } catch let error as RenderBudgetExceeded {
                    metrics.renderBudgetExceeded.wrappingAdd(1, ordering: .relaxed)
                    logger.warning("render over budget; nothing cached", metadata: ["map": "\(map.name)", "metatile": "\(metatile)", "reason": "\(error.reason)"])
                    throw EngineError(.overloaded, "the tile is too complex to render within the server's budget; try again later")
                } catch {
                    metrics.renderFailures.wrappingAdd(1, ordering: .relaxed)
                    logger.error("render failed", metadata: ["map": "\(map.name)", "metatile": "\(metatile)", "error": "\(error)"])
                    throw EngineError(.renderFailed, "the tile could not be rendered", detail: String(describing: error))
                }
                var results: [TileCoordinate: TileResult] = [:]
                var rows: [(TileCoordinate, [UInt8], etag: String)] = []
                for (coordinate, png) in pngs {
                    let etag = TileResult.etag(for: png, fingerprint: map.fingerprint)
                    results[coordinate] = TileResult(data: png, etag: etag, cacheHit: false)
                    if storing?.contains(coordinate) ?? true { rows.append((coordinate, png, etag: etag)) }
                }
                do {
                    try store.store(rows, fingerprint: map.fingerprint)
                } catch {
                    // A cache that cannot be written must not stop tiles from being served.
                    logger.error("could not cache tiles", metadata: ["map": "\(map.name)", "metatile": "\(metatile)", "error": "\(error)"])
                }
                return results
            }
        }
    }

    /// Renders queued or running now.
    public var renderQueueDepth: Int { queuedRenders.load(ordering: .relaxed) }

    static func check(_ tile: TileCoordinate, scale: Int, in map: LoadedMap) throws {
        guard map.configuration.scales.contains(scale) else { throw EngineError(.notFound, "scale @\(scale)x is not offered") }
        guard tile.z >= map.configuration.minZoom, tile.z <= map.configuration.maxZoom, map.grid.contains(tile) else {
            throw EngineError(.notFound, "tile \(tile) is outside the map's zoom levels or grid")
        }
    }

}
