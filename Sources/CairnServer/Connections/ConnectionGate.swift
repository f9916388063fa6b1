import Synchronization
import Logging

/// Counts the open connections of one listener against its cap. Shared by every event loop of
/// the listener, hence atomic; a connection takes a place when it becomes active and gives it
/// back when it closes.
public final class ConnectionGate: Sendable {
    public let capacity: Int
    private let open = Atomic<Int>(0)
    /// Refusals since the last log line, and when that line was written.
    private let refusals = Mutex<(count: Int, lastLog: ContinuousClock.Instant?)>((0, nil))
    /// Connections refused since start.
    private let refusedTotal = Atomic<Int>(0)

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The connections holding a place now.
    public var count: Int { open.load(ordering: .relaxed) }

    /// Takes a place; false (and nothing taken) when the listener is full.
    func enter() -> Bool {
        var current = open.load(ordering: .relaxed)
        while current < capacity {
            let (exchanged, original) = open.compareExchange(expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }

    func leave() {
        open.subtract(1, ordering: .relaxed)
    }

    public var refused: Int { refusedTotal.load(ordering: .relaxed) }

    /// Counts a refused connection and tells the operator, at most once a minute, that the cap is
    /// reached: otherwise a full server looks healthy in its log while clients get 503s.
    func refusedOne(logger: Logger) {
        refusedTotal.add(1, ordering: .relaxed)
        let now = ContinuousClock.now
        let report: Int? = refusals.withLock { state in
            state.count += 1
            if let last = state.lastLog, now - last < .seconds(60) { return nil }
            let count = state.count
            state = (0, now)
            return count
        }
        guard let report else { return }
        logger.warning("connection cap of \(capacity) reached: \(report) connection(s) refused with 503 since the last report (limits.max_connections; raise it with the open-file limit, or look for idle or slow clients)")
    }
}
