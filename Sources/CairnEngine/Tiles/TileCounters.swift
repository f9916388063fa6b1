import Synchronization

/// The tile pipeline's counters for one tile format, so PNG and vector tiles are told apart.
public final class TileCounters: Sendable {
    /// Requests answered from the cache (stale tiles served while refreshing included).
    let hits = Atomic<Int>(0)
    /// Requests that had to render (or join a render in flight).
    let misses = Atomic<Int>(0)
    /// Renders started: metatiles for PNG, tiles for vector tiles (each is encoded on its own).
    let renders = Atomic<Int>(0)
    let failures = Atomic<Int>(0)
    let budgetExceeded = Atomic<Int>(0)
    /// Requests refused because the render queue was full.
    let queueFull = Atomic<Int>(0)
    /// Cache reads that failed (the request rendered instead).
    let readErrors = Atomic<Int>(0)
    /// Cached tiles that failed their check on read (checksum or format): dropped, not served.
    let damaged = Atomic<Int>(0)
    /// Serve-stale refreshes that could not run (queue full, render failed, shutting down).
    let refreshesDropped = Atomic<Int>(0)

    init() {}

    public var hitCount: Int { hits.load(ordering: .relaxed) }
    public var missCount: Int { misses.load(ordering: .relaxed) }
    public var renderCount: Int { renders.load(ordering: .relaxed) }
    public var failureCount: Int { failures.load(ordering: .relaxed) }
    public var budgetExceededCount: Int { budgetExceeded.load(ordering: .relaxed) }
    public var queueFullCount: Int { queueFull.load(ordering: .relaxed) }
    public var readErrorCount: Int { readErrors.load(ordering: .relaxed) }
    public var damagedCount: Int { damaged.load(ordering: .relaxed) }
    public var refreshesDroppedCount: Int { refreshesDropped.load(ordering: .relaxed) }
}
