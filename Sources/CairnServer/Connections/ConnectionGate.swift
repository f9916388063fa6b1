import Synchronization

/// Counts the open connections of one listener against its cap. Shared by every event loop of
/// the listener, hence atomic; a connection takes a place when it becomes active and gives it
/// back when it closes.
public final class ConnectionGate: Sendable {
    public let capacity: Int
    private let open = Atomic<Int>(0)

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
}
