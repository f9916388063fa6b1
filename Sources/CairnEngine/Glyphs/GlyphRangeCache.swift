import Synchronization

/// Glyph ranges made so far, the most recently used kept up to `capacity`; concurrent requests
/// for a range being made wait for the same work instead of repeating it.
final class GlyphRangeCache: Sendable {
    private struct State {
        var entries: [GlyphRangeRequest: Task<GlyphRange, any Error>] = [:]
        /// Least recently used first.
        var order: [GlyphRangeRequest] = []
    }

    /// About 30–250 KB a range (Latin to CJK), so at most a few tens of MB.
    static let defaultCapacity = 128

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = GlyphRangeCache.defaultCapacity) {
        self.capacity = max(1, capacity)
    }

    /// The cached range, or the one `make` returns (not cached when it throws).
    func range(_ request: GlyphRangeRequest, make: @escaping @Sendable () async throws -> GlyphRange) async throws -> GlyphRange {
        let task = state.withLock { state -> Task<GlyphRange, any Error> in
            if let existing = state.entries[request] {
                if let at = state.order.firstIndex(of: request) { state.order.remove(at: at) }
                state.order.append(request)
                return existing
            }
            let task = Task { try await make() }
            state.entries[request] = task
            state.order.append(request)
            while state.order.count > capacity {
                state.entries[state.order.removeFirst()] = nil
            }
            return task
        }
        do {
            return try await task.value
        } catch {
            state.withLock { state in
                if state.entries[request] == task {
                    state.entries[request] = nil
                    state.order.removeAll { $0 == request }
                }
            }
            throw error
        }
    }

    var count: Int { state.withLock { $0.entries.count } }
}
