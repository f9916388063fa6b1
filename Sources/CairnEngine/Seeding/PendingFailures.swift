import CairnCore
import Synchronization

/// Failed tiles of a seed that could not be recorded in the cache file when they failed (its
/// disk was full, or it could not be written), kept in memory to be recorded at the end of the
/// run. Bounded: past `capacity` tiles only a count is kept, and a plain rerun renders those.
final class PendingFailures: Sendable {
    static let capacity = 100_000

    private struct State {
        var failures: [(TileCoordinate, String)] = []
        var dropped = 0
    }
    private let state = Mutex(State())

    func append(_ failures: [(TileCoordinate, String)]) {
        state.withLock { state in
            let room = max(0, Self.capacity - state.failures.count)
            state.failures += failures.prefix(room)
            state.dropped += max(0, failures.count - room)
        }
    }

    /// Everything kept so far, and how many were not kept; empties the list.
    func take() -> (failures: [(TileCoordinate, String)], dropped: Int) {
        state.withLock { state in
            defer { state = State() }
            return (state.failures, state.dropped)
        }
    }
}
