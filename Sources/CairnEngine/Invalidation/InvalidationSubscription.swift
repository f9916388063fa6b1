import Synchronization

/// One listener to one map's invalidations (see `TileInvalidations.subscribe(map:)`), read by one task
/// with `next()`. Publishing never waits for the reader: invalidations queue here up to the hub's backlog
/// limit, and a reader that falls that far behind loses the queue and gets `.reset` instead (reload
/// everything), because a reader that slow is better served by one full refresh than by a stale backlog.
public final class InvalidationSubscription: Sendable {
    public enum Delivery: Sendable, Equatable {
        case invalidated(TileInvalidation)
        /// Invalidations were dropped: everything of the map may have changed.
        case reset
    }

    public let map: String
    private let backlogLimit: Int
    private let onEnd: @Sendable () -> Void

    private struct Queue {
        var pending: [TileInvalidation] = []
        var overflowed = false
        var woken = false
        var ended = false
        var reader: CheckedContinuation<[Delivery]?, Never>?
    }
    private let queue = Mutex(Queue())
    private typealias WaitingReader = (continuation: CheckedContinuation<[Delivery]?, Never>, deliveries: [Delivery])

    init(map: String, backlogLimit: Int, onEnd: @escaping @Sendable () -> Void) {
        self.map = map
        self.backlogLimit = max(1, backlogLimit)
        self.onEnd = onEnd
    }

    /// Waits for deliveries: nil once the subscription has ended (`end()`, the hub closed, or the
    /// reading task cancelled); an empty list after `wake()` with nothing new.
    public func next() async -> [Delivery]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (reader: CheckedContinuation<[Delivery]?, Never>) in
                let ready: [Delivery]?? = queue.withLock { queue in
                    if queue.ended { return .some(nil) }
                    guard queue.pending.isEmpty, !queue.overflowed, !queue.woken else { return .some(Self.take(&queue)) }
                    queue.reader = reader
                    return .none
                }
                if let ready { reader.resume(returning: ready) }
            }
        } onCancel: {
            end()
        }
    }

    /// Makes the reader's `next()` return (with nothing new, unless something came), e.g. to write a keep-alive.
    public func wake() {
        let reader = queue.withLock { queue -> WaitingReader? in
            guard !queue.ended else { return nil }
            queue.woken = true
            return Self.takeReader(&queue)
        }
        reader?.continuation.resume(returning: reader?.deliveries)
    }

    /// Stops the subscription: the reader's `next()` returns nil and the hub forgets it. Idempotent.
    public func end() {
        let (reader, first) = queue.withLock { queue -> (CheckedContinuation<[Delivery]?, Never>?, Bool) in
            let first = !queue.ended
            queue.ended = true
            queue.pending.removeAll()
            defer { queue.reader = nil }
            return (queue.reader, first)
        }
        reader?.resume(returning: nil)
        if first { onEnd() }
    }

    /// Whether a reader waits in `next()` now (for tests that must not race it).
    var isWaiting: Bool { queue.withLock { $0.reader != nil } }

    /// Called by the hub, under its lock, so every subscriber sees invalidations in `id` order.
    func enqueue(_ invalidation: TileInvalidation) {
        let reader = queue.withLock { queue -> WaitingReader? in
            guard !queue.ended else { return nil }
            if queue.pending.count >= backlogLimit {
                queue.pending.removeAll()
                queue.overflowed = true
            } else if !queue.overflowed {
                queue.pending.append(invalidation)
            }
            return Self.takeReader(&queue)
        }
        reader?.continuation.resume(returning: reader?.deliveries)
    }

    private static func take(_ queue: inout Queue) -> [Delivery] {
        let deliveries = (queue.overflowed ? [Delivery.reset] : []) + queue.pending.map(Delivery.invalidated)
        queue.pending.removeAll()
        queue.overflowed = false
        queue.woken = false
        return deliveries
    }

    /// The waiting reader with what it gets now, if one waits.
    private static func takeReader(_ queue: inout Queue) -> WaitingReader? {
        guard let reader = queue.reader else { return nil }
        queue.reader = nil
        return (reader, take(&queue))
    }
}
