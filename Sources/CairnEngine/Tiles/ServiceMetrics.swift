import Synchronization

/// Counters of the whole service, read by the admin metrics endpoint. Only counts and status
/// classes: never keys, tokens or anything a client sent.
public final class ServiceMetrics: Sendable {
    /// Responses by status class, 1xx to 5xx.
    private let responses1xx = Atomic<Int>(0)
    private let responses2xx = Atomic<Int>(0)
    private let responses3xx = Atomic<Int>(0)
    private let responses4xx = Atomic<Int>(0)
    private let responses5xx = Atomic<Int>(0)
    /// The tile pipeline's counters, by format.
    public let png = TileCounters()
    public let pbf = TileCounters()
    private let rateLimitedCounter = Atomic<Int>(0)
    /// Edits announced by PostGIS triggers (`LISTEN`).
    public let liveEdits = LiveEditMetrics()

    public init() {}

    /// Counts one response by its status code's class.
    public func countResponse(status: Int) {
        switch status / 100 {
        case 1: responses1xx.wrappingAdd(1, ordering: .relaxed)
        case 2: responses2xx.wrappingAdd(1, ordering: .relaxed)
        case 3: responses3xx.wrappingAdd(1, ordering: .relaxed)
        case 4: responses4xx.wrappingAdd(1, ordering: .relaxed)
        case 5: responses5xx.wrappingAdd(1, ordering: .relaxed)
        default: break
        }
    }

    /// Counts one request refused with 429.
    public func countRateLimited() { rateLimitedCounter.wrappingAdd(1, ordering: .relaxed) }

    public func responses(statusClass: Int) -> Int {
        switch statusClass {
        case 1: return responses1xx.load(ordering: .relaxed)
        case 2: return responses2xx.load(ordering: .relaxed)
        case 3: return responses3xx.load(ordering: .relaxed)
        case 4: return responses4xx.load(ordering: .relaxed)
        case 5: return responses5xx.load(ordering: .relaxed)
        default: return 0
        }
    }
    public func tiles(_ format: TileFormat) -> TileCounters {
        switch format {
        // WebP tiles are images like PNG ones and share their counters.
        case .png, .webp: png
        case .pbf: pbf
        }
    }

    // Totals over both formats.
    public var cacheHitCount: Int { png.hitCount + pbf.hitCount }
    public var cacheMissCount: Int { png.missCount + pbf.missCount }
    public var renderFailureCount: Int { png.failureCount + pbf.failureCount }
    public var renderBudgetExceededCount: Int { png.budgetExceededCount + pbf.budgetExceededCount }
    public var renderQueueFullCount: Int { png.queueFullCount + pbf.queueFullCount }
    public var cacheReadErrorCount: Int { png.readErrorCount + pbf.readErrorCount }
    public var damagedCachedTileCount: Int { png.damagedCount + pbf.damagedCount }
    public var staleRefreshesDroppedCount: Int { png.refreshesDroppedCount + pbf.refreshesDroppedCount }
    public var rateLimitedCount: Int { rateLimitedCounter.load(ordering: .relaxed) }
}
