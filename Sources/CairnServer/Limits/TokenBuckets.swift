import Synchronization

/// Token buckets by client: each holds up to `burst` tokens and refills at `rate` per second.
/// Idle buckets are dropped once full again, so memory stays bounded by active clients.
final class TokenBuckets: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let state = Mutex<[String: Bucket]>([:])
    /// Above this many buckets, full (idle) ones are swept out.
    private let sweepThreshold: Int

    init(sweepThreshold: Int = 10_000) {
        self.sweepThreshold = sweepThreshold
    }

    /// Takes one token for `client`. - Returns: nil when taken; otherwise how long until one is
    /// available (the request is refused).
    func take(_ client: String, rate: Double, burst: Double, now: ContinuousClock.Instant = .now) -> Duration? {
        take(client, rate: rate, burst: burst, now: now, consume: true)
    }

    /// Like `take`, without taking: nil when a token is available.
    func peek(_ client: String, rate: Double, burst: Double, now: ContinuousClock.Instant = .now) -> Duration? {
        take(client, rate: rate, burst: burst, now: now, consume: false)
    }

    private func take(_ client: String, rate: Double, burst: Double, now: ContinuousClock.Instant, consume: Bool) -> Duration? {
        guard rate > 0 else { return nil }
        let capacity = max(1, burst)
        return state.withLock { buckets in
            var bucket = buckets[client] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            bucket.tokens = min(capacity, bucket.tokens + max(0, seconds) * rate)
            bucket.updated = now
            defer {
                buckets[client] = bucket
                if buckets.count > sweepThreshold { Self.sweep(&buckets, now: now, rate: rate, capacity: capacity) }
            }
            if bucket.tokens >= 1 {
                if consume { bucket.tokens -= 1 }
                return nil
            }
            return .milliseconds(Int(((1 - bucket.tokens) / rate * 1000).rounded(.up)))
        }
    }

    private static func sweep(_ buckets: inout [String: Bucket], now: ContinuousClock.Instant, rate: Double, capacity: Double) {
        buckets = buckets.filter { _, bucket in
            let idle = now - bucket.updated
            return bucket.tokens + Double(idle.components.seconds) * rate < capacity
        }
    }

    var count: Int { state.withLock { $0.count } }
}
