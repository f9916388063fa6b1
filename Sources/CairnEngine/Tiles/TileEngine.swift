import CairnConfiguration
import CairnCache
import CairnCore
import CairnPostGIS
import Foundation
import Logging
import NIOPosix
import Synchronization

/// Serves tiles: checks the request against the map, answers from the MBTiles cache when
/// the cached tile was made from the current style and data, and otherwise makes it (renders its
/// metatile, or encodes the vector tile) once on the render thread pool, stores it and answers.
/// PNG and vector tiles go through the same pipeline (`TileEngine+Pipeline`).
public final class TileEngine: Sendable {
    public let configuration: CairnConfiguration
    let logger: Logger
    /// Renders and encodes (CPU bound), one thread per core.
    let threadPool: NIOThreadPool
    /// Seeding renders on its own threads, niced, so interactive requests keep their latency.
    let seedPool: NIOThreadPool
    /// Cache reads and file opening: SQLite calls a request waits for, kept off the cooperative
    /// pool and out of the render queue, so a cache hit never waits behind a render.
    let ioPool: NIOThreadPool
    /// Background cache upkeep (stale marking after a map edit, metadata), one file at a time.
    let maintenancePool: NIOThreadPool
    private let registry: MapRegistry
    let inflight = InflightRenders<[TileCoordinate: TileResult]>()
    let cacheFiles: CacheFileRegistry
    /// Encoded tiles in memory, in front of `cacheFiles` (`cache.memory`).
    let memory: MemoryTileCache
    let vectorPlans = VectorLayerPlans()
    /// Glyph ranges served to MapLibre clients (`TileEngine+Glyphs`).
    let glyphRanges = GlyphRangeCache()
    let queuedRenders = Atomic<Int>(0)
    /// Batches whose requested tile was answered early and which are still being finished (drawn,
    /// stored and the tile kept in memory): see `batchesFinishingBehindAnswers`.
    let finishingBehindAnswers = Atomic<Int>(0)
    /// Cold requests beyond this many queued renders are refused (503) instead of piling up.
    public let maxQueuedRenders: Int
    /// Counters for the admin metrics endpoint.
    public let metrics = ServiceMetrics()
    /// Announces every expiry (`expire(map:_:)`) to subscribers such as `/maps/{map}/events`.
    public let invalidations: TileInvalidations
    /// Edits waiting out their debounce, listeners' states and background refreshes (`TileEngine+LiveEdits`).
    let liveEdits = LiveEditState()
    /// The configured databases' clients. Not connected until run: `cairn serve` runs them as a
    /// service beside its listeners, other commands with `databases.whileRunning`.
    public let databases: PostGISDatabases
    let postgisProblems = PostGISProblems()

    /// Threads reading the cache: reads are short and mostly wait on the disk.
    static let ioThreads = 4

    /// - Parameters:
    ///   - renderThreads: threads that render (CPU bound); defaults to the number of cores.
    ///   - maxQueuedRenders: defaults to the configuration's `limits.render_queue`.
    ///   - cacheRetryInterval: how long a cache file that cannot be used is served render-through
    ///     (or read-only) before opening it is tried again.
    public init(configuration: CairnConfiguration, logger: Logger = Logger(label: "cairn"), renderThreads: Int? = nil, maxQueuedRenders: Int? = nil,
                cacheRetryInterval: Duration = .seconds(30)) {
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
        let ioPool = NIOThreadPool(numberOfThreads: Self.ioThreads)
        ioPool.start()
        self.ioPool = ioPool
        let maintenancePool = NIOThreadPool(numberOfThreads: 1)
        maintenancePool.start()
        self.maintenancePool = maintenancePool
        cacheFiles = CacheFileRegistry(directory: configuration.cacheDirectory, ioPool: ioPool, maintenancePool: maintenancePool, logger: logger,
                                       retryInterval: cacheRetryInterval)
        memory = MemoryTileCache(capacity: configuration.memoryCacheBytes)
        registry = MapRegistry(configuration: configuration, threadPool: pool, logger: logger)
        invalidations = TileInvalidations(capacity: configuration.limits.maxEventSubscribers)
        databases = PostGISDatabases(configurations: configuration.databases, logger: logger)
    }

    /// The maps loaded now (each grid once).
    func loadedMapsNow() async -> [LoadedMap] { await registry.loadedMaps() }

    public func shutdown() async throws {
        invalidations.close()
        try await threadPool.shutdownGracefully()
        try await seedPool.shutdownGracefully()
        try await maintenancePool.shutdownGracefully()
        try await ioPool.shutdownGracefully()
    }

    /// Loads every map; returns load errors by map name.
    @discardableResult
    public func loadMaps() async -> [String: String] { await registry.loadAll() }

    /// Reloads every map now, changed or not; returns load errors by map.
    @discardableResult
    public func reloadMaps() async -> [String: String] {
        let failures = await registry.reloadAll()
        // Versions, access and max-age may all have changed: tiles are read from the files again.
        memory.removeAll()
        return failures
    }

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
    public func tile(map name: String, grid: String, _ tile: TileCoordinate, scale: Int, admission: RenderAdmission) async throws -> TileResult {
        try await self.tile(map: name, tile, scale: scale, grid: grid, admission: admission)
    }

    public func mapStatus() async -> [String: (fingerprint: String?, error: String?)] { await registry.status() }

    /// Cold PNG requests whose tile was answered (or is about to be) while the rest of its
    /// metatile is still being drawn and stored; 0 once every such metatile is stored and its
    /// requested tile kept in memory. What waits for "the batch is cached" waits for this.
    public var batchesFinishingBehindAnswers: Int { finishingBehindAnswers.load(ordering: .acquiring) }

    /// How many metatile renders (PNG) have started since launch.
    public var renderCount: Int { metrics.png.renderCount }

    /// One PNG tile. `admission` is asked before a render this request would start (not on a
    /// cache hit, not when joining a render in flight).
    /// - Throws: `EngineError` (`.notFound` for unknown maps and tiles outside the map's range,
    ///   `.overloaded` when the render queue is full or the render is over budget, `.rateLimited`
    ///   or whatever else `admission` throws).
    public func tile(map name: String, _ tile: TileCoordinate, scale: Int, grid: String? = nil, admission: RenderAdmission) async throws -> TileResult {
        let map = try await registry.map(named: name, grid: grid)
        try Self.check(tile, scale: scale, in: map)
        return try await serve(tile, of: TileProducer(png: map, scale: scale), admission: admission)
    }

    /// One WebP tile of the map's default grid: the PNG tile's pixels, cached in its own file.
    /// - Throws: as `tile(map:_:scale:grid:admission:)`.
    public func webpTile(map name: String, _ tile: TileCoordinate, scale: Int, admission: RenderAdmission) async throws -> TileResult {
        let map = try await registry.map(named: name, grid: nil)
        try Self.check(tile, scale: scale, in: map)
        return try await serve(tile, of: TileProducer(webp: map, scale: scale), admission: admission)
    }

    /// How each cache file used so far serves (ok, read-only or render-through, and why), for
    /// `/health` and the metrics. Files are listed once a request, seed or expiry has used them.
    public var cacheStatuses: [CacheFileStatus] { cacheFiles.statuses() }

    /// Renders queued or running now (interactive and serve-stale refreshes; seeding has its own threads).
    public var renderQueueDepth: Int { queuedRenders.load(ordering: .relaxed) }

    static func check(_ tile: TileCoordinate, scale: Int, in map: LoadedMap) throws {
        guard map.configuration.scales.contains(scale) else { throw EngineError(.notFound, "scale @\(scale)x is not offered") }
        guard tile.z >= map.configuration.minZoom, tile.z <= map.configuration.maxZoom, map.grid.contains(tile) else {
            throw EngineError(.notFound, "tile \(tile) is outside the map's zoom levels or grid")
        }
    }

}
