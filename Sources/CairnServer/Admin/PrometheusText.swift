import CairnEngine

/// The service counters in the Prometheus text exposition format (0.0.4), written by hand.
/// Labels carry status classes only — never keys, tokens or request text.
enum PrometheusText {
    static func render(_ metrics: ServiceMetrics, engine: TileEngine, jobs: (queued: Int, running: Int)) -> String {
        var text = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: Int)]) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples { text += "\(name)\(sample.labels) \(sample.value)\n" }
        }
        metric("cairn_http_responses_total", "counter", "Responses of the public listener by status class.",
               (1...5).map { (#"{class="\#($0)xx"}"#, metrics.responses(statusClass: $0)) })
        metric("cairn_tile_cache_hits_total", "counter", "Tile requests answered from the cache.", [("", metrics.cacheHitCount)])
        metric("cairn_tile_cache_misses_total", "counter", "Tile requests that needed a render (or joined one).", [("", metrics.cacheMissCount)])
        metric("cairn_renders_total", "counter", "Metatile renders started.", [("", engine.renderCount)])
        metric("cairn_render_failures_total", "counter", "Metatile renders that failed.", [("", metrics.renderFailureCount)])
        metric("cairn_render_budget_exceeded_total", "counter", "Metatile renders stopped at their time, feature or vertex budget.",
               [("", metrics.renderBudgetExceededCount)])
        metric("cairn_render_queue_rejections_total", "counter", "Renders refused because the render queue was full.",
               [("", metrics.renderQueueFullCount)])
        metric("cairn_cache_read_errors_total", "counter", "Cache reads that failed (the tile was rendered instead).",
               [("", metrics.cacheReadErrorCount)])
        metric("cairn_cache_damaged_tiles_total", "counter", "Cached tiles that failed their checksum or format check on read: dropped, re-rendered, never sent.",
               [("", metrics.damagedCachedTileCount)])
        let caches = engine.cacheStatuses
        metric("cairn_cache_files", "gauge", "Cache files in use, by how they serve (render-through: rendered and not stored).",
               CacheFileStatus.State.allCases.map { state in (#"{state="\#(state.rawValue)"}"#, caches.filter { $0.state == state }.count) })
        metric("cairn_stale_refreshes_dropped_total", "counter", "Serve-stale refreshes that could not run.",
               [("", metrics.staleRefreshesDroppedCount)])
        metric("cairn_rate_limited_total", "counter", "Requests refused with 429.", [("", metrics.rateLimitedCount)])
        let memory = engine.memoryCacheUsage
        metric("cairn_memory_cache_bytes", "gauge", "Bytes the in-memory tile cache holds (tiles and their fixed overhead).", [("", memory.bytes)])
        metric("cairn_memory_cache_tiles", "gauge", "Tiles in the in-memory tile cache.", [("", memory.tiles)])
        metric("cairn_memory_cache_capacity_bytes", "gauge", "The in-memory tile cache's bound (cache.memory).", [("", memory.capacity)])
        metric("cairn_render_queue_depth", "gauge", "Metatile renders queued or running.", [("", engine.renderQueueDepth)])
        metric("cairn_render_queue_capacity", "gauge", "Most metatile renders queued or running at once.", [("", engine.maxQueuedRenders)])
        metric("cairn_admin_jobs", "gauge", "Admin jobs by state.", [(#"{state="queued"}"#, jobs.queued), (#"{state="running"}"#, jobs.running)])
        text += liveEdits(metrics.liveEdits, engine: engine)
        return text
    }
}
