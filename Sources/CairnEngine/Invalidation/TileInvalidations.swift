import Foundation
import Synchronization

/// The engine's broadcast of tile invalidations: `TileEngine.expire` publishes here after it has
/// marked or deleted tiles, and each subscriber (an open event stream) gets those of its map. The
/// number of subscribers is capped, so listeners cannot grow without bound; publishing never blocks
/// on them (see `InvalidationSubscription`).
public final class TileInvalidations: Sendable {
    /// Subscribers at once, over all maps.
    public let capacity: Int
    /// Invalidations one subscriber may have unread before it gets a reset instead.
    public let backlogLimit: Int

    /// Each map's ids continue from here: the start time in milliseconds, so they keep increasing
    /// across restarts and a client's `Last-Event-ID` from another server life never matches.
    private let firstID: Int

    private struct State {
        var lastIDByMap: [String: Int] = [:]
        var subscribers: [Int: InvalidationSubscription] = [:]
        var nextKey = 0
        var closed = false
    }
    private let state = Mutex(State())

    public init(capacity: Int, backlogLimit: Int = 256, firstID: Int = Int(Date().timeIntervalSince1970 * 1000)) {
        self.capacity = max(0, capacity)
        self.backlogLimit = max(1, backlogLimit)
        self.firstID = firstID
    }

    /// A new subscription to `map`'s invalidations, or nil when `capacity` subscriptions are open
    /// (or the hub is closed). The caller must `end()` it when done.
    public func subscribe(map: String) -> InvalidationSubscription? {
        state.withLock { state -> InvalidationSubscription? in
            guard !state.closed, state.subscribers.count < capacity else { return nil }
            let key = state.nextKey
            state.nextKey += 1
            let subscription = InvalidationSubscription(map: map, backlogLimit: backlogLimit) { [weak self] in
                self?.forget(key)
            }
            state.subscribers[key] = subscription
            return subscription
        }
    }

    /// Open subscriptions now.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// The id of `map`'s latest invalidation since start-up, nil before its first.
    public func lastID(of map: String) -> Int? { state.withLock { $0.lastIDByMap[map] } }

    /// Gives `invalidation` its map's next id and queues it for every subscriber of the map. Ids count
    /// per map, so a map's subscribers cannot tell from gaps that other (perhaps internal) maps changed.
    @discardableResult
    public func publish(_ invalidation: TileInvalidation) -> TileInvalidation {
        state.withLock { state in
            var published = invalidation
            published.id = (state.lastIDByMap[published.map] ?? firstID) + 1
            state.lastIDByMap[published.map] = published.id
            for subscriber in state.subscribers.values where subscriber.map == published.map {
                subscriber.enqueue(published)
            }
            return published
        }
    }

    /// Ends every subscription and refuses new ones (server shutdown).
    public func close() {
        let open = state.withLock { state in
            state.closed = true
            return Array(state.subscribers.values)
        }
        for subscription in open { subscription.end() }
    }

    private func forget(_ key: Int) {
        _ = state.withLock { $0.subscribers.removeValue(forKey: key) }
    }
}
