/// Runs the work for one key once while it is in flight: concurrent requests for tiles of
/// the same metatile wait for the same render and get the same bytes. The shared task is
/// not cancelled when one waiter goes away, so a disconnecting client cannot waste the
/// render the others wait for.
actor InflightRenders<Value: Sendable> {
    private var running: [String: Task<Value, any Error>] = [:]
    private(set) var started = 0

    func value(for key: String, work: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let task = running[key] { return try await task.value }
        started += 1
        let task = Task { try await work() }
        running[key] = task
        defer { running[key] = nil }
        return try await task.value
    }

    var count: Int { running.count }

    func isRunning(_ key: String) -> Bool { running[key] != nil }
}
