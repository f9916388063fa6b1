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
    let cacheHits = Atomic<Int>(0)
    let cacheMisses = Atomic<Int>(0)
    let renderFailures = Atomic<Int>(0)
    let renderBudgetExceeded = Atomic<Int>(0)
    let renderQueueFull = Atomic<Int>(0)
    private let rateLimitedCounter = Atomic<Int>(0)

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
    public var cacheHitCount: Int { cacheHits.load(ordering: .relaxed) }
    public var cacheMissCount: Int { cacheMisses.load(ordering: .relaxed) }
    public var renderFailureCount: Int { renderFailures.load(ordering: .relaxed) }
    public var renderBudgetExceededCount: Int { renderBudgetExceeded.load(ordering: .relaxed) }
    public var renderQueueFullCount: Int { renderQueueFull.load(ordering: .relaxed) }
    public var rateLimitedCount: Int { rateLimitedCounter.load(ordering: .relaxed) }
}
