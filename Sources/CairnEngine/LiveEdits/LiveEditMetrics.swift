import Synchronization

/// Live edits for the admin metrics: notifications received and ignored, listener reconnects,
/// tiles expired, and how long an edit took to reach the cache (the statement's clock time in
/// the payload → the tiles marked stale).
public final class LiveEditMetrics: Sendable {
    /// Upper bounds of the latency histogram's buckets, seconds.
    public static let latencyBuckets: [Double] = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10, 30]

    private struct Histogram {
        var counts = [Int](repeating: 0, count: LiveEditMetrics.latencyBuckets.count)
        var count = 0
        var sum = 0.0
    }

    private let histogram = Mutex(Histogram())
    private let received = Atomic<Int>(0)
    private let ignored = Atomic<Int>(0)
    private let reconnects = Atomic<Int>(0)
    private let expiredTiles = Atomic<Int>(0)
    private let replicaWaits = Atomic<Int>(0)
    private let replicaTimeouts = Atomic<Int>(0)
    private let replicaWaitMicroseconds = Atomic<Int>(0)

    public init() {}

    public func countReceived() { received.wrappingAdd(1, ordering: .relaxed) }
    public func countIgnored() { ignored.wrappingAdd(1, ordering: .relaxed) }
    public func countReconnect() { reconnects.wrappingAdd(1, ordering: .relaxed) }
    public func countExpired(tiles: Int) { expiredTiles.wrappingAdd(tiles, ordering: .relaxed) }

    /// One wait for a read replica to replay an edit before its tiles were expired.
    public func observeReplicaWait(_ waited: Duration, timedOut: Bool) {
        replicaWaits.wrappingAdd(1, ordering: .relaxed)
        if timedOut { replicaTimeouts.wrappingAdd(1, ordering: .relaxed) }
        let micros = waited.components.seconds * 1_000_000 + waited.components.attoseconds / 1_000_000_000_000
        replicaWaitMicroseconds.wrappingAdd(Int(micros), ordering: .relaxed)
    }

    /// One edit's statement-to-expiry latency, seconds (clocks of two machines: never below 0).
    public func observeLatency(_ seconds: Double) {
        let value = max(0, seconds)
        histogram.withLock { h in
            for (index, bound) in Self.latencyBuckets.enumerated() where value <= bound { h.counts[index] += 1 }
            h.count += 1
            h.sum += value
        }
    }

    public var receivedCount: Int { received.load(ordering: .relaxed) }
    public var ignoredCount: Int { ignored.load(ordering: .relaxed) }
    public var reconnectCount: Int { reconnects.load(ordering: .relaxed) }
    public var expiredTileCount: Int { expiredTiles.load(ordering: .relaxed) }
    /// Waits for a replica's replay, those that ran out, and the seconds spent waiting.
    public var replicaWaitCount: Int { replicaWaits.load(ordering: .relaxed) }
    public var replicaWaitTimeoutCount: Int { replicaTimeouts.load(ordering: .relaxed) }
    public var replicaWaitSeconds: Double { Double(replicaWaitMicroseconds.load(ordering: .relaxed)) / 1_000_000 }

    /// Cumulative bucket counts (Prometheus `le`), the count and the sum.
    public var latency: (buckets: [(le: Double, count: Int)], count: Int, sum: Double) {
        histogram.withLock { h in (zip(Self.latencyBuckets, h.counts).map { ($0, $1) }, h.count, h.sum) }
    }
}
